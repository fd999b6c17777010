"""Atom feeds: valid by RFC 4287's rules, full text, ids from permalinks, dates from the content."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from statement_archive.feeds import FEED_LIMIT, leaf, parent

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def atom_problems(root: ET.Element) -> list[str]:
    """What RFC 4287 requires of a feed and its entries (section 4.1), checked one by one."""
    problems = []

    def check_common(element, where):
        for name in ("id", "title", "updated"):
            found = element.findall(A + name)
            if len(found) != 1:
                problems.append(f"{where}: {len(found)} atom:{name} (must be exactly 1)")
        for name in ("id",):
            for el in element.findall(A + name):
                if not urlsplit((el.text or "").strip()).scheme:
                    problems.append(f"{where}: atom:id {el.text!r} is not an absolute IRI")
        for name in ("updated", "published"):
            for el in element.findall(A + name):
                if not RFC3339.fullmatch(el.text or ""):
                    problems.append(f"{where}: atom:{name} {el.text!r} is not an RFC 3339 date")
        alternates = [(l.get("type"), l.get("hreflang")) for l in element.findall(A + "link")
                      if l.get("rel", "alternate") == "alternate"]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{where}: two alternate links with the same type and hreflang")
        for link in element.findall(A + "link"):
            if not link.get("href"):
                problems.append(f"{where}: atom:link without href")
        for author in element.findall(A + "author"):
            if len(author.findall(A + "name")) != 1:
                problems.append(f"{where}: atom:author needs exactly one atom:name")
        for text_element in element.findall(A + "title") + element.findall(A + "summary") + element.findall(A + "content"):
            if text_element.get("type", "text") not in ("text", "html", "xhtml"):
                problems.append(f"{where}: unexpected type {text_element.get('type')!r}")

    if root.tag != A + "feed":
        return [f"root element is {root.tag}, not atom:feed"]
    check_common(root, "feed")
    entries = root.findall(A + "entry")
    if not root.findall(A + "author") and not all(e.findall(A + "author") for e in entries):
        problems.append("feed: no atom:author on the feed or on every entry")
    ids = [e.findtext(A + "id") for e in entries]
    if len(ids) != len(set(ids)):
        problems.append("feed: two entries share an atom:id")
    for number, entry in enumerate(entries, 1):
        where = f"entry {number}"
        check_common(entry, where)
        has_alternate = any(l.get("rel", "alternate") == "alternate" for l in entry.findall(A + "link"))
        if not entry.findall(A + "content") and not has_alternate:
            problems.append(f"{where}: needs atom:content or an alternate link")
        if len(entry.findall(A + "content")) > 1 or len(entry.findall(A + "summary")) > 1:
            problems.append(f"{where}: more than one atom:content or atom:summary")
    return problems


def parse(data: bytes) -> ET.Element:
    return ET.fromstring(data)


@pytest.fixture
def small_site(project):
    project.entity("people", "maria-zakharova", name='Maria "M" <Zakharova> & Co', aliases=["Zakharova"])
    project.entity("outlets", "apa", name="APA")
    project.entity("events", "briefing", name="Briefing", date="2025-03-20")
    project.statement("2025-03-20-first", title="Tags <b>stay</b> text & so do \"quotes\"",
                      speakers=["Zakharova"], event="Briefing", summary="A <summary>.",
                      body="First paragraph with <script>alert(1)</script> a script.\n\nSecond paragraph.\n")
    project.statement("2024-01-02-older", date="2024-01-02", title="Older", mentions=["Zakharova"])
    result = project.build()
    assert result.ok, [p.format() for p in result.problems]
    return project.root / "public"


def test_the_site_feed_is_valid_atom_with_full_text_and_escaped_metadata(small_site):
    root = parse((small_site / "feed.xml").read_bytes())
    assert atom_problems(root) == []
    entries = root.findall(A + "entry")
    assert [e.findtext(A + "title") for e in entries] == ['Tags <b>stay</b> text & so do "quotes"', "Older"]
    first = entries[0]
    assert first.findtext(A + "id") == "tag:statement-archive.invalid,2000:/statements/2025/03/20/first/"
    assert first.findtext(A + "updated") == "2025-03-20T00:00:00Z"
    assert first.find(A + "author").findtext(A + "name") == 'Maria "M" <Zakharova> & Co'
    content = first.find(A + "content")
    assert content.get("type") == "html"
    assert '<p id="p1">First paragraph with' in content.text and '<p id="p2">Second paragraph.' in content.text
    assert "<script>" not in content.text  # the body was sanitised before it reached the feed
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == "/statements/2025/03/20/first/"
    assert root.findtext(A + "updated") == "2025-03-20T00:00:00Z"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_every_entity_has_its_own_feed(small_site):
    person = parse((small_site / "people/maria-zakharova/feed.xml").read_bytes())
    assert atom_problems(person) == []
    assert [e.findtext(A + "title") for e in person.findall(A + "entry")] == ['Tags <b>stay</b> text & so do "quotes"', "Older"]
    event = parse((small_site / "events/briefing/feed.xml").read_bytes())
    assert len(event.findall(A + "entry")) == 1
    outlet = parse((small_site / "outlets/apa/feed.xml").read_bytes())
    assert len(outlet.findall(A + "entry")) == 2


def page_and_entry(project):
    """Built under a sub-path: the page of the statement 2025-03-20-first, and its feed entry's content element."""
    result = project.build(base_url="https://example.org/archive/")
    assert result.ok, [p.format() for p in result.problems]
    site = project.root / "public"
    page = (site / "statements/2025/03/20/first/index.html").read_text(encoding="utf-8")
    return page, parse((site / "feed.xml").read_bytes()).find(A + "entry").find(A + "content")


