"""Stage 5, plan: every output page as a PageSpec (URL, template, what it shows).

Input: the SiteIndex, the config and the URL helper. Output: PageSpecs whose contexts are
plain dicts with every link already built, so templates hold no logic beyond loops.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Callable

from .annotate import extra_pages
from .chart import plural
from .citations import cited_title, reported_by
from .entities import KIND_SINGULAR, enclosing, fuzzy_key, name_parts
from .indexes import ROLE_LABELS, corrections_log, entity_years, events_of, places_within, spoken_in
from .model import ENTITY_KINDS, MONTHS, PageSpec, Ref, SiteIndex, Statement, capitalised, display_date, display_month
from .urls import (
    ABOUT_URL, CORRECTIONS_URL, DATA_URL, FEED_URL, HOME_URL, NOT_FOUND_URL, SEARCH_URL, STATEMENTS_URL, TIMELINE_URL, Urls,
    date_folder, entity_url, entity_year_url, list_url, paragraph_url, statement_url, timeline_month_id,
    timeline_month_url, timeline_place_url, timeline_year_url,
)

KIND_TITLES = {"people": "People", "organisations": "Organisations", "events": "Events", "outlets": "Outlets",
               "places": "Places"}


_NESTED_QUOTES = str.maketrans({'"': "'", "“": "‘", "”": "’"})  # quotation marks inside a quoted title


def sentence(text: str) -> str:
    """Text ending as a sentence does, so that the page's next sentence does not run on from it."""
    return text if text.endswith(tuple(stop + mark for stop in ".!?…" for mark in ("", "”", '"', "’", "'"))) else text + "."


def list_order(entity) -> str:
    """Where an entity stands in its list: people by surname, as a reference index has them (the last word of
    the name unless the registry says otherwise with `sort_as`), events newest first, as a calendar of them
    reads (their names often start with the same words: "Briefing by ..."), the others by name."""
    if entity.kind == "events" and entity.date:
        return f"{999_999 - entity.date.toordinal():06d} {_word_by_word(entity.name)}"  # later days first
    if entity.kind != "people":
        return _word_by_word(entity.name)
    if entity.sort_as:
        return _word_by_word(entity.sort_as)
    name = name_parts(entity.name)
    return _word_by_word(name.family) + "  " + _word_by_word(name.given)


def _word_by_word(name: str) -> str:
    """A name's key for sorting word by word, as an index is: "Azerbaijan National NGO Forum" before
    "Azerbaijani Youth Union" (the space sorts before every letter); each word folded as fuzzy_key folds it."""
    return " ".join(filter(None, (fuzzy_key(word) for word in name.split())))


def role_line(entity) -> str:
    """A person's role as the archive shows it: with the date of the report that gives it, where the registry
    has one, since roles change and an undated one reads as held today."""
    if entity.role and entity.role_date:
        return f"{entity.role}, as reported on {display_date(entity.role_date)}"
    return entity.role


