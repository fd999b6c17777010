// The search page: asks the Pagefind index (built into pagefind/ with the site) and lists the results.
// Filters and order are kept in the address (?q=...&person=...&year=...&sort=newest), so a search can be
// linked to. A result that matched inside a statement's text links to the paragraph that matched.
//
// The index comes in shards (one Pagefind bundle per year of statements and per kind of entity, listed in
// pagefind/shards.json): the first is loaded and the others merged into it (Pagefind's mergeIndex), each
// tagged with a "shard" filter of its own name. Pagefind merges results by relevance itself; ordered by
// date, each shard's results are in order only within the shard, so they are merged here by date.
const PAGE_SIZE = 20;
const PARAGRAPH_ID = /^p\d+[a-z]*$/;
const SHARD = "shard"; // the filter each shard's pages carry in the browser (not a filter of the site)
const PHRASE = /^\s*"(.+)"\s*$/; // a search in quotes, which Pagefind matches as a phrase

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sort = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
// A filter is a list to choose from (outlet, year) or, where its values grow with the archive (people,
// organisations, events, places), a text field whose values the browser suggests from a datalist.
const fields = Array.from(form.querySelectorAll("[data-filter]"));
const selects = fields.filter((field) => field.tagName === "SELECT");
const typed = fields.filter((field) => field.list);
const suggest = document.getElementById("search-suggest");
// Once the filters' values are loaded, for each filter: { lower: Map(value in lower case -> value),
// folded: Map(folded value -> [values]) }.
const known = {};
// The names of every place in every spelling the archive knows (the aliases file's "place"), those in no statement
// too, which are no value of the place filter: words a misspelt word may mean, as the filters' values are (respelt).
let placeNames = [];
const pageTitle = document.title;

let pagefind = null;
let shards = []; // shard names, in the order of shards.json
let dated = []; // the shards whose pages have dates to sort by
let source = null; // the current results: { count, take(n) }
let shown = 0;
let loading = Promise.resolve(); // "show more" batches run one after another
let generation = 0; // a newer search makes older, slower ones drop their results

// The status line is a live region: a screen reader says it when its words change. A search that ends as the
// last one did ("2 results." after another filter) would change nothing, so a no-break space at its end
// comes and goes, and each search's outcome is said.
function say(text) {
  status.textContent = status.textContent === text ? text + "\u00a0" : text;
}

// The words searched for, with typographic double quotes (“…”, „…“, as a phone's keyboard or a copied text writes
// them) as straight ones: Pagefind, and PHRASE, take only straight quotes for a phrase, so “their victory” had
// been searched for as two words anywhere on a page.
function searchTerm() {
  return input.value.trim().replace(/[“”„]/g, '"');
}

// A name written in another case or without its letters' marks ("ali hasanov" for "Əli Həsənov").
function fold(text) {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLocaleLowerCase()
    .replace(/ə/g, "a").replace(/ı/g, "i").replace(/\s+/g, " ").trim();
}

// A typed value is the filter's value of the same spelling in any case ("ilham aliyev"), or the only
// one it folds to, or the only one with every typed word among its words ("zakharova" for Maria
// Zakharova), or itself (which then finds nothing, and nearNames offers what it might be).
function filterValue(field) {
  const value = field.value.trim();
  const values = known[field.dataset.filter];
  if (!values) {
    return value;
  }
  const alike = values.folded.get(fold(value)) || [];
  const same = values.lower.get(value.toLocaleLowerCase()) || (alike.length === 1 ? alike[0] : null);
  if (same) {
    return same;
  }
  const words = fold(value).split(" ").filter(Boolean);
  let only = null;
  for (const [folded, names] of values.folded) {
    const own = folded.split(" ");
    if (words.length && words.every((word) => own.includes(word))) {
      if ((only !== null && only !== names[0]) || names.length > 1) {
        return value; // more than one: the reader chooses among those offered
      }
      only = names[0]; // by its name or by one of its other names
    }
  }
  return only || value;
}

