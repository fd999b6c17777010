"""Stage 4, index: statements by entity and by date, neighbours and related statements.

Input: resolved Statements and the Registry. Output: a SiteIndex, plus Problems for
URLs that two files would both claim. Nothing here compares all pairs of statements.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import posixpath
from collections import Counter
from html import unescape
from typing import NamedTuple
from urllib.parse import urlsplit

from .citations import STATEMENT_FILES
from .markup import PARAGRAPH_ID
from .entities import enclosing, slugify
from .model import ENTITY_KINDS, ERROR, WARNING, Appearance, Body, Problem, Ref, SiteIndex, Statement
from .urls import (PAGEFIND_URL, date_folder, date_folders_of, entity_url, link_values, list_url, output_file,
                   statement_path, statement_url)

RELATED_COUNT = 5
# An entity that appears in very many statements says little about relatedness, and
# scanning its whole list for every statement would make the build quadratic.
RELATED_SCAN_LIMIT = 200

ROLE_LABELS = {
    "speaker": "speaker",
    "issuer": "issued the statement",
    "participant": "taking part",
    "mentioned": "mentioned",
    "event": "event",
    "place": "place",
    "outlet": "reported",
    "author": "author of the report",
}


def statement_roles(statement: Statement) -> list[tuple[Ref, str]]:
    """Every (entity, part) pair a statement involves, in a stable order."""
    pairs = [(statement.outlet, "outlet")]
    if statement.author:
        pairs.append((statement.author, "author"))
    pairs += [(ref, "speaker") for ref in statement.speakers]
    # With no one named as speaking, the organisations are who issued the statement (and its authors in a
    # citation); with speakers, they take part (the speakers' bodies, hosts, organisers), unless quoted.
    quoted = {q.speaker for q in statement.quotes}
    pairs += [(ref, "issuer" if not statement.speakers or ref in quoted else "participant")
              for ref in statement.organisations]
    pairs += [(ref, "mentioned") for ref in statement.mentions]
    if statement.event:
        pairs.append((statement.event, "event"))
    pairs += [(ref, "place") for ref in statement.places]
    return pairs


def places_around(statement: Statement, places: dict) -> list[tuple[Ref, tuple]]:
    """The places a statement's places are within, at any depth, that it does not name itself, each with the places
    it names within it, in its order: given only the Radisson Royal Hotel, [(Moscow, (Radisson Royal Hotel,))], and
    Moscow's country after it when Moscow is within one. A place's page lists these statements too, marked with the
    places they name. One walk up the `within` of each of its places (entities.enclosing), no search of the others."""
    found: dict[Ref, list[Ref]] = {}
    for ref in statement.places:
        for slug in enclosing(places, ref.slug):
            outer = Ref("places", slug)
            if outer in statement.places:  # named itself: listed as any place is, once
                continue
            at = found.setdefault(outer, [])
            if ref not in at:
                at.append(ref)
    return [(outer, tuple(at)) for outer, at in found.items()]


def related_keys(statement: Statement) -> set[tuple[str, str]]:
    """The entities that make two statements related: people, organisations, the event, as (kind, slug);
    mentioned ones too, as each entity's list of statements has them: a statement that names a body is
    related to that body's statement, and the other way round (not places or outlets, which most share)."""
    keys = {(r.kind, r.slug) for r in statement.speakers}
    keys.update((r.kind, r.slug) for r in statement.organisations)
    keys.update((r.kind, r.slug) for r in statement.mentions if r.kind in ("people", "organisations"))
    if statement.event:
        keys.add((statement.event.kind, statement.event.slug))
    return keys


