"""Stage 5a, depends: what every statement page, entity page and per-entity or per-statement file is made from.

Why: planning, annotating and making feeds for every page of a large archive costs far more
than rendering the few that an edit changes. So before planning, each such output gets a hash
of everything it is made from ("its inputs"); an output whose inputs hash as in the last build
is not planned, made or rendered again, and keeps its file. The hashes are exact by
construction: they are computed from the new index, so a page whose list of related
statements, neighbours or appearances changed gets a new hash without anyone having to
predict which pages an edit reaches.

What goes into the hashes:
- a statement's own fingerprint: its file's bytes (and path), and every entity its names
  resolved to, with what pages other than the entity's own show of it (its face: name,
  aliases, website, and a person's sort_as, by which citations tell the family name; a person's
  role, say, shows only on their page and in the lists);
- a statement page: its fingerprint and those of its previous, next and related statements;
- an entity page: the entity (all of it), the faces of the entities it links to (an event's place and organisers), the
  events an organisation organised or a place held (all of each: their order is by date), the
  fingerprints and roles of every statement it appears in (a place's, those naming places within it too,
  with the places they name: indexes.places_around), and the months the archive spans
  (its chart is drawn on the archive's span); a year's page of an entity in more statements
  than the site's entity_page_limit: the entity, its number of statements in each year, and
  the fingerprints and roles of that year's statements;
- an entity's feed: the entity and the statements it carries (feeds.in_feed) (or, with none, the date
  of the archive's newest statement); the copies of it at its page's old addresses, the same;
- a statement's citation and data files: its fingerprint;
- and, in every hash, the program (every module of this package and the libraries it uses),
  the site's settings and, for pages, the hash of the page's templates.
- the pages that list the whole archive: the home page, every statement's card (`card_print`:
  its address, title, date, summary, outlet, speakers or organisations (and which of the two), event
  and whether it was withdrawn, which is all
  plan._card shows), and the number of entities of each kind; a year's page of the timeline,
  the cards of that year's statements and the list of years; the timeline's own page, the
  number of statements in each month; each list, every entity of its kind (all of it), the
  number of statements it appears in and the number it speaks in.
- the corrections column: every correction and withdrawal (indexes.corrections_log), each with its
  statement's address, title, date and outlet's face (plan.plan_corrections shows no more).
The sitemap and the open data are made again in every build that has anything to do (mostly
from the last build's files: datafiles.KeptLines).

When a template or plan.py starts to show more of an entity on pages other than its own (a
speaker's role on statement pages, say), add that field to `face_hash` below, or those pages
will not be made again when it changes; likewise a field added to a statement's card
(plan._card) goes into `card_print`.
"""

from __future__ import annotations

import hashlib
import marshal

from .cache import ALL_LIBRARIES, code_fingerprint
from .citations import STATEMENT_FILES
from .entities import KIND_SINGULAR, enclosing
from .feeds import FEED_LIMIT, in_feed
from .indexes import corrections_log, entity_years, events_of, places_within, spoken_in, statement_roles
from .model import ENTITY_KINDS, Ref, SiteIndex
from .urls import (CORRECTIONS_URL, HOME_URL, TIMELINE_URL, entity_feed_url, entity_url, entity_year_url, list_url,
                   old_feed_url, statement_file_urls, statement_url, timeline_year_url)

PAGE_TEMPLATES = ("statement.html",) + tuple(f"{KIND_SINGULAR[kind]}.html" for kind in ENTITY_KINDS)


def _hash(*parts) -> bytes:
    """A hash of plain values. marshal (version 2: values only, never back-references) writes
    tuples, lists, text, bytes and numbers exactly and many times faster than repr; anything it
    does not know (an Entity, a date) is hashed by its repr. The prefix keeps the two apart."""
    try:
        data = b"m" + marshal.dumps(parts, 2)
    except ValueError:
        data = b"r" + repr(parts).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).digest()


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class _PartsCode(dict):
    """The parts a statement has in an entity (("speaker",), say), and the places within a place it names there
    (Appearance.at, Refs), as bytes that say where they end."""

    def __missing__(self, roles: tuple) -> bytes:
        code = self[roles] = repr(tuple(roles)).encode("utf-8")
        return code


