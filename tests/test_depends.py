"""Partial planning: a build plans only the pages whose inputs changed, and still gives a cold build's site.

A generated archive (bench/generate.py, 60 statements, so that most pages do not involve the
edited statement) goes through a series of edits that reach other pages in different ways:
a body edited, a date moved (new neighbours), a speaker swapped (appearances and related
statements change), a registry entry renamed, a statement added and one deleted. After each,
the output is compared byte for byte with a cold build, and the number of statement and entity
pages planned is counted, to show that the others were really left alone.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from statement_archive import incremental, parallel, plan
from statement_archive.config import load_config
from statement_archive.depends import output_inputs, unchanged
from statement_archive.pipeline import build_site, check_site
from test_incremental import assert_same_as_cold, build

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import generate  # noqa: E402


@pytest.fixture
def archive(tmp_path, monkeypatch):
    root = tmp_path / "project"
    generate.write_ours(generate.Corpus(60), root, REPO)
    output = tmp_path / "public"
    planned: list[str] = []
    for name in ("plan_statement", "plan_entity"):
        original = getattr(plan, name)

        def counting(views, target, common, original=original):
            spec = original(views, target, common)
            planned.append(spec.url)
            return spec

        monkeypatch.setattr(plan, name, counting)
    # Planned in this process, where they are counted: in forked workers (a site of 200 pages or more), they would not be.
    monkeypatch.setattr(incremental, "MIN_PARALLEL_PAGES", 10**9)
    build(root, output)
    total = len(planned)  # every statement and entity page: the first build plans them all
    planned.clear()
    return root, output, tmp_path, planned, total


def statements(root: Path) -> list[Path]:
    return sorted((root / "content" / "statements").glob("*.md"))


def replace(path: Path, pattern: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, new, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not in {path}"
    path.write_text(changed, encoding="utf-8")


def search_inodes(output: Path) -> dict[str, set]:
    """The inodes of each search index shard's files: a shard indexed again gets new files."""
    shards = {}
    for folder in sorted((output / "pagefind").iterdir()):
        if folder.is_dir():
            shards[folder.name] = {p.stat().st_ino for p in folder.rglob("*") if p.is_file()}
    return shards


def rebuild_and_check(root: Path, output: Path, scratch: Path, planned: list) -> int:
    planned.clear()
    build(root, output)
    count = len(planned)
    assert_same_as_cold(root, output, scratch)
    return count


