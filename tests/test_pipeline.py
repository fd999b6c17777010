"""pipeline.py: the stages joined up, on small sites in tmp_path, and the small helpers between them.

Whole builds of the real content, incremental rebuilds, refused and interrupted outputs and the
notes about pages gone are tested elsewhere (test_incremental.py, test_output_safety.py,
test_cli.py); these tests look at what build_site and check_site give back and leave behind.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time

import pytest

from conftest import TODAY
from statement_archive import nochange, pipeline
from statement_archive.model import ERROR, WARNING, Problem, SiteIndex, Statement
from statement_archive.plan import outline
from statement_archive.urls import Urls

PAGE = "statements/2025/03/20/a-statement/"


def snapshot(folder) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def small(project):
    """One statement by a registered speaker in a registered outlet: no problem at all."""
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Maria Zakharova"], body="The first paragraph.\n\nThe second paragraph.\n")
    return project


def test_strictly_makes_warnings_errors_and_keeps_everything_else():
    problems = [Problem("a.md", 1, "date is in the future", WARNING, "check it"), Problem("b.md", 2, "missing", ERROR)]
    assert pipeline.strictly(problems, False) == problems
    assert pipeline.strictly(problems, True) == [Problem("a.md", 1, "date is in the future", ERROR, "check it"),
                                                 Problem("b.md", 2, "missing", ERROR)]


def test_assets_are_read_but_for_editors_swap_backup_and_hidden_files(tmp_path):
    """Those files come and go as an editor types; published, they would change every page's asset versions."""
    assets = tmp_path / "templates" / "assets"
    files = {"style.css": b"body{}", "fonts/a.woff2": b"\0font", ".style.css.swp": b"swap", "style.css~": b"old",
             "#site.js#": b"autosave", ".git/config": b"hidden folder", "fonts/.b.woff2.swp": b"swap"}
    for name, data in files.items():
        (assets / name).parent.mkdir(parents=True, exist_ok=True)
        (assets / name).write_bytes(data)
    assert pipeline.read_assets(tmp_path / "templates") == \
        ({"assets/fonts/a.woff2": b"\0font", "assets/style.css": b"body{}"}, [])
    assert pipeline.read_assets(tmp_path / "no-templates") == ({}, [])


def test_an_asset_that_cannot_be_read_is_an_error_not_a_page_without_its_style_sheet(tmp_path):
    """A link leading nowhere was passed over: every page then linked a style sheet the site did not have."""
    assets = tmp_path / "templates" / "assets"
    assets.mkdir(parents=True)
    (assets / "site.js").write_bytes(b"1")
    (assets / "style.css").symlink_to(tmp_path / "moved-away.css")
    (assets / "again").symlink_to(".")  # a link back to its own folder: read once, not round and round
    os.mkfifo(assets / "pipe.css")  # reading it had waited for a writer for ever
    found, problems = pipeline.read_assets(tmp_path / "templates")
    assert found == {"assets/site.js": b"1"}
    assert sorted((p.path, p.line, p.severity, p.message) for p in problems) == [
        ("templates/assets/pipe.css", 1, ERROR, "cannot read the asset: it is not a file but a device, a pipe or a socket"),
        ("templates/assets/style.css", 1, ERROR, "cannot read the asset: it is a link to a file that does not exist")]
    (tmp_path / "templates" / "assets").rename(tmp_path / "assets-moved")
    (tmp_path / "templates" / "assets").symlink_to(tmp_path / "assets-gone")
    assert [p.message for p in pipeline.read_assets(tmp_path / "templates")[1]] == [
        "cannot read the folder of assets: it is a link to a folder that does not exist"]


