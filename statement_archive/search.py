"""Full-text search: what statement and entity pages tell Pagefind, and running Pagefind itself.

Pagefind (PyPI `pagefind[bin]`, which ships the binary) reads the built HTML and writes its
index into pagefind/ of the same folder, in shards: one Pagefind bundle per year of statements
and per kind of entity (`shard_of`), listed in pagefind/shards.json and merged by the search page
in the browser. Pagefind has no incremental mode; shards let a build re-index only what changed.
The build runs it on the staging folder, before the swap, so a failed index fails the build and
leaves the published site as it was. Where the system has a folder in memory (`MEMORY_FOLDER`),
Pagefind writes a shard's bundle there, and only the files whose bytes changed are written into
the staging folder: the others keep their inode and time, as the pages do.

What Pagefind indexes is marked in the templates: `data-pagefind-body` around a statement and
around an entity's name and description; filters, sort keys and metadata sit in a hidden,
`data-pagefind-ignore`d element; the aliases of every entity a page involves sit in a hidden
element that *is* indexed, so "Sergei Markov" finds statements that say "Sergey Markov", and so do
the ASCII spellings of names in Azerbaijani Latin (`entities.search_spellings`): "Mammadov" finds "Məmmədov".

Pagefind 1.5 writes the values of each filter, and the list of filters, in Rust hash-map order,
which changes from run to run (everything else it writes is stable). So that two builds of the
same content are byte-identical, `normalise_filters` rewrites those files with the same content
in sorted order and renames them by their new content hash, updating the two references.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from .entities import enclosing, search_spellings
from .model import ERROR, Problem, Ref, SiteIndex, Statement
from .urls import (
    PAGEFIND_SHARDS_URL, PAGEFIND_URL, SEARCH_ALIASES_URL, Urls, entity_kind_of, entity_pages_glob, pagefind_bundle_url,
    statement_pages_glob, statement_year_of,
)

# Filter name -> the label the search page shows; values are display names (and years).
# (name, label, typed): a typed filter's values grow with the archive (17,953 people, organisations and
# events at 50,000 statements), too many to pick from a list, so the reader types and the browser suggests.
# "type" is every page's kind ("Statement", "Person", ...): a name searched for finds its page and every statement
# that names it, and a reader who wants only the statements says so.
FILTERS = (("type", "Kind of page", False), ("person", "Person", True), ("organisation", "Organisation", True),
           ("event", "Event", True), ("place", "Place", True), ("outlet", "Outlet", False), ("year", "Year", False))
PAGEFIND_TIMEOUT = 600  # seconds; a large archive takes seconds, not minutes
STOP_POLL_SECONDS = 0.1  # how soon a Pagefind run ends once its build is interrupted
# The hints say what to do; what became of the site is said once, by the line every failed build ends with
# (cli.failed): "the published site was left as it was" here was untrue of a first build, which has none.
STOPPED = Problem("pagefind", 1, "the search index was not made: the build was interrupted", ERROR, "build again")


class SearchIndexFailed(Exception):
    """Pagefind could not index the staging folder; carries the problems to report."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def filter_value(name: str) -> str:
    """A name as a search filter's value: straight double quotes as typographic ones, a backslash as a reverse
    solidus operator. Pagefind 1.5 matches no page to a chosen filter value holding either, so a reader filtering
    by '"Azerbaijan Airlines" CJSC' was told that nothing involves it; the name as written stays one of the value's
    other names (aliases_file), so typed as the registry writes it, it is still found."""
    if '"' not in name and "\\" not in name:
        return name
    parts = name.replace("\\", "\u29f5").split('"')
    return "".join(part + ("\u201c" if i % 2 == 0 else "\u201d") for i, part in enumerate(parts[:-1])) + parts[-1]


def _names(index: SiteIndex, refs) -> list[str]:
    """The entities' names as the search filters' values."""
    return [filter_value(index.entities[r.kind][r.slug].name) for r in refs]


