// The search page: asks the Pagefind index (built into pagefind/ with the site) and lists the results.
// Filters and order are kept in the address (?q=...&person=...&year=...&sort=newest), so a search can be
// linked to. A result that matched inside a statement's text links to the paragraph that matched.
const PAGE_SIZE = 20;
const PARAGRAPH_ID = /^p\d+$/;

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sort = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const selects = Array.from(form.querySelectorAll("select[data-filter]"));

let pagefind = null;
let results = [];
let shown = 0;
let generation = 0; // a newer search makes older, slower ones drop their results

function say(text) {
  status.textContent = text;
}

function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) {
      filters[select.dataset.filter] = select.value;
    }
  }
  return filters;
}

function rememberInAddress() {
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
  history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
}

// The paragraph (p1, p2, ...) holding the first matched word, from Pagefind's word positions and anchors.
function matchedParagraph(data) {
  const anchors = (data.anchors || []).slice().sort((a, b) => a.location - b.location);
  for (const location of data.locations || []) {
    let current = null;
    for (const anchor of anchors) {
      if (anchor.location > location) {
        break;
      }
      current = anchor;
    }
    if (current && current.element === "p" && PARAGRAPH_ID.test(current.id)) {
      return current;
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
  const anchor = matchedParagraph(data);
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
  excerpt.append(anchor ? paragraphExcerpt(anchor.text, input.value) : excerptNodes(data.excerpt || ""));
  item.append(heading, meta, excerpt);
  return item;
}

async function showMore() {
  const mine = generation;
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(batch.map((result) => result.data()));
  if (mine !== generation) {
    return;
  }
  for (const entry of data) {
    list.append(resultItem(entry));
  }
  shown += batch.length;
  more.hidden = shown >= results.length;
}

async function run() {
  rememberInAddress();
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
  const term = input.value.trim();
  const filters = chosenFilters();
  if (!term && Object.keys(filters).length === 0) {
    list.replaceChildren();
    more.hidden = true;
    results = [];
    say("Type a word or a name, or choose a filter.");
    return;
  }
  const options = { filters };
  if (sort.value === "newest") {
    options.sort = { date: "desc" };
  } else if (sort.value === "oldest") {
    options.sort = { date: "asc" };
  }
  const found = await pagefind.search(term || null, options);
  if (mine !== generation || found === null) {
    return;
  }
  results = found.results;
  shown = 0;
  list.replaceChildren();
  say(results.length === 1 ? "1 result." : results.length + " results.");
  await showMore();
}

function fillFilters(available, params) {
  for (const select of selects) {
    const name = select.dataset.filter;
    const counts = available[name] || {};
    const values = Object.keys(counts).sort((a, b) => (name === "year" ? b.localeCompare(a) : a.localeCompare(b)));
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value + " (" + counts[value] + ")";
      select.append(option);
    }
    const wanted = params.get(name);
    if (wanted && values.includes(wanted)) {
      select.value = wanted;
    }
  }
}

async function start() {
  const params = new URLSearchParams(location.search);
  const browse = document.getElementById("search-browse");
  browse.hidden = true; // shown again if the index cannot be loaded
  if (params.has("q")) {
    input.value = params.get("q");
  }
  if (["newest", "oldest"].includes(params.get("sort"))) {
    sort.value = params.get("sort");
  }
  say("Loading the search index…");
  try {
    pagefind = await import(form.dataset.bundle);
    await pagefind.options({ baseUrl: form.dataset.base });
    fillFilters(await pagefind.filters(), params);
  } catch (error) {
    say("The search index could not be loaded; browse instead, with the links below.");
    browse.hidden = false;
    return;
  }
  form.hidden = false;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  for (const select of selects.concat([sort])) {
    select.addEventListener("change", run);
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  more.addEventListener("click", showMore);
  await run();
  form.dataset.ready = "true";
  if (!input.value) {
    input.focus();
  }
}

start();