def test_a_build_with_an_asset_it_cannot_read_fails_and_leaves_the_site(small):
    assert small.build().ok
    published = snapshot(small.root / "public")
    style = small.root / "templates" / "assets" / "style.css"
    style.rename(small.root / "style.css.moved")
    style.symlink_to(small.root / "nowhere.css")
    for result in (small.build(), small.build(write=False)):  # build, and check
        assert not result.ok and [p.path for p in result.errors] == ["templates/assets/style.css"]
    assert snapshot(small.root / "public") == published


def test_a_template_whose_name_is_not_utf8_is_an_error_not_a_traceback(small):
    (small.root / "templates" / "x\udce9.html").write_bytes(b"<p>x</p>")
    for result in (small.build(), small.build(write=False)):
        assert not result.ok and [p.message for p in result.errors] == [
            "the file's name is not in UTF-8, and cannot be read"]
        assert result.errors[0].path == "templates/x\ufffd.html"


def test_an_assets_version_follows_its_bytes_and_every_templates_hash_follows_the_versions():
    """A changed style sheet changes its version, and so every page that links it must be made again."""
    one = pipeline.asset_versions({"assets/style.css": b"body{}", "assets/site.js": b"1"})
    assert [name for name, _ in one] == ["style.css", "site.js"]  # the name without assets/, as pages link it
    same = pipeline.asset_versions({"assets/style.css": b"body{}", "assets/site.js": b"1"})
    other = pipeline.asset_versions({"assets/style.css": b"body{color:red}", "assets/site.js": b"1"})
    assert one == same and one[0] != other[0] and one[1] == other[1]
    templates = {"statement.html": b"\1" * 16, "home.html": b"\2" * 16}
    hashed, again, changed = (pipeline.with_assets(templates, v) for v in (one, same, other))
    assert hashed == again and set(hashed) == set(templates)
    assert all(hashed[name] != changed[name] for name in templates)
    assert hashed["statement.html"] != hashed["home.html"]


def test_pages_gone_are_pages_no_stub_makes_but_not_folders_by_date():
    """A folder by date goes with its month's last statement and only leads to the timeline: not worth a note."""

    class Stub:
        def __init__(self, url):
            self.url = url

    published = ["", "people/x/", "people/y/", "statements/2024/", "statements/2024/05/", "statements/2024/05/01/old/",
                 "feed.xml", "404.html"]
    stubs = [Stub(""), Stub("people/x/")]
    assert pipeline.pages_gone(published, stubs) == ["people/y/", "statements/2024/05/01/old/"]


def test_today_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pipeline.today_for_build() == dt.date(2023, 11, 14)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pipeline.today_for_build() == dt.date.fromisoformat(time.strftime("%Y-%m-%d"))


def test_a_source_date_epoch_after_the_year_9999_is_not_a_traceback(monkeypatch):
    """An epoch too large for the clock falls back to today (nochange.today_iso); one just past 9999 must not crash."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300800")  # 10000-01-01 00:00 UTC
    assert isinstance(pipeline.today_for_build(), dt.date)


def test_a_result_is_ok_while_it_has_no_error():
    warning, error = Problem("a.md", 1, "w", WARNING), Problem("a.md", 2, "e", ERROR)
    assert pipeline.BuildResult((warning,)).ok
    failed = pipeline.BuildResult((warning, error))
    assert failed.errors == [error] and not failed.ok


def test_check_site_gives_every_problem_sorted_and_strict_makes_warnings_fail(project):
    project.statement("2025-03-21-b", date="2025-03-21", speakers=["Nobody Known"])
    project.statement("2025-03-20-a", outlet=None)  # an error: outlet missing
    problems, index = project.check()
    assert problems == sorted(problems) and len(problems) >= 3
    assert {p.severity for p in problems} == {ERROR, WARNING}
    strict, _ = project.check(strict=True)
    assert [(p.path, p.line, p.message) for p in strict] == [(p.path, p.line, p.message) for p in problems]
    assert {p.severity for p in strict} == {ERROR}
    assert isinstance(index, SiteIndex)


def test_the_index_check_site_makes_is_what_the_planner_takes(small):
    """The stages hand on plain data: the pages a check renders are the outline of check_site's index."""
    config = small.config()
    problems, index = pipeline.check_site(config, TODAY)
    assert problems == []
    (statement,) = index.statements
    assert isinstance(statement, Statement) and statement.path == PAGE
    assert [ref.slug for ref in statement.speakers] == ["maria-zakharova"] and statement.outlet.slug == "apa"
    assert [p.text for p in statement.body.paragraphs] == ["The first paragraph.", "The second paragraph."]
    stubs = outline(index, config, Urls(config.base_url))
    result = small.build(write=False)
    assert result.ok and not result.written
    assert sorted(result.pages) == sorted(stub.url for stub in stubs)
    assert b"The second paragraph." in result.pages[PAGE]


