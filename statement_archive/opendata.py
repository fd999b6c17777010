"""Open data: the archive as JSON and CSV, for researchers who want the records rather than pages.

Files: data/statements.json, data/statements.csv, data/people.json, data/organisations.json,
data/events.json, data/outlets.json, data/places.json, and statement.json beside every
statement's page. Entities are named by slug (the last part of their page's address). The
fields are described once, here, and shown on the "About the data" page (templates/about-data.html).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from pathlib import Path

from .cache import Chunks, FileRange, Spool
from .markup import block_parts
from .model import Ref, SiteIndex, Statement
from .urls import (
    STATEMENT_JSON, Urls, data_file_url, entity_url, paragraph_url, statement_file_url, statement_file_urls, statement_url,
)

# (field, type, description): the schema of one statement record, in output order.
STATEMENT_FIELDS = (
    ("url", "string", "Permalink of the statement's page."),
    ("json", "string", "Address of this record as its own file, beside the page."),
    ("slug", "string", "Last part of the permalink."),
    ("date", "string", "Date of the statement, YYYY-MM-DD."),
    ("date_note", "string", "How the date was established when the source is unclear; may be empty."),
    ("title", "string", "Headline as published (or an editor's title; see title_note)."),
    ("title_note", "string", "Why the title differs from the source, if it does; may be empty."),
    ("summary", "string", "The editors’ one-paragraph summary, not the outlet's words; may be empty."),
    ("outlet", "string", "Slug of the outlet that reported it (see outlets.json)."),
    ("author", "string", "Byline of the report; may be empty."),
    ("author_person", "string or null", "Slug of the journalist in people.json, where the registry has the byline."),
    ("source_url", "string", "Address of the original report; may be empty."),
    ("speakers", "array of strings", "Slugs of the people quoted or speaking (people.json)."),
    ("organisations", "array of strings", "Slugs of the organisations issuing or taking part (organisations.json)."),
    ("event", "string or null", "Slug of the event it was made at (events.json)."),
    ("places", "array of strings", "Slugs of the places it concerns (places.json)."),
    ("mentioned_people", "array of strings", "Slugs of people mentioned but not speaking."),
    ("mentioned_organisations", "array of strings", "Slugs of organisations mentioned."),
    ("roles", "array of objects", "Roles of people as this statement's report gives them, in its words: person "
                                  "(slug) and role. Their role in people.json is one role at one date."),
    ("quotes", "array of objects", "Quotations: speaker (slug), speaker_kind (people or organisations), text, "
                                   "paragraph (id such as p3), url (permalink#p3), note (the editors' word on an "
                                   "inferred attribution; empty when the article names the speaker)."),
    ("paragraphs", "array of objects", "The text as published, in order: each paragraph's id (p1, p2, ...) and text; "
                                       "words the page does not number (a heading, a list written without blank "
                                       "lines between its items, also inside a quotation) have the id null, a "
                                       "list's items one a line."),
    ("old_urls", "array of strings", "Earlier addresses that now redirect to the permalink."),
    ("corrections", "array of objects", "Changes the editors made to the record after publishing it, oldest first: "
                                        "date (YYYY-MM-DD) and note (what was changed, and why)."),
    ("withdrawn", "object or null", "Set when the editors withdrew the statement: date (YYYY-MM-DD) and reason. "
                                    "The record stays, as it was, so that citations of it still lead to it."),
    ("added", "string or null", "The day the archive added the statement, YYYY-MM-DD, where the editors recorded "
                                "it (a statement of years ago added later); null otherwise."),
)

# (field, type, description): the schema of one entity record in people.json, organisations.json, ...
ENTITY_FIELDS = (
    ("slug", "string", "Identifier, the last part of the page's address; used in statement records."),
    ("name", "string", "Name as the archive writes it."),
    ("aliases", "array of strings", "Other spellings and transliterations that resolve to this entity."),
    ("description", "string", "Role of a person, or a one-line description; may be empty."),
    ("role_date", "string or null", "People: the date of the report that gives the role, YYYY-MM-DD (roles change)."),
    ("url", "string", "Address of the entity's page."),
    ("feed", "string", "Address of the entity's Atom feed."),
    ("same_as", "array of strings", "The same entity elsewhere, e.g. Wikidata; may be empty."),
    ("website", "string", "Outlets: their own website; may be empty."),
    ("date", "string or null", "Events: the date, YYYY-MM-DD."),
    ("place", "string or null", "Events: slug of the place."),
    ("organisers", "array of strings", "Events: slugs of the organising organisations."),
    ("within", "string or null", "Places: slug of the place it is in (a venue's city, a city's country)."),
    ("registered", "boolean", "False for a name found in statements that has no registry entry yet."),
    ("statements", "array of strings", "Permalinks of the statements that involve it, newest first; a place's "
     "include those that name a place within it (at any depth)."),
    ("old_urls", "array of strings", "Earlier addresses of its page, which now redirect to it."),
)

CSV_COLUMNS = ("url", "date", "title", "outlet", "speakers", "organisations", "event", "places",
               "mentioned_people", "mentioned_organisations", "source_url", "summary", "json", "withdrawn", "added",
               "title_note", "author")  # new columns go at the end, so that a column's position never changes

ENTITY_FILES = (("people", "people.json"), ("organisations", "organisations.json"), ("events", "events.json"),
                ("outlets", "outlets.json"), ("places", "places.json"))


def slugs(refs) -> list[str]:
    return [r.slug for r in refs]


def statement_record(statement: Statement, urls: Urls, permalink: str | None = None) -> dict:
    """`permalink`, when given, is the statement's absolute address (open_data_files makes each once)."""
    record = statement.record
    if permalink is None:
        permalink = urls.absolute(statement_url(statement))
    mentions = statement.mentions
    data = {
        "url": permalink,
        "json": urls.absolute(statement_file_url(statement, STATEMENT_JSON)),
        "slug": statement.slug,
        "date": record.date.isoformat(),
        "date_note": record.date_note,
        "title": record.title,
        "title_note": record.title_note,
        "summary": record.summary,
        "outlet": statement.outlet.slug,
        "author": record.author,
        "author_person": statement.author.slug if statement.author else None,
        "source_url": record.source_url,
        "speakers": slugs(statement.speakers),
        "organisations": slugs(statement.organisations),
        "event": statement.event.slug if statement.event else None,
        "places": slugs(statement.places),
        "mentioned_people": [r.slug for r in mentions if r.kind == "people"],
        "mentioned_organisations": [r.slug for r in mentions if r.kind == "organisations"],
        "roles": [{"person": person.slug, "role": text} for person, text in statement.roles],
        "quotes": [{"speaker": q.speaker.slug, "speaker_kind": q.speaker.kind, "text": q.text, "paragraph": q.paragraph_id,
                    "url": paragraph_url(permalink, q.paragraph_id), "note": q.note} for q in statement.quotes],
        "paragraphs": text_blocks(statement.body),
        "old_urls": [urls.absolute(alias) for alias in record.aliases],
        "corrections": [{"date": c.date.isoformat(), "note": c.note} for c in record.corrections],
        "withdrawn": {"date": record.withdrawn.date.isoformat(), "reason": record.withdrawn.reason} if record.withdrawn
        else None,
        "added": record.added.isoformat() if record.added else None,
    }
    return data


