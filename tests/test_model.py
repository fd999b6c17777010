"""model.py: the plain data passed between stages, and the few values derived from it.

How validation fills these records is test_validate.py's business (a withdrawal after corrections,
`added`); these tests build the records by hand and look at what the model itself promises.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import marshal

import pytest
from markupsafe import Markup

from statement_archive import model, urls
from statement_archive.model import (ERROR, WARNING, Block, Body, Correction, PageSpec, Paragraph, Problem, Ref,
                                     SiteIndex, SourceFile, Statement, StatementRecord, Withdrawal)

DAY = dt.date(2025, 3, 20)


def record(**fields) -> StatementRecord:
    values = {"path": "content/statements/2025-03-20-x.md", "lines": {}, "title": "T", "date": DAY, "outlet": "APA",
              "markdown": "Text.", "slug": "x", **fields}
    return StatementRecord(**values)


def statement(date: dt.date = DAY, slug: str = "x") -> Statement:
    return Statement(record(date=date, slug=slug), slug, Body((), ()), Ref("outlets", "apa"))


class Kept:
    """A text kept out of memory, as cache.KeptText: read each time it is asked for."""

    def __init__(self, text: str):
        self.reads = 0
        self._text = text

    def text(self) -> str:
        self.reads += 1
        return self._text


def test_a_problem_reads_like_a_linters_line():
    assert Problem("content/people/x.md", 3, "unknown key 'rol'").format() == "content/people/x.md:3: unknown key 'rol'"
    assert Problem("a.md", 1, "date is in the future", WARNING).format() == "a.md:1: warning: date is in the future"
    assert Problem("a.md", 2, "unknown key 'rol'", ERROR, "did you mean 'role'?").format() == \
        "a.md:2: unknown key 'rol' (did you mean 'role'?)"


def test_a_problem_stays_one_line_whatever_its_file_is_called():
    """A newline in a file's name had split its problem in two lines, which editors' tools read as two problems;
    letters of any script stay as they are."""
    line = Problem("content/statements/2025-01-02-a\nb\t.md", 5, "unknown key 'speakrs'").format()
    assert line == "content/statements/2025-01-02-a\\nb\\t.md:5: unknown key 'speakrs'"
    assert Problem("content/people/məmmədov şəhla.md", 1, "m").format() == "content/people/məmmədov şəhla.md:1: m"
    # A YAML block's value quoted in a message ("date: |" and two lines) had spread one problem over three lines.
    assert Problem("a.md", 4, "date: 'block\ntext' is not a date", ERROR, "write «2025-03-20»").format() == \
        "a.md:4: date: 'block\\ntext' is not a date (write «2025-03-20»)"


def test_problems_sort_by_file_then_line_as_a_number():
    """The build prints them sorted: line 9 before line 10, and a file's problems together."""
    found = [Problem("b.md", 1, "m"), Problem("a.md", 10, "m"), Problem("a.md", 9, "z"), Problem("a.md", 9, "a")]
    assert [(p.path, p.line, p.message) for p in sorted(found)] == \
        [("a.md", 9, "a"), ("a.md", 9, "z"), ("a.md", 10, "m"), ("b.md", 1, "m")]


def test_problems_are_frozen_and_equal_by_value():
    """Frozen: the same problem found twice is one (they go into sets), and no stage can change another's."""
    assert Problem("a.md", 1, "m") == Problem("a.md", 1, "m")
    assert len({Problem("a.md", 1, "m"), Problem("a.md", 1, "m")}) == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        Problem("a.md", 1, "m").line = 2


def test_dates_and_months_are_written_out_as_the_pages_give_them():
    assert model.display_date(dt.date(2026, 12, 5)) == "5 December 2026"  # no leading zero
    assert model.display_date(dt.date(2025, 1, 31)) == "31 January 2025"
    assert model.display_month(2025, 3) == "March 2025"


def test_capitalised_changes_only_the_first_letter():
    """str.capitalize would write "withdrawn on 7 december" in lower case."""
    assert model.capitalised("withdrawn on 7 December by the OSCE") == "Withdrawn on 7 December by the OSCE"
    assert model.capitalised("ərazi") == "Ərazi"
    assert model.capitalised("") == ""


