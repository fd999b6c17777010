"""Stage 5, plan: every page as a PageSpec whose context already holds every link, base path included."""

from __future__ import annotations

import re

import pytest

from statement_archive.plan import outline
from statement_archive.urls import Urls


@pytest.fixture
def planned(project):
    """Plans the site of `project` with any setting changed: planned(entity_page_limit=1)."""

    def plan(**settings):
        problems, index = project.check()
        assert problems == []
        config = project.config(base_url="https://example.org/archive/")._replace(**settings)
        return {stub.url: stub.plan() for stub in outline(index, config, Urls(config.base_url))}

    return plan


@pytest.fixture
def pages(project, planned):
    project.entity("people", "maria-zakharova", name="Maria Zakharova", aliases=["Zakharova"])
    project.entity("people", "eli-hesenov", name="Əli Həsənov",
                   body="Spoke at [the briefing](/statements/2025/03/20/briefing/#p2).\n")
    project.entity("people", "abbas-ganbay", name="abbas ganbay")
    project.entity("organisations", "mfa", name="Russian Foreign Ministry")
    project.entity("outlets", "apa", name="APA", url="https://apa.az/")
    project.entity("places", "moscow", name="Moscow")
    project.entity("events", "briefing", name="Briefing", date="2025-03-20", place="Moscow",
                   organisers=["Russian Foreign Ministry"])
    project.statement("2025-03-20-briefing", body="Opening.\n\n\"We are waiting.\" Zakharova said.\n",
                      title="Briefing", speakers=["Zakharova"], organisations=["Russian Foreign Ministry"],
                      event="Briefing", places=["Moscow"], aliases=["/statements/2025/03/19/old-briefing/"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "We are waiting."}])
    project.statement("2024-01-02-earlier", date="2024-01-02", title="Earlier", mentions=["Maria Zakharova"],
                      body="As [Zakharova](/people/maria-zakharova/) said [later](/statements/2025/03/20/briefing/#p2), "
                           "see [elsewhere](https://example.net/x/) and [a relative link](../../../../2025/03/20/briefing/).\n")
    project.statement("2024-11-30-later-that-year", date="2024-11-30", title="Later that year")
    return planned()


def strings(value):
    """Every string inside a context, however deeply nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def test_every_page_kind_is_planned_once(pages):
    expected = {
        "": "home.html", "timeline/": "timeline.html", "timeline/2025/": "timeline-year.html",
        "timeline/2024/": "timeline-year.html", "404.html": "404.html",
        "statements/2025/03/20/briefing/": "statement.html", "statements/2024/01/02/earlier/": "statement.html",
        "statements/2025/03/19/old-briefing/": "redirect.html",
        "people/": "people.html", "people/maria-zakharova/": "person.html",
        "organisations/": "organisations.html", "organisations/mfa/": "organisation.html",
        "events/": "events.html", "events/briefing/": "event.html",
        "outlets/": "outlets.html", "outlets/apa/": "outlet.html",
        "places/": "places.html", "places/moscow/": "place.html", "corrections/": "corrections.html",
    }
    assert {url: pages[url].template for url in expected if url in pages} == expected


def test_every_internal_link_in_every_context_starts_with_the_base_path(pages):
    """Links in the texts too: they are written for the site's root ("/people/x/")."""
    linked_in_html = 0
    for spec in pages.values():
        for text in strings(spec.context):
            for link in [text] + re.findall(r'(?:href|src)="([^"]*)"', text):
                if link.startswith("/"):
                    assert link.startswith("/archive/"), f"/{spec.url}: {link}"
                if link.startswith("https://example.org"):
                    assert link.startswith("https://example.org/archive/"), f"/{spec.url}: {link}"
            linked_in_html += text.count('href="/archive/people/maria-zakharova/"') if "<a" in text else 0
    assert linked_in_html >= 1
    earlier = pages["statements/2024/01/02/earlier/"].context["statement"]["blocks"][0]["html"]
    assert 'href="/archive/statements/2025/03/20/briefing/#p2"' in earlier
    assert 'href="https://example.net/x/"' in earlier and 'href="../../../../2025/03/20/briefing/"' in earlier  # left as they are
    person = pages["people/eli-hesenov/"].context["entity"]["body_html"]
    assert 'href="/archive/statements/2025/03/20/briefing/#p2"' in person


