"""Stage 2, validate: typed records from front matter; basic cases (tests/test_bad_input.py has the rest)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import REPO, TODAY
from hypothesis import given, settings
from hypothesis import strategies as st
from statement_archive.load import CONTROL_CHARACTER, load_content, load_file
from statement_archive.model import ERROR, WARNING, SourceFile
from statement_archive.validate import (ENTITY_KEYS, MAX_INDENT, STATEMENT_KEYS, check_body, check_pins,
                                        validate_content)


def validate(project):
    files, problems = load_content(project.root)
    assert problems == []
    return validate_content(files, TODAY)


def test_a_full_statement_becomes_a_typed_record(project):
    project.statement(
        "2025-03-20-zakharova-on-may-9", body="Text.\n",
        title="Zakharova on May 9", title_note="Editor's title.", date="2025-03-20", date_note="From the page.",
        outlet="Vestnik Kavkaza", source_url="https://vestnikkavkaza.net/news/x.html", author="A. Writer",
        speakers=["Maria Zakharova"], organisations=["Russian Foreign Ministry"], event="Briefing",
        places=["Moscow"], mentions=["Ilham Aliyev"], aliases=["/statements/2025/03/19/old"],
        summary="One line.", quotes=[{"speaker": "Maria Zakharova", "text": "Text."}],
        roles={"Maria Zakharova": "Spokeswoman"},
        corrections=[{"date": "2025-04-01", "note": "A  typo."}, {"date": "2025-05-02", "note": "Another."}],
        withdrawn={"date": "2025-06-01", "reason": "Retracted by the outlet."},
    )
    statements, _, problems = validate(project)
    assert problems == []
    (record,) = statements
    assert record.title == "Zakharova on May 9"
    assert record.date == dt.date(2025, 3, 20)
    assert record.speakers == ("Maria Zakharova",)
    assert record.organisations == ("Russian Foreign Ministry",)
    assert record.places == ("Moscow",) and record.mentions == ("Ilham Aliyev",)
    assert record.event == "Briefing" and record.outlet == "Vestnik Kavkaza"
    assert record.source_url == "https://vestnikkavkaza.net/news/x.html"
    assert record.aliases == ("statements/2025/03/19/old/",), "aliases become site paths"
    assert record.slug == "zakharova-on-may-9", "the slug is the file name without its date"
    assert [(q.speaker, q.text) for q in record.quotes] == [("Maria Zakharova", "Text.")]
    assert [(r.name, r.text) for r in record.roles] == [("Maria Zakharova", "Spokeswoman")]
    assert [(c.date, c.note) for c in record.corrections] == [(dt.date(2025, 4, 1), "A typo."), (dt.date(2025, 5, 2), "Another.")]
    assert (record.withdrawn.date, record.withdrawn.reason) == (dt.date(2025, 6, 1), "Retracted by the outlet.")
    assert record.modified == dt.date(2025, 6, 1)  # the latest change: the withdrawal, after the corrections


def test_a_quotation_may_carry_the_editors_note_on_its_attribution_as_text(project):
    note = "The article does not name the speaker; the paragraph before says 'she added'."
    project.statement("2025-03-20-noted", body="Text.\n", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "Text.", "note": note}])
    project.statement("2025-03-21-bad-note", body="Text.\n", date="2025-03-21", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "Text.", "note": ["not", "text"]}])
    project.statement("2025-03-22-unknown-key", body="Text.\n", date="2025-03-22", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "Text.", "source": "p1"}])
    statements, _, problems = validate(project)
    noted = next(s for s in statements if s.slug == "noted")
    assert [(q.speaker, q.text, q.note) for q in noted.quotes] == [("Maria Zakharova", "Text.", note)]
    messages = sorted((p.path.rsplit("/", 1)[-1], p.line, p.message) for p in problems)
    # Each at the line of the key at fault: the note's own (a list under it, or nothing after it), not the quotation's.
    assert messages == [("2025-03-21-bad-note.md", 10, "quotes: item 1 has a note that is not text"),
                        ("2025-03-22-unknown-key.md", 10,
                         "quotes: item 1: unknown key 'source': a quotation takes 'speaker', 'text' and 'note' only")]
    project.statement("2025-03-21-bad-note", body="Text.\n", date="2025-03-21", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "Text."},
                              {"speaker": "Maria Zakharova", "text": "Text.", "note": None},
                              {"speaker": "Maria Zakharova", "text": "Text.", "note": "Said\u0007."}])
    assert sorted((p.line, p.message) for p in validate(project)[2] if "bad-note" in p.path) == [
        (12, "quotes: item 2 has an empty note"),
        (15, "quotes: the invisible control character U+0007 is in the value")]


def test_each_mistake_in_a_correction_is_reported_and_the_usable_ones_kept(project):
    project.statement("2025-03-20-corrected", body="Text.\n", corrections=[
        {"date": None, "note": ""},  # both missing: both said
        {"date": "2025-05-01", "note": ["not", "text"]},
        {"date": "2025-04-01", "note": "Before the one above, though that one is not usable."},
        {"date": "2025-06-01", "note": "Fine."},
    ])
    (record,), _, problems = validate(project)
    assert [p.message for p in sorted(problems, key=lambda p: p.line)] == [
        "corrections: item 1 has no date", "corrections: item 1 has no note",
        "corrections: item 2 has a note that is not text", "corrections: item 3 is dated before the one above it"]
    assert [(c.date, c.note) for c in record.corrections] == [(dt.date(2025, 6, 1), "Fine.")]


def test_a_correction_s_date_is_named_by_its_item_counted_from_1_as_the_other_messages_do(project):
    """"corrections[1].date" had named the second correction by a programmer's count from 0, beside "item 2"."""
    project.statement("2025-03-20-corrected", body="Text.\n", corrections=[
        {"date": "2025-04-01", "note": "Fine."}, {"date": "2025-13-01", "note": "A month that is not one."},
        {"date": "2025-1-2", "note": "Not written in full."}])
    _, _, problems = validate(project)
    assert [p.message for p in sorted(problems, key=lambda p: p.line)] == [
        "corrections, item 2, date: '2025-13-01' is not a real calendar date",
        "corrections, item 3, date: '2025-1-2' is not a date in the form YYYY-MM-DD"]