class _Views:
    """Builds the plain-dict views the templates show; every link comes from Urls."""

    def __init__(self, index: SiteIndex, urls: Urls, config):
        self.index = index
        self.urls = urls
        self.config = config
        # A statement's card appears on many pages (its neighbours, related statements, every entity it
        # involves): built once and shared. Contexts are never changed after planning, so sharing is safe.
        self._cards: dict[int, dict] = {}
        self._links: dict[Ref, dict] = {}
        self._calendar: dict[int, dict[int, list[Statement]]] | None = None
        self._years: dict[Ref, dict] = {}
        self._events: dict | None = None
        self._within: dict | None = None

    def events(self, ref: Ref) -> list[dict]:
        """The events an organisation organised or a place held, newest first, with their dates; at a place, the
        venue within it where an event was held there."""
        if self._events is None:
            self._events = events_of(self.index.entities["events"], self.index.entities["places"])
        found = []
        for slug in self._events.get((ref.kind, ref.slug), ()):
            event = self.index.entities["events"][slug]
            date = event.date  # an event's date is required
            venue = event.place if ref.kind == "places" and event.place != ref.slug else ""
            found.append({**self.link(Ref("events", slug)), "date": date.isoformat(), "date_display": display_date(date),
                          "venue": self.link(Ref("places", venue)) if venue else None})
        return found

    def within(self, ref: Ref) -> list[dict]:
        """The places a place is within, nearest first ("Moscow", then its country)."""
        return [self.link(Ref("places", slug)) for slug in enclosing(self.index.entities["places"], ref.slug)] \
            if ref.kind == "places" else []

    def places_in(self, ref: Ref) -> list[dict]:
        """The places directly within a place, by name."""
        if ref.kind != "places":
            return []
        if self._within is None:
            self._within = places_within(self.index.entities["places"])
        return [self.link(Ref("places", slug)) for slug in self._within.get(ref.slug, ())]

    def entity(self, ref: Ref):
        return self.index.entities[ref.kind][ref.slug]

    def link(self, ref: Ref) -> dict:
        link = self._links.get(ref)
        if link is None:
            entity = self.entity(ref)
            link = {"name": entity.name, "href": self.urls.href(entity_url(ref.kind, ref.slug)),
                    "kind": KIND_SINGULAR[ref.kind]}
            self._links[ref] = link
        return link

    def calendar(self) -> dict[int, dict[int, list[Statement]]]:
        """{year: {month: statements}}, newest first, as the timeline's pages show them."""
        if self._calendar is None:
            self._calendar = {}
            for statement in self.index.statements:  # newest first
                date = statement.record.date
                self._calendar.setdefault(date.year, {}).setdefault(date.month, []).append(statement)
        return self._calendar

    def years(self, ref: Ref) -> dict:
        """An entity's appearances by year when they have a page per year, else {} (indexes.entity_years):
        the list of pages, the entity's page and each year's page all ask."""
        if ref not in self._years:
            self._years[ref] = entity_years(self.index.appearances.get(ref, ()), self.config.entity_page_limit)
        return self._years[ref]

    def card(self, statement: Statement) -> dict:
        card = self._cards.get(id(statement))
        if card is None:
            card = self._cards[id(statement)] = self._card(statement)
        return card

    def _card(self, statement: Statement) -> dict:
        # What this shows is what depends.card_print hashes: a field added here goes there too.
        record = statement.record
        return {
            "title": record.title,
            "href": self.urls.href(statement_url(statement)),
            "date": record.date.isoformat(),
            "date_display": display_date(record.date),
            "outlet": self.link(statement.outlet),
            "speakers": [self.link(r) for r in statement.speakers] or [self.link(r) for r in statement.organisations],
            "issued": not statement.speakers,  # then "speakers" are the organisations that issued it
            "event": self.link(statement.event) if statement.event else None,
            "summary": record.summary,
            "withdrawn": record.withdrawn is not None,
        }

    def citation_lead(self, statement: Statement) -> str:
        """The names a statement's citation begins with: its speakers, or the organisations that issued it."""
        return cited_names([self.entity(r).name for r in statement.speakers] or
                           [self.entity(r).name for r in statement.organisations])

    def citation(self, statement: Statement) -> str:
        """A plain-text citation; the reader fills in the date they accessed it."""
        record = statement.record
        lead = self.citation_lead(statement)
        reporter = reported_by(statement, self.index.entities)
        # A supplied title is bracketed; a headline is quoted, its own double quotes made single, as style guides nest them,
        # and a headline that ends as a sentence does ("What next?") takes no full stop of its own.
        title = f"{cited_title(record)}." if record.title_note else f'"{sentence(record.title.translate(_NESTED_QUOTES))}"'
        # A withdrawal is said as the citation files say it, with its reason: a reader quoting it should know.
        withdrawn = f" {sentence(capitalised(record.withdrawn.sentence))}" if record.withdrawn else ""
        return (f"{lead}{title} {display_date(record.date)}. Reported by {reporter}.{withdrawn} "
                f"{self.config.title}. {self.urls.absolute(statement_url(statement))} (accessed [date]).")


def cited_names(names: list[str], inferred=frozenset()) -> str:
    """The start of a citation: who said the words cited, each name in `inferred` said to be as the editors
    attribute the words (the report naming no one), or nothing."""
    if not names:
        return ""
    return ", ".join(name + (" (as the archive's editors attribute it)" if name in inferred else "")
                     for name in names) + ". "