def check_urls(statements: list[Statement], published: dict | None = None) -> list[Problem]:
    """Two statements, or a statement and an alias, must never claim the same URL or output file. `published` is
    {address: path of its file} as the last build published them (nochange.remember_addresses), or empty: with it,
    a new statement at an address published as another's old one is told to take another address, at its own file;
    the old address stays with the statement whose citations lead there."""
    published = published or {}
    problems = []
    owners: dict[str, tuple[Statement, str]] = {}  # output file -> (statement, "page" or "alias")
    ordered = sorted(statements, key=lambda s: s.record.path)
    claims: dict[str, list[Statement]] = {}
    for statement in ordered:
        claims.setdefault(output_file(statement_url(statement)), []).append(statement)
    for file, claimants in claims.items():
        owners[file] = (claimants[0], "page")
        if len(claimants) < 2:
            continue
        for statement in claimants:  # reported in every file, each naming the others
            record = statement.record
            others = ", ".join(s.record.path for s in claimants if s is not statement)
            problems.append(Problem(record.path, record.lines.get("slug", record.lines.get("date", 1)),
                                    f"this statement would have the same URL /{statement_url(statement)} as {others}",
                                    ERROR, f"give one of them a different 'slug:' or file name; "
                                           f"they share the date {record.date} and the slug '{statement.slug}'"))
    # Addresses that differ only in case are one file where the site is copied to macOS, Windows or some hosts.
    folded = {file.casefold(): file for file in owners}
    for statement in ordered:
        for i, alias in enumerate(statement.record.aliases):
            line = statement.record.lines.get(f"aliases[{i}]", statement.record.lines.get("aliases", 1))
            file = output_file(alias)
            if file in owners or file.casefold() in folded:
                other, what = owners[folded[file.casefold()]]
                case = "" if file in owners else ", but for the case of its letters, which many file systems and hosts do not tell apart,"
                hint = "an alias must be an old address that no page uses now; remove it"
                if what == "page" and other is statement:
                    message = f"alias /{alias} is{case} this statement's own address"
                elif what == "page" and published.get(alias) == statement.record.path:
                    # A new page at an old address that the site publishes: the new one moves, the address stays.
                    problems.append(Problem(other.record.path, other.record.lines.get("slug", other.record.lines.get(
                        "date", 1)), f"this statement's address /{other.path} is an old address of "
                        f"{statement.record.path} (in its aliases), which the site publishes: links and citations "
                        "of it lead to that statement", ERROR, "give this statement a different 'slug:' or file name"))
                    continue
                elif what == "page":
                    message = f"alias /{alias} is{case} the address of {other.record.path}"
                    if alias not in published:
                        hint = (f"if this statement was once published at /{alias}, keep the alias and give "
                                f"{other.record.path} a different 'slug:' or file name; if not, remove the alias")
                else:
                    message = f"alias /{alias} is{case} already an alias of {other.record.path}"
                problems.append(Problem(statement.record.path, line, message, ERROR, hint))
            elif date_folder(alias) is not None:
                problems.append(Problem(statement.record.path, line,
                                        f"alias /{alias} is a folder of statements by date, which leads readers to "
                                        "those statements on the timeline", ERROR,
                                        "aliases are old statement addresses such as /statements/2025/03/20/old-slug/"))
            elif not alias.startswith("statements/"):
                problems.append(Problem(statement.record.path, line,
                                        f"alias /{alias} is outside /statements/ and could hide a page of the site", ERROR,
                                        "aliases are old statement addresses such as /statements/2025/03/20/old-slug/"))
            else:
                owners[file] = (statement, "alias")
                folded[file.casefold()] = file
    # A file may not also be a folder: "statements/a.html" and "statements/a.html/index.html".
    folders = {parent for file in owners for parent in _parents(file)}
    for file, (statement, what) in sorted(owners.items()):
        if what == "alias" and file in folders:
            i = next(i for i, a in enumerate(statement.record.aliases) if output_file(a) == file)
            problems.append(Problem(statement.record.path, statement.record.lines.get(f"aliases[{i}]", 1),
                                    f"alias /{statement.record.aliases[i]} is a folder of another page's address", ERROR,
                                    "end the alias with '/' or choose another old address"))
        elif what == "alias":  # nor a folder where the files beside a page are: ".../slug/statement.json/"
            for parent in _parents(file):
                folder, _, name = parent.rpartition("/")
                beside = owners.get(output_file(folder + "/")) if name in STATEMENT_FILES else None
                if beside:
                    i = next(i for i, a in enumerate(statement.record.aliases) if output_file(a) == file)
                    problems.append(Problem(statement.record.path, statement.record.lines.get(f"aliases[{i}]", 1),
                                            f"alias /{statement.record.aliases[i]} would make a folder of /{parent}, "
                                            f"a file of {beside[0].record.path}", ERROR,
                                            "an alias must be an old address of a page; remove it"))
    return problems + same_report(ordered, published)


def _report_key(url: str) -> str:
    """The article an address leads to: scheme, 'www.', fragment and a final '/' aside."""
    url = url.split("#", 1)[0].rstrip("/")
    url = url.split("://", 1)[-1]
    return url[4:] if url.startswith("www.") else url


def moved_paragraphs(statements: list[Statement], published) -> list[Problem]:
    """Paragraph anchors that an edit would move or take away: a paragraph added or removed without a pin (markup.py)
    renumbers every paragraph after it, and a citation of #p3 would then lead to other words, with nothing to show
    it; a paragraph removed, or a pin taken away, leaves a citation of its anchor finding no paragraph.
    `published(statement)` gives the statement as the site now has it: (id, text) of each paragraph, the number
    of its corrections and its title, or None. A title changed with no new correction is told too: every citation
    of the statement quotes it. Once such an edit is published, that is what the site has: `check` before the
    build tells, and so does that build."""
    problems = []
    for statement in statements:
        old = published(statement)
        if not old:
            continue
        paragraphs, corrections, title = old
        now = {p.id: p.text for p in statement.body.paragraphs}
        record = statement.record
        corrected = len(record.corrections) > corrections
        if title != record.title and not corrected:
            problems.append(Problem(record.path, record.lines.get("title", 1), (
                "the title as published would read otherwise, and the record says nothing of it: citations of the "
                "statement, which quote the title, would no longer match"), WARNING,
                "if this corrects a mistake of the archive, add an entry to corrections that says what was changed, "
                "as the README says under Changing a published record; an outlet's headline stays as published"))
        found = (_moved_anchor(paragraphs, now, corrected) or _gone_anchors(paragraphs, now, corrected)
                 or (None if corrected else _changed_words(paragraphs, now)))
        if found:
            message, hint, at = found
            problems.append(Problem(record.path, _paragraph_line(record, now.get(at, "")), message, WARNING, hint))
    return problems