def permalinks_of(statements, urls: Urls) -> dict[int, str]:
    """Every statement's absolute address, made once, by id(): an entity's record lists hundreds of them,
    and a Statement is not hashable (its record holds a dict of lines)."""
    return {id(s): urls.absolute(statement_url(s)) for s in statements}


def entity_record(index: SiteIndex, kind: str, slug: str, urls: Urls, feed_url, permalinks: dict | None = None) -> dict:
    """`permalinks` is permalinks_of(index.statements, urls), made once for all entities."""
    entity = index.entities[kind][slug]
    appearances = index.appearances.get(Ref(kind, slug), ())
    if permalinks is None:
        permalinks = permalinks_of((a.statement for a in appearances), urls)
    data = {
        "slug": slug,
        "name": entity.name,
        "aliases": list(entity.aliases),
        "description": entity.role,
        "role_date": entity.role_date.isoformat() if entity.role_date else None,
        "url": urls.absolute(entity_url(kind, slug)),
        "feed": urls.absolute(feed_url(kind, slug)),
        "same_as": list(entity.same_as),
        "website": entity.url,
        "date": entity.date.isoformat() if entity.date else None,
        "place": entity.place or None,
        "organisers": list(entity.organisers),
        "within": entity.within or None,
        "registered": entity.registered,
        "statements": [permalinks[id(a.statement)] for a in appearances],
        "old_urls": [urls.absolute(path) for path in entity.old_urls],
    }
    return data


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # what json.dumps(ensure_ascii=False) makes on every call