def test_a_statement_links_its_entities_and_its_quotations_to_their_paragraph(pages):
    statement = pages["statements/2025/03/20/briefing/"].context["statement"]
    assert statement["speakers"] == [{"name": "Maria Zakharova", "href": "/archive/people/maria-zakharova/", "kind": "person",
                                      "role": ""}]  # the fixture gives no role
    assert statement["event"]["href"] == "/archive/events/briefing/"
    assert [link["href"] for link in statement["places"]] == ["/archive/places/moscow/"]
    (quote,) = statement["quotes"]
    assert (quote["href"], quote["speaker"]["name"]) == ("#p2", "Maria Zakharova")
    assert statement["permalink"] == "https://example.org/archive/statements/2025/03/20/briefing/"
    assert statement["citation"].startswith('Maria Zakharova. "Briefing." 20 March 2025. Reported by APA.')
    assert statement["citation"].endswith("https://example.org/archive/statements/2025/03/20/briefing/ (accessed [date]).")


def test_a_quoted_headline_s_own_quotation_marks_become_single_in_the_citation(project, planned):
    project.entity("outlets", "apa", name="APA")
    project.statement(title='Zakharova: "We are waiting" and “welcome”')
    (context,) = [p.context for url, p in planned().items() if url.startswith("statements/2025/") and p.template == "statement.html"]
    assert context["statement"]["citation"].startswith('"Zakharova: \'We are waiting\' and ‘welcome’." 20 March 2025.')


@pytest.mark.parametrize("title, cited", [
    ("What happened?", '"What happened?" 20 March 2025.'),
    ('He said "no" to them.', '"He said \'no\' to them." 20 March 2025.'),
    ('Zakharova: "We are ready."', '"Zakharova: \'We are ready.\'" 20 March 2025.'),
    ("Zakharova: “Enough!”", '"Zakharova: ‘Enough!’" 20 March 2025.'),
    ("Talks go on", '"Talks go on." 20 March 2025.'),
])
def test_a_quoted_headline_that_ends_as_a_sentence_takes_no_second_full_stop(project, planned, title, cited):
    project.entity("outlets", "apa", name="APA")
    project.statement(title=title)
    (context,) = [p.context for url, p in planned().items() if url.startswith("statements/2025/") and p.template == "statement.html"]
    assert context["statement"]["citation"].startswith(cited)


def test_a_paragraph_s_citation_says_only_of_the_names_the_editors_attribute_that_they_do(project, planned):
    """A paragraph of two quotations, one attributed by the report and one by the editors: the paragraph's citation
    had put "(as the archive's editors attribute it)" after the last name, whichever name it was said of."""
    project.entity("outlets", "apa", name="APA")
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("people", "sergey-markov", name="Sergey Markov")
    project.statement(body="Opening.\n\n\"We are waiting,\" came the words. \"We agree,\" Markov said.\n",
                      speakers=["Maria Zakharova", "Sergey Markov"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "We are waiting,",
                               "note": "The report names no one; the briefing was hers."},
                              {"speaker": "Sergey Markov", "text": "We agree,"}])
    (context,) = [p.context for url, p in planned().items() if p.template == "statement.html"]
    (block,) = [b for b in context["statement"]["blocks"] if b["cite_leads"]]
    assert block["cite_leads"] == {
        "p2": "Maria Zakharova (as the archive's editors attribute it), Sergey Markov. "}


def test_a_statement_knows_its_neighbours_by_date(pages):
    context = pages["statements/2024/11/30/later-that-year/"].context
    assert context["previous"]["href"] == "/archive/statements/2024/01/02/earlier/"
    assert context["next"]["href"] == "/archive/statements/2025/03/20/briefing/"


def test_a_person_page_lists_statements_newest_first_with_parts_and_quotations(pages):
    context = pages["people/maria-zakharova/"].context
    assert [(a["statement"]["title"], a["roles"]) for a in context["appearances"]] == [
        ("Briefing", ["speaker"]), ("Earlier", ["mentioned"])]
    (quote,) = context["quotes"]
    assert quote["href"] == "/archive/statements/2025/03/20/briefing/#p2"
    assert context["entity"]["aliases"] == ["Zakharova"]


