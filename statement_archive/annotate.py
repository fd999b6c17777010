"""Stage 5b, annotate: add what readers' tools need to the planned pages, and plan the search
and "About the data" pages.

Runs after plan.py and before render.py. Every page gets head metadata (description, Open
Graph and Twitter tags, JSON-LD, feed autodiscovery); statement pages get search filters, citation
downloads and the tags that reference managers read (citations.page_meta); entity pages and the
home page get the chart of statements per month; entity pages get "appears with". Contexts stay
plain dicts with every link built by urls.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .appears_with import appears_with, statement_companions
from .chart import monthly_chart
from .citations import DUBLIN_CORE, download_links, page_meta, work_of
from .entities import KIND_SINGULAR
from .feeds import FEED_LIMIT, feed_links
from .jsonld import dataset_jsonld, entity_jsonld, home_jsonld, page_jsonld, statement_jsonld
from .model import ENTITY_KINDS, PageSpec, Ref, SiteIndex
from .opendata import ENTITY_FIELDS, STATEMENT_FIELDS, data_files_list, text_blocks
from .search import entity_search, search_page_context, statement_search
from .urls import (
    ABOUT_URL, DATA_URL, FEED_URL, HOME_URL, NOT_FOUND_URL, SEARCH_URL, SITEMAP_URL, STATEMENT_JSON, TIMELINE_URL, Urls,
    data_file_url,
    entity_feed_url, entity_url, list_url, statement_file_url, statement_url, timeline_month_url,
)

if TYPE_CHECKING:
    from .plan import PageStub

APPEARS_WITH_LIMIT = 30
PAGE_TYPES = {"list": "CollectionPage", "timeline": "CollectionPage", "timeline-year": "CollectionPage",
              "entity-year": "CollectionPage",
              "search": "SearchResultsPage"}
# Characters of a description cut from a statement's text, "…" included: about what search engines show of one and
# what link previews keep (Hugo's summary, 70 words, is longer than either shows).
DESCRIPTION_LIMIT = 160
DATA_DESCRIPTION = ("Every statement in the archive with its text, quotations and the people, organisations, "
                    "events, outlets and places it involves, as JSON and CSV, and the registry of those entities.")


def text_start(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The start of a plain text, on one line: all of it if it fits in `limit` characters, else cut after the last
    whole word that leaves room for "…" (a comma or dash before the cut dropped), or within a word longer than that."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    start = text[:limit] if text[limit] == " " else text[:limit].rpartition(" ")[0]  # whole words
    start = start.rstrip(" ,;:-–—")
    while len(start) > limit - 1:  # room for the "…"
        start = start.rpartition(" ")[0].rstrip(" ,;:-–—")
    return (start or text[:limit - 1]) + "…"


def statement_description(statement, title: str) -> str:
    """What a statement's page says it is, for search results, link previews and reference managers: the editors'
    summary, else the start of its text's first paragraph (of any block of words, else its title), as plain text.
    The site's description, given before, was shown as if it were the statement's, and Zotero saved it as its
    abstract. (The citation_abstract tag is the summary's only: the text's start is no abstract.)"""
    if statement.record.summary:
        return statement.record.summary
    first = next((p.text for p in statement.body.paragraphs if p.text.strip()), None)
    if first is None:  # a text of lists or headings only: the first line of words, a list's first item
        lines = (line for block in text_blocks(statement.body) for line in block["text"].splitlines())
        first = next((line for line in lines if line.strip()), title)
    return text_start(first)


def extra_pages(config, urls: Urls, common) -> list[PageSpec]:
    """The search page and the "About the data" page; `common` is plan.py's shared context."""
    browse = [{"title": "Timeline", "href": urls.href(TIMELINE_URL)}]
    browse += [{"title": kind.capitalize(), "href": urls.href(list_url(kind))} for kind in ENTITY_KINDS]
    search = {**common("Search", SEARCH_URL, "search"), "search": search_page_context(urls), "browse": browse,
              "description": "Search the full text of every statement, and the people, organisations, events, outlets "
                             "and places of the archive by any spelling of their names."}
    data = {
        **common("About the data", DATA_URL, "data"),
        "files": data_files_list(urls),
        "statement_fields": [{"name": n, "type": t, "description": d} for n, t, d in STATEMENT_FIELDS],
        "entity_fields": [{"name": n, "type": t, "description": d} for n, t, d in ENTITY_FIELDS],
        "feed": urls.href(FEED_URL),
        "feed_limit": FEED_LIMIT,
        "sitemap": urls.href(SITEMAP_URL),
    }
    about = {**common("About this archive", ABOUT_URL, "about"),
             "description": "How the archive keeps its records: texts as published, attributions, corrections and "
                            "withdrawals, and how to cite a statement or one paragraph of it.",
             "about": {"data": urls.href(DATA_URL), "feed": urls.href(FEED_URL), "search": urls.href(SEARCH_URL)}}
    return [PageSpec(SEARCH_URL, "search.html", search), PageSpec(DATA_URL, "about-data.html", data),
            PageSpec(ABOUT_URL, "about.html", about)]