@pytest.mark.parametrize("withdrawn, said", [
    ({"date": "2025-06-01"}, "withdrawn: the reason is missing"),
    ({"reason": "Retracted."}, "withdrawn: the date is missing"),
    ({"date": "2025-06-01", "why": "Retracted."}, "withdrawn: unknown key 'why': it takes a 'date' and a 'reason' only"),
    ({"date": "2025-06-01", "reason": "Retracted.", "by": "editor", "when": 1},
     "withdrawn: unknown keys 'by', 'when': it takes a 'date' and a 'reason' only"),
    ({}, "withdrawn: expected a 'date' and a 'reason'"),
])
def test_a_withdrawal_without_its_reason_or_date_says_which_is_missing(project, withdrawn, said):
    """`withdrawn: {date: ...}` alone had the message for a withdrawal of the wrong shape, not the one for the
    missing reason that the README lists."""
    project.statement("2025-03-20-withdrawn", body="Text.\n", withdrawn=withdrawn)
    _, _, problems = validate(project)
    assert [p.message for p in problems] == [said]


def test_a_person_s_role_date_is_a_date(project):
    project.entity("people", "polad-bulbuloglu", name="Polad Bulbuloglu", role="Ambassador", role_date="2023-02-26")
    project.entity("people", "someone-else", name="Someone Else", role="Minister", role_date="last year")
    _, entities, problems = validate(project)
    (record,) = [e for e in entities["people"] if e.slug == "polad-bulbuloglu"]
    assert record.role == "Ambassador" and record.role_date == dt.date(2023, 2, 26)
    (problem,) = problems
    assert problem.path.endswith("someone-else.md") and "role_date" in problem.message and problem.severity == ERROR