# Whose names get ASCII spellings in the index: people and places, whose English spellings follow the letters
# (Gəncə Ganja, Naxçıvan Nakhchivan); organisations' and events' names in Azerbaijani are translated instead
# ("Azərbaycan Respublikası" is "Republic of Azerbaijan", never "Azarbayjan Respublikasi").
SPELLED_KINDS = frozenset({"people", "places"})


def other_spellings(entity, with_aliases: bool = True) -> list[str]:
    """An entity's aliases (unless its page shows them) and the ASCII spellings of its names, without its name."""
    names = (entity.name, *entity.aliases)
    spelled = names if entity.kind in SPELLED_KINDS else ()
    spellings = [spelling for name in spelled for spelling in search_spellings(name) if spelling not in names]
    return list(dict.fromkeys((list(entity.aliases) if with_aliases else []) + spellings))


def without_marks(text: str) -> str:
    """A text with its Latin letters without their marks, as Pagefind matches them ("İbrahimov" is found as
    "ibrahimov"); ə and ı are letters of their own, and stay, and so do other scripts' letters (a report in English
    never writes "Сергеи" for "Сергей", so a page never holds both)."""
    return "".join(_latin_without_marks(ch) for ch in unicodedata.normalize("NFC", text))


@functools.lru_cache(maxsize=4096)
def _latin_without_marks(ch: str) -> str:
    if ch.isascii() or not unicodedata.name(ch, "").startswith("LATIN"):
        return ch
    return "".join(part for part in unicodedata.normalize("NFD", ch) if not unicodedata.combining(part))


def alias_text(index: SiteIndex, refs) -> str:
    """Every other name of the given entities, to be indexed but not shown: without the marks of their letters,
    which Pagefind folds anyway. A page whose words held both "İbrahimov" and "Ibrahimov" was found by the words
    Nazim Ibrahimov but not by the phrase "Nazim Ibrahimov" (Pagefind 1.5 looks for a phrase's word once for each
    of its forms on the page); its text holds the plain form, as the reports write it."""
    parts = []
    for ref in dict.fromkeys(refs):
        entity = index.entities[ref.kind][ref.slug]
        others = [other for other in dict.fromkeys(map(without_marks, other_spellings(entity)))
                  if other != without_marks(entity.name)]
        if others:
            parts.append(f"{without_marks(entity.name)}: " + ", ".join(others))
    return "; ".join(parts)


def statement_search(statement: Statement, index: SiteIndex) -> dict:
    """Filters, sort key, metadata and indexed aliases for a statement page."""
    # Every person the statement's page names and whose page lists it: its byline too, when registered.
    people = list(statement.speakers) + [r for r in statement.mentions if r.kind == "people"]
    people += [statement.author] if statement.author else []
    organisations = list(statement.organisations) + [r for r in statement.mentions if r.kind == "organisations"]
    filters = [{"name": "person", "value": v} for v in dict.fromkeys(_names(index, people))]
    filters += [{"name": "organisation", "value": v} for v in dict.fromkeys(_names(index, organisations))]
    if statement.event:
        filters.append({"name": "event", "value": _names(index, [statement.event])[0]})
    # A place, and the places it is within: "Moscow" finds a statement given the hotel in Moscow alone.
    places = [Ref("places", slug) for ref in statement.places
              for slug in [ref.slug] + enclosing(index.entities["places"], ref.slug)]
    filters += [{"name": "place", "value": v} for v in dict.fromkeys(_names(index, places))]
    filters.append({"name": "outlet", "value": _names(index, [statement.outlet])[0]})
    filters.append({"name": "year", "value": str(statement.record.date.year)})
    involved = people + organisations + ([statement.event] if statement.event else []) + [statement.outlet]
    involved += list(statement.places)
    kind = "Withdrawn statement" if statement.record.withdrawn else "Statement"  # shown on each search result
    # A withdrawn statement is a statement too: "Statement" finds every one, "Withdrawn statement" those alone.
    filters += [{"name": "type", "value": value} for value in dict.fromkeys(("Statement", kind))]
    return {"filters": filters, "sort_date": statement.record.date.isoformat(), "type": kind,
            "aliases": alias_text(index, involved), "said": said_where(statement, index)}