class _Annotator:
    def __init__(self, index: SiteIndex, config, urls: Urls):
        self.index = index
        self.config = config
        self.urls = urls
        self.statements = {statement_url(s): s for s in index.statements}
        self.entities = {entity_url(k, slug): Ref(k, slug) for k in ENTITY_KINDS for slug in index.entities[k]}
        self.companions: dict[int, set] = {}  # id(statement) -> its people and organisations
        dates = [s.record.date for s in index.statements]
        self.span = ((min(dates).year, min(dates).month), (max(dates).year, max(dates).month)) if dates else None

    def month_href(self, year: int, month: int) -> str:
        return self.urls.href(timeline_month_url(year, month))

    def companions_of(self, statement) -> set:
        key = id(statement)
        if key not in self.companions:
            self.companions[key] = statement_companions(statement)
        return self.companions[key]

    def meta(self, context: dict, description: str, og_type: str, jsonld: dict, feeds: list, extra_og=()) -> dict:
        page, site = context["page"], context["site"]
        title = page["title"]
        og = [("og:type", og_type), ("og:title", title), ("og:description", description),
              ("og:url", page["canonical"]), ("og:site_name", site["title"]), *extra_og]
        twitter = [("twitter:card", "summary"), ("twitter:title", title), ("twitter:description", description)]
        return {"description": description, "og": [{"property": p, "content": c} for p, c in og],
                "twitter": [{"name": n, "content": c} for n, c in twitter], "jsonld": jsonld, "feeds": feeds,
                "citation": [], "links": []}

    def site_feeds(self) -> list:
        return feed_links(self.urls, self.config.title)

    def statement(self, spec: PageSpec) -> dict:
        statement = self.statements[spec.url]
        record = statement.record
        jsonld = statement_jsonld(statement, self.index, self.urls, self.config.title, self.config.language)
        description = statement_description(statement, spec.context["page"]["title"])
        # Changed since (corrected, withdrawn, added later), it says when, as its JSON-LD's dateModified does.
        published = [("article:published_time", record.date.isoformat())] + (
            [("article:modified_time", record.modified.isoformat())] if record.modified != record.date else [])
        meta = self.meta(spec.context, description, "article", jsonld, self.site_feeds(), published)
        # For reference managers' browser connectors: the statement as its citation files give it.
        work = work_of(statement, self.index, self.urls, self.config.title, self.config.language)
        meta["citation"] = [{"name": n, "content": c} for n, c in page_meta(work)]
        downloads = download_links(statement, self.urls)
        meta["links"] = [{"rel": "schema.DC", "href": DUBLIN_CORE, "type": "", "title": ""}] + [
            {"rel": "alternate", "href": d["href"], "type": d["type"], "title": f"Citation ({d['label']})"}
            for d in downloads]
        return {
            "meta": meta,
            "search": {**statement_search(statement, self.index),
                       "date_display": spec.context["statement"]["date_display"]},
            "cite": {"downloads": downloads,
                     "json": self.urls.href(statement_file_url(statement, STATEMENT_JSON))},
        }

    def entity(self, spec: PageSpec) -> dict:
        ref = self.entities[spec.url]
        entity = self.index.entities[ref.kind][ref.slug]
        appearances = self.index.appearances.get(ref, ())
        companions = appears_with(self.index, ref, self.companions_of)
        role = spec.context["entity"]["role"]  # as the page shows it (plan.role_line)
        description = f"{entity.name}: {role}" if role else f"Statements involving {entity.name}."
        feeds = feed_links(self.urls, self.config.title, ref, entity.name)
        og_type = "profile" if ref.kind == "people" else "website"
        return {
            "meta": self.meta(spec.context, description, og_type, entity_jsonld(ref, self.index, self.urls), feeds),
            "search": {**entity_search(ref, self.index, KIND_SINGULAR[ref.kind].capitalize()),
                       "date_display": spec.context["entity"]["date_display"]},
            "chart": monthly_chart([a.statement.record.date for a in appearances], self.month_href,
                                   f"Statements involving {entity.name}", self.span),
            "appears_with": [{"name": self.index.entities[r.kind][r.slug].name, "count": n,
                              "href": self.urls.href(entity_url(r.kind, r.slug)), "kind": KIND_SINGULAR[r.kind]}
                             for r, n in companions[:APPEARS_WITH_LIMIT]],
            "appears_with_more": max(0, len(companions) - APPEARS_WITH_LIMIT),
            "feed": {"href": self.urls.href(entity_feed_url(ref.kind, ref.slug)), "title": feeds[0]["title"]},
        }

    def entity_year(self, spec: PageSpec) -> dict:
        """A year's page of an entity: as other pages, but its feeds are the entity's and the site's, as on its page."""
        extra = self.other(spec)
        ref = self.entities[spec.url.rstrip("/").rpartition("/")[0] + "/"]
        extra["meta"]["feeds"] = feed_links(self.urls, self.config.title, ref, self.index.entities[ref.kind][ref.slug].name)
        return extra

    def home(self, spec: PageSpec) -> dict:
        config = self.config
        jsonld = home_jsonld(self.urls, config.title, config.description, config.language)
        return {"meta": self.meta(spec.context, config.description, "website", jsonld, self.site_feeds()),
                "chart": monthly_chart([s.record.date for s in self.index.statements], self.month_href,
                                       "Statements in the archive")}

    def data_page(self, spec: PageSpec) -> dict:
        downloads = [{"type": "application/json" if f["name"].endswith(".json") else "text/csv",
                      "url": self.urls.absolute(data_file_url(f["name"]))} for f in spec.context["files"]]
        jsonld = dataset_jsonld(self.urls, self.config.title, spec.url, DATA_DESCRIPTION, downloads)
        return {"meta": self.meta(spec.context, DATA_DESCRIPTION, "website", jsonld, self.site_feeds())}

    def other(self, spec: PageSpec) -> dict:
        kind = spec.context["page"]["kind"]
        title = spec.context["page"]["title"]
        jsonld = page_jsonld(self.urls, self.config.title, spec.url, title, PAGE_TYPES.get(kind, "WebPage"))
        description = spec.context.get("description") or self.config.description
        return {"meta": self.meta(spec.context, description, "website", jsonld, self.site_feeds())}

    def not_found(self, spec: PageSpec) -> dict:
        """The page of any missing address names no address of its own: a link preview or a crawler would
        otherwise take /404.html for the address asked for (no canonical link either: 404.html)."""
        extra = self.other(spec)
        extra["meta"]["og"] = [tag for tag in extra["meta"]["og"] if tag["property"] != "og:url"]
        extra["meta"]["jsonld"] = {k: v for k, v in extra["meta"]["jsonld"].items() if k not in ("@id", "url")}
        return extra

    def annotate(self, spec: PageSpec) -> PageSpec:
        if spec.url in self.statements and spec.template == "statement.html":
            extra = self.statement(spec)
        elif spec.url in self.entities:
            extra = self.entity(spec)
        elif spec.template == "entity-year.html":
            extra = self.entity_year(spec)
        elif spec.url == HOME_URL:
            extra = self.home(spec)
        elif spec.url == DATA_URL:
            extra = self.data_page(spec)
        elif spec.url == NOT_FOUND_URL:
            extra = self.not_found(spec)
        else:
            extra = self.other(spec)
        return PageSpec(spec.url, spec.template, {**spec.context, **extra})


def page_planner(index: SiteIndex, config, urls: Urls) -> Callable[[PageStub], PageSpec]:
    """Plans and annotates one page from its stub, so a build can plan each page just before it
    renders it, in the worker that renders it, and let the context go at once."""
    annotator = _Annotator(index, config, urls)
    return lambda stub: annotator.annotate(stub.plan())
