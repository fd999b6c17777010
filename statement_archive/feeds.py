"""Atom feeds (RFC 4287): the whole site, and one for every person, organisation, event, outlet and place.

Entries carry the full text, without the page's ¶ links, and with every link a whole address, for
readers that ignore an entry's xml:base. Ids are the statements' permalinks (or, for one that moved, its
first address), and every date comes from the content (a statement's date, and the date of its
latest correction as its `updated`, so that readers see it again), never from the clock, so two
builds of the same content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import html
from collections.abc import Iterator

from .cache import Chunks, Spool, SpoolRange
from .citations import byline, cited_title
from .markup import without_pilcrows
from .model import ENTITY_KINDS, Ref, SiteIndex, Statement, capitalised, display_date
from .urls import FEED_URL, HOME_URL, Urls, entity_feed_url, entity_url, list_url, old_feed_url, statement_url

ATOM = "http://www.w3.org/2005/Atom"
FEED_LIMIT = 50  # newest entries per feed; the open data has everything


def in_feed(statements) -> list:
    """The statements a feed carries, in its order: the FEED_LIMIT last published or changed (a correction or a
    withdrawal brings an older statement back, so that subscribers see it), newest first; `statements` are newest
    first by date, and keep that order among themselves."""
    return heapq.nlargest(FEED_LIMIT, statements, key=lambda s: s.record.modified)
EPOCH = dt.date(1970, 1, 1)
XML_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"

# Written as text, in the layout xml.etree.ElementTree gives after ET.indent() and
# ET.tostring(encoding="utf-8"), byte for byte (tests/test_feeds.py compares the two): building
# and serialising element trees took about a third of a millisecond per entry, and an edit
# remakes some ten feeds of 50 entries (a cold build at 10,000 statements, every feed).


# What ElementTree replaces, in its order: in character data, and in attribute values besides.
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE_ESCAPES = _TEXT_ESCAPES + (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def _escaped(text: str, escapes: tuple) -> str:
    for char, reference in escapes:
        if char in text:  # most text has none: the test is cheaper than the replace
            text = text.replace(char, reference)
    return text


def _start(tag: str, attributes: tuple) -> str:
    """An element's start tag without its closing '>'."""
    return "<" + tag + "".join(f' {name}="{_escaped(value, _ATTRIBUTE_ESCAPES)}"' for name, value in attributes)


def leaf(tag: str, text: str | None = None, attributes: tuple = ()) -> str:
    """An element without children; empty text makes an empty-element tag, as in ElementTree."""
    start = _start(tag, attributes)
    return f"{start}>{_escaped(text, _TEXT_ESCAPES)}</{tag}>" if text else start + " />"


def parent(tag: str, children: list[str], level: int, attributes: tuple = ()) -> str:
    """An element with child elements, indented as ET.indent() lays out an element at `level`."""
    inner = "\n" + "  " * (level + 1)
    return _start(tag, attributes) + ">" + inner + inner.join(children) + "\n" + "  " * level + "</" + tag + ">"


def _utf8(text: str) -> bytes:
    """Encoded as ET.tostring(encoding="utf-8") encodes (the same error handler, for the same bytes)."""
    return text.encode("utf-8", "xmlcharrefreplace")


def timestamp(date: dt.date) -> str:
    """RFC 3339 at midnight UTC: statements are dated by day."""
    return f"{date.isoformat()}T00:00:00Z"


