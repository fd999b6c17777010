// The site works without this script; it only fills in the citation's access date (today, for the reader)
// and adds the "Copy citation" button where the browser can copy.
(function () {
  "use strict";
  var citation = document.getElementById("citation-text");
  if (citation && citation.textContent.indexOf("[date]") >= 0) {
    var today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    citation.textContent = citation.textContent.replace("[date]", today);
    var note = document.querySelector(".access-note");
    if (note) {
      note.textContent = "The date accessed is today’s.";
    }
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard || !window.isSecureContext) {
      return; // no button: the citation can still be selected and copied by hand
    }
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { if (status) { status.textContent = "Citation copied."; } },
        function () { if (status) { status.textContent = "Could not copy; select the citation and copy it."; } }
      );
    });
  });
})();