def test_the_readme_documents_every_key_with_an_example():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Front matter of a statement", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \|(.+)\|\s*$", section, re.MULTILINE)
    assert [key for key, _ in rows] == list(STATEMENT_KEYS)
    for key, rest in rows:
        example = rest.rsplit("|", 1)[1].strip()
        assert example.startswith(f"`{key}:") or example == "see below", f"{key}: no example"


def test_slug_in_front_matter_wins_over_the_file_name(project):
    project.statement("2025-03-20-file-name", slug="chosen-slug")
    (record,), _, _ = validate(project)
    assert record.slug == "chosen-slug"


def test_a_missing_required_key_is_an_error_that_says_what_to_add(project):
    project.statement(outlet=None)
    statements, _, problems = validate(project)
    assert statements == []
    (problem,) = problems
    assert problem.severity == ERROR
    assert "outlet" in problem.message
    assert "outlet:" in problem.hint


def test_a_key_given_twice_has_its_value_s_problems_told_at_the_value_yaml_keeps(project):
    """YAML keeps the last of two values of a key: a mistake in it was told at the first, which YAML drops (and
    so for the keys inside it: an item of the second `corrections`)."""
    project.write("content/statements/2025-03-20-twice.md", "---\ntitle: T\ndate: 2025-03-20\noutlet: APA\n"
                  "date: 2025-02-30\ncorrections:\n- date: 2025-03-21\n  note: A.\ncorrections:\n"
                  "- date: 2025-13-01\n  note: B.\n---\n\nText.\n")
    files, loaded = load_content(project.root)
    _, _, problems = validate_content(files, TODAY)
    assert sorted((p.line, p.message.split(" (")[0]) for p in loaded + problems) == [
        (5, "date: '2025-02-30' is not a real calendar date"),
        (5, "the key 'date' is given twice, first on line 3"),
        (9, "the key 'corrections' is given twice, first on line 6"),
        (10, "corrections, item 1, date: '2025-13-01' is not a real calendar date")]


def test_an_unknown_key_suggests_the_known_one(project):
    project.statement(speakrs=["Maria Zakharova"])
    _, _, problems = validate(project)
    (problem,) = problems
    assert problem.line == 5
    assert "speakrs" in problem.message and "speakers" in problem.hint


@pytest.mark.parametrize("kind, key, meant", [("places", "place", "within"), ("places", "located_in", "within"),
                                              ("events", "within", "place"), ("events", "venue", "place")])
def test_a_key_of_another_kind_of_file_or_in_other_words_suggests_the_one_meant(project, kind, key, meant):
    """A place's "place: Moscow" had been told only the list of known keys: no spelling leads from it to `within`."""
    project.write(f"content/{kind}/x.md", f"---\nname: X\ndate: 2025-03-20\n{key}: Moscow\n---\n"
                  if kind == "events" else f"---\nname: X\n{key}: Moscow\n---\n")
    _, _, problems = validate(project)
    assert [(p.message, p.hint) for p in problems] == [(f"unknown key '{key}'", f"did you mean '{meant}'?")]


def test_a_key_with_an_invisible_character_says_so_rather_than_did_you_mean_itself(project):
    """'\ufeffname' shows as 'name': "unknown key 'name' (did you mean 'name'?)" had left the editor nowhere."""
    project.write("content/people/x.md", "---\n\ufeffname: X Y\nrole: Z\n---\n")
    _, _, problems = validate(project)
    assert [(p.line, p.message, p.hint) for p in problems if "unknown" in p.message] == [
        (2, "unknown key '\\ufeffname'", "the key holds the invisible character U+FEFF: delete it, or type the line again")]


@pytest.mark.parametrize("char, what", [("\ufeff", "a byte-order mark, which belongs at the start of a file only"),
                                        ("\u2028", "a line or paragraph separator, which pages and feeds show as a "
                                                    "space or not at all"),
                                        ("\u2029", "a line or paragraph separator, which pages and feeds show as a "
                                                    "space or not at all")])
