"""nochange.py: the quick check that tells a rebuild there is nothing to do, on small sites in tmp_path.

test_incremental.py runs the check against the real content (every option, a touched file,
SOURCE_DATE_EPOCH, the days a future date allows, a file dropped in the output); these tests
look at its parts: what the manifest holds, what the record gives back, which folder it is for.
"""

from __future__ import annotations

import marshal
import os
import shutil
import time

import pytest

from statement_archive import nochange
from statement_archive.cache import CACHE_DIR


def manifest_names(root) -> list[str]:
    """The manifest's entries with the project folder taken off their paths, and their stat numbers dropped."""
    prefix = os.path.join(str(root), "")
    return [line.split("\0")[0].removeprefix(prefix) + ("/" if line.endswith("\0folder") else "")
            for line in nochange.input_manifest(root)]


@pytest.fixture
def small(project):
    """A project with two statements, two people (one a name found only in a statement: a warning) and an outlet."""
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Maria Zakharova"])
    project.statement("2025-03-21-another", title="Another", date="2025-03-21", speakers=["Someone Unregistered"])
    return project


def test_the_manifest_holds_every_file_a_build_reads_and_none_it_writes(small):
    """The build writes its output and cache inside the project: were they in the manifest, no rebuild would ever
    find nothing to do."""
    small.write("README.md", "notes")  # not read by a build
    (small.root / "content" / "events").mkdir()  # empty, still reported by the build (load.content_files)
    before = nochange.build_key(small.config(), False)
    assert small.build().ok
    assert (small.root / "public" / "index.html").is_file() and (small.root / CACHE_DIR).is_dir()
    lines = nochange.input_manifest(small.root)
    assert lines == sorted(lines)  # in the order of the paths, not of the folder listings, which may differ
    names = manifest_names(small.root)
    assert "site.yaml" in names
    assert "content/events/" in names and "content/statements/" in names
    assert {"content/statements/2025-03-20-a-statement.md", "content/statements/2025-03-21-another.md",
            "content/people/maria-zakharova.md", "content/outlets/apa.md"} <= set(names)
    templates = {p.relative_to(small.root).as_posix() for p in (small.root / "templates").rglob("*") if p.is_file()}
    assert templates and templates <= set(names)  # assets, in templates/assets/, too
    assert not [name for name in names if name.startswith(("public", ".cache", "README"))]
    assert nochange.build_key(small.config(), False) == before  # the build changed nothing the key covers


