"""The benchmark still runs: a 200-statement corpus in all three formats, and our builds measured.

Timings are not asserted (the machine may be busy); what is checked is that the generator
writes a valid corpus of the stated shape and that the benchmark's scenarios do what they say.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from external_tools import missing

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402
import run  # noqa: E402


def test_generator_is_seeded_and_writes_three_formats(tmp_path):
    a, b = generate.Corpus(50), generate.Corpus(50)
    assert [s.title for s in a.statements] == [s.title for s in b.statements]
    assert len(a.people) == 10 and len(a.organisations) == 5 and len(a.events) == 2
    assert any("ə" in p.name or "ş" in p.name or "ğ" in p.name or "ı" in p.name for p in a.people)
    assert any(any("\u0400" <= c <= "\u04ff" for c in alias) for p in a.people for alias in p.aliases)
    generate.main(["20", str(tmp_path / "corpus")])
    assert len(list((tmp_path / "corpus" / "ours" / "content" / "statements").glob("*.md"))) == 20
    assert len(list((tmp_path / "corpus" / "hugo" / "content" / "statements").glob("*.md"))) == 20
    assert len(list((tmp_path / "corpus" / "pelican" / "content").glob("*.md"))) == 20
    sizes = [len(s.body.encode()) for s in generate.Corpus(30).statements]
    assert min(sizes) >= 3000 and max(sizes) <= 7000


def test_benchmark_scenarios_on_200_statements(tmp_path):
    folder = run.prepare(200, tmp_path)
    ours = run.Ours(folder / "ours")
    ours.clean()
    cold = ours.build()
    size = run.site_size(folder / "ours" / "public")
    assert size["pages"] > 200 and cold["written"] == size["files"]
    assert cold["wall"] > 0 and cold["cpu"] > 0 and cold["peak_mb"] > 0
    assert ours.build()["written"] == 0  # no change, nothing written
    name, change = run.edits(folder / "ours", 0)[0]
    undo = change()
    edited = ours.build()
    undo()
    assert name == "statement edited" and edited["written_html"] == 1  # the statement's own page only
    alone = run.pagefind_alone(folder / "ours" / "public", tmp_path)  # the build's own Pagefind command
    assert alone["wall"] > 0 and alone["peak_mb"] > 0
    results = {"sizes": {200: {"ours cold": cold | {"runs": 1}, "ours output": size, "pagefind alone": alone}}}
    assert "| 200 | ours cold (1 runs) |" in run.table(results)
    assert "- N=200: Pagefind alone over our output:" in run.table(results)


def test_a_size_of_the_benchmark_logs_each_measurement_as_it_is_taken(tmp_path):
    """bench_size as `bench/run.py` runs it (ours only): every build is in the log when it ends, so a
    run that fails later still leaves its figures; the summary holds each scenario's medians."""
    lines = []
    summary = run.bench_size(200, 1, tmp_path, {}, lines.append)
    scenarios = ["ours cold", "ours no change", "ours statement edited", "ours statement added", "ours person edited"]
    assert len(lines) == len(scenarios)
    assert all(line.startswith(f"  N=200 run 1: {name} ") and line.endswith(" MB PSS") for line, name in zip(lines, scenarios))
    assert all(summary[name]["runs"] == 1 and summary[name]["wall"] > 0 for name in scenarios)
    assert summary["ours no change"]["written"] == 0 and summary["pagefind alone"]["wall"] > 0


def _is_git_checkout() -> bool:
    import subprocess

    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True).returncode == 0
    except OSError:
        return False


