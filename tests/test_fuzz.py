"""Property: whatever an editor writes, the build succeeds or reports problems; it never crashes.

Hypothesis generates front matter (known and random keys, every YAML type, unicode, broken
YAML syntax, raw bytes) and Markdown bodies (markup, raw HTML, unicode) for a statement and a
registry file dropped into the minimal valid site. The whole pipeline runs, templates
included, without writing; for statements that build, the feeds and data files must parse.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from statement_archive.config import load_config
from statement_archive.model import Problem
from statement_archive.pipeline import build_site
from statement_archive.validate import ENTITY_KEYS, STATEMENT_KEYS

from test_bad_input import make_site

TODAY = dt.date(2025, 7, 1)
NAMES = ["Maria Zakharova", "Sergey Markov", "Russian Foreign Ministry", "APA", "Moscow", "Briefing of 20 March 2025",
         "sergey markov", "Mariya Zakharova", "Сергей Марков"]
# Modest, so the file runs in seconds; no example database, so nothing is written into the project.
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def mostly(valid, wild):
    """Nine times in ten a well-typed value, so later stages run too; else anything at all."""
    return st.integers(0, 9).flatmap(lambda n: valid if n else wild)  # one_of would weigh them equally


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
words = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), min_size=1, max_size=30).filter(str.strip)
name = st.sampled_from(NAMES) | words
scalars = (name | text | st.integers() | st.floats() | st.booleans() | st.none() | st.dates()
           | st.sampled_from(["2025-02-30", "2099-01-01", "../../etc", "javascript:alert(1)", "", "~", "null",
                              "/statements/x/", "/people/sergey-markov/", "apa.az"]))
wild = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=3),
                    max_leaves=8)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2024, 12, 31)).map(dt.date.isoformat)
urls = st.sampled_from(["https://example.org/a?b=c&d=<e>", "http://apa.az/", "https://x.org/\"quoted\"'"])
slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,2}", fullmatch=True)
aliases = st.lists(st.from_regex(r"/statements/20[0-9]{2}/0[1-9]/1[0-9]/[a-z]{1,8}/", fullmatch=True), max_size=3)
quotes = st.lists(st.fixed_dictionaries({"speaker": st.just("Maria Zakharova"),
                                         "text": st.sampled_from(["The text", "text of", "of it"])}), max_size=3)
roles = st.dictionaries(st.sampled_from(["Maria Zakharova", "Ilham Aliyev"]) | name, st.sampled_from(["text", "The text"]) | words,
                        max_size=2)
BY_TYPE = {"text": words, "list of texts": st.lists(name, max_size=4), "date": dates, "URL": urls, "slug": slugs,
           "quotes": quotes, "list of URLs": st.lists(urls, max_size=2), "list of URL paths": aliases, "roles": roles,
           "corrections": st.lists(st.fixed_dictionaries({"date": dates | st.dates().map(str) | wild, "note": words | wild}),
                                   max_size=2),
           "withdrawal": st.fixed_dictionaries({"date": dates | wild, "reason": words | wild})}


def overrides(schema: dict):
    """Some of the schema's keys with generated values, and now and then a key it does not know."""
    known = st.fixed_dictionaries({}, optional={key: mostly(BY_TYPE[spec.type], wild) for key, spec in schema.items()})
    unknown = st.dictionaries(text | st.integers() | st.none() | st.sampled_from(["speakrs", "Title"]), wild, max_size=2)
    return st.tuples(known, mostly(st.just({}), unknown)).map(lambda kv: {**kv[0], **kv[1]})


YAML_BITS = ["title: ", "date: ", "outlet: ", "speakers:", "\n", "\n  - ", "  ", "\t", ": ", "- ", "[", "]", "{", "}",
             "'", '"', "#", "&a ", "*a", "!!binary ", "!!timestamp ", "!!set ", "!!int ", "!!float ", "!!bool ", "? ", "|", ">", "%", "@", "`", ",", "~",
             "---", "...", "2025-01-10", "APA", "Мария", "\u200b", "\x07", "\ufeff", "😀", "\r\n", "<<: *a", "!!python/object "]
MARKDOWN_BITS = ["The text of the statement.", "\n\n", "# ", "> ", "* ", "1. ", "`", "```", "**", "_", "[a](", ")",
                 "](javascript:alert(1))", "<script>alert(1)</script>", "<iframe src=x>", '<a href="data:x">',
                 '<img src=x onerror="alert(1)">', "<p id=p1>", "<div>", "</div>", "<!--", "-->", "&amp;", "&#0;",
                 "\x00", "\u202e", "¶", "Мария Захарова", "    code", "|a|b|\n|-|-|", "<", ">", "\\", "---", "{{ x }}"]