def test_an_edit_that_keeps_the_size_and_the_modification_time_still_changes_the_key(small):
    """Some tools (rsync -t, an unpacked archive, `touch -r`) put the old modification time back; the change
    time cannot be set back, so the edit is seen."""
    config = small.config()
    path = small.root / "content" / "statements" / "2025-03-20-a-statement.md"
    before, stat = nochange.build_key(config, False), path.stat()
    text = path.read_text(encoding="utf-8")
    time.sleep(0.01)  # a change time that differs even on a file system that keeps it coarsely
    path.write_text(text.replace("first", "FIRST"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert nochange.build_key(config, False) != before


def test_a_link_that_leads_nowhere_is_in_the_manifest_and_mending_it_changes_the_key(small):
    """The build reports such a link as an error; the check must not skip it, or mending it would change nothing."""
    folder = small.root / "content" / "statements"
    (folder / "2025-03-22-linked.md").symlink_to("elsewhere.md")
    assert [line for line in nochange.input_manifest(small.root) if line.endswith("\0unreadable")] == \
        [f"{folder / '2025-03-22-linked.md'}\0unreadable"]
    before = nochange.build_key(small.config(), False)
    (folder / "elsewhere.md").write_text("---\ntitle: T\n---\n", encoding="utf-8")
    assert nochange.build_key(small.config(), False) != before


def test_a_link_back_to_its_own_folder_is_not_walked_round_and_round(small):
    """`build.py check` warns about the folder and goes on; the manifest must not walk round the loop (two such
    links in content/statements made it walk some 2^40 paths, and `build` hung)."""
    statements = small.root / "content" / "statements"
    (statements / "loop-a").symlink_to(".")
    (statements / "loop-b").symlink_to(".")
    (small.root / "templates" / "partials-again").symlink_to(".")  # templates/ is walked to any depth
    names = manifest_names(small.root)
    links = ["content/statements/loop-a/", "content/statements/loop-b/", "templates/partials-again/"]
    assert set(links) <= set(names)  # listed: the build warns of the first two
    assert not [name for name in names if any(name.startswith(link) and name != link for link in links)], names
    assert small.build().ok


def test_a_folder_inside_a_kinds_folder_is_listed_but_not_walked(small):
    """The build reads content/<kind>/*.md only: what a folder below holds changes nothing it makes."""
    inner = small.root / "content" / "statements" / "drafts"
    inner.mkdir()
    before = nochange.build_key(small.config(), False)
    (inner / "2025-03-22-draft.md").write_text("---\ntitle: A draft\n---\n", encoding="utf-8")
    assert nochange.build_key(small.config(), False) == before
    assert manifest_names(small.root).count("content/statements/drafts/") == 1


def test_the_check_after_a_build_gives_back_its_problems_and_counts(small):
    """What the summary line and the problem lines of a no-change build show is what the last build found."""
    config = small.config()
    assert nochange.unchanged_build(config, False) is None  # never built into this folder
    result = small.build()
    assert result.ok and result.problems  # the unregistered speaker's warning
    found = nochange.unchanged_build(config, False)
    assert isinstance(found, nochange.Unchanged)
    assert [(p.severity, p.format()) for p in found.problems] == [(p.severity, p.format()) for p in result.problems]
    assert found.ok and not found.written
    assert len(found.index.statements) == len(result.index.statements) == 2
    assert {kind: len(found.index.entities[kind]) for kind in found.index.entities} == \
        {kind: len(result.index.entities[kind]) for kind in result.index.entities}
    assert len(found.pages) == len(result.pages)


def test_what_a_build_said_of_the_published_site_is_not_said_again_once_it_published_it(small):
    """A statement removed: the build that takes its page away says so, once. The builds after it find nothing
    changed; they had repeated the warning although the page was long gone, and `check` said nothing."""
    config = small.config()
    assert small.build().ok
    (small.root / "content/statements/2025-03-21-another.md").unlink()
    result = small.build()
    assert result.ok and any("this file is gone" in p.message for p in result.problems)
    found = nochange.unchanged_build(config, False)
    assert isinstance(found, nochange.Unchanged)
    assert [p.format() for p in found.problems] == [p.format() for p in small.build(write=False).problems] == []


def test_an_output_folder_deleted_or_put_back_as_a_copy_is_built_again(small):
    """The same top-level names in another folder (a restored backup, a copy) are not the site the record was of."""
    config = small.config()
    assert small.build().ok
    output = small.root / "public"
    top = sorted(os.listdir(output))
    shutil.copytree(output, small.root / "copy", symlinks=True)
    shutil.rmtree(output)
    assert nochange.unchanged_build(config, False) is None
    (small.root / "copy").rename(output)
    assert sorted(os.listdir(output)) == top  # the very same names, in a new folder
    assert nochange.unchanged_build(config, False) is None


def test_each_output_folder_has_a_record_of_its_own(small, tmp_path):
    """Told apart by their whole path: two folders both named "public" are two sites."""
    config_a = small.config()
    config_b = small.config(output=str(tmp_path / "elsewhere" / "public"))
    assert small.build().ok
    assert nochange.unchanged_build(config_b, False) is None
    assert small.build(output=str(config_b.output)).ok
    assert nochange.unchanged_build(config_a, False) is not None  # not replaced by the other folder's record
    assert nochange.unchanged_build(config_b, False) is not None
    assert nochange.records_of(os.path.realpath(config_a.output)) != \
        nochange.records_of(os.path.realpath(config_b.output))


def test_source_date_epoch_gives_the_day_in_utc(monkeypatch):
    """Reproducible builds: the same epoch is the same day wherever the build runs."""
    late_utc = 1_700_004_600  # 2023-11-14 23:30 UTC, already the 15th in Tokyo
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(late_utc))
    monkeypatch.setenv("TZ", "JST-9")  # Tokyo's time, written out: no time zone database needed
    time.tzset()
    try:
        assert time.strftime("%Y-%m-%d", time.localtime(late_utc)) == "2023-11-15"
        assert nochange.today_iso() == "2023-11-14"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("value", ["", "yesterday", "-5", "1.5e9", "9" * 40], ids=["empty", "word", "negative",
                                                                                   "float", "too-large"])
def test_a_source_date_epoch_that_is_not_a_usable_number_is_today(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert nochange.today_iso() == time.strftime("%Y-%m-%d")


def test_the_problems_given_back_keep_the_last_builds_order_and_errors_fail():
    """Reported sorts by its place in the last build's list, not by its text, which would reorder the lines."""
    problems = (nochange.Reported(0, "error", "z.md:1: first"), nochange.Reported(1, "warning", "a.md:1: second"))
    assert [p.format() for p in sorted(reversed(problems))] == ["z.md:1: first", "a.md:1: second"]
    failed = nochange.Unchanged(problems, nochange.Counts(), range(3))
    assert failed.errors == [problems[0]] and not failed.ok
    assert nochange.Unchanged(problems[1:], nochange.Counts(), range(3)).ok


def test_counts_made_without_entities_do_not_share_one_dict():
    first, second = nochange.Counts(), nochange.Counts()
    first.entities["people"] = range(2)
    assert second.entities == {}


def test_the_records_of_an_output_folder_are_named_after_its_path_with_the_lock_last():
    records = nochange.records_of("/srv/site/public")
    name = nochange.output_name("/srv/site/public")
    assert name != nochange.output_name("/srv/other/public") and len(name) == 16
    assert records == (f"last-{name}.marshal", f"state-{name}.pickle", f"addresses-{name}.marshal", f"lock-{name}")
    assert (records.last_name, records.state_name, records.addresses_name) == (
        f"last-{name}", f"state-{name}", f"addresses-{name}")


def test_forgetting_gone_outputs_skips_records_it_cannot_read(tmp_path):
    """The cache is only a cache: a damaged record, or one that names no path, is left alone, not an error;
    a record of a folder that is gone goes, with the page state and lock beside it."""
    folder = tmp_path / "cache"
    folder.mkdir()
    gone = nochange.output_records("00000000000000aa")
    for name in gone:
        (folder / name).write_bytes(b"")
    with open(folder / gone.last, "wb") as handle:
        marshal.dump(("stamp", {"output": str(tmp_path / "no-such-folder")}), handle)
    (folder / "last-00000000000000bb.marshal").write_bytes(b"\x00not marshal at all")
    with open(folder / "last-00000000000000cc.marshal", "wb") as handle:
        marshal.dump(("stamp", {"output": 42}), handle)
    with open(folder / "last-00000000000000dd.marshal", "wb") as handle:
        marshal.dump(("stamp", ["not", "a", "dict"]), handle)
    assert nochange.forget_gone_outputs(folder) == [str(tmp_path / "no-such-folder")]
    assert sorted(p.name for p in folder.iterdir()) == \
        ["last-00000000000000bb.marshal", "last-00000000000000cc.marshal", "last-00000000000000dd.marshal"]
    assert nochange.forget_gone_outputs(tmp_path / "no-cache-yet") == []