def addresses_gone(statements: list[Statement], entities: dict, published: dict, published_record,
                   on_disk) -> list[Problem]:
    """Published addresses that a build would no longer make: a statement's or registry entry's file renamed or
    removed, its date or slug changed, or an old address taken out of `aliases` or `old_urls`, with none left to
    keep the address. A statement is cited by its address, and a person or body followed by theirs, so each such
    link would break. `entities` are the registry's, by kind and slug; `published` is {address: path of its file} as
    the last build published them (nochange.remember_addresses); `published_record(address)` is the statement.json
    published there, or None. Told at the file that has the statement or entry now: the same file, else a file new
    since that build with the same source_url or title (an entry: whose name or alias gives the old slug); else at
    the file that was removed. A file still there that gives nothing (`on_disk(path)`) has errors of its own."""
    made = {statement.path for statement in statements}
    made.update(alias for statement in statements for alias in statement.record.aliases)
    entries = {entity.path: entity for kind in ENTITY_KINDS for entity in entities.get(kind, {}).values() if entity.path}
    made.update(entity_url(entity.kind, entity.slug) for entity in entries.values())
    made.update(old for entity in entries.values() for old in entity.old_urls)
    gone: dict[str, list[str]] = {}
    for url, path in published.items():
        if url not in made:
            gone.setdefault(path, []).append(url)
    if any(not path.startswith(STATEMENTS_FOLDER) for path in gone):  # a name in statements may keep an entry's page
        named = {entity_url(ref.kind, ref.slug) for statement in statements for ref, _ in statement_roles(statement)}
        gone = {path: kept for path, urls in gone.items() if (kept := [url for url in urls if url not in named])}
    if not gone:
        return []
    kept = set(published.values())
    by_path = {statement.record.path: statement.record for statement in statements}
    new = [record for path, record in sorted(by_path.items()) if path not in kept]
    problems = []
    for path, urls in sorted(gone.items()):
        urls.sort()
        addresses = " and ".join(", ".join(f"/{url}" for url in urls).rsplit(", ", 1))
        them = "them" if len(urls) > 1 else "it"
        if not path.startswith(STATEMENTS_FOLDER):
            problems += _entry_gone(path, urls, addresses, entries, kept, on_disk)
            continue
        now = by_path.get(path) or _moved_to(published_record(urls[0]) or {}, new)
        if now is None and on_disk(path):
            continue
        if now is None:
            problems.append(Problem(path, 1, (
                f"this file is gone, and with it the published statement at {addresses}: links and citations of "
                f"{them} would break"), WARNING,
                "to take a statement back, keep its file and mark it withdrawn, with a date and a reason, and its "
                "address stays; if it moved to another file, list the old address under that file's aliases, as the "
                "README says under Addresses"))
            continue
        problems.append(Problem(now.path, now.lines.get(_moved_by(now, urls, published), 1), (
            f"this statement was published at {addresses}, which a build would no longer make: links and "
            f"citations of {them} would break"), WARNING,
            f"add {them} to this file's aliases (aliases: [{', '.join(f'/{url}' for url in urls)}]), and the old "
            "address leads here, as the README says under Addresses"))
    return problems


STATEMENTS_FOLDER = "content/statements/"


def _entry_gone(path: str, urls: list[str], addresses: str, entries: dict, kept: set, on_disk) -> list[Problem]:
    """addresses_gone's problem for a registry entry's addresses: at the entry's file, else at a file new since
    the last build of the same kind whose name or an alias gives the old slug, else at the file removed."""
    folder = path.rpartition("/")[0] + "/"
    slugs = {url.rstrip("/").rpartition("/")[2] for url in urls}
    now = entries.get(path) or next(
        (entity for other, entity in sorted(entries.items()) if other not in kept and other.startswith(folder)
         and slugs & {slugify(name) for name in (entity.name, *entity.aliases)}), None)
    them = "them" if len(urls) > 1 else "it"
    if now is None:
        return [] if on_disk(path) else [Problem(path, 1, (
            f"this file is gone, and with it the published page at {addresses}: links to {them} would break"), WARNING,
            "if the entry moved to another file, or was merged into one, list the old address under that file's "
            "old_urls, as the README says under Addresses")]
    return [Problem(now.path, 1, (
        f"this entry was published at {addresses}, which a build would no longer make: links to {them} would break"),
        WARNING, f"add {them} to this file's old_urls (old_urls: [{', '.join(f'/{url}' for url in urls)}]), and the "
        "old address leads here, as the README says under Addresses")]


def _moved_to(old: dict, new: list):
    """The record, among the `new` files' records, of the statement published as `old` (its statement.json): the
    same source_url, else the same title."""
    return (next((r for r in new if old.get("source_url") and r.source_url == old["source_url"]), None)
            or next((r for r in new if old.get("title") and r.title == old["title"]), None))


def _moved_by(record, urls: list[str], published: dict) -> str:
    """The key of `record` that took its published addresses `urls` away: `aliases` when its address is still the
    published one, else `date` or `slug` as its address differs from the first of them (none for a file renamed)."""
    address = statement_path(record.date, record.slug)
    if published.get(address) == record.path:
        return "aliases"
    if not urls[0].startswith(address.rsplit("/", 2)[0] + "/"):  # statements/YYYY/MM/DD/ of the address
        return "date"
    return "slug" if "slug" in record.lines else ""


def _paragraph_line(record, text: str) -> int:
    """The file's line where the paragraph of `text` begins, found by its first words: the paragraph to pin or to
    look at, not the text's first line. The text's first line when they are not found as written (Markdown may have
    changed them: an escape, an entity)."""
    words = text.split()[:4]
    found = re.search(r"\s+".join(map(re.escape, words)), record.body) if words else None
    return record.lines.get("(body)", 1) + (record.body.count("\n", 0, found.start()) if found else 0)


def _first_ids(now: dict[str, str]) -> dict[str, str]:
    """Each text of the paragraphs `now` (id: text) and the first id that holds it."""
    ids: dict[str, str] = {}
    for pid, text in now.items():
        ids.setdefault(text, pid)
    return ids