def test_links_in_a_text_lead_to_the_site_under_its_sub_path_in_pages_and_feeds(project):
    """A text links to the site's pages as /people/x/; published under /archive/, that must be
    /archive/people/x/ on the page, and the whole address in the feed, whose readers may show an
    entry in a page of their own and ignore its xml:base."""
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-first", speakers=["Maria Zakharova"],
                      body="As [she said](/people/maria-zakharova/) on [the day](/statements/2025/03/20/first/#p1), "
                           "[above](#p1), [her page](../../../../../people/maria-zakharova/).\n\nSecond.\n")
    page, content = page_and_entry(project)
    assert 'href="/archive/people/maria-zakharova/"' in page
    assert 'href="/archive/statements/2025/03/20/first/#p1"' in page
    permalink = "https://example.org/archive/statements/2025/03/20/first/"
    assert 'href="https://example.org/archive/people/maria-zakharova/"' in content.text
    assert f'href="{permalink}#p1">the day</a>' in content.text
    assert f'href="{permalink}#p1">above</a>' in content.text
    assert 'href="https://example.org/archive/people/maria-zakharova/">her page</a>' in content.text
    for html in (page, content.text):
        assert 'href="/people/' not in html and 'href="/statements/' not in html
    assert 'href="#' not in content.text and 'href="../' not in content.text
    assert content.get("{http://www.w3.org/XML/1998/namespace}base") == permalink


def test_words_that_look_like_links_stay_words_in_pages_and_feeds_and_run_nothing(project):
    """Only tags' href and src are links. A link's title holding "src=" was taken for one: the feed rewrote it between
    quotes of its own, which closed the title's, and a reader that shows the entry as HTML ran its script. Words of a
    text ("src=/about/", written in a code block or as text) were rewritten under the sub-path, and the link check
    took "href=/home," for a link that led nowhere."""
    project.entity("outlets", "apa", name="APA")
    title = "see src=x/autofocus/onfocus=alert(document.domain)+"
    project.statement("2025-03-20-first", body=f'A [titled link](https://ok.example/ "{title}") here, and the words '
                      "src=/about/ or href=/home, as written.\n\n    <a href=\"/people/x/\">code</a>\n")
    page, content = page_and_entry(project)
    for html in (page, content.text):
        text = BeautifulSoup(html, "html.parser")
        link = text.find("a", href="https://ok.example/")
        assert link["title"] == title and set(link.attrs) == {"href", "title"}
        assert not [tag for tag in text.find_all(True) if any(name.startswith("on") for name in tag.attrs)]
        assert "the words src=/about/ or href=/home, as written." in text.get_text()
        assert '<a href="/people/x/">code</a>' in text.find("code").get_text()


def test_a_feed_entry_has_the_text_without_the_pages_paragraph_links(small_site):
    """The ¶ links lead within the statement's page (#p2): in a feed reader they would be clutter, or
    lead nowhere; the paragraphs keep their ids, and the page keeps its links."""
    content = parse((small_site / "feed.xml").read_bytes()).find(A + "entry").findtext(A + "content")
    page = (small_site / "statements/2025/03/20/first/index.html").read_text(encoding="utf-8")
    assert 'class="pilcrow"' in page and "¶" in page
    assert "pilcrow" not in content and "¶" not in content
    assert '<p id="p2">Second paragraph.</p>' in content


