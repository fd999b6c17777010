"""Read a built site the way a link checker would: parsed pages, links resolved to files and ids.

Shared by the site tests; knows nothing about the pipeline, only about the output folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

# An origin for sites whose base URL is a bare path, so relative links can be joined.
PLACEHOLDER_ORIGIN = "http://site.invalid"
REFRESH_URL = re.compile(r"url\s*=\s*(.+)$", re.IGNORECASE)


def normalise_space(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class Link:
    page: str  # file the link is on, relative to the output folder
    href: str  # as written
    absolute: str  # joined with the page's address
    internal: bool
    path: str = ""  # URL path, for internal links
    target: str = ""  # file it points to, relative to the output folder ("" if it escapes the site)
    fragment: str = ""


@dataclass
class BuiltSite:
    output: Path
    base_url: str
    _soups: dict = field(default_factory=dict, repr=False)

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme else PLACEHOLDER_ORIGIN

    @property
    def base_path(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def files(self) -> list[str]:
        return sorted(p.relative_to(self.output).as_posix() for p in self.output.rglob("*") if p.is_file())

    def html_files(self) -> list[str]:
        return [f for f in self.files() if f.endswith(".html")]

    def page(self, rel: str) -> BeautifulSoup:
        if rel not in self._soups:
            self._soups[rel] = BeautifulSoup((self.output / rel).read_text(encoding="utf-8"), "html.parser")
        return self._soups[rel]

    def url_of(self, rel: str) -> str:
        """The address a reader uses for a file: folders end in '/', never in index.html."""
        site_path = rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel
        return self.origin + self.base_path + site_path

    def file_for(self, site_path: str) -> str:
        """The file a site path (no base path, no leading slash) is served from."""
        return site_path + "index.html" if site_path == "" or site_path.endswith("/") else site_path

    def exists(self, rel: str) -> bool:
        return (self.output / rel).is_file()

    def is_redirect(self, rel: str) -> bool:
        return self.page(rel).find("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}) is not None

    def ids(self, rel: str) -> set[str]:
        return {tag["id"] for tag in self.page(rel).find_all(id=True)}

    def links(self, rel: str) -> list[Link]:
        """Every URL a page points to: a, link, script, img, source, iframe, form, meta refresh."""
        soup = self.page(rel)
        hrefs = []
        for tag, attr in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"),
                          ("iframe", "src"), ("form", "action")):
            hrefs += [element[attr] for element in soup.find_all(tag) if element.has_attr(attr)]
        for meta in soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.I)}):
            match = REFRESH_URL.search(meta.get("content", ""))
            if match:
                hrefs.append(match.group(1).strip().strip("'\""))
        return [self.resolve(rel, href) for href in hrefs]

    def resolve(self, rel: str, href: str) -> Link:
        absolute = urljoin(self.url_of(rel), href)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != self.origin:
            return Link(rel, href, absolute, internal=False)
        path = unquote(parts.path)
        target = self.file_for(path[len(self.base_path):]) if path.startswith(self.base_path) else ""
        return Link(rel, href, absolute, True, path, target, parts.fragment)

    def paragraphs(self, rel: str) -> list:
        """The numbered paragraphs of a statement's text (p1, p2, ...), in page order."""
        return self.page(rel).find_all("p", id=re.compile(r"^p\d+[a-z]*$"))

    def main_statement_links(self, rel: str) -> list[str]:
        """Statement pages linked from <main> without a #fragment, in order, each once."""
        main = self.page(rel).find("main")
        seen = []
        for a in main.find_all("a", href=True):
            link = self.resolve(rel, a["href"])
            if link.internal and not link.fragment and re.fullmatch(r"statements/\d{4}/\d{2}/\d{2}/[^/]+/index\.html", link.target):
                if link.target not in seen:
                    seen.append(link.target)
        return seen


def paragraph_text(paragraph) -> str:
    """A paragraph's words without its trailing ¶ link."""
    return normalise_space(paragraph.get_text()).removesuffix("¶").strip()