def test_a_withdrawal_says_when_and_why():
    withdrawal = Withdrawal(dt.date(2026, 12, 7), "the article was a forgery", 9)
    assert withdrawal.notice == "withdrawn by the archive's editors on 7 December 2026"
    assert withdrawal.sentence == "withdrawn by the archive's editors on 7 December 2026: the article was a forgery"


@pytest.mark.parametrize("fields, modified", [
    ({}, DAY),
    ({"added": dt.date(2026, 1, 5)}, dt.date(2026, 1, 5)),
    ({"corrections": (Correction(dt.date(2025, 4, 1), "n", 1), Correction(dt.date(2025, 6, 1), "n", 2))},
     dt.date(2025, 6, 1)),  # the latest, not the first
    ({"added": dt.date(2026, 1, 5), "corrections": (Correction(dt.date(2025, 6, 1), "n", 1),)}, dt.date(2026, 1, 5)),
    ({"added": dt.date(2025, 5, 1), "withdrawn": Withdrawal(dt.date(2025, 5, 2), "r", 1)}, dt.date(2025, 5, 2)),
], ids=["date", "added", "corrections", "added-after-correction", "withdrawn"])
def test_modified_is_the_latest_change_readers_are_told_of(fields, modified):
    assert record(**fields).modified == modified


def test_a_kept_text_is_read_only_when_asked_for():
    """The build cache keeps texts out of memory: making a record must not read it."""
    kept = Kept("Kept text.")
    source = SourceFile("content/statements/x.md", {}, {}, kept, 5)
    rec = record(markdown=kept)
    assert kept.reads == 0
    assert source.body == "Kept text." and rec.body == "Kept text."
    assert kept.reads == 2
    assert record(markdown="Plain.").body == "Plain." and model.text_of("Plain.") == "Plain."


def test_a_body_as_plain_tuples_goes_through_marshal_and_back():
    """The cache stores bodies with marshal, which refuses named tuples and Markup (a str subclass)."""
    body = Body((Block(Markup('<p id="p1">A</p>'), ["p1"]),), (Paragraph(Markup("p1"), "A"),))
    with pytest.raises(ValueError):
        marshal.dumps(body)
    plain = body.plain()
    assert marshal.loads(marshal.dumps(plain)) == plain
    assert type(plain[0][0][0]) is str and type(plain[0][0][1]) is tuple and type(plain[1][0][0]) is str
    back = Body.from_plain(marshal.loads(marshal.dumps(plain)))
    assert back == Body((Block('<p id="p1">A</p>', ("p1",)),), (Paragraph("p1", "A"),))
    assert isinstance(back.blocks[0], Block) and isinstance(back.paragraphs[0], Paragraph)
    assert back.paragraphs[0].text == "A" and back.blocks[0].paragraph_ids == ("p1",)


def test_statements_sort_oldest_first_and_by_slug_on_the_same_day():
    found = [statement(DAY, "b"), statement(dt.date(2024, 1, 1), "z"), statement(DAY, "a")]
    assert [(s.record.date, s.slug) for s in sorted(found, key=lambda s: s.key)] == \
        [(dt.date(2024, 1, 1), "z"), (DAY, "a"), (DAY, "b")]


def test_a_statements_path_is_its_permalink_made_once(monkeypatch):
    calls = []
    real = urls.statement_path
    monkeypatch.setattr(urls, "statement_path", lambda *args: calls.append(args) or real(*args))
    made = statement(dt.date(2025, 3, 5), "briefing")
    assert made.path == "statements/2025/03/05/briefing/"
    assert made.path == "statements/2025/03/05/briefing/"
    assert calls == [(dt.date(2025, 3, 5), "briefing")]  # a frozen dataclass, and still cached


def test_a_ref_is_a_plain_tuple_for_hashing_and_equality():
    """Refs are dict keys everywhere; a tuple built elsewhere must find the same entry."""
    appearances = {Ref("people", "maria-zakharova"): 3}
    assert appearances[("people", "maria-zakharova")] == 3
    assert Ref("people", "x") != Ref("places", "x")


def test_defaults_that_are_dicts_are_not_shared_between_instances():
    first, second = PageSpec("a/", "page.html"), PageSpec("b/", "page.html")
    first.context["title"] = "A"
    assert second.context == {}
    index = SiteIndex((), {}, {}, {}, {}, {})
    index.date_folders["statements/"] = (None, None)
    assert SiteIndex((), {}, {}, {}, {}, {}).date_folders == {}