class _Feeds:
    def __init__(self, index: SiteIndex, urls: Urls, site_title: str, language: str, spool: Spool | None = None):
        self.index = index
        self.urls = urls
        self.site_title = site_title
        self.language = language
        # id(statement) -> serialised <entry>, set aside on disk (cache.Spool): the entries of the
        # people's feeds and of the organisations' span the archive, so most live to the end.
        self.entries: dict[int, SpoolRange] = {}
        self.spool = spool or Spool()
        self.authors: dict[tuple, str] = {}  # (kind, slug) -> <author>, the same in every entry
        self.categories: dict[tuple, str] = {}  # (kind, slug) -> <category>, likewise

    def entity(self, ref: Ref):
        return self.index.entities[ref.kind][ref.slug]

    def author(self, ref: Ref) -> str:
        key = (ref.kind, ref.slug)
        if key not in self.authors:
            self.authors[key] = parent("author", [leaf("name", self.entity(ref).name),
                                                  leaf("uri", self.urls.absolute(entity_url(ref.kind, ref.slug)))], 2)
        return self.authors[key]

    def category(self, ref: Ref) -> str:
        key = (ref.kind, ref.slug)
        if key not in self.categories:
            self.categories[key] = leaf("category", None, (("term", ref.slug), ("label", self.entity(ref).name),
                                                           ("scheme", self.urls.absolute(list_url(ref.kind)))))
        return self.categories[key]

    def content_html(self, statement: Statement) -> str:
        record = statement.record
        outlet = self.entity(statement.outlet).name
        source = f' <a href="{html.escape(record.source_url)}">Original report</a>.' if record.source_url else ""
        journalist = byline(statement, self.index.entities)  # as on its page: "Azernews, by Abbas Ganbay"
        reporter = f"{outlet}, by {journalist}" if journalist else outlet
        # Not "on" the statement's date: that is the day of the statement or its event, not always the report's.
        lead = f"<p><em>Statement of {display_date(record.date)}. Reported by {html.escape(reporter)}.</em>{source}</p>\n"
        if record.title_note:  # under the title, as on its page: the entry's title may be the editors', not the outlet's
            lead = f"<p><em>{html.escape(record.title_note, quote=False)}</em></p>\n" + lead
        if record.withdrawn:  # said first, as on its page
            lead = (f"<p><strong>{html.escape(capitalised(record.withdrawn.notice), quote=False)}:</strong> "
                    f"{html.escape(record.withdrawn.reason)}</p>\n") + lead
        # What was corrected, newest first, above the text: a correction brings the entry back to the top of a
        # reader's feed (its `updated`), and the subscriber should see why without opening the page.
        lead += "".join(f"<p><strong>Corrected on {display_date(c.date)}:</strong> {html.escape(c.note, quote=False)}</p>\n"
                        for c in reversed(record.corrections))
        # The whole text at once: per block, this took some 5 µs a block, 0.8 s of a cold build at 10,000 statements.
        text = without_pilcrows("\n".join(block.html for block in statement.body.blocks))
        return lead + self.urls.whole_addresses(text, statement_url(statement))

    def entry(self, statement: Statement) -> SpoolRange:
        """One statement's <entry>, serialised once and reused by every feed it appears in."""
        key = id(statement)  # statements live as long as the index this object serves
        if key in self.entries:
            return self.entries[key]
        record = statement.record
        url = statement_url(statement)
        permalink = self.urls.absolute(url)
        children = [
            # An entry's id never changes (RFC 4287): a statement that moved keeps the id it had at its first
            # address, its first alias, or readers would show it again as a new entry.
            leaf("id", self.urls.identifier(record.aliases[0] if record.aliases else url)),
            # An editors' title bracketed, as cited; a withdrawn statement's marked, as on its cards: many readers show
            # only the title and the summary, and a withdrawal brings the entry back to the top of the feed.
            leaf("title", ("Withdrawn: " if record.withdrawn else "") + cited_title(record), (("type", "text"),)),
            leaf("link", None, (("rel", "alternate"), ("type", "text/html"), ("href", permalink))),
            leaf("published", timestamp(record.date)),
            leaf("updated", timestamp(record.modified)),
        ]
        authors = list(statement.speakers) or list(statement.organisations) or [statement.outlet]
        children += [self.author(ref) for ref in authors]
        refs = list(statement.speakers) + list(statement.organisations) + list(statement.mentions)
        refs += [statement.event] if statement.event else []
        children += [self.category(ref) for ref in dict.fromkeys(refs)]
        if record.summary:
            children.append(leaf("summary", record.summary, (("type", "text"),)))
        children.append(leaf("content", self.content_html(statement), (("type", "html"), ("xml:base", permalink))))
        self.entries[key] = self.spool.add(b"  " + _utf8(parent("entry", children, 1)) + b"\n")
        return self.entries[key]

    def feed(self, feed_path: str, page_path: str, title: str, subtitle: str, statements, fallback: dt.date,
             first_path: str | None = None) -> Chunks:
        """`first_path`: where the feed was first published, when it has moved since; its id stays that address's."""
        chosen = in_feed(statements)
        children = [leaf("id", self.urls.identifier(first_path or feed_path)), leaf("title", title, (("type", "text"),))]
        if subtitle:
            children.append(leaf("subtitle", subtitle, (("type", "text"),)))
        children.append(leaf("link", None, (("rel", "self"), ("type", "application/atom+xml"),
                                            ("href", self.urls.absolute(feed_path)))))
        children.append(leaf("link", None, (("rel", "alternate"), ("type", "text/html"),
                                            ("href", self.urls.absolute(page_path)))))
        newest = max((s.record.modified for s in chosen), default=fallback)
        children.append(leaf("updated", timestamp(newest)))
        children.append(parent("author", [leaf("name", self.site_title),
                                          leaf("uri", self.urls.absolute(HOME_URL))], 1))
        children.append(leaf("generator", "statement-archive"))
        root = parent("feed", children, 0, (("xmlns", ATOM), ("xml:lang", self.language)))
        head, closing, _ = _utf8(root).rpartition(b"</feed>")
        return Chunks([XML_DECLARATION + head, *(self.entry(statement) for statement in chosen), closing + b"\n"])


