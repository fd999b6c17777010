"""The commands as an editor runs them: `python build.py [build|serve|new|check]`, in a copy of the project."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import subprocess_env
from http_helpers import fetch, free_port, wait_for

SUMMARY = re.compile(r"^Built (\d+) pages \((\d+) statements, (\d+) people, (\d+) organisations\) in [\d.]+ s into (.+) "
                     r"\((\d+) file\(s\) written besides the search index\)$")
UP_TO_DATE = re.compile(r"^Up to date: nothing changed since the last build of (\d+) pages \((\d+) statements, "
                        r"(\d+) people, (\d+) organisations\) into (.+) \(checked in [\d.]+ s\)$")


def run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "build.py", *args], cwd=project, env=subprocess_env(**env),
                          capture_output=True, text=True, timeout=120)


PLACEHOLDER_NOTE = "Note: base_url's host statements.example.org is a name reserved for examples"


def lines(done: subprocess.CompletedProcess) -> list[str]:
    """What a build printed, but the note on site.yaml's placeholder host, which every build of the project prints."""
    return [line for line in done.stdout.splitlines() if not line.startswith(PLACEHOLDER_NOTE)]


def count(project: Path, kind: str) -> int:
    return len(list((project / "content" / kind).glob("*.md")))


def test_a_build_whose_reader_goes_away_ends_without_a_traceback(real_project_copy):
    """`build.py | head -1`: the reader of the output has gone when the build prints its summary."""
    reader, writer = os.pipe()
    os.close(reader)  # gone before the build writes anything
    try:
        done = subprocess.run([sys.executable, "build.py", "--output", "out"], cwd=real_project_copy,
                              env=subprocess_env(), stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(writer)
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr
    assert done.returncode == 1
    assert (real_project_copy / "out" / "index.html").is_file()  # the build itself was done


def test_build_prints_one_summary_line_with_the_counts(real_project_copy):
    done = run(real_project_copy)  # no options: the output folder of site.yaml
    assert done.returncode == 0, done.stderr
    printed = done.stdout.splitlines()
    assert len(printed) == 2, done.stdout
    match = SUMMARY.match(printed[0])
    assert match, printed[0]
    pages, statements, people, organisations, where, written = match.groups()
    assert int(written) >= int(pages)
    assert int(statements) == count(real_project_copy, "statements")
    assert int(people) == count(real_project_copy, "people")
    assert int(organisations) == count(real_project_copy, "organisations")
    assert int(pages) >= int(statements) + int(people) + int(organisations)
    output = real_project_copy / "public"  # output_dir in site.yaml
    assert Path(where) == output.resolve()
    assert (output / "index.html").is_file()
    # The project's site.yaml has a placeholder host: every build says so, until an editor sets the real one.
    assert printed[1].startswith(PLACEHOLDER_NOTE) and "set base_url in site.yaml" in printed[1], printed[1]


def test_a_real_host_gets_no_note_and_every_reserved_name_does(real_project_copy, tmp_path):
    """Citations, feeds and canonical links made with example.org or a .test host lead nowhere once published."""
    done = run(real_project_copy, "--output", str(tmp_path / "out"), "--base-url", "https://statements.az/archive/")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1 and SUMMARY.match(done.stdout.strip()), done.stdout
    from statement_archive.config import placeholder_host

    for url in ("https://example.com/", "http://www.example.net/x/", "https://news.example/", "https://site.test/",
                "https://EXAMPLE.ORG./", "http://localhost:8000/", "https://a.invalid/"):
        assert placeholder_host(url), url
    for url in ("https://statements.az/", "https://example.org.az/", "https://myexample.org/", "/archive/"):
        assert placeholder_host(url) is None, url


def test_the_summary_says_what_a_build_changed_and_when_nothing_had_to_be(real_project_copy):
    """An editor who saves a file, or builds twice, is told what the build did: a few files written for an edit,
    nothing at all when nothing changed (not "Built N pages" again)."""
    first = SUMMARY.match(lines(run(real_project_copy))[0])
    assert first
    again = run(real_project_copy)
    assert again.returncode == 0, again.stderr
    match = UP_TO_DATE.match(lines(again)[0])
    assert match, again.stdout
    assert match.groups()[:5] == first.groups()[:5]
    path = sorted((real_project_copy / "content" / "statements").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence the editors added.\n", encoding="utf-8")
    edited = SUMMARY.match(lines(run(real_project_copy))[0])
    assert edited, "an edit gets the summary of a build"
    assert 0 < int(edited.group(6)) < int(first.group(6)) / 4
    # Saved again as it was (its time changes, not its bytes): the build looks, finds nothing to write, and says so.
    os.utime(path)
    resaved = run(real_project_copy)
    assert UP_TO_DATE.match(lines(resaved)[0]), resaved.stdout
    # A file with errors, no build before: the message does not say an earlier site was left as it was.
    path.write_text("", encoding="utf-8")
    failed = run(real_project_copy, "--output", str(real_project_copy / "nowhere-yet"))
    assert failed.returncode == 1
    assert f"nothing was written to {(real_project_copy / 'nowhere-yet').resolve()}" in failed.stderr, failed.stderr
    assert "left as it was" not in failed.stderr
    failed = run(real_project_copy)
    assert "the site in" in failed.stderr and "was left as it was" in failed.stderr


def test_a_build_says_which_published_pages_are_gone_until_an_old_address_covers_them(real_project_copy):
    people = real_project_copy / "content" / "people"
    statements = sorted((real_project_copy / "content" / "statements").glob("*.md"))
    assert run(real_project_copy).returncode == 0
    (people / "abbas-ganbay.md").rename(people / "abbas-qanbay.md")  # renamed, old address forgotten
    statement = statements[0].read_text(encoding="utf-8")
    statements[0].write_text(statement.replace("\n---\n", "\nslug: a-new-slug\n---\n", 1), encoding="utf-8")
    done = run(real_project_copy)
    assert done.returncode == 0, done.stderr
    summary, note = lines(done)
    assert SUMMARY.match(summary)
    assert note.startswith("Note: 2 page(s) of the last build are gone, and links to them now break: ")
    assert "/people/abbas-ganbay/" in note and re.search(r"/statements/\d{4}/\d\d/\d\d/[^/ ]+/", note)
    assert "old_urls" in note and "aliases" in note
    # Before the build published that, it said so at the statement's file, at the slug that moved the address.
    slug_line = statement[:statement.index("\n---\n")].count("\n") + 2  # where the closing --- was
    person, statement_told = done.stderr.splitlines()[:2]
    assert statement_told.startswith(f"content/statements/{statements[0].name}:{slug_line}: warning: this statement "
                                     "was published at /statements/"), done.stderr
    # And at the person's new file, found by the old spelling it keeps among its aliases, with the old_urls to add.
    assert person == ("content/people/abbas-qanbay.md:1: warning: this entry was published at /people/abbas-ganbay/, "
                      "which a build would no longer make: links to it would break (add it to this file's old_urls "
                      "(old_urls: [/people/abbas-ganbay/]), and the old address leads here, as the README says under "
                      "Addresses)")
    # The person's old address listed in the file it moved to: it redirects, and nothing more is gone.
    (people / "abbas-qanbay.md").write_text((people / "abbas-qanbay.md").read_text(encoding="utf-8").replace(
        "name:", "old_urls: [/people/abbas-ganbay/]\nname:", 1), encoding="utf-8")
    done = run(real_project_copy)
    assert done.returncode == 0 and len(lines(done)) == 1, done.stdout
    assert len(run(real_project_copy, "--quiet").stdout) == 0
    # --quiet had kept the note back, so a statement whose file was renamed '.x.md' (passed over) went in silence.
    statements[0].rename(statements[0].with_name("." + statements[0].name))
    done = run(real_project_copy, "--quiet")
    assert done.returncode == 0 and done.stdout == ""
    told, note = done.stderr.splitlines()
    assert told.startswith(f"content/statements/{statements[0].name}:1: warning: this file is gone, and with it the "
                           "published statement at /statements/"), told
    assert note.startswith("Note: 2 page(s) of the last build are gone, and links to them now break: /statements/")  # and its year


def test_a_folder_by_date_goes_with_its_last_statement_and_is_not_named_as_gone(real_project_copy):
    """/statements/2016/12/ leads to the timeline while a statement of that month is there; when the statement moves
    to another month, the folder's page goes and the new month's comes, and the note names only the statement's page."""
    output = real_project_copy / "public"
    path = sorted((real_project_copy / "content" / "statements").glob("2016-12-28-*.md"))[0]
    assert run(real_project_copy).returncode == 0
    assert (output / "statements/2016/12/index.html").is_file()
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2016-12-28", "date: 2016-11-28", 1), encoding="utf-8")
    done = run(real_project_copy)
    assert done.returncode == 0, done.stderr
    note = lines(done)[1]
    assert note.startswith("Note: 1 page(s) of the last build are gone, and links to them now break: /statements/2016/12/28/")
    assert "/statements/2016/12/." not in note and "/statements/2016/12/ " not in note
    assert not (output / "statements/2016/12/index.html").exists()
    page = (output / "statements/2016/11/index.html").read_text(encoding="utf-8")
    assert "<h1>Statements of November 2016</h1>" in page and 'href="/timeline/2016/#y2016-11"' in page


def test_check_names_the_published_pages_a_build_would_remove_before_it_removes_them(real_project_copy):
    people = real_project_copy / "content" / "people"
    assert run(real_project_copy).returncode == 0
    (people / "abbas-ganbay.md").rename(people / "abbas-qanbay.md")  # renamed, old address forgotten
    done = run(real_project_copy, "check")
    assert done.returncode == 0, done.stderr
    assert "Note: 1 page(s) of the site published in " in done.stderr
    assert " would be gone after a build, and links to them would break: /people/abbas-ganbay/." in done.stderr
    (people / "abbas-qanbay.md").write_text((people / "abbas-qanbay.md").read_text(encoding="utf-8").replace(
        "name:", "old_urls: [/people/abbas-ganbay/]\nname:", 1), encoding="utf-8")
    assert "Note:" not in run(real_project_copy, "check").stderr  # the old address will redirect


def test_an_old_address_that_no_longer_redirects_is_named_as_gone(real_project_copy):
    """A slug changed twice, the second alias put in place of the first: the first address redirected, and goes."""
    path = sorted((real_project_copy / "content" / "statements").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    date = re.search(r"^date: (\d{4})-(\d\d)-(\d\d)$", text, re.M).groups()
    first = "/statements/{}/{}/{}/".format(*date) + path.stem[11:] + "/"
    path.write_text(text.replace("\n---\n", f"\nslug: second\naliases: [{first}]\n---\n", 1), encoding="utf-8")
    assert run(real_project_copy).returncode == 0
    second = "/statements/{}/{}/{}/second/".format(*date)
    path.write_text(text.replace("\n---\n", f"\nslug: third\naliases: [{second}]\n---\n", 1), encoding="utf-8")
    done = run(real_project_copy)
    assert done.returncode == 0, done.stderr
    summary, note = lines(done)
    assert note.startswith(f"Note: 1 page(s) of the last build are gone, and links to them now break: {first}."), note


def test_year_pages_that_go_are_named_with_why(real_project_copy):
    site_yaml = real_project_copy / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(text + "\nentity_page_limit: 2\n", encoding="utf-8")
    assert run(real_project_copy).returncode == 0
    assert (real_project_copy / "public" / "places" / "moscow" / "2023" / "index.html").is_file()
    site_yaml.write_text(text, encoding="utf-8")  # the default limit, 100: no entity has year pages
    done = run(real_project_copy)
    assert done.returncode == 0, done.stderr
    summary, note = lines(done)
    assert "/places/moscow/2023/" in note and "entity_page_limit; a lower limit keeps theirs." in note
    assert not (real_project_copy / "public" / "places" / "moscow" / "2023").exists()


def test_with_no_record_of_the_last_build_the_published_folder_says_which_pages_are_gone(real_project_copy):
    """The cache deleted (or the program upgraded) between two builds: the pages are compared with
    those of the published folder itself, and the note still names the page that went away."""
    import shutil

    people = real_project_copy / "content" / "people"
    assert run(real_project_copy).returncode == 0
    shutil.rmtree(real_project_copy / ".cache")
    (people / "abbas-ganbay.md").rename(people / "abbas-qanbay.md")
    done = run(real_project_copy)
    assert done.returncode == 0, done.stderr
    summary, note = lines(done)
    assert note.startswith("Note: 1 page(s) of the last build are gone, and links to them now break: "
                           "/people/abbas-ganbay/."), note
    shutil.rmtree(real_project_copy / ".cache")
    done = run(real_project_copy)  # nothing went away since: the published folder is the last build's
    assert done.returncode == 0 and len(lines(done)) == 1, done.stdout


def test_output_and_base_url_on_the_command_line_override_site_yaml(real_project_copy, tmp_path):
    done = run(real_project_copy, "--output", str(tmp_path / "out"), "--base-url", "/archive/")
    assert done.returncode == 0, done.stderr
    summary, note = lines(done)
    assert SUMMARY.match(summary).group(5) == str((tmp_path / 'out').resolve())
    # A path with no host makes a site whose links work, but whose sitemap, feeds and citation files lack a host.
    assert note.startswith("Note: base_url /archive/ has no host, so the sitemap, the feeds' ids, the JSON-LD and the "
                           "citation files give addresses without one") and note.endswith("(https://…/archive/).")
    assert not (real_project_copy / "public").exists()
    home = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="(/[^"]*)"', home)
    assert hrefs and all(h.startswith("/archive/") for h in hrefs), hrefs


def test_a_failed_build_reports_file_and_line_and_keeps_the_published_site(real_project_copy, tmp_path):
    output = tmp_path / "out"
    assert run(real_project_copy, "--output", str(output)).returncode == 0
    before = (output / "index.html").read_bytes()
    broken = real_project_copy / "content" / "statements" / "2099-01-01-broken.md"
    broken.write_text("---\ntitle: Broken\ndate: 2025-02-30\noutlet: APA\n---\n\nText.\n", encoding="utf-8")
    done = run(real_project_copy, "--output", str(output))
    assert done.returncode == 1
    assert "content/statements/2099-01-01-broken.md:3:" in done.stderr
    assert "Traceback" not in done.stderr
    assert (output / "index.html").read_bytes() == before


def test_a_file_name_that_is_not_utf8_is_an_error_naming_the_file_not_a_traceback(real_project_copy):
    """Saved by an older system (Latin-1 "é"), the name once crashed the build as it saved its cache."""
    import os

    folder = real_project_copy / "content" / "statements"
    first = sorted(folder.glob("*.md"))[0]
    os.rename(first, os.path.join(os.fsencode(folder), b"2023-12-27-caf\xe9-community.md"))
    for command in ("check", "build"):
        done = run(real_project_copy, command)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert ("content/statements/2023-12-27-caf\ufffd-community.md:1: the file's name is not in UTF-8, and "
                "cannot be read (rename it, with letters, digits and '-' only)") in done.stderr
    assert not (real_project_copy / "public").exists()


def test_check_validates_without_writing(real_project_copy):
    done = run(real_project_copy, "check")
    assert done.returncode == 0, done.stderr
    assert "0 error(s)" in done.stderr
    assert not (real_project_copy / "public").exists()


def test_new_writes_a_statement_file_ready_to_fill_and_never_overwrites(real_project_copy):
    done = run(real_project_copy, "new", "Ilham Əliyev on the Victory", "--date", "2025-05-09")
    assert done.returncode == 0, done.stderr
    path = real_project_copy / "content" / "statements" / "2025-05-09-ilham-eliyev-on-the-victory.md"
    assert "content/statements/2025-05-09-ilham-eliyev-on-the-victory.md" in done.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert "title: Ilham Əliyev on the Victory" in text
    assert re.search(r"^date: '?2025-05-09'?$", text, re.MULTILINE)
    for key in ("outlet:", "speakers:", "organisations:", "event:", "places:", "mentions:", "quotes:", "roles:"):
        assert key in text, key
    # The file is in the pipeline straight away: check asks for what is still missing.
    checked = run(real_project_copy, "check")
    assert checked.returncode == 1
    assert "2025-05-09-ilham-eliyev-on-the-victory.md" in checked.stderr and "outlet" in checked.stderr
    # A second `new` with the same title leaves the file alone.
    path.write_text(text + "\nThe editor's text.\n", encoding="utf-8")
    again = run(real_project_copy, "new", "Ilham Əliyev on the Victory", "--date", "2025-05-09")
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert path.read_text(encoding="utf-8") == text + "\nThe editor's text.\n"


def test_new_refuses_an_old_address_the_published_site_keeps_for_another_statement(real_project_copy):
    statements = real_project_copy / "content" / "statements"
    (old,) = statements.glob("2025-03-20-*.md")
    assert run(real_project_copy, "build", "--quiet").returncode == 0
    text = old.read_text(encoding="utf-8")
    renamed = old.with_name("2025-03-20-zakharova-on-the-visits.md")
    old.rename(renamed).write_text(text.replace("---\n", f"---\naliases: [/statements/2025/03/20/{old.stem[11:]}/]\n",
                                                1), encoding="utf-8")
    assert run(real_project_copy, "build", "--quiet").returncode == 0
    title = " ".join(old.stem[11:].split("-"))  # gives the old file's name, and so its address
    done = run(real_project_copy, "new", title, "--date", "2025-03-20")
    assert done.returncode == 1 and not old.exists()
    assert done.stderr.startswith(f"error: the site publishes /statements/2025/03/20/{old.stem[11:]}/ for "
                                  "content/statements/2025-03-20-zakharova-on-the-visits.md"), done.stderr
    assert "Run the command again with another title" in done.stderr


def test_import_refuses_an_old_address_the_published_site_keeps_for_another_statement(real_project_copy, tmp_path):
    """As `new` does: an article whose headline and date give the old address of a renamed statement would take over
    the citations that lead there."""
    statements = real_project_copy / "content" / "statements"
    (old,) = statements.glob("2025-03-20-*.md")
    assert run(real_project_copy, "build", "--quiet").returncode == 0
    text = old.read_text(encoding="utf-8")
    old.rename(old.with_name("2025-03-20-zakharova-on-the-visits.md")).write_text(text.replace(
        "---\n", f"---\naliases: [/statements/2025/03/20/{old.stem[11:]}/]\n", 1), encoding="utf-8")
    assert run(real_project_copy, "build", "--quiet").returncode == 0
    article = tmp_path / "article.txt"
    article.write_text(" ".join(old.stem[11:].split("-")).capitalize() + "\n\nMoscow, 20 March 2025. The spokeswoman "
                       "of the ministry spoke to journalists about the visits of the two leaders on Thursday.\n",
                       encoding="utf-8")
    done = run(real_project_copy, "import", str(article))
    assert done.returncode == 1 and not old.exists(), done.stderr
    assert done.stderr.startswith(f"error: the site publishes /statements/2025/03/20/{old.stem[11:]}/ for "
                                  "content/statements/2025-03-20-zakharova-on-the-visits.md"), done.stderr
    assert f"nothing was written for {article}. If it is that statement, do not import it again" in done.stderr


def test_new_names_the_file_after_the_first_words_of_a_very_long_title(real_project_copy):
    """A 300-letter headline made a file name the disk refuses (OSError: File name too long)."""
    title = "Statement " + " ".join(f"word{i}" for i in range(60))
    done = run(real_project_copy, "new", title, "--date", "2025-05-09")
    assert done.returncode == 0, done.stderr
    (path,) = (real_project_copy / "content" / "statements").glob("2025-05-09-statement-word0-*.md")
    slug = path.stem[len("2025-05-09-"):]
    assert len(slug) <= 70 and slug.endswith(tuple(f"-word{i}" for i in range(60)))  # cut at a word
    assert f"title: {title}" in path.read_text(encoding="utf-8").replace("\n  ", " ")  # the title itself is whole


def test_new_refuses_an_empty_title(real_project_copy):
    before = sorted((real_project_copy / "content" / "statements").iterdir())
    done = run(real_project_copy, "new", "  ")
    assert done.returncode == 2 and "error: the title is empty" in done.stderr
    assert sorted((real_project_copy / "content" / "statements").iterdir()) == before


def test_new_dates_the_file_by_source_date_epoch(real_project_copy):
    done = run(real_project_copy, "new", "A statement", SOURCE_DATE_EPOCH="1700000000")
    assert done.returncode == 0, done.stderr
    text = (real_project_copy / "content" / "statements" / "2023-11-14-a-statement.md").read_text(encoding="utf-8")
    assert re.search(r"^added: 2023-11-14 ", text, re.MULTILINE)  # the day the archive added it: today, so dated
    dated = run(real_project_copy, "new", "An old statement", "--date", "2016-12-28", SOURCE_DATE_EPOCH="1700000000")
    assert dated.returncode == 0, dated.stderr
    text = (real_project_copy / "content" / "statements" / "2016-12-28-an-old-statement.md").read_text(encoding="utf-8")
    assert re.search(r"^added: 2023-11-14 ", text, re.MULTILINE)


@pytest.mark.parametrize("date, said", [("2024-02-30", "is not a real calendar date: check the day and month"),
                                        ("20240210", "is not a date in the form YYYY-MM-DD"),
                                        ("10 February 2024", "is not a date in the form YYYY-MM-DD")])
def test_new_tells_a_date_out_of_form_from_one_not_in_the_calendar(real_project_copy, date, said):
    """As check tells them apart: 30 February is in the form and no day; a date Python would also read ("20240210")
    is not in the form the files use."""
    done = run(real_project_copy, "new", "A statement", "--date", date)
    assert done.returncode == 2 and done.stderr.strip() == f"error: --date {date!r} {said}"
    assert not list((real_project_copy / "content" / "statements").glob("*a-statement.md"))


@pytest.mark.parametrize("command", [[], ["build"], ["serve"], ["new"], ["check"]], ids=lambda c: c[0] if c else "top")
def test_every_command_has_help(real_project_copy, command):
    done = run(real_project_copy, *command, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: build.py")
    assert not (real_project_copy / "public").exists(), "--help does not build"


def test_serve_serves_the_site_and_rebuilds_after_a_change(real_project_copy, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    statement = real_project_copy / "content" / "statements" / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    if not statement.exists():
        pytest.skip(f"{statement.name} is no longer in content/")
    page = "statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "build.py", "serve", "--port", str(port), "--output", str(tmp_path / "out")],
                                  cwd=real_project_copy, env=subprocess_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/"
        status, home = wait_for(lambda: fetch(base), 30, "the server did not answer")
        assert status == 200 and "<h1>" in home
        status, before = fetch(base + page)
        assert status == 200 and "Maria Zakharova on the visits" in before
        assert fetch(base + "no/such/page/")[0] == 404

        text = statement.read_text(encoding="utf-8")
        statement.write_text(text.replace('title: "Maria Zakharova on the visits', 'title: "Changed title: Maria Zakharova on the visits', 1),
                             encoding="utf-8")
        wait_for(lambda: "Changed title: Maria Zakharova" in fetch(base + page)[1], 30, "the page was not rebuilt")
        # A build reads the watched files; reading is no change, so the server must then fall quiet.
        time.sleep(3)
        rebuilds = log.read_text(encoding="utf-8").count("change seen")
        time.sleep(3)
        assert log.read_text(encoding="utf-8").count("change seen") == rebuilds, "it keeps rebuilding with nothing changed"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        print(log.read_text(encoding="utf-8"))  # shown by pytest only when the test fails


def test_a_no_change_build_repeats_the_problems_without_loading_the_pipeline(real_project_copy):
    """Nothing changed: the same problems and counts as the build before, from modules that load no pipeline."""
    path = sorted((real_project_copy / "content" / "statements").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^speakers: \[", "speakers: [Someone Entirely New, ", text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")
    first = run(real_project_copy)
    assert first.returncode == 0, first.stderr
    assert "Someone Entirely New" in first.stderr and ": warning: " in first.stderr
    command = [sys.executable, "-X", "importtime", "build.py"]
    again = subprocess.run(command, cwd=real_project_copy, env=subprocess_env(), capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert "statement_archive.nochange" in imported
    assert not imported & {"statement_archive.pipeline", "statement_archive.incremental", "statement_archive.model",
                           "dataclasses", "jinja2", "markdown", "yaml"}
    problems = [line for line in again.stderr.splitlines() if not line.startswith("import time:")]
    assert problems == first.stderr.splitlines()
    assert UP_TO_DATE.match(lines(again)[0]).groups()[:4] == SUMMARY.match(lines(first)[0]).groups()[:4]


def test_the_no_change_check_and_the_build_after_it_look_at_the_inputs_once(real_project_copy, monkeypatch):
    """Every input file's identity (a stat each: 13,500 at 10,000 statements) is taken once per build,
    before anything is read, and what the build records lets the next run see that nothing changed."""
    import argparse

    from statement_archive import cli, nochange
    from statement_archive.config import load_config

    args = argparse.Namespace(output=None, base_url=None, strict=False, quiet=True)
    assert cli.run_build(args, real_project_copy, quiet=True)[0] == 0  # a last build for the check to compare with
    path = sorted((real_project_copy / "content" / "statements").glob("*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nA paragraph added by the test.\n", encoding="utf-8")
    looks = []
    original = nochange.input_manifest
    monkeypatch.setattr(nochange, "input_manifest", lambda root: looks.append(root) or original(root))
    status, lines = cli.run_build(args, real_project_copy, quiet=True)
    assert status == 0, lines
    assert len(looks) == 1
    config, _ = load_config(real_project_copy)
    assert nochange.unchanged_build(config, False) is not None


def test_the_process_ends_without_teardown_yet_a_profiler_still_gets_its_report(real_project_copy, tmp_path):
    # build.py ends with os._exit (the OS frees the build's objects at once); under a profiler or
    # coverage tool it exits normally, so their reports are still written.
    report = tmp_path / "build.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(report), "build.py", "check"],
                          cwd=real_project_copy, env=subprocess_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "0 error(s)" in done.stderr
    assert report.is_file() and report.stat().st_size > 0


def test_a_python_without_the_project_s_libraries_is_told_how_to_install_them(real_project_copy):
    """`python build.py check` with the system's Python (as `new` used to suggest) gave a ModuleNotFoundError."""
    hide = "import runpy, sys; sys.modules['frontmatter'] = None; sys.argv = ['build.py', 'check']; " \
           "runpy.run_path('build.py', run_name='__main__')"
    done = subprocess.run([sys.executable, "-c", hide], cwd=real_project_copy, env=subprocess_env(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "the library 'frontmatter' that the build needs is not installed" in done.stderr
    assert "make check" in done.stderr and ".venv/bin/python build.py" in done.stderr


def test_the_libraries_build_py_names_are_those_pyproject_toml_installs():
    import importlib.util
    import tomllib

    spec = importlib.util.spec_from_file_location("build_entry", Path(__file__).resolve().parents[1] / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    import_names = {"pyyaml": "yaml", "python-frontmatter": "frontmatter"}  # where the two differ
    required = {re.split(r"[\[<>=!~ ]", d, maxsplit=1)[0].lower() for d in pyproject["project"]["dependencies"]}
    assert {import_names.get(name, name) for name in required} == build.LIBRARIES


@pytest.mark.parametrize("command", ["new", "import"])
def test_new_and_import_say_why_they_could_not_write_the_file(command, tmp_path, capsys, monkeypatch):
    """A folder of statements this user may not write into (or a full disk) was a PermissionError traceback."""
    from statement_archive import importer, newfile
    from test_bad_input import make_site, run as run_here

    root = make_site(tmp_path / "site", "_base")
    article = tmp_path / "article.txt"
    article.write_text("Moscow, 3 May 2024 (APA). Maria Zakharova said the talks went well.\n", encoding="utf-8")

    def refused(path, mode="r", *args, **kwargs):
        if "x" in mode or "w" in mode:
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, mode, *args, **kwargs)  # the article is read as ever

    monkeypatch.setattr(newfile if command == "new" else importer, "open", refused, raising=False)
    argv = ["new", "A statement"] if command == "new" else ["import", str(article)]
    status, _, printed = run_here(root, *argv, capsys=capsys)
    assert status == 1, printed
    assert "Traceback" not in printed
    assert re.search(r"error: could not write content/statements/[^ ]+\.md: Permission denied; nothing was written\. "
                     r"Check that content/statements/ is writable", printed), printed
    assert sorted(p.name for p in (root / "content" / "statements").iterdir()) == ["2025-03-20-briefing.md"]


def test_a_cache_folder_that_is_a_file_is_named_as_the_cache_not_the_site(tmp_path, capsys):
    """It said "could not write the site into OUT: Not a directory", which sent the editor to the wrong folder."""
    from test_bad_input import make_site, run as run_here

    root = make_site(tmp_path / "site", "_base")
    (root / ".cache").write_text("not a folder", encoding="utf-8")
    status, _, printed = run_here(root, "build", "--output", str(tmp_path / "out"), capsys=capsys)
    assert status == 1 and "Traceback" not in printed
    assert f"error: could not write the build's cache, {root / '.cache'}" in printed, printed
    assert f"; the cache is safe to delete: remove {root / '.cache'}" in printed
    assert printed.splitlines()[-1] == f"Build failed: 1 error(s); nothing was written to {(tmp_path / 'out').resolve()}."
    assert not (tmp_path / "out").exists()


def test_a_command_run_in_process_gives_back_the_sigterm_handler_it_found(tmp_path, capsys):
    """A command handles SIGTERM as Ctrl-C while it runs (test_output_safety, test_serve); a program that runs it in
    its own process (a test runner, a script) has its own handler back afterwards."""
    import signal

    from test_bad_input import make_site
    from test_bad_input import run as run_in_process

    def mine(signum, frame):
        pass

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        status, problems, printed = run_in_process(make_site(tmp_path / "site"), "check", capsys=capsys)
        assert status == 0 and not problems, printed
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)
