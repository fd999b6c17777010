"""The only place URLs are spelled. Every link goes through `Urls`, base path included."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Statement


@dataclass(frozen=True)
class Urls:
    base_url: str  # "/" or "/archive/" or "https://example.org/archive/"

    @property
    def base_path(self) -> str:
        """The path part of base_url: links work at a domain root and under a sub-path."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def href(self, site_path: str) -> str:
        """Link target for a site-relative path such as "people/x/"."""
        return self.base_path + site_path.lstrip("/")

    def absolute(self, site_path: str) -> str:
        """Full URL for citations, canonical links and feeds (base_url as configured)."""
        parts = urlsplit(self.base_url)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
        return origin + self.href(site_path)


def statement_path(date, slug: str) -> str:
    return f"statements/{date:%Y/%m/%d}/{slug}/"


def statement_url(statement: Statement) -> str:
    return statement_path(statement.record.date, statement.slug)


def entity_url(kind: str, slug: str) -> str:
    return f"{kind}/{slug}/"


def list_url(kind: str) -> str:
    return f"{kind}/"


def asset_url(name: str) -> str:
    return f"assets/{name}"


HOME_URL = ""
TIMELINE_URL = "timeline/"
NOT_FOUND_URL = "404.html"


def output_file(site_path: str) -> str:
    """File path in the output folder for a site path: directories get index.html."""
    if site_path == "" or site_path.endswith("/"):
        return site_path + "index.html"
    return site_path


def normalise_alias(alias: str) -> str:
    """Turn an old URL as an editor wrote it into a site path ("/a/b" -> "a/b/")."""
    path = alias.strip().lstrip("/")
    if path and not path.endswith("/") and not path.endswith(".html"):
        path += "/"
    return path