def test_edits_plan_few_pages_and_match_cold_builds(archive):
    root, output, scratch, planned, total = archive
    assert total > 60
    files = statements(root)

    path = files[10]
    before = search_inodes(output)
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence the test added.\n", encoding="utf-8")
    body_edit = rebuild_and_check(root, output, scratch, planned)
    assert 1 <= body_edit < total / 2
    after = search_inodes(output)
    year = re.search(r"^date: (\d{4})", path.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    assert set(after) == set(before)
    assert {shard for shard in after if after[shard] != before[shard]} == {f"statements-{year}"}

    replace(files[20], r"^date: \d{4}-\d{2}-\d{2}$", "date: 1999-01-02")
    rebuild_and_check(root, output, scratch, planned)

    replace(files[30], r'^speakers: \[', 'speakers: ["Someone Entirely New", ')
    rebuild_and_check(root, output, scratch, planned)

    person = sorted((root / "content" / "people").glob("*.md"))[0]
    replace(person, r"^role: .*$", 'role: "Deputy Minister"')
    role_edit = rebuild_and_check(root, output, scratch, planned)
    assert role_edit < total / 2

    replace(person, r"^name: .*$", 'name: "Renamed Person"')
    rebuild_and_check(root, output, scratch, planned)

    new = root / "content" / "statements" / "2030-01-01-added.md"
    new.write_text(files[5].read_text(encoding="utf-8").replace("title: ", "title: Added ", 1), encoding="utf-8")
    rebuild_and_check(root, output, scratch, planned)

    files[40].unlink()
    rebuild_and_check(root, output, scratch, planned)

    assert rebuild_and_check(root, output, scratch, planned) == 0  # nothing changed: nothing planned


def test_the_whole_archive_pages_are_planned_only_when_what_they_show_changed(archive, monkeypatch):
    """The home page, the timeline's pages and the lists show statements' cards or every entity: an
    edit to a statement's text leaves them unplanned; a change to a card plans the home page and
    its year's page, a new date the timeline's own page too; a change to an entry plans its list."""
    root, output, scratch, _, _ = archive
    seen: list[str] = []
    for name in ("plan_home", "plan_timeline", "plan_timeline_year", "plan_list"):
        original = getattr(plan, name)

        def counting(views, *args, original=original):
            spec = original(views, *args)
            seen.append(spec.url)
            return spec

        monkeypatch.setattr(plan, name, counting)

    def rebuild() -> list[str]:
        seen.clear()
        build(root, output)
        planned = sorted(seen)
        assert_same_as_cold(root, output, scratch)
        return planned

    def year_page(path: Path) -> str:
        return "timeline/" + re.search(r"^date: (\d{4})", path.read_text(encoding="utf-8"), re.MULTILINE).group(1) + "/"

    files = statements(root)
    files[10].write_text(files[10].read_text(encoding="utf-8") + "\nA sentence the test added.\n", encoding="utf-8")
    assert rebuild() == []
    replace(files[11], r"^summary: .*$", 'summary: "A summary the test wrote."')
    assert rebuild() == ["", year_page(files[11])]
    replace(files[12], r"^title: .*$", 'title: "A title the test wrote"')
    assert rebuild() == ["", year_page(files[12])]
    moved_from = year_page(files[13])
    replace(files[13], r"^date: \d{4}-\d{2}-\d{2}$", "date: 1999-01-02")
    assert rebuild() == sorted(["", "timeline/", "timeline/1999/", moved_from] + [  # a new year: every year's page lists the years
        page for page in {year_page(f) for f in files} if page not in (moved_from, "timeline/1999/")])
    assert (output / "timeline" / "1999" / "index.html").is_file()
    person = sorted((root / "content" / "people").glob("*.md"))[0]
    replace(person, r"^role: .*$", 'role: "Deputy Minister"')
    assert rebuild() == ["people/"]
    replace(files[14], r'^speakers: \[', 'speakers: ["Someone Entirely New", ')
    assert rebuild() == sorted(["", "people/", year_page(files[14])])
    # A card names its statement's event: an event renamed plans the pages listing its statements' cards.
    event_of = {f: m.group(1) for f in files if (m := re.search(r'^event: "?(.*?)"?$', f.read_text(encoding="utf-8"), re.MULTILINE))}
    name = event_of[next(f for f in files[15:] if f in event_of)]
    event = next(p for p in (root / "content" / "events").glob("*.md") if f'name: "{name}"' in p.read_text(encoding="utf-8"))
    replace(event, r"^aliases: \[\]$", f'aliases: ["{name}"]')
    replace(event, r"^name: .*$", 'name: "An Event The Test Renamed"')
    assert rebuild() == sorted({"", "events/"} | {year_page(f) for f, e in event_of.items() if e == name})
    # A speaker who becomes only mentioned: the list of people, which counts the statements each speaks in.
    def first_speaker(path: Path) -> str | None:  # one who is not quoted, so that the statement stays valid
        text = path.read_text(encoding="utf-8")
        found = re.search(r'^speakers: \["([^"]+)", ', text, re.MULTILINE)
        return found.group(1) if found and f'speaker: "{found.group(1)}"' not in text and "\nmentions: [" in text else None

    demoted = next(f for f in files[16:] if first_speaker(f))
    name = first_speaker(demoted)
    replace(demoted, r'^speakers: \["[^"]+", ', 'speakers: [')
    replace(demoted, r'^mentions: \[', f'mentions: ["{name}", ')
    assert rebuild() == sorted(["", "people/", year_page(demoted)])
    files[13].unlink()  # the only statement of 1999: its year's page goes, and every year's page lists one year fewer
    assert len(rebuild()) > 3
    assert not (output / "timeline" / "1999").exists()
    assert rebuild() == []


def test_year_pages_of_entities_follow_edits_and_match_cold_builds(archive, monkeypatch):
    """With a low entity_page_limit, the entities in most statements get a page per year: edits
    plan only the year pages they reach, and after each the output is the cold build's."""
    root, output, scratch, _, _ = archive
    seen: list[str] = []
    original = plan.plan_entity_year

    def counting(views, ref, year, common):
        spec = original(views, ref, year, common)
        seen.append(spec.url)
        return spec

    monkeypatch.setattr(plan, "plan_entity_year", counting)
    monkeypatch.setattr(parallel, "worker_count", lambda: 1)  # every page planned in this process, where it is counted

    def rebuild() -> list[str]:
        seen.clear()
        build(root, output)
        planned = sorted(seen)  # before the cold build, which plans them all
        assert_same_as_cold(root, output, scratch)
        return planned

    def year_pages() -> list[str]:
        return sorted(p.parent.relative_to(output).as_posix() + "/"
                      for p in output.glob("*/*/[0-9][0-9][0-9][0-9]/index.html") if p.parts[-4] != "timeline")

    site_yaml = root / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "entity_page_limit: 4\n", encoding="utf-8")
    assert rebuild() == year_pages()
    assert len(year_pages()) > 5, "the corpus should have entities in more than 4 statements"

    files = statements(root)
    files[3].write_text(files[3].read_text(encoding="utf-8") + "\nA sentence the test added.\n", encoding="utf-8")
    year = re.search(r"^date: (\d{4})", files[3].read_text(encoding="utf-8"), re.MULTILINE).group(1)
    reached = rebuild()
    assert reached and all(url.endswith(f"/{year}/") for url in reached), "only the edited statement's year"

    replace(files[8], r"^date: \d{4}-\d{2}-\d{2}$", "date: 1999-01-02")
    assert 0 < len(rebuild()) < len(year_pages())
    for path in files[:30]:  # fewer statements: some entities fall to the limit and lose their year pages
        path.unlink()
    before = len(year_pages())
    rebuild()
    assert len(year_pages()) < before
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("entity_page_limit: 4\n", ""), encoding="utf-8")
    rebuild()
    assert year_pages() == []
    assert rebuild() == []