def test_without_write_the_site_is_rendered_but_nothing_is_written(small):
    before = snapshot(small.root)
    kept = small.build(write=False)
    assert PAGE in kept.pages and not (small.root / "public").exists()
    dropped = small.build(write=False, keep_pages=False)
    assert dropped.ok and dropped.pages == {}
    assert snapshot(small.root) == before  # no output, no cache: `check` keeps nothing


def test_a_build_gives_its_pages_from_the_output_and_a_failed_one_leaves_that_output_as_it_was(small):
    result = small.build()
    assert result.ok and result.written and result.files_written > 0
    output = small.root / "public"
    assert result.pages[PAGE] == (output / PAGE / "index.html").read_bytes()
    assert len(result.pages) == len(list(result.pages))
    published = snapshot(output)

    path = small.root / "content" / "statements" / "2025-03-20-a-statement.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outlet: APA\n", ""), encoding="utf-8")
    failed = small.build()
    assert not failed.ok and not failed.written and failed.pages == {} and failed.files_written == 0
    assert [p.message for p in failed.errors] == ["missing required key 'outlet'"]
    assert failed.index is not None  # the counts of the summary line
    assert snapshot(output) == published
    assert nochange.unchanged_build(small.config(), False) is None  # the failed build recorded nothing as done

    path.write_text(text, encoding="utf-8")  # put back: the site published is still this content's
    again = small.build()
    assert again.ok and again.files_written == 0 and again.files_removed == 0
    assert snapshot(output) == published


def test_the_build_records_its_inputs_as_they_were_before_it_read_them(small, monkeypatch):
    """An editor who saves while a build runs: the save came after the files were read, so the build's record
    must not vouch for it, or the next build would say "up to date" over a stale page."""
    path = small.root / "content" / "statements" / "2025-03-20-a-statement.md"
    real = pipeline.check_site

    def saved_meanwhile(*args, **kwargs):
        found = real(*args, **kwargs)
        time.sleep(0.01)  # a change time of its own
        path.write_text(path.read_text(encoding="utf-8") + "\nSaved during the build.\n", encoding="utf-8")
        return found

    monkeypatch.setattr(pipeline, "check_site", saved_meanwhile)
    result = small.build()
    assert result.ok and b"Saved during the build." not in result.pages[PAGE]
    monkeypatch.undo()
    assert nochange.unchanged_build(small.config(), False) is None
    assert b"Saved during the build." in small.build().pages[PAGE]



