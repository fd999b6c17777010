"""Every page's head: description, Open Graph and Twitter tags, escaped, agreeing with the canonical link."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from statement_archive.annotate import DESCRIPTION_LIMIT, page_planner, text_start
from statement_archive.plan import outline
from statement_archive.urls import Urls

STATEMENT = "statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/index.html"


def meta(soup, attr: str, name: str) -> str | None:
    tag = soup.find("meta", attrs={attr: name})
    return tag["content"] if tag else None


def test_every_page_has_description_open_graph_and_twitter_tags(real_site):
    described: dict[str, list[str]] = {}
    for page in real_site.html_files():
        soup = real_site.page(page)
        if real_site.is_redirect(page):
            continue
        described.setdefault(meta(soup, "name", "description"), []).append(page)
        if page == "404.html":  # the page of no address: no canonical one, and not for search engines
            assert soup.find("link", rel="canonical") is None and meta(soup, "name", "robots") == "noindex"
            assert meta(soup, "property", "og:url") is None  # a preview of a mistyped link would name /404.html
            jsonld = json.loads(soup.find("script", type="application/ld+json").string)
            assert "@id" not in jsonld and "url" not in jsonld and jsonld["@type"] == "WebPage"
        else:
            canonical = soup.find("link", rel="canonical")["href"]
            assert meta(soup, "property", "og:url") == canonical, page
        assert meta(soup, "property", "og:title") and meta(soup, "property", "og:site_name"), page
        assert meta(soup, "name", "description") == meta(soup, "property", "og:description") \
            == meta(soup, "name", "twitter:description"), page
        assert meta(soup, "name", "description"), page
        assert meta(soup, "name", "twitter:card") == "summary", page
    # A result or a preview tells one page from another: only the home page says what the whole site is.
    assert {page: pages for page, pages in described.items() if len(pages) > 1} == {}
    site = real_site.page("index.html")
    assert described[meta(site, "name", "description")] == ["index.html"]


def test_a_statement_is_an_article_with_its_summary_and_date(real_site):
    soup = real_site.page(STATEMENT)
    assert meta(soup, "property", "og:type") == "article"
    assert meta(soup, "property", "article:published_time") == "2025-03-20"
    # The heading shows the editors' title plainly, with its note beneath; a preview brackets it, as citations do.
    assert meta(soup, "property", "og:title") == f'[{soup.find("h1").get_text()}]'
    assert soup.find("h1").find_next("p")["class"] == ["note"]
    assert meta(soup, "name", "description").startswith("At a briefing for journalists on March 20")
    person = real_site.page("people/maria-zakharova/index.html")
    assert meta(person, "property", "og:type") == "profile"
    assert meta(person, "name", "description").startswith("Maria Zakharova: Official representative")


def test_metadata_with_quotes_and_tags_stays_inside_its_attribute(project):
    project.entity("outlets", "apa", name="APA")
    project.statement(title='A "quoted" <b>title</b> & more', summary='Summary with "quotes" and <tags>.')
    result = project.build()
    assert result.ok, [p.format() for p in result.problems]
    html = result.pages["statements/2025/03/20/a-statement/"].decode()
    assert '<meta property="og:title" content="A &#34;quoted&#34; &lt;b&gt;title&lt;/b&gt; &amp; more">' in html
    assert '<meta name="description" content="Summary with &#34;quotes&#34; and &lt;tags&gt;.">' in html


def test_annotation_keeps_every_page_and_its_order(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Maria Zakharova"])
    problems, index = project.check()
    config = project.config()
    urls = Urls(config.base_url)
    stubs = outline(index, config, urls)
    planned = [stub.plan() for stub in stubs]
    planner = page_planner(index, config, urls)  # as the build plans each page, in the process that renders it
    annotated = [planner(stub) for stub in stubs]
    assert [(s.url, s.template) for s in annotated] == [(s.url, s.template) for s in planned]
    assert all({"meta", "nav"} <= set(s.context) for s in annotated)
    assert {"search", "data", "feed", "js", "icon"} <= set(annotated[0].context["nav"])
    by_url = {s.url: s.context for s in annotated}
    assert by_url["statements/2025/03/20/a-statement/"]["cite"]["downloads"]
    assert by_url["people/maria-zakharova/"]["chart"]["bars"]
    assert by_url["search/"]["search"]["filters"] and by_url["data/"]["statement_fields"]


def test_an_entity_s_year_page_announces_the_entity_s_feed_as_its_page_does(project):
    """A reader on /people/x/2024/ who asks the browser or a feed reader for the page's feed gets the person's, and
    the site's; the year's page had announced only the site's."""
    project.write("site.yaml", project.root.joinpath("site.yaml").read_text("utf-8") + "entity_page_limit: 1\n")
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement("2024-03-20-one", date="2024-03-20", speakers=["Maria Zakharova"])
    project.statement("2025-03-20-two", speakers=["Maria Zakharova"])
    result = project.build()
    assert result.ok, [p.format() for p in result.problems]
    for url in ("people/maria-zakharova/", "people/maria-zakharova/2024/"):
        html = result.pages[url].decode()
        assert html.count('rel="alternate" type="application/atom+xml"') == 2
        assert 'title="Maria Zakharova · Test archive" href="/people/maria-zakharova/feed.xml"' in html, url


