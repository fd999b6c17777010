"""The site's non-HTML outputs in one place: feeds, open data, citation files, sitemap and robots.txt.

Each comes from its own module as {site path: bytes}; pipeline.py writes them with the pages.
"""

from __future__ import annotations

from .citations import citation_files
from .feeds import build_feeds
from .model import PageSpec, SiteIndex
from .opendata import open_data_files
from .sitemap import discovery_files
from .urls import Urls, entity_feed_url


def data_files(index: SiteIndex, specs: list[PageSpec], config, urls: Urls) -> dict[str, bytes]:
    files = build_feeds(index, urls, config.title, config.description, config.language)
    files.update(open_data_files(index, urls, entity_feed_url))
    files.update(citation_files(index, urls, config.title, config.language))
    files.update(discovery_files(specs, index, urls))
    return files