def test_a_published_statement_address_that_a_build_would_no_longer_make_is_told_at_the_file(small):
    """A statement is cited by its address: a file renamed, a date or slug changed, an alias taken away or a file
    removed would break every such citation. `check` and the build say so before the page goes, at the file to fix."""
    old = small.root / "content/statements/2025-03-20-a-statement.md"
    text = old.read_text(encoding="utf-8")
    assert small.build().ok

    def told(**kwargs) -> list[tuple]:
        return [(p.path, p.line, p.severity, p.message, p.hint) for p in small.build(write=False, **kwargs).problems]

    renamed = old.rename(old.with_name("2025-03-20-renamed.md"))
    assert told() == [("content/statements/2025-03-20-renamed.md", 1, WARNING,
                       f"this statement was published at /{PAGE}, which a build would no longer make: links and "
                       "citations of it would break",
                       f"add it to this file's aliases (aliases: [/{PAGE}]), and the old address leads here, as the "
                       "README says under Addresses")]
    assert [p.severity for p in small.build(write=False, strict=True).problems] == [ERROR]
    published = snapshot(small.root / "public")
    assert not small.build(strict=True).ok and snapshot(small.root / "public") == published  # nothing went
    renamed.write_text(text.replace("---\n", f"---\naliases: [/{PAGE}]\n", 1), encoding="utf-8")
    assert told() == []  # the old address leads to the new one
    # The file's date changed in place: told at that line, the one that moved the address.
    dated = text.replace("2025-03-20", "2025-03-21")
    renamed.rename(old).write_text(dated, encoding="utf-8")
    date_line = next(i for i, line in enumerate(dated.split("\n"), 1) if line.startswith("date:"))
    assert [(p[0], p[1]) for p in told() if "published at" in p[3]] == [
        ("content/statements/2025-03-20-a-statement.md", date_line)]
    # Removed outright: told at the file that is gone, with the way to take a statement back.
    old.unlink()
    (problem,) = small.build(write=False).problems
    assert (problem.path, problem.line, problem.severity) == ("content/statements/2025-03-20-a-statement.md", 1, WARNING)
    assert problem.message == (f"this file is gone, and with it the published statement at /{PAGE}: links and "
                               "citations of it would break")
    assert problem.hint.startswith("to take a statement back, keep its file and mark it withdrawn")
    # A file with an error gives no statement: its error is told, not that it is gone.
    old.write_text(text.replace("title:", "title: [", 1), encoding="utf-8")
    assert [p.path for p in small.build(write=False).problems] == ["content/statements/2025-03-20-a-statement.md"]
    assert "gone" not in small.build(write=False).problems[0].message
    # Withdrawn, the statement keeps its file and its address: nothing to tell.
    old.write_text(text.replace("---\n", "---\nwithdrawn: {date: 2025-03-22, reason: Retracted.}\n", 1), encoding="utf-8")
    assert told() == []


def test_a_new_statement_at_an_old_address_the_site_publishes_is_told_to_take_another(small):
    """A statement renamed keeps its old address as an alias; a new file given that address took it over when the
    editor followed the error's hint (remove the alias), and citations of the old address led to another text."""
    old = small.root / "content/statements/2025-03-20-a-statement.md"
    text = old.read_text(encoding="utf-8")
    assert small.build().ok
    old.rename(old.with_name("2025-03-20-renamed.md")).write_text(
        text.replace("---\n", f"---\naliases: [/{PAGE}]\n", 1), encoding="utf-8")
    assert small.build().ok
    newcomer = text.replace("The first paragraph.", "Another text entirely.").replace("title:", "title: New", 1)
    old.write_text(newcomer, encoding="utf-8")
    (problem,) = small.build(write=False).problems  # nothing about its paragraphs or title "as published"
    assert (problem.path, problem.severity) == ("content/statements/2025-03-20-a-statement.md", ERROR)
    assert problem.message == (f"this statement's address /{PAGE} is an old address of content/statements/"
                               "2025-03-20-renamed.md (in its aliases), which the site publishes: links and citations "
                               "of it lead to that statement")
    assert problem.hint == "give this statement a different 'slug:' or file name"
    published = snapshot(small.root / "public")
    assert not small.build().ok and snapshot(small.root / "public") == published
    # With no record of what was published (the cache deleted), the alias's file is told both ways out.
    shutil.rmtree(small.root / ".cache")
    (problem,) = [p for p in small.build(write=False).problems if p.severity == ERROR]
    assert (problem.path, problem.severity) == ("content/statements/2025-03-20-renamed.md", ERROR)
    assert problem.hint.startswith(f"if this statement was once published at /{PAGE}, keep the alias and give "
                                   "content/statements/2025-03-20-a-statement.md a different 'slug:' or file name")