def test_ab_alternates_two_versions_and_compares_their_outputs(tmp_path, capsys):
    """bench/ab.py: each side builds its own copy of the corpus, the order alternates pair by pair,
    and the report gives each pair's difference, the medians and whether the two sites are the same."""
    import ab

    base = "HEAD" if _is_git_checkout() else "."  # a commit when there is history, else the tree twice
    assert ab.main(["--base", base, "--size", "30", "--pairs", "2", "--scenario", "statement added",
                    "--work", str(tmp_path), "--json", str(tmp_path / "ab.json")]) == 0
    out, err = capsys.readouterr()
    order = [line.split()[2].rstrip(":") for line in err.splitlines() if line.startswith("  pair ")]
    assert order == ["A", "B", "B", "A"]
    assert "B − A wall, per pair (s): " in out and "| wall |" in out
    import json

    saved = json.loads((tmp_path / "ab.json").read_text(encoding="utf-8"))
    assert [len(saved["builds"][side]) for side in "AB"] == [2, 2]
    assert all(build["written_html"] >= 1 for side in "AB" for build in saved["builds"][side])  # each added a page
    added = sorted(p.name for p in (tmp_path / "ab-a" / "content" / "statements").glob("*benchmark-added*"))
    assert len(added) == 2 and added == sorted(
        p.name for p in (tmp_path / "ab-b" / "content" / "statements").glob("*benchmark-added*"))
    if base == ".":
        assert "outputs: identical" in out
    assert saved["outputs"]["files"] > 100


def test_ab_reports_outputs_that_differ(tmp_path):
    import ab

    (tmp_path / "a" / "x").mkdir(parents=True)
    (tmp_path / "b" / "x").mkdir(parents=True)
    for side in "ab":
        (tmp_path / side / "same.html").write_text("same")
    (tmp_path / "a" / "x" / "page.html").write_text("one")
    (tmp_path / "b" / "x" / "page.html").write_text("two")
    (tmp_path / "b" / "only.html").write_text("new")
    assert ab.compare_outputs(tmp_path / "a", tmp_path / "b") == {
        "files": 2, "differ": 2, "examples": ["only.html", os.path.join("x", "page.html")]}


def test_the_table_gives_each_runs_ratio_to_hugo_beside_the_ratio_of_medians():
    row = {"wall": 10.0, "cpu": 15.0, "peak_mb": 500, "peak_pss_mb": 400, "runs": 3}
    summary = {"ours cold": row, "hugo cold": row | {"wall": 4.0},
               "paired ratios": {"hugo": [0.5, 0.3, 0.4]}}
    text = run.table({"sizes": {10000: summary}})
    assert "- N=10000: hugo cold / ours cold = 0.40 (wall, medians); run by run 0.50, 0.30, 0.40, median 0.40" in text
    assert "paired ratios" not in text


def test_others_with_search_measure_their_build_then_pagefind_over_it(tmp_path, monkeypatch):
    """--others-with-search: Hugo's and Pelican's builds, each followed by Pagefind over its output,
    are measured as one command beside the plain builds; the output sized last is the plain one."""
    from statement_archive.search import pagefind_command

    tools = {"hugo": run.tool("hugo"), "pelican": run.tool("pelican"), "search": pagefind_command}
    for name in ("hugo", "pelican"):
        if not tools[name]:
            missing(f"{name} (the benchmark's tools)", ".venv/bin/pip install -e '.[bench]' -c constraints.txt")
    if not pagefind_command(tmp_path):
        missing("Pagefind", ".venv/bin/pip install -e . -c constraints.txt")
    assert run.with_search("hugo", ["hugo"], tmp_path, {"hugo": "hugo"}) == []  # not asked for
    folder = run.prepare(60, tmp_path)
    (name, command), = run.with_search("hugo", [tools["hugo"], "--quiet"], folder / "hugo" / "public", tools)
    assert name == "hugo+pagefind cold"
    run.measure(command, folder / "hugo")
    assert (folder / "hugo" / "public" / "pagefind" / "pagefind-entry.json").is_file()  # Pagefind indexed Hugo's site

    monkeypatch.setattr(run, "edits", lambda ours, run_number: [])  # ours is measured by the tests above
    lines = []
    summary = run.bench_size(60, 1, tmp_path, tools, lines.append)
    for other, site in (("hugo", folder / "hugo" / "public"), ("pelican", folder / "pelican" / "output")):
        assert summary[f"{other}+pagefind cold"]["cpu"] > 0
        assert not (site / "pagefind").exists()  # the plain build ran last, into a clean folder
        assert summary[f"{other} output"]["pages"] > 60
        assert len(summary["paired ratios"][f"{other}+pagefind"]) == 1
        assert any(f"{other}+pagefind cold" in line for line in lines)
    assert "- N=60: hugo+pagefind cold / ours cold = " in run.table({"sizes": {60: summary}})
