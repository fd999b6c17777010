"""Stage 4, index: statements by entity and by date, neighbours and related statements.

Input: resolved Statements and the Registry. Output: a SiteIndex, plus Problems for
URLs that two files would both claim. Nothing here compares all pairs of statements.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections import Counter
from html import unescape
from urllib.parse import urlsplit

from .model import ERROR, Appearance, Problem, Ref, SiteIndex, Statement
from .urls import entity_url, list_url, output_file, statement_url

RELATED_COUNT = 5
# An entity that appears in very many statements says little about relatedness, and
# scanning its whole list for every statement would make the build quadratic.
RELATED_SCAN_LIMIT = 200

ROLE_LABELS = {
    "speaker": "speaker",
    "issuer": "issuer or participant",
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
    pairs += [(ref, "issuer") for ref in statement.organisations]
    pairs += [(ref, "mentioned") for ref in statement.mentions]
    if statement.event:
        pairs.append((statement.event, "event"))
    pairs += [(ref, "place") for ref in statement.places]
    return pairs


def related_keys(statement: Statement) -> set[tuple[str, str]]:
    """The entities that make two statements related: people, organisations, the event, as (kind, slug)."""
    keys = {(r.kind, r.slug) for r in statement.speakers}
    keys.update((r.kind, r.slug) for r in statement.organisations)
    keys.update((r.kind, r.slug) for r in statement.mentions if r.kind == "people")
    if statement.event:
        keys.add((statement.event.kind, statement.event.slug))
    return keys


def check_urls(statements: list[Statement]) -> list[Problem]:
    """Two statements, or a statement and an alias, must never claim the same URL or output file."""
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
    for statement in ordered:
        for i, alias in enumerate(statement.record.aliases):
            line = statement.record.lines.get(f"aliases[{i}]", statement.record.lines.get("aliases", 1))
            file = output_file(alias)
            if file in owners:
                other, what = owners[file]
                if what == "page" and other is statement:
                    message = f"alias /{alias} is this statement's own address"
                elif what == "page":
                    message = f"alias /{alias} is the address of {other.record.path}"
                else:
                    message = f"alias /{alias} is already an alias of {other.record.path}"
                problems.append(Problem(statement.record.path, line, message, ERROR,
                                        "an alias must be an old address that no page uses now; remove it"))
            elif not alias.startswith("statements/"):
                problems.append(Problem(statement.record.path, line,
                                        f"alias /{alias} is outside /statements/ and could hide a page of the site", ERROR,
                                        "aliases are old statement addresses such as /statements/2025/03/20/old-slug/"))
            else:
                owners[file] = (statement, "alias")
    # A file may not also be a folder: "statements/a.html" and "statements/a.html/index.html".
    folders = {parent for file in owners for parent in _parents(file)}
    for file, (statement, what) in sorted(owners.items()):
        if what == "alias" and file in folders:
            i = next(i for i, a in enumerate(statement.record.aliases) if output_file(a) == file)
            problems.append(Problem(statement.record.path, statement.record.lines.get(f"aliases[{i}]", 1),
                                    f"alias /{statement.record.aliases[i]} is a folder of another page's address", ERROR,
                                    "end the alias with '/' or choose another old address"))
    return problems


LINKED_SECTIONS = ("statements", "people", "organisations", "events", "outlets", "places")
_HREF = re.compile(r'\bhref="(/[^"]*)"')
_PARAGRAPH = re.compile(r"p\d+")


def check_links(statements: list[Statement], entities: dict, records: dict) -> list[Problem]:
    """Links in texts to this site's statement and entity pages must lead to a page (and paragraph) that exists.

    Only site-absolute links into the sections made from content are checked; a text names
    a statement or entity this way, so a typo or a removed file would be a broken link.
    """
    pages: dict[str, set | None] = {}  # site path -> paragraph ids of a statement, or None
    for statement in statements:
        ids = {p.id for p in statement.body.paragraphs}
        for path in (statement_url(statement), *statement.record.aliases):
            pages[path] = ids
    for kind, by_slug in entities.items():
        pages[list_url(kind)] = None
        for slug in by_slug:
            pages[entity_url(kind, slug)] = None
    problems = []
    for statement in sorted(statements, key=lambda s: s.record.path):
        html = "".join(block.html for block in statement.body.blocks)
        problems += _broken_links(html, statement.record.path, statement.record.body, statement.record.lines, pages)
    for kind, kind_records in records.items():
        for record in kind_records:
            entity = entities.get(kind, {}).get(record.slug)
            if entity is not None and entity.path == record.path and entity.body_html:
                problems += _broken_links(entity.body_html, record.path, record.body, record.lines, pages)
    return problems


def _broken_links(html: str, path: str, body: str, lines: dict, pages: dict) -> list[Problem]:
    problems = []
    if 'href="/' not in html:
        return problems
    for href in dict.fromkeys(unescape(m) for m in _HREF.findall(html)):
        parts = urlsplit(href)
        site_path = parts.path.lstrip("/")
        if site_path.split("/", 1)[0] not in LINKED_SECTIONS:
            continue
        if site_path and not site_path.endswith(("/", ".html")):
            site_path += "/"
        at = body.find(href)
        line = lines.get("(body)", 1) + (body[:at].count("\n") if at >= 0 else 0)
        if site_path not in pages:
            problems.append(Problem(path, line, f"the link to {href} leads to no page of this site", ERROR,
                                    "check the address against the page it should lead to, or remove the link"))
        elif pages[site_path] is not None and _PARAGRAPH.fullmatch(parts.fragment) \
                and parts.fragment not in pages[site_path]:
            count = len(pages[site_path])
            hint = {0: "that statement has no numbered paragraphs", 1: "that statement has one paragraph, #p1"}.get(
                count, f"that statement has paragraphs #p1 to #p{count}")
            problems.append(Problem(path, line, f"the link to {href} leads to a paragraph that does not exist", ERROR,
                                    hint))
    return problems


def _parents(file: str) -> list[str]:
    parts = file.split("/")[:-1]
    return ["/".join(parts[: n + 1]) for n in range(len(parts))]


def build_index(statements: list[Statement], entities: dict) -> SiteIndex:
    ordered = sorted(statements, key=lambda s: s.key)
    urls = [statement_url(s) for s in ordered]  # computed once: every step below needs them
    previous = dict(zip(urls, [None] + ordered[:-1]))
    following = dict(zip(urls, ordered[1:] + [None]))
    newest_first = tuple(reversed(ordered))

    # Keyed by (kind, slug) rather than by Ref: a tuple hashes in C, a dataclass in Python.
    roles: dict[tuple, tuple[Ref, dict]] = {}  # key -> (first Ref seen, {statement url: (roles,)})
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
    # One Appearance per statement and set of parts, shared by the entities it lists: half as many objects.
    shared: dict[tuple, Appearance] = {}
    appearances = {}
    for ref, statements_roles in roles.values():
        row = []
        for url, parts in statements_roles.items():
            appearance = shared.get((url, *parts))
            if appearance is None:
                appearance = shared[(url, *parts)] = Appearance(by_url[url], parts)
            row.append(appearance)
        appearances[ref] = tuple(row)
    related = _related(ordered, urls, by_url, roles)
    return SiteIndex(statements=newest_first, entities=entities, appearances=appearances,
                     previous=previous, following=following, related=related)


def _related(ordered: list[Statement], urls: list[str], by_url: dict, roles: dict) -> dict:
    """Each statement's RELATED_COUNT statements sharing most of its related_keys; ties: nearest date, then URL.

    Why it looks like this: it runs for every statement of the archive. Statements are numbered
    in URL order, so comparing numbers compares URLs; counting and filtering happen in C
    (Counter, itertools, map), and only the statements tied at the cut are ranked by date.
    """
    in_order = sorted(by_url)
    number = {url: n for n, url in enumerate(in_order)}
    at = [by_url[url] for url in in_order]  # statement by number
    day = [statement.record.date.toordinal() for statement in at]
    width = len(in_order)  # (distance in days, number) as one integer: distance * width + number
    # Each entity's first RELATED_SCAN_LIMIT statements (newest first), counted for every statement it is in.
    scan = {key: [number[url] for url in itertools.islice(statements_roles, RELATED_SCAN_LIMIT)]
            for key, (_, statements_roles) in roles.items()}
    related = {}
    for statement, url in zip(ordered, urls):
        own = number[url]
        scores = Counter(itertools.chain.from_iterable([scan[k] for k in related_keys(statement) if k in scan]))
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
    return related
