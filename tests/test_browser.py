"""The site as a reader uses it, in headless Chromium: browsing, paragraph links, search, phone
screens, copying a citation, no JavaScript, print, dark theme, and axe-core accessibility checks.

The real content is built once (conftest) and served on 127.0.0.1; one browser is launched for
the whole module. Screenshots go to test-artifacts/browser/. Every page visited must log no
console error and load no missing resource.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import urllib.parse
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import build_real
from external_tools import (
    ARTEFACTS, AXE_JS, CHROMIUM_ARGS, require_chromium, require_node_package, require_playwright,
)
from site_reader import normalise_space

SHOTS = ARTEFACTS / "browser"
ZAKHAROVA_STATEMENT = "statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/"
KHOJALY_STATEMENT = "statements/2023/02/26/khojaly-genocide-commemoration-moscow-tolerance-center/"
NGO_STATEMENT = "statements/2025/06/30/ngo-forum-condemns-violence-against-azerbaijanis-in-russia/"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# One page of each kind, and the home page.
PAGES_OF_EACH_KIND = {
    "home": "",
    "statement": ZAKHAROVA_STATEMENT,
    "person": "people/sergey-markov/",
    "organisation": "organisations/russian-foreign-ministry/",
    "event": "events/khojaly-genocide-31st-anniversary-moscow-2023/",
    "outlet": "outlets/apa/",
    "place": "places/moscow/",
    "list": "people/",
    "timeline": "timeline/",
    "timeline-year": "timeline/2023/",
    "search": "search/?q=Markov",
    "about-data": "data/",
    "not-found": "404.html",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    sync_playwright = require_playwright()
    require_node_package(AXE_JS, "axe-core")
    playwright = sync_playwright().start()
    launched = playwright.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
    yield launched
    launched.close()
    playwright.stop()


@pytest.fixture(scope="module")
def site_url(real_site):
    """The real site served at the root of a local address."""
    server, url = serve(real_site.output)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def archive_url(archive_site, tmp_path_factory):
    """The real site built for /archive/, served under /archive/."""
    folder = tmp_path_factory.mktemp("served")
    (folder / "archive").symlink_to(archive_site.output, target_is_directory=True)
    server, url = serve(folder)
    yield url + "archive/"
    server.shutdown()


@pytest.fixture(scope="module")
def split_site_url(split_site):
    """The real site with entity_page_limit 1 (conftest's split_site), served at the root of a local address."""
    server, url = serve(split_site.output)
    yield url
    server.shutdown()


@dataclass
class Reader:
    """A browser tab that remembers every console error, script error and failed request."""

    context: object
    page: object
    errors: list = field(default_factory=list)

    def shot(self, name: str, full_page: bool = True) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    def assert_no_errors(self) -> None:
        assert not self.errors, "\n".join(self.errors)


@pytest.fixture
def open_reader(browser):
    readers = []

    def make(**context_options) -> Reader:
        context = browser.new_context(**context_options)
        page = context.new_page()
        reader = Reader(context, page)
        page.on("console", lambda m: reader.errors.append(f"console {m.type}: {m.text} ({page.url})")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: reader.errors.append(f"script error: {e} ({page.url})"))
        page.on("response", lambda r: reader.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        # A request the browser itself aborted (the page moved on, or the tab closed, while the icon was still
        # loading) is no fault of the site's; a missing file is a 404, caught above.
        page.on("requestfailed", lambda r: reader.errors.append(f"request failed: {r.url} ({r.failure})")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.context.close()
    for reader in readers:
        reader.assert_no_errors()


def result_links(page) -> list[str]:
    return page.locator("#search-results li h2 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def settled(page) -> None:
    """Wait until the search page has loaded its index and finished the latest search."""
    page.wait_for_selector("#search-form[data-ready]", state="attached")
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")


def status_of(page) -> str:
    """The search page's status line as read: the no-break space that makes a repeated one heard again is no word."""
    return page.locator("#search-status").inner_text().rstrip("\u00a0")


def search_for(page, words: str) -> None:
    settled(page)
    page.fill("#search-q", words)
    page.press("#search-q", "Enter")
    settled(page)


def choose(page, select: str, value: str) -> None:
    page.select_option(select, value)
    settled(page)


def type_filter(page, field: str, value: str) -> None:
    """Type into a filter's text field and press Enter, as a reader who does not pick a suggestion."""
    page.fill(field, value)
    page.press(field, "Enter")
    settled(page)


def statement_dates(hrefs: list[str]) -> list[str]:
    return ["-".join(m.groups()) for h in hrefs if (m := re.search(r"/statements/(\d{4})/(\d{2})/(\d{2})/", h))]


def in_viewport(page, element_id: str) -> bool:
    return page.evaluate("""id => { const r = document.getElementById(id).getBoundingClientRect();
                                    return r.top >= -1 && r.top < window.innerHeight; }""", element_id)


# --- browsing -----------------------------------------------------------------------------------

def test_home_to_person_to_statement_to_a_highlighted_paragraph(open_reader, site_url):
    from playwright.sync_api import expect

    reader = open_reader(viewport={"width": 1280, "height": 800})
    page = reader.page
    page.goto(site_url)
    expect(page.locator("h1")).to_have_text("Statements on Azerbaijan–Russia relations")
    reader.shot("01-home")
    page.locator(".ways-in").get_by_role("link", name=re.compile("^People")).click()
    page.get_by_role("link", name="Maria Zakharova", exact=True).click()
    expect(page.locator("h1")).to_have_text("Maria Zakharova")
    reader.shot("02-person")
    page.locator("#statements").locator("xpath=..").get_by_role("link").first.click()
    assert page.url == site_url + ZAKHAROVA_STATEMENT
    reader.shot("03-statement")
    link = page.locator(".quotes a[href^='#p']").nth(2)
    paragraph = link.get_attribute("href")[1:]
    link.click()
    assert page.url.endswith("#" + paragraph)
    assert page.evaluate("id => document.getElementById(id).matches(':target')", paragraph)
    background = page.locator(f"#{paragraph}").evaluate("p => getComputedStyle(p).backgroundColor")
    body_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", body_background), "the target paragraph is not highlighted"
    assert in_viewport(page, paragraph), "the browser did not scroll to the paragraph"
    reader.shot("04-paragraph", full_page=False)


def test_an_old_timeline_link_and_a_chart_month_lead_to_that_months_statements(open_reader, site_url):
    """Each year's statements have their own page; a link to a month on the timeline made before
    that (timeline/#y2023-02) still lands on the month, which links on to it."""
    from playwright.sync_api import expect

    reader = open_reader(viewport={"width": 1280, "height": 800})
    page = reader.page
    page.goto(site_url + "timeline/#y2023-02")
    expect(page.locator("#y2023-02")).to_contain_text("February")
    page.locator("#y2023-02").get_by_role("link").click()
    assert page.url == site_url + "timeline/2023/#y2023-02"
    expect(page.locator("h1")).to_have_text("2023")
    assert in_viewport(page, "y2023-02")
    expect(page.locator("section[aria-labelledby='y2023-02'] .card-title a")).to_have_text(
        "Khojaly genocide commemorated at the Jewish Museum and Tolerance Center in Moscow")
    reader.shot("05-timeline-year", full_page=False)
    page.locator("nav[aria-label='Years']").get_by_role("link", name="2016", exact=True).click()
    expect(page.locator("h1")).to_have_text("2016")
    expect(page.locator("nav[aria-label='Years'] a[aria-current='page']")).to_have_text("2016")
    # An entity's chart links its months the same way.
    page.goto(site_url + "people/sergey-markov/")
    page.locator(".chart details summary").click()
    page.locator(".chart table").get_by_role("link", name="February 2023").click()
    assert page.url == site_url + "timeline/2023/#y2023-02"


def test_a_paragraph_permalink_opened_directly_scrolls_to_it(open_reader, site_url):
    reader = open_reader(viewport={"width": 1280, "height": 700})
    reader.page.goto(site_url + NGO_STATEMENT + "#p7")
    assert reader.page.evaluate("document.getElementById('p7').matches(':target')")
    assert in_viewport(reader.page, "p7")


def test_a_paragraph_s_address_typed_as_a_citation_gives_it_leads_to_the_paragraph(open_reader, site_url):
    """A citation says "para. 7"; a reader who types #7, #P7 or #para7 is led to #p7, which the address then shows."""
    reader = open_reader(viewport={"width": 1280, "height": 700})
    for typed in ("#7", "#P7", "#para7", "#p07", "#%C2%B67"):
        reader.page.goto(site_url + NGO_STATEMENT + typed)
        reader.page.wait_for_function("location.hash === '#p7'")
        assert reader.page.evaluate("document.getElementById('p7').matches(':target')"), typed
        assert in_viewport(reader.page, "p7")
        assert reader.page.locator("#paragraph-link-url").inner_text().endswith("/#p7")
    reader.page.goto(site_url + NGO_STATEMENT + "#corrections-x9")  # not a paragraph's: left as it is
    assert reader.page.evaluate("location.hash") == "#corrections-x9"


# --- search -------------------------------------------------------------------------------------

def test_search_by_an_alias_then_filter_by_year(open_reader, site_url, real_site):
    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/")
    search_for(page, "Sergei Markov")
    links = result_links(page)
    assert "/" + KHOJALY_STATEMENT in [link.split("#")[0] for link in links]
    assert "/people/sergey-markov/" in links
    reader.shot("05-search-alias")

    choose(page, "#filter-year", "2023")
    assert "year=2023" in page.url
    links = result_links(page)
    assert links and all("/statements/2023/" in link for link in links), links
    choose(page, "#filter-year", "2025")
    assert status_of(page) == ("No results. Set a filter back to “Any” or clear it, "
                                                           "or try other words.")
    assert result_links(page) == []
    reader.shot("06-search-year-filter")


def test_back_and_forward_go_through_the_searches_made_not_through_every_letter_typed(open_reader, site_url, real_site):
    """A filter or an order chosen is a step of its own that Back undoes; typing makes one entry, not one a letter."""
    page = open_reader().page
    page.goto(site_url + "search/")
    settled(page)
    page.type("#search-q", "Aliyev", delay=400)  # slower than the search waits for: a search for each letter
    page.wait_for_url("**/search/?q=Aliyev")
    settled(page)
    by_relevance = result_links(page)
    choose(page, "#search-sort", "oldest")
    oldest = result_links(page)
    assert "sort=oldest" in page.url and oldest != by_relevance
    choose(page, "#filter-year", "2023")
    assert "year=2023" in page.url

    def back_to(address_end: str) -> None:
        page.go_back()
        page.wait_for_url("**/search/" + address_end)
        settled(page)

    back_to("?q=Aliyev&sort=oldest")
    assert page.input_value("#filter-year") == "" and page.input_value("#search-sort") == "oldest"
    assert result_links(page) == oldest
    back_to("?q=Aliyev")
    assert page.input_value("#search-sort") == "relevance" and result_links(page) == by_relevance
    back_to("")  # the page as opened: the letters typed made one entry, not six
    assert page.input_value("#search-q") == ""
    page.go_forward()
    page.wait_for_url("**/search/?q=Aliyev")
    settled(page)
    assert page.input_value("#search-q") == "Aliyev" and result_links(page) == by_relevance


def test_a_search_that_finds_nothing_says_what_to_try(open_reader, site_url, real_site):
    page = open_reader().page
    page.goto(site_url + "search/")
    search_for(page, "Zqxwvy")
    assert status_of(page) == "No results. Try another spelling, fewer words, or a name."
    assert result_links(page) == []
    search_for(page, "Zakharova")
    assert status_of(page).endswith("results.") and result_links(page)


def test_a_word_finds_only_pages_that_hold_it_or_a_word_it_begins(open_reader, site_url, real_site):
    """Pagefind answers a word an index lacks with the pages of a shorter word it begins with ("has" for
    "Hasanov", "I" for "Ixiilov"); with the index in shards, every shard that lacked the word did so."""
    page = open_reader().page
    page.goto(site_url + "search/")

    def holds(link: str, word: str) -> bool:
        html = (real_site.output / link.split("#")[0].lstrip("/") / "index.html").read_text(encoding="utf-8")
        return word.lower() in html.lower()

    for word, expected in (("Ixiilov", {"/people/abram-ikhiilov/", "/" + KHOJALY_STATEMENT}),
                           ("Hasanov", {"/people/ali-hasanov/"}), ("AZAL", {"/organisations/azerbaijan-airlines/"}),
                           ("Zakhar", {"/people/maria-zakharova/", "/" + ZAKHAROVA_STATEMENT})):  # a beginning
        search_for(page, word)
        links = result_links(page)
        assert expected <= {link.split("#")[0] for link in links}, (word, links)
        assert all(holds(link, word) for link in links), (word, [link for link in links if not holds(link, word)])
    search_for(page, "Ixiilovx")  # begins with a word of some pages, held by none
    assert status_of(page) == "No results. Try another spelling, fewer words, or a name."


def test_a_phrase_in_quotes_links_to_the_paragraph_that_holds_it(open_reader, site_url, real_site):
    """Pagefind gives a phrase's first place only (here the summary); the result still links to its paragraph."""
    page = open_reader().page
    page.goto(site_url + "search/")
    search_for(page, '"Great Patriotic War"')
    (link,) = result_links(page)
    path, paragraph = link.split("#")
    assert path == "/" + ZAKHAROVA_STATEMENT
    html = (real_site.output / ZAKHAROVA_STATEMENT / "index.html").read_text(encoding="utf-8")
    held = re.search(rf'<p id="{paragraph}">(.*?)</p>', html, re.S)
    assert held and "Great Patriotic War" in held.group(1), paragraph


def test_a_phrase_in_typographic_quotes_is_a_phrase(open_reader, site_url, real_site):
    """Pagefind takes only straight quotes for a phrase: “their victory”, as a phone's keyboard writes it, had found
    every page with both words anywhere."""
    page = open_reader().page
    page.goto(site_url + "search/")
    search_for(page, "their victory")
    assert len(result_links(page)) == 2  # the words: more pages than the phrase
    search_for(page, '"their victory"')
    phrase = result_links(page)
    assert len(phrase) == 1 and "#p" in phrase[0], phrase
    for typed in ("“their victory”", "„their victory“"):
        search_for(page, typed)
        assert result_links(page) == phrase, typed
        assert page.locator("#search-q").input_value() == typed  # the words as typed


def test_a_surname_typed_in_a_filter_stands_for_the_one_name_that_has_it(open_reader, site_url, real_site):
    page = open_reader().page
    page.goto(site_url + "search/?q=Azerbaijan")
    settled(page)
    type_filter(page, "#filter-person", "zakharova")  # one person of the archive has that word in her name
    assert page.locator("#filter-person").input_value() == "Maria Zakharova"  # shown as chosen
    assert "person=Maria+Zakharova" in page.url
    assert [link.split("#")[0] for link in result_links(page)] == ["/" + ZAKHAROVA_STATEMENT]
    type_filter(page, "#filter-person", "aliyev")  # several: none is chosen, they are offered
    assert page.locator("#filter-person").input_value() == "aliyev"
    assert result_links(page) == []
    offered = page.locator("#search-suggest button").all_inner_texts()
    assert "Ilham Aliyev" in offered and "Heydar Aliyev" in offered, offered


def test_a_name_searched_as_a_phrase_finds_every_statement_that_writes_it(open_reader, site_url, real_site):
    """"Nazim Ibrahimov" in quotation marks found no statement, though the 2016 report writes it: the page's hidden
    other names held "Nazim İbrahimov", and Pagefind finds a phrase on no page holding a word in both forms."""
    page = open_reader().page
    for phrase, year in (("Nazim Ibrahimov", "2016"), ("President Ilham Aliyev", "2016"),
                         ("Ilham Heydarovich Aliyev", "2023")):
        page.goto(site_url + "search/?type=Statement&q=" + urllib.parse.quote(f'"{phrase}"'))
        settled(page)
        texts = {p.relative_to(real_site.output).parent.as_posix() for p in
                 real_site.output.glob(f"statements/{year}/*/*/*/index.html") if phrase in normalise_space(
                     p.read_text(encoding="utf-8").replace("’", "'"))}
        found = {link.split("#")[0].strip("/") for link in result_links(page)}
        assert texts and texts <= found, (phrase, texts, found)


def test_an_organisation_whose_name_has_straight_quotes_is_found_by_its_filter(open_reader, project):
    """Pagefind matched no page to a filter value holding a straight quote or a backslash: filtered by such an
    organisation, a reader was told that no statement involves it."""
    project.entity("outlets", "apa", name="APA")
    project.entity("organisations", "azal", name='"Azerbaijan Airlines" CJSC', aliases=["AZAL"])
    project.entity("people", "back-slash-person", name="Back\\slash Person")
    project.statement(speakers=["Back\\slash Person"], organisations=["AZAL"], body="The airline's words.\n")
    assert project.build().ok
    server, url = serve(project.root / "public")
    try:
        page = open_reader().page
        for query in ("organisation=" + urllib.parse.quote('"Azerbaijan Airlines" CJSC'), "organisation=AZAL",
                      "person=" + urllib.parse.quote("Back\\slash Person")):
            page.goto(url + "search/?" + query)
            settled(page)
            assert [link.split("#")[0] for link in result_links(page)] == ["/statements/2025/03/20/a-statement/"], query
        assert page.locator("#filter-person").input_value() == "Back⧵slash Person"  # the value it stands for
        page.goto(url + "search/")
        settled(page)
        type_filter(page, "#filter-organisation", '"azerbaijan airlines" cjsc')  # as the registry writes it
        assert page.locator("#filter-organisation").input_value() == "“Azerbaijan Airlines” CJSC"
        assert len(result_links(page)) == 1
    finally:
        server.shutdown()


def test_a_linked_search_with_a_filter_gives_filtered_results_and_the_filters_fill_either_way(open_reader, site_url,
                                                                                              real_site):
    page = open_reader().page
    page.goto(site_url + "search/?q=Azerbaijan&year=2023")  # the filter is needed by the first search
    settled(page)
    assert page.locator("#filter-year").input_value() == "2023"
    links = result_links(page)
    assert links and all("/statements/2023/" in link for link in links), links
    page.goto(site_url + "search/?q=Azerbaijan")  # the filters' values come after the first results
    settled(page)
    assert result_links(page)
    for select in page.locator("select[data-filter]").all():
        assert select.is_enabled() and select.locator("option").count() > 1
    for name in ("person", "organisation", "event"):  # typed: their values are suggested from a datalist
        assert page.locator(f"#filter-{name}-values option").count() > 1


def test_one_search_finds_pages_of_several_shards_and_filters_across_them(open_reader, site_url, real_site):
    """The index is in shards (statements by year, entities by kind); the search page merges them."""
    shards = [s["name"] for s in json.loads((real_site.output / "pagefind/shards.json").read_text())["shards"]]
    assert {"people", "statements-2016", "statements-2023", "statements-2025"} <= set(shards)
    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/?q=Aliyev")
    settled(page)
    links = [link.split("#")[0] for link in result_links(page)]
    assert "/people/ilham-aliyev/" in links  # from the people shard
    years = {d[:4] for d in statement_dates(links)}
    assert len(years) >= 2, links  # from more than one year's shard
    option = page.locator("#filter-person-values option[value='Ilham Aliyev']")
    count = int(re.search(r"\((\d+)\)", option.get_attribute("label")).group(1))  # counted over every shard
    type_filter(page, "#filter-person", "ilham aliyev")  # typed in any case: the filter's own spelling is used
    choose(page, "#search-sort", "newest")
    assert "person=Ilham+Aliyev" in page.url and "sort=newest" in page.url
    links = result_links(page)
    dates = statement_dates(links)
    assert len(dates) == len(links) and len({d[:4] for d in dates}) >= 2, links  # statements only, of several years
    assert dates == sorted(dates, reverse=True)  # in date order across the shards
    assert status_of(page) == (f"{len(links)} results. Statements and events only: in date order, pages without a "
                               "date are left out.")
    assert len(links) <= count
    reader.shot("06b-search-across-shards")


def test_a_place_filter_finds_the_statements_at_a_place_by_any_of_its_names(open_reader, site_url, real_site):
    """A reader following a place to its statements from the search page: "Yekaterinburg" (or its Russian name)
    finds the one statement there; "Moscow" every statement there, events at its venues included."""
    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/?place=Yekaterinburg")
    settled(page)
    assert page.locator("#filter-place").input_value() == "Yekaterinburg"
    assert page.locator("label[for=filter-place]").inner_text() == "Place"
    assert [link.split("#")[0] for link in result_links(page)] == ["/" + NGO_STATEMENT]
    type_filter(page, "#filter-place", "Екатеринбург")  # another name of the place stands for it
    assert [link.split("#")[0] for link in result_links(page)] == ["/" + NGO_STATEMENT]
    type_filter(page, "#filter-place", "Moscow")
    links = {link.split("#")[0] for link in result_links(page)}
    assert {"/" + KHOJALY_STATEMENT, "/" + ZAKHAROVA_STATEMENT} <= links and "/" + NGO_STATEMENT not in links
    assert len(links) == 3 and "place=Moscow" in page.url
    reader.assert_no_errors()


def test_a_person_filter_is_typed_with_suggestions_and_a_name_outside_them_finds_nothing(open_reader, site_url,
                                                                                       real_site):
    """People, organisations and events are too many for a list at scale: the reader types, the browser suggests."""
    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/?person=Sergey+Markov")
    settled(page)
    assert page.locator("#filter-person").input_value() == "Sergey Markov"
    assert page.locator("#filter-person").get_attribute("list") == "filter-person-values"
    links = [link.split("#")[0] for link in result_links(page)]
    assert links == ["/" + KHOJALY_STATEMENT], links
    page.fill("#filter-person", "Maria Zakharova")  # the exact value of a suggestion: searched at once, as picked
    settled(page)
    assert [link.split("#")[0] for link in result_links(page)] == ["/" + ZAKHAROVA_STATEMENT]
    assert "person=Maria+Zakharova" in page.url
    type_filter(page, "#filter-person", "Nobody Of That Name")
    assert status_of(page).startswith("No results. Set a filter back to “Any” or clear it")
    type_filter(page, "#filter-person", "")
    assert status_of(page) == "Type a word or a name, or choose a filter."


def test_a_typed_filter_name_outside_the_archive_is_offered_the_names_it_may_mean(open_reader, site_url, real_site):
    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/?person=Sergei+Markow")  # a misspelling of no name the archive knows
    settled(page)
    assert status_of(page).startswith("No results.")
    offer = page.locator("#search-suggest")
    expect_text = "No person of the archive is called “Sergei Markow”. Did you mean"
    assert offer.is_visible() and offer.inner_text().startswith(expect_text), offer.inner_text()
    offer.get_by_role("button", name="Sergey Markov").click()
    settled(page)
    assert page.locator("#filter-person").input_value() == "Sergey Markov"
    assert page.evaluate("document.activeElement.id") == "filter-person"  # not lost with the button that went
    assert [link.split("#")[0] for link in result_links(page)] == ["/" + KHOJALY_STATEMENT]
    assert offer.is_hidden()
    reader.shot("06c-search-did-you-mean")
    type_filter(page, "#filter-person", "  SERGEY   markov ")  # spaces and case aside, the same name: no offer needed
    assert [link.split("#")[0] for link in result_links(page)] == ["/" + KHOJALY_STATEMENT]
    assert "person=Sergey+Markov" in page.url


@pytest.mark.parametrize("typed, meant", [("Zaharova", "Zakharova"), ("Zaxarova", "Zakharova"), ("Aliyv", "Aliyev"),
                                          ("Hojaly", "Khojaly"), ("maria zaharova", "maria zakharova"),
                                          ("Yekaterinburgh", "Yekaterinburg"), ("Radison", "Radisson")])
def test_words_that_find_nothing_but_are_a_letter_or_two_from_a_name_are_offered_put_right(open_reader, site_url,
                                                                                          real_site, typed, meant):
    """A reader who misspells a name ("Zaharova", the Azerbaijani "Zaxarova") found nothing and was told only to try
    another spelling: the search page says which word of a name the archive knows it may be, and searches it. A
    place's name too, though places have no filter ("Yekaterinburgh" had been offered nothing)."""
    from playwright.sync_api import expect

    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/?q=" + urllib.parse.quote(typed))  # from an address: the names come after
    settled(page)
    assert status_of(page).startswith("No results.")
    offer = page.locator("#search-suggest")
    expect(offer.get_by_role("button", name=meant, exact=True)).to_be_visible()
    assert normalise_space(offer.inner_text()) == f"Did you mean {meant}"
    offer.get_by_role("button", name=meant, exact=True).click()
    settled(page)
    assert page.locator("#search-q").input_value() == meant
    assert page.evaluate("document.activeElement.id") == "search-q"
    assert result_links(page) and status_of(page).endswith(("1 result.", " results."))
    expect(offer).to_be_empty()
    reader.assert_no_errors()


@pytest.mark.parametrize("typed", ['"Victory Day"', "“Victory Day”"])
def test_a_phrase_that_finds_nothing_is_offered_its_words_anywhere(open_reader, site_url, real_site, typed):
    """The texts say "Victory" and "May 9", never "Victory Day": a reader who searched the phrase was told only to
    try other words. The words without their quotation marks are offered, and find the pages that have them apart."""
    from playwright.sync_api import expect

    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/")
    search_for(page, typed)
    assert status_of(page).startswith("No results.")
    offer = page.locator("#search-suggest")
    expect(offer.get_by_role("button", name="Victory Day", exact=True)).to_be_visible()
    assert normalise_space(offer.inner_text()) == ("No page has these words side by side, in this order. Search for "
                                                   "them anywhere: Victory Day")
    offer.get_by_role("button", name="Victory Day", exact=True).click()
    settled(page)
    assert page.locator("#search-q").input_value() == "Victory Day"
    assert "/" + ZAKHAROVA_STATEMENT in [link.split("#")[0] for link in result_links(page)]
    expect(offer).to_be_empty()
    reader.assert_no_errors()


def test_words_far_from_every_name_are_offered_nothing(open_reader, site_url, real_site):
    from playwright.sync_api import expect

    page = open_reader().page
    page.goto(site_url + "search/")
    search_for(page, "Enrgy")  # no name's word, and no name within two letters
    assert status_of(page).startswith("No results.")
    expect(page.locator("#search-suggest")).to_be_empty()


def test_a_screen_reader_hears_each_search_s_outcome_and_the_names_offered(open_reader, site_url, real_site):
    """The status line and the names offered are live regions: a screen reader says them when their words change.
    The offers' box had been hidden until it had words (many screen readers then say nothing); a search that
    ended as the last one did ("15 results." again) changed no word."""
    page = open_reader().page
    page.goto(site_url + "search/")
    settled(page)
    offer = page.locator("#search-suggest")
    assert offer.get_attribute("aria-live") == "polite" and offer.get_attribute("hidden") is None
    search_for(page, "Khojaly")
    said = page.locator("#search-status").text_content()
    assert status_of(page).endswith("results.")
    page.press("#search-q", "Enter")  # searched again: the same words
    settled(page)
    assert status_of(page) == said.rstrip("\u00a0") and page.locator("#search-status").text_content() != said
    type_filter(page, "#filter-person", "Sergei Markow")
    assert offer.inner_text().startswith("No person of the archive is called") and offer.get_attribute("hidden") is None


@pytest.mark.parametrize("query", ["Путин", "Putin"])
def test_russian_words_in_an_excerpt_say_they_are_russian(open_reader, site_url, real_site, query):
    """WCAG 3.1.2: "Владимир Путин" among a result's words is read in a Russian voice, as on the person's page."""
    page = open_reader().page
    page.goto(site_url + "search/?q=" + urllib.parse.quote(query))
    settled(page)
    found = page.evaluate("""() => {
      const out = {cyrillic: 0, unmarked: [], latinInRussian: []};
      for (const excerpt of document.querySelectorAll('#search-results .excerpt')) {
        const walker = document.createTreeWalker(excerpt, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!/[\\u0400-\\u04ff]/.test(node.textContent)) continue;
          out.cyrillic += 1;
          const marked = node.parentElement.closest('[lang]');
          if (!marked || marked.lang !== 'ru') out.unmarked.push(node.textContent);
        }
        for (const russian of excerpt.querySelectorAll('[lang="ru"]')) {
          if (/[A-Za-z]/.test(russian.textContent)) out.latinInRussian.push(russian.textContent);
        }
      }
      return out;
    }""")
    assert found["cyrillic"] >= 2 and not found["unmarked"] and not found["latinInRussian"], found


@pytest.mark.parametrize("field, typed, name", [
    ("organisation", "AMOR", "Azerbaijani Youth Union of Russia"),  # the spelling the Khojaly report uses
    ("person", "Полад Бюльбюль оглы", "Polad Bulbuloglu"),
    ("person", "sergei markov", "Sergey Markov"),
])
def test_a_filter_takes_any_name_the_archive_knows_for_its_entity(open_reader, site_url, real_site, field, typed, name):
    page = open_reader().page
    page.goto(site_url + "search/?" + urllib.parse.urlencode({field: typed}))
    settled(page)
    assert page.locator(f"#filter-{field}").input_value() == name  # shown as the name it stands for
    links = [link.split("#")[0] for link in result_links(page)]
    assert "/" + KHOJALY_STATEMENT in links
    assert page.locator("#search-suggest").is_hidden()


def test_a_spelling_found_only_among_aliases_finds_the_statement(open_reader, site_url, real_site):
    """Сергей Марков is in the registry, not in the text: the hidden alias list is what finds it."""
    text = real_site.page(KHOJALY_STATEMENT + "index.html").find("section", class_="text").get_text()
    assert "Марков" not in text
    reader = open_reader()
    page = reader.page
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    page.fill("#site-search-q", "Сергей Марков")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    settled(page)
    assert "/" + KHOJALY_STATEMENT in [link.split("#")[0] for link in result_links(page)]


def test_a_name_typed_in_ascii_finds_its_azerbaijani_spelling(open_reader, site_url, real_site):
    """Fatimə Qəhrəmanlı is registered as Fatima Kahramanli; the reports never write "Qahramanli", and
    Pagefind does not fold ə or ı, so only the spellings made from the alias find her statement."""
    page_text = real_site.page(KHOJALY_STATEMENT + "index.html").find("section", class_="text").get_text()
    assert "qahramanli" not in page_text.casefold()
    page = open_reader().page
    page.goto(site_url + "search/?q=Qahramanli")
    settled(page)
    assert "/" + KHOJALY_STATEMENT in [link.split("#")[0] for link in result_links(page)]
    # ...and the result goes to the paragraph that names her as the archive writes her name.
    record = json.loads((real_site.output / KHOJALY_STATEMENT / "statement.json").read_text(encoding="utf-8"))
    naming = next(p["id"] for p in record["paragraphs"] if "Kahramanli" in p["text"])
    assert f"/{KHOJALY_STATEMENT}#{naming}" in result_links(page)


def test_a_name_typed_as_reports_from_russian_sources_romanise_it_finds_the_statement(open_reader, site_url, real_site):
    """Ilgar Hajiyev is Ильгар Гаджиев in the registry; a reader of a report from Russian sources types "Gadzhiev",
    which neither the text nor the registry writes: the romanised alias finds his statement."""
    congress = "statements/2016/12/28/ali-hasanov-all-russian-azerbaijani-congress-moscow-meeting/"
    assert "gadzhiev" not in real_site.page(congress + "index.html").find("section", class_="text").get_text().casefold()
    page = open_reader().page
    page.goto(site_url + "search/?q=Gadzhiev")
    settled(page)
    assert "/" + congress in [link.split("#")[0] for link in result_links(page)]


@pytest.mark.parametrize("query, slug", [
    ("AMOR", "azerbaijani-youth-union-of-russia"),  # named in the 2016 text only by its full name
    ("Русская община", "russian-community-of-azerbaijan"),
    ("Azərbaycan Hava Yolları", "azerbaijan-airlines"),
])
def test_a_result_found_by_another_name_links_to_a_paragraph_naming_it_or_to_the_page(open_reader, site_url, real_site,
                                                                                        query, slug):
    """Not to the first paragraph holding the last word of its name ("... of Russia")."""
    entity = next(e for e in json.loads((real_site.output / "data/organisations.json").read_text(encoding="utf-8"))
                  if e["slug"] == slug)
    names = [n.casefold() for n in [entity["name"], *entity["aliases"]]]
    page = open_reader().page
    page.goto(site_url + "search/?" + urllib.parse.urlencode({"q": query}))
    settled(page)
    links = result_links(page)
    assert any(link.startswith("/statements/") for link in links)
    for link in links:
        path, _, paragraph = link.lstrip("/").partition("#")
        if paragraph and path.startswith("statements/"):
            record = json.loads((real_site.output / path / "statement.json").read_text(encoding="utf-8"))
            text = next(p["text"] for p in record["paragraphs"] if p["id"] == paragraph).casefold()
            assert any(name in text for name in names), (link, text[:120])


def test_a_result_found_by_a_name_its_text_writes_otherwise_links_to_the_paragraph_naming_it(open_reader, project):
    """A place registered as Karabakh, which the text calls Garabagh: "Karabakh" finds the statement by the hidden
    list of other names, whose entries begin with the registry's name; the result had linked to the page alone,
    as only the other spellings were looked for in the text."""
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "karabakh", name="Karabakh", aliases=["Garabagh"])
    project.statement(places=["Karabakh"], body="The first paragraph.\n\nOur Garabagh has been liberated.\n")
    assert project.build().ok
    server, url = serve(project.root / "public")
    try:
        page = open_reader().page
        page.goto(url + "search/?type=Statement&q=Karabakh")
        settled(page)
        assert result_links(page) == ["/statements/2025/03/20/a-statement/#p2"]
    finally:
        server.shutdown()


def test_words_of_the_page_s_own_labels_lead_to_no_paragraph(open_reader, site_url, real_site):
    """"Quotation attributed to ..." under a quoted paragraph is the archive's label, not the text."""
    page = open_reader().page
    page.goto(site_url + "search/?q=attributed")
    settled(page)
    for link in result_links(page):
        path, _, paragraph = link.lstrip("/").partition("#")
        if paragraph:
            record = json.loads((real_site.output / path / "statement.json").read_text(encoding="utf-8"))
            assert "attributed" in next(p["text"] for p in record["paragraphs"] if p["id"] == paragraph), link


def test_show_more_results_by_keyboard_moves_focus_to_the_first_new_result(open_reader, site_url):
    page = open_reader().page
    page.goto(site_url + "search/?q=Russia")
    settled(page)
    before = len(result_links(page))
    page.focus("#search-more")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#search-results li.result').length > {before}")
    focused = page.evaluate("document.activeElement.closest('li.result') && "
                            "[...document.querySelectorAll('#search-results li.result')].indexOf("
                            "document.activeElement.closest('li.result'))")
    assert focused == before  # the first of the new results, not the page's top


def test_a_result_goes_to_the_paragraph_that_matched(open_reader, site_url, real_site):
    record = json.loads((real_site.output / NGO_STATEMENT / "statement.json").read_text(encoding="utf-8"))
    expected = next(p["id"] for p in record["paragraphs"] if "Yekaterinburg" in p["text"])
    reader = open_reader(viewport={"width": 1280, "height": 700})
    page = reader.page
    page.goto(site_url + "search/?q=Yekaterinburg")
    settled(page)
    link = page.locator(f"#search-results a[href^='/{NGO_STATEMENT}']").first
    assert link.get_attribute("href") == f"/{NGO_STATEMENT}#{expected}"
    link.click()
    page.wait_for_url(re.compile(f"#{expected}$"))
    assert page.evaluate("id => document.getElementById(id).matches(':target')", expected)
    assert in_viewport(page, expected)


def test_a_result_goes_to_the_paragraph_with_the_most_of_the_words_searched_for(open_reader, site_url, real_site):
    """"Trofimchuk punished": the paragraph with both words, not the first that names Trofimchuk among guests."""
    record = json.loads((real_site.output / KHOJALY_STATEMENT / "statement.json").read_text(encoding="utf-8"))
    both = [p["id"] for p in record["paragraphs"] if "Trofimchuk" in p["text"] and "punish" in p["text"]]
    first = next(p["id"] for p in record["paragraphs"] if "Trofimchuk" in p["text"])
    assert len(both) == 1 and both[0] != first
    page = open_reader().page
    page.goto(site_url + "search/?q=Trofimchuk+punished")
    settled(page)
    assert page.title().startswith("“Trofimchuk punished” · Search · ")  # the tab and history say what was sought
    assert page.locator(f"#search-results a[href^='/{KHOJALY_STATEMENT}']").first.get_attribute("href") == \
        f"/{KHOJALY_STATEMENT}#{both[0]}"


def test_a_result_goes_to_the_paragraph_with_the_word_as_typed_before_one_with_its_stem(open_reader, site_url, real_site):
    """"punished": Trofimchuk's paragraph saying "punished", not Markov's before it saying "punishing"."""
    record = json.loads((real_site.output / KHOJALY_STATEMENT / "statement.json").read_text(encoding="utf-8"))
    stem = [p["id"] for p in record["paragraphs"] if "punishing" in p["text"]]
    typed = [p["id"] for p in record["paragraphs"] if "punished" in p["text"]]
    assert len(stem) == len(typed) == 1 and int(stem[0][1:]) < int(typed[0][1:])
    page = open_reader().page
    page.goto(site_url + "search/?q=punished&person=Grigory+Trofimchuk")
    settled(page)
    assert page.locator(f"#search-results a[href^='/{KHOJALY_STATEMENT}']").first.get_attribute("href") == \
        f"/{KHOJALY_STATEMENT}#{typed[0]}"


def test_with_a_person_chosen_a_result_goes_to_a_paragraph_quoting_that_person(open_reader, site_url, real_site):
    """"Russia" with Korotchenko chosen: his quoted paragraph, not the one that says "Russia" most, which is not his."""
    record = json.loads((real_site.output / KHOJALY_STATEMENT / "statement.json").read_text(encoding="utf-8"))
    his = {q["paragraph"] for q in record["quotes"] if q["speaker"] == "igor-korotchenko"}
    saying = [p for p in record["paragraphs"] if re.search(r"\bRussia\b", p["text"])]
    most = max(saying, key=lambda p: p["text"].count("Russia"))["id"]
    (expected,) = [p["id"] for p in saying if p["id"] in his]
    assert most not in his
    page = open_reader().page
    page.goto(site_url + "search/?q=Russia")
    settled(page)
    link = f"#search-results a[href^='/{KHOJALY_STATEMENT}']"
    assert page.locator(link).first.get_attribute("href") != f"/{KHOJALY_STATEMENT}#{expected}"  # the words alone
    page.goto(site_url + "search/?q=Russia&person=Igor+Korotchenko")
    settled(page)
    assert page.locator(link).first.get_attribute("href") == f"/{KHOJALY_STATEMENT}#{expected}"
    assert page.locator(link).first.locator("xpath=ancestor::li").locator(".meta").inner_text().endswith(
        f"match in paragraph {expected[1:]}")


def test_a_name_finds_its_page_and_its_statements_and_the_kind_of_page_narrows_to_statements(open_reader, site_url):
    """"Khojaly" finds the place, the event, the organisations named after it... and one statement."""
    page = open_reader().page
    page.goto(site_url + "search/?q=Khojaly")
    settled(page)
    everything = result_links(page)
    assert any(link.startswith("/places/") for link in everything) and any("/statements/" in link for link in everything)
    choose(page, "#filter-type", "Statement")
    statements = result_links(page)
    assert statements and all(link.startswith("/statements/") for link in statements), statements
    assert "type=Statement" in page.url
    choose(page, "#filter-type", "Place")
    places = [link.split("#")[0] for link in result_links(page)]
    assert "/places/khojaly/" in places and all(link.startswith("/places/") for link in places), places


def test_a_kind_without_dates_in_date_order_says_why_and_filtered_statements_without_words_come_newest_first(
        open_reader, site_url):
    page = open_reader().page
    page.goto(site_url + "search/?type=Person&sort=newest")
    settled(page)
    assert status_of(page).startswith("No results in date order: only statements and events")
    page.goto(site_url + "search/?type=Statement")  # no words: nothing to rank by relevance
    settled(page)
    dates = statement_dates(result_links(page))
    assert len(dates) >= 5 and dates == sorted(dates, reverse=True), dates
    page.goto(site_url + "search/?type=Person")  # no dates at all: as the index has them
    settled(page)
    assert result_links(page) and all(link.startswith("/people/") for link in result_links(page))


def test_results_sort_by_date_and_relevance(open_reader, site_url):
    reader = open_reader()
    page = reader.page
    page.goto(site_url + "search/?q=Azerbaijan&sort=newest")
    settled(page)
    newest = statement_dates(result_links(page))
    assert len(newest) >= 3 and newest == sorted(newest, reverse=True), newest
    choose(page, "#search-sort", "oldest")
    assert "sort=oldest" in page.url
    oldest = statement_dates(result_links(page))
    assert oldest == sorted(oldest) and set(oldest) == set(newest), oldest
    assert status_of(page).endswith(" results. Statements and events only: in date order, pages without a date are "
                                    "left out.")  # as the count falls from the one in relevance order
    choose(page, "#search-sort", "relevance")
    assert "sort=" not in page.url
    assert len(result_links(page)) > len(newest)  # relevance also lists people and organisations
    assert status_of(page).endswith(" results.")


def test_search_works_under_a_sub_path(open_reader, archive_url):
    reader = open_reader()
    page = reader.page
    page.goto(archive_url + "search/?q=Zakharova")
    settled(page)
    links = result_links(page)
    assert links and all(link.startswith("/archive/") for link in links), links
    page.locator("#search-results a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith(archive_url) and page.locator("h1").count() == 1


def test_a_site_built_for_a_path_gives_the_reader_whole_addresses_to_cite(open_reader, archive_url, archive_site):
    """With base_url /archive/ the built page can only say /archive/statements/...; the page's script,
    which knows where it is, completes the citation and the permalink a reader copies."""
    built = archive_site.page(ZAKHAROVA_STATEMENT + "index.html").select_one("#citation-text").get_text()
    assert " /archive/" + ZAKHAROVA_STATEMENT + " (accessed [date])" in built
    reader = open_reader()
    reader.page.goto(archive_url + ZAKHAROVA_STATEMENT)
    citation = reader.page.locator("#citation-text").inner_text()
    assert " " + archive_url + ZAKHAROVA_STATEMENT + " (accessed " in citation and "[date]" not in citation
    assert reader.page.locator(".permalink a").inner_text() == archive_url + ZAKHAROVA_STATEMENT
    reader.assert_no_errors()


# --- phones, JavaScript off, copying, print, dark theme ------------------------------------------

# WCAG 1.4.12's test of text spacing: a reader's own style sheet may space text out so, and nothing may be lost.
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
                " p { margin-bottom: 2em !important; }")


@pytest.mark.parametrize("width, spaced", [(360, False), (320, True)])
def test_phone_screens_have_no_sideways_scrolling(open_reader, site_url, width, spaced):
    """320 CSS pixels is WCAG 1.4.10's reflow width; entities' web addresses, and search excerpts quoting one,
    had widened a page to 353 px."""
    reader = open_reader(viewport={"width": width, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = reader.page
    for name, path in (("home", ""), ("statement", KHOJALY_STATEMENT), ("person", "people/ilham-aliyev/"),
                       ("search", "search/?q=Aliyev"), ("data", "data/"), ("address", "people/vladimir-putin/"),
                       ("place", "places/moscow/"), ("timeline", "timeline/")):
        page.goto(site_url + path)
        if spaced:
            page.add_style_tag(content=TEXT_SPACING)
        if name == "search":
            settled(page)
            # The filters are folded away on a phone, so the results start on the first screen...
            assert page.evaluate("document.getElementById('search-options-panel').open") is False
            assert page.locator("#search-results li.result").first.bounding_box()["y"] < 740
        # Against the layout width: a mobile browser widens window.innerWidth to fit a page that overflows.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name}: {overflow}px wider than the phone screen"
        if name == "statement":  # a ¶ link is a target a finger can hit (WCAG 2.5.8: 24 by 24 CSS pixels)
            box = page.locator("#p1 .pilcrow").bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, box
        reader.shot(f"07-phone-{width}-{name}")
    page.goto(site_url + "search/?q=Aliyev&year=2023")  # ...unless the address chooses one
    settled(page)
    assert page.evaluate("document.getElementById('search-options-panel').open") is True


def test_copy_citation_button_copies_the_citation(open_reader, site_url):
    from playwright.sync_api import expect

    reader = open_reader(permissions=["clipboard-read", "clipboard-write"])
    page = reader.page
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    button = page.get_by_role("button", name="Copy citation")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".copy-status")).to_have_text("Citation copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation-text").inner_text().strip()
    assert "https://statements.example.org/" + ZAKHAROVA_STATEMENT in copied
    # The date accessed is the reader's today (one either side, should the test run over midnight).
    days = [dt.date.today() + dt.timedelta(days=d) for d in (-1, 0, 1)]
    assert any(copied.endswith(f"(accessed {d.day} {d:%B} {d.year}).") for d in days), copied
    note = page.locator(".access-note").inner_text()
    assert any(note == f"The date accessed is today’s ({d.day} {d:%B} {d.year})." for d in days), note


def test_the_page_of_a_missing_address_by_date_leads_to_its_month_on_the_timeline(open_reader, site_url, real_site):
    """A day's folder has no page (bench/README.md says why), nor has a statement's address mistyped after its date:
    a host serves 404.html there, which leads to the month on the timeline, or says the archive has none of it."""
    page = open_reader().page
    missing = (real_site.output / "404.html").read_text(encoding="utf-8")
    # Served with status 200 here, so that the reader's tab does not report it as a failed request: the page's
    # script reads only the address, and a host's status 404 is the host's.
    page.route("**/*", lambda route: route.fulfill(status=200, body=missing, content_type="text/html; charset=utf-8")
               if not route.request.url.rsplit("?", 1)[0].endswith((".css", ".js", ".svg")) else route.continue_())
    expected = {
        "statements/2025/03/20/": ("The statements of March 2025 are listed on the timeline of 2025, under March.",
                                   "/timeline/2025/#y2025-03"),
        "statements/2025/03/20/zakharova-on-the-visits/": (
            "The statements of March 2025 are listed on the timeline of 2025, under March.", "/timeline/2025/#y2025-03"),
        "statements/2025/04/": ("The archive has no statements of April 2025; those of 2025 are listed on the "
                                "timeline of 2025.", "/timeline/2025/"),
        "statements/2031/": ("The archive has no statements of 2031; the years it has are on the timeline.", "/timeline/"),
    }
    for path, (said, href) in expected.items():
        page.goto(site_url + path)
        lost = page.locator("#lost-statement")
        assert normalise_space(lost.inner_text()) == said, path
        assert lost.locator("a").get_attribute("href") == href
        assert real_site.exists(href.split("#")[0].strip("/") + "/index.html")
    for path in ("people/nobody/", "statements/2025/13/01/"):  # not a date: the page says nothing more
        page.goto(site_url + path)
        assert page.locator("#lost-statement").is_hidden(), path


def test_a_paragraph_s_citation_names_who_said_it_where_the_archive_attributes_a_quotation_in_it(open_reader, site_url):
    """Paragraph 6 of a report of seven speakers is the ambassador's words (as the editors attribute them, the
    report naming no one); a paragraph of the report's own narration keeps the statement's speakers."""
    page = open_reader().page
    permalink = "https://statements.example.org/" + KHOJALY_STATEMENT
    for paragraph, lead in (("p6", "Polad Bulbuloglu (as the archive's editors attribute it). "),
                            ("p11", "Igor Korotchenko. "), ("p1", None)):
        page.goto(site_url + KHOJALY_STATEMENT + "#" + paragraph)
        page.wait_for_selector("#paragraph-citation")
        whole = page.locator("#citation-text").inner_text().strip()
        assert whole.startswith("Polad Bulbuloglu, Igor Korotchenko, Sergey Markov, ")  # the statement's: all seven
        cited = page.locator("#paragraph-citation").inner_text().strip()
        as_whole = whole.replace(f". {permalink} (accessed", f", para. {paragraph[1:]}. {permalink}#{paragraph} (accessed")
        if lead is None:
            assert cited == as_whole
        else:
            assert cited == lead + "[" + as_whole.split(". [", 1)[1], (paragraph, cited)  # the names, then the title


def test_a_paragraph_the_address_points_to_offers_its_permanent_link_to_copy(open_reader, site_url):
    from playwright.sync_api import expect

    reader = open_reader(permissions=["clipboard-read", "clipboard-write"])
    page = reader.page
    permalink = "https://statements.example.org/" + ZAKHAROVA_STATEMENT
    page.goto(site_url + ZAKHAROVA_STATEMENT + "#p3")
    bar = page.locator("#paragraph-link")
    expect(bar).to_contain_text("Link to paragraph 3: " + permalink + "#p3")
    assert page.evaluate("document.activeElement === document.body")  # an address from elsewhere moves no focus
    assert page.evaluate("document.querySelector('#paragraph-link').previousElementSibling.id") == "p3"
    bar.get_by_role("button", name="Copy link").click()
    expect(bar.locator(".copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == permalink + "#p3"
    # The citation has a twin for that paragraph, the same but for the paragraph's number and address.
    whole = page.locator("#citation-text").inner_text().strip()
    cited = page.locator("#paragraph-citation")
    assert cited.inner_text().strip() == whole.replace(f". {permalink} (accessed", f", para. 3. {permalink}#p3 (accessed")
    assert "(accessed [date])" not in cited.inner_text()  # the date filled in, as in the whole citation
    page.get_by_role("button", name="Copy the paragraph's citation").click()
    assert page.evaluate("navigator.clipboard.readText()") == cited.inner_text().strip()
    page.locator("#p5 .pilcrow").click()  # the reader's own ¶ click moves the offer with the address
    expect(bar).to_contain_text("Link to paragraph 5: " + permalink + "#p5")
    expect(cited).to_contain_text(f", para. 5. {permalink}#p5 (accessed")
    assert page.locator(".paragraph-link").count() == 1 and page.locator("#paragraph-citation").count() == 1
    # From the keyboard: Enter on a ¶ mark puts the focus on what it offers (a screen reader says it), and the
    # next Tab reaches its Copy button. The browser had started the next Tab at the paragraph: the same ¶ again.
    for mark in ("#p4 .pilcrow", "#p4 .pilcrow"):  # the second time, the address is already the paragraph's
        page.focus(mark)
        page.keyboard.press("Enter")
        expect(bar).to_contain_text("Link to paragraph 4: " + permalink + "#p4")
        expect(bar).to_be_focused()
        page.keyboard.press("Tab")
        expect(bar.get_by_role("button", name="Copy link")).to_be_focused()
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    assert page.locator(".paragraph-link").count() == 0 and page.locator("#paragraph-citation").count() == 0
    reader.shot("08b-paragraph-link")


def test_a_passage_copied_from_a_text_holds_the_sources_words_only(open_reader, site_url, real_site):
    """A journalist who selects paragraphs and copies them gets the article's words: not the ¶ marks, not the lines
    saying to whom a quotation is attributed, not the hidden heading. They had come with the words."""
    reader = open_reader(permissions=["clipboard-read", "clipboard-write"])
    page = reader.page
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    page.evaluate("""() => { const range = document.createRange();
        range.selectNodeContents(document.querySelector('article .text'));
        getSelection().removeAllRanges(); getSelection().addRange(range); }""")
    page.keyboard.press("Control+C")
    copied = page.evaluate("navigator.clipboard.readText()")
    paragraphs = [normalise_space(p.get_text()).removesuffix(" ¶").strip()
                  for p in real_site.paragraphs(ZAKHAROVA_STATEMENT + "index.html")]
    assert page.locator("article .text .said-by").count() > 0, "the test needs a quotation's line on the page"
    assert [normalise_space(line) for line in copied.split("\n") if line.strip()] == paragraphs


def test_an_address_to_a_paragraph_the_text_does_not_have_says_so(open_reader, site_url):
    """A citation of #p4, made before a correction removed that paragraph, or a mistyped number, does not leave the
    reader at the top of the page with nothing to go on: the page says the text has no such paragraph."""
    from playwright.sync_api import expect

    reader = open_reader()
    page = reader.page
    page.goto(site_url + ZAKHAROVA_STATEMENT + "#p99")
    note = page.locator("#paragraph-missing")
    # It does not say that the paragraph was taken away: the page cannot know that it ever was there (this record's
    # corrections changed its title note and its quotations, not its paragraphs).
    expect(note).to_have_text("The address points to paragraph 99, which this statement’s text does not have. "
                              "If the address was taken before the record was changed, see Corrections.")
    assert page.evaluate("document.querySelector('#paragraph-missing').closest('.text') !== null")
    expect(note).to_be_in_viewport()
    assert page.locator("#paragraph-link").count() == 0
    reader.shot("08c-paragraph-missing")
    note.get_by_role("link", name="Corrections").click()  # the reader follows it: the note has done its work
    expect(page.locator("#corrections")).to_be_in_viewport()
    assert page.locator("#paragraph-missing").count() == 0
    page.evaluate("location.hash = '#p3'")  # a paragraph the text has: its link, as before, and no note
    expect(page.locator("#paragraph-link")).to_contain_text("Link to paragraph 3: ")
    assert page.locator("#paragraph-missing").count() == 0
    # A record with no corrections says how its paragraphs are numbered instead.
    page.evaluate("document.querySelector('section.corrections').remove(); location.hash = '#p98'")
    expect(note).to_have_text("The address points to paragraph 98, which this statement’s text does not have. "
                              "Each paragraph’s number is by its ¶ mark.")
    page.goto(site_url + "people/sergey-markov/#p3")  # not a statement: nothing to say
    assert page.locator("#paragraph-missing").count() == 0
    reader.assert_no_errors()
    # An address cut short in the middle of an escape: decoding it threw, and stopped the rest of the script.
    page.goto(site_url + ZAKHAROVA_STATEMENT + "#%E0%A4%A")
    assert page.locator("#paragraph-missing").count() == 0 and page.locator("#paragraph-link").count() == 0
    reader.assert_no_errors()


def test_without_javascript_the_site_is_browsable_and_search_says_how(open_reader, site_url):
    from playwright.sync_api import expect

    reader = open_reader(java_script_enabled=False)
    page = reader.page
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    expect(page.locator("#p1")).to_be_visible()
    expect(page.locator("button.copy")).to_be_hidden()
    assert page.locator("#citation-text").inner_text().strip().endswith("(accessed [date]).")  # for the reader to fill
    expect(page.locator(".access-note")).to_have_text("Replace [date] with the date you read this page.")
    page.fill("#site-search-q", "Markov")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=Markov"))
    expect(page.get_by_text("Search needs JavaScript")).to_be_visible()
    expect(page.locator("#search-form")).to_be_hidden()
    for name in ("Timeline", "People", "Organisations", "Events"):
        expect(page.locator("main").get_by_role("link", name=name, exact=True)).to_be_visible()
    reader.shot("08-no-javascript-search")
    page.locator("main").get_by_role("link", name="People", exact=True).click()
    expect(page.locator("h1")).to_have_text("People")


def test_printed_statement_keeps_text_citation_and_permalink(open_reader, site_url):
    from playwright.sync_api import expect

    reader = open_reader()
    page = reader.page
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    # On screen too, each ¶ mark shows the number that quotations ("paragraph 7") give.
    assert page.evaluate("getComputedStyle(document.querySelector('#p7 .pilcrow'), '::after').content") == '"\u202f7"'
    expect(page.locator(".cite .screen-only")).to_be_visible()
    expect(page.locator(".cite .print-only")).to_be_hidden()
    page.emulate_media(media="print")
    expect(page.locator(".cite .screen-only")).to_be_hidden()  # "by its ¶ mark" means nothing on paper
    expect(page.locator(".cite .print-only")).to_be_visible()
    for visible in ("#p1", ".cite", "#citation-text", ".cite .permalink"):
        expect(page.locator(visible)).to_be_visible()
    for hidden in (".site-search", ".site-header nav", ".prev-next", ".site-footer .footer-links", ".cite-actions"):
        expect(page.locator(hidden)).to_be_hidden()
    assert "https://statements.example.org/" + ZAKHAROVA_STATEMENT in page.locator(".cite .permalink").inner_text()
    # Paper keeps the paragraph numbers that the quotations ("paragraph 7") and ¶ links cite.
    expect(page.locator("#p7 .pilcrow")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#p7 .pilcrow'), '::after').content") == '"\u202f7"'
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SHOTS / "09-statement-print.pdf"))


def test_a_printed_page_gives_its_own_address_under_the_site_s_name(open_reader, site_url, archive_url):
    """On paper, links do not work: a person's page printed had no address at all, and a statement's only in the
    citation, pages after its first. The page's permanent address heads every printed page of the archive, whole
    (the script completes it where base_url is only a path); not the search page's, nor the page of a missing one."""
    from playwright.sync_api import expect

    page = open_reader().page
    for base, whole in ((site_url, "https://statements.example.org/"), (archive_url, archive_url)):
        for path in (ZAKHAROVA_STATEMENT, "people/sergey-markov/", "places/moscow/", "timeline/2023/", ""):
            page.emulate_media(media="screen")
            page.goto(base + path)
            address = page.locator(".site-header .page-address")
            expect(address).to_be_hidden()  # on screen the browser shows where the page is
            page.emulate_media(media="print")
            expect(address).to_be_visible()
            assert address.inner_text() == whole + path
            # Under the site's name, above the page's heading.
            title, line = page.locator(".site-title").bounding_box(), address.bounding_box()
            assert line["y"] >= title["y"] + title["height"] - 1
            assert line["y"] + line["height"] <= page.locator("h1").bounding_box()["y"]
    for path in ("search/?q=Markov", "404.html"):
        page.goto(site_url + path)
        page.emulate_media(media="print")
        assert page.locator(".page-address").count() == 0, path


def test_on_paper_a_list_of_statements_gives_where_to_find_each(open_reader, site_url, archive_url):
    """A person's page, the timeline or the home page printed had named each statement (a card's title, a
    quotation's source) without its address, which paper cannot link to: each is now followed by its whole address,
    the paragraph's for a quotation. On screen nothing is added."""
    page = open_reader().page
    after = "(link) => getComputedStyle(link, '::after').content"
    for base, whole in ((site_url, "https://statements.example.org/"), (archive_url, archive_url)):
        for path in ("people/maria-zakharova/", "timeline/2025/", ""):
            page.emulate_media(media="screen")
            page.goto(base + path)
            card = page.locator(".card-title a").first
            assert card.evaluate(after) in ("none", "normal"), path
            page.emulate_media(media="print")
            href = card.get_attribute("href")
            assert card.evaluate(after) == f'" <{urllib.parse.urljoin(whole, href)}>"', path
        page.goto(base + "people/maria-zakharova/")
        page.emulate_media(media="print")
        source = page.locator(".quotes .who a").first
        assert source.evaluate(after) == f'" <{urllib.parse.urljoin(whole, source.get_attribute("href"))}>"'
        assert "#p" in source.evaluate(after)


def test_on_paper_every_page_keeps_the_caveat_that_texts_are_reproduced_with_their_errors(open_reader, site_url):
    """The footer's links are left off paper, but not its caveat: a printed statement quoted elsewhere must still say
    that its errors are the outlet's, and where the archive says how it keeps its records (whole, as on screen)."""
    from playwright.sync_api import expect

    page = open_reader().page
    for path in (ZAKHAROVA_STATEMENT, "people/maria-zakharova/", ""):
        page.goto(site_url + path)
        page.emulate_media(media="print")
        caveat = page.locator(".site-footer .caveat")
        expect(caveat).to_be_visible()
        assert "including their errors" in caveat.inner_text()
        expect(page.locator(".site-footer .footer-links")).to_be_hidden()
        after = page.evaluate("getComputedStyle(document.querySelector('.caveat a'), '::after').content")
        assert after == '" <https://statements.example.org/about/>"', path


def test_on_paper_a_link_of_the_text_keeps_its_address_and_a_quotation_stays_with_who_said_it(open_reader, site_url):
    page = open_reader().page
    page.goto(site_url + ZAKHAROVA_STATEMENT)
    page.evaluate("""() => { const a = document.createElement('a'); a.id = 'outside'; a.href = 'https://example.org/x';
                             a.textContent = 'here'; document.querySelector('#p2').prepend(a); }""")
    page.emulate_media(media="print")
    after = "(selector) => getComputedStyle(document.querySelector(selector), '::after').content"
    assert page.evaluate(after, "#outside") == '" <https://example.org/x>"'
    assert page.evaluate(after, "#p2 .pilcrow") != page.evaluate(after, "#outside")  # ¶ marks keep their numbers
    assert page.evaluate("getComputedStyle(document.querySelector('.said-by')).breakBefore") == "avoid"
    page.goto(site_url + "people/maria-zakharova/")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.quotes li')).breakInside") == "avoid"
    page.goto(site_url + "data/")
    page.emulate_media(media="print")
    style = "([selector, property]) => getComputedStyle(document.querySelector(selector))[property]"
    # A table's head and the heading over it are not left alone at a page's foot, nor a row cut in two.
    assert page.evaluate(style, ["table thead", "breakAfter"]) == "avoid"
    assert page.evaluate(style, ["main h2", "breakAfter"]) == "avoid"
    assert page.evaluate(style, ["table tbody tr", "breakInside"]) == "avoid"
    page.goto(site_url + "corrections/")
    page.emulate_media(media="print")
    assert page.evaluate(style, [".card", "breakInside"]) == "avoid"


def test_on_paper_a_link_to_another_page_of_the_archive_keeps_its_whole_address(open_reader, project):
    """A text (or an entry's description) that links to another statement's paragraph, or to a person, had printed the
    words alone: "as she said" led nowhere on paper, where a link to another site keeps its address. The page gives
    such a link from the site's root; the script makes it whole, as it does the permalink, and without the script
    the path is printed."""
    project.write("site.yaml", "title: Test archive\nbase_url: https://archive.example.org/\n")
    project.entity("outlets", "apa", name="APA")
    project.entity("people", "maria-zakharova", name="Maria Zakharova",
                   body="Spokeswoman; see [her briefing](/statements/2025/03/20/a-statement/) "
                        "and [the ministry's page](https://mid.example.org/zakharova).\n")
    project.statement(speakers=["Maria Zakharova"], body="The first paragraph.\n\nThe second paragraph.\n")
    project.statement("2025-03-21-another", date="2025-03-21", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "We said it"}],
                      body="As [she said](/statements/2025/03/20/a-statement/#p2) the day before, "
                           "and [the ministry](https://mid.example.org/) wrote.\n\n\"We said it\", she said.\n")
    assert project.build().ok
    server, url = serve(project.root / "public")
    after = "link => getComputedStyle(link, '::after').content"
    site = "https://archive.example.org/"
    try:
        for script in (True, False):
            page = open_reader(java_script_enabled=script).page
            page.goto(url + "statements/2025/03/21/another/")
            page.emulate_media(media="print")
            said = page.locator("#p1 a", has_text="she said")
            expected = (site + "statements/2025/03/20/a-statement/#p2") if script else "/statements/2025/03/20/a-statement/#p2"
            assert said.evaluate(after) == f'" <{expected}>"', script
            assert page.locator("#p1 a", has_text="the ministry").evaluate(after) == '" <https://mid.example.org/>"'
            # The archive's own links beside the text are not the text's: who a quotation is attributed to, the marks.
            assert page.locator(".said-by a").evaluate(after) in ("none", "normal")
            assert page.locator("#p1 .pilcrow").evaluate(after) == '"\u202f1"'
            page.goto(url + "people/maria-zakharova/")
            page.emulate_media(media="print")
            expected = (site if script else "/") + "statements/2025/03/20/a-statement/"
            assert page.locator(".description a", has_text="her briefing").evaluate(after) == f'" <{expected}>"'
            assert (page.locator(".description a", has_text="the ministry's page").evaluate(after)
                    == '" <https://mid.example.org/zakharova>"')
            page.emulate_media(media="screen")  # on screen a link is a link
            assert page.locator(".description a").first.evaluate(after) in ("none", "normal")
    finally:
        server.shutdown()


def test_on_a_phone_a_long_name_or_field_name_wraps_instead_of_widening_the_page(open_reader, site_url):
    reader = open_reader(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = reader.page
    page.goto(site_url + "people/maria-zakharova/")
    page.evaluate("""() => { const li = document.querySelector('.appears-with li').cloneNode(true);
                             li.querySelector('a').textContent = 'Abdulrahmanovichzadehovskayaqizi'.repeat(2);
                             document.querySelector('.appears-with').appendChild(li);
                             document.querySelector('.chart-table caption').textContent += ' ' + 'W'.repeat(60); }""")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(site_url + "data/")
    # The meanings start on the screen: the long field name (mentioned_organisations) breaks rather than push them.
    left = page.locator(".schema tbody td:last-child").first.bounding_box()["x"]
    assert left < 360 * 0.6, left


def contrast_on_white(colour: str) -> float:
    """WCAG's contrast ratio of an rgb() colour against white paper."""
    channels = [int(v) / 255 for v in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_printed_from_a_dark_theme_the_text_is_dark_on_white_and_an_address_is_printed_once(open_reader, site_url):
    reader = open_reader(color_scheme="dark")
    page = reader.page
    page.goto(site_url + KHOJALY_STATEMENT)
    page.emulate_media(media="print", color_scheme="dark")
    for selector in (".site-title", "h1", ".lede", ".note", ".meta", ".text p"):
        colour = page.locator(selector).first.evaluate("e => getComputedStyle(e).color")
        assert contrast_on_white(colour) >= 4.5, (selector, colour)  # the site's name had printed at 1.19:1
    page.goto(site_url + "people/vladimir-putin/")
    page.emulate_media(media="print", color_scheme="dark")
    links = page.locator('.facts a[rel="external"]')
    assert links.count()
    for i in range(links.count()):  # a link whose words are its address is not followed by it again
        link = links.nth(i)
        assert link.inner_text() == link.get_attribute("href")
        assert link.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
    page.goto(site_url + KHOJALY_STATEMENT)
    page.emulate_media(media="print")
    original = page.locator('.facts a[rel="external"]').first  # "original article": its address is printed after it
    assert "<http" in original.evaluate("a => getComputedStyle(a, '::after').content")


def test_dark_theme_follows_the_reader_setting(open_reader, site_url):
    backgrounds = {}
    for scheme in ("light", "dark"):
        reader = open_reader(color_scheme=scheme)
        reader.page.goto(site_url + KHOJALY_STATEMENT)
        colour = reader.page.evaluate("getComputedStyle(document.body).backgroundColor")
        backgrounds[scheme] = sum(int(v) for v in re.findall(r"\d+", colour)[:3]) / 3
        reader.shot(f"10-theme-{scheme}")
    assert backgrounds["light"] > 200 and backgrounds["dark"] < 60, backgrounds


def test_a_link_to_a_paragraph_of_a_moved_statement_reaches_that_paragraph(open_reader, real_project_copy, tmp_path):
    """A citation of a paragraph by the statement's old address (listed under `aliases`) keeps its #p3."""
    path = real_project_copy / "content" / "statements" / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    text = path.read_text(encoding="utf-8")
    path.write_text("---\naliases: [/statements/2025/03/19/zakharova-briefing/]\n" + text[4:], encoding="utf-8")
    site = build_real(real_project_copy, tmp_path / "public", "/")
    server, url = serve(site.output)
    try:
        reader = open_reader()
        reader.page.goto(url + "statements/2025/03/19/zakharova-briefing/#p3")
        reader.page.wait_for_url(url + ZAKHAROVA_STATEMENT + "#p3")
        assert reader.page.evaluate("document.querySelector(':target').id") == "p3"
        reader.page.goto(url + "statements/2025/03/19/zakharova-briefing/")  # and without a paragraph, the page itself
        reader.page.wait_for_url(url + ZAKHAROVA_STATEMENT)
        reader.assert_no_errors()
    finally:
        server.shutdown()


def test_an_entity_in_many_statements_lists_the_latest_and_links_each_year(open_reader, split_site_url):
    from playwright.sync_api import expect

    reader = open_reader(viewport={"width": 1280, "height": 800})
    page = reader.page
    page.goto(split_site_url + "places/moscow/")
    expect(page.locator("#statements")).to_have_text("Statements (3)")
    by_year = page.get_by_role("navigation", name="Statements by year")
    expect(by_year.get_by_role("link")).to_have_text(["2025", "2023", "2016"])
    by_year.get_by_role("link", name="2023", exact=True).click()
    assert page.url == split_site_url + "places/moscow/2023/"
    expect(page.locator("h1")).to_have_text("Moscow: 2023")
    expect(page.locator(".appearances .card-title a")).to_have_text(
        ["Khojaly genocide commemorated at the Jewish Museum and Tolerance Center in Moscow"])
    expect(page.get_by_role("navigation", name="Statements by year").locator("[aria-current='page']")).to_have_text("2023")
    reader.shot("06-entity-year")
    page.locator(".kicker").get_by_role("link", name="Moscow").click()
    assert page.url == split_site_url + "places/moscow/"


def assert_scroll_boxes_take_focus(page) -> None:
    """axe's rule that a box that scrolls can be reached and scrolled by keyboard: it holds, and was checked."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['scrollable-region-focusable']}})")
    assert result["violations"] == [] and result["passes"]


def test_a_chart_keeps_readable_labels_on_a_phone_and_scrolls_sideways_by_keyboard(open_reader, site_url):
    """Shrunk to a phone's width, the archive's nine years of months made the labels some 5 px tall."""
    reader = open_reader(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = reader.page
    page.goto(site_url + "people/maria-zakharova/")
    box = page.locator(".chart-scroll")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    heights = page.locator(".chart .label").evaluate_all("ls => ls.map(l => l.getBoundingClientRect().height)")
    assert len(heights) > 2 and min(heights) >= 10, heights
    # It opens at its newest months, its right end, with the latest bar in view: at its left end, the years
    # before her statements, it had shown a reader no bar at all.
    assert box.evaluate("b => b.scrollLeft > 0 && b.scrollLeft + b.clientWidth >= b.scrollWidth - 1")
    last_bar = page.locator(".chart .bar").last.bounding_box()
    shown = box.bounding_box()
    assert shown["x"] <= last_bar["x"] and last_bar["x"] + last_bar["width"] <= shown["x"] + shown["width"]
    start = box.evaluate("b => b.scrollLeft")
    box.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"document.querySelector('.chart-scroll').scrollLeft < {start}")
    assert_scroll_boxes_take_focus(page)
    reader.assert_no_errors()
    wide = open_reader(viewport={"width": 1280, "height": 800}).page  # on a wide screen it fits, as before
    wide.goto(site_url + "people/maria-zakharova/")
    assert not wide.locator(".chart-scroll").evaluate("b => b.scrollWidth > b.clientWidth")
    assert wide.locator(".chart-scroll").get_attribute("tabindex") is None  # no Tab stop that does nothing
    wide.set_viewport_size({"width": 375, "height": 740})  # narrowed, it scrolls, and is a stop again
    wide.wait_for_function("document.querySelector('.chart-scroll').getAttribute('tabindex') === '0'")
    assert_scroll_boxes_take_focus(wide)


def test_the_data_page_s_field_tables_scroll_on_a_phone_by_keyboard_with_readable_meanings(open_reader, site_url):
    reader = open_reader(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = reader.page
    page.goto(site_url + "data/")
    boxes = page.locator(".table-scroll")
    assert boxes.count() == 2
    for i in range(boxes.count()):
        box = boxes.nth(i)
        assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table is wider than a phone: it scrolls
        widths = box.locator("tbody td:last-child").evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
        assert min(widths) > 150, widths  # a meaning is read a few words a line, not two letters
    page.keyboard.press("Tab")
    for _ in range(60):  # by keyboard alone, the first box takes focus, and the arrow keys then scroll it
        if page.evaluate("document.activeElement.classList.contains('table-scroll')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-labelledby')") == "statement-fields"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    assert_scroll_boxes_take_focus(page)
    reader.assert_no_errors()


# --- accessibility --------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violations(open_reader, site_url, split_site_url, scheme):
    reader = open_reader(color_scheme=scheme)
    page = reader.page
    failures = []
    pages = [(kind, site_url, path) for kind, path in PAGES_OF_EACH_KIND.items()]
    pages += [("entity with year pages", split_site_url, "places/moscow/"),
              ("entity-year", split_site_url, "places/moscow/2023/"),
              ("statement at a paragraph", site_url, KHOJALY_STATEMENT + "#p5")]  # its link offered, its note shown
    for kind, root, path in pages:
        page.goto(root + path)
        if kind == "search":
            settled(page)
        page.add_script_tag(path=str(AXE_JS))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
        for violation in result["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            failures.append(f"{kind} /{path}: {violation['id']} ({violation['impact']}): {violation['help']} {targets}")
        assert result["passes"], f"axe checked nothing on /{path}"
    assert not failures, "\n".join(failures)