NAV_SECTIONS = (TIMELINE_URL,) + tuple(list_url(kind) for kind in ENTITY_KINDS)  # "timeline/", "people/", ...


def _common(config, urls: Urls, title: str, site_path: str, kind: str) -> dict:
    # The main navigation's link to the section a page is in says so: aria-current "page" on the
    # section's own page, "true" on a page within it (a person's page, a year of the timeline).
    current = {section.rstrip("/"): ("page" if site_path == section else "true") if site_path.startswith(section) else ""
               for section in NAV_SECTIONS}
    return {
        "site": {"title": config.title, "description": config.description, "language": config.language},
        "nav": {
            "home": urls.href(HOME_URL),
            "timeline": urls.href(TIMELINE_URL),
            **{kind_: urls.href(list_url(kind_)) for kind_ in ENTITY_KINDS},
            "search": urls.href(SEARCH_URL), "data": urls.href(DATA_URL), "about": urls.href(ABOUT_URL),
            "corrections": urls.href(CORRECTIONS_URL),
            "feed": urls.href(FEED_URL), "css": urls.asset("style.css"), "js": urls.asset("site.js"),
            "search_js": urls.asset("search.js"), "icon": urls.asset("icon.svg"),
        },
        "page": {"title": title, "kind": kind, "canonical": urls.absolute(site_path), "href": urls.href(site_path),
                 "current": current},
    }


def plan_statement(views: _Views, statement: Statement, common) -> PageSpec:
    record = statement.record
    url = statement_url(statement)
    added = record.added if record.added and record.added > record.date else None  # worth saying: after its date
    said_by, notes, inferred = defaultdict(list), defaultdict(list), defaultdict(set)
    for quote in statement.quotes:
        link = views.link(quote.speaker)
        if link not in said_by[quote.paragraph_id]:
            said_by[quote.paragraph_id].append(link)
        if quote.note and quote.note not in notes[quote.paragraph_id]:
            notes[quote.paragraph_id].append(quote.note)
        if quote.note:  # this speaker's words here are attributed by the editors, not by the report
            inferred[quote.paragraph_id].add(link["name"])
    blocks = []
    for block in statement.body.blocks:
        speakers, block_notes = [], []
        for pid in block.paragraph_ids:
            speakers += [s for s in said_by.get(pid, []) if s not in speakers]
            block_notes += [n for n in notes.get(pid, []) if n not in block_notes]
        # A paragraph's citation (site.js) names who said it, where the archive attributes a quotation in it, not
        # every speaker of the statement: paragraph 6 of a report of seven speakers is one ambassador's words.
        leads = {pid: cited_names([s["name"] for s in said_by[pid]], inferred.get(pid, frozenset()))
                 for pid in block.paragraph_ids if said_by.get(pid)}
        blocks.append({"html": views.urls.in_site(block.html), "said_by": speakers, "notes": block_notes,
                       "cite_leads": leads})
    outlet = views.entity(statement.outlet)
    roles = dict(statement.roles)  # as this statement's report gives them; the registry's role is of one date
    previous, following = views.index.previous[url], views.index.following[url]
    context = {
        # The browser tab, link previews and bookmarks bracket an editors' title, as citations do.
        # A withdrawn statement says so there too, as its cards do: a tab, a bookmark or a link preview shows only that.
        **common(("Withdrawn: " if record.withdrawn else "") + cited_title(record), url, "statement"),
        "statement": {
            "title": record.title,
            "title_note": record.title_note,
            "date": record.date.isoformat(),
            "date_display": display_date(record.date),
            "date_note": record.date_note,
            "summary": record.summary,
            "author": record.author,
            "author_link": views.link(statement.author) if statement.author else None,
            "outlet": views.link(statement.outlet),
            "outlet_home": outlet.url,
            "source_url": record.source_url,
            "speakers": [{**views.link(r), "role": roles.get(r, "")} for r in statement.speakers],
            "organisations": [views.link(r) for r in statement.organisations],
            "event": views.link(statement.event) if statement.event else None,
            "places": [views.link(r) for r in statement.places],
            "mentions": [{**views.link(r), "role": roles.get(r, "")} for r in statement.mentions],
            "blocks": blocks,
            "quotes": [{"speaker": views.link(q.speaker), "text": q.text, "href": paragraph_url("", q.paragraph_id),
                        "paragraph": q.paragraph_id.removeprefix("p"), "note": q.note} for q in statement.quotes],
            "permalink": views.urls.absolute(url),
            "citation": views.citation(statement),
            "citation_lead": views.citation_lead(statement),
            "corrections": [{"date": c.date.isoformat(), "date_display": display_date(c.date), "note": c.note}
                            for c in record.corrections],
            "corrected": record.corrections[-1].date.isoformat() if record.corrections else "",
            "corrected_display": display_date(record.corrections[-1].date) if record.corrections else "",
            "added": added.isoformat() if added else "",
            "added_display": display_date(added) if added else "",
            "withdrawn": ({"date": record.withdrawn.date.isoformat(), "date_display": display_date(record.withdrawn.date),
                           "reason": sentence(record.withdrawn.reason)} if record.withdrawn else None),
        },
        "previous": views.card(previous) if previous else None,
        "next": views.card(following) if following else None,
        "related": [views.card(s) for s in views.index.related[url]],
    }
    return PageSpec(url, "statement.html", context)


