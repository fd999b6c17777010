"""The site's non-HTML outputs in one place: feeds, open data, citation files, sitemap and robots.txt.

Each comes from its own module as {site path: bytes}; pipeline.py writes them with the pages.
Files in `reuse` (unchanged since the last build: depends.py) are not made again.
"""

from __future__ import annotations

from .citations import citation_files
from .feeds import build_feeds
from .model import SiteIndex
from .opendata import open_data_files
from .sitemap import discovery_files
from .urls import Urls, entity_feed_url


def data_files(index: SiteIndex, pages: list[tuple[str, str]], config, urls: Urls,
               reuse=frozenset()) -> dict[str, bytes]:
    """`pages` is (site path, page kind) for every page, for the sitemap."""
    files = build_feeds(index, urls, config.title, config.description, config.language, reuse)
    files.update(open_data_files(index, urls, entity_feed_url, reuse))
    files.update(citation_files(index, urls, config.title, config.language, reuse))
    files.update(discovery_files(pages, index, urls))
    return files
