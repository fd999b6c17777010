""""Appears with": people and organisations sharing statements with an entity, counted from the index."""

from __future__ import annotations

import pytest

from statement_archive.appears_with import appears_with
from statement_archive.model import Ref


@pytest.fixture
def registry(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("people", "ilham-aliyev", name="Ilham Aliyev")
    project.entity("people", "sergey-markov", name="Sergey Markov")
    project.entity("organisations", "mfa", name="Russian Foreign Ministry")
    project.entity("outlets", "apa", name="APA")
    project.entity("places", "moscow", name="Moscow")
    project.entity("events", "briefing", name="Briefing", date="2025-03-20")
    return project


def test_counts_shared_statements_most_first_and_leaves_out_the_entity_itself(registry):
    registry.statement("2025-03-20-a", speakers=["Maria Zakharova"], organisations=["Russian Foreign Ministry"],
                       mentions=["Ilham Aliyev"], event="Briefing", places=["Moscow"])
    registry.statement("2025-03-21-b", date="2025-03-21", speakers=["Maria Zakharova"], mentions=["Ilham Aliyev"],
                       body="The second statement.\n")
    registry.statement("2025-03-22-c", date="2025-03-22", speakers=["Sergey Markov"], mentions=["Ilham Aliyev"],
                       body="The third statement.\n")
    problems, index = registry.check()
    assert problems == []
    assert appears_with(index, Ref("people", "maria-zakharova")) == [
        (Ref("people", "ilham-aliyev"), 2),
        (Ref("organisations", "mfa"), 1),
    ]
    # Ties are ordered by name; events, places and outlets are not companions.
    assert appears_with(index, Ref("people", "ilham-aliyev")) == [
        (Ref("people", "maria-zakharova"), 2),
        (Ref("organisations", "mfa"), 1),
        (Ref("people", "sergey-markov"), 1),
    ]
    assert appears_with(index, Ref("events", "briefing")) == [
        (Ref("people", "ilham-aliyev"), 1),
        (Ref("people", "maria-zakharova"), 1),
        (Ref("organisations", "mfa"), 1),
    ]


def test_a_place_appears_with_those_of_the_statements_at_places_within_it(registry):
    """Moscow's page lists a statement given only the hotel in Moscow: its "appears with" counts that statement's
    people too, as its list of statements does."""
    registry.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    registry.statement("2025-03-20-at-the-hotel", speakers=["Maria Zakharova"], places=["Radisson Royal Hotel"])
    registry.statement("2025-03-21-in-the-city", date="2025-03-21", speakers=["Maria Zakharova", "Sergey Markov"],
                       places=["Moscow", "Radisson Royal Hotel"], body="The second statement.\n")
    problems, index = registry.check()
    assert problems == []
    assert appears_with(index, Ref("places", "moscow")) == [
        (Ref("people", "maria-zakharova"), 2), (Ref("people", "sergey-markov"), 1)]


def test_an_entity_in_two_parts_of_one_statement_counts_once(registry):
    registry.statement(speakers=["Maria Zakharova"], mentions=["Maria Zakharova", "Ilham Aliyev"])
    _, index = registry.check()
    assert appears_with(index, Ref("people", "ilham-aliyev")) == [(Ref("people", "maria-zakharova"), 1)]
    assert appears_with(index, Ref("people", "sergey-markov")) == []


def test_entity_pages_link_every_companion_with_its_count(registry):
    registry.statement(speakers=["Maria Zakharova"], mentions=["Ilham Aliyev"], organisations=["Russian Foreign Ministry"])
    result = registry.build()
    assert result.ok, result.problems
    html = result.pages["people/ilham-aliyev/"].decode()
    section = html[html.index('id="appears-with"'):]
    section = section[: section.index("</section>")]
    assert '<a href="/people/maria-zakharova/">Maria Zakharova</a> <span class="count">(1)</span>' in section
    assert '<a href="/organisations/mfa/">Russian Foreign Ministry</a> <span class="count">(1)</span>' in section
    assert "Ilham Aliyev</a>" not in section
    lonely = result.pages["people/sergey-markov/"].decode()
    assert 'id="appears-with"' not in lonely
