"""Stage 1, load: files found, split into front matter and body, every key's line remembered."""

from __future__ import annotations

from statement_archive.load import content_files, decode, load_content, load_file, split_front_matter
from statement_archive.model import ERROR


def test_content_files_are_sorted_and_skip_hidden_and_backup_files(project):
    for name in ("b.md", "a.md", ".hidden.md", "_draft.md", "#autosave.md", "c.md~", "notes.txt"):
        project.write(f"content/people/{name}", "---\nname: X\n---\n")
    assert [p.name for p in content_files(project.root / "content", "people")] == ["a.md", "b.md"]


def test_content_files_of_a_missing_folder_is_empty(project):
    assert content_files(project.root / "content", "places") == []


def test_a_folder_of_content_that_is_a_link_leading_nowhere_is_an_error_not_an_empty_registry(project, tmp_path):
    """Moved away under a link (content/people -> a folder since renamed), its entries are out of reach, not
    deleted: built without them, every person would lose their page's details and some pages would go."""
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    people = project.root / "content" / "people"
    people.rename(tmp_path / "people-moved")
    people.symlink_to(tmp_path / "people-gone")
    problems = []
    assert content_files(project.root / "content", "people", problems) == []
    assert [(p.path, p.line, p.severity, p.message) for p in problems] == [
        ("content/people/", 1, ERROR, "cannot be read: it is a link to a folder that does not exist")]
    people.unlink()
    people.symlink_to(tmp_path / "people-moved")  # pointed at the folder again: read as before
    assert [p.name for p in content_files(project.root / "content", "people", problems)] == ["maria-zakharova.md"]


def test_load_file_splits_front_matter_and_body_and_records_lines(project):
    path = project.write("content/statements/2025-03-20-x.md", (
        "---\n"
        "title: A title\n"
        "date: 2025-03-20\n"
        "speakers:\n"
        "  - Maria Zakharova\n"
        "  - Sergey Markov\n"
        "quotes:\n"
        "  - speaker: Maria Zakharova\n"
        "    text: Words.\n"
        "---\n"
        "\n"
        "First paragraph.\n"
    ))
    source, problems = load_file(path, project.root)
    assert problems == []
    assert source.path == "content/statements/2025-03-20-x.md"
    assert source.meta["speakers"] == ["Maria Zakharova", "Sergey Markov"]
    assert source.meta["date"] == "2025-03-20", "dates stay text so validation can report bad ones"
    assert source.lines["title"] == 2
    assert source.lines["speakers[1]"] == 6
    assert source.lines["quotes[0].text"] == 9
    assert source.body == "First paragraph.\n"
    assert source.body_line == 12


def test_numbers_in_front_matter_stay_as_written_and_site_yaml_keeps_its_numbers(project):
    """YAML 1.1 reads 12:30 as 750 (base 60), 010 as 8 and 1_000 as 1000: a title is text as the editor typed it."""
    written = {"title": "12:30", "summary": "010", "date_note": "1_000", "author": "12.50", "event": "0x1F", "outlet": "1e3"}
    path = project.write("content/statements/2025-03-20-x.md", "---\n" + "".join(
        f"{key}: {value}\n" for key, value in written.items()) + "date: 2025-03-20\n---\n\nText.\n")
    source, problems = load_file(path, project.root)
    assert problems == [] and {key: source.meta[key] for key in written} == written
    tagged = project.write("content/statements/2025-03-21-y.md", "---\ntitle: !!int 010\n---\n\nText.\n")
    assert load_file(tagged, project.root)[0].meta["title"] == 8  # asked for a number: validation says so
    project.write("site.yaml", "title: T\nentity_page_limit: 25\nlatest_count: 0x0A\n")
    config = project.config()
    assert config.entity_page_limit == 25 and config.latest_count == 10


def test_a_file_gone_between_listing_and_reading_is_said_so_not_blamed_on_permissions(project):
    source, problems = load_file(project.root / "content" / "statements" / "2025-03-20-gone.md", project.root)
    assert source is None and [(p.line, p.message, p.hint) for p in problems] == [
        (1, "the file went away while the build was reading the content", "build again once the files are where they belong")]


def test_a_line_of_equals_signs_alone_is_markdown_not_a_merge_conflict(project):
    path = project.write("content/statements/2025-03-20-x.md", "---\ntitle: T\n---\n\nA heading\n=======\n\nText.\n")
    assert load_file(path, project.root)[1] == []