def to_json(record: dict) -> str:
    """One record on one line (the standard library's fast encoder; UTF-8 kept readable). The line and paragraph
    separators U+2028 and U+2029, which JSON allows as they are, are escaped: a reader splitting the file into
    lines with Python's str.splitlines, which counts them as line ends, would break a record at them."""
    text = _ENCODER.encode(record)
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return text


JSON_OPEN, JSON_SEPARATOR, JSON_CLOSE = b"[\n", b",\n", b"\n]\n"


def joined(head: bytes, lines: list, separator: bytes, tail: bytes) -> Chunks:
    """`head`, the lines with `separator` between them, and `tail`, as the chunks they are made of.

    Not joined: statements.json runs to tens of megabytes at 10,000 statements, and its lines
    are mostly ranges of the last build's file (FileRange), which was made by this function too:
    lines next to each other there, with the separator between them, are one range.
    """
    chunks = Chunks([head])
    for number, line in enumerate(lines):
        if number:
            last = chunks[-1]
            if isinstance(last, FileRange) and last.joins(line, separator):
                chunks[-1] = last.through(line)
                continue
            if separator:
                chunks.append(separator)
        chunks.append(line)
    if tail:
        chunks.append(tail)
    return chunks


def json_array(lines: list) -> Chunks:
    """A JSON array with one record (UTF-8 JSON) per line: valid JSON that also reads and diffs line by line."""
    return joined(JSON_OPEN, lines, JSON_SEPARATOR, JSON_CLOSE) if lines else Chunks([b"[]\n"])