def test_an_invisible_mark_or_separator_in_a_value_or_text_is_an_error(project, char, what):
    """They had reached the pages as they stood: "Sergey\u2029Markov" in a heading, U+FEFF in the list of people."""
    project.write("content/people/x.md", f'---\nname: "X{char}Y"\n---\n')
    project.statement(body=f"One{char} paragraph.\n")
    _, _, problems = validate(project)
    assert sorted((p.path, p.line, p.message) for p in problems) == [
        ("content/people/x.md", 2, f"name: the invisible control character U+{ord(char):04X} ({what}) is in the value"),
        ("content/statements/2025-03-20-a-statement.md", 7,
         f"the text contains the invisible control character U+{ord(char):04X} ({what})")]


def test_a_list_key_given_one_name_is_an_error_naming_the_line(project):
    project.statement(speakers="Maria Zakharova")
    _, _, problems = validate(project)
    (problem,) = [p for p in problems if p.severity == ERROR]
    assert problem.line == 5
    assert "speakers" in problem.message and "list" in problem.message


def test_a_date_after_today_is_a_warning(project):
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    project.statement(f"{tomorrow}-a-statement", date=tomorrow)
    statements, _, problems = validate(project)
    assert len(statements) == 1
    assert [p.severity for p in problems] == [WARNING]


def test_a_date_that_is_not_a_date_is_an_error(project):
    project.statement(date="2025-02-30")
    statements, _, problems = validate(project)
    assert statements == []
    assert any(p.severity == ERROR and "2025-02-30" in p.message for p in problems)


def test_a_statement_without_text_is_an_error(project):
    project.statement(body="")
    _, _, problems = validate(project)
    assert [p.severity for p in problems] == [ERROR]
    assert "no text" in problems[0].message


def test_registry_records_take_role_or_description_and_the_file_name_as_slug(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova", role="Spokeswoman",
                   aliases=["Mariya Zakharova"], same_as=["https://www.wikidata.org/wiki/Q4"])
    project.entity("outlets", "apa", name="APA", description="News agency", url="https://apa.az/")
    project.entity("events", "briefing", name="Briefing", date="2025-03-20", place="Moscow",
                   organisers=["Russian Foreign Ministry"])
    _, entities, problems = validate(project)
    assert problems == []
    (person,), (outlet,), (event,) = entities["people"], entities["outlets"], entities["events"]
    assert (person.slug, person.name, person.role, person.aliases) == (
        "maria-zakharova", "Maria Zakharova", "Spokeswoman", ("Mariya Zakharova",))
    assert person.same_as == ("https://www.wikidata.org/wiki/Q4",)
    assert (outlet.role, outlet.url) == ("News agency", "https://apa.az/")
    assert (event.date, event.place, event.organisers) == (dt.date(2025, 3, 20), "Moscow", ("Russian Foreign Ministry",))


EMPTY_KEY = "the key is empty, and is read as if it were not there"