def test_a_place_s_pages_list_the_statements_at_places_within_it_with_the_place_each_names(project, planned):
    """Moscow's page, its year's page and its count in the list of places take in a statement given only the hotel
    in Moscow, marked with the hotel; the hotel's own page lists it unmarked."""
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    project.statement("2025-03-20-at-the-hotel", title="At the hotel", places=["Radisson Royal Hotel"], body="Here.\n")
    project.statement("2024-01-02-in-the-city", date="2024-01-02", title="In the city", places=["Moscow"],
                      body="There.\n")
    for pages in (planned(), planned(entity_page_limit=1)):
        moscow = pages["places/moscow/"].context
        assert moscow["count"] == 2
        assert [(a["statement"]["title"], a["roles"], a["at"]) for a in moscow["appearances"]] == [
            ("At the hotel", ["place"], [{"name": "Radisson Royal Hotel", "href": "/archive/places/hotel/",
                                          "kind": "place"}]),
            ("In the city", ["place"], [])]
        assert [a["at"] for a in pages["places/hotel/"].context["appearances"]] == [[]]
        counts = {e["name"]: e["count"] for e in pages["places/"].context["entries"]}
        assert counts == {"Moscow": 2, "Radisson Royal Hotel": 1}
    year = pages["places/moscow/2025/"].context
    assert [(a["statement"]["title"], [p["name"] for p in a["at"]]) for a in year["appearances"]] == [
        ("At the hotel", ["Radisson Royal Hotel"])]
    assert [(y["year"], y["count"]) for y in year["years"]] == [(2025, 1), (2024, 1)]


def test_an_event_page_links_its_place_and_organisers(pages):
    entity = pages["events/briefing/"].context["entity"]
    assert entity["place"]["href"] == "/archive/places/moscow/"
    assert [o["href"] for o in entity["organisers"]] == ["/archive/organisations/mfa/"]
    assert entity["date"] == "2025-03-20"


def test_list_pages_sort_by_name_ignoring_case_and_diacritics(pages):
    entries = pages["people/"].context["entries"]
    assert [e["name"] for e in entries] == ["abbas ganbay", "Əli Həsənov", "Maria Zakharova"]
    assert [e["count"] for e in entries] == [0, 0, 2]


def test_the_timeline_lists_years_and_months_and_each_year_has_a_page(pages):
    years = pages["timeline/"].context["years"]
    assert [(y["year"], y["href"], y["count"]) for y in years] == [
        (2025, "/archive/timeline/2025/", "1 statement"), (2024, "/archive/timeline/2024/", "2 statements")]
    assert [(m["name"], m["count"], m["href"]) for m in years[1]["months"]] == [
        ("November", 1, "/archive/timeline/2024/#y2024-11"), ("January", 1, "/archive/timeline/2024/#y2024-01")]
    # The old anchors (timeline/#y2024-11) still land: the month's entry has the id its heading had.
    assert [m["id"] for m in years[1]["months"]] == ["y2024-11", "y2024-01"]
    year = pages["timeline/2024/"].context
    assert [(m["id"], m["name"], [c["title"] for c in m["statements"]]) for m in year["months"]] == [
        ("y2024-11", "November", ["Later that year"]), ("y2024-01", "January", ["Earlier"])]
    assert [(y["year"], y["current"]) for y in year["years"]] == [(2025, False), (2024, True)]
    assert year["timeline_href"] == "/archive/timeline/"
    assert "timeline/2023/" not in pages  # no page for a year without statements


def test_an_entity_in_more_statements_than_the_limit_gets_a_page_per_year(pages, planned):
    person = pages["people/maria-zakharova/"].context
    assert person["years"] == [] and person["count"] == 2 and len(person["appearances"]) == 2
    assert not [url for url in pages if url.startswith("people/maria-zakharova/2")]

    split = planned(entity_page_limit=1)
    person = split["people/maria-zakharova/"].context
    assert person["count"] == 2
    assert [(y["year"], y["href"], y["count"]) for y in person["years"]] == [
        (2025, "/archive/people/maria-zakharova/2025/", 1), (2024, "/archive/people/maria-zakharova/2024/", 1)]
    assert [a["statement"]["title"] for a in person["appearances"]] == ["Briefing", "Earlier"]  # the latest (up to 20)
    year = split["people/maria-zakharova/2024/"]
    assert year.template == "entity-year.html"
    assert [(a["statement"]["title"], a["roles"]) for a in year.context["appearances"]] == [("Earlier", ["mentioned"])]
    assert year.context["quotes"] == []
    assert [(y["year"], y["current"]) for y in year.context["years"]] == [(2025, False), (2024, True)]
    assert [q["text"] for q in split["people/maria-zakharova/2025/"].context["quotes"]] == ["We are waiting."]
    assert year.context["entity"]["href"] == "/archive/people/maria-zakharova/"
    # Only entities over the limit: Moscow is in one statement.
    assert not [url for url in split if url.startswith("places/moscow/2")]


def test_an_alias_plans_a_redirect_to_the_statement(pages):
    assert pages["statements/2025/03/19/old-briefing/"].context["target"] == "/archive/statements/2025/03/20/briefing/"