// A typed value that stands for one of the filter's values is shown as that value, so the reader sees
// whom the search is filtered by.
function showChosenNames() {
  for (const field of typed) {
    const values = known[field.dataset.filter];
    const chosen = filterValue(field);
    if (values && field.value.trim() && chosen !== field.value && values.lower.has(chosen.toLocaleLowerCase())) {
      field.value = chosen;
    }
  }
}

// Up to five of a filter's values that share a word of three or more letters with what was typed.
function nearNames(values, typedValue) {
  const words = fold(typedValue).split(" ").filter((word) => word.length >= 3);
  const scored = [];
  for (const [folded, names] of values.folded) {
    const shared = words.filter((word) => folded.includes(word)).length;
    if (shared) {
      scored.push(...names.map((name) => [shared, name]));
    }
  }
  scored.sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]));
  return Array.from(new Set(scored.map(([, name]) => name))).slice(0, 5); // once, if its other names match too
}

// How many edits (a letter added, dropped or changed, or two side by side swapped) turn `a` into `b`; any number
// above `most` is given as most + 1, found without finishing the table.
function distance(a, b, most) {
  if (Math.abs(a.length - b.length) > most) {
    return most + 1;
  }
  let before = null;
  let last = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let edits = Math.min(last[j] + 1, row[j - 1] + 1, last[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (before && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        edits = Math.min(edits, before[j - 2] + 1);
      }
      row.push(edits);
    }
    if (Math.min(...row) > most) {
      return most + 1;
    }
    before = last;
    last = row;
  }
  return Math.min(last[b.length], most + 1);
}

// For words that found nothing: the same words with each one that is no word of any name the archive knows (its
// people, organisations, events, outlets and places, in any of their spellings) but a letter or two from one put
// right ("Zaharova" → "Zakharova", "Hojaly" → "Khojaly", "Radison" → "Radisson"); null when there is none to put
// right. Of two words as near, the one in more names. Words of three letters or fewer are left as typed.
function respelt(term) {
  const names = new Map(); // each word of the names, and in how many names it is
  const filtered = Object.values(known).flatMap((values) => Array.from(values.folded.keys()));
  for (const folded of filtered.concat(Array.from(new Set(placeNames.map(fold))))) {
    for (const word of new Set(folded.split(" "))) {
      names.set(word, (names.get(word) || 0) + 1);
    }
  }
  let changed = false;
  const words = term.split(/\s+/).map((typedWord) => {
    const [, lead, core, trail] = typedWord.match(/^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u);
    const word = fold(core);
    if (word.length < 4 || names.has(word)) {
      return typedWord;
    }
    const most = word.length >= 7 ? 2 : 1;
    let best = null;
    let nearest = most + 1;
    for (const [candidate, count] of names) {
      const edits = distance(word, candidate, most);
      if (edits < nearest || (edits === nearest && edits <= most && count > names.get(best))) {
        best = candidate;
        nearest = edits;
      }
    }
    if (best === null) {
      return typedWord;
    }
    changed = true;
    const capital = core[0] !== core[0].toLocaleLowerCase();
    return lead + (capital ? best[0].toLocaleUpperCase() + best.slice(1) : best) + trail;
  });
  return changed ? words.join(" ") : null;
}

// A line of the offers: its words, then a button for each value that puts it in `field` and searches again.
function offerLine(words, field, values) {
  const line = document.createElement("p");
  line.append(words);
  for (const value of values) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = value;
    button.addEventListener("click", () => {
      field.value = value;
      field.focus(); // the offer goes with the search it starts: focus stays where the choice was made, not on the page
      run();
    });
    line.append(button);
  }
  return line;
}