def test_every_optional_key_left_empty_is_a_warning_at_its_line_and_read_as_not_there(project):
    """'within:' with nothing after it had passed silently, as had every optional key: most often an edit left
    unfinished, which the editor is told of where it is. A key left out, or written as "" or [] (as `new` and
    `import` write "none"), is not told; a required key or 'withdrawn' left empty is told as before, once."""
    required = {"name": "Empty Keys", "date": "2025-03-20", "title": "Title", "outlet": "APA"}
    kinds = {"statements": STATEMENT_KEYS, **ENTITY_KEYS}
    for kind, schema in kinds.items():
        optional = [key for key, spec in schema.items() if not spec.required]
        head = [f"{key}: {required[key]}" for key, spec in schema.items() if spec.required]
        lines = ["---", *head, *(f"{key}:" for key in optional), "---", "", "Text.", ""]
        name = "2025-03-20-empty-keys" if kind == "statements" else "empty-keys"
        project.write(f"content/{kind}/{name}.md", "\n".join(lines))
        project.write(f"content/{kind}/{name}-none.md", "\n".join(
            ["---", *head, *(f"{key}: {'[]' if key in ('aliases', 'old_urls', 'same_as') else chr(34) * 2}"
                             for key in optional if key != "withdrawn"), "---", "", "Text.", ""]))
    statements, entities, problems = validate(project)
    for kind, schema in kinds.items():
        optional = [key for key, spec in schema.items() if not spec.required]
        name = "2025-03-20-empty-keys" if kind == "statements" else "empty-keys"
        told = sorted((p.line, p.message, p.severity) for p in problems if p.path == f"content/{kind}/{name}.md")
        first = 2 + sum(spec.required for spec in schema.values())
        assert told == [(first + i, f"{key}: {EMPTY_KEY}", WARNING) if key != "withdrawn" else
                        (first + i, "withdrawn: expected a 'date' and a 'reason', got nothing", ERROR)
                        for i, key in enumerate(optional)], kind
        assert not [p for p in problems if p.path == f"content/{kind}/{name}-none.md"], kind
    place = next(record for record in entities["places"] if record.path.endswith("/empty-keys.md"))
    assert place.within == "" and place.aliases == ()
    # A required key left empty is told as such, not also as an optional one.
    project.write("content/places/nameless.md", "---\nname:\nwithin: Moscow\n---\n")
    assert [(p.line, p.message) for p in validate(project)[2] if p.path == "content/places/nameless.md"] == [
        (2, "required key 'name' is empty")]


def test_an_optional_key_of_spaces_only_is_told_as_one_left_empty(project):
    """'within: "  "' and 'summary: " "' passed silently, read as nothing, while a bare 'within:' was told; so was a
    'withdrawn: " "', as 'expected a date and a reason' where 'withdrawn:' is told it got nothing."""
    required = {"name": "Blank Keys", "date": "2025-03-20", "title": "Title", "outlet": "APA"}
    kinds = {"statements": STATEMENT_KEYS, **ENTITY_KEYS}
    for kind, schema in kinds.items():
        head = [f"{key}: {required[key]}" for key, spec in schema.items() if spec.required]
        optional = [f'{key}: "{" " * (1 + i % 3)}"' for i, (key, spec) in enumerate(schema.items()) if not spec.required]
        name = "2025-03-20-blank-keys" if kind == "statements" else "blank-keys"
        project.write(f"content/{kind}/{name}.md", "\n".join(["---", *head, *optional, "---", "", "Text.", ""]))
    statements, entities, problems = validate(project)
    for kind, schema in kinds.items():
        optional = [key for key, spec in schema.items() if not spec.required]
        name = "2025-03-20-blank-keys" if kind == "statements" else "blank-keys"
        told = sorted((p.line, p.message, p.severity) for p in problems if p.path == f"content/{kind}/{name}.md")
        first = 2 + sum(spec.required for spec in schema.values())
        assert told == [(first + i, f"{key}: {EMPTY_KEY}", WARNING) if key != "withdrawn" else
                        (first + i, "withdrawn: expected a 'date' and a 'reason', got nothing", ERROR)
                        for i, key in enumerate(optional)], kind
    place = next(record for record in entities["places"] if record.path.endswith("/blank-keys.md"))
    assert place.within == "" and place.aliases == () and place.role == ""  # its description
    assert next(s for s in statements if s.path.endswith("/2025-03-20-blank-keys.md")).summary == ""
    project.write("content/places/nameless.md", '---\nname: "  "\n---\n')  # a required key: as before
    assert [(p.line, p.message) for p in validate(project)[2] if p.path == "content/places/nameless.md"] == [
        (2, "required key 'name' is empty")]


@pytest.mark.parametrize("kind, name, alias", [
    ("people", "Maria Zakharova", "Mariya Zakharova"), ("organisations", "Azerbaijan Airlines", "AZAL"),
    ("events", "4th meeting of the All-Russian Azerbaijani Congress", "Fourth meeting of the All-Russian Azerbaijani "
                                                                      "Congress"),
    ("outlets", "APA", "Azeri-Press Agency"), ("places", "Baku", "Bakı")])