def output_inputs(index: SiteIndex, config, file_digests: dict, template_hashes: dict) -> dict[str, bytes]:
    """{site path: hash of its inputs} for statement and entity pages, entity feeds and statement files.

    `file_digests` maps a content file's path to the hash of its bytes (the load cache has
    them); `template_hashes` maps a template name to its hash (with what it includes).
    """
    # Every setting a page can show; not where the project or the output folder lie, nor how the
    # output was named ("public" or its absolute path), which changed every hash and re-rendered the site.
    salt = _hash(code_fingerprint((), ALL_LIBRARIES), repr(config._replace(root=None, output_dir=None)))
    # Keyed by (kind, slug), and refs written as such tuples: a Ref hashes and reprs in Python, a tuple in C.
    entity_hash, face_hash = {}, {}
    for kind in ENTITY_KINDS:
        for slug, entity in index.entities[kind].items():
            entity_hash[(kind, slug)] = _hash(entity)
            face_hash[(kind, slug)] = _hash(kind, slug, entity.name, entity.aliases, entity.url, entity.sort_as)
    # A statement's search filters name the places its places are within (search.statement_search): a place's face
    # holds theirs, so a `within` edited, or the name of a place around it, reaches the statements that name it.
    places = index.entities["places"]
    for slug, place in places.items():
        if place.within:
            face_hash[("places", slug)] = _hash(face_hash[("places", slug)],
                                                [face_hash[("places", s)] for s in enclosing(places, slug)])

    fingerprint = {}
    for statement in index.statements:
        record = statement.record
        # Every entity it involves, in which part (outlet, speaker, ...): that is every Ref field of the statement.
        parts = [(ref.kind, ref.slug, part) for ref, part in statement_roles(statement)]
        quotes = [(q.speaker.kind, q.speaker.slug, q.text, q.paragraph_id, q.note) for q in statement.quotes]
        own = (record.path, file_digests.get(record.path) or _hash(record), statement.slug, parts, quotes)
        # A quotation's speaker is always among its speakers or organisations, so among `parts`.
        involved = dict.fromkeys((kind, slug) for kind, slug, _ in parts)
        fingerprint[id(statement)] = _hash(own, [face_hash[k] for k in involved])

    def print_of(statement) -> bytes | None:
        return fingerprint[id(statement)] if statement is not None else None

    inputs: dict[str, bytes] = {}
    statement_template = template_hashes.get("statement.html", b"")
    for statement in index.statements:
        url = statement_url(statement)
        own = fingerprint[id(statement)]
        inputs[url] = _hash(salt, statement_template, own, print_of(index.previous[url]),
                            print_of(index.following[url]), [print_of(s) for s in index.related[url]])
        files = _hash(salt, "files", own)
        for name in STATEMENT_FILES:
            for path in statement_file_urls(statement, name):
                inputs[path] = files

    role_code = _PartsCode()
    changed = any(s.record.modified != s.record.date for s in index.statements)  # corrected or withdrawn: rare
    dates = [s.record.date for s in index.statements]
    span = ((min(dates).year, min(dates).month), (max(dates).year, max(dates).month)) if dates else None
    newest = index.statements[0].record.date if index.statements else None
    entity_year_template = template_hashes.get("entity-year.html", b"")
    events, within = events_of(index.entities["events"], places), places_within(places)
    for kind in ENTITY_KINDS:
        template = template_hashes.get(f"{KIND_SINGULAR[kind]}.html", b"")
        listed = []  # its list page: every entity of the kind, all of it, and its number of statements
        for slug, entity in index.entities[kind].items():
            linked = [("places", entity.place)] if entity.place else []
            linked += [("organisations", s) for s in entity.organisers]
            # The events it organised or held, in their order by date: each event all of it, for its date too.
            held = [entity_hash[("events", s)] for s in events.get((kind, slug), ())]
            if kind == "places":  # the places it is in and those in it; the venue of each event held in it
                linked += [("places", s) for s in enclosing(places, slug) + within.get(slug, [])]
                linked += [("places", index.entities["events"][s].place) for s in events.get((kind, slug), ())]
            appearances = index.appearances.get(Ref(kind, slug), ())
            # Each statement shown, with its parts: a 16-byte fingerprint, then the repr of its parts, which
            # shows where it ends; so the joined bytes say exactly which statements are shown, in which parts.
            # A place's statement that names only places within it shows them (their faces are in its fingerprint):
            # `within` edited, or such a statement added or removed, changes what its page shows.
            shown = [fingerprint[id(a.statement)] + role_code[a.roles + a.at] for a in appearances]
            inputs[entity_url(kind, slug)] = _hash(salt, template, entity_hash[(kind, slug)],
                                                   [face_hash.get(k) for k in linked], held, _digest(b"".join(shown)),
                                                   span)
            carried = (shown[:FEED_LIMIT] if not changed else  # with no correction anywhere, the newest
                       [fingerprint[id(s)] for s in in_feed([a.statement for a in appearances])])
            feed = inputs[entity_feed_url(kind, slug)] = _hash(salt, "feed", entity_hash[(kind, slug)],
                                                               _digest(b"".join(carried)),
                                                               None if appearances else newest)
            for old in entity.old_urls:  # the same feed, at each old address of its page
                inputs[old_feed_url(old)] = feed
            years = entity_years(appearances, config.entity_page_limit)
            counts = [(year, len(in_year)) for year, in_year in years.items()]
            for year, in_year in years.items():  # a year's page: the entity, the years, that year's statements
                shown_in_year = [fingerprint[id(a.statement)] + role_code[a.roles + a.at] for a in in_year]
                inputs[entity_year_url(kind, slug, year)] = _hash(salt, entity_year_template, entity_hash[(kind, slug)],
                                                                  counts, _digest(b"".join(shown_in_year)))
            listed.append((slug, entity_hash[(kind, slug)], len(appearances), spoken_in(appearances)))
        inputs[list_url(kind)] = _hash(salt, template_hashes.get(f"{kind}.html", b""), listed)

    # The whole archive's pages: an edit to a statement's text leaves every card as it was, and so
    # these pages (at 10,000 statements, most of the planning of an edit's pages) are not planned.
    # The timeline's own page shows only the count of each month; each year's page, its cards and
    # the list of years.
    cards, by_year, months = [], {}, {}
    for statement in index.statements:  # newest first
        card = card_print(statement, face_hash)
        cards.append(card)
        date = statement.record.date
        by_year.setdefault(date.year, []).append(card)
        months[(date.year, date.month)] = months.get((date.year, date.month), 0) + 1
    inputs[TIMELINE_URL] = _hash(salt, template_hashes.get("timeline.html", b""), list(months.items()))
    timeline_year_template, archive_years = template_hashes.get("timeline-year.html", b""), list(by_year)
    for year, shown in by_year.items():
        inputs[timeline_year_url(year)] = _hash(salt, timeline_year_template, archive_years, _hash(shown))
    inputs[HOME_URL] = _hash(salt, template_hashes.get("home.html", b""), _hash(cards),
                             [len(index.entities[kind]) for kind in ENTITY_KINDS])
    log = [(statement_url(c.statement), c.statement.record.title, c.statement.record.date.isoformat(),
            face_hash[(c.statement.outlet.kind, c.statement.outlet.slug)], c.date.isoformat(), c.withdrawn, c.note)
           for c in corrections_log(index.statements)]
    inputs[CORRECTIONS_URL] = _hash(salt, template_hashes.get("corrections.html", b""), log)
    # A folder by date (statements/2025/03/20/) leads to its place on the timeline: some 7,000 pages at most,
    # one a day, which an edit should not make again.
    redirect_template = template_hashes.get("redirect.html", b"")
    for folder, place in index.date_folders.items():
        inputs[folder] = _hash(salt, redirect_template, folder, place)
    return inputs


def card_print(statement, face_hash: dict) -> tuple:
    """What a statement's card (plan._card, on the timeline, the home page and entity pages) is made from."""
    record = statement.record
    who = statement.speakers or statement.organisations
    event = face_hash[(statement.event.kind, statement.event.slug)] if statement.event else None
    return (statement_url(statement), record.title, record.date.isoformat(), record.summary,
            face_hash[(statement.outlet.kind, statement.outlet.slug)], [face_hash[(r.kind, r.slug)] for r in who], event,
            record.withdrawn is not None, not statement.speakers)


def unchanged(inputs: dict[str, bytes], previous: dict) -> frozenset:
    """The outputs whose inputs hash as they did in the last build."""
    return frozenset(path for path, hashed in inputs.items() if previous.get(path) == hashed)