// The words of a search with its phrases' quotation marks taken away, or null when it has none: a phrase that no
// page writes word for word ("Victory Day", where the text says "Victory" and "May 9") may still find its words
// apart.
function withoutPhrases(term) {
  const words = term.replace(/"/g, " ").replace(/\s+/g, " ").trim();
  return term.includes('"') && words ? words : null;
}

// Under "No results": for a typed filter value that is no value of the filter, the names it may mean; for words
// that are no name's but near one, the words put right; for a phrase, its words anywhere on a page.
function offerNames() {
  const offers = [];
  for (const field of typed) {
    const values = known[field.dataset.filter];
    const value = field.value.trim();
    if (!values || !value || values.lower.has(filterValue(field).toLocaleLowerCase())) {
      continue;
    }
    const near = nearNames(values, value);
    if (!near.length) {
      continue;
    }
    offers.push(offerLine("No " + field.dataset.filter + " of the archive is called “" + value + "”. Did you mean",
      field, near));
  }
  const term = input.value.trim();
  const better = term && !offers.length ? respelt(term) : null;
  if (better) {
    offers.push(offerLine("Did you mean", input, [better]));
  }
  const apart = term && !offers.length ? withoutPhrases(searchTerm()) : null;
  if (apart) {
    offers.push(offerLine("No page has these words side by side, in this order. Search for them anywhere:", input,
      [apart]));
  }
  suggest.replaceChildren(...offers); // a live region kept in the page, empty or not: one shown only with its
  // words in it is not said by many screen readers
}

function chosenFilters() {
  const filters = {};
  for (const field of fields) {
    if (field.value.trim()) {
      filters[field.dataset.filter] = filterValue(field);
    }
  }
  return filters;
}

// How a search reaches the browser's history. A filter or an order chosen, or the form sent, is a step the reader
// takes, so it gets an entry of its own, and Back undoes it (as on a catalogue's search). Words typed change the
// address as they go, but only the first search of a run of typing makes an entry: one per keystroke would make
// Back walk through every letter. A search made again from the history (Back, Forward) makes none.
let typingEntry = false;

function rememberInAddress(how) {
  const params = new URLSearchParams();
  if (input.value.trim()) {
    params.set("q", input.value.trim());
  }
  for (const [name, value] of Object.entries(chosenFilters())) {
    params.set(name, value);
  }
  if (sort.value !== "relevance") {
    params.set("sort", sort.value);
  }
  const query = params.toString();
  const address = location.pathname + (query ? "?" + query : "");
  const changed = address !== location.pathname + location.search;
  if (changed && (how === "start" || (how === "typed" && typingEntry))) {
    history.replaceState(null, "", address);
  } else if (changed && how !== "history") {
    history.pushState(null, "", address);
  }
  typingEntry = how === "typed" && (typingEntry || changed);
  // The tab and the browser's history say what was searched for: “Markov” · Search · (the site).
  document.title = (input.value.trim() ? "“" + input.value.trim() + "” · " : "") + pageTitle;
}

// The paragraphs of a statement that quote the person chosen as a filter (its "said" metadata, written by
// search.py), or an empty set when no person is chosen or the statement quotes them nowhere.
function quotedParagraphs(data) {
  const person = chosenFilters().person;
  let said = {};
  try {
    said = JSON.parse((data.meta && data.meta.said) || "{}");
  } catch (error) {
    said = {};
  }
  return new Set((person && said[person]) || []);
}

// The paragraph (p1, p2, ...) holding the first matched word, from Pagefind's word positions and anchors.
// For a phrase in quotes Pagefind gives only its first place, often in the title or summary, so the
// phrase is looked for in the page's words too. With a person chosen as a filter, a paragraph quoting
// that person comes first among those that match: "punished" with Trofimchuk chosen leads to his
// words, not to another speaker's paragraph that says it too.
function matchedParagraph(data, term) {
  const quoted = quotedParagraphs(data);
  const anchors = (data.anchors || []).slice().sort((a, b) => a.location - b.location);
  const paragraphAt = (location) => {
    let current = null;
    for (const anchor of anchors) {
      if (anchor.location > location) {
        break;
      }
      current = anchor;
    }
    return current && current.element === "p" && PARAGRAPH_ID.test(current.id) ? current : null;
  };
  const phrase = PHRASE.exec(term || "");
  const wanted = phrase ? phrase[1].split(/\s+/).map((word) => bare(fold(word))).filter(Boolean) : [];
  const words = (data.content || "").split(/\s+/).map((word) => bare(fold(word)));
  let firstFound = null;
  for (let at = 0; at + wanted.length <= words.length && wanted.length; at++) {
    if (wanted.every((word, i) => words[at + i].startsWith(word))) {
      const found = paragraphAt(at);
      if (found && (quoted.has(found.id) || !quoted.size)) {
        return found;
      }
      firstFound = firstFound || found;
    }
  }
  if (firstFound) {
    return firstFound;
  }
  // Else, a paragraph quoting the chosen person first, the paragraph that holds the most of the words
  // searched for ("Trofimchuk punished": the one with both, not the first with either), then the one with
  // the most of them as typed, not only their stem ("punished": the paragraph saying "punished" before one
  // saying "punishing"), then the one with the most matches, then the first.
  const terms = (term || "").split(/\s+/).map((word) => bare(fold(word))).filter(Boolean);
  const hits = new Map(); // paragraph anchor -> { words: Set, typed: Set, count }
  for (const location of data.locations || []) {
    const found = paragraphAt(location);
    if (found) {
      const hit = hits.get(found) || { words: new Set(), typed: new Set(), count: 0 };
      const word = words[location] || "";
      const typed = terms.find((t) => word.startsWith(t));
      hit.words.add(typed || word);
      if (typed) {
        hit.typed.add(typed);
      }
      hit.count += 1;
      hits.set(found, hit);
    }
  }
  const rank = (hit, found) => [quoted.has(found.id) ? 1 : 0, hit.words.size, hit.typed.size, hit.count];
  let best = null;
  for (const [found, hit] of hits) { // in the order of the text: the first wins a tie
    const [mine, top] = [rank(hit, found), best && rank(hits.get(best), best)];
    const at = top ? mine.findIndex((value, i) => value !== top[i]) : -1;
    if (!best || (at >= 0 && mine[at] > top[at])) {
      best = found;
    }
  }
  return best || paragraphNaming(data.content || "", words, terms, paragraphAt);
}

// A word found only among the other spellings a statement carries for search ("Also written: Fatima Kahramanli:
// Fatimə Qəhrəmanlı, Kahramanli, Fatima Qahramanli, ..."; _search_data.html), as "Qahramanli" is, or in the name
// an entry begins with, where the text writes only another ("Karabakh: Garabagh"): the first
// paragraph that names that entity as the archive writes it: its whole name, else one of its other spellings
// as the text has it ("AMOR"), else, for a short name, its last word (a surname: "Kahramanli said"). A longer
// name's last word ("... of Russia") is no sign of it: then no paragraph, and the result links to the page.
function paragraphNaming(content, words, terms, paragraphAt) {
  const marker = content.lastIndexOf("Also written: ");
  if (marker < 0 || !terms.length) {
    return null;
  }
  const textWords = content.slice(0, marker).trim().split(/\s+/).length; // the words before the list are the text's
  const phraseAt = (wanted) => {
    for (let at = 0; wanted.length && at + wanted.length <= textWords; at++) {
      const found = wanted.every((word, i) => words[at + i] === word) ? paragraphAt(at) : null;
      if (found) {
        return found;
      }
    }
    return null;
  };
  const wordsOf = (name) => name.split(/\s+/).map((word) => bare(fold(word))).filter(Boolean);
  const entities = [];
  for (const entry of content.slice(marker + "Also written: ".length).split("; ")) {
    const split = entry.indexOf(": ");
    if (split < 0) {
      continue;
    }
    const own = wordsOf(entry.slice(0, split));
    const spellings = entry.slice(split + 2).split(", ").map(wordsOf);
    // Its own name too: the text may write only another ("Karabakh", registered so, in a text saying "Garabagh").
    const matched = terms.filter((term) => [own, ...spellings].some((spelling) =>
      spelling.some((word) => word.startsWith(term))));
    if (matched.length) {
      entities.push({ own, spellings, matched: matched.length });
    }
  }
  // The entity that more of the words searched for name first ("Azərbaycan Hava Yolları": the airline, not
  // another body whose other name begins "Azərbaycan"); a tie keeps the page's order.
  entities.sort((a, b) => b.matched - a.matched);
  for (const { own, spellings } of entities) {
    for (const wanted of [own, ...spellings, own.length <= 3 ? own.slice(-1) : []]) {
      const found = phraseAt(wanted);
      if (found) {
        return found;
      }
    }
  }
  return null;
}

function bare(word) {
  return word.toLocaleLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

// An excerpt of the matched paragraph (Pagefind's own excerpt may come from elsewhere on the page),
// with the words that begin with a searched word marked.
function paragraphExcerpt(text, term) {
  const terms = term.split(/\s+/).map(bare).filter(Boolean);
  const words = text.replace(/\s*¶\s*$/, "").split(/\s+/);
  const isHit = (word) => terms.some((t) => bare(word).startsWith(t));
  const first = Math.max(0, words.findIndex(isHit));
  const start = Math.max(0, first - 12);
  const end = Math.min(words.length, start + 40);
  const fragment = document.createDocumentFragment();
  fragment.append(start > 0 ? "… " : "");
  words.slice(start, end).forEach((word, i) => {
    if (i > 0) {
      fragment.append(" ");
    }
    if (isHit(word)) {
      const mark = document.createElement("mark");
      mark.textContent = word;
      fragment.append(mark);
    } else {
      fragment.append(word);
    }
  });
  fragment.append(end < words.length ? " …" : "");
  return fragment;
}

// Pagefind's excerpt is escaped text with <mark> around matches; keep only text and <mark>.
function excerptNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  const fragment = document.createDocumentFragment();
  for (const node of Array.from(template.content.childNodes)) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      fragment.append(mark);
    } else {
      fragment.append(node.textContent);
    }
  }
  return fragment;
}

