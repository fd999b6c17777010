"""The only place URLs are spelled. Every link goes through `Urls`, base path included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from .model import ENTITY_KINDS, Statement


# An attribute value that may be a link from the site's root ("/x", not "//host/x" nor "/\host/x", which browsers
# read as that): it spares most texts, which have none, the reading of their tags. Not exact (text may hold one).
_MAYBE_SITE_ABSOLUTE = re.compile(r"""=\s*["']?/(?![/\\])""")
# A quoted attribute value that may be a link not yet whole: not "https:..." and not a paragraph's id ("p3").
# Not exact (a title is one too): it only spares most texts the reading of their tags, and begins with text.
# A value, quoted or bare and with spaces around its "=" or not (trusted HTML may write any), that is no whole address
# and no paragraph's id: possessive, so that the quote before a whole address is never left for the value's start.
_MAYBE_RELATIVE = re.compile(r"""=\s*+["']?+(?![a-zA-Z][a-zA-Z0-9+.\-]*:|p[0-9]+[a-z]*(?:["'\s>]|$))""")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
# A start tag: its name, then its attributes, each value quoted or bare (a '>' inside a quoted value does not end
# it). Only tags are read for links: "src=/x" in a text (which sanitised HTML writes with its '<' as "&lt;"), or
# inside another attribute's value (title="see src=x"), is words, not a link. A regex over the whole HTML had
# found those, rewritten the article's words, and, in a feed, closed the title's quotes: a script could run.
_ATTRIBUTE_TEXT = r"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_START_TAG = re.compile(rf"""<[a-zA-Z][^\s/>]*((?:{_ATTRIBUTE_TEXT}|\s*/)*)\s*>""")
_ATTRIBUTE = re.compile(r"""(\s+)([^\s"'>/=]+)(?:(\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SLASH = re.compile(r"\s*/")
_NOT_BARE = re.compile(r"""[\s"'=<>`]""")
LINK_ATTRIBUTES = ("href", "src")


def _attributes(text: str):
    """The attributes of a start tag's attribute text, in order, and the '/'s between them."""
    at = 0
    while at < len(text):
        found = _ATTRIBUTE.match(text, at) or _SLASH.match(text, at)
        if found is None or found.end() == at:
            return
        yield found
        at = found.end()


def _link_value(found) -> str | None:
    """The value of one of `_attributes`, if it is an href or a src with one."""
    if found.re is not _ATTRIBUTE or found.group(3) is None or found.group(2).lower() not in LINK_ATTRIBUTES:
        return None
    return next(v for v in found.group(4, 5, 6) if v is not None)


def link_values(html: str) -> list[str]:
    """The values of the href and src attributes of `html`'s tags, as written (entities not decoded)."""
    values = (_link_value(found) for tag in _START_TAG.finditer(html) for found in _attributes(tag.group(1)))
    return [value for value in values if value is not None]


def rewrite_links(html: str, change) -> str:
    """`html` with each href and src value of its tags replaced by `change(value)`, unless that is None."""

    def tag(found) -> str:
        attributes = []
        for one in _attributes(found.group(1)):
            value = _link_value(one)
            new = None if value is None else change(value)
            if new is None:
                attributes.append(one.group(0))
            else:  # quoted as it was; a bare value stays bare unless it now holds what ends one
                quote = '"' if one.group(4) is not None else "'" if one.group(5) is not None else \
                    '"' if _NOT_BARE.search(new) else ""
                attributes.append(f"{one.group(1)}{one.group(2)}{one.group(3)}{quote}{new}{quote}")
        start, end = found.span(1)
        whole = found.group(0)
        return whole[: start - found.start()] + "".join(attributes) + whole[end - found.start():]

    return _START_TAG.sub(tag, html)


@dataclass(frozen=True)
class Urls:
    base_url: str  # "/" or "/archive/" or "https://example.org/archive/"
    # (asset name, version) pairs: a page links to an asset with its version (style.css?v=1a2b3c4d5e6f), so that
    # a browser holding an older copy (hosts let browsers keep such files for a while) fetches the new one
    # with the pages that need it, and never runs an old search script against a new search index.
    asset_versions: tuple = ()

    @cached_property
    def _versions(self) -> dict:
        return dict(self.asset_versions)

    def asset(self, name: str) -> str:
        """Link target for one of templates/assets' files, with its version when known."""
        href = self.href(asset_url(name))
        version = self._versions.get(name)
        return f"{href}?v={version}" if version else href

    # Worked out once per Urls, not per link: a cold build at 10,000 statements asks 1.4 million times.
    @cached_property
    def base_path(self) -> str:
        """The path part of base_url: links work at a domain root and under a sub-path."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @cached_property
    def origin(self) -> str:
        """The scheme and host of base_url ("https://example.org"), or "" when it has none."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""

    def href(self, site_path: str) -> str:
        """Link target for a site-relative path such as "people/x/"."""
        return self.base_path + site_path.lstrip("/")

    def in_site(self, html: str) -> str:
        """HTML written for the site's root, such as a statement's text linking to /people/x/, with its
        site-absolute links and sources under the base path: the text is written (and its rendering
        cached) once, whatever the address the site is published at."""
        if self.base_path == "/" or not _MAYBE_SITE_ABSOLUTE.search(html):
            return html
        base = self.base_path
        return rewrite_links(html, lambda value: base + value[1:] if value.startswith("/")
                             and not value.startswith(("//", "/\\")) else None)

    def whole_addresses(self, html: str, site_path: str) -> str:
        """HTML of the page at `site_path` (as in_site gives it) with every link a whole address, resolved as the
        page resolves it ("/people/x/", "../../x/", "#p3"): for a feed's entry, which a reader may show in a page
        of its own and resolve what is left relative against that page, not against the entry's xml:base. Most
        texts have no such link (a feed's entries have no ¶ links), and are returned after one fast search.
        Only tags' href and src values are read (urls.rewrite_links), never words that look like them."""
        if not _MAYBE_RELATIVE.search(html):
            return html
        page = self.absolute(site_path)
        return rewrite_links(self.in_site(html), lambda value: None if _SCHEME.match(value) else urljoin(page, value))

    def absolute(self, site_path: str) -> str:
        """Full URL for citations, canonical links and feeds (base_url as configured)."""
        return self.origin + self.href(site_path)

    def identifier(self, site_path: str) -> str:
        """A permanent id for feeds and JSON-LD: the absolute URL, or a tag: URI when base_url has no domain."""
        absolute = self.absolute(site_path)
        return absolute if "://" in absolute else "tag:statement-archive.invalid,2000:" + absolute


STATEMENTS_URL = "statements/"


def statement_path(date, slug: str) -> str:
    return f"{STATEMENTS_URL}{date.year}/{date.month:02d}/{date.day:02d}/{slug}/"  # as %Y/%m/%d, without strftime


_DATE_FOLDER = re.compile(r"statements/(?:(\d{4})/(?:(\d{2})/)?)?")


def date_folder(site_path: str) -> tuple[int | None, int | None] | None:
    """(year, month), each None where the path stops, of a folder of statement addresses by date: "statements/",
    "statements/2025/", "statements/2025/03/"; None for other paths. Not a day's ("statements/2025/03/20/"):
    there are thousands, and each would cost every build of an archive (see bench/README.md)."""
    found = _DATE_FOLDER.fullmatch(site_path)
    if not found:
        return None
    year, month = (int(part) if part else None for part in found.groups())
    if month is not None and not 1 <= month <= 12:  # an alias may hold any digits: "statements/2025/13/"
        return None
    return year, month


def date_folders_of(site_paths) -> list[str]:
    """The folders by date ("statements/2025/03/" and up) that hold the given pages, sorted: a reader who
    shortens a statement's address by hand meets them."""
    folders = set()
    for path in site_paths:
        parts = path.split("/")
        for size in range(1, min(len(parts) - 1, 4)):
            folder = "/".join(parts[:size]) + "/"
            if date_folder(folder) is None:
                break
            folders.add(folder)
    return sorted(folders)


def statement_url(statement: Statement) -> str:
    return statement.path  # statement_path, kept on the statement


def entity_url(kind: str, slug: str) -> str:
    return f"{kind}/{slug}/"


def entity_year_url(kind: str, slug: str, year: int) -> str:
    """One year of the statements of an entity with more than site.yaml's entity_page_limit."""
    return f"{entity_url(kind, slug)}{year}/"


def list_url(kind: str) -> str:
    return f"{kind}/"


def asset_url(name: str) -> str:
    return f"assets/{name}"


HOME_URL = ""
TIMELINE_URL = "timeline/"  # the years and months of the archive, each year's statements on a page of its own
NOT_FOUND_URL = "404.html"
SEARCH_URL = "search/"
DATA_URL = "data/"  # the "About the data" page; the data files live beside it
ABOUT_URL = "about/"  # how the archive keeps its records: text, attribution, corrections, citing
CORRECTIONS_URL = "corrections/"  # every correction and withdrawal of a published statement, newest first
FEED_URL = "feed.xml"
SITEMAP_URL = "sitemap.xml"  # the sitemap, or an index of sitemap_part_url(1), (2), ... on a large site
ROBOTS_URL = "robots.txt"
PAGEFIND_URL = "pagefind/"  # written by Pagefind into the output, not by this package
PAGEFIND_SHARDS_URL = PAGEFIND_URL + "shards.json"  # the list of index shards the search page merges
SEARCH_ALIASES_URL = SEARCH_URL + "aliases.json"  # other names of the filters' values, for names typed in a filter,
# and the places' names, for a misspelt word put right


def sitemap_part_url(number: int) -> str:
    return SITEMAP_URL.removesuffix(".xml") + f"-{number}.xml"


def timeline_year_url(year: int) -> str:
    return f"{TIMELINE_URL}{year}/"


STATEMENT_JSON = "statement.json"  # a statement's record, beside its page (statement_file_url)


def paragraph_url(page: str, paragraph_id: str) -> str:
    """A paragraph of a statement: its page's address (any form: a site path, an href, a permalink, or "" for the
    page itself) and the paragraph's anchor."""
    return f"{page}#{paragraph_id}"


def timeline_place_url(year: int | None, month: int | None) -> str:
    """The timeline (year None), one of its years' pages, or a month on it (indexes.date_folder_targets)."""
    return TIMELINE_URL if year is None else timeline_year_url(year) if month is None else timeline_month_url(year, month)


def timeline_month_url(year: int, month: int) -> str:
    """A month's heading on its year's page of the timeline."""
    return f"{timeline_year_url(year)}#{timeline_month_id(year, month)}"


def timeline_month_id(year: int, month: int) -> str:
    """The id of a month's heading on its year's page, and of its entry on the timeline's own page,
    so that a link made before the years had pages of their own (timeline/#y2025-03) still lands."""
    return f"y{year}-{month:02d}"


def pagefind_bundle_url(shard: str) -> str:
    """The folder of one shard of the search index (one Pagefind bundle)."""
    return PAGEFIND_URL + shard + "/"


def statement_year_of(site_path: str) -> str | None:
    """The year (YYYY) of a statement page's site path, the inverse of `statement_path`; None for other paths."""
    parts = site_path.strip("/").split("/")
    if len(parts) == 5 and parts[0] == "statements" and all(p.isdigit() for p in parts[1:4]) \
            and [len(p) for p in parts[1:4]] == [4, 2, 2] and site_path.endswith("/"):
        return parts[1]
    return None


def entity_kind_of(site_path: str) -> str | None:
    """The kind of an entity page's site path, the inverse of `entity_url`; None for other paths."""
    parts = site_path.strip("/").split("/")
    if len(parts) == 2 and parts[0] in ENTITY_KINDS and parts[1] and site_path.endswith("/"):
        return parts[0]
    return None


def is_year_page(site_path: str) -> bool:
    """A year's page of the timeline (`timeline_year_url`) or of an entity (`entity_year_url`)."""
    parts = site_path.strip("/").split("/")
    return site_path.endswith("/") and len(parts[-1]) == 4 and parts[-1].isdigit() and (
        (len(parts) == 2 and parts[0] + "/" == TIMELINE_URL) or (len(parts) == 3 and parts[0] in ENTITY_KINDS))


def statement_pages_glob(year: str) -> str:
    """The output files of one year's statement pages, as a glob."""
    return output_file(f"statements/{year}/*/*/*/")  # the shape of statement_path


def entity_pages_glob(kind: str) -> str:
    """The output files of one kind's entity pages (not its list page), as a glob."""
    return output_file(entity_url(kind, "*"))


def data_file_url(name: str) -> str:
    return DATA_URL + name


def entity_feed_url(kind: str, slug: str) -> str:
    return old_feed_url(entity_url(kind, slug))


def old_feed_url(page_url: str) -> str:
    """The feed beside an entity page's address, its current one or an old one ("people/x/")."""
    return page_url + "feed.xml"


def statement_file_url(statement: Statement, name: str) -> str:
    """A file beside a statement's page, e.g. its JSON record or its citation in BibTeX."""
    return statement_url(statement) + name


def statement_file_urls(statement: Statement, name: str) -> list[str]:
    """That file beside the page and beside each old address of it (`aliases`): a reference manager or
    script that saved the old file's address still gets the file, as an old page's address still leads."""
    return [statement_file_url(statement, name)] + [alias + name for alias in statement.record.aliases
                                                     if alias.endswith("/")]  # not beside an old "x.html"


def output_file(site_path: str) -> str:
    """File path in the output folder for a site path: directories get index.html."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path


def contained_output_file(site_path: str) -> str:
    """output_file, refused (ValueError) when it would lead out of the output folder."""
    relative = output_file(site_path)
    if relative.startswith("/") or ".." in relative.split("/") or "\\" in site_path:
        raise ValueError(f"page path {site_path!r} would be written outside the output folder")
    return relative


def normalise_alias(alias: str) -> str:
    """Turn an old URL as an editor wrote it into a site path ("/a/b" -> "a/b/")."""
    path = alias.strip().lstrip("/")
    if path and not path.endswith("/") and not path.endswith(".html"):
        path += "/"
    return path
