"""sitemap.xml lists every page a reader should land on (no redirects, no 404) with dates from the content; robots.txt points to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_sitemap_lists_every_real_page_once(absolute_archive_site):
    site = absolute_archive_site
    root = ET.fromstring((site.output / "sitemap.xml").read_bytes())
    assert root.tag == S + "urlset"
    entries = {u.findtext(S + "loc"): u.findtext(S + "lastmod") for u in root.findall(S + "url")}
    assert len(entries) == len(root.findall(S + "url"))
    pages = [f for f in site.html_files() if f != "404.html" and not site.is_redirect(f)]
    assert sorted(entries) == sorted(site.url_of(f) for f in pages)
    assert all(loc.startswith("https://example.org/archive/") for loc in entries)
    statement = site.url_of("statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/index.html")
    assert entries[statement] == "2025-03-20"
    assert entries[site.url_of("people/maria-zakharova/index.html")] == "2025-03-20"  # her newest statement
    assert entries[site.url_of("index.html")] == "2025-06-30"  # the newest statement of all


def test_robots_txt_allows_everything_and_names_the_sitemap(absolute_archive_site):
    text = (absolute_archive_site.output / "robots.txt").read_text(encoding="utf-8")
    assert text.splitlines() == ["User-agent: *", "Allow: /", "", "Sitemap: https://example.org/archive/sitemap.xml"]


def test_escape_is_xml_sax_escape_without_its_imports():
    import subprocess
    import sys
    from xml.sax.saxutils import escape as sax_escape

    from statement_archive.sitemap import escape

    for text in ["https://example.org/a?b=1&c=<2>", "\"quotes\" and 'apostrophes'", "Əliyev/ş-ğ-ı/", "&amp;", ""]:
        assert escape(text) == sax_escape(text)
    # What a build imports leaves the HTTP client, email and ssl out (20 ms of every build's start).
    code = "import sys, statement_archive.pipeline; print('urllib.request' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