# What the events on an organisation's or a place's page are to it.
EVENTS_LABELS = {"organisations": "Events it organised", "places": "Events held here"}
LATEST_ON_ENTITY_PAGE = 20  # statements shown on the page of an entity whose statements have a page per year


def _entity_view(views: _Views, ref: Ref) -> dict:
    entity = views.entity(ref)
    return {
        "name": entity.name,
        "href": views.urls.href(entity_url(ref.kind, ref.slug)),
        "kind": KIND_SINGULAR[ref.kind],
        "kind_title": KIND_TITLES[ref.kind],
        "kind_href": views.urls.href(list_url(ref.kind)),
        "aliases": list(entity.aliases),
        "role": role_line(entity),
        "body_html": views.urls.in_site(entity.body_html),
        "same_as": list(entity.same_as),
        "url": entity.url,
        "date": entity.date.isoformat() if entity.date else "",
        "date_display": display_date(entity.date) if entity.date else "",
        "place": views.link(Ref("places", entity.place)) if entity.place else None,
        "organisers": [views.link(Ref("organisations", s)) for s in entity.organisers],
        "events": views.events(ref),
        "within": views.within(ref),
        "places_in": views.places_in(ref),
        "events_label": EVENTS_LABELS.get(ref.kind, ""),
        "registered": entity.registered,
    }


def _appearances_view(views: _Views, ref: Ref, appearances) -> dict:
    """The statements an entity appears in, with its parts, and the quotations it gave in them."""
    quotes = []
    for appearance in appearances:
        statement = appearance.statement
        for quote in statement.quotes:
            if quote.speaker == ref:
                quotes.append({"text": quote.text, "href": paragraph_url(views.urls.href(statement_url(statement)), quote.paragraph_id),
                               "paragraph": quote.paragraph_id.removeprefix("p"), "statement": views.card(statement),
                               "note": quote.note})
    # The role the report gives them in each statement (its `roles`), beside their part in it; on a place's page,
    # the places within it that a statement names when it does not name the place itself.
    return {"appearances": [{"statement": views.card(a.statement), "roles": [ROLE_LABELS[r] for r in a.roles],
                             "reported_role": dict(a.statement.roles).get(ref, ""),
                             "at": [views.link(r) for r in a.at]} for a in appearances],
            "quotes": quotes}


def _years_view(views: _Views, ref: Ref, years: dict, current: int | None = None) -> list[dict]:
    return [{"year": year, "href": views.urls.href(entity_year_url(ref.kind, ref.slug, year)), "count": len(shown),
             "current": year == current} for year, shown in years.items()]