def _moved_anchor(old: list[tuple[str, str]], now: dict[str, str], corrected: bool) -> tuple[str, str, str] | None:
    """The message and hint for the first published anchor that would lead to other words, if any, and the id of the
    paragraph to tell them at. Where a paragraph was removed with its words, and no new correction says so, the hint
    says that too: pinned, the next check would say it alone."""
    order = {pid: i for i, pid in enumerate(now)}
    moved_to = _first_ids(now)
    for i, (pid, text) in enumerate(old):
        there = moved_to.get(text)
        if pid not in now or now[pid] == text or there is None or there == pid:
            continue
        also = ""
        if order[there] > order[pid]:  # its words went down: a paragraph was added above them
            before = old[i - 1][0] if i else ""
            fix = (f"pin the paragraph added after #{before} as {{#{before}a}}, at its end" if before else
                   "no id comes before #p1, so a paragraph added before the first cannot be pinned: join it to "
                   "the first paragraph, or let the numbers move")
        else:  # they went up: a paragraph above them was removed
            fix = f"put {{#{pid}}} at the end of the paragraph that was #{pid}, now #{there}"
            texts = set(now.values())
            removed = [gone for gone, text in old[:i] if text not in texts]
            if removed and not corrected:
                also = (f"; the words of #{removed[-1]} are gone: add an entry to corrections that says what was "
                        "removed, as the README says under Changing a published record")
        return (f"paragraph #{pid} as published would hold other words, and its own would be #{there}: links and "
                f"citations of #{pid} would lead to the wrong paragraph",
                f"a paragraph added or removed above it moves the numbers after it; {fix}, as the README says under "
                f"Addresses{also}",
                pid if order[there] > order[pid] else there)  # told at the paragraph added, or where the pin goes
    return None


def _gone_anchors(old: list[tuple[str, str]], now: dict[str, str], corrected: bool) -> tuple[str, str, str] | None:
    """The message and hint for published anchors that no paragraph would have: a pin taken away from words that are
    still there, or paragraphs removed with no new entry in `corrections` to tell the reader who follows a link to
    them (the page points such a reader to the corrections)."""
    ids = _first_ids(now)
    gone = [(pid, ids.get(text)) for pid, text in old if pid not in now]
    texts = set(now.values())
    for pid, there in gone:
        if there is not None:
            # Its pin taken away, or a paragraph above it removed (which moved its words up a number); in the latter
            # case the removed words want a correction too.
            removed = [earlier for earlier, text in old[:[p for p, _ in old].index(pid)] if text not in texts]
            also = (f"; the words of #{removed[-1]} are gone: add an entry to corrections that says what was removed, "
                    "as the README says under Changing a published record") if removed and not corrected else ""
            return (f"paragraph #{pid} as published would be gone, and its words would be #{there}: links and citations "
                    f"of #{pid} would find no paragraph",
                    f"pin {{#{pid}}} at the end of the paragraph that is now #{there}, which holds its words, as the "
                    f"README says under Addresses{also}", there)
    if not gone or corrected:
        return None
    ids_gone = " and ".join(", ".join(f"#{pid}" for pid, _ in gone).rsplit(", ", 1))
    return (f"{'paragraphs' if len(gone) > 1 else 'paragraph'} {ids_gone} as published would be gone with "
            f"{'their' if len(gone) > 1 else 'its'} words: links and citations of {ids_gone} would find no paragraph",
            "if the words were removed on purpose, add an entry to corrections that says what was removed and why, as "
            "the README says under Changing a published record: the page points a reader who follows such a link to "
            "the corrections", "")  # told at the text's first line: the words are no longer there


def _changed_words(old: list[tuple[str, str]], now: dict[str, str]) -> tuple[str, str, str] | None:
    """The message and hint for published paragraphs whose words an edit changes in place, with no new entry in
    `corrections`: a reader who cited one would find other words there, and nothing to say why (README: "A mistake of
    the archive ... add an entry to corrections"). Told at the first of them."""
    changed = [pid for pid, text in old if pid in now and now[pid] != text]
    if not changed:
        return None
    ids = " and ".join(", ".join(f"#{pid}" for pid in changed).rsplit(", ", 1))
    return (f"{'paragraphs' if len(changed) > 1 else 'paragraph'} {ids} as published would read otherwise, and the "
            "record says nothing of it: readers who cited the words would find others",
            "if this corrects a mistake of the archive, add an entry to corrections that says what was changed, as the "
            "README says under Changing a published record; a mistake of the article itself stays as published",
            changed[0])


def _added_order(statements: list[Statement], published: dict | None) -> list[Statement]:
    """The statements in the order the archive took them in, as far as it can tell: those the last build published
    (`published`, {address: path of its file}) first, then by `added`, else date, then file. A file copied from a
    published one keeps its `added` and date, and its name may sort first; the copy is still the one added later."""
    unpublished = _never_published(published)
    return sorted(statements, key=lambda s: (unpublished(s), s.record.added or s.record.date, s.record.path))


def _never_published(published: dict | None):
    """Whether a statement is neither at an address nor in a file the last build published; with no record of that
    build (a first build, the cache deleted), no statement is."""
    files = set((published or {}).values())
    return lambda statement: bool(files) and statement.record.path not in files and statement.path not in published