function resultItem(data) {
  // data: Pagefind's result (url, meta, excerpt, anchors, locations)
  const item = document.createElement("li");
  item.className = "result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  const anchor = matchedParagraph(data, searchTerm());
  const paragraph = anchor ? anchor.id : null;
  link.href = paragraph ? data.url + "#" + paragraph : data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  const parts = [data.meta && data.meta.type, data.meta && data.meta.date];
  if (paragraph) {
    parts.push("match in paragraph " + paragraph.slice(1));
  }
  meta.textContent = parts.filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.append(anchor ? paragraphExcerpt(anchor.text, searchTerm()) : excerptNodes(data.excerpt || ""));
  markLanguages(excerpt);
  item.append(heading, meta, excerpt);
  return item;
}

// Words in Cyrillic in an excerpt (a name's Russian spelling, "Владимир Путин") say they are Russian, as the
// archive's pages say of such names (entities.name_language), so that a screen reader reads them in a Russian
// voice rather than spelling them out or passing over them (WCAG 3.1.2).
const CYRILLIC_RUN = /[\u0400-\u04ff]+(?:[\s.,\-–]+[\u0400-\u04ff]+)*/g;

function markLanguages(element) {
  for (const node of Array.from(element.childNodes)) {
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (/[\u0400-\u04ff]/.test(node.textContent) && !/[A-Za-z]/.test(node.textContent)) {
        node.lang = "ru"; // a <mark> round a Cyrillic word
      }
      continue;
    }
    const text = node.textContent;
    if (node.nodeType !== Node.TEXT_NODE || !/[\u0400-\u04ff]/.test(text)) {
      continue;
    }
    const parts = document.createDocumentFragment();
    let at = 0;
    for (const run of text.matchAll(CYRILLIC_RUN)) {
      parts.append(text.slice(at, run.index));
      const span = document.createElement("span");
      span.lang = "ru";
      span.textContent = run[0];
      parts.append(span);
      at = run.index + run[0].length;
    }
    parts.append(text.slice(at));
    node.replaceWith(parts);
  }
}