def plan_entity(views: _Views, ref: Ref, common) -> PageSpec:
    entity = views.entity(ref)
    url = entity_url(ref.kind, ref.slug)
    appearances = views.index.appearances.get(ref, ())
    # An entity in very many statements lists the newest here and every one on its years' pages:
    # at 50,000 statements one person's page of 5,907 was 6.6 MB.
    years = views.years(ref)
    shown = appearances[:LATEST_ON_ENTITY_PAGE] if years else appearances
    context = {
        **common(entity.name, url, KIND_SINGULAR[ref.kind]),
        "entity": _entity_view(views, ref),
        "count": len(appearances),
        "years": _years_view(views, ref, years),
        "latest_note": "" if not years else (f"The latest {len(shown)}, newest first; every statement is on its year's page."
                                             if len(shown) < len(appearances) else
                                             "Newest first; each year's statements are also on a page of their own."),
        "quotes_note": f"From the latest {len(shown)} statements; each year's page has all of that year's."
                       if len(shown) < len(appearances) else "",
        **_appearances_view(views, ref, shown),
    }
    return PageSpec(url, f"{KIND_SINGULAR[ref.kind]}.html", context)


def plan_entity_year(views: _Views, ref: Ref, year: int, common) -> PageSpec:
    entity = views.entity(ref)
    url = entity_year_url(ref.kind, ref.slug, year)
    years = views.years(ref)
    context = {
        **common(f"{entity.name}: {year}", url, "entity-year"),
        "entity": _entity_view(views, ref),
        "year": year,
        "count": plural(len(years[year])),
        "description": f"Statements involving {entity.name} in {year}.",
        "years": _years_view(views, ref, years, year),
        **_appearances_view(views, ref, years[year]),
    }
    return PageSpec(url, "entity-year.html", context)


def plan_list(views: _Views, kind: str, common) -> PageSpec:
    url = list_url(kind)
    entries = []
    for slug, entity in views.index.entities[kind].items():
        ref = Ref(kind, slug)
        appearances = views.index.appearances.get(ref, ())
        entries.append({**views.link(ref), "role": role_line(entity), "count": len(appearances),
                        "spoken": spoken_in(appearances) if kind == "people" else None,
                        "aliases": list(entity.aliases), "sort": (list_order(entity), slug),
                        "date": entity.date.isoformat() if entity.date else "",
                        "date_display": display_date(entity.date) if entity.date else ""})
    entries.sort(key=lambda e: e.pop("sort"))
    order = {"people": ", in order of surname", "events": ", newest first"}.get(kind, "")
    context = {**common(KIND_TITLES[kind], url, "list"), "kind": kind, "entries": entries,
               "description": f"The {plural(len(entries), KIND_SINGULAR[kind], kind)} of the archive{order}, with the "
                              "number of statements that involve each, and the other spellings of the names."}
    return PageSpec(url, f"{kind}.html", context)


def plan_timeline(views: _Views, common) -> PageSpec:
    """The archive's years and months with their counts; each year's statements are on its own page,
    so that no page grows with the whole archive (at 50,000 statements one page of them was 27 MB)."""
    years = []
    for year, months in views.calendar().items():
        href = views.urls.href(timeline_year_url(year))
        years.append({
            "year": year, "id": f"y{year}", "href": href,
            "count": plural(sum(len(statements) for statements in months.values())),
            "months": [{"name": MONTHS[month - 1], "id": timeline_month_id(year, month),
                        "href": views.urls.href(timeline_month_url(year, month)), "count": len(statements)}
                       for month, statements in months.items()],
        })
    count = plural(len(views.index.statements))
    context = {**common("Timeline", TIMELINE_URL, "timeline"), "years": years, "count": count,
               "description": f"The {count} of the archive, by year and month, newest first."}
    return PageSpec(TIMELINE_URL, "timeline.html", context)


def plan_timeline_year(views: _Views, year: int, common) -> PageSpec:
    url = timeline_year_url(year)
    calendar = views.calendar()
    months = calendar[year]
    context = {
        **common(f"Timeline: {year}", url, "timeline-year"),
        "year": year,
        "count": plural(sum(len(statements) for statements in months.values())),
        "description": f"Every statement of {year} in the archive, by month.",
        "timeline_href": views.urls.href(TIMELINE_URL),
        "years": [{"year": y, "href": views.urls.href(timeline_year_url(y)), "current": y == year} for y in calendar],
        "months": [{"name": MONTHS[month - 1], "id": timeline_month_id(year, month),
                    "statements": [views.card(s) for s in statements]} for month, statements in months.items()],
    }
    return PageSpec(url, "timeline-year.html", context)


