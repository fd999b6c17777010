"""Stage 4, index: statements by entity and by date, neighbours and related statements.

Input: resolved Statements and the Registry. Output: a SiteIndex, plus Problems for
URLs that two files would both claim. Nothing here compares all pairs of statements.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
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


def related_refs(statement: Statement) -> set:
    """The entities that make two statements related: people, organisations, the event."""
    refs = set(statement.speakers) | set(statement.organisations) | {r for r in statement.mentions if r.kind == "people"}
    if statement.event:
        refs.add(statement.event)
    return refs


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
    previous = {statement_url(s): (ordered[i - 1] if i > 0 else None) for i, s in enumerate(ordered)}
    following = {statement_url(s): (ordered[i + 1] if i + 1 < len(ordered) else None) for i, s in enumerate(ordered)}
    newest_first = tuple(reversed(ordered))

    roles: dict[Ref, dict] = defaultdict(dict)  # ref -> {statement url: [roles]}
    by_url = {}
    for statement in newest_first:
        url = statement_url(statement)
        by_url[url] = statement
        for ref, role in statement_roles(statement):
            roles[ref].setdefault(url, [])
            if role not in roles[ref][url]:
                roles[ref][url].append(role)
    appearances = {
        ref: tuple(Appearance(by_url[url], tuple(parts)) for url, parts in statements_roles.items())
        for ref, statements_roles in roles.items()
    }

    # Each entity's first RELATED_SCAN_LIMIT statement URLs, computed once: counting them is then
    # done in C (Counter.update), and only the statements that can reach the top are sorted.
    url_of = {id(s): statement_url(s) for s in ordered}
    scan = {ref: [url_of[id(a.statement)] for a in apps[:RELATED_SCAN_LIMIT]] for ref, apps in appearances.items()}
    day = {u: s.record.date.toordinal() for u, s in by_url.items()}
    related = {}
    for statement in ordered:
        url = url_of[id(statement)]
        scores: Counter = Counter()
        for ref in related_refs(statement):
            scores.update(scan.get(ref, ()))
        scores.pop(url, None)
        pool = list(scores)
        if len(pool) > RELATED_COUNT:
            threshold = heapq.nlargest(RELATED_COUNT, scores.values())[-1]
            pool = [u for u, count in scores.items() if count >= threshold]
        here = statement.record.date.toordinal()
        ranked = sorted(pool, key=lambda u: (-scores[u], abs(day[u] - here), u))
        related[url] = tuple(by_url[u] for u in ranked[:RELATED_COUNT])

    return SiteIndex(statements=newest_first, entities=entities, appearances=appearances,
                     previous=previous, following=following, related=related)