def said_where(statement: Statement, index: SiteIndex) -> str:
    """JSON of {speaker's name: the paragraphs quoting them}: with a person chosen as a filter, the search page
    links a result to a paragraph that person is quoted in, where one holds the words searched for, rather
    than to another speaker's (the names are the person filter's values). "" for a statement with no quotations."""
    said: dict[str, list[str]] = {}
    for quote in statement.quotes:
        paragraphs = said.setdefault(_names(index, [quote.speaker])[0], [])
        if quote.paragraph_id and quote.paragraph_id not in paragraphs:
            paragraphs.append(quote.paragraph_id)
    said = {name: paragraphs for name, paragraphs in said.items() if paragraphs}
    return json.dumps(said, ensure_ascii=False, separators=(",", ":")) if said else ""


def entity_search(ref: Ref, index: SiteIndex, kind_label: str) -> dict:
    """Entity pages are found by name and by the aliases they show; events sort by their date."""
    entity = index.entities[ref.kind][ref.slug]
    return {"filters": [{"name": "type", "value": kind_label}], "sort_date": entity.date.isoformat() if entity.date
            else "", "type": kind_label,
            "aliases": ", ".join(other_spellings(entity, with_aliases=False)), "said": ""}


def search_page_context(urls: Urls) -> dict:
    """The search page reads the list of shards, then loads each shard's bundle beside that list."""
    return {"shards": urls.href(PAGEFIND_SHARDS_URL), "base": urls.href(""), "aliases": urls.href(SEARCH_ALIASES_URL),
            "filters": [{"name": n, "label": label, "typed": typed} for n, label, typed in FILTERS]}


FILTER_KINDS = (("person", "people"), ("organisation", "organisations"), ("event", "events"))  # the typed filters


def aliases_file(index: SiteIndex) -> dict[str, bytes]:
    """{SEARCH_ALIASES_URL: JSON of {filter: {other name: name}}}: a typed filter's values are the entities' names,
    so that "AMOR" or "Полад Бюльбюль оглы" typed in a filter stands for the entity, as in the search box. The
    search page loads it with the filters' values; a few hundred kilobytes at 50,000 statements.

    "place" maps every name of every place, its own too: the search page offers a misspelt word put right ("Did
    you mean") only from the names it has loaded, and a place in no statement is no value of the place filter;
    "Yekaterinburgh" had been offered nothing."""
    data = {}
    for name, kind in FILTER_KINDS:
        data[name] = dict(sorted((alias, filter_value(entity.name)) for entity in index.entities[kind].values()
                                 for alias in (entity.name, *(other_spellings(entity) if entity.registered else ()))
                                 if alias != filter_value(entity.name)))
    data["place"] = dict(sorted((spelling, filter_value(entity.name)) for entity in index.entities["places"].values()
                                for spelling in (entity.name, *(other_spellings(entity) if entity.registered else ()))))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return {SEARCH_ALIASES_URL: text.encode("utf-8")}


# --- the index in shards ----------------------------------------------------------------------------
# Pagefind has no incremental mode, so the index is split by URL into shards (statements by year, entity
# pages by kind), each its own Pagefind bundle at pagefind/<shard>/; the search page merges them in the
# browser (Pagefind's mergeIndex). An edit then re-indexes only the shards whose pages changed.