def same_statements(statements: list[Statement], text_key, published: dict | None = None) -> list[Problem]:
    """Statements alike: the very same text (`text_key(record)`, a hash of it), a file copied or an article imported
    again without its `source_url` (same_report finds those with it), which readers would find twice; or one title
    on one date with different texts, which lists, feeds and citations show alike, so that a reader cannot tell
    which is which (most often a file copied as a start, its title and date kept). One pass, in one order: an edit
    makes it over the whole archive."""
    by_text: dict[str, Statement] = {}
    by_title: dict[tuple, Statement] = {}
    problems = []
    # Told on the file added last (_added_order), naming the earlier: a draft imported again is told so, and the
    # published file is not the one an editor is led to delete.
    for statement in _added_order(statements, published):
        record = statement.record  # its text is not read: a kept statement's comes back from the cache only if needed
        same_text = by_text.setdefault(text_key(record), statement)
        same_title = by_title.setdefault((record.date, " ".join(record.title.casefold().split())), statement)
        first = same_text if same_text is not statement else same_title
        if first is statement or (record.source_url and first.record.source_url
                                  and _report_key(record.source_url) == _report_key(first.record.source_url)):
            continue
        if first is same_text:
            problems.append(Problem(record.path, record.lines.get("(body)", 1), f"the text is the same as that of "
                                    f"{first.record.path}", WARNING,
                                    "if this is the same statement added twice, delete one of the files"))
        else:  # the first of its text, so the first of its title has another
            problems.append(Problem(record.path, record.lines.get("title", 1), f"title: {first.record.path} has the "
                                    f"same title and date ({record.date}), so lists and citations show the two alike",
                                    WARNING, "if this file was copied from that one, correct its title and date; if "
                                             "they are two statements, give this one a title that tells it apart "
                                             "(who spoke, or where)"))
    return problems


def unpublished_changes(statements: list[Statement], published: dict, moved: set = frozenset()) -> list[Problem]:
    """`corrections` and `withdrawn` tell readers what changed in a published statement; a statement the site has
    never published has neither, unless its file was copied from one that has (the reader would be told of changes
    to a text never published). `published` is the last build's record of addresses: empty, nothing is said.
    `moved` holds the files that addresses_gone found to have a published statement now (a file renamed, its old
    address not yet in `aliases`): published, under another address, and told so."""
    never_published = _never_published(published)
    problems = []
    for statement in statements:
        record = statement.record
        changes = [("corrections", c.line) for c in record.corrections[:1]] + (
            [("withdrawn", record.withdrawn.line)] if record.withdrawn else [])
        if not changes or not never_published(statement) or record.path in moved \
                or any(alias in published for alias in record.aliases):
            continue
        for key, line in changes:
            problems.append(Problem(record.path, line, f"{key}: this statement has not been published yet, so there "
                                    f"is nothing to {'correct' if key == 'corrections' else 'withdraw'}", WARNING,
                                    f"if this file was copied from another statement, remove the '{key}' it "
                                    "took from that one; if it was published under another address, add that "
                                    "address to its 'aliases'"))
    return problems


def same_report(statements: list[Statement], published: dict | None = None) -> list[Problem]:
    """Statements with the same `source_url`: one report is one statement here, so the second is most likely
    the same article added twice (by `build.py import`, say), which readers would find twice. Told on those after
    the first published (the published file is not the one an editor is led to delete), else the first by file."""
    by_report: dict[str, list[Statement]] = {}
    for statement in sorted(statements, key=_never_published(published)):
        if statement.record.source_url:
            by_report.setdefault(_report_key(statement.record.source_url), []).append(statement)
    problems = []
    for claimants in by_report.values():
        for statement in claimants[1:] if len(claimants) > 1 else ():
            record = statement.record
            problems.append(Problem(record.path, record.lines.get("source_url", 1),
                                    f"source_url: {claimants[0].record.path} reports the same article", WARNING,
                                    "if this is the same statement added twice, delete one of the files"))
    return problems


def _only_plain_hrefs(html: str) -> bool:
    """Whether every link of `html` is written href="…", as sanitised HTML writes them all (and it has no src, which
    sanitised HTML never keeps): then counting that spelling says all there is."""
    lower = html.lower()
    return lower.count("href") == html.count('href="') and "src" not in lower


def _site_path(href: str, page: str, site_url: str) -> str | None:
    """The site path (no leading "/") a text's link leads to, or None for a link out of the site or within
    its page (#p3). A relative link is read from the text's page: "../../people/x/" on /statements/a/b/."""
    parts = urlsplit(href)
    if parts.netloc:  # a full address: the site's own when it has base_url's host and begins with its path
        site = urlsplit(site_url)
        same = site_url and parts.netloc.lower() == site.netloc.lower() and parts.path.startswith(site.path)
        return parts.path[len(site.path):] if same else None
    if parts.scheme or not parts.path:
        return None
    base = "/site/" if parts.path.startswith("/") else "/site/" + page  # "/site/": to see a relative link climb out
    resolved = posixpath.normpath(posixpath.join(base, parts.path.lstrip("/")))
    if resolved == "/site":  # the site's root: its home page
        return ""
    if not resolved.startswith("/site/"):
        return "../"  # above the site's root: under a sub-path, out of the site
    return resolved[len("/site/"):] + ("/" if parts.path.endswith("/") else "")


def links_into_site(statement: Statement, trusted: bool = True) -> tuple:
    """Where a statement's text links that may be into this site: "" for a link from the site's root or relative
    to its page, and the host ("example.org") of each full address, which is the site's when base_url has that
    host. Only the texts that may link into the site are read for links (check_links); what this gives is kept
    between builds, whatever the base_url, so a text whose links all lead elsewhere is not read again."""
    html = "".join(block.html for block in statement.body.blocks)
    # None, or only links within the page, such as the ¶ links. Sanitised HTML writes every link href="…"; HTML
    # the site trusts (`trusted`, trust_html) may write one otherwise, which counting that spelling misses.
    if html.count('href="') == html.count('href="#') and (not trusted or _only_plain_hrefs(html)):
        return ()
    found = set()
    for href in link_values(html):
        parts = urlsplit(unescape(href))
        if parts.netloc:
            found.add(parts.netloc.lower())
        elif not parts.scheme and parts.path:
            found.add("")
    return tuple(sorted(found))


