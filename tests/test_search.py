"""Search: what pages tell Pagefind, that the index is built with every build, reproducibly, and that a
failed index fails the build without touching the published site. (The search page itself is tested
in a browser in test_browser.py.)"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from statement_archive import search
from statement_archive.model import Ref
from statement_archive.search import read_pagefind_file
from statement_archive.write import STAGING_PREFIX

KHOJALY = "/statements/2023/02/26/khojaly-genocide-commemoration-moscow-tolerance-center/"


def fragments(site_output: Path) -> dict[str, dict]:
    """Pagefind's record of every indexed page (gzip around a header and JSON), by URL."""
    records = {}
    for path in sorted((site_output / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[len(search.PAGEFIND_HEADER):])
        records[record["url"]] = record
    return records


@pytest.fixture
def registry(project):
    project.entity("people", "sergey-markov", name="Sergey Markov", aliases=["Sergei Markov", "Сергей Марков"])
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("organisations", "mfa", name="Russian Foreign Ministry", aliases=["MFA"])
    project.entity("outlets", "apa", name="APA", aliases=["Azeri-Press Agency"])
    project.entity("events", "briefing", name="Briefing", date="2025-03-20")
    project.entity("places", "moscow", name="Moscow", aliases=["Москва"])
    return project


def test_a_statement_tells_pagefind_its_filters_sort_date_and_every_alias(registry):
    registry.statement(speakers=["Maria Zakharova"], mentions=["Sergei Markov", "MFA"], event="Briefing", places=["Moscow"])
    problems, index = registry.check()
    assert problems == []
    data = search.statement_search(index.statements[0], index)
    assert data["filters"] == [
        {"name": "person", "value": "Maria Zakharova"},
        {"name": "person", "value": "Sergey Markov"},
        {"name": "organisation", "value": "Russian Foreign Ministry"},
        {"name": "event", "value": "Briefing"},
        {"name": "outlet", "value": "APA"},
        {"name": "year", "value": "2025"},
    ]
    assert data["sort_date"] == "2025-03-20"
    for alias in ("Sergei Markov", "Сергей Марков", "MFA", "Azeri-Press Agency", "Москва"):
        assert alias in data["aliases"]
    event = search.entity_search(Ref("events", "briefing"), index, "Event")
    assert event["sort_date"] == "2025-03-20" and event["filters"] == []


def test_the_real_index_holds_statements_and_entities_with_their_filters(real_site):
    records = fragments(real_site.output)
    entry = json.loads((real_site.output / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(records)
    statements = [url for url in records if url.startswith("/statements/")]
    assert len(statements) == 5
    assert "/people/sergey-markov/" in records and "/search/" not in records and "/" not in records
    khojaly = records[KHOJALY]
    assert "Сергей Марков" in khojaly["content"]  # a spelling found only in the registry
    assert "Cite this statement" not in khojaly["content"]  # the citation box is left out
    assert khojaly["filters"]["year"] == ["2023"] and khojaly["filters"]["outlet"] == ["APA"]
    assert "Sergey Markov" in khojaly["filters"]["person"]
    assert khojaly["meta"]["type"] == "Statement" and khojaly["meta"]["date"] == "26 February 2023"
    paragraph_anchors = [a["id"] for a in khojaly["anchors"] if a["element"] == "p" and a["id"].startswith("p")]
    assert paragraph_anchors == [p["id"] for p in real_site.paragraphs(KHOJALY.strip("/") + "/index.html")]


def test_filter_files_are_rewritten_in_a_stable_order(real_site):
    bundle = real_site.output / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read_pagefind_file(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    names = [name for name, _ in meta[3]]
    assert names == sorted(names) == ["event", "organisation", "outlet", "person", "year"]
    for name, stem in meta[3]:
        filter_name, values = read_pagefind_file(bundle / "filter" / f"{stem}.pf_filter")
        assert filter_name == name
        assert [v for v, _ in values] == sorted(v for v, _ in values)
    assert len(list((bundle / "filter").iterdir())) == len(names)  # the unsorted originals are gone


def test_two_pagefind_runs_give_the_same_bytes(registry, tmp_path):
    for i in range(12):
        registry.entity("people", f"person-{i}", name=f"Person {i}")
        registry.statement(f"2025-0{i % 9 + 1}-01-s{i}", date=f"202{i % 5}-0{i % 9 + 1}-01", speakers=[f"Person {i}"])
    outputs = []
    for run in range(3):
        result = registry.build(output=str(tmp_path / f"out{run}"))
        assert result.ok, [p.format() for p in result.problems]
        bundle = tmp_path / f"out{run}" / "pagefind"
        outputs.append({p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2]


def test_a_failed_index_fails_the_build_and_keeps_the_published_site(registry, monkeypatch):
    registry.statement(speakers=["Maria Zakharova"])
    assert registry.build().ok
    public = registry.root / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    registry.statement("2025-04-01-another", date="2025-04-01", title="Another")
    monkeypatch.setattr(search, "pagefind_command", lambda folder: ["false"])
    result = registry.build()
    assert not result.ok
    assert [p.format() for p in result.errors] == [
        "pagefind:1: Pagefind failed to index the site: exit status 1 (the published site was left as it was)"]
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert [p.name for p in public.parent.iterdir() if p.name.startswith(STAGING_PREFIX)] == []  # none left behind


def test_a_missing_pagefind_is_reported_with_how_to_install_it(registry, monkeypatch):
    registry.statement()
    monkeypatch.setattr(search, "pagefind_command", lambda folder: None)
    result = registry.build()
    (problem,) = result.errors
    assert "Pagefind is not installed" in problem.message and "pip install" in problem.hint
    assert not (registry.root / "public").exists()