STATEMENT_SHARD_PREFIX = "statements-"
# The page-context keys that what Pagefind indexes of a page is made from: the `data-pagefind-body` parts of
# statement.html and _entity.html read `statement` or `entity` and `search` (_search_data.html), and
# base.html gives the language (`site`). Lists of statements on entity pages are outside the indexed part.
INDEXED_CONTEXT = ("statement", "entity", "search", "site")
PAGEFIND_JOBS = 2  # Pagefind processes at once (each is mostly single-threaded; measured in the report of the change)
# Files of Pagefind's own search UIs, which the site does not use (search.js talks to pagefind.js).
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
INDEXED_MARK = b"data-pagefind-body"  # the attribute the templates put on what Pagefind indexes
# Entity pages are mostly their lists of statements, which search leaves out: Pagefind indexes only what
# `data-pagefind-body` holds, but it parses the whole page. At 10,000 statements the people's pages are
# 84 MB and their heads and indexed parts 4.6 MB: Pagefind took 1.6-1.8 s over the pages and 0.45-0.51 s
# over copies cut to those parts, which took 0.10 s to make in memory, with the same index (measured on
# every entity kind). So entity shards are indexed from cut copies (`cut_page`). A statement page is mostly
# what is indexed (a year's pages: 14.0 MB, cut 11.7 MB) and has no end mark, so it is copied whole: the
# copies are made in name order, which fixes the order Pagefind numbers the pages in (`cut_pages`).
# _entity.html puts this comment right after the element it marks `data-pagefind-body`.
INDEXED_END = b"<!-- end of what search indexes -->"
# Where the cut copies and Pagefind's output are made: in memory (tmpfs). On the disk of the machine
# measured, each new folder and file often cost about a millisecond of system time (the 2,085 people's
# copies: 0.2 to 3.4 s, up to all that cutting saves; their bundle is 2,100 files more). Where there is no such
# folder, or it is full, Pagefind reads the whole pages and writes into the staging folder: the same
# index, though its pages may be numbered in another order (`cut_pages`), so the bundle's bytes can differ.
MEMORY_FOLDER = Path("/dev/shm")
SCRATCH_PREFIX = "statement-archive-search-"  # ending in "-" and the process id: a killed build's is removed


def shard_of(url: str) -> str | None:
    """The index shard of a page from its site path ("statements/2023/02/26/x/" -> "statements-2023",
    "people/x/" -> "people"); None for pages that are not indexed (home, lists, search, redirects' kinds...)."""
    year = statement_year_of(url)
    if year is not None:
        return STATEMENT_SHARD_PREFIX + year
    return entity_kind_of(url)


def all_shards_of(urls) -> list[str]:
    """The sorted shard names of some page URLs (pages in no shard are skipped)."""
    return sorted({shard for shard in map(shard_of, urls) if shard is not None})


def shard_glob(shard: str) -> str:
    """The output files of a shard's pages, as Pagefind's --glob (relative to the site folder)."""
    if shard.startswith(STATEMENT_SHARD_PREFIX):
        return statement_pages_glob(shard.removeprefix(STATEMENT_SHARD_PREFIX))
    return entity_pages_glob(shard)


def pagefind_command(folder: Path) -> list[str] | None:
    """The Pagefind command for a folder (without --glob and output), or None when pagefind is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    if binary is None:
        return None
    return [str(binary), "--site", str(folder), "--silent"]


def indexed_shards(folder: Path) -> list[str]:
    """The shards of the pages in a built folder that carry Pagefind's body mark (redirects do not)."""
    found: set[str] = set()
    for current, subfolders, names in os.walk(folder):
        relative = os.path.relpath(current, folder).replace(os.sep, "/")
        site_path = "" if relative == "." else relative + "/"
        if site_path == PAGEFIND_URL:
            subfolders[:] = []
            continue
        shard = shard_of(site_path)
        if shard is None or shard in found or "index.html" not in names:
            continue
        if INDEXED_MARK in (Path(current) / "index.html").read_bytes():
            found.add(shard)
    return sorted(found)


def index_folder(folder: Path) -> None:
    """Index a whole built folder: every shard is (re)built; raise SearchIndexFailed if Pagefind fails."""
    shards = indexed_shards(folder)
    index_shards(folder, shards, shards)