def plan_home(views: _Views, common) -> PageSpec:
    latest = [views.card(s) for s in views.index.statements[: views.config.latest_count]]
    ways_in = [{"title": KIND_TITLES[kind], "href": views.urls.href(list_url(kind)),
                "count": plural(len(views.index.entities[kind]), KIND_SINGULAR[kind], kind)} for kind in ENTITY_KINDS]
    context = {**common(views.config.title, HOME_URL, "home"), "latest": latest, "ways_in": ways_in,
               "statement_count": len(views.index.statements)}
    return PageSpec(HOME_URL, "home.html", context)


def plan_corrections(views: _Views, common) -> PageSpec:
    """The archive's corrections column: every correction and withdrawal, newest first, by year, each with the
    statement it changed. Shows of a statement only what depends.py hashes for this page."""
    years: dict[int, list] = {}
    log = corrections_log(views.index.statements)
    for change in log:
        record = change.statement.record
        href = views.urls.href(statement_url(change.statement))
        entry = {"date": change.date.isoformat(), "date_display": display_date(change.date), "withdrawn": change.withdrawn,
                 "notes": [sentence(change.note) if change.withdrawn else change.note],
                 "href": href if change.withdrawn else href + "#corrections",  # a withdrawal is said at its page's top
                 "title": record.title, "statement_date": display_date(record.date),
                 "outlet": views.entity(change.statement.outlet).name}
        entries = years.setdefault(change.date.year, [])
        if entries and not change.withdrawn and (entries[-1]["href"], entries[-1]["date"]) == (entry["href"], entry["date"]):
            entries[-1]["notes"] += entry["notes"]  # a statement's corrections of one day, under its title once
        else:
            entries.append(entry)
    context = {**common("Corrections and withdrawals", CORRECTIONS_URL, "corrections"),
               "description": "Every correction and withdrawal of a published statement in the archive, newest first.",
               "years": [{"year": year, "id": f"y{year}", "entries": entries} for year, entries in years.items()],
               "count": plural(len(log), "change", "changes"), "about": views.urls.href(ABOUT_URL) + "#changes"}
    return PageSpec(CORRECTIONS_URL, "corrections.html", context)


def plan_not_found(views: _Views, common) -> PageSpec:
    """The page of any missing address. An address of the statements' by date (a day's folder, which has no page,
    or a statement's address mistyped after its date) is led by site.js to that month on the timeline: the page
    carries the timeline's address of each year and month the archive has, so that it links to no other."""
    places = {str(year): {"": views.urls.href(timeline_year_url(year)),
                          **{f"{month:02d}": views.urls.href(timeline_month_url(year, month)) for month in months}}
              for year, months in views.calendar().items()}
    context = {**common("Page not found", NOT_FOUND_URL, "404"), "description": "There is no page at this address.",
               "lost": {"statements": views.urls.href(STATEMENTS_URL), "timeline": views.urls.href(TIMELINE_URL),
                        "places": places, "months": " ".join(MONTHS)}}
    return PageSpec(NOT_FOUND_URL, "404.html", context)


def _redirect(views: _Views, common, old: str, target: str, title: str, heading: str, lead: str = "It is now at",
              document_title: str = "") -> PageSpec:
    """A page at `old` that sends readers on to `target`. `title` is the link's text; the page's own is
    `document_title`, else "Moved: " and the link's."""
    context = {**common(document_title or title, target.partition("#")[0], "redirect"),
               "target": views.urls.href(target), "title": title, "heading": heading, "lead": lead,
               "document_title": document_title or f"Moved: {title}",
               "keep_hash": "#" not in target}  # a link to #p3 of an old address goes to #p3 of the new
    return PageSpec(old, "redirect.html", context)