def check_links(statements: list[Statement], entities: dict, records: dict, published, may_link=links_into_site,
                site_url: str = "") -> list[Problem]:
    """Links in texts into this site must lead to a page or file the build publishes, and a link to a statement's
    paragraph to a paragraph it has.

    A link is into the site when it is written from the site's root (/people/x/), relative to the text's own page
    (../../people/x/) or with the site's full address (`site_url`, base_url with its host, as the page's
    permalink box gives it): a typo, a removed file or a file the build does not publish (a PDF, say: it
    publishes nothing but what it makes) would be a broken link. `published()` gives every site path the build
    publishes but Pagefind's (pages end in "/", or are files such as 404.html); it is called only if a text
    links into the site. `may_link(statement)` is links_into_site, or the build's, which remembers it for
    texts it has seen.
    """
    pages: dict[str, Body] = {}  # a statement's site paths -> its body (for its paragraph ids)
    for statement in statements:
        pages[statement_url(statement)] = statement.body
        for path in statement.record.aliases:
            pages[path] = statement.body
    # Most links are to a statement or an entity: those are known at once; the rest only if a link needs them.
    known = {list_url(kind) for kind in entities} | {entity_url(kind, slug) for kind in entities for slug in entities[kind]}
    everything: set[str] = set()

    def exists(site_path: str) -> bool:
        if site_path in known:
            return True
        if not everything:
            everything.update(published())
        return site_path in everything

    problems = []
    origin = urlsplit(site_url).netloc.lower()
    for statement in sorted(statements, key=lambda s: s.record.path):
        if not {"", origin}.isdisjoint(may_link(statement)):  # most texts link nowhere on the site
            html = "".join(block.html for block in statement.body.blocks)
            record = statement.record
            problems += _broken_links(html, record.path, lambda: record.body, record.lines, pages, exists,
                                      statement_url(statement), site_url)
    for kind, kind_records in records.items():
        for record in kind_records:
            entity = entities.get(kind, {}).get(record.slug)
            if entity is not None and entity.path == record.path and entity.body_html:
                problems += _broken_links(entity.body_html, record.path, lambda: record.body, record.lines, pages,
                                          exists, entity_url(kind, record.slug), site_url)
    return problems


def _broken_links(html: str, path: str, text, lines: dict, pages: dict, exists, page: str,
                  site_url: str) -> list[Problem]:
    """Problems with the links of `html` into the site, from the page at site path `page`; `text()` gives the
    source, to find a broken one's line (a kept statement's text is read back only then: model.KeptText);
    `exists(site path)` says whether the build publishes it."""
    problems = []
    if 'href="' not in html and _only_plain_hrefs(html):
        return problems
    for href in dict.fromkeys(unescape(m) for m in link_values(html)):
        site_path = _site_path(href, page, site_url)
        parts = urlsplit(href)
        if site_path == "../":
            problems.append(Problem(path, _line_of(href, text, lines), f"the link to {href} climbs above the site's "
                                    "root from this text's page", ERROR, _FROM_THE_ROOT))
            continue
        if site_path is None or site_path.startswith(PAGEFIND_URL):  # Pagefind's files are not known before it runs
            continue
        if site_path == "index.html" or site_path.endswith("/index.html"):  # a page's own file
            site_path = site_path.removesuffix("index.html")
        is_file = "." in site_path.rsplit("/", 1)[-1] and not site_path.endswith(".html")
        if site_path and not site_path.endswith(("/", ".html")) and not is_file:
            site_path += "/"
        if site_path not in pages and not exists(site_path):
            relative = not parts.scheme and not href.startswith("/")
            problems.append(Problem(path, _line_of(href, text, lines), f"the link to {href} leads to no "
                                    + ("file" if is_file else "page") + " of this site"
                                    + (f": from this text's page it is /{site_path}" if relative else ""), ERROR,
                                    ("the site publishes only the pages and files it makes, and templates/assets/: "
                                     "link to the file where it is published elsewhere, by its full address, or remove "
                                     "the link" if is_file else
                                     "check the address against the page it should lead to, or remove the link")
                                    + (f"; {_FROM_THE_ROOT}" if relative else "")))
        elif site_path in pages and PARAGRAPH_ID.fullmatch(parts.fragment) \
                and parts.fragment not in {p.id for p in pages[site_path].paragraphs}:
            ids = [p.id for p in pages[site_path].paragraphs]  # in order; pinned ids (#p3a) may break the count
            hint = "that statement has no numbered paragraphs" if not ids else \
                f"that statement has one paragraph, #{ids[0]}" if len(ids) == 1 else \
                f"that statement has paragraphs #{ids[0]} to #{ids[-1]}"
            problems.append(Problem(path, _line_of(href, text, lines), f"the link to {href} leads to a paragraph that "
                                    "does not exist", ERROR,
                                    hint))
    return problems


_FROM_THE_ROOT = "an address from the site's root, such as /people/x/, reads the same on every page"


def _line_of(href: str, text, lines: dict) -> int:
    """The line of the source (`text()`) where a link's address is written."""
    body = text()
    at = body.find(href)
    return lines.get("(body)", 1) + (body[:at].count("\n") if at >= 0 else 0)