def index_shards(folder: Path, stale: Iterable[str], all_shards: Iterable[str], starting=None, stop=None) -> None:
    """(Re)index the `stale` shards of a built folder, remove shards not in `all_shards`, and write the list
    the search page reads. Other shards are left as they are, file for file. A shard in `all_shards` whose
    bundle is missing is indexed too, so the list never names a bundle that is not there. `starting` (a
    threading.Event) is set as a Pagefind process starts: see incremental._fill. Once `stop` (another) is set,
    a build interrupted, no Pagefind process starts and those running are ended: the build removes the folder."""
    all_shards = sorted(set(all_shards))
    root = folder / PAGEFIND_URL
    if root.exists() and not root.is_dir():
        root.unlink()
    root.mkdir(exist_ok=True)
    keep = set(all_shards) | {PAGEFIND_SHARDS_URL.removeprefix(PAGEFIND_URL)}
    for entry in sorted(root.iterdir()):  # removed shards, and anything an older layout left
        if entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    missing = {s for s in all_shards if not (folder / pagefind_bundle_url(s) / "pagefind.js").is_file()}
    todo = sorted((set(stale) & set(all_shards)) | missing)
    if todo:
        remove_killed_scratch()
        if pagefind_command(folder) is None:
            raise SearchIndexFailed([Problem("pagefind", 1, "Pagefind is not installed, so the search index "
                                             "cannot be built", ERROR,
                                             "run: .venv/bin/pip install -e . (it installs pagefind[bin])")])
        with ThreadPoolExecutor(max_workers=PAGEFIND_JOBS) as pool:
            failures = [p for p in pool.map(lambda shard: _index_shard(folder, shard, starting=starting, stop=stop), todo)
                        if p]
        if failures:
            raise SearchIndexFailed(failures[:1])
    try:
        listing = json.dumps({"shards": [{"name": shard, "sorts": bundle_sorts(folder / pagefind_bundle_url(shard))}
                                         for shard in all_shards]}, indent=1) + "\n"
    except (OSError, ValueError, KeyError, TypeError, IndexError, cbor2.CBORDecodeError) as exc:
        raise SearchIndexFailed([Problem("pagefind", 1, f"the Pagefind index is not in the expected format ({exc})",
                                         ERROR, "use the Pagefind version pinned in pyproject.toml")]) from exc
    shards_file = folder / PAGEFIND_SHARDS_URL
    if not shards_file.is_file() or shards_file.read_text(encoding="utf-8") != listing:
        # A new file, never a write into the old one: in the build's shadow folder it is a hard
        # link to the published file, which must not change before the swap.
        shards_file.unlink(missing_ok=True)
        shards_file.write_text(listing, encoding="utf-8")


def bundle_sorts(bundle: Path) -> list[str]:
    """The sort keys a bundle's pages have. The search page needs them: sorted by a key a bundle lacks,
    Pagefind keeps all its results in relevance order, where one index would have left them out."""
    names = set()
    for language in json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"].values():
        meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
        names.update(name for name, _ in meta[4])
    return sorted(names)


def cut_page(html: bytes) -> bytes:
    """A page cut to what Pagefind reads of it: its head, and the element marked `data-pagefind-body` up
    to INDEXED_END. A page that lacks either (a redirect, say) is left whole, as Pagefind would see it."""
    body, mark, end = html.find(b"<body"), html.find(INDEXED_MARK), html.rfind(INDEXED_END)
    start = html.rfind(b"<", 0, mark) if mark >= 0 else -1
    if not 0 <= body < start < end:
        return html
    return html[:body] + b"<body>\n" + html[start:end] + b"\n</body>\n</html>\n"


def cut_pages(folder: Path, shard: str, into: Path) -> None:
    """Copy a shard's pages from a built folder into `into`, at the same paths, each cut (`cut_page`).

    In sorted order: Pagefind numbers pages in the order it lists their files, which on a disk follows a
    hash of the names seeded per file system, and in memory the order the files were made."""
    for path in sorted(folder.glob(shard_glob(shard))):
        target = into / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cut_page(path.read_bytes()))


