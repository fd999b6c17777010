"""sitemap.xml (sitemaps.org 0.9) and robots.txt, so search engines find every page.

Redirect stubs and the 404 page are left out. lastmod comes from the content: a statement's
date, or the newest statement an entity appears in; never from the clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import ENTITY_KINDS, Ref, SiteIndex
from .urls import ROBOTS_URL, SITEMAP_URL, Urls, entity_url, statement_url

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
LEFT_OUT_KINDS = {"redirect", "404"}


def sitemap_entries(pages: list[tuple[str, str]], index: SiteIndex) -> list[tuple[str, str]]:
    """(site path, lastmod or "") for every page a reader should land on, in plan order.

    `pages` is (site path, page kind) for every page, as plan.outline gives them.
    """
    dates = {statement_url(s): s.record.date for s in index.statements}
    for kind in ENTITY_KINDS:
        for slug in index.entities[kind]:
            appearances = index.appearances.get(Ref(kind, slug), ())
            if appearances:
                dates[entity_url(kind, slug)] = appearances[0].statement.record.date  # newest first
    newest = index.statements[0].record.date if index.statements else None
    entries = []
    for url, kind in pages:
        if kind in LEFT_OUT_KINDS:
            continue
        date = dates.get(url, newest if kind in ("home", "timeline", "list") else None)
        entries.append((url, date.isoformat() if date else ""))
    return entries


def build_sitemap(entries: list[tuple[str, str]], urls: Urls) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for site_path, lastmod in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = urls.absolute(site_path)
        if lastmod:
            ET.SubElement(url, "lastmod").text = lastmod
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots_txt(urls: Urls) -> bytes:
    """Allow everything and point to the sitemap (robots.txt is only read at a domain's root)."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(SITEMAP_URL)}\n".encode("utf-8")


def discovery_files(pages: list[tuple[str, str]], index: SiteIndex, urls: Urls) -> dict[str, bytes]:
    return {SITEMAP_URL: build_sitemap(sitemap_entries(pages, index), urls), ROBOTS_URL: robots_txt(urls)}