def test_the_keys_every_registry_file_has_are_shown_by_examples_of_its_own_kind(project, kind, name, alias):
    """A place's empty 'aliases:' was told 'as in aliases: [Mariya Zakharova]', and its 'old_urls' '/people/old-slug/':
    a person's examples, in every kind of registry file."""
    folder, date = f"content/{kind}", "date: 2025-03-20\n" if kind == "events" else ""  # an event needs its date
    project.write(f"{folder}/nameless.md", f"---\n{date}slug: nameless\naliases:\nold_urls:\n---\n")
    project.write(f"{folder}/wrong-types.md", f"---\n{date}name: Wrong Types\naliases: {{a: b}}\nold_urls: {{a: b}}\n"
                                              "same_as: {a: b}\n---\n")
    project.write(f"{folder}/bad-address.md", f"---\n{date}name: Bad Address\nold_urls: [/x\\\\y/]\n---\n")
    hints = sorted((p.path.rsplit("/", 1)[1], p.line - (p.line > 1 and bool(date)), p.hint) for p in validate(project)[2]
                   if p.path.startswith(folder))
    old = f"/{kind}/old-slug/"
    assert hints == [
        ("bad-address.md", 3, f"write it as '{old}'"),
        ("nameless.md", 1, f"add a line such as 'name: {name}'"),
        ("nameless.md", 3, f"fill it in, as in 'aliases: [{alias}]', or delete the line"),
        ("nameless.md", 4, f"fill it in, as in 'old_urls: [{old}]', or delete the line"),
        ("wrong-types.md", 3, f"write it as 'aliases: [{alias}]'"),
        ("wrong-types.md", 4, f"write it as 'old_urls: [{old}]'"),
        ("wrong-types.md", 5, "write it as 'same_as: [https://www.wikidata.org/wiki/Q...]'")]


def test_an_event_needs_a_date(project):
    project.entity("events", "briefing", name="Briefing")
    _, entities, problems = validate(project)
    assert any(p.severity == ERROR and "date" in p.message for p in problems)


def body_problem(body: str) -> list[tuple]:
    return [(p.line, p.message) for p in check_body(SourceFile("content/x.md", {}, {}, body, 10))]


def test_the_first_unreadable_line_of_the_text_is_reported_with_its_line():
    deep = " " * 404 + "text"
    assert body_problem("a\nb\n") == []
    assert body_problem("a\n" + deep + "\nc\x0bd\n") == [
        (11, "this line of the text is indented 404 columns, too deep for Markdown")]
    assert body_problem("a\nc\x0bd\n" + deep) == [
        (11, "the text contains the invisible control character U+000B")]
    assert body_problem(deep + "\x85") == [(10, "the text contains the invisible control character U+0085")], \
        "on one line, the control character is reported first"
    assert body_problem("\t" * 101 + "x") == [(10, "this line of the text is indented 404 columns, too deep for Markdown")]
    assert body_problem(" " * 400 + "x\n" + " " * 500 + "\n") == [], "400 columns, or spaces alone, are fine"


def reference_body_problem(body: str) -> list[tuple]:
    """What check_body means, line by line (it searches the whole text at once, for speed)."""
    for number, line in enumerate(body.split("\n")):
        if CONTROL_CHARACTER.search(line):
            return [(10 + number, "control")]
        expanded = line.expandtabs(4)
        if len(expanded) - len(expanded.lstrip(" ")) > MAX_INDENT and line.strip():
            return [(10 + number, "indent")]
    return []


_LINES = st.one_of(
    st.text(st.sampled_from(" \t\r\x0b\x1c\x85ab\u0259"), max_size=6),
    st.builds(lambda n, run, rest: run * n + rest, st.integers(90, 420), st.sampled_from([" ", "\t", " \t"]),
              st.text(st.sampled_from(" \t\r\x0b\x85ab"), max_size=3)),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, max_size=6).map("\n".join))
def test_check_body_reports_the_same_line_as_reading_line_by_line(body):
    found = [(line, "control" if "control" in message else "indent") for line, message in body_problem(body)]
    assert found == reference_body_problem(body)