def _parents(file: str) -> list[str]:
    parts = file.split("/")[:-1]
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def build_index(statements: list[Statement], entities: dict, memo: RelatedMemo | None = None) -> SiteIndex:
    """The SiteIndex; with a `memo`, related statements the last build picked from the same lists are kept."""
    ordered = sorted(statements, key=lambda s: s.key)
    urls = [statement_url(s) for s in ordered]  # computed once: every step below needs them
    previous = dict(zip(urls, [None] + ordered[:-1]))
    following = dict(zip(urls, ordered[1:] + [None]))
    newest_first = tuple(reversed(ordered))

    # Keyed by (kind, slug) rather than by Ref: a tuple hashes in C, a dataclass in Python.
    roles: dict[tuple, tuple[Ref, dict]] = {}  # key -> (first Ref seen, {statement url: (roles,)})
    # A place's statements that name only places within it: key -> {statement url: the places it names in it}.
    around: dict[tuple, dict[str, tuple]] = {}
    places = entities.get("places", {})
    by_url = {}
    for statement, url in zip(newest_first, reversed(urls)):
        by_url[url] = statement
        for ref, role in statement_roles(statement):
            entry = roles.get((ref.kind, ref.slug))
            if entry is None:
                entry = roles[(ref.kind, ref.slug)] = (ref, {})
            parts = entry[1].get(url, ())
            if role not in parts:  # tuples, not lists: the collector soon stops scanning tuples of strings
                entry[1][url] = parts + (role,)
        for ref, at in places_around(statement, places) if statement.places else ():
            roles.setdefault((ref.kind, ref.slug), (ref, {}))[1][url] = ("place",)
            around.setdefault((ref.kind, ref.slug), {})[url] = at
    # One Appearance per statement and set of parts, shared by the entities it lists: half as many objects.
    shared: dict[tuple, Appearance] = {}
    appearances = {}
    for key, (ref, statements_roles) in roles.items():
        row, at_of = [], around.get(key, {})
        for url, parts in statements_roles.items():
            at = at_of.get(url, ())
            share = (url, *parts, at) if at else (url, *parts)
            appearance = shared.get(share)
            if appearance is None:
                appearance = shared[share] = Appearance(by_url[url], parts, at)
            row.append(appearance)
        appearances[ref] = tuple(row)
    related = _related(ordered, urls, by_url, roles, memo)
    return SiteIndex(statements=newest_first, entities=entities, appearances=appearances,
                     previous=previous, following=following, related=related, date_folders=date_folder_targets(ordered))


def date_folder_targets(statements: list[Statement]) -> dict[str, tuple]:
    """Each folder by date that holds a statement's address or alias (urls.date_folders_of), and where on the
    timeline it leads, as (year, month): its month on its year's page where that month has statements, else
    (year, None), its year's page, else (None, None), the timeline. On a host, such a folder would be a listing
    of folders, a refusal or nothing; a reader who shortens /statements/2025/03/20/slug/ by hand to its month
    finds that month's statements."""
    months = {(s.record.date.year, s.record.date.month) for s in statements}
    years = {year for year, _ in months}
    aliases = [alias for s in statements for alias in s.record.aliases]
    # A statement's own address is in its month's folder: one address a month says which folders there are.
    pages = [statement_path(dt.date(year, month, 1), "x") for year, month in months] + aliases
    targets = {}
    for folder in date_folders_of(pages):  # none is an alias's address: check_urls refuses those
        year, month = date_folder(folder)
        targets[folder] = (year, month) if (year, month) in months else (year, None) if year in years else (None, None)
    return targets


def spoken_in(appearances) -> int:
    """The statements in which an entity speaks (the list of people shows it beside the count)."""
    return sum("speaker" in a.roles for a in appearances)


def events_of(events: dict, places: dict) -> dict[tuple[str, str], list[str]]:
    """{(kind, slug) of an organisation or a place: the slugs of the events it organised or that were held there},
    newest first. An event's file names its organisers and place; their pages link back to it, so that a reader
    goes from an organisation to its events without a statement in between (an event no statement names yet
    included). An event at a venue is held in the city the venue is `within` too, and in that city's country.
    Keyed by tuples, as `depends` keys its hashes."""
    found: dict[tuple[str, str], list[str]] = {}
    ordered = sorted(events.items(), key=lambda item: (item[1].date or dt.date.min, item[1].name), reverse=True)
    for slug, event in ordered:
        for organiser in event.organisers:
            found.setdefault(("organisations", organiser), []).append(slug)
        if event.place:
            for place in [event.place] + enclosing(places, event.place):
                found.setdefault(("places", place), []).append(slug)
    return found


def places_within(places: dict) -> dict[str, list[str]]:
    """{slug of a place: the slugs of the places directly within it, by name}."""
    found: dict[str, list[str]] = {}
    for slug, place in sorted(places.items(), key=lambda item: (item[1].name.casefold(), item[0])):
        if place.within:
            found.setdefault(place.within, []).append(slug)
    return found


class Change(NamedTuple):
    """One correction or withdrawal of a published statement, as the corrections column lists it."""

    statement: Statement
    date: dt.date
    withdrawn: bool
    note: str  # the correction's note, or the withdrawal's reason


