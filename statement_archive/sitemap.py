"""sitemap.xml (sitemaps.org 0.9) and robots.txt, so search engines find every page.

Redirect stubs and the 404 page are left out. lastmod comes from the content: a statement's
date, the newest statement an entity appears in, or the newest of a year's statements (on the
timeline's or an entity's page of that year), or a later correction or withdrawal of a statement
on the page (the corrections column: its newest); never from the clock.
"""

from __future__ import annotations

from html import escape as html_escape

from .indexes import corrections_log, places_around, statement_roles
from .model import ENTITY_KINDS, SiteIndex
from .urls import (ROBOTS_URL, SITEMAP_URL, Urls, entity_url, entity_year_url, sitemap_part_url, statement_url,
                   timeline_year_url)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# sitemaps.org allows at most 50,000 URLs (and 50 MB) in one file; a larger site (about 79,000 pages
# at 50,000 statements) gets sitemap.xml as an index of sitemap-1.xml, sitemap-2.xml, ...
URLS_PER_SITEMAP = 50_000
LEFT_OUT_KINDS = {"redirect", "404"}


def sitemap_entries(pages: list[tuple[str, str]], index: SiteIndex) -> list[tuple[str, str]]:
    """(site path, lastmod or "") for every page a reader should land on, in plan order.

    `pages` is (site path, page kind) for every page, as plan.outline gives them.
    """
    dates = {statement_url(s): s.record.date.isoformat() for s in index.statements}
    for statement in reversed(index.statements):  # oldest first, so each year keeps its newest
        dates[timeline_year_url(statement.record.date.year)] = statement.record.date.isoformat()
    entities = index.entities
    years_of_entities = {url for url, kind in pages if kind == "entity-year"}
    for ref, appearances in index.appearances.items():  # not a Ref made per entity: it hashes in Python
        if appearances and ref.kind in ENTITY_KINDS and ref.slug in entities[ref.kind]:
            newest = appearances[0].statement.record.date  # newest first
            dates[entity_url(ref.kind, ref.slug)] = newest.isoformat()
            if entity_year_url(ref.kind, ref.slug, newest.year) in years_of_entities:  # its year pages, if it has them
                for appearance in reversed(appearances):  # oldest first, so each year keeps its newest
                    date = appearance.statement.record.date
                    dates[entity_year_url(ref.kind, ref.slug, date.year)] = date.isoformat()
    newest = index.statements[0].record.date.isoformat() if index.statements else ""
    for statement in index.statements:
        if statement.record.modified > statement.record.date:  # few: a correction dates the pages showing it
            newest = max(newest, _corrected(dates, statement, years_of_entities, entities["places"]))
    log = corrections_log(index.statements)
    listing = {"home": newest, "timeline": newest, "list": newest,
               "corrections": log[0].date.isoformat() if log else ""}
    return [(url, dates.get(url) or listing.get(kind, "")) for url, kind in pages if kind not in LEFT_OUT_KINDS]


def _corrected(dates: dict, statement, years_of_entities: set, places: dict) -> str:
    """Moves the lastmod of each page that shows `statement` to its latest correction, where that is later."""
    modified = statement.record.modified.isoformat()
    year = statement.record.date.year
    pages = [statement_url(statement), timeline_year_url(year)]
    # The pages of the places around its places list it too (indexes.places_around).
    around = places_around(statement, places) if statement.places else []
    for ref, _ in statement_roles(statement) + around:
        pages.append(entity_url(ref.kind, ref.slug))
        if entity_year_url(ref.kind, ref.slug, year) in years_of_entities:
            pages.append(entity_year_url(ref.kind, ref.slug, year))
    for page in pages:
        dates[page] = max(dates.get(page, ""), modified)
    return modified


def escape(text: str) -> str:
    """&, < and > as XML character entities, as xml.sax.saxutils.escape does; that module imports
    urllib.request, and with it http.client, email and ssl (20 ms of every build's start)."""
    return html_escape(text, quote=False)


def build_sitemap(entries: list[tuple[str, str]], urls: Urls) -> bytes:
    """Written as text (escaped by `escape`), laid out as ElementTree's indent() would:
    at 10,000 statements building the tree and indenting it took about a second of every build
    under the profiler."""
    if not entries:
        return f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\" />\n".encode("utf-8")
    base = escape(urls.absolute(""))  # a site path's address is this followed by the path
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<urlset xmlns="{SITEMAP_NS}">']
    for site_path, lastmod in entries:
        loc = base + escape(site_path) if not site_path.startswith("/") else escape(urls.absolute(site_path))
        if lastmod:
            lines.append(f"  <url>\n    <loc>{loc}</loc>\n    <lastmod>{escape(lastmod)}</lastmod>\n  </url>")
        else:
            lines.append(f"  <url>\n    <loc>{loc}</loc>\n  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots_txt(urls: Urls) -> bytes:
    """Allow everything and point to the sitemap (robots.txt is only read at a domain's root)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(SITEMAP_URL)}\n".encode("utf-8")


def build_sitemap_index(parts: list[tuple[str, str]], urls: Urls) -> bytes:
    """A sitemap index: (site path of a sitemap, its newest lastmod or "") for each part."""
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for site_path, lastmod in parts:
        when = f"\n    <lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
        lines.append(f"  <sitemap>\n    <loc>{escape(urls.absolute(site_path))}</loc>{when}\n  </sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines).encode("utf-8")


def discovery_files(pages: list[tuple[str, str]], index: SiteIndex, urls: Urls, limit: int | None = None) -> dict[str, bytes]:
    limit = limit or URLS_PER_SITEMAP
    entries = sitemap_entries(pages, index)
    if len(entries) <= limit:
        return {SITEMAP_URL: build_sitemap(entries, urls), ROBOTS_URL: robots_txt(urls)}
    files, parts = {}, []
    for number, start in enumerate(range(0, len(entries), limit), 1):
        part = entries[start:start + limit]
        files[sitemap_part_url(number)] = build_sitemap(part, urls)
        parts.append((sitemap_part_url(number), max(lastmod for _, lastmod in part)))  # ISO dates sort as text
    return {**files, SITEMAP_URL: build_sitemap_index(parts, urls), ROBOTS_URL: robots_txt(urls)}
