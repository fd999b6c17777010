"""Stage 4, index: statements by entity (newest first, with their parts), neighbours, related, URL clashes."""

from __future__ import annotations

import pytest

from conftest import TODAY
from statement_archive.entities import build_registry, resolve_statements
from statement_archive.indexes import RELATED_COUNT, RelatedMemo, build_index, corrections_log
from statement_archive.load import load_content
from statement_archive.model import ERROR, WARNING, Ref
from statement_archive.validate import validate_content
from statement_archive.urls import statement_url


@pytest.fixture
def registry(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova", aliases=["Zakharova"])
    project.entity("people", "ilham-aliyev", name="Ilham Aliyev")
    project.entity("people", "sergey-markov", name="Sergey Markov")
    project.entity("organisations", "mfa", name="Russian Foreign Ministry")
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("events", "briefing", name="Briefing", date="2025-03-20")
    return project


def urls_of(statements) -> list[str]:
    return [statement_url(s) for s in statements]


def test_statements_are_newest_first_and_an_entity_lists_its_parts(registry):
    registry.statement("2023-01-01-old", date="2023-01-01", mentions=["Maria Zakharova"])
    registry.statement("2025-03-20-new", speakers=["Maria Zakharova"], mentions=["Ilham Aliyev"],
                       organisations=["Russian Foreign Ministry"], event="Briefing", places=["Moscow"], body="A text.\n")
    registry.statement("2024-05-05-middle", date="2024-05-05", speakers=["Zakharova"], body="Another text.\n")
    problems, index = registry.check()
    assert problems == []
    assert urls_of(index.statements) == ["statements/2025/03/20/new/", "statements/2024/05/05/middle/",
                                         "statements/2023/01/01/old/"]
    zakharova = index.appearances[Ref("people", "maria-zakharova")]
    assert [(statement_url(a.statement), a.roles) for a in zakharova] == [
        ("statements/2025/03/20/new/", ("speaker",)),
        ("statements/2024/05/05/middle/", ("speaker",)),
        ("statements/2023/01/01/old/", ("mentioned",)),
    ]
    assert [a.roles for a in index.appearances[Ref("organisations", "mfa")]] == [("participant",)]  # beside a speaker
    assert [a.roles for a in index.appearances[Ref("events", "briefing")]] == [("event",)]
    assert [a.roles for a in index.appearances[Ref("places", "moscow")]] == [("place",)]
    assert len(index.appearances[Ref("outlets", "apa")]) == 3
    assert Ref("people", "sergey-markov") not in index.appearances


def test_a_place_lists_the_statements_at_places_within_it_at_any_depth_each_once_with_what_it_names(registry):
    """A statement given only a venue involves the city the venue is within, and the city's country: their pages list
    it, marked with the places it names there. One that names the city and the venue is the city's once, unmarked."""
    registry.entity("places", "russia", name="Russia")
    registry.entity("places", "moscow", name="Moscow", within="Russia")
    registry.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    registry.entity("places", "museum", name="Jewish Museum", within="Moscow")
    registry.statement("2025-03-04-hotel-only", date="2025-03-04", places=["Radisson Royal Hotel"],
                       body="At the hotel.\n")
    registry.statement("2025-03-03-city-and-hotel", date="2025-03-03",
                       places=["Moscow", "Radisson Royal Hotel"], body="In the city, at the hotel.\n")
    registry.statement("2025-03-02-two-venues", date="2025-03-02",
                       places=["Jewish Museum", "Radisson Royal Hotel"], body="At two venues.\n")
    registry.statement("2025-03-01-elsewhere", date="2025-03-01", speakers=["Maria Zakharova"], body="Nowhere.\n")
    problems, index = registry.check()
    assert problems == []
    hotel, museum, moscow = (Ref("places", s) for s in ("hotel", "museum", "moscow"))

    def listed(slug):
        return [(statement_url(a.statement), a.roles, a.at) for a in index.appearances[Ref("places", slug)]]

    assert listed("moscow") == [("statements/2025/03/04/hotel-only/", ("place",), (hotel,)),
                                ("statements/2025/03/03/city-and-hotel/", ("place",), ()),
                                ("statements/2025/03/02/two-venues/", ("place",), (museum, hotel))]
    assert listed("russia") == [("statements/2025/03/04/hotel-only/", ("place",), (hotel,)),
                                ("statements/2025/03/03/city-and-hotel/", ("place",), (moscow, hotel)),
                                ("statements/2025/03/02/two-venues/", ("place",), (museum, hotel))]
    assert [a.at for a in index.appearances[hotel]] == [(), (), ()]  # the place named: as before
    assert Ref("places", "moscow") not in index.statements[0].places  # the statement's own places stay as written


def test_a_speaker_listed_as_mentioned_too_is_listed_once_as_a_speaker(registry):
    """"Also mentioned" beside "Speakers" would name her twice on the page; the editor is told (entities.py)."""
    registry.statement(speakers=["Maria Zakharova"], mentions=["Zakharova", "Sergey Markov"])
    problems, index = registry.check()
    assert [p.message for p in problems] == ["mentions: 'Zakharova' names Maria Zakharova, already among the "
                                             "statement's speakers"]
    (appearance,) = index.appearances[Ref("people", "maria-zakharova")]
    assert appearance.roles == ("speaker",)
    assert index.statements[0].mentions == (Ref("people", "sergey-markov"),)


def test_previous_and_next_follow_the_dates_with_ties_broken_by_slug(registry):
    registry.statement("2025-03-20-b", title="B")
    registry.statement("2025-03-20-a", title="A")
    registry.statement("2025-01-01-first", date="2025-01-01")
    _, index = registry.check()
    first, a, b = "statements/2025/01/01/first/", "statements/2025/03/20/a/", "statements/2025/03/20/b/"
    assert index.previous[first] is None and statement_url(index.following[first]) == a
    assert statement_url(index.previous[a]) == first and statement_url(index.following[a]) == b
    assert statement_url(index.previous[b]) == a and index.following[b] is None


def test_related_statements_share_people_organisations_or_the_event(registry):
    registry.statement("2025-03-20-subject", speakers=["Maria Zakharova"], event="Briefing")
    registry.statement("2025-03-01-shares-two", date="2025-03-01", mentions=["Maria Zakharova"], event="Briefing")
    registry.statement("2025-03-02-shares-one", date="2025-03-02", speakers=["Maria Zakharova"])
    registry.statement("2025-03-03-shares-a-place-only", date="2025-03-03", places=["Moscow"])
    _, index = registry.check()
    related = urls_of(index.related["statements/2025/03/20/subject/"])
    assert related == ["statements/2025/03/01/shares-two/", "statements/2025/03/02/shares-one/"]


def test_related_statements_go_both_ways_when_one_names_the_other_s_organisation(registry):
    registry.statement("2025-03-20-by-the-ministry", organisations=["Russian Foreign Ministry"])
    registry.statement("2025-03-01-naming-it", date="2025-03-01", mentions=["Russian Foreign Ministry"])
    _, index = registry.check()
    assert urls_of(index.related["statements/2025/03/20/by-the-ministry/"]) == ["statements/2025/03/01/naming-it/"]
    assert urls_of(index.related["statements/2025/03/01/naming-it/"]) == ["statements/2025/03/20/by-the-ministry/"]


def test_two_statements_with_one_address_are_an_error_in_both_files(registry):
    registry.statement("2025-03-20-same", title="One")
    registry.statement("other-file", title="Two", slug="same")
    problems, _ = registry.check()
    errors = [p for p in problems if p.severity == ERROR]
    assert sorted(p.path for p in errors) == ["content/statements/2025-03-20-same.md", "content/statements/other-file.md"]
    assert all("same URL" in p.message for p in errors)


def test_an_alias_may_not_be_another_statements_address_or_outside_statements(registry):
    registry.statement("2025-03-20-one")
    registry.statement("2025-03-21-two", date="2025-03-21",
                       aliases=["/statements/2025/03/20/one/", "/people/maria-zakharova/"])
    problems, _ = registry.check()
    messages = [(p.line, p.message) for p in problems if p.severity == ERROR]
    assert len(messages) == 2
    assert "is the address of content/statements/2025-03-20-one.md" in messages[0][1]
    assert "outside /statements/" in messages[1][1]


def statements_of(project):
    files, _ = load_content(project.root)
    records, entity_records, _ = validate_content(files, TODAY)
    registry, _ = build_registry(entity_records)
    statements, _ = resolve_statements(records, registry)
    return statements, registry.entities


def related_urls(index) -> dict:
    return {url: urls_of(related) for url, related in index.related.items()}


def assert_kept_related_is_fresh(project, memo: RelatedMemo) -> RelatedMemo:
    statements, entities = statements_of(project)
    again = RelatedMemo(memo.new)
    assert related_urls(build_index(statements, entities, again)) == related_urls(build_index(statements, entities))
    return again


def test_related_statements_kept_from_the_last_build_follow_every_change(registry):
    """A statement's related statements are kept while the lists they were picked from are the same."""
    subject = "statements/2025/03/20/subject/"
    registry.statement("2025-03-20-subject", speakers=["Maria Zakharova"], event="Briefing")
    for day in range(1, 8):  # more than RELATED_COUNT statements share one name with the subject
        registry.statement(f"2025-02-0{day}-one", date=f"2025-02-0{day}", mentions=["Maria Zakharova"])
    registry.statement("2024-01-01-elsewhere", date="2024-01-01", speakers=["Ilham Aliyev"])
    statements, entities = statements_of(registry)
    memo = RelatedMemo()
    first = related_urls(build_index(statements, entities, memo))
    assert len(first[subject]) == RELATED_COUNT

    memo = assert_kept_related_is_fresh(registry, memo)  # nothing changed
    assert memo.changed is False
    registry.statement("2023-05-05-shares-two", date="2023-05-05", speakers=["Maria Zakharova"], event="Briefing")
    memo = assert_kept_related_is_fresh(registry, memo)
    statements, entities = statements_of(registry)
    assert related_urls(build_index(statements, entities))[subject][0] == "statements/2023/05/05/shares-two/"
    registry.statement("2025-02-01-one", date="2025-03-19", mentions=["Maria Zakharova"])  # a date moves
    memo = assert_kept_related_is_fresh(registry, memo)
    (registry.root / "content" / "statements" / "2023-05-05-shares-two.md").unlink()
    assert_kept_related_is_fresh(registry, memo)


def test_a_text_is_read_for_links_only_when_one_may_lead_into_the_site():
    """What links_into_site gives is kept between builds: a text whose links all lead elsewhere is never read again."""
    from types import SimpleNamespace

    from statement_archive.indexes import links_into_site
    from statement_archive.model import Block

    def marks(html):
        return links_into_site(SimpleNamespace(body=SimpleNamespace(blocks=(Block(html, ()),))))

    assert marks("<p>No link.</p>") == ()
    assert marks('<p>Within the page <a href="#p1">¶</a> <a class="pilcrow" href="#p2">¶</a></p>') == ()
    assert marks('<p><a href="#p1">¶</a> <a href="/people/x/">a</a></p>') == ("",)
    assert marks('<p><a href="https://Example.NET/x">out</a> <a href="mailto:a@b.c">mail</a> <a href="#p2">p2</a></p>') \
        == ("example.net",)
    assert marks('<p><a href="/people/x/">a</a> <a href="../../y/">b</a> '
                 '<a href="https://statements.example.org/people/x/">c</a></p>') == ("", "statements.example.org")  # hosts: http or https
    # HTML a site trusts (trust_html) may write a link in any case and with any quotes, or none.
    assert marks("<p><a HREF='/people/x/'>a</a></p>") == marks("<p><a href = /people/x/>a</a></p>") == ("",)
    assert marks("<p>The word href alone, and <a Href='https://example.net/'>out</a></p>") == ("example.net",)


def test_an_edit_that_would_move_a_published_paragraph_s_anchor_is_told_how_to_pin_it(registry):
    """Citations of #p3 must keep leading to the words they cite: a paragraph added or removed without a pin
    renumbers the ones after it, which `check` and the build that publishes it say, with the pin to add."""
    text = "First words.\n\nSecond words.\n\nThird words.\n\nFourth words.\n"
    registry.statement(body=text)
    assert registry.build().ok
    assert registry.check()[0] == []  # the published site holds the same paragraphs
    path = registry.statement(body=text.replace("Second words.\n\n", "Second words.\n\nAdded words.\n\n"))

    def line_of(words: str) -> int:  # told at the paragraph to pin or to look at, not at the text's first line
        return path.read_text(encoding="utf-8").split("\n").index(words) + 1

    problems, _ = registry.check()
    assert [p.line for p in problems] == [line_of("Added words.")]
    assert [(p.message, p.hint.split("; ")[1]) for p in problems] == [(
        "paragraph #p3 as published would hold other words, and its own would be #p4: links and citations of #p3 "
        "would lead to the wrong paragraph", "pin the paragraph added after #p2 as {#p2a}, at its end, as the README "
        "says under Addresses")]
    registry.statement(body=text.replace("Second words.\n\n", "Second words.\n\nAdded words. {#p2a}\n\n"))
    assert registry.check()[0] == []  # pinned: every published anchor keeps its words
    registry.statement(body=text.replace("Second words.\n\n", ""))
    problems, _ = registry.check()
    assert [p.line for p in problems] == [line_of("Third words.")]  # where the pin goes
    assert [p.hint.split("; ")[1:] for p in problems] == [[
        "put {#p3} at the end of the paragraph that was #p3, now #p2, as the README says under Addresses",
        # Its words are gone too: said now, not only by the next check once the pin is in.
        "the words of #p2 are gone: add an entry to corrections that says what was removed, as the README says under "
        "Changing a published record"]]
    registry.statement(body=text.replace("Second words.\n\nThird words.", "Third words. {#p3}"))
    problems, _ = registry.check()  # no anchor moves, but #p2 is gone: a citation of it finds no paragraph
    assert [(p.message, p.hint.split(":")[0]) for p in problems] == [(
        "paragraph #p2 as published would be gone with its words: links and citations of #p2 would find no paragraph",
        "if the words were removed on purpose, add an entry to corrections that says what was removed and why, as "
        "the README says under Changing a published record")]
    correction = [{"date": "2025-03-21", "note": "The second paragraph, not in the report, was removed."}]
    registry.statement(body=text.replace("Second words.\n\nThird words.", "Third words. {#p3}"), corrections=correction)
    assert registry.check()[0] == []  # said in a correction, to which the page points a reader who follows #p2
    # A typo corrected keeps every anchor, and is no move; but the words cited change, which a correction must say.
    registry.statement(body=text.replace("Third", "The third"))
    problems, _ = registry.check()
    assert [(p.message, p.line) for p in problems] == [(
        "paragraph #p3 as published would read otherwise, and the record says nothing of it: readers who cited the "
        "words would find others", line_of("The third words."))]
    registry.statement(body=text.replace("Third", "The third"), corrections=correction)
    assert registry.check()[0] == []
    # Once published, the site holds the new numbers.
    registry.statement(body=text.replace("Second words.\n\n", ""))
    assert registry.build().ok and registry.check()[0] == []


def test_a_published_title_changed_with_no_correction_is_told_at_the_title(registry):
    """Every citation of a statement quotes its title: changed in place, with nothing in corrections, a reader holding
    a citation would find another headline and nothing to say why."""
    registry.statement(title="Zakharova on the visits")
    assert registry.build().ok
    path = registry.statement(title="Zakharova on the May visits")
    problems, _ = registry.check()
    assert [(p.line, p.message) for p in problems] == [(
        path.read_text(encoding="utf-8").split("\n").index("title: Zakharova on the May visits") + 1,
        "the title as published would read otherwise, and the record says nothing of it: citations of the statement, "
        "which quote the title, would no longer match")]
    registry.statement(title="Zakharova on the May visits",
                       corrections=[{"date": "2025-03-21", "note": "The title said only 'the visits'."}])
    assert registry.check()[0] == []  # said in a correction, which the page, the feeds and /corrections/ show
    assert registry.build().ok and registry.check()[0] == []


def test_an_edit_that_would_take_a_published_paragraph_s_anchor_away_is_told(registry):
    """A citation of #p4 finds no paragraph once the last paragraph is removed, or once a pin is taken away from words
    that are still there: `check` says so, and names the pin to put back."""
    text = "First words.\n\nSecond words.\n\nThird words.\n\nAdded words. {#p3a}\n\nFourth words.\n"
    registry.statement(body=text)
    assert registry.build().ok
    registry.statement(body=text.replace(" {#p3a}", "").replace("\n\nFourth words.", ""))
    problems, _ = registry.check()
    assert [(p.message, p.hint.split(",")[0]) for p in problems] == [(
        "paragraph #p3a as published would be gone, and its words would be #p4: links and citations of #p3a would "
        "find no paragraph", "pin {#p3a} at the end of the paragraph that is now #p4")]
    registry.statement(body=text.replace("\n\nFourth words.", "").replace("\n\nSecond words.", ""))
    problems, _ = registry.check()  # #p3's words, now #p2, are told first; then #p2's, once #p3 is pinned again
    assert [p.message.split(":")[0] for p in problems] == ["paragraph #p3 as published would be gone, and its words would be #p2"]
    assert problems[0].hint.endswith("; the words of #p2 are gone: add an entry to corrections that says what was "
                                     "removed, as the README says under Changing a published record")
    registry.statement(body=text.replace("Second words.\n\nThird words.", "Third words. {#p3}")
                       .replace("\n\nFourth words.", ""))
    problems, _ = registry.check()
    assert [p.message for p in problems] == [
        "paragraphs #p2 and #p4 as published would be gone with their words: links and citations of #p2 and #p4 "
        "would find no paragraph"]


def test_a_folder_by_date_leads_to_its_place_on_the_timeline(registry):
    """Its month where that month has statements, else its year, else the whole timeline (an alias's folder of a
    year with no statement)."""
    registry.statement("2025-03-20-one", aliases=["/statements/2019/05/04/old/", "/statements/2025/02/01/"])
    registry.statement("2024-07-01-two", date="2024-07-01", aliases=["/statements/2024/01/09/older/"])
    _, index = registry.check()
    assert index.date_folders == {
        "statements/": (None, None),
        "statements/2019/": (None, None), "statements/2019/05/": (None, None),
        "statements/2024/": (2024, None), "statements/2024/01/": (2024, None), "statements/2024/07/": (2024, 7),
        "statements/2025/": (2025, None), "statements/2025/02/": (2025, None), "statements/2025/03/": (2025, 3),
    }


@pytest.mark.parametrize("alias", ["/statements/", "/statements/2016/", "/statements/2025/03/", "/statements/2019/"])
def test_an_alias_may_not_take_a_folder_by_date(registry, alias):
    """"aliases: [/statements/2016/]" had turned the folder that leads to 2016 on the timeline, and every link to it,
    into a redirect to one statement, with no word from check."""
    registry.statement("2025-03-20-one", aliases=[alias])
    registry.statement("2016-12-28-two", date="2016-12-28", body="Other words.")
    problems, _ = registry.check()
    assert [(p.severity, p.message) for p in problems] == [
        (ERROR, f"alias {alias} is a folder of statements by date, which leads readers to those statements on the timeline")]


def test_the_same_text_is_told_on_the_file_added_last_naming_the_published_one(real_project_copy):
    """An article imported again, as a draft whose name sorts first: the warning was told on the published file, and
    its hint to delete one of the files led to the wrong one."""
    from statement_archive.config import load_config
    from statement_archive.pipeline import check_site

    statements = real_project_copy / "content" / "statements"
    published = statements / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    draft = statements / "2025-03-20-a-draft.md"
    text = published.read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    draft.write_text(f"---\ntitle: A draft\ndate: 2025-03-20\noutlet: Vestnik Kavkaza\nadded: 2026-12-06\n---\n{body}",
                     encoding="utf-8")
    config, _ = load_config(real_project_copy, str(real_project_copy / "public"))
    problems, _ = check_site(config, TODAY)
    same = [p for p in problems if "the text is the same" in p.message]
    assert [(p.path, p.message) for p in same] == [
        ("content/statements/2025-03-20-a-draft.md", f"the text is the same as that of content/statements/{published.name}")]


def test_a_second_statement_with_the_same_title_and_date_is_told_at_its_title(registry):
    """A file copied as a start, its title and date kept: lists, feeds and citations would show two statements alike.
    Told once, on the file added later; the same text or report is told by its own warning, not this one."""
    registry.statement("2025-03-20-first", title="Zakharova on the visits", added="2025-03-21", body="One text.\n")
    path = registry.statement("2025-03-20-copy", title="Zakharova  on the Visits", added="2025-03-22", body="Other.\n")
    problems, _ = registry.check()
    assert [(p.path, p.line, p.severity, p.message) for p in problems] == [(
        "content/statements/2025-03-20-copy.md", path.read_text(encoding="utf-8").split("\n").index(
            "title: Zakharova  on the Visits") + 1, WARNING, "title: content/statements/2025-03-20-first.md has the same "
        "title and date (2025-03-20), so lists and citations show the two alike")]
    registry.statement("2025-03-20-copy", title="Zakharova on the visits", added="2025-03-22", body="One text.\n")
    assert [p.message for p in registry.check()[0]] == [
        "the text is the same as that of content/statements/2025-03-20-first.md"]
    path.unlink()
    registry.statement("2025-03-21-copy", title="Zakharova on the visits", date="2025-03-21", body="Other.\n")
    assert registry.check()[0] == []  # another day: a statement of the same title, told apart by its date


def test_corrections_and_a_withdrawal_on_a_statement_never_published_are_told(registry):
    """A file copied from a corrected or withdrawn statement keeps its `corrections` and `withdrawn`: the new page
    would tell readers of changes to a text never published. Said only with the last build's record of addresses
    (a first build has none), and no more once published; a statement moved to a new address, its old one in
    `aliases`, was published."""
    correction = [{"date": "2025-03-21", "note": "The date was corrected."}]
    withdrawn = {"date": "2025-03-22", "reason": "Retracted by the outlet."}
    registry.statement("2025-03-20-old", corrections=correction, body="Old words.\n")
    assert registry.check()[0] == []  # nothing published yet: nothing to compare with
    assert registry.build().ok and registry.check()[0] == []
    path = registry.statement("2025-03-20-copied", title="Copied", corrections=correction, withdrawn=withdrawn)
    problems, _ = registry.check()
    lines = path.read_text(encoding="utf-8").split("\n")
    assert [(p.path, p.line, p.severity, p.message) for p in problems] == [
        ("content/statements/2025-03-20-copied.md", lines.index("- date: '2025-03-21'") + 1, WARNING,
         "corrections: this statement has not been published yet, so there is nothing to correct"),
        ("content/statements/2025-03-20-copied.md", lines.index("  date: '2025-03-22'") + 1, WARNING,
         "withdrawn: this statement has not been published yet, so there is nothing to withdraw")]
    assert problems[0].hint.startswith("if this file was copied from another statement, remove the 'corrections'")
    (registry.root / "content/statements/2025-03-20-old.md").unlink()
    registry.statement("2025-03-20-renamed", title="Renamed", corrections=correction, body="Old words.\n",
                       aliases=["/statements/2025/03/20/old/"])
    assert [p.path for p in registry.check()[0]] == ["content/statements/2025-03-20-copied.md"] * 2
    assert registry.build().ok and registry.check()[0] == []  # published: its corrections are the record's


def test_a_copy_whose_name_sorts_first_is_told_not_the_published_statement(registry):
    """A published file copied to a name that sorts before it (its date and `added` kept, as a copy keeps them): the
    same title, text or report was told on the published file, naming the copy, with the hint to correct its title
    or delete one of the files; the published statement is the one to keep as it is."""
    registry.statement("2025-03-20-zakharova", title="Zakharova on the visits", body="One text.\n",
                       source_url="https://example.org/a")
    assert registry.build().ok
    copy = "content/statements/2025-03-20-a-copy.md"
    registry.statement("2025-03-20-a-copy", title="Zakharova on the visits", body="Other.\n",
                       source_url="https://example.org/b")
    assert [(p.path, p.message) for p in registry.check()[0]] == [(copy, "title: content/statements/2025-03-20-"
                                                                  "zakharova.md has the same title and date (2025-03-20), so lists and citations show the two alike")]
    registry.statement("2025-03-20-a-copy", title="Copied", body="One text.\n", source_url="https://example.org/b")
    assert [(p.path, p.message) for p in registry.check()[0]] == [
        (copy, "the text is the same as that of content/statements/2025-03-20-zakharova.md")]
    registry.statement("2025-03-20-a-copy", title="Copied", body="Other.\n", source_url="https://example.org/a")
    assert [(p.path, p.message) for p in registry.check()[0]] == [
        (copy, "source_url: content/statements/2025-03-20-zakharova.md reports the same article")]


def test_a_renamed_statement_with_corrections_is_not_told_it_was_never_published(registry):
    """A published statement's file renamed, its old address not yet in `aliases`: told that the old address would be
    gone, with the alias to add; it had also been told that it 'has not been published yet', which the same check
    contradicted."""
    correction = [{"date": "2025-03-21", "note": "The date was corrected."}]
    old = registry.statement("2025-03-20-old", title="Old", corrections=correction, body="Old words.\n")
    assert registry.build().ok
    old.unlink()
    registry.statement("2025-03-20-renamed", title="Old", corrections=correction, body="Old words.\n")
    assert [(p.path, p.message) for p in registry.check()[0]] == [(
        "content/statements/2025-03-20-renamed.md", "this statement was published at /statements/2025/03/20/old/, "
        "which a build would no longer make: links and citations of it would break")]


def test_the_corrections_log_is_newest_first_then_in_the_archive_s_order_then_latest_first(registry):
    registry.statement("2024-01-01-old", date="2024-01-01", body="Old.\n", corrections=[
        {"date": "2025-05-01", "note": "Old, first."}, {"date": "2025-05-01", "note": "Old, second."}])
    registry.statement("2025-03-20-new", corrections=[{"date": "2025-04-01", "note": "New, first."},
                                                      {"date": "2025-05-01", "note": "New, second."}],
                       withdrawn={"date": "2025-06-01", "reason": "Retracted by the outlet."})
    registry.statement("2024-06-01-never", date="2024-06-01", body="Never.\n")
    problems, index = registry.check()
    assert problems == []
    log = [(c.date.isoformat(), c.withdrawn, c.note, statement_url(c.statement)) for c in corrections_log(index.statements)]
    assert log == [
        ("2025-06-01", True, "Retracted by the outlet.", "statements/2025/03/20/new/"),
        ("2025-05-01", False, "New, second.", "statements/2025/03/20/new/"),  # the newer statement first
        ("2025-05-01", False, "Old, second.", "statements/2024/01/01/old/"),  # listed later: made later
        ("2025-05-01", False, "Old, first.", "statements/2024/01/01/old/"),
        ("2025-04-01", False, "New, first.", "statements/2025/03/20/new/"),
    ]