def test_a_place_s_feed_carries_the_statements_at_places_within_it(project):
    """A reader who follows Moscow is sent the statement given only the hotel in Moscow, as Moscow's page lists it."""
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    project.statement("2025-03-20-at-the-hotel", title="At the hotel", places=["Radisson Royal Hotel"])
    project.statement("2024-01-02-elsewhere", date="2024-01-02", title="Elsewhere")
    assert project.build().ok
    feed = parse((project.root / "public/places/moscow/feed.xml").read_bytes())
    assert [e.findtext(A + "title") for e in feed.findall(A + "entry")] == ["At the hotel"]


def test_a_correction_updates_the_entry_and_the_feed_but_not_its_publication(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2020-05-05-a", date="2020-05-05",
                      corrections=[{"date": "2021-01-02", "note": "A typo in the title."}])
    project.statement("2020-06-06-b", date="2020-06-06")
    assert project.build().ok
    root = parse((project.root / "public/feed.xml").read_bytes())
    dates = {e.findtext(A + "id").rsplit("/", 2)[-2]: (e.findtext(A + "published"), e.findtext(A + "updated"))
             for e in root.findall(A + "entry")}
    assert dates == {"a": ("2020-05-05T00:00:00Z", "2021-01-02T00:00:00Z"),
                     "b": ("2020-06-06T00:00:00Z", "2020-06-06T00:00:00Z")}
    assert root.findtext(A + "updated") == "2021-01-02T00:00:00Z"
    # The entry says what was corrected, above the text: the subscriber sees why it came back.
    content = next(e for e in root.findall(A + "entry") if e.findtext(A + "id").endswith("/a/")).findtext(A + "content")
    assert "<p><strong>Corrected on 2 January 2021:</strong> A typo in the title.</p>\n<p id=\"p1\">" in content


def test_a_withdrawn_statement_says_so_in_its_entry_s_title_and_its_page_s_title(project):
    """Many feed readers show only an entry's title and summary, and link previews and tabs only a page's title:
    a withdrawal, which brings the entry back to the top of the feed, had read there as a new statement."""
    project.entity("outlets", "apa", name="APA")
    project.statement(title="Talks go on", withdrawn={"date": "2025-05-01", "reason": "Retracted by the outlet."})
    assert project.build().ok
    (entry,) = parse((project.root / "public/feed.xml").read_bytes()).findall(A + "entry")
    assert entry.findtext(A + "title") == "Withdrawn: Talks go on"
    page = BeautifulSoup((project.root / "public/statements/2025/03/20/a-statement/index.html").read_text("utf-8"),
                         "html.parser")
    assert page.title.get_text().startswith("Withdrawn: Talks go on")
    assert page.find("meta", property="og:title")["content"] == "Withdrawn: Talks go on"
    assert page.h1.get_text(" ", strip=True).startswith("Talks go on")  # the heading is the title; the notice is above


def test_a_statement_that_moved_keeps_the_feed_entry_id_of_its_first_address(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2020-05-05-new-slug", date="2020-05-05",
                      aliases=["/statements/2020/05/04/first-slug/", "/statements/2020/05/05/second-slug/"])
    assert project.build(base_url="https://example.org/archive/").ok
    (entry,) = parse((project.root / "public/feed.xml").read_bytes()).findall(A + "entry")
    assert entry.findtext(A + "id") == "https://example.org/archive/statements/2020/05/04/first-slug/"
    assert entry.find(A + "link[@rel='alternate']").get("href") == \
        "https://example.org/archive/statements/2020/05/05/new-slug/"


def test_a_correction_brings_an_old_statement_back_into_a_full_feed(project):
    project.entity("outlets", "apa", name="APA")
    for day in range(1, FEED_LIMIT + 3):
        project.statement(f"2021-{1 + day // 28:02d}-{1 + day % 28:02d}-s{day}", date=f"2021-{1 + day // 28:02d}-{1 + day % 28:02d}")
    project.statement("2016-01-01-old", date="2016-01-01")
    assert project.build().ok

    def ids(feed="feed.xml"):
        return [e.findtext(A + "id").rsplit("/", 2)[-2] for e in parse((project.root / "public" / feed).read_bytes())
                .findall(A + "entry")]

    assert "old" not in ids() and len(ids()) == FEED_LIMIT
    project.statement("2016-01-01-old", date="2016-01-01", corrections=[{"date": "2022-01-01", "note": "A typo."}])
    assert project.build().ok
    for feed in ("feed.xml", "outlets/apa/feed.xml"):  # the site's feed and an entity's, made incrementally
        assert ids(feed)[0] == "old" and len(ids(feed)) == FEED_LIMIT