def test_a_new_entry_at_an_old_address_the_site_publishes_is_told_to_take_another(small):
    """A person renamed keeps the old address in old_urls; a new person's file there took over the page and feed
    that readers follow, when the editor followed the error's hint (remove the old address)."""
    person = small.root / "content/people/maria-zakharova.md"
    text = person.read_text(encoding="utf-8")
    assert small.build().ok
    person.rename(person.with_name("mariya-zakharova.md")).write_text(
        text.replace("name:", "old_urls: [/people/maria-zakharova/]\nname:", 1), encoding="utf-8")
    assert small.build().ok
    person.write_text("---\nname: Maria Zakharova-Petrova\n---\n", encoding="utf-8")
    (problem,) = small.build(write=False).problems
    assert (problem.path, problem.severity) == ("content/people/maria-zakharova.md", ERROR)
    assert problem.message == ("this entry's address /people/maria-zakharova/ is an old address of "
                               "content/people/mariya-zakharova.md (in its old_urls), which the site publishes: links "
                               "to it, and its feed, are followed as that entry's")
    assert problem.hint == "give this entry a different file name, or a 'slug:' of its own"
    shutil.rmtree(small.root / ".cache")  # no record of what was published: told at old_urls, both ways out
    (problem,) = [p for p in small.build(write=False).problems if p.severity == ERROR]
    assert (problem.path, problem.message) == ("content/people/mariya-zakharova.md", "old_urls: /people/maria-zakharova/ "
                                               "is the address of content/people/maria-zakharova.md")
    assert problem.hint.startswith("if this entry was once published at /people/maria-zakharova/, keep it")


def test_a_published_entry_address_that_a_build_would_no_longer_make_is_told_at_the_file(small):
    """A person's or body's page is linked and followed: a registry file renamed, or its slug changed, with no
    old_urls to keep the address, would break those links; told before the page goes, as for a statement."""
    person = small.root / "content/people/maria-zakharova.md"
    text = person.read_text(encoding="utf-8")
    assert small.build().ok

    def told() -> list[tuple]:
        return [(p.path, p.line, p.severity, p.message, p.hint) for p in small.build(write=False).problems]

    moved = person.rename(person.with_name("mariya-zakharova.md"))  # the same name: found by it
    assert told() == [("content/people/mariya-zakharova.md", 1, WARNING,
                       "this entry was published at /people/maria-zakharova/, which a build would no longer make: "
                       "links to it would break",
                       "add it to this file's old_urls (old_urls: [/people/maria-zakharova/]), and the old address "
                       "leads here, as the README says under Addresses")]
    moved.write_text(text.replace("name:", "old_urls: [/people/maria-zakharova/]\nname:", 1), encoding="utf-8")
    assert told() == []
    # Renamed to a name that does not give the old slug, and the statements changed to it: told at the file removed.
    moved.write_text(text.replace("Maria Zakharova", "M. V. Zakharova"), encoding="utf-8")
    statement = small.root / "content/statements/2025-03-20-a-statement.md"
    statement.write_text(statement.read_text("utf-8").replace("Maria Zakharova", "M. V. Zakharova"), "utf-8")
    (problem,) = small.build(write=False).problems
    assert (problem.path, problem.message) == ("content/people/maria-zakharova.md", "this file is gone, and with it "
                                               "the published page at /people/maria-zakharova/: links to it would break")
    # The file removed while statements still name her: her name's own page keeps the address.
    moved.unlink()
    statement.write_text(statement.read_text("utf-8").replace("M. V. Zakharova", "Maria Zakharova"), "utf-8")
    assert [p.message for p in small.build(write=False).problems if "published" in p.message] == []
