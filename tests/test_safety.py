"""Safety: raw HTML in texts is sanitised, metadata is escaped in every output format.

A statement whose text carries scripts, frames, event handlers and javascript:/data: links,
and whose title, summary and names carry markup and quotes, is built into a site; then every
file of the output is read the way a browser, a feed reader or a JSON consumer would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from statement_archive.config import load_config
from statement_archive.pipeline import build_site

from test_bad_input import make_site

TITLE = """Evil <script>alert("t")</script> "double" 'single' & <evil-tag>bold</evil-tag> ]]> --> </title>"""
SUMMARY = """A summary" onmouseover="alert('s')" x=' <img src=x onerror=alert(1)>"""
NAME = """Ivan "Vanya" <Petrov> & Sons' onfocus='alert(1)'"""
SOURCE_URL = 'https://example.org/a?b=1&c="><script>alert(2)</script>'
BODY = """The text of the statement, with <b>bold</b> words.

<script>alert("body-script")</script>

<iframe src="https://evil.example/frame"></iframe>

<p onclick="alert('click')">Click text</p>

<a href="javascript:alert('js')">js link</a> and <a href="JaVaScRiPt:alert('mixed')">mixed case</a>
and <a href=" javascript:alert('space')">space</a> and <a href="&#106;avascript:alert('entity')">entity</a>

<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>

<img src="data:image/png;base64,AAAA" onerror="alert('img')">

[markdown link](javascript:alert('md')) and [data](data:text/html,hi) and [fine](https://example.org/ok)

<svg onload="alert('svg')"><circle r="1"/></svg>

<style>body { display: none }</style>

<form action="javascript:alert('form')"><button formaction="javascript:alert('button')">b</button></form>

<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">

<meta http-equiv="refresh" content="0;url=javascript:alert('meta')">

<div style="background:url(javascript:alert('css'))">styled</div>
"""
DANGEROUS_TAGS = ("iframe", "object", "embed", "evil-tag")  # the site itself never uses these
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset")


def write_statement(root: Path, trust_html: bool = False) -> None:
    if trust_html:
        site = (root / "site.yaml").read_text(encoding="utf-8").replace("trust_html: false", "trust_html: true")
        (root / "site.yaml").write_text(site, encoding="utf-8")
    front = {
        "title": TITLE, "date": "2025-01-10", "outlet": "APA", "speakers": [NAME], "summary": SUMMARY,
        "source_url": SOURCE_URL, "author": NAME, "title_note": TITLE, "date_note": SUMMARY,
        "quotes": [{"speaker": NAME, "text": "The text of the statement"}],
    }
    lines = ["---"] + [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()] + ["---", "", BODY]
    (root / "content" / "statements" / "2025-01-10-evil.md").write_text("\n".join(lines), encoding="utf-8")


def build(tmp_path: Path, trust_html: bool = False) -> Path:
    root = make_site(tmp_path / "site")
    write_statement(root, trust_html)
    output = tmp_path / "public"
    config, problems = load_config(root, str(output))
    assert not problems
    result = build_site(config)
    assert result.ok, [p.format() for p in result.problems]
    return output


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("safety"))


def statement_page(output: Path) -> BeautifulSoup:
    path = output / "statements" / "2025" / "01" / "10" / "evil" / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def unsafe_url(value: str) -> bool:
    squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
    return squeezed.startswith(("javascript:", "data:", "vbscript:"))