def test_feed_updated_comes_from_the_content_not_the_clock(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2020-05-05-a", date="2020-05-05")
    assert project.build(today=dt.date(2025, 7, 1)).ok
    first = (project.root / "public/feed.xml").read_bytes()
    assert project.build(today=dt.date(2031, 1, 1)).ok
    assert (project.root / "public/feed.xml").read_bytes() == first
    assert b"<updated>2020-05-05T00:00:00Z</updated>" in first


def test_real_feeds_are_valid_and_ids_are_the_permalinks(absolute_archive_site):
    site = absolute_archive_site
    feeds = [f for f in site.files() if f.endswith("feed.xml")]
    assert "feed.xml" in feeds and "people/maria-zakharova/feed.xml" in feeds
    for feed in feeds:
        root = parse((site.output / feed).read_bytes())
        assert atom_problems(root) == [], feed
        assert root.find(A + "link[@rel='self']").get("href") == site.url_of(feed)
        entries = root.findall(A + "entry")
        assert len(entries) <= FEED_LIMIT
        published = [e.findtext(A + "published") for e in entries]
        updated = [e.findtext(A + "updated") for e in entries]
        # Last published or changed first: a correction brings an older statement back to the top.
        assert list(zip(updated, published)) == sorted(zip(updated, published), reverse=True)
        assert all(u >= p for u, p in zip(updated, published))
        if entries:
            assert root.findtext(A + "updated") == max(updated)
        for entry in entries:
            permalink = entry.find(A + "link[@rel='alternate']").get("href")
            assert entry.findtext(A + "id") == permalink
            assert permalink.startswith("https://example.org/archive/statements/")
            assert site.exists(site.file_for(permalink.removeprefix("https://example.org/archive/")))


def test_an_entry_whose_title_is_the_editors_says_so_before_its_text_as_its_page_does(real_site):
    entries = parse((real_site.output / "feed.xml").read_bytes()).findall(A + "entry")
    noted = [e for e in entries if e.findtext(A + "content").startswith("<p><em>Editors’ title")]
    assert noted and len(noted) < len(entries)  # four of the five real texts carry no headline
    for entry in entries:
        permalink = entry.find(A + "link[@rel='alternate']").get("href")
        page = real_site.page(real_site.file_for(permalink.removeprefix(real_site.url_of(""))))
        note = page.select_one("article header .note, article .note")
        assert (entry in noted) == (note is not None and note.get_text().startswith("Editors’ title"))


def test_an_entry_says_who_reported_it_as_its_page_does_the_byline_too(real_site):
    entries = parse((real_site.output / "feed.xml").read_bytes()).findall(A + "entry")
    bylines = 0
    for entry in entries:
        permalink = entry.find(A + "link[@rel='alternate']").get("href")
        page = real_site.page(real_site.file_for(permalink.removeprefix(real_site.url_of(""))))
        reported = next(term.find_next_sibling("dd") for term in page.select("article dt") if term.get_text() == "Reported by")
        said = " ".join(reported.get_text().split()).split(" · ")[0]  # "Azernews, by Abbas Ganbay" or "APA", then its links
        lead = BeautifulSoup(entry.findtext(A + "content"), "html.parser").find("em", string=re.compile("Reported by"))
        # The statement's date is its own, or its event's, and not always the report's: the entry does not say
        # that the outlet reported it on that day.
        date = page.select_one("article header time").get_text()
        assert lead.get_text() == f"Statement of {date}. Reported by {said}.", (said, lead)
        bylines += ", by " in said
    assert bylines == 1  # the Azernews report names its journalist


def test_pages_announce_their_feeds(real_site):
    home = real_site.page("index.html").find_all("link", rel="alternate", type="application/atom+xml")
    assert [real_site.resolve("index.html", l["href"]).target for l in home] == ["feed.xml"]
    person = "people/maria-zakharova/index.html"
    links = real_site.page(person).find_all("link", rel="alternate", type="application/atom+xml")
    assert [real_site.resolve(person, l["href"]).target for l in links] == ["people/maria-zakharova/feed.xml", "feed.xml"]
    assert all(l.get("title") for l in links)
    # In the page, her feed's link says whose it is: "Atom feed" twice, to two feeds, told a screen reader nothing.
    shown = {a.get_text(): real_site.resolve(person, a["href"]).target
             for a in real_site.page(person).find_all("a", type="application/atom+xml")}
    assert shown == {"Atom feed of new statements involving Maria Zakharova": "people/maria-zakharova/feed.xml",
                     "Atom feed": "feed.xml"}


def test_the_checker_itself_catches_broken_feeds():
    broken = parse(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>2025-01-01</updated>'
                   b'<entry><id>x</id><title>e</title><updated>2025-01-01T00:00:00Z</updated></entry></feed>')
    problems = atom_problems(broken)
    assert "feed: 0 atom:id (must be exactly 1)" in problems
    assert "feed: atom:updated '2025-01-01' is not an RFC 3339 date" in problems
    assert "entry 1: atom:id 'x' is not an absolute IRI" in problems
    assert "entry 1: needs atom:content or an alternate link" in problems
    assert "feed: no atom:author on the feed or on every entry" in problems


# Any text a statement or registry entry may hold, control characters aside (XML 1.0 has no place for them).
XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@given(XML_TEXT, XML_TEXT, XML_TEXT)
def test_feed_elements_are_written_as_elementtree_writes_them(text, value, other):
    """feeds.py writes its XML as text, for speed; the bytes must be ElementTree's after ET.indent()."""
    entry = ET.Element("entry")
    ET.SubElement(entry, "id").text = text
    ET.SubElement(entry, "title", {"type": "text"}).text = other
    ET.SubElement(entry, "link", {"rel": "alternate", "href": value})
    author = ET.SubElement(entry, "author")
    ET.SubElement(author, "name").text = value
    ET.SubElement(author, "uri").text = text
    ET.SubElement(entry, "content", {"type": "html", "xml:base": other}).text = value
    ET.indent(entry, level=1)
    expected = ET.tostring(entry, encoding="utf-8")

    written = parent("entry", [
        leaf("id", text),
        leaf("title", other, (("type", "text"),)),
        leaf("link", None, (("rel", "alternate"), ("href", value))),
        parent("author", [leaf("name", value), leaf("uri", text)], 2),
        leaf("content", value, (("type", "html"), ("xml:base", other))),
    ], 1)
    assert written.encode("utf-8", "xmlcharrefreplace") == expected


def test_a_statement_of_years_ago_added_now_leads_a_full_feed_and_keeps_its_date(project):
    project.entity("outlets", "apa", name="APA")
    for day in range(1, FEED_LIMIT + 3):
        project.statement(f"2021-{1 + day // 28:02d}-{1 + day % 28:02d}-s{day}", date=f"2021-{1 + day // 28:02d}-{1 + day % 28:02d}")
    assert project.build().ok
    project.statement("2016-01-01-old", date="2016-01-01", added="2022-01-01")  # added by an incremental build
    assert project.build().ok
    for feed in ("feed.xml", "outlets/apa/feed.xml"):
        entries = parse((project.root / "public" / feed).read_bytes()).findall(A + "entry")
        assert len(entries) == FEED_LIMIT and entries[0].findtext(A + "id").rsplit("/", 2)[-2] == "old"
        assert (entries[0].findtext(A + "published"), entries[0].findtext(A + "updated")) == \
            ("2016-01-01T00:00:00Z", "2022-01-01T00:00:00Z")


def test_a_moved_entitys_feed_keeps_the_id_it_had_at_its_first_address(project):
    """RFC 4287: a feed's id never changes. A reader that knows feeds by their ids would otherwise take the
    renamed person's feed, at either address, for a new one."""
    project.entity("outlets", "apa", name="APA")
    project.entity("people", "sergei-markov", name="Sergei Markov")
    project.statement(speakers=["Sergei Markov"])
    assert project.build().ok
    feed = project.root / "public/people/sergei-markov/feed.xml"
    first_id = parse(feed.read_bytes()).findtext(A + "id")
    assert first_id.endswith("/people/sergei-markov/feed.xml")
    (project.root / "content/people/sergei-markov.md").unlink()
    project.entity("people", "sergey-markov", name="Sergey Markov", aliases=["Sergei Markov"],
                   old_urls=["/people/sergei-markov/"])
    assert project.build().ok
    for path in ("people/sergey-markov/feed.xml", "people/sergei-markov/feed.xml"):
        root = parse((project.root / "public" / path).read_bytes())
        assert root.findtext(A + "id") == first_id, path
        assert root.find(A + "link[@rel='self']").get("href").endswith("/people/sergey-markov/feed.xml")