def test_the_tests_today_follows_the_latest_date_in_front_matter(tmp_path):
    """A correction dated after the tests' fixed day moves that day on, so the real content never
    becomes "in the future" for the tests; a date in a statement's text does not count."""
    from conftest import latest_content_date
    (tmp_path / "statements").mkdir()
    (tmp_path / "statements" / "a.md").write_text(
        "---\ndate: 2026-01-02\ncorrections:\n  - date: 2027-02-01\n    note: Fixed.\n---\nOn 2030-01-01 it ends.\n",
        encoding="utf-8")
    (tmp_path / "statements" / "b.md").write_text("---\ndate: 2026-99-01\n---\n", encoding="utf-8")
    assert latest_content_date(tmp_path) == dt.date(2027, 2, 1)


def test_added_is_the_day_the_archive_added_a_statement_and_not_before_its_date(project):
    project.statement("2016-12-28-old-report", date="2016-12-28", added="2026-12-05")
    project.statement("2025-03-20-added-too-early", date="2025-03-20", added="2025-03-19")
    statements, _, problems = validate(project)
    old = next(s for s in statements if s.slug == "old-report")
    assert old.added == dt.date(2026, 12, 5) and old.modified == dt.date(2026, 12, 5)
    early = next(s for s in statements if s.slug == "added-too-early")
    assert early.added is None and early.modified == dt.date(2025, 3, 20)  # the build goes on without it
    (problem,) = problems
    assert (problem.path.endswith("added-too-early.md"), problem.message, problem.severity) == \
        (True, "added: 2025-03-19 is before the statement's date", ERROR)
    assert problem.line == 5  # the opening ---, then title, date and outlet, then added


def test_a_file_name_that_begins_with_another_date_than_date_is_a_warning_and_only_then(project):
    """A typo in either: the address goes by `date:`, so the editor is told where the two disagree."""
    project.statement("2025-03-21-one-day-off")  # date: 2025-03-20
    project.statement("2025-03-20-same-day", body="Another text.\n")
    project.statement("briefing-without-a-date", body="A third text.\n")
    project.statement("2025-02-30-not-a-day", body="A fourth text.\n")  # a name, not a date: nothing to compare
    project.statement("20250321-digits-only", body="A fifth text.\n")
    statements, _, problems = validate(project)
    assert len(statements) == 5
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.severity, p.message) for p in problems] == [
        ("2025-03-21-one-day-off.md", 3, WARNING,
         "date: 2025-03-20 is not the date the file's name begins with (2025-03-21)")]


@pytest.mark.parametrize("body, line, hint", [
    ("First words.\n\n- item one {#p2}\n- item two\n", 9, "only paragraphs have ids"),
    ("First words.\n\n> - item one {#p2}\n> - item two\n", 9, "only paragraphs have ids"),
    ("First words {#p1}\ngo on here.\n", 7, "a pin goes after the last word of its paragraph"),
])
def test_a_pin_at_a_line_s_end_inside_a_paragraph_or_list_is_told_it_is_not_at_a_paragraph_s_end(project, body, line,
                                                                                                    hint):
    """A pin written right on an item of a list other than its last had been told that it is no pin, with a hint
    to write it as it was written."""
    path = project.statement(body=body)
    source, _ = load_file(path, project.root)
    (problem,) = check_pins(source)
    assert (problem.line, problem.message) == (line, f"the pinned id #{body.split('{#')[1].split('}')[0]} is not at "
                                                     "the end of a paragraph")
    assert problem.hint.startswith(hint)


def test_a_pin_out_of_order_is_told_which_ids_may_follow_the_one_above(project):
    """The hint had given a fixed example (#p3, #p3a, #p4) whatever the ids; it names those after the pin above."""
    path = project.statement(body="First. {#p1}\n\nSecond. {#p7a}\n\nThird. {#p2}\n")
    source, _ = load_file(path, project.root)
    (problem,) = check_pins(source)
    assert problem.message == "the pinned id #p2 comes after #p7a"
    assert problem.hint == "pinned ids go up through the text: after #p7a, pin #p7b or #p8, or correct the pin above"
