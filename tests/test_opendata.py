"""Open data: the files exist, match their documented schema, agree with each other and with the pages."""

from __future__ import annotations

import csv
import io
import json
import re

from statement_archive.cache import FileRange
from statement_archive.opendata import (CSV_COLUMNS, ENTITY_FIELDS, ENTITY_FILES, JSON_OPEN, JSON_SEPARATOR, STATEMENT_FIELDS,
                                        json_array)

from conftest import REPO

STATEMENT_KEYS = [f[0] for f in STATEMENT_FIELDS]
ENTITY_KEYS = [f[0] for f in ENTITY_FIELDS]


def load(site, rel: str):
    return json.loads((site.output / rel).read_text(encoding="utf-8"))


def statement_pages(site) -> list[str]:
    return [f for f in site.html_files()
            if re.fullmatch(r"statements/\d{4}/\d\d/\d\d/[^/]+/index\.html", f) and not site.is_redirect(f)]


def test_statements_json_holds_every_statement_as_its_own_file_does(real_site):
    records = load(real_site, "data/statements.json")
    pages = statement_pages(real_site)
    assert len(records) == len(pages) == 5
    assert [r["date"] for r in records] == sorted((r["date"] for r in records), reverse=True)
    for record in records:
        assert list(record) == STATEMENT_KEYS
        page = real_site.resolve("index.html", record["url"]).target
        assert page in pages
        assert load(real_site, page.replace("index.html", "statement.json")) == record
        assert real_site.resolve("index.html", record["json"]).target == page.replace("index.html", "statement.json")
        assert [p["id"] for p in record["paragraphs"] if p["id"]] == [p["id"] for p in real_site.paragraphs(page)]
        for quote in record["quotes"]:
            assert quote["paragraph"] in real_site.ids(page) and quote["url"].endswith("#" + quote["paragraph"])


def test_statement_records_name_entities_by_slugs_that_exist(real_site):
    registries = {kind: {e["slug"]: e for e in load(real_site, f"data/{name}")} for kind, name in ENTITY_FILES}
    bylines = []
    for record in load(real_site, "data/statements.json"):
        assert record["outlet"] in registries["outlets"]
        for key, kind in (("speakers", "people"), ("mentioned_people", "people"), ("organisations", "organisations"),
                          ("mentioned_organisations", "organisations"), ("places", "places")):
            assert set(record[key]) <= set(registries[kind]), key
            for slug in record[key]:
                assert record["url"] in registries[kind][slug]["statements"]
        if record["event"]:
            assert record["event"] in registries["events"]
        for quote in record["quotes"]:
            assert quote["speaker_kind"] in ("people", "organisations")
            assert quote["speaker"] in record["speakers" if quote["speaker_kind"] == "people" else "organisations"]
        if record["author_person"]:  # the journalist's entry lists the statement: their slug is in the record too
            assert registries["people"][record["author_person"]]["name"] == record["author"]
            assert record["url"] in registries["people"][record["author_person"]]["statements"]
            bylines.append(record["author_person"])
        for role in record["roles"]:
            assert role["person"] in record["speakers"] + record["mentioned_people"] and role["role"]
    assert bylines == ["abbas-ganbay"]


def test_entity_files_follow_the_schema_and_match_their_pages(real_site):
    for kind, name in ENTITY_FILES:
        entities = load(real_site, f"data/{name}")
        assert entities and [e["slug"] for e in entities] == sorted(e["slug"] for e in entities)
        for entity in entities:
            assert list(entity) == ENTITY_KEYS
            page = real_site.resolve("index.html", entity["url"]).target
            assert page == f"{kind}/{entity['slug']}/index.html" and real_site.exists(page)
            assert real_site.page(page).find("h1").get_text() == entity["name"]
            assert real_site.exists(real_site.resolve("index.html", entity["feed"]).target)
    markov = next(e for e in load(real_site, "data/people.json") if e["slug"] == "sergey-markov")
    assert markov["aliases"] == ["Sergei Markov", "Markov", "Сергей Марков"]
    event = next(e for e in load(real_site, "data/events.json") if e["slug"] == "khojaly-genocide-31st-anniversary-moscow-2023")
    assert event["date"] == "2023-02-26"