def front_matter(data) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"


STATEMENT = {"title": "A title", "date": "2025-01-10", "outlet": "APA", "speakers": ["Maria Zakharova"],
             "quotes": [{"speaker": "Maria Zakharova", "text": "The text"}]}
structured = overrides(STATEMENT_KEYS).map(lambda extra: front_matter({**STATEMENT, **extra}))
raw_yaml = st.lists(st.sampled_from(YAML_BITS) | text, max_size=25).map(lambda bits: "---\n" + "".join(bits) + "\n---\n")
markdown = st.lists(st.sampled_from(MARKDOWN_BITS) | text, max_size=20).map(lambda bits: "The text of it.\n\n" + "".join(bits))
file_stems = st.text(st.characters(codec="utf-8", exclude_characters="/\x00", exclude_categories=("Cs",)),
                     min_size=1, max_size=20).filter(lambda stem: len(stem.encode()) < 200 and not stem.startswith((".", "_", "#")))


def build(root: Path):
    config, problems = load_config(root, str(root / "public"))
    assert not problems
    return build_site(config, TODAY, write=False)


def assert_feeds_and_data_are_well_formed(root: Path, index) -> None:
    """The files a written build adds beside the pages (feeds, sitemap, data), made the same way."""
    from statement_archive.datafiles import data_files
    from statement_archive.plan import outline
    from statement_archive.urls import Urls

    config, _ = load_config(root, str(root / "public"))
    urls = Urls(config.base_url)
    pages = [(stub.url, stub.kind) for stub in outline(index, config, urls)]
    for path, data in data_files(index, pages, config, urls):
        data = bytes(data)  # a large file comes as the chunks it is joined from (cache.Chunks)
        if path.endswith(".xml"):
            ET.fromstring(data)
        elif path.endswith(".json"):
            json.loads(data)


def assert_reported_or_built(result, root: Path) -> None:
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.line >= 1 and problem.message and problem.hint, problem
        assert (root / problem.path).exists(), problem
    assert result.problems == tuple(sorted(result.problems))
    event("built" if result.ok else "reported errors")
    if result.ok:
        assert result.pages, "a build without errors renders the site"


def test_generated_statements_build_or_report_problems(tmp_path):
    root = make_site(tmp_path / "site")
    folder = root / "content" / "statements"

    @FUZZ
    @given(stem=st.just("2025-01-10-fuzz") | file_stems, head=mostly(structured, raw_yaml), body=markdown)
    def check(stem, head, body):
        target = folder / f"{stem}.md"
        target.write_text(head + "\n" + body, encoding="utf-8")
        try:
            result = build(root)
            assert_reported_or_built(result, root)
            if result.ok:
                assert_feeds_and_data_are_well_formed(root, result.index)
        finally:
            target.unlink()

    check()


EVENT = {"name": "Fuzz event", "date": "2025-01-10", "place": "Moscow", "organisers": ["Russian Foreign Ministry"]}
PERSON = {"name": "Ivan Fuzz", "aliases": ["I. Fuzz"], "role": "Tester"}
PLACE = {"name": "Fuzz Hall", "within": "Moscow"}  # a venue, in a place the real registry has


def test_generated_registry_files_build_or_report_problems(tmp_path):
    root = make_site(tmp_path / "site")
    event = root / "content" / "events" / "fuzz.md"
    person = root / "content" / "people" / "fuzz.md"
    place = root / "content" / "places" / "fuzz.md"

    @FUZZ
    @given(event_meta=overrides(ENTITY_KEYS["events"]), person_meta=overrides(ENTITY_KEYS["people"]),
           place_meta=overrides(ENTITY_KEYS["places"]), body=markdown)
    def check(event_meta, person_meta, place_meta, body):
        event.write_text(front_matter({**EVENT, **event_meta}) + body, encoding="utf-8")
        person.write_text(front_matter({**PERSON, **person_meta}) + body, encoding="utf-8")
        place.write_text(front_matter({**PLACE, **place_meta}) + body, encoding="utf-8")
        assert_reported_or_built(build(root), root)

    check()


def test_arbitrary_bytes_build_or_report_problems(tmp_path):
    root = make_site(tmp_path / "site")
    target = root / "content" / "statements" / "2025-01-10-bytes.md"
    valid = b"---\ntitle: T\ndate: 2025-01-10\noutlet: APA\n---\n\nText.\n"

    @settings(max_examples=40, deadline=None, database=None)
    @given(st.binary(max_size=200) | st.builds(lambda at, junk: valid[:at] + junk + valid[at:],
                                               st.integers(0, len(valid)), st.binary(min_size=1, max_size=4)))
    def check(data):
        target.write_bytes(data)
        assert_reported_or_built(build(root), root)

    check()
