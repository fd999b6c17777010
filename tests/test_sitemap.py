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
    # Every statement of the real content has a correction: the Khojaly statement's of 4 December 2026, then
    # all five of 5 December. A page dates from its latest; the pages that list it and the lists from the latest
    # of theirs; the home page too, later than the newest statement of all (30 June 2025).
    khojaly = "statements/2023/02/26/khojaly-genocide-commemoration-moscow-tolerance-center/index.html"
    for page in (khojaly, "organisations/russian-community-of-azerbaijan/index.html", "people/ilham-aliyev/index.html",
                 "timeline/2023/index.html", "timeline/2025/index.html", "index.html"):
        assert entries[site.url_of(page)] == "2026-12-05", page


def test_an_uncorrected_statement_s_page_and_its_entities_date_from_the_statement(project, tmp_path):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-briefing", speakers=["Maria Zakharova"])
    project.statement("2024-01-02-earlier", date="2024-01-02", title="Earlier", speakers=["Maria Zakharova"],
                      corrections=[{"date": "2024-02-01", "note": "A name corrected."}])
    result = project.build(base_url="https://example.org/", output=str(tmp_path / "public"))
    assert result.ok, [p.format() for p in result.problems]
    root = ET.fromstring((tmp_path / "public" / "sitemap.xml").read_bytes())
    entries = {u.findtext(S + "loc"): u.findtext(S + "lastmod") for u in root.findall(S + "url")}
    assert entries["https://example.org/statements/2025/03/20/briefing/"] == "2025-03-20"  # its own date
    assert entries["https://example.org/statements/2024/01/02/earlier/"] == "2024-02-01"  # its correction
    assert entries["https://example.org/people/maria-zakharova/"] == "2025-03-20"  # her newest statement
    assert entries["https://example.org/timeline/2024/"] == "2024-02-01"


def test_a_statement_at_a_venue_dates_the_pages_of_the_places_around_it(project, tmp_path):
    """Moscow's page and its year's page list a statement given only the hotel in Moscow: they take its date, and its
    correction's, as the hotel's do."""
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    project.statement("2025-03-20-in-the-city", places=["Moscow"], body="There.\n")
    project.statement("2024-01-02-at-the-hotel", date="2024-01-02", places=["Radisson Royal Hotel"], body="Here.\n",
                      corrections=[{"date": "2024-02-01", "note": "A name corrected."}])
    project.statement("2023-05-06-at-the-hotel-before", date="2023-05-06", places=["Radisson Royal Hotel"],
                      body="Before.\n")
    result = project.build(base_url="https://example.org/", output=str(tmp_path / "public"))
    assert result.ok, [p.format() for p in result.problems]
    root = ET.fromstring((tmp_path / "public" / "sitemap.xml").read_bytes())
    entries = {u.findtext(S + "loc"): u.findtext(S + "lastmod") for u in root.findall(S + "url")}
    assert entries["https://example.org/places/moscow/"] == "2025-03-20"
    assert entries["https://example.org/places/hotel/"] == "2024-02-01"  # its correction
    project.write("site.yaml", (project.root / "site.yaml").read_text(encoding="utf-8") + "entity_page_limit: 1\n")
    assert project.build(base_url="https://example.org/", output=str(tmp_path / "split")).ok
    root = ET.fromstring((tmp_path / "split" / "sitemap.xml").read_bytes())
    entries = {u.findtext(S + "loc"): u.findtext(S + "lastmod") for u in root.findall(S + "url")}
    assert entries["https://example.org/places/moscow/2024/"] == "2024-02-01"  # the correction of the hotel's
    assert entries["https://example.org/places/moscow/2023/"] == "2023-05-06"


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


def test_a_site_of_more_pages_than_one_sitemap_may_hold_gets_an_index_of_sitemaps(real_project, absolute_archive_site):
    """sitemaps.org allows 50,000 URLs a file; with a limit of 20 the real site needs several."""
    from statement_archive.config import load_config
    from statement_archive.pipeline import check_site
    from statement_archive.plan import outline
    from statement_archive.sitemap import discovery_files
    from statement_archive.urls import Urls

    from conftest import TODAY

    site = absolute_archive_site
    whole = ET.fromstring((site.output / "sitemap.xml").read_bytes())
    everything = [(u.findtext(S + "loc"), u.findtext(S + "lastmod")) for u in whole.findall(S + "url")]
    assert len(everything) > 40
    config, _ = load_config(real_project, None, "https://example.org/archive/")
    _, index = check_site(config, TODAY, False)
    urls = Urls(config.base_url)
    pages = [(stub.url, stub.kind) for stub in outline(index, config, urls)]
    files = discovery_files(pages, index, urls, limit=20)
    root = ET.fromstring(files["sitemap.xml"])
    assert root.tag == S + "sitemapindex"
    parts = [(s.findtext(S + "loc"), s.findtext(S + "lastmod")) for s in root.findall(S + "sitemap")]
    count = -(-len(everything) // 20)
    assert [loc for loc, _ in parts] == [f"https://example.org/archive/sitemap-{n}.xml" for n in range(1, count + 1)]
    listed = []
    for number, (_, lastmod) in enumerate(parts, 1):
        part = ET.fromstring(files[f"sitemap-{number}.xml"])
        entries = [(u.findtext(S + "loc"), u.findtext(S + "lastmod")) for u in part.findall(S + "url")]
        assert 0 < len(entries) <= 20
        assert lastmod == max(date for _, date in entries if date)
        listed += entries
    assert listed == everything  # the same entries, in the same order, split


def test_sitemap_parts_follow_the_site_and_none_is_left_behind(real_project_copy, tmp_path, monkeypatch):
    from statement_archive import sitemap

    from test_incremental import assert_same_as_cold, build

    output = tmp_path / "public"
    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 20)
    build(real_project_copy, output)
    parts = sorted(p.name for p in output.glob("sitemap-*.xml"))
    assert len(parts) >= 3 and ET.fromstring((output / "sitemap.xml").read_bytes()).tag == S + "sitemapindex"
    assert_same_as_cold(real_project_copy, output, tmp_path)
    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 35)  # fewer parts: the last ones go
    (real_project_copy / "content" / "statements" / "2016-12-28-ali-hasanov-all-russian-azerbaijani-congress-moscow-meeting.md").unlink()
    build(real_project_copy, output)
    assert len(list(output.glob("sitemap-*.xml"))) < len(parts)
    assert_same_as_cold(real_project_copy, output, tmp_path)
    monkeypatch.setattr(sitemap, "URLS_PER_SITEMAP", 50_000)
    (real_project_copy / "content" / "statements" / "2023-12-27-russian-community-supports-ilham-aliyev-candidacy.md").unlink()
    build(real_project_copy, output)
    assert list(output.glob("sitemap-*.xml")) == []
    assert ET.fromstring((output / "sitemap.xml").read_bytes()).tag == S + "urlset"
    assert_same_as_cold(real_project_copy, output, tmp_path)