// Results in Pagefind's order, their data loaded a batch at a time.
function inOrder(results) {
  let next = 0;
  return {
    count: results.length,
    take: async (n) => {
      const batch = results.slice(next, next + n);
      next += batch.length;
      return Promise.all(batch.map((result) => result.data()));
    },
  };
}

// Several shards' results, each list ordered by date, merged by date; only the head of each list is loaded
// to compare. Equal dates keep the shards' order, so the order is the same every time.
function byDate(lists, newestFirst) {
  const cursors = lists.filter((results) => results.length).map((results) => ({ results, next: 0, head: null }));
  const head = async (cursor) => {
    if (!cursor.head) {
      cursor.head = await cursor.results[cursor.next].data();
    }
    return cursor.head;
  };
  const dateOf = (data) => (data.meta && data.meta.sort_date) || "";
  return {
    count: lists.reduce((sum, results) => sum + results.length, 0),
    take: async (n) => {
      const out = [];
      while (out.length < n) {
        const live = cursors.filter((cursor) => cursor.next < cursor.results.length);
        if (!live.length) {
          break;
        }
        const heads = await Promise.all(live.map(head));
        let best = 0;
        for (let i = 1; i < live.length; i++) {
          const [a, b] = [dateOf(heads[i]), dateOf(heads[best])];
          if (newestFirst ? a > b : a < b) {
            best = i;
          }
        }
        out.push(heads[best]);
        live[best].next += 1;
        live[best].head = null;
      }
      return out;
    },
  };
}

