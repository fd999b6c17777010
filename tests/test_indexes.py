"""Stage 4, index: statements by entity (newest first, with their parts), neighbours, related, URL clashes."""

from __future__ import annotations

import pytest

from statement_archive.model import ERROR, Ref
from statement_archive.urls import statement_url


@pytest.fixture
def registry(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova", aliases=["Zakharova"])
    project.entity("people", "ilham-aliyev", name="Ilham Aliyev")
    project.entity("people", "sergey-markov", name="Sergey Markov")
    project.entity("organisations", "mfa", name="Russian Foreign Ministry")
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("events", "briefing", name="Briefing", date="2025-03-20")
    return project


def urls_of(statements) -> list[str]:
    return [statement_url(s) for s in statements]


def test_statements_are_newest_first_and_an_entity_lists_its_parts(registry):
    registry.statement("2023-01-01-old", date="2023-01-01", mentions=["Maria Zakharova"])
    registry.statement("2025-03-20-new", speakers=["Maria Zakharova"], mentions=["Ilham Aliyev"],
                       organisations=["Russian Foreign Ministry"], event="Briefing", places=["Moscow"])
    registry.statement("2024-05-05-middle", date="2024-05-05", speakers=["Zakharova"])
    problems, index = registry.check()
    assert problems == []
    assert urls_of(index.statements) == ["statements/2025/03/20/new/", "statements/2024/05/05/middle/",
                                         "statements/2023/01/01/old/"]
    zakharova = index.appearances[Ref("people", "maria-zakharova")]
    assert [(statement_url(a.statement), a.roles) for a in zakharova] == [
        ("statements/2025/03/20/new/", ("speaker",)),
        ("statements/2024/05/05/middle/", ("speaker",)),
        ("statements/2023/01/01/old/", ("mentioned",)),
    ]
    assert [a.roles for a in index.appearances[Ref("organisations", "mfa")]] == [("issuer",)]
    assert [a.roles for a in index.appearances[Ref("events", "briefing")]] == [("event",)]
    assert [a.roles for a in index.appearances[Ref("places", "moscow")]] == [("place",)]
    assert len(index.appearances[Ref("outlets", "apa")]) == 3
    assert Ref("people", "sergey-markov") not in index.appearances


def test_one_entity_in_two_parts_of_one_statement_is_listed_once_with_both(registry):
    registry.statement(speakers=["Maria Zakharova"], mentions=["Zakharova"])
    _, index = registry.check()
    (appearance,) = index.appearances[Ref("people", "maria-zakharova")]
    assert appearance.roles == ("speaker", "mentioned")


def test_previous_and_next_follow_the_dates_with_ties_broken_by_slug(registry):
    registry.statement("2025-03-20-b", title="B")
    registry.statement("2025-03-20-a", title="A")
    registry.statement("2025-01-01-first", date="2025-01-01")
    _, index = registry.check()
    first, a, b = "statements/2025/01/01/first/", "statements/2025/03/20/a/", "statements/2025/03/20/b/"
    assert index.previous[first] is None and statement_url(index.following[first]) == a
    assert statement_url(index.previous[a]) == first and statement_url(index.following[a]) == b
    assert statement_url(index.previous[b]) == a and index.following[b] is None


def test_related_statements_share_people_organisations_or_the_event(registry):
    registry.statement("2025-03-20-subject", speakers=["Maria Zakharova"], event="Briefing")
    registry.statement("2025-03-01-shares-two", date="2025-03-01", mentions=["Maria Zakharova"], event="Briefing")
    registry.statement("2025-03-02-shares-one", date="2025-03-02", speakers=["Maria Zakharova"])
    registry.statement("2025-03-03-shares-a-place-only", date="2025-03-03", places=["Moscow"])
    _, index = registry.check()
    related = urls_of(index.related["statements/2025/03/20/subject/"])
    assert related == ["statements/2025/03/01/shares-two/", "statements/2025/03/02/shares-one/"]


def test_two_statements_with_one_address_are_an_error_in_both_files(registry):
    registry.statement("2025-03-20-same", title="One")
    registry.statement("other-file", title="Two", slug="same")
    problems, _ = registry.check()
    errors = [p for p in problems if p.severity == ERROR]
    assert sorted(p.path for p in errors) == ["content/statements/2025-03-20-same.md", "content/statements/other-file.md"]
    assert all("same URL" in p.message for p in errors)


def test_an_alias_may_not_be_another_statements_address_or_outside_statements(registry):
    registry.statement("2025-03-20-one")
    registry.statement("2025-03-21-two", date="2025-03-21",
                       aliases=["/statements/2025/03/20/one/", "/people/maria-zakharova/"])
    problems, _ = registry.check()
    messages = [(p.line, p.message) for p in problems if p.severity == ERROR]
    assert len(messages) == 2
    assert "is the address of content/statements/2025-03-20-one.md" in messages[0][1]
    assert "outside /statements/" in messages[1][1]