def test_csv_has_one_row_per_statement_with_the_same_values(real_site):
    text = (real_site.output / "data/statements.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    records = load(real_site, "data/statements.json")
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert len(rows) == len(records)
    for row, record in zip(rows, records):
        for column in CSV_COLUMNS:
            value = record[column]
            expected = ("; ".join(value) if isinstance(value, list) else value["date"] if column == "withdrawn" and value
                        else (value or ""))
            assert row[column] == expected, column
    assert "Abbas Ganbay" in {row["author"] for row in rows}, "the byline, which the JSON alone had given"


def test_the_schema_is_documented_on_the_about_page_and_in_the_readme(real_site):
    page = real_site.page("data/index.html")
    documented = [row.find("code").get_text() for row in page.select("table.schema tbody tr")]
    assert documented == STATEMENT_KEYS + ENTITY_KEYS
    listed = [a.get_text() for a in page.select(".data-files a")]
    assert listed == ["statements.json", "statements.csv"] + [name for _, name in ENTITY_FILES]
    assert all(real_site.exists(f"data/{name}") for name in listed)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Search, feeds and open data"):]
    section = section[: section.find("\n## ", 3) if "\n## " in section[3:] else len(section)]
    for field in STATEMENT_KEYS + ENTITY_KEYS:
        assert f"`{field}`" in section, f"README does not document {field}"
    for name in listed:
        assert name in section


def test_a_json_array_takes_lines_next_to_each_other_in_the_last_file_as_one_range(tmp_path):
    lines = [b'{"a": 1}', b'{"b": 2}', b'{"c": 3}', b'{"d": 4}']
    last = tmp_path / "last.json"
    last.write_bytes(bytes(json_array(lines)))
    assert json.loads(last.read_bytes()) == [{"a": 1}, {"b": 2}, {"c": 3}, {"d": 4}]
    ranges, offset = [], len(JSON_OPEN)
    for line in lines:
        ranges.append(FileRange(last, offset, len(line)))
        offset += len(line) + len(JSON_SEPARATOR)

    kept = json_array(ranges)
    assert len(kept) == 3 and bytes(kept) == last.read_bytes()  # [, one range, ]
    changed = json_array([ranges[0], ranges[1], b'{"c": 30}', ranges[3]])
    assert [type(chunk).__name__ for chunk in changed] == ["bytes", "FileRange", "bytes", "bytes", "bytes", "FileRange", "bytes"]
    assert json.loads(bytes(changed)) == [{"a": 1}, {"b": 2}, {"c": 30}, {"d": 4}]
    apart = json_array([ranges[0], ranges[2]])  # not next to each other: two ranges
    assert json.loads(bytes(apart)) == [{"a": 1}, {"c": 3}] and len(apart) == 5


def test_a_record_stays_on_one_line_with_line_separators_in_its_text():
    """U+2028 and U+2029 in a title or summary (pasted from a word processor) are escaped: str.splitlines and
    other readers that count them as line ends would cut the record in three."""
    from statement_archive.opendata import to_json

    record = {"title": "A\u2028title", "summary": "One\u2029two", "outlet": "Azərbaycan"}
    line = to_json(record)
    assert len(line.splitlines()) == 1 and json.loads(line) == record and "Azərbaycan" in line


def test_a_place_s_record_lists_the_statements_at_places_within_it_as_its_page_does(project):
    """places.json gives Moscow the statement given only the hotel in Moscow (its page lists it); the statement's
    own record names the places as it does, the hotel alone."""
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    project.statement("2025-03-20-at-the-hotel", title="At the hotel", places=["Radisson Royal Hotel"])
    assert project.build().ok
    places = {r["slug"]: r for r in json.loads((project.root / "public/data/places.json").read_text("utf-8"))}
    assert places["moscow"]["statements"] == places["hotel"]["statements"] == ["/statements/2025/03/20/at-the-hotel/"]
    (line,) = (project.root / "public/data/statements.json").read_text("utf-8").splitlines()[1:-1]
    assert json.loads(line)["places"] == ["hotel"]


def test_a_statement_record_keeps_the_text_of_its_lists_and_headings_in_order(project):
    """The page shows a list written without blank lines and a heading without a paragraph's number: the record
    gives them with the id null, in their place, where it had left them out and the text short with no sign of it."""
    project.entity("outlets", "apa", name="APA")
    project.statement(body="First words.\n\n- one item\n- *another* &amp; more\n\n## A heading\n\nLast words.\n")
    assert project.build().ok
    record = json.loads((project.root / "public/statements/2025/03/20/a-statement/statement.json").read_text("utf-8"))
    assert record["paragraphs"] == [{"id": "p1", "text": "First words."}, {"id": None, "text": "one item\nanother & more"},
                                    {"id": None, "text": "A heading"}, {"id": "p2", "text": "Last words."}]
    (line,) = (project.root / "public/data/statements.json").read_text("utf-8").splitlines()[1:-1]
    assert json.loads(line.rstrip(","))["paragraphs"] == record["paragraphs"]


def test_a_statement_record_keeps_a_list_inside_a_quotation_beside_its_paragraphs(project):
    """A quoted block holding paragraphs and a list: the record had given its paragraphs only, the list's words
    lost although the page shows them."""
    project.entity("outlets", "apa", name="APA")
    project.statement(body="He said:\n\n> Opening words.\n>\n> - first point\n> - second point\n>\n> Closing words.\n"
                           "\n- a loose item\n\n- another loose item\n")
    assert project.build().ok
    record = json.loads((project.root / "public/statements/2025/03/20/a-statement/statement.json").read_text("utf-8"))
    assert record["paragraphs"] == [
        {"id": "p1", "text": "He said:"}, {"id": "p2", "text": "Opening words."},
        {"id": None, "text": "first point\nsecond point"}, {"id": "p3", "text": "Closing words."},
        {"id": "p4", "text": "a loose item"}, {"id": "p5", "text": "another loose item"}]
