// The site works without this script; it only fills in the citation's access date (today, for the reader),
// completes a permalink given without a host (and the addresses a printed page gives of the archive's own links),
// and adds the "Copy" buttons where the browser can copy.
(function () {
  "use strict";
  var citation = document.getElementById("citation-text");
  if (citation && citation.textContent.indexOf("[date]") >= 0) {
    var today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    citation.textContent = citation.textContent.replace("[date]", today);
    var note = document.querySelector(".access-note");
    if (note) {
      note.textContent = "The date accessed is today’s (" + today + ").";
    }
  }

  // A site built with a base_url that is only a path (a preview, or one whose address is not known yet)
  // gives its permalink without a host; the browser knows where the page is, so the citation and the
  // permalink a reader copies, and the address a printed page gives under the site's name, are whole addresses.
  var canonical = document.querySelector('link[rel="canonical"]');
  var path = canonical ? canonical.getAttribute("href") : "";
  if (path.charAt(0) === "/" && path.charAt(1) !== "/") {
    if (citation) {
      citation.textContent = citation.textContent.replace(" " + path + " (accessed", " " + canonical.href + " (accessed");
    }
    Array.prototype.forEach.call(document.querySelectorAll(".permalink a, .page-address"), function (address) {
      if (address.textContent === path) {
        address.textContent = canonical.href;
      }
    });
  }

  // On paper a link of a statement's text, of an entry's description, of the caveat under every page, or to a
  // statement a page lists (a card's title, a quotation's source), to another page of the archive is printed with its
  // address (style.css, which names the same places), as one to another site is: "as she said" led nowhere on paper.
  // The page gives it from the site's root; the address a reader can type is whole, as the permalink is, here where
  // the page knows it.
  if (canonical) {
    Array.prototype.forEach.call(document.querySelectorAll(
        ".text .block > :not(.said-by) a[href], .description a[href], .caveat a[href], .card-title a[href], .quotes .who a[href]"),
      function (link) {
        var href = link.getAttribute("href");
        if (href.charAt(0) !== "#" && !/^[a-z][a-z0-9+.-]*:/i.test(href)) {
          link.setAttribute("data-address", new URL(href, canonical.href).href);
        }
      });
  }

  // A "Copy" button copies the text of the element its data-copy names; where the browser cannot copy,
  // it stays hidden and the text can be selected and copied by hand.
  function wire(button, done) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard || !window.isSecureContext) {
      return;
    }
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { if (status) { status.textContent = done; } },
        function () { if (status) { status.textContent = "Could not copy; select the text and copy it."; } }
      );
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    wire(button, "Citation copied.");
  });

  // A paragraph the address points to (#p3, from its ¶ mark or a link) offers its permanent link, the
  // statement's permalink and the paragraph's id: the way to cite one paragraph; and the citation gets a
  // twin for that paragraph ("…, para. 3. https://…#p3 (accessed …)"), as a style cites a page without pages.
  function offerParagraphLink() {
    ["paragraph-link", "paragraph-citation-box", "paragraph-missing"].forEach(function (old) {
      old = document.getElementById(old);
      if (old) {
        old.parentNode.removeChild(old);
      }
    });
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) { // "#%E0%A4%A", cut short: no paragraph's id, and the rest of the script still runs
    }
    var text = document.querySelector("article .text");
    // A paragraph's address as a reader types it from a citation's "para. 3": #3, #P3, #para3, #p03. The
    // address becomes the paragraph's own (#p3), replacing this one in the history; that change runs this again.
    var typed = /^(?:p|para|paragraph|¶)?[.\s_-]*0*([1-9][0-9]*)([a-z]*)$/i.exec(id);
    if (typed && text && !document.getElementById(id) && "p" + typed[1] + typed[2].toLowerCase() !== id) {
      location.replace("#p" + typed[1] + typed[2].toLowerCase());
      return;
    }
    var paragraph = /^p[0-9]+[a-z]*$/.test(id) ? document.getElementById(id) : null;
    if (!paragraph && /^p[0-9]+[a-z]*$/.test(id) && canonical && text) {
      sayParagraphMissing(id, text);
      return;
    }
    if (!paragraph || !canonical || !paragraph.closest(".text")) {
      return;
    }
    var bar = document.createElement("p");
    bar.id = "paragraph-link";
    bar.className = "paragraph-link";
    bar.appendChild(document.createTextNode("Link to paragraph " + id.slice(1) + ": "));
    var url = document.createElement("code");
    url.id = "paragraph-link-url";
    url.textContent = canonical.href.split("#")[0] + "#" + id;
    bar.appendChild(url);
    bar.appendChild(document.createTextNode(" "));
    paragraph.parentNode.insertBefore(bar, paragraph.nextSibling);
    copyButton(bar, url.id, "Copy link", "Link copied.");
    offerParagraphCitation(id, url.textContent);
    bar.tabIndex = -1;
    if (followed === location.hash) {
      focusOffer();
    }
  }

  // The reader followed a ¶ mark (a click, or Enter): what it offers gets the focus, so that a screen reader says
  // it and the next Tab reaches its Copy button. The browser takes the focus off the mark and starts the next Tab
  // at the paragraph, which was the same ¶ mark again. A mark of the paragraph already offered changes no address.
  var followed = "";
  function focusOffer() {
    followed = "";
    var bar = document.getElementById("paragraph-link");
    if (bar) {
      bar.focus({ preventScroll: true });
    }
  }
  document.addEventListener("click", function (event) {
    var mark = event.target.closest ? event.target.closest(".text a.pilcrow") : null;
    if (mark) {
      followed = mark.hash;
      if (mark.hash === location.hash) {
        setTimeout(focusOffer, 0); // after the browser's own move to the paragraph
      }
    }
  });

  // An address to a paragraph the text does not have (#p9 of eight, or one removed since it was cited) says so
  // above the text, rather than leaving the reader at the top of the page with nothing to go on.
  function sayParagraphMissing(id, text) {
    var note = document.createElement("p");
    note.id = "paragraph-missing";
    note.className = "paragraph-missing";
    note.setAttribute("role", "status");
    note.appendChild(document.createTextNode("The address points to paragraph " + id.slice(1) +
      ", which this statement’s text does not have"));
    if (document.getElementById("corrections")) {
      // Whether this paragraph was ever in the text, the page does not know: a correction may have changed only
      // a title or a note. So it does not say that the paragraph was taken away.
      note.appendChild(document.createTextNode(". If the address was taken before the record was changed, see "));
      var link = document.createElement("a");
      link.href = "#corrections";
      link.textContent = "Corrections";
      note.appendChild(link);
      note.appendChild(document.createTextNode("."));
    } else {
      note.appendChild(document.createTextNode(". Each paragraph’s number is by its ¶ mark."));
    }
    var heading = text.querySelector("h2");
    text.insertBefore(note, heading ? heading.nextSibling : text.firstChild);
    note.scrollIntoView({ block: "center" }); // where the paragraph would have been shown, below a long header on a phone
  }

  function offerParagraphCitation(id, address) {
    var whole = address.split("#")[0];
    var at = citation ? citation.textContent.lastIndexOf(". " + whole + " (accessed") : -1;
    if (at < 0) {
      return;
    }
    var text = citation.textContent;
    // Where the archive attributes a quotation in the paragraph, its citation names who said it (plan.py's
    // cite_leads), in place of the statement's speakers.
    var block = document.getElementById(id).closest(".block");
    var leads = {};
    try {
      leads = JSON.parse((block && block.getAttribute("data-cite-leads")) || "{}");
    } catch (error) {
      leads = {};
    }
    var lead = citation.getAttribute("data-lead") || "";
    if (leads[id] && text.slice(0, lead.length) === lead) {
      text = leads[id] + text.slice(lead.length);
      at += leads[id].length - lead.length;
    }
    var box = document.createElement("div");
    box.id = "paragraph-citation-box";
    var label = document.createElement("p");
    label.appendChild(document.createTextNode("Paragraph " + id.slice(1) + " alone, as the address points to it:"));
    var cited = document.createElement("pre");
    cited.className = "citation";
    cited.id = "paragraph-citation";
    cited.textContent = text.slice(0, at) + ", para. " + id.slice(1) + ". " + address + text.slice(at + 2 + whole.length);
    var actions = document.createElement("p");
    actions.className = "cite-actions";
    box.appendChild(label);
    box.appendChild(cited);
    box.appendChild(actions);
    var after = citation.nextElementSibling || citation; // under the citation's own Copy button
    after.parentNode.insertBefore(box, after.nextSibling);
    copyButton(actions, cited.id, "Copy the paragraph's citation", "Citation copied.");
  }

  // A Copy button for the element `source` names, and the status that says it was copied, at the end of `where`.
  function copyButton(where, source, label, done) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.hidden = true;
    button.setAttribute("data-copy", source);
    button.textContent = label;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    where.appendChild(button);
    where.appendChild(document.createTextNode(" "));
    where.appendChild(status);
    wire(button, done);
  }
  offerParagraphLink();
  window.addEventListener("hashchange", offerParagraphLink);

  // A box that scrolls sideways (a chart, a table on a phone) is a stop of the Tab key, so that the keyboard
  // can scroll it. Where it fits, that stop would do nothing but say "region": it is taken out, and put back
  // when the window narrows (or the text grows) so that the box scrolls. Without the script every box stays a stop.
  var scrollBoxes = document.querySelectorAll(".chart-scroll, .table-scroll");
  function tabStops() {
    for (var i = 0; i < scrollBoxes.length; i++) {
      var box = scrollBoxes[i];
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else if (box !== document.activeElement) {
        box.removeAttribute("tabindex");
      }
    }
  }
  if (scrollBoxes.length) {
    tabStops();
    window.addEventListener("resize", tabStops);
  }
  // A chart wider than the screen opens at its right end, the newest months: at its left it showed the years before
  // most of its bars, an empty chart to a reader who does not know that it scrolls.
  Array.prototype.forEach.call(document.querySelectorAll(".chart-scroll"), function (box) {
    box.scrollLeft = box.scrollWidth;
  });

  // The page of a missing address, at an address of the statements' by date (a day's folder, which has no page
  // of its own, or a statement's address mistyped after its date): a link to that year on the timeline, at the
  // month, where the archive has statements of them (plan.plan_not_found gives the timeline's address of each).
  var lost = document.getElementById("lost-statement");
  if (lost) {
    var path = location.pathname;
    try {
      path = decodeURI(path);
    } catch (error) { // a cut-short escape: the address as it is
    }
    var statements = lost.getAttribute("data-statements");
    var found = path.indexOf(statements) === 0 ?
      /^(\d{4})(?:\/(\d{2})(?:\/(\d{2}))?)?(?:\/|$)/.exec(path.slice(statements.length)) : null;
    var months = lost.getAttribute("data-months").split(" ");
    var month = found && found[2] ? Number(found[2]) : 0;
    var day = found && found[3] ? Number(found[3]) : 0;
    if (found && month <= 12 && day <= 31 && (!found[2] || month >= 1) && (!found[3] || day >= 1)) {
      var year = found[1];
      var when = (month ? months[month - 1] + " " : "") + year; // of the month: the day may have none
      var places = JSON.parse(lost.getAttribute("data-places"));
      var link = document.createElement("a");
      if (!places[year]) {
        link.href = lost.getAttribute("data-timeline");
        link.textContent = "the timeline";
        lost.append("The archive has no statements of " + year + "; the years it has are on ", link, ".");
      } else if (month && !places[year][found[2]]) {
        link.href = places[year][""];
        link.textContent = "the timeline of " + year;
        lost.append("The archive has no statements of " + months[month - 1] + " " + year + "; those of " + year +
          " are listed on ", link, ".");
      } else {
        link.href = places[year][month ? found[2] : ""];
        link.textContent = "the timeline of " + year + (month ? ", under " + months[month - 1] : "");
        lost.append("The statements of " + when + " are listed on ", link, ".");
      }
      lost.hidden = false;
    }
  }
})();