// `moveFocus`: the reader pressed the button, which may now be hidden; focus goes to the first new result
// rather than to the top of the page, so a keyboard user goes on reading where the list grew.
function showMore(moveFocus = false) {
  loading = loading.catch(() => {}).then(async () => {
    const mine = generation;
    const mySource = source;
    const data = await mySource.take(PAGE_SIZE);
    if (mine !== generation || mySource !== source) {
      return;
    }
    const items = data.map(resultItem);
    list.append(...items);
    shown += data.length;
    more.hidden = shown >= source.count;
    if (moveFocus === true && items.length) {
      items[0].querySelector("a")?.focus();
    }
  });
  return loading;
}

// Pagefind answers a word that is in none of an index's pages with the pages of the longest beginning of
// it that is a word there ("Hasanov" with the pages that say "has", "Ixiilov" with those that say "I"), and
// leaves a word out of a search of several when no page has it. One index for the whole site would do so
// only for a word the whole archive lacks; across shards, every shard that lacks a word would answer with
// such pages. So each word keeps the search to the shards that hold it, or a word it begins ("Zakhar" for
// "Zakharova"), and a word that no shard holds finds nothing. A phrase in quotes is matched exactly.
async function shardsWithEveryWord(term) {
  if (!term || PHRASE.test(term)) {
    return null;
  }
  const words = Array.from(new Set(term.split(/\s+/).filter((word) => bare(fold(word)))));
  let allowed = shards;
  for (const word of words) {
    const holding = await shardsHolding(word);
    allowed = allowed.filter((name) => holding.includes(name));
    if (!allowed.length) {
      break;
    }
  }
  return allowed;
}