def test_a_corrected_statement_says_when_it_changed_in_its_open_graph_tags_too(project):
    project.entity("outlets", "apa", name="APA")
    project.statement(corrections=[{"date": "2025-04-02", "note": "A name was misspelt."}])
    project.statement("2025-03-21-unchanged", date="2025-03-21")
    result = project.build()
    corrected = result.pages["statements/2025/03/20/a-statement/"].decode()
    assert '<meta property="article:published_time" content="2025-03-20">' in corrected
    assert '<meta property="article:modified_time" content="2025-04-02">' in corrected
    assert "article:modified_time" not in result.pages["statements/2025/03/21/unchanged/"].decode()


def test_a_statement_without_a_summary_is_described_by_the_start_of_its_first_paragraph(project):
    """Its page gave the site's description as the statement's meta description, og:description and
    twitter:description: a link preview, or Zotero's abstract, showed the site's words as the statement's. Its first
    paragraph's start, as plain text (its marks and links gone, its entities read once), stands there now; and no
    citation_abstract, which is the editors' summary's alone."""
    project.entity("outlets", "apa", name="APA")
    first = ("The ministry&#8217;s <b>spokeswoman</b> said that the *talks* on the &quot;Q&amp;A&quot; &lt;agenda&gt; "
             "[went on](https://example.org/talks) for hours, and that both sides, after a long day in Moscow, agreed "
             "to meet in Baku, with the date to be set.")
    project.statement("2025-03-20-long", title="Long", body=f"# A heading first\n\n{first}\n\nThe second paragraph.\n")
    project.statement("2025-03-21-short", date="2025-03-21", title="Short", body="A short   first\nparagraph.\n\nMore.\n")
    project.statement("2025-03-22-summed-up", date="2025-03-22", title="Summed up", summary="The editors' summary.",
                      body="The text.\n")
    project.statement("2025-03-23-a-list", date="2025-03-23", title="A list", body="- The first item\n- The second\n")
    result = project.build()
    assert result.ok, [p.format() for p in result.problems]
    plain = ("The ministry’s spokeswoman said that the talks on the \"Q&A\" <agenda> went on for hours, and that both "
             "sides, after a long day in Moscow, agreed to meet in Baku")
    assert len(plain) + 1 <= DESCRIPTION_LIMIT < len(plain + ", with")
    for url, described, abstract in (
            ("statements/2025/03/20/long/", plain + "…", None),  # cut at a word, its comma dropped
            ("statements/2025/03/21/short/", "A short first paragraph.", None),
            ("statements/2025/03/22/summed-up/", "The editors' summary.", "The editors' summary."),
            ("statements/2025/03/23/a-list/", "The first item", None)):
        html = result.pages[url].decode()
        soup = BeautifulSoup(html, "html.parser")
        assert (meta(soup, "name", "description"), meta(soup, "property", "og:description"),
                meta(soup, "name", "twitter:description")) == (described, described, described), url
        assert meta(soup, "name", "citation_abstract") == abstract, url
        assert "Statements for tests." not in str(soup.head), url  # the site's description: its home page's
    html = result.pages["statements/2025/03/20/long/"].decode()
    assert '<meta name="description" content="The ministry’s spokeswoman said that the talks on the &#34;Q&amp;A&#34; ' \
           '&lt;agenda&gt; went on' in html  # escaped once


def test_a_text_is_cut_at_a_word_within_the_limit_with_an_ellipsis():
    assert text_start("one two three", 13) == "one two three"
    assert text_start("one two three", 12) == "one two…"
    assert text_start("one two, three", 12) == "one two…"
    assert text_start("one  two\nthree", 20) == "one two three"
    assert text_start("x" * 30, 10) == "x" * 9 + "…"
    assert all(len(text_start("word " * n, 160)) <= 160 for n in range(60))