def feed_title(site_title: str, name: str) -> str:
    return f"{name} · {site_title}"


def build_feeds(index: SiteIndex, urls: Urls, site_title: str, description: str, language: str,
                reuse=frozenset(), spool: Spool | None = None) -> Iterator[tuple[str, Chunks]]:
    """(site path, Chunks) of the site feed and every entity's feed but those in `reuse`, one at a time;
    their entries are ranges of `spool` (a cache.Spool, made here if not given), read back as each
    feed is written."""
    feeds = _Feeds(index, urls, site_title, language, spool)
    newest = index.statements[0].record.date if index.statements else EPOCH
    yield FEED_URL, feeds.feed(FEED_URL, HOME_URL, site_title, description, index.statements, newest)
    for kind in ENTITY_KINDS:
        for slug in sorted(index.entities[kind]):
            entity = index.entities[kind][slug]
            path = entity_feed_url(kind, slug)
            # The same feed at each of its page's old addresses: a subscription made there keeps working.
            paths = [path] + [old_feed_url(old) for old in entity.old_urls]
            if all(p in reuse for p in paths):
                continue
            statements = [a.statement for a in index.appearances.get(Ref(kind, slug), ())]
            # A feed's id never changes (RFC 4287), as an entry's does not: an entity that moved keeps the id its feed
            # had at its first old address, or a reader that knows feeds by their ids would take it for a new feed.
            data = feeds.feed(path, entity_url(kind, slug), feed_title(site_title, entity.name),
                              f"Statements involving {entity.name}", statements, newest, paths[1] if paths[1:] else None)
            yield from ((p, data) for p in paths if p not in reuse)


def feed_links(urls: Urls, site_title: str, ref: Ref | None = None, name: str = "") -> list[dict]:
    """Autodiscovery links for a page: the site feed, and the entity's own feed on its page."""
    links = [{"title": f"{site_title} (all statements)", "href": urls.href(FEED_URL)}]
    if ref is not None:
        links.insert(0, {"title": feed_title(site_title, name), "href": urls.href(entity_feed_url(ref.kind, ref.slug))})
    return links