// The shards that hold a word: Pagefind finds it there as a whole word (in quotes it never stands in a
// shorter one), or the words it matched in the shard's best page begin with it.
async function shardsHolding(word) {
  const perShard = async (query) => {
    const found = await pagefind.search(query, { filters: {} });
    return (found && found.filters && found.filters[SHARD]) || {};
  };
  const plain = word.replace(/"/g, "");
  const [loose, whole] = await Promise.all([perShard(plain), perShard('"' + plain + '"')]);
  const begun = bare(fold(plain));
  const candidates = shards.filter((name) => loose[name] > 0);
  const holds = await Promise.all(candidates.map(async (name) => {
    if (whole[name] > 0) {
      return true;
    }
    const found = await pagefind.search(plain, { filters: { [SHARD]: name } });
    if (!found || !found.results.length) {
      return false;
    }
    const data = await found.results[0].data();
    const pageWords = data.content.split(/\s+/);
    return (data.locations || []).some((at) => bare(fold(pageWords[at] || "")).startsWith(begun));
  }));
  return candidates.filter((_, i) => holds[i]);
}

// Search every shard; ordered by date, search again in each shard that has results and merge by date.
async function find(term, given, order) {
  const filters = { ...given };
  let allowed = await shardsWithEveryWord(term);
  if (order !== "relevance") { // one index leaves out pages without a date; a shard without dates would not
    allowed = (allowed || shards).filter((name) => dated.includes(name));
  }
  if (allowed && !allowed.length) {
    return inOrder([]);
  }
  if (allowed) {
    filters[SHARD] = { any: allowed };
  }
  const options = { filters };
  if (order !== "relevance") {
    options.sort = { date: order === "newest" ? "desc" : "asc" };
  }
  const found = await pagefind.search(term, options);
  if (found === null || !options.sort) {
    return found && inOrder(found.results);
  }
  const counts = (found.filters && found.filters[SHARD]) || {};
  const busy = shards.filter((name) => counts[name] > 0);
  if (busy.length <= 1) {
    return inOrder(found.results);
  }
  const each = await Promise.all(busy.map((name) => pagefind.search(term, { ...options, filters: { ...filters, [SHARD]: name } })));
  if (each.some((one) => one === null)) {
    return null;
  }
  return byDate(each.map((one) => one.results), order === "newest");
}

async function run(how = "step") {
  showChosenNames();
  rememberInAddress(how);
  const mine = ++generation;
  list.setAttribute("aria-busy", "true");
  try {
    await search(mine);
  } finally {
    if (mine === generation) {
      list.removeAttribute("aria-busy");
    }
  }
}

async function search(mine) {
  const term = searchTerm();
  const filters = chosenFilters();
  suggest.replaceChildren(); // names offered for the last search's filters
  if (!term && Object.keys(filters).length === 0) {
    list.replaceChildren();
    more.hidden = true;
    source = null;
    say("Type a word or a name, or choose a filter.");
    return;
  }
  // Without words there is nothing to rank by: filtered statements come newest first, unless none has a date
  // (a filter on people, say), when they come as the index has them.
  let found = await find(term || null, filters, !term && sort.value === "relevance" ? "newest" : sort.value);
  if (found !== null && found.count === 0 && !term && sort.value === "relevance") {
    found = await find(null, filters, "relevance");
  }
  if (mine !== generation || found === null) {
    return;
  }
  source = found;
  shown = 0;
  list.replaceChildren();
  if (source.count === 0 && sort.value !== "relevance" && filters.type) {
    say("No results in date order: only statements and events have dates. Choose “Most relevant first”, "
      + "or another kind of page.");
  } else if (source.count === 0) {
    say(Object.keys(filters).length
      ? "No results. Set a filter back to “Any” or clear it, or try other words."
      : "No results. Try another spelling, fewer words, or a name.");
    offerNames();
  } else {
    // In date order the pages without a date (people, places, ...) are left out: said, as the count falls.
    const dateNote = term && sort.value !== "relevance" && !filters.type
      ? " Statements and events only: in date order, pages without a date are left out." : "";
    say((source.count === 1 ? "1 result." : source.count + " results.") + dateNote);
  }
  await showMore();
}

// Load the first shard's bundle and merge the others into it; false when there are no shards.
async function loadIndex() {
  const listing = new URL(form.dataset.shards, location.href);
  const response = await fetch(listing, { cache: "no-cache" });
  if (!response.ok) {
    throw new Error("no list of shards: HTTP " + response.status);
  }
  const listed = (await response.json()).shards;
  shards = listed.map((shard) => shard.name);
  dated = listed.filter((shard) => shard.sorts.includes("date")).map((shard) => shard.name);
  if (!shards.length) {
    return false;
  }
  const bundle = (name) => new URL(encodeURIComponent(name) + "/", listing).pathname;
  const base = form.dataset.base;
  pagefind = await import(bundle(shards[0]) + "pagefind.js");
  await pagefind.options({ baseUrl: base, mergeFilter: { [SHARD]: shards[0] } });
  await Promise.all(shards.slice(1).map((name) => pagefind.mergeIndex(bundle(name), { baseUrl: base, mergeFilter: { [SHARD]: name } })));
  return true;
}

// The other names of the filters' values ({filter: {other name: name}}), so that a name typed in a filter
// in any spelling the archive knows ("AMOR", "Полад Бюльбюль оглы") stands for its entity. Without the
// file the filters still take the names themselves.
async function loadAliases() {
  try {
    const response = await fetch(new URL(form.dataset.aliases, location.href));
    return response.ok ? await response.json() : {};
  } catch (error) {
    return {};
  }
}

async function loadFilters(params) {
  const [available, aliases] = await Promise.all([pagefind.filters(), loadAliases()]);
  fillFilters(available, aliases, params);
  placeNames = Object.keys(aliases.place || {});
}

function fillFilters(available, aliases, params) {
  for (const field of fields) {
    const name = field.dataset.filter;
    const counts = available[name] || {};
    const values = Object.keys(counts).sort((a, b) => (name === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    const options = values.map((value) => {
      const option = document.createElement("option");
      option.value = value;
      // Browsers show a datalist option's value, its label or both (whatwg/html#1087), so the label has the name too.
      option[field.list ? "label" : "textContent"] = value + " (" + counts[value] + ")";
      return option;
    });
    (field.list || field).append(...options);
    const folded = new Map();
    for (const value of values) {
      const key = fold(value);
      folded.set(key, [...(folded.get(key) || []), value]);
    }
    const named = new Set(folded.keys()); // a name's own spelling comes first
    for (const [other, value] of Object.entries(aliases[name] || {})) {
      const key = fold(other);
      const already = folded.get(key) || [];
      if (counts[value] !== undefined && !named.has(key) && !already.includes(value)) {
        folded.set(key, [...already, value]); // two entities with such a spelling: the reader is offered both
      }
    }
    known[name] = { lower: new Map(values.map((value) => [value.toLocaleLowerCase(), value])), folded };
    const wanted = params.get(name);
    if (!field.list && wanted && values.includes(wanted)) { // a typed field holds it already (start)
      field.value = wanted;
    }
  }
}

// The search an address holds, shown in the form: its words, its order and its filters (a list's value is set
// when its values have come: fillFilters).
function showState(params) {
  input.value = params.get("q") || "";
  sort.value = ["newest", "oldest"].includes(params.get("sort")) ? params.get("sort") : "relevance";
  for (const field of fields) {
    field.value = params.get(field.dataset.filter) || "";
  }
}

async function start() {
  const params = new URLSearchParams(location.search);
  const browse = document.getElementById("search-browse");
  browse.hidden = true; // shown again if the index cannot be loaded
  showState(params);
  // On a phone the filters would fill the first screen: they are folded away until the reader opens them,
  // unless the address chooses one. (Without script they stay open, as the page is written.)
  const panel = document.getElementById("search-options-panel");
  const chosen = fields.some((field) => params.get(field.dataset.filter)) || params.has("sort");
  if (panel && !chosen && window.matchMedia("(max-width: 40rem)").matches) {
    panel.open = false;
  }
  say("Loading the search index…");
  // The filters' values are most of what a first search loads (2.9 of 4.2 MB at 50,000 statements), so
  // they are loaded after the first results, unless the address chooses a filter that search needs.
  const filtered = fields.some((field) => params.get(field.dataset.filter));
  try {
    if (!(await loadIndex())) {
      say("There is nothing to search yet; browse instead, with the links below.");
      browse.hidden = false;
      return;
    }
    if (filtered) {
      await loadFilters(params);
    }
  } catch (error) {
    say("The search index could not be loaded; browse instead, with the links below.");
    browse.hidden = false;
    return;
  }
  form.hidden = false;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run("typed"), 250);
  });
  for (const field of fields.concat([sort])) {
    field.addEventListener("change", () => run("step"));
  }
  for (const field of typed) { // a value picked from the suggestions searches at once, as a list would
    field.addEventListener("input", () => {
      const values = known[field.dataset.filter];
      if (values && values.lower.get(field.value.trim().toLocaleLowerCase()) === field.value.trim()) {
        clearTimeout(timer);
        run();
      }
    });
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run("step");
  });
  // Back and Forward: the search of that entry, its words, filters and order, made again.
  window.addEventListener("popstate", () => {
    clearTimeout(timer);
    showState(new URLSearchParams(location.search));
    run("history");
  });
  more.addEventListener("click", () => showMore(true));
  if (!filtered) {
    selects.forEach((select) => (select.disabled = true)); // "Any" alone until the values come
  }
  await run("start");
  if (!filtered) {
    try {
      await loadFilters(params);
      selects.forEach((select) => (select.disabled = false));
      if (source && source.count === 0 && input.value.trim()) {
        offerNames(); // the names a misspelling may mean come with the filters' values
      }
    } catch (error) {
      say(status.textContent + " The filters could not be loaded.");
    }
  }
  form.dataset.ready = "true";
  if (!input.value) {
    input.focus();
  }
}

start();