def _memory_scratch(stack: contextlib.ExitStack) -> Path | None:
    """A new folder in memory, removed when `stack` closes; None where there is no such memory."""
    if not MEMORY_FOLDER.is_dir():
        return None
    try:
        return Path(stack.enter_context(tempfile.TemporaryDirectory(
            prefix=SCRATCH_PREFIX, suffix=f"-{os.getpid()}", dir=MEMORY_FOLDER, ignore_cleanup_errors=True)))
    except OSError:
        return None


def remove_killed_scratch() -> None:
    """Remove the folders in memory of builds that were killed before they could (SIGKILL, power cut):
    memory is held until they go. A folder whose process is alive (another build) is left alone."""
    from .write import owner_pid, pid_alive

    for folder in MEMORY_FOLDER.glob(f"{SCRATCH_PREFIX}*"):
        pid = owner_pid(folder)
        if pid is not None and pid != os.getpid() and not pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _index_shard(folder: Path, shard: str, in_memory: bool = True, starting=None, stop=None) -> Problem | None:
    """Run Pagefind for one shard and make its output deterministic; a Problem if that failed.

    In memory where there is some: a shard is indexed from copies of its pages made in name order (so
    its bytes do not depend on the file system's listing order), cut where they can be, and where
    the shard has a bundle already, Pagefind writes the new one there, to be brought level with the old
    file by file (`_bring_level`). If that fails (memory full, say), the shard is indexed again from the
    pages straight into the folder."""
    if stop is not None and stop.is_set():
        return STOPPED
    bundle = folder / pagefind_bundle_url(shard)
    with contextlib.ExitStack() as stack:
        scratch = _memory_scratch(stack) if in_memory else None
        site = folder
        if scratch is not None:
            try:
                cut_pages(folder, shard, scratch / "site")
                site = scratch / "site"
            except OSError:
                pass  # the pages themselves, then
        if scratch is not None and bundle.is_dir() and not bundle.is_symlink():  # a bundle to bring level
            problem = _run_pagefind(site, shard, scratch / "bundle", starting, stop)
            if problem is None:
                try:
                    _bring_level(scratch / "bundle", folder, shard)
                    return None
                except OSError:
                    pass
        else:  # no bundle yet (a cold build): all its files are new, written straight into the folder
            shutil.rmtree(bundle, ignore_errors=True)  # Pagefind does not remove files it no longer needs
            problem = _run_pagefind(site, shard, bundle.absolute(), starting, stop)
            if problem is None or scratch is None:
                return problem
    # What failed with memory, once more without (or STOPPED at once, if that was why).
    return _index_shard(folder, shard, in_memory=False, starting=starting, stop=stop)


def _run_pagefind(site: Path, shard: str, bundle: Path, starting=None, stop=None) -> Problem | None:
    """Index a shard's pages in `site` into `bundle`, made deterministic, without the files the site does not use."""
    full = pagefind_command(site) + ["--glob", shard_glob(shard), "--output-path", str(bundle)]
    if starting is not None:
        starting.set()
    if stop is not None and stop.is_set():  # while the shard's pages were copied
        return STOPPED
    try:
        returncode, output = _until_done(full, stop)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Problem("pagefind", 1, f"Pagefind could not run: {exc}", ERROR,
                       "reinstall it: .venv/bin/pip install --force-reinstall 'pagefind[bin]'")
    if returncode is None:
        return STOPPED
    if returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = output.splitlines()[-1] if output else f"exit status {returncode}"
        return Problem("pagefind", 1, f"Pagefind failed to index the site: {detail}", ERROR,
                       "check that the disk has room and build again; if it fails the same way, reinstall Pagefind: "
                       ".venv/bin/pip install --force-reinstall 'pagefind[bin]'")
    try:
        normalise_filters(bundle)
    except (OSError, ValueError, KeyError, TypeError, IndexError, cbor2.CBORDecodeError) as exc:
        return Problem("pagefind", 1, f"the Pagefind index is not in the expected format ({exc})",
                       ERROR, "use the Pagefind version pinned in pyproject.toml")
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    return None