def test_an_entity_s_old_address_keeps_its_year_pages_too(project, planned):
    # A year's page is cited ("so that a year's page ... can be cited", README): renamed as the README says, with the
    # old address under old_urls, the person's /people/m-zakharova/2024/ had been the not-found page.
    project.entity("people", "maria-zakharova", name="Maria Zakharova", old_urls=["/people/m-zakharova/"])
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-briefing", body="Opening.\n", title="Briefing", speakers=["Maria Zakharova"])
    project.statement("2024-01-02-earlier", date="2024-01-02", title="Earlier", mentions=["Maria Zakharova"])
    split = planned(entity_page_limit=1)
    for year in (2025, 2024):
        old = split[f"people/m-zakharova/{year}/"]
        assert old.template == "redirect.html"
        assert old.context["target"] == f"/archive/people/maria-zakharova/{year}/"
        assert old.context["keep_hash"]
    assert split["people/m-zakharova/"].context["target"] == "/archive/people/maria-zakharova/"
    # Under the limit there are no year pages, and so no old ones.
    assert not [url for url in planned() if url.startswith("people/m-zakharova/2")]


def test_the_main_navigation_says_which_section_a_page_is_in(pages):
    def current(url):
        return {section: value for section, value in pages[url].context["page"]["current"].items() if value}

    assert current("people/") == {"people": "page"}
    assert current("people/maria-zakharova/") == {"people": "true"}
    assert current("timeline/") == {"timeline": "page"}
    assert current("timeline/2024/") == {"timeline": "true"}
    assert current("statements/2025/03/20/briefing/") == {} and current("") == {}


def test_people_are_ordered_by_surname_unless_the_registry_says_otherwise():
    from statement_archive.model import Entity
    from statement_archive.plan import list_order

    people = [Entity("people", "mao-zedong", "Mao Zedong", sort_as="Mao Zedong"), Entity("people", "ilham-aliyev", "Ilham Aliyev"),
              Entity("people", "maria-zakharova", "Maria Zakharova"), Entity("people", "heydar-aliyev", "Heydar Aliyev"),
              Entity("people", "polad-bulbuloglu", "Polad Bülbüloğlu")]
    assert [p.name for p in sorted(people, key=list_order)] == [
        "Heydar Aliyev", "Ilham Aliyev", "Polad Bülbüloğlu", "Mao Zedong", "Maria Zakharova"]
    organisations = [Entity("organisations", "state-duma", "State Duma"), Entity("organisations", "alef", "ALEF")]
    assert [o.name for o in sorted(organisations, key=list_order)] == ["ALEF", "State Duma"]  # by name
    # Word by word, as an index sorts: a shorter first word comes first, whatever follows it.
    organisations = [Entity("organisations", "youth", "Azerbaijani Youth Union of Russia"),
                     Entity("organisations", "forum", "Azerbaijan National NGO Forum"),
                     Entity("organisations", "airlines", "Azerbaijan Airlines")]
    assert [o.slug for o in sorted(organisations, key=list_order)] == ["airlines", "forum", "youth"]
    people = [Entity("people", "leyla-aliyeva", "Leyla Aliyeva"), Entity("people", "zaur-aliyev", "Zaur Aliyev")]
    assert [p.slug for p in sorted(people, key=list_order)] == ["zaur-aliyev", "leyla-aliyeva"]  # Aliyev, then Aliyeva


def test_the_corrections_page_lists_a_statement_s_changes_of_one_day_under_its_title_once(project, planned):
    project.entity("outlets", "apa", name="APA")
    project.statement("2024-01-01-old", date="2024-01-01", title="Old", body="Old.\n", corrections=[
        {"date": "2024-02-01", "note": "A typo."}, {"date": "2025-05-01", "note": "A name corrected."},
        {"date": "2025-05-01", "note": "A date corrected."}])
    project.statement("2025-03-20-new", title="New", withdrawn={"date": "2025-05-01", "reason": "Retracted"})
    context = planned()["corrections/"].context
    assert context["count"] == "4 changes"
    entries = [(y["year"], e["date"], e["title"], e["href"], e["withdrawn"], e["notes"])
               for y in context["years"] for e in y["entries"]]
    assert entries == [
        (2025, "2025-05-01", "New", "/archive/statements/2025/03/20/new/", True, ["Retracted."]),
        (2025, "2025-05-01", "Old", "/archive/statements/2024/01/01/old/#corrections", False,
         ["A date corrected.", "A name corrected."]),
        (2024, "2024-02-01", "Old", "/archive/statements/2024/01/01/old/#corrections", False, ["A typo."]),
    ]


def test_with_no_correction_the_corrections_page_says_so(pages):
    assert pages["corrections/"].context["years"] == []