def csv_rows():
    """A function that gives one statement's row of statements.csv as bytes; lists are joined with "; "
    (slugs never contain it).

    A csv writer keeps nothing from one row to the next, so rows written one at a time and
    joined are the bytes of all rows written at once, and each row can be kept between builds.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")

    def row(record: dict) -> bytes:
        # A list as its items joined; `withdrawn` (an object) as its date, so that a withdrawn row says so.
        writer.writerow(["; ".join(value) if isinstance(value, list) else value["date"] if isinstance(value, dict)
                         else ("" if value is None else value) for value in map(record.__getitem__, CSV_COLUMNS)])
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text.encode("utf-8")

    return row


def csv_header() -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerow(CSV_COLUMNS)
    return out.getvalue().encode("utf-8")


def csv_file(rows: list) -> Chunks:
    """statements.csv from its rows (bytes, or ranges of the last build's file)."""
    return joined(csv_header(), rows, b"", b"")


def once(make):
    """`make()`, called at most once. (functools.cache copies a function's attributes onto its
    wrapper: for every statement of an edit, about 20 microseconds spent for nothing.)"""
    made = []

    def get():
        if not made:
            made.append(make())
        return made[0]
    return get


class MadeLines:
    """Every line made afresh: what open_data_files uses without the last build's files (`check`, tests)."""

    def get(self, path: str, make):
        return make()

    def keep(self, paths: list, lines: list, file: Chunks) -> None:
        pass


def open_data_files(index: SiteIndex, urls: Urls, feed_url, reuse=frozenset(),
                    kept=lambda name, head, separator: MadeLines(), spool: Spool | None = None):
    """(site path, bytes or Chunks) of every data file but statements' own files in `reuse`, one at a time.

    `feed_url(kind, slug)` gives an entity's feed address. Each statement's record is encoded
    once, for its own file, for statements.json and for statements.csv. The files that list the
    whole archive are made of lines (a statement's record, its CSV row, an entity's record):
    `kept(file name, head, separator)` gives what finds each line of a file as the last build
    made it (datafiles.KeptLines: `get(site path, make)`, by the site path of the statement's
    statement.json or of the entity's page, a range of the last file while what the line is
    made from is unchanged, else `make()`; then `keep(paths, lines, file)`). An edit then
    encodes one statement, not 10,000. Lines made afresh wait in `spool` (a cache.Spool, made here
    if not given) until their file is written.
    """
    permalinks: dict = {}  # made once, and only if an entity's line has to be made
    csv_row = csv_rows()
    json_lines = kept("statements.json", JSON_OPEN, JSON_SEPARATOR)
    csv_lines = kept("statements.csv", csv_header(), b"")
    spool = spool or Spool()  # lines made afresh (every one, in a cold build) wait there for their file

    def entity_line(kind: str, slug: str) -> bytes:
        if not permalinks:
            permalinks.update(permalinks_of(index.statements, urls))
        return to_json(entity_record(index, kind, slug, urls, feed_url, permalinks)).encode("utf-8")

    paths, lines, rows = [], [], []
    for statement in index.statements:  # newest first
        path = statement_file_url(statement, STATEMENT_JSON)
        record = once(functools.partial(statement_record, statement, urls))  # only if a line is made
        line = json_lines.get(path, lambda: to_json(record()).encode("utf-8"))
        row = csv_lines.get(path, lambda: csv_row(record()))
        own_file = None
        for copy in statement_file_urls(statement, STATEMENT_JSON):  # beside the page and its old addresses
            if copy not in reuse:
                own_file = own_file or bytes(line) + b"\n"
                yield copy, own_file
        paths.append(path)
        lines.append(spool.add(line) if isinstance(line, bytes) else line)
        rows.append(spool.add(row) if isinstance(row, bytes) else row)
    statements_json = json_array(lines)
    yield data_file_url("statements.json"), statements_json
    json_lines.keep(paths, lines, statements_json)
    statements_csv = csv_file(rows)
    yield data_file_url("statements.csv"), statements_csv
    csv_lines.keep(paths, rows, statements_csv)
    for kind, name in ENTITY_FILES:
        entity_lines = kept(name, JSON_OPEN, JSON_SEPARATOR)
        slugs = sorted(index.entities[kind])
        entity_paths = [entity_url(kind, slug) for slug in slugs]
        found = [entity_lines.get(path, lambda: entity_line(kind, slug)) for path, slug in zip(entity_paths, slugs)]
        file = json_array(found)
        yield data_file_url(name), file
        entity_lines.keep(entity_paths, found, file)


def data_files_list(urls: Urls) -> list[dict]:
    """The files in data/, for the "About the data" page."""
    entries = [
        {"name": "statements.json", "what": "Every statement, newest first: a JSON array of statement records."},
        {"name": "statements.csv", "what": "One row per statement, with the columns "
                                           + ", ".join(CSV_COLUMNS) + " (the rest, such as quotations, roles and "
                                           "text, is in statements.json); lists joined with “; ”."},
    ]
    entries += [{"name": name, "what": f"Every entry of the {kind} registry, by slug: a JSON array of entity records."}
                for kind, name in ENTITY_FILES]
    return [{**e, "href": urls.href(data_file_url(e["name"]))} for e in entries]


_NUMBERED_PARAGRAPH = re.compile(r'<p id="p[0-9]+[a-z]*">.*?</p>', re.DOTALL)  # no <p> is inside another
_WORD_OUTSIDE_TAGS = re.compile(r"(?:^|>)[^<]*[^\s<]")  # a character, not a space, between two tags


def text_blocks(body) -> list[dict]:
    """The text as published, in order: each paragraph with its id, and between them each block the page does not
    number (a heading, a list written without blank lines between its items, such a list inside a quotation) with
    the id null, its lines its items; without those, a researcher reading the data had the text without its lists
    and headings, and nothing to say so."""
    texts = {p.id: p.text for p in body.paragraphs}
    found = []
    for block in body.blocks:
        if not block.paragraph_ids:  # most blocks are one paragraph, its text already known
            found += [{"id": None, "text": text} for _, text in block_parts(block.html)]
        elif (len(block.paragraph_ids) == 1 and block.html.startswith("<p ")) or \
                not _WORD_OUTSIDE_TAGS.search(_NUMBERED_PARAGRAPH.sub("", block.html)):
            # A paragraph, or a quotation of paragraphs alone: their texts are known, and nothing else has words.
            found += [{"id": pid, "text": texts[pid]} for pid in block.paragraph_ids if pid in texts]
        else:  # a quotation, or a list of paragraphs, perhaps with words outside its paragraphs
            found += [{"id": pid, "text": texts[pid]} if pid else {"id": None, "text": text}
                      for pid, text in block_parts(block.html) if not pid or pid in texts]
    return found


def published_paragraphs(output: Path, statement: Statement) -> tuple[list[tuple[str, str]], int, str] | None:
    """(id, text) of each paragraph of a statement, the number of its corrections and its title, as the published
    site's statement.json gives them, or None when the site has no such record at its address (not built yet, or
    moved) or it cannot be read."""
    record = published_record(output, statement_url(statement))
    try:
        return ([(paragraph["id"], paragraph["text"]) for paragraph in record["paragraphs"] if paragraph["id"]],
                len(record["corrections"]), record["title"])
    except (KeyError, TypeError):
        return None


def published_record(output: Path, address: str) -> dict | None:
    """The statement.json that the published site has at a statement's address (or an alias), or None."""
    try:
        record = json.loads((output / address / STATEMENT_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