def plan_redirects(views: _Views, common) -> list[PageSpec]:
    """A page at every old address (a statement's aliases, an entity's old_urls) that sends readers on."""
    redirect = partial(_redirect, views, common)

    pages = [redirect(alias, statement_url(statement), cited_title(statement.record), "This statement has moved")
             for statement in views.index.statements for alias in statement.record.aliases]
    for kind in ENTITY_KINDS:
        for slug, entity in sorted(views.index.entities[kind].items()):
            heading = f"This {KIND_SINGULAR[kind]}'s page has moved"
            # Each of its years' pages too (/people/old-slug/2023/): a year's page is cited, as its page is.
            years = views.years(Ref(kind, slug)) if entity.old_urls else {}
            for old in entity.old_urls:
                pages.append(redirect(old, entity_url(kind, slug), entity.name, heading))
                pages += [redirect(f"{old}{year}/", entity_year_url(kind, slug, year), f"{entity.name}: {year}", heading)
                          for year in years]
    return pages


def plan_date_folder(views: _Views, folder: str, common) -> PageSpec:
    """A folder by date of the statements' addresses (indexes.date_folder_targets) leads to its place on the
    timeline. Planned only when made: an edit makes none again."""
    year, month = views.index.date_folders[folder]
    heading = date_folder_heading(folder)
    where = ("the timeline" if year is None else f"the timeline of {year}" if month is None else
             f"the timeline of {year}, under {MONTHS[month - 1]}")
    return _redirect(views, common, folder, timeline_place_url(year, month), where, heading, "They are listed in",
                     heading)


def date_folder_heading(folder: str) -> str:
    """"Statements of March 2025", of a folder of statement addresses by date (urls.date_folder)."""
    year, month = date_folder(folder)
    if year is None:
        return "Statements by date"
    return "Statements of " + (display_month(year, month) if month else str(year))


@dataclass(frozen=True)
class PageStub:
    """A page before it is planned: its address and kind, and how to plan it."""

    url: str
    kind: str  # the context's page kind: "statement", "person", "list", "redirect", ...
    plan: Callable[[], PageSpec]


def outline(index: SiteIndex, config, urls: Urls) -> list[PageStub]:
    """Every page of the site, in a stable order, not yet planned (planning is the costly part)."""
    views = _Views(index, urls, config)

    def common(title, site_path, kind):
        return _common(config, urls, title, site_path, kind)

    stubs = [PageStub(HOME_URL, "home", lambda: plan_home(views, common)),
             PageStub(TIMELINE_URL, "timeline", lambda: plan_timeline(views, common))]
    stubs += [PageStub(timeline_year_url(year), "timeline-year", partial(plan_timeline_year, views, year, common))
              for year in views.calendar()]
    stubs += [PageStub(statement_url(s), "statement", partial(plan_statement, views, s, common))
              for s in index.statements]
    for kind in ENTITY_KINDS:
        stubs.append(PageStub(list_url(kind), "list", partial(plan_list, views, kind, common)))
        for slug in sorted(index.entities[kind]):
            ref = Ref(kind, slug)
            stubs.append(PageStub(entity_url(kind, slug), KIND_SINGULAR[kind], partial(plan_entity, views, ref, common)))
            stubs += [PageStub(entity_year_url(kind, slug, year), "entity-year",
                               partial(plan_entity_year, views, ref, year, common))
                      for year in views.years(ref)]
    stubs.append(PageStub(CORRECTIONS_URL, "corrections", lambda: plan_corrections(views, common)))
    stubs += [PageStub(folder, "redirect", partial(plan_date_folder, views, folder, common))
              for folder in index.date_folders]
    planned = [(spec, "redirect") for spec in plan_redirects(views, common)]  # few: planned at once
    planned += [(spec, spec.context["page"]["kind"]) for spec in extra_pages(config, urls, common)]
    stubs += [PageStub(spec.url, kind, partial(_given, spec)) for spec, kind in planned]
    stubs.append(PageStub(NOT_FOUND_URL, "404", lambda: plan_not_found(views, common)))
    return stubs


def _given(spec: PageSpec) -> PageSpec:
    return spec

