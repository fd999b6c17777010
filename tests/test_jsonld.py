"""schema.org JSON-LD: one block on every page, it parses, it says the right things, and nothing in it can end the <script>."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup


KHOJALY = "statements/2023/02/26/khojaly-genocide-commemoration-moscow-tolerance-center/index.html"


def blocks(soup) -> list:
    return soup.find_all("script", type="application/ld+json")


def data_of(site, page: str) -> dict:
    (block,) = blocks(site.page(page))
    return json.loads(block.string)


def test_every_page_has_one_block_that_parses(real_site):
    """A page that only leads to another (an old address, a folder by date) has none: it is no page of its own."""
    pages = real_site.html_files()
    assert len(pages) > 50 and any(real_site.is_redirect(page) for page in pages)
    for page in pages:
        found = blocks(real_site.page(page))
        if real_site.is_redirect(page):
            assert found == [], page
            continue
        assert len(found) == 1, page
        data = json.loads(found[0].string)
        assert data["@context"] == "https://schema.org" and data["@type"], page


HASANOV = "statements/2016/12/28/ali-hasanov-all-russian-azerbaijani-congress-moscow-meeting/index.html"


def test_a_statement_page_is_the_archive_s_record_of_the_outlet_s_news_article(real_site):
    """The outlet published the report, not the archive's page; the archive's corrections date its page."""
    page = data_of(real_site, HASANOV)
    assert page["@type"] == "WebPage" and page["url"] == page["@id"] == real_site.url_of(HASANOV)
    assert page["isPartOf"]["@type"] == "WebSite" and page["dateModified"] == "2026-12-05"  # its correction
    report = page["mainEntity"]
    assert report["@type"] == "NewsArticle" and report["publisher"]["name"] == "APA"
    assert report["datePublished"] == "2016-12-28" and report["archivedAt"] == page["url"]
    assert report["url"].startswith("http://en.apa.az/")  # the outlet's own address
    assert report["headline"] == real_site.page(HASANOV).find("h1").get_text()  # the outlet's headline
    khojaly = data_of(real_site, KHOJALY)["mainEntity"]  # an editors' title is a name, not the outlet's headline
    heading = real_site.page(KHOJALY).find("h1").get_text()  # bracketed as the page's <title> and citations have it
    assert "headline" not in khojaly and khojaly["name"] == f"[{heading}]" == data_of(real_site, KHOJALY)["name"]
    assert real_site.page(KHOJALY).find("title").get_text().startswith(f"[{heading}]")
    assert "url" not in khojaly  # the archive does not know its address


def test_a_statement_is_a_news_article_with_quotations_spoken_by_people(real_site):
    data = data_of(real_site, KHOJALY)["mainEntity"]
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"] == "2023-02-26"
    assert data["about"]["@type"] == "Event"
    assert data["about"]["name"] == "Commemoration of the 31st anniversary of the Khojaly genocide in Moscow"
    assert data["publisher"] == {**data["publisher"], "@type": "NewsMediaOrganization", "name": "APA"}
    quotations = data["hasPart"]
    assert quotations and all(q["@type"] == "Quotation" for q in quotations)
    speakers = {q["spokenByCharacter"]["name"] for q in quotations}
    assert {"Polad Bulbuloglu", "Igor Korotchenko"} <= speakers
    mentioned = {m["name"]: m for m in data["mentions"]}
    assert {"Sergey Markov", "Embassy of Azerbaijan in Russia", "Heydar Aliyev"} <= set(mentioned)
    # Every quotation links to a paragraph of the page, and its speaker's @id is the one on the person's page.
    ids = real_site.ids(KHOJALY)
    for quotation in quotations:
        assert quotation["url"].split("#")[1] in ids
        person_page = real_site.resolve(KHOJALY, quotation["spokenByCharacter"]["url"]).target
        assert data_of(real_site, person_page)["@id"] == quotation["spokenByCharacter"]["@id"]


def test_an_inferred_attribution_says_so_and_a_known_journalist_is_the_node_of_their_page(real_site):
    quotations = data_of(real_site, KHOJALY)["mainEntity"]["hasPart"]
    page_notes = {quotation["url"].split("#")[1]: quotation.get("description", "") for quotation in quotations}
    noted = {a["href"].split("#")[1] for li in real_site.page(KHOJALY).select(".quotes li")
             if li.select_one(".attribution-note") for a in li.select(".who a[href^='#']")}
    assert noted and {p for p, text in page_notes.items() if text} == noted
    assert all(page_notes[p].startswith("Attribution inferred by the archive's editors: ") for p in noted)
    page = "statements/2023/12/27/russian-community-supports-ilham-aliyev-candidacy/index.html"
    author = data_of(real_site, page)["mainEntity"]["author"]
    assert author["@id"] == data_of(real_site, "people/abbas-ganbay/index.html")["@id"]


def test_a_person_s_role_is_dated_where_the_registry_dates_it(real_site):
    bulbuloglu = data_of(real_site, "people/polad-bulbuloglu/index.html")
    assert bulbuloglu["description"] == "Ambassador of Azerbaijan to Russia (as reported on 26 February 2023)"
    assert "jobTitle" not in bulbuloglu  # not the post they hold now


def test_entity_pages_describe_the_entity_with_its_aliases_and_same_as(real_site):
    markov = data_of(real_site, "people/sergey-markov/index.html")
    assert markov["@type"] == "Person" and markov["name"] == "Sergey Markov"
    assert markov["alternateName"] == ["Sergei Markov", "Markov", "Сергей Марков"]
    putin = data_of(real_site, "people/vladimir-putin/index.html")
    assert "https://www.wikidata.org/wiki/Q7747" in putin["sameAs"]
    assert data_of(real_site, "organisations/russian-foreign-ministry/index.html")["@type"] == "Organization"
    event = data_of(real_site, "events/khojaly-genocide-31st-anniversary-moscow-2023/index.html")
    assert event["@type"] == "Event" and event["startDate"] == "2023-02-26"
    assert data_of(real_site, "outlets/apa/index.html")["@type"] == "NewsMediaOrganization"
    assert data_of(real_site, "places/moscow/index.html")["@type"] == "Place"
    home = data_of(real_site, "index.html")
    assert home["@type"] == "WebSite" and "{search_term_string}" in home["potentialAction"]["target"]["urlTemplate"]
    assert data_of(real_site, "data/index.html")["@type"] == "Dataset"


def test_a_node_says_the_same_of_itself_on_every_page(real_site):
    """One @id, one url and one name: an outlet's node had its website on its own page and the archive's page
    on its statements', two urls for one thing to a consumer that merges the pages' graphs."""
    seen: dict = {}

    def visit(node, page):
        if isinstance(node, list):
            for item in node:
                visit(item, page)
        elif isinstance(node, dict):
            if "@id" in node and "url" in node:
                said = (node["url"], node.get("name"))
                assert seen.setdefault(node["@id"], (said, page))[0] == said, (node["@id"], page, seen[node["@id"]])
            for value in node.values():
                visit(value, page)

    for page in real_site.html_files():
        if not real_site.is_redirect(page):
            visit(data_of(real_site, page), page)
    apa = data_of(real_site, "outlets/apa/index.html")
    assert apa["url"].startswith("http") and "/outlets/apa/" not in apa["url"]  # the outlet's own website
    assert apa["mainEntityOfPage"] == real_site.url_of("outlets/apa/index.html")


def test_nothing_in_the_metadata_can_close_the_script_element(project):
    name = 'Evil </script><script>alert("x")</script> <!-- & Co'
    project.entity("people", "evil", name=name, aliases=["E </SCRIPT> vil"])
    project.entity("outlets", "apa", name="APA")
    project.statement(title="Title </script> end", speakers=[name])
    result = project.build()
    assert result.ok, [p.format() for p in result.problems]
    found = {}
    for url in ("people/evil/", "statements/2025/03/20/a-statement/"):
        html = result.pages[url].decode()
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        assert "<" not in script and ">" not in script  # escaped as \u003c and \u003e
        found[url] = json.loads(BeautifulSoup(html, "html.parser").find("script", type="application/ld+json").string)
        assert html.count("<script") == 2  # the JSON-LD block and site.js, nothing injected
    assert found["people/evil/"]["name"] == name
    assert found["people/evil/"]["alternateName"] == ["E </SCRIPT> vil"]
    statement = found["statements/2025/03/20/a-statement/"]["mainEntity"]
    assert statement["headline"] == "Title </script> end"
    assert [m["name"] for m in statement["mentions"]] == [name]