def _until_done(command: list[str], stop=None) -> tuple[int | None, str]:
    """Run `command` to its end (its exit status and output), or until `stop` is set (None, and it is ended)."""
    deadline = time.monotonic() + PAGEFIND_TIMEOUT
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        while True:
            try:
                output, _ = process.communicate(timeout=STOP_POLL_SECONDS)
                return process.returncode, output.strip()
            except subprocess.TimeoutExpired:
                stopped = stop is not None and stop.is_set()
                if stopped or time.monotonic() > deadline:
                    process.kill()
                    process.communicate()
                    if stopped:
                        return None, ""
                    raise subprocess.TimeoutExpired(command, PAGEFIND_TIMEOUT) from None


def _bring_level(made: Path, folder: Path, shard: str) -> None:
    """Make the shard's bundle (a folder) in `folder` hold what Pagefind wrote into `made`, writing only the
    files whose bytes changed and removing those no longer made. The others keep their inode and time: in an
    incremental build they are hard links to the published files, and an upload by time or checksum skips them."""
    from .incremental import remove_file, write_file

    base = pagefind_bundle_url(shard)
    bundle = folder / base
    new = {path.relative_to(made).as_posix(): path for path in made.rglob("*") if path.is_file()}
    old = {path.relative_to(bundle).as_posix(): path for path in bundle.rglob("*")
           if path.is_file() or path.is_symlink()}
    for relative in sorted(set(old) - set(new)):
        remove_file(folder, base + relative)
    for relative, path in sorted(new.items()):
        data = path.read_bytes()
        target = old.get(relative)
        if target is None or target.is_symlink() or target.stat().st_size != len(data) or target.read_bytes() != data:
            write_file(folder, base + relative, data)


PAGEFIND_HEADER = b"pagefind_dcd"


def read_pagefind_file(path: Path):
    """A Pagefind data file: gzip around a fixed header and one CBOR value."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(PAGEFIND_HEADER):
        raise ValueError(f"{path.name} does not start with the Pagefind header")
    return cbor2.loads(raw[len(PAGEFIND_HEADER):])


def write_pagefind_file(folder: Path, stem: str, suffix: str, value) -> str:
    """Write a Pagefind data file named by its content hash (as Pagefind does); return the new stem."""
    data = gzip.compress(PAGEFIND_HEADER + cbor2.dumps(value), compresslevel=9, mtime=0)
    prefix, _, old_digest = stem.rpartition("_")
    new_stem = f"{prefix}_{hashlib.sha256(data).hexdigest()[: len(old_digest)]}"
    (folder / f"{new_stem}{suffix}").write_bytes(data)
    return new_stem


def normalise_filters(bundle: Path) -> None:
    """Sort filter values (and filters) in Pagefind's output so the bytes do not depend on the run."""
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_stem = language["hash"]
        meta_path = bundle / f"pagefind.{meta_stem}.pf_meta"
        meta = read_pagefind_file(meta_path)
        version, filters, sorts = meta[0], meta[3], meta[4]
        if not isinstance(version, str) or not all(len(f) == 2 and isinstance(f[1], str) for f in filters):
            raise ValueError(f"unknown layout of {meta_path.name}")
        renamed = []
        for name, stem in filters:
            path = bundle / "filter" / f"{stem}.pf_filter"
            filter_name, values = read_pagefind_file(path)
            values = sorted([value, sorted(pages)] for value, pages in values)
            path.unlink()
            renamed.append([name, write_pagefind_file(bundle / "filter", stem, ".pf_filter", [filter_name, values])])
        meta[3] = sorted(renamed)
        meta[4] = sorted(sorts, key=lambda s: s[0])
        meta_path.unlink()
        new_meta_stem = write_pagefind_file(bundle, f"pagefind.{meta_stem}", ".pf_meta", meta).removeprefix("pagefind.")
        if entry_text.count(f'"{meta_stem}"') != 1:
            raise ValueError("pagefind-entry.json does not name its index exactly once")
        entry_text = entry_text.replace(f'"{meta_stem}"', f'"{new_meta_stem}"')
    entry_path.write_text(entry_text, encoding="utf-8")
