"""newfile.py: `build.py new` writes a statement file that the build reads, that asks for what is missing,
and that passes once filled in.

test_cli.py runs the command itself (its messages, a very long title, SOURCE_DATE_EPOCH, an empty
title); these tests call new_statement directly and read what it wrote the way the build does.
"""

from __future__ import annotations

import datetime as dt

import frontmatter
import pytest

from statement_archive.load import load_file
from statement_archive.model import PLACEHOLDER_TEXT
from statement_archive.newfile import AddressTaken, new_statement

DATE = dt.date(2025, 3, 20)
KEYS = ["title", "date", "title_note", "date_note", "outlet", "source_url", "author", "speakers", "organisations",
        "event", "places", "mentions", "summary", "quotes", "roles", "added"]


def fill(path, outlet: str = "APA", text: str = "The words of the article.") -> None:
    """What an editor does at least: name the outlet and paste the article's text."""
    written = path.read_text(encoding="utf-8")
    assert written.count('outlet: ""') == 1 and written.count(PLACEHOLDER_TEXT) == 1
    path.write_text(written.replace('outlet: ""', f'outlet: "{outlet}"').replace(PLACEHOLDER_TEXT, text),
                    encoding="utf-8")


def test_the_file_is_named_by_date_and_title_and_its_front_matter_parses(project):
    path = new_statement(project.root, "Zakharova on the talks", DATE)
    assert path == project.root / "content" / "statements" / "2025-03-20-zakharova-on-the-talks.md"
    post = frontmatter.loads(path.read_text(encoding="utf-8"))
    assert list(post.metadata) == KEYS  # title and date first, then every key to fill, in the README's order
    assert post["title"] == "Zakharova on the talks"
    assert post["date"] == DATE and post["added"] == DATE  # YAML dates, unquoted; added is the date when not given
    assert post["outlet"] == "" and post["speakers"] == [] and post["roles"] == {} and post["quotes"] == []
    assert post.content == PLACEHOLDER_TEXT


def test_added_is_the_day_the_archive_adds_it(project):
    """A statement of years ago added today sorts by the day it was added (model.StatementRecord.modified)."""
    path = new_statement(project.root, "An old statement", DATE, added=dt.date(2026, 1, 5))
    assert frontmatter.loads(path.read_text(encoding="utf-8"))["added"] == dt.date(2026, 1, 5)


def test_unfilled_it_is_refused_for_exactly_the_outlet_and_the_text_at_their_lines(project):
    """Every other key the file offers is one the validation knows and accepts empty: an editor who fills only what
    is required gets no warning about the rest."""
    path = new_statement(project.root, "Zakharova on the talks", DATE)
    lines = path.read_text(encoding="utf-8").splitlines()
    problems, _ = project.check()
    rel = "content/statements/2025-03-20-zakharova-on-the-talks.md"
    assert [(p.path, p.line, p.severity) for p in problems] == [
        (rel, lines.index('outlet: ""           # required: the news outlet, e.g. APA') + 1, "error"),
        (rel, lines.index(PLACEHOLDER_TEXT) + 1, "error"),
    ]
    assert "outlet" in problems[0].message and "placeholder" in problems[1].message


def test_filled_in_it_passes_without_a_problem_and_gets_its_page_address(project):
    project.entity("outlets", "apa", name="APA")
    path = new_statement(project.root, "Zakharova on the talks", DATE, added=dt.date(2025, 4, 1))
    fill(path)
    problems, index = project.check()
    assert problems == []
    (statement,) = index.statements
    assert statement.path == "statements/2025/03/20/zakharova-on-the-talks/"
    assert statement.record.added == dt.date(2025, 4, 1)
    assert statement.body.paragraphs[0].text == "The words of the article."


@pytest.mark.parametrize("title", [
    "yes", "null", "2025-03-20", "12:30", "010", "#1 priority", "Zakharova: on the talks", "'quoted' words",
    "- a dash first", "[brackets]", "Захарова о переговорах", "Ilham Əliyev on the Victory",
    "Flags 🇦🇿 🇷🇺: \"talks\" 🙂", "a \\U0001F642 as text", "'a \\U0001F642' \"b\"",
    "A headline long enough that YAML folds it onto a second line when it writes the front matter out",
])
def test_any_title_reads_back_as_the_same_text(project, title):
    """A title that looks like a date, a number, a boolean, a comment or a list to YAML is written quoted."""
    path = new_statement(project.root, title, DATE)
    source, problems = load_file(path, project.root)
    assert problems == []
    assert source.meta["title"] == title
    assert source.meta["date"] == "2025-03-20"


def test_an_emoji_or_a_flag_in_the_title_is_written_as_itself(project):
    """PyYAML writes them as \\U0001F642 escapes, which the editor then had to read and edit."""
    path = new_statement(project.root, "Flags 🇦🇿 🇷🇺 🙂", DATE)
    text = path.read_text(encoding="utf-8")
    assert "Flags 🇦🇿 🇷🇺 🙂" in text.split("\n")[1] and "\\U" not in text


def test_a_title_without_letters_or_digits_still_gets_a_file_name(project):
    assert new_statement(project.root, "!!! ???", DATE).name == "2025-03-20-statement.md"


def test_it_never_overwrites_a_file_even_for_another_title_with_the_same_name(project):
    first = new_statement(project.root, "A statement", DATE)
    first.write_text(first.read_text(encoding="utf-8") + "\nThe editor's work.\n", encoding="utf-8")
    kept = first.read_text(encoding="utf-8")
    for title in ("A statement", "A Statement!"):  # the same file name
        with pytest.raises(FileExistsError):
            new_statement(project.root, title, DATE)
    assert first.read_text(encoding="utf-8") == kept
    assert new_statement(project.root, "A statement", DATE + dt.timedelta(days=1)).exists()  # another day: a new file


def test_it_never_takes_an_address_the_site_publishes_for_another_file(project):
    """A statement renamed keeps its old address in its aliases; a new file there would take over the citations
    of the other statement. Its own address gone with its file, the address may be used again."""
    owner = project.statement("2025-03-21-renamed", aliases=["/statements/2025/03/20/a-statement/"])
    published = {"statements/2025/03/20/a-statement/": "content/statements/2025-03-21-renamed.md"}
    with pytest.raises(AddressTaken) as taken:
        new_statement(project.root, "A statement", DATE, published=published)
    assert (taken.value.address, taken.value.owner) == ("statements/2025/03/20/a-statement/", published[
        "statements/2025/03/20/a-statement/"])
    assert not (project.root / "content/statements/2025-03-20-a-statement.md").exists()
    assert new_statement(project.root, "Another statement", DATE, published=published).exists()
    owner.unlink()  # its file removed: nothing is published for a file that is there
    assert new_statement(project.root, "A statement", DATE, published=published).exists()


def test_the_folder_of_statements_is_made_if_missing(tmp_path):
    path = new_statement(tmp_path / "new-archive", "The first one", DATE)
    assert path.parent == tmp_path / "new-archive" / "content" / "statements" and path.is_file()