def problems_in_html(soup: BeautifulSoup, where: str) -> list[str]:
    """Everything a browser would run or load from the injected text."""
    found = []
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            if attribute.lower().startswith("on"):
                found.append(f"{where}: <{tag.name} {attribute}=...>")
            values = value if isinstance(value, list) else [value]
            if attribute.lower() in URL_ATTRIBUTES and any(unsafe_url(v) for v in values):
                found.append(f"{where}: <{tag.name} {attribute}={value!r}>")
            if attribute.lower() == "style" and "javascript" in str(value).lower():
                found.append(f"{where}: <{tag.name} style={value!r}>")
        if tag.name in DANGEROUS_TAGS:
            found.append(f"{where}: <{tag.name}>")
        if tag.name == "style" and "display: none" in (tag.string or ""):
            found.append(f"{where}: injected <style>")
        if tag.name == "script":
            kind = tag.get("type", "")
            if kind == "application/ld+json":
                json.loads(tag.string or "null")  # a title that ends the script would break this
                if re.search(r"</script", tag.string or "", re.IGNORECASE):
                    found.append(f"{where}: JSON-LD text can end its script element")
            elif "alert(" in (tag.string or "") or tag.get("src", "").startswith(("javascript:", "data:")):
                found.append(f"{where}: injected <script>")
    return found


def test_raw_html_in_a_text_never_reaches_any_page(site):
    found = []
    for page in html_pages(site):
        found += problems_in_html(BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser"),
                                  page.relative_to(site).as_posix())
    assert found == []


def test_sanitising_keeps_the_words_and_the_safe_markup(site):
    soup = statement_page(site)
    text = soup.get_text(" ")
    for words in ("The text of the statement", "Click text", "js link", "data link", "markdown link", "styled"):
        assert words in text
    assert soup.find("b", string="bold") is not None
    assert soup.find("a", href="https://example.org/ok", string="fine") is not None


def test_every_html_page_shows_the_metadata_as_text(site):
    soup = statement_page(site)
    assert soup.find("h1").get_text(" ", strip=True).startswith(" ".join(TITLE.split()))
    assert soup.title.string.startswith(f"[{TITLE}]")  # the title has a title_note: bracketed, as cited
    description = soup.find("meta", attrs={"name": "description"})
    assert description["content"] == SUMMARY, "the summary stays one attribute value, quotes and all"
    assert soup.find("a", href=SOURCE_URL) is not None, "the source address is one attribute value"
    assert NAME in soup.get_text(), "the unregistered name shows as written"


def test_metadata_in_json_files_is_data(site):
    files = sorted(site.rglob("*.json"))
    assert files, "the build writes JSON files"
    titles = 0
    for path in files:
        titles += TITLE in strings(json.loads(path.read_text(encoding="utf-8")))
    assert titles, "the title is in the JSON data exactly as written"


def strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in strings(key) + strings(value)]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return [data] if isinstance(data, str) else []


def test_metadata_in_xml_files_is_text(site):
    files = sorted(site.rglob("*.xml"))
    titles = 0
    found = []
    for path in files:
        tree = ET.parse(path)  # fails if a title with markup broke the document
        for element in tree.iter():
            titles += (element.text or "") in (TITLE, f"[{TITLE}]")  # feed entries bracket an editors' title
            # Atom says what a text is (type="text" is shown as is); RSS descriptions are HTML.
            if element.get("type") in ("html", "xhtml") or element.tag == "description":
                found += problems_in_html(BeautifulSoup(element.text or "", "html.parser"),
                                          f"{path.relative_to(site)} <{element.tag}>")
    assert found == []
    if files:
        assert titles, "the title is an XML text node exactly as written"


def test_metadata_in_csv_files_is_one_field(site):
    for path in sorted(site.rglob("*.csv")):
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert any(TITLE in row.values() for row in rows), path


def test_trust_html_keeps_raw_html_but_still_escapes_metadata(tmp_path):
    output = build(tmp_path, trust_html=True)
    soup = statement_page(output)
    assert soup.find("iframe", src="https://evil.example/frame") is not None
    assert any("body-script" in (script.string or "") for script in soup.find_all("script"))
    assert soup.find("p", onclick=True) is not None
    assert soup.find("evil-tag") is None, "metadata is escaped even when texts are trusted"
    assert soup.find("meta", attrs={"name": "description"})["content"] == SUMMARY
    assert not [t for t in soup.find_all(True) if "onmouseover" in t.attrs or "onfocus" in t.attrs]