def test_a_file_saved_as_utf16_is_said_so_with_or_without_its_byte_order_mark():
    for raw in ("---\ntitle: T\n".encode("utf-16"), "---\ntitle: T\n".encode("utf-16-le"),
                "---\ntitle: T\n".encode("utf-16-be")):
        text, problem = decode(raw, "x.md")
        assert text is None and problem.message == "the file is saved as UTF-16, not UTF-8", raw[:4]


def test_decode_drops_a_byte_order_mark_and_normalises_line_endings():
    text, problem = decode("\ufeff---\r\ntitle: x\r\n---\rbody".encode("utf-8"), "f.md")
    assert problem is None
    assert text == "---\ntitle: x\n---\nbody"


def test_decode_reports_the_line_of_a_byte_that_is_not_utf8():
    text, problem = decode(b"---\ntitle: caf\xe9\n---\n", "f.md")
    assert text is None
    assert (problem.path, problem.line, problem.severity) == ("f.md", 2, ERROR)
    assert "UTF-8" in problem.message


def test_split_front_matter_needs_both_fences():
    assert split_front_matter("title: x\n", "f.md").message.startswith("the file does not start")
    assert "no closing" in split_front_matter("---\ntitle: x\n", "f.md").message
    assert split_front_matter("", "f.md").message == "the file is empty"


def test_malformed_yaml_is_a_problem_with_the_files_line(project):
    path = project.write("content/people/x.md", "---\nname: X\naliases: [a, b\nrole: y\n---\n")
    source, problems = load_file(path, project.root)
    assert source is None
    assert len(problems) == 1 and problems[0].severity == ERROR
    assert problems[0].line in (3, 4, 5)
    assert "YAML" in problems[0].message


def test_a_value_beginning_with_an_anchor_is_an_error_not_a_word_lost(project):
    """'title: &Co statement on visits' had published the title "statement on visits" without a word."""
    path = project.write("content/people/x.md", "---\nname: &Co Partners\nrole: \"&Co's head\"\naliases:\n"
                                                 "  - A & B\n  - &b Bee\n---\n")
    source, problems = load_file(path, project.root)
    assert [(p.line, p.severity, p.message) for p in problems] == [
        (2, ERROR, "'&Co' at the start of a value is read by YAML as a name for the value, and left out of it"),
        (6, ERROR, "'&b' at the start of a value is read by YAML as a name for the value, and left out of it")]
    assert source.meta["role"] == "&Co's head" and source.meta["aliases"] == ["A & B", "Bee"]


def test_load_content_collects_files_by_kind_and_every_problem(project):
    project.statement()
    project.entity("people", "maria-zakharova")
    project.write("content/people/broken.md", "no front matter\n")
    project.write("content/places/also-broken.md", "---\nname: [\n---\n")
    files, problems = load_content(project.root)
    assert [f.path for f in files["statements"]] == ["content/statements/2025-03-20-a-statement.md"]
    assert [f.path for f in files["people"]] == ["content/people/maria-zakharova.md"]
    assert files["places"] == []
    assert sorted(p.path for p in problems) == ["content/people/broken.md", "content/places/also-broken.md"]


def test_a_quote_left_open_is_found_on_its_own_line_and_closed_ones_are_not():
    from statement_archive.load import _unclosed_quote

    head = "\n".join(["", 'title: "He said \\"no\\" today"', '  "Maria Zakharova": "spokeswoman"', '  - "an item"',
                      "aliases: [\"a\", 'b']", 'summary: "left open', 'title_note: ""'])
    assert _unclosed_quote(head, 7) == 6
    assert _unclosed_quote(head, 5) is None  # the lines before it all close what they open


def test_a_tab_that_indents_is_told_at_its_line_though_a_tab_after_a_key_comes_first(project):
    """libyaml reads a tab between 'title:' and its value; the pure-Python reader, which words the errors, stops
    there. The error was told at that line, which is no fault, and not at the tab that indents, which is."""
    path = project.write("content/statements/2025-04-01-tab.md",
                         '---\ntitle:\t"Tab case"\ndate: 2025-04-01\noutlet: APA\nquotes:\n'
                         '  - speaker: Maria Zakharova\n\ttext: "x"\n---\n\nMaria Zakharova spoke.\n')
    _, problems = load_file(path, project.root)
    (problem,) = problems
    assert (problem.line, problem.severity) == (7, ERROR) and "tab" in problem.message
    assert problem.hint == "YAML does not allow tabs for indentation; indent with spaces"
    path.write_text('---\ntitle:\t"Tab case"\ndate: 2025-04-01\noutlet: APA\n---\n\nText.\n', encoding="utf-8")
    assert load_file(path, project.root)[1] == []  # the tab after 'title:' alone is read