def corrections_log(statements: list[Statement]) -> list[Change]:
    """Every correction and withdrawal of a published statement, newest first: by the change's date, then as
    the statements are ordered (newest first), then the later of one statement's changes first.

    Why one list for the whole archive: a reader who cited a statement months ago should be able to see what
    the archive changed since without opening every statement, as a newspaper's corrections column lets them."""
    log = []
    for order, statement in enumerate(statements):
        record = statement.record
        if not record.corrections and record.withdrawn is None:  # most statements
            continue
        changes = [Change(statement, c.date, False, c.note) for c in record.corrections]
        if record.withdrawn is not None:
            changes.append(Change(statement, record.withdrawn.date, True, record.withdrawn.reason))
        log += [(-change.date.toordinal(), order, -n, change) for n, change in enumerate(changes)]
    log.sort(key=operator.itemgetter(0, 1, 2))
    return [change for *_, change in log]


def entity_years(appearances, limit: int) -> dict[int, list]:
    """An entity's appearances by year, newest first, when there are more than `limit` (site.yaml's
    entity_page_limit) and so each year gets a page of its own; else {} (all on the entity's page).

    Why years and not numbered pages: a year's page keeps its statements as the archive grows, so
    its address can be cited; page 2 of a numbered list shows other statements after every addition."""
    if len(appearances) <= limit:
        return {}
    years: dict[int, list] = {}
    for appearance in appearances:  # newest first
        years.setdefault(appearance.statement.record.date.year, []).append(appearance)
    return years


class RelatedMemo:
    """Each statement's related statements, kept between builds with the lists they were picked from.

    Why it is exact: a statement's related statements are a function of its URL and date, its
    related_keys and, for each of them, the statements scanned (URLs, each with its date). An entry
    is reused while those are the same: its keys are the same and none of their scan lists changed
    (dates are checked for every URL; a changed one drops the memo). The caller stamps it with the code.
    """

    def __init__(self, old: dict | None = None):
        self.old = old or {}  # {"scan": {key: URLs}, "days": {URL: ordinal}, "related": {URL: (keys, URLs)}}
        self.new: dict = {}
        self.changed = True

    def reusable(self, scan: dict, days: dict) -> tuple[dict, set]:
        """(old entries by URL, keys whose scan list changed), or ({}, set()) when nothing can be kept."""
        old_days = self.old.get("days", {})
        if not old_days or any(old_days.get(url, day) != day for url, day in days.items()):
            return {}, set()
        old_scan = self.old.get("scan", {})
        return self.old.get("related", {}), {key for key, urls in scan.items() if old_scan.get(key) != urls}

    def remember(self, scan: dict, days: dict, related: dict) -> None:
        self.new = {"scan": scan, "days": days, "related": related}
        self.changed = self.new != self.old


def _related(ordered: list[Statement], urls: list[str], by_url: dict, roles: dict, memo: RelatedMemo | None = None) -> dict:
    """Each statement's RELATED_COUNT statements sharing most of its related_keys; ties: nearest date, then URL.

    Why it looks like this: it runs for every statement of the archive. Statements are numbered
    in URL order, so comparing numbers compares URLs; counting and filtering happen in C
    (Counter, itertools, map), and only the statements tied at the cut are ranked by date.
    With a memo, a statement none of whose lists changed keeps the last build's answer.
    """
    in_order = sorted(by_url)
    number = {url: n for n, url in enumerate(in_order)}
    at = [by_url[url] for url in in_order]  # statement by number
    day = [statement.record.date.toordinal() for statement in at]
    width = len(in_order)  # (distance in days, number) as one integer: distance * width + number
    # Each entity's first RELATED_SCAN_LIMIT statements (newest first), counted for every statement it is in.
    scan_urls = {key: tuple(itertools.islice(statements_roles, RELATED_SCAN_LIMIT))
                 for key, (_, statements_roles) in roles.items()}
    scan = {key: list(map(number.__getitem__, scanned)) for key, scanned in scan_urls.items()}
    kept, stale, keep = {}, set(), {}
    if memo is not None:
        days = dict(zip(in_order, day))
        kept, stale = memo.reusable(scan_urls, days)
    related = {}
    for statement, url in zip(ordered, urls):
        keys = related_keys(statement)
        if memo is not None:
            signature = repr(sorted(keys))
            entry = kept.get(url)
            if entry is not None and entry[0] == signature and stale.isdisjoint(keys):
                related[url] = tuple(map(by_url.__getitem__, entry[1]))
                keep[url] = entry
                continue
        own = number[url]
        scores = Counter(itertools.chain.from_iterable([scan[k] for k in keys if k in scan]))
        scores.pop(own, None)
        here = day[own]
        if len(scores) <= RELATED_COUNT:
            ranked = sorted(scores, key=lambda n: (-scores[n], abs(day[n] - here), n))
        else:
            threshold = sorted(scores.values(), reverse=True)[RELATED_COUNT - 1]
            pool = list(itertools.compress(scores, map(threshold.__le__, scores.values())))
            above = [n for n in pool if scores[n] > threshold]  # at most RELATED_COUNT - 1 of them
            tied = [n for n in pool if scores[n] == threshold]
            ranked = sorted(above, key=lambda n: (-scores[n], abs(day[n] - here), n))
            distance = map(abs, map(here.__rsub__, map(day.__getitem__, tied)))
            near = sorted(map(operator.add, map(width.__mul__, distance), tied))
            ranked += [key % width for key in near[:RELATED_COUNT - len(above)]]
        related[url] = tuple(map(at.__getitem__, ranked))
        if memo is not None:
            old = kept.get(url)
            chosen = tuple(map(in_order.__getitem__, ranked))
            keep[url] = old if old is not None and old == (signature, chosen) else (signature, chosen)
    if memo is not None:
        memo.remember(scan_urls, days, keep)
    return related
