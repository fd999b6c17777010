"""Atom feeds (RFC 4287): the whole site, and one for every person, organisation, event, outlet and place.

Entries carry the full text. Ids are the statements' permalinks, which never change, and
every date comes from the content (a statement's date), never from the clock, so two builds
of the same content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from .model import ENTITY_KINDS, Ref, SiteIndex, Statement
from .urls import FEED_URL, HOME_URL, Urls, entity_feed_url, entity_url, statement_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50  # newest entries per feed; the open data has everything
EPOCH = dt.date(1970, 1, 1)
XML_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"


def _utf8(element: ET.Element) -> bytes:
    """What ET.tostring(element, encoding="utf-8") gives, about a quarter faster: serialised as text
    and encoded once, not through a text wrapper that encodes each of thousands of small writes
    (the same error handler, for the same bytes)."""
    return ET.tostring(element, encoding="unicode").encode("utf-8", "xmlcharrefreplace")


def timestamp(date: dt.date) -> str:
    """RFC 3339 at midnight UTC: statements are dated by day."""
    return f"{date.isoformat()}T00:00:00Z"


def _el(parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
    """A child element; `xml_base` becomes xml:base (written literally, like xmlns on the root)."""
    if "xml_base" in attrs:
        attrs["xml:base"] = attrs.pop("xml_base")
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


class _Feeds:
    def __init__(self, index: SiteIndex, urls: Urls, site_title: str, language: str):
        self.index = index
        self.urls = urls
        self.site_title = site_title
        self.language = language
        self.entries: dict[int, bytes] = {}  # id(statement) -> serialised <entry>

    def entity(self, ref: Ref):
        return self.index.entities[ref.kind][ref.slug]

    def content_html(self, statement: Statement) -> str:
        record = statement.record
        outlet = self.entity(statement.outlet).name
        source = f' <a href="{html.escape(record.source_url)}">Original report</a>.' if record.source_url else ""
        lead = f"<p><em>Reported by {html.escape(outlet)} on {record.date.isoformat()}.</em>{source}</p>\n"
        return lead + "\n".join(block.html for block in statement.body.blocks)

    def entry(self, statement: Statement) -> bytes:
        """One statement's <entry>, serialised once and reused by every feed it appears in."""
        key = id(statement)  # statements live as long as the index this object serves
        if key in self.entries:
            return self.entries[key]
        record = statement.record
        url = statement_url(statement)
        entry = ET.Element("entry")
        _el(entry, "id", self.urls.identifier(url))
        _el(entry, "title", record.title, type="text")
        _el(entry, "link", rel="alternate", type="text/html", href=self.urls.absolute(url))
        _el(entry, "published", timestamp(record.date))
        _el(entry, "updated", timestamp(record.date))
        authors = list(statement.speakers) or list(statement.organisations) or [statement.outlet]
        for ref in authors:
            author = _el(entry, "author")
            _el(author, "name", self.entity(ref).name)
            _el(author, "uri", self.urls.absolute(entity_url(ref.kind, ref.slug)))
        refs = list(statement.speakers) + list(statement.organisations) + list(statement.mentions)
        refs += [statement.event] if statement.event else []
        for ref in dict.fromkeys(refs):
            _el(entry, "category", term=ref.slug, label=self.entity(ref).name, scheme=self.urls.absolute(f"{ref.kind}/"))
        if record.summary:
            _el(entry, "summary", record.summary, type="text")
        _el(entry, "content", self.content_html(statement), type="html", xml_base=self.urls.absolute(url))
        ET.indent(entry, level=1)
        self.entries[key] = b"  " + _utf8(entry) + b"\n"
        return self.entries[key]

    def feed(self, feed_path: str, page_path: str, title: str, subtitle: str, statements, fallback: dt.date) -> bytes:
        chosen = list(statements)[:FEED_LIMIT]  # newest first
        root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": self.language})
        _el(root, "id", self.urls.identifier(feed_path))
        _el(root, "title", title, type="text")
        if subtitle:
            _el(root, "subtitle", subtitle, type="text")
        _el(root, "link", rel="self", type="application/atom+xml", href=self.urls.absolute(feed_path))
        _el(root, "link", rel="alternate", type="text/html", href=self.urls.absolute(page_path))
        newest = max((s.record.date for s in chosen), default=fallback)
        _el(root, "updated", timestamp(newest))
        author = _el(root, "author")
        _el(author, "name", self.site_title)
        _el(author, "uri", self.urls.absolute(HOME_URL))
        _el(root, "generator", "statement-archive")
        ET.indent(root)
        head, closing, _ = _utf8(root).rpartition(b"</feed>")
        entries = b"".join(self.entry(statement) for statement in chosen)
        return XML_DECLARATION + head + entries + closing + b"\n"


def feed_title(site_title: str, name: str) -> str:
    return f"{name} · {site_title}"


def build_feeds(index: SiteIndex, urls: Urls, site_title: str, description: str, language: str,
                reuse=frozenset()) -> Iterator[tuple[str, bytes]]:
    """(site path, bytes) of the site feed and every entity's feed but those in `reuse`, one at a time."""
    feeds = _Feeds(index, urls, site_title, language)
    newest = index.statements[0].record.date if index.statements else EPOCH
    yield FEED_URL, feeds.feed(FEED_URL, HOME_URL, site_title, description, index.statements, newest)
    for kind in ENTITY_KINDS:
        for slug in sorted(index.entities[kind]):
            path = entity_feed_url(kind, slug)
            if path in reuse:
                continue
            ref = Ref(kind, slug)
            entity = index.entities[kind][slug]
            statements = [a.statement for a in index.appearances.get(ref, ())]
            yield path, feeds.feed(path, entity_url(kind, slug), feed_title(site_title, entity.name),
                                   f"Statements involving {entity.name}", statements, newest)


def feed_links(urls: Urls, site_title: str, ref: Ref | None = None, name: str = "") -> list[dict]:
    """Autodiscovery links for a page: the site feed, and the entity's own feed on its page."""
    links = [{"title": f"{site_title} (all statements)", "href": urls.href(FEED_URL)}]
    if ref is not None:
        links.insert(0, {"title": feed_title(site_title, name), "href": urls.href(entity_feed_url(ref.kind, ref.slug))})
    return links