def test_inputs_change_only_for_outputs_that_show_the_change(archive):
    root, output, _, _, _ = archive
    config, _ = load_config(root, str(output))

    def inputs():
        problems, index = check_site(config)
        assert not [p for p in problems if p.severity == "error"]
        return output_inputs(index, config, {}, {"statement.html": b"t"})

    before = inputs()
    person = sorted((root / "content" / "people").glob("*.md"))[0]
    replace(person, r"^role: .*$", 'role: "Deputy Minister"')
    after = inputs()
    same = unchanged(after, before)
    assert f"people/{person.stem}/" not in same
    assert len(same) > len(after) / 2  # most pages do not show that person's role
    assert set(after) == set(before)


def test_check_builds_in_memory_plan_everything(archive):
    root, output, _, planned, total = archive
    config, _ = load_config(root, str(output))
    result = build_site(config, write=False)
    assert result.ok
    assert len(planned) == total


def test_pages_planned_and_rendered_in_small_batches_give_the_same_site(archive, monkeypatch):
    # A build plans, renders and lets go of PAGE_BATCH pages at a time; the fixture's build took
    # them all in one batch. Batches of 7 must change nothing: not in a cold build, not after an edit.
    root, output, scratch, _, total = archive
    assert total > 7 * 10
    monkeypatch.setattr(incremental, "PAGE_BATCH", 7)
    assert_same_as_cold(root, output, scratch)
    replace(statements(root)[10], r"\Z", "\n\nA sentence added in a small batch.\n")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
