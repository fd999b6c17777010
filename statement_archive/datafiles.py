"""The site's non-HTML outputs in one place: feeds, open data, citation files, sitemap and robots.txt.

Each comes from its own module as {site path: bytes}; pipeline.py writes them with the pages.
Files in `reuse` (unchanged since the last build: depends.py) are not made again.
"""

from __future__ import annotations

from collections.abc import Iterator

from .citations import citation_files
from .feeds import build_feeds
from .model import SiteIndex
from .opendata import open_data_files
from .sitemap import discovery_files
from .urls import Urls, entity_feed_url


def data_files(index: SiteIndex, pages: list[tuple[str, str]], config, urls: Urls,
               reuse=frozenset()) -> Iterator[tuple[str, bytes]]:
    """(site path, bytes), one file at a time: a large archive's feeds alone run to a gigabyte.

    `pages` is (site path, page kind) for every page, for the sitemap.
    """
    yield from build_feeds(index, urls, config.title, config.description, config.language, reuse)
    yield from open_data_files(index, urls, entity_feed_url, reuse)
    yield from citation_files(index, urls, config.title, config.language, reuse)
    yield from discovery_files(pages, index, urls).items()
