"""Stage 3, resolve: slugs for names in any script, aliases to one entity, unknown names reported."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import TODAY
from statement_archive.entities import (ResolveMemo, _paragraph_finder, build_registry, name_parts, resolve_statements,
                                        search_spellings, slugify)
from statement_archive.load import load_content
from statement_archive.model import ERROR, WARNING, Paragraph, Ref
from statement_archive.validate import validate_content

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
AZERBAIJANI = "AaBbCcÇçDdEeƏəFfGgĞğHhXxIıİiJjKkQqLlMmNnOoÖöPpRrSsŞşTtUuÜüVvYyZz"
CYRILLIC = "АаБбВвГгДдЕеЁёЖжЗзИиЙйКкЛлМмНнОоПпРрСсТтУуФфХхЦцЧчШшЩщЫыЭэЮюЯя"


def resolve(project):
    files, problems = load_content(project.root)
    records, entity_records, found = validate_content(files, TODAY)
    registry, registry_problems = build_registry(entity_records)
    statements, resolve_problems = resolve_statements(records, registry)
    return registry, statements, problems + found + registry_problems + resolve_problems


def test_slugify_transliterates_azerbaijani_and_cyrillic_names():
    assert slugify("Polad Bülbüloğlu") == "polad-bulbuloglu"
    assert slugify("Əli Həsənov") == "eli-hesenov"  # ə is a letter: never '@', never dropped
    assert slugify("İlqar Hacıyev") == "ilqar-haciyev"
    assert slugify("Şəki Çörək") == "seki-corek"
    assert slugify("Мария Захарова") == "mariya-zakharova"
    assert slugify("Гостиница «Украина»") == "gostinitsa-ukraina"
    assert slugify("Lion's Den") == "lions-den"
    assert slugify("  Many   spaces -- and dashes ") == "many-spaces-and-dashes"


@given(st.text(alphabet=AZERBAIJANI + CYRILLIC + " -'", min_size=1, max_size=40))
def test_slugify_never_drops_a_letter(name):
    slug = slugify(name)
    letters = [c for c in name if c.isalpha()]
    assert slug == "" or SLUG.match(slug)
    # Each letter of these alphabets becomes at least one ASCII letter.
    assert sum(c.isalnum() for c in slug) >= len(letters)


@given(st.text(max_size=60))
def test_slugify_gives_a_url_safe_slug_for_any_text(name):
    slug = slugify(name)
    assert slug == "" or SLUG.match(slug)
    assert slugify(unicodedata.normalize("NFD", name)) == slug, "composed and decomposed letters give one slug"


def test_a_family_name_is_the_last_word_unless_sort_as_begins_with_other_words_of_the_name():
    assert name_parts("Ilham Heydarovich Aliyev") == ("Aliyev", "Ilham Heydarovich", "")
    assert name_parts("Mao Zedong", sort_as="Mao Zedong") == ("Mao", "Zedong", "")
    assert name_parts("Ali Hasanov", sort_as="Hasanov Ali (1)") == ("Hasanov", "Ali", "")
    assert name_parts("Ali Hasanov", sort_as="Gasanov") == ("Hasanov", "Ali", "")  # not a word of the name: ignored
    assert name_parts("Madonna") == ("Madonna", "", "") and name_parts("  ") == ("", "", "")
    assert name_parts("Ursula von der Leyen", sort_as="von der Leyen") == ("von der Leyen", "Ursula", "")
    assert name_parts("Polad Bülbül oğlu", sort_as="Bülbül oğlu") == ("Bülbül oğlu", "Polad", "")
    assert name_parts("Polad Bülbül oğlu") == ("Bülbül oğlu", "Polad", "")  # a patronymic with no family name
    assert name_parts("Nizami Cəfər qızı") == ("Cəfər qızı", "Nizami", "") and name_parts("Полад Бюльбюль оглы")[0] == "Бюльбюль оглы"
    assert name_parts("İsmayıl Rövşən oğlu Orucov") == ("Orucov", "İsmayıl Rövşən oğlu", "")  # the family name last
    assert name_parts("Gabriel García Márquez", sort_as="García Márquez, Gabriel") == ("García Márquez", "Gabriel", "")
    assert name_parts("Mao Zedong", sort_as="Mao, Zedong") == ("Mao", "Zedong", "")


def test_a_generation_s_suffix_is_neither_family_nor_given_name():
    assert name_parts("Martin Luther King, Jr.") == ("King", "Martin Luther", "Jr.")
    assert name_parts("Martin Luther King Jr") == ("King", "Martin Luther", "Jr")
    assert name_parts("Martin Luther King, Jr.", sort_as="King, Martin Luther, Jr.") == ("King", "Martin Luther", "Jr.")
    assert name_parts("Thurston Howell, III") == ("Howell", "Thurston", "III")
    assert name_parts("Pope John Paul II") == ("II", "Pope John Paul", "")  # a regnal numeral: no comma, no suffix
    assert name_parts("Tom Jr") == ("Jr", "Tom", "")  # a two-word name keeps its words


def test_every_alias_resolves_to_the_one_entity(project):
    project.entity("people", "sergey-markov", name="Sergey Markov", aliases=["Sergei Markov", "Сергей Марков"])
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-one", speakers=["Sergei Markov"])
    project.statement("2025-03-21-two", date="2025-03-21", mentions=["Сергей Марков"])
    registry, statements, problems = resolve(project)
    assert problems == []
    assert [s.speakers for s in statements] == [(Ref("people", "sergey-markov"),), ()]
    assert statements[1].mentions == (Ref("people", "sergey-markov"),)
    assert list(registry.entities["people"]) == ["sergey-markov"]


def test_mentions_may_name_an_organisation(project):
    project.entity("organisations", "amor", name="Azerbaijani Youth Union of Russia", aliases=["AMOR", "RAGB"])
    project.entity("outlets", "apa", name="APA")
    project.statement(mentions=["RAGB"])
    _, (statement,), problems = resolve(project)
    assert problems == []
    assert statement.mentions == (Ref("organisations", "amor"),)


def test_an_unknown_name_is_a_warning_and_gets_a_page_of_its_own(project):
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Tərlan Həmzəyev"])
    registry, (statement,), problems = resolve(project)
    (problem,) = problems
    assert problem.severity == WARNING and problem.line == 6  # line 5 is 'speakers:', 6 the name
    assert "Tərlan Həmzəyev" in problem.message and "content/people/" in problem.hint
    assert statement.speakers == (Ref("people", "terlan-hemzeyev"),)
    assert registry.entities["people"]["terlan-hemzeyev"].registered is False


def test_an_unknown_name_never_gets_an_address_an_entity_had_before(project):
    """An old address redirects to the entity that had it; a new unregistered name may not take it over."""
    project.entity("outlets", "apa", name="APA")
    project.entity("people", "terlan-hamzayev", name="Tərlan Həmzəyev", old_urls=["/people/terlan-hemzeyev/"])
    project.statement(speakers=["Tarlan Hamzayev"])  # not a registered spelling: a name of its own
    registry, (statement,), problems = resolve(project)
    assert [p.severity for p in problems] == [WARNING]
    assert registry.entities["people"]["terlan-hamzayev"].old_urls == ("people/terlan-hemzeyev/",)
    project.statement(speakers=["Terlan Hemzeyev"], slug="another")  # slugifies to the old address's slug
    registry, statements, _ = resolve(project)
    assert Ref("people", "terlan-hemzeyev-2") in {ref for s in statements for ref in s.speakers}
    assert "terlan-hemzeyev" not in registry.entities["people"]


def test_a_near_miss_suggests_the_registered_name(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Maria Zakharva"])
    _, _, problems = resolve(project)
    (problem,) = problems
    assert problem.severity == WARNING
    assert "Maria Zakharova" in problem.hint


def test_two_entities_cannot_claim_one_alias(project):
    project.entity("people", "sergey-markov", name="Sergey Markov", aliases=["Markov"])
    project.entity("people", "other-markov", name="Other Markov", aliases=["Markov"])
    _, _, problems = resolve(project)
    # Reported in both files, each naming the other: which one is at fault is the editors' to say.
    assert sorted((p.path, p.message, p.severity) for p in problems) == [
        ("content/people/other-markov.md", "the name 'Markov' is also claimed by content/people/sergey-markov.md", ERROR),
        ("content/people/sergey-markov.md", "the name 'Markov' is also claimed by content/people/other-markov.md", ERROR)]


def test_the_same_entity_twice_by_two_names_is_listed_once(project):
    project.entity("people", "sergey-markov", name="Sergey Markov", aliases=["Sergei Markov"])
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Sergey Markov", "Sergei Markov"])
    _, (statement,), problems = resolve(project)
    assert statement.speakers == (Ref("people", "sergey-markov"),)
    assert [p.severity for p in problems] == [WARNING]


def test_an_event_links_its_place_and_organisers_by_any_name(project):
    project.entity("places", "moscow", name="Moscow", aliases=["Москва"])
    project.entity("organisations", "mfa", name="Ministry of Foreign Affairs of Russia", aliases=["Russian Foreign Ministry"])
    project.entity("events", "briefing", name="Briefing", date="2025-03-20", place="Москва",
                   organisers=["Russian Foreign Ministry"])
    registry, _, problems = resolve(project)
    assert problems == []
    event = registry.entities["events"]["briefing"]
    assert (event.place, event.organisers) == ("moscow", ("mfa",))


def test_an_event_at_an_unregistered_place_is_an_error(project):
    project.entity("events", "briefing", name="Briefing", date="2025-03-20", place="Atlantis")
    _, _, problems = resolve(project)
    (problem,) = problems
    assert problem.severity == ERROR and "Atlantis" in problem.message


def test_a_place_is_within_a_registered_place_named_by_any_name(project):
    project.entity("places", "azerbaijan", name="Azerbaijan", aliases=["Azərbaycan"])
    project.entity("places", "baku", name="Baku", within="Azərbaycan")
    registry, _, problems = resolve(project)
    assert problems == []
    assert registry.entities["places"]["baku"].within == "azerbaijan" and registry.entities["places"]["azerbaijan"].within == ""


def test_a_place_within_an_unregistered_place_is_an_error_with_a_did_you_mean(project):
    project.entity("places", "moscow", name="Moscow")
    project.entity("places", "hotel", name="Hotel", within="Moskow")
    project.entity("places", "museum", name="Museum", within="Atlantis")
    _, _, problems = resolve(project)
    assert [(p.path, p.line, p.severity, p.message) for p in problems] == [
        ("content/places/hotel.md", 3, ERROR, "within 'Moskow' is not in the registry, but is almost 'Moscow'"),
        ("content/places/museum.md", 3, ERROR, "within 'Atlantis' is not in content/places/")]


@pytest.mark.parametrize("within", ["Moscow, Russia", "Moscow; Russia"])
def test_a_place_within_a_list_of_places_is_told_to_name_the_nearest(project, within):
    """'within: Moscow, Russia' (the way an address is written) is one name the registry does not have: the hint had
    been to add a file for 'Moscow, Russia'."""
    project.entity("places", "moscow", name="Moscow")
    project.entity("places", "russia", name="Russia")
    project.entity("places", "hotel", name="Hotel", within=within)
    _, _, problems = resolve(project)
    assert [(p.path, p.line, p.severity, p.message, p.hint) for p in problems] == [(
        "content/places/hotel.md", 3, ERROR, f"within '{within}' is not in content/places/",
        "'within' names one place, the nearest the place is in: write 'within: Moscow', and say what Moscow is "
        "within in its own file")]


@pytest.mark.parametrize("chain, message", [
    ({"moscow": "Moskva"}, "within: 'Moskva' is this place itself"),
    ({"moscow": "Russia", "russia": "Moscow"}, "within: the places go round: Moscow is within Russia is within Moscow"),
])
def test_places_within_each_other_are_an_error_and_then_stand_alone(project, chain, message):
    """A place within itself, however far round, would have no end to the places it is in; each place on the round is
    told, and the pages are made as if none had `within`. A place within itself (by an alias of its own) is told so:
    'the places go round: Moscow is within Moscow', with the hint to remove 'within' from the largest of them, had
    spoken of places where there is one."""
    project.entity("places", "moscow", name="Moscow", aliases=["Moskva"], within=chain["moscow"])
    project.entity("places", "russia", name="Russia", **({"within": chain["russia"]} if "russia" in chain else {}))
    project.entity("places", "hotel", name="Hotel", within="Moscow")  # into the round, not on it: not told
    registry, _, problems = resolve(project)
    assert [(p.path, p.message) for p in problems][:1] == [("content/places/moscow.md", message)]
    assert {p.path for p in problems} == {f"content/places/{slug}.md" for slug in chain}
    assert [registry.entities["places"][s].within for s in ("moscow", "russia", "hotel")] == ["", "", "moscow"]


def test_quotations_are_matched_to_their_paragraph_and_speaker(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova", aliases=["Zakharova"])
    project.entity("outlets", "apa", name="APA")
    project.statement(body="Opening words.\n\n\"They do not rewrite history.\" Zakharova said.\n",
                      speakers=["Maria Zakharova"], quotes=[{"speaker": "Zakharova", "text": "They do not rewrite history."}])
    _, (statement,), problems = resolve(project)
    assert problems == []
    (quote,) = statement.quotes
    assert (quote.speaker, quote.paragraph_id) == (Ref("people", "maria-zakharova"), "p2")


def test_a_quotation_from_someone_who_is_not_a_speaker_is_an_error(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(body="Words.\n", quotes=[{"speaker": "Maria Zakharova", "text": "Words."}])
    _, (statement,), problems = resolve(project)
    assert statement.quotes == ()
    assert [p.severity for p in problems] == [ERROR]


def test_a_quotation_not_in_the_text_is_an_error(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(body="Words.\n", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "Other words."}])
    _, (statement,), problems = resolve(project)
    assert statement.quotes == ()
    (problem,) = problems
    assert problem.severity == ERROR and "not in any paragraph" in problem.message


def test_a_quotation_from_an_item_of_a_list_without_blank_lines_is_told_how_to_number_the_items(project):
    """The words are in the text, but in what the page does not number: the editor who copied them exactly had
    been told to copy them exactly. With blank lines between the items, each is a paragraph, and the quotation
    links to it."""
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    quote = {"speaker": "Maria Zakharova", "text": "Russia is ready to help  both sides."}
    project.statement(body="The points:\n\n- Russia is ready\n  to help both sides.\n- The talks go on.\n",
                      speakers=["Maria Zakharova"], quotes=[quote])
    _, (statement,), problems = resolve(project)
    (problem,) = problems
    assert problem.severity == ERROR and "not in any paragraph" in problem.message
    assert "put a blank line between the list's items" in problem.hint and "exactly" not in problem.hint
    project.statement(body="The points:\n\n- Russia is ready\n  to help both sides.\n\n- The talks go on.\n",
                      speakers=["Maria Zakharova"], quotes=[quote])
    _, (statement,), problems = resolve(project)
    assert problems == [] and [q.paragraph_id for q in statement.quotes] == ["p2"]


def test_a_role_belongs_to_a_speaker_or_mentioned_person_by_any_of_their_names(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova", aliases=["Zakharova"])
    project.entity("people", "ilham-aliyev", name="Ilham Aliyev")
    project.entity("outlets", "apa", name="APA")
    project.statement(body="Foreign Ministry spokeswoman Maria Zakharova spoke of President Ilham Aliyev.\n",
                      speakers=["Maria Zakharova"], mentions=["Ilham Aliyev"],
                      roles={"Zakharova": "Foreign   Ministry spokeswoman", "Ilham Aliyev": "president"})
    _, (statement,), problems = resolve(project)
    assert problems == []
    assert statement.roles == ((Ref("people", "maria-zakharova"), "Foreign Ministry spokeswoman"),
                               (Ref("people", "ilham-aliyev"), "president"))


def test_a_role_for_someone_the_statement_does_not_name_is_an_error(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("people", "ilham-aliyev", name="Ilham Aliyev")
    project.entity("outlets", "apa", name="APA")
    path = project.statement(body="The spokeswoman spoke.\n", speakers=["Maria Zakharova"],
                             roles={"Ilham Aliyev": "spokeswoman"})
    _, (statement,), problems = resolve(project)
    assert statement.roles == ()
    (problem,) = problems
    assert problem.severity == ERROR and "'Ilham Aliyev' is not among the statement's speakers" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].strip().startswith("Ilham Aliyev:")


def test_a_role_in_other_words_than_the_reports_is_a_warning(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(body="Russian Foreign Ministry’s spokeswoman Maria Zakharova said so.\n",
                      speakers=["Maria Zakharova"], roles={"Maria Zakharova": "Press secretary"})
    _, (statement,), problems = resolve(project)
    assert statement.roles == ((Ref("people", "maria-zakharova"), "Press secretary"),)  # kept: a warning only
    (problem,) = problems
    assert problem.severity == WARNING and "not in the statement's title or text" in problem.message
    project.statement(body="Russian Foreign Ministry’s spokeswoman Maria Zakharova said so.\n",
                      speakers=["Maria Zakharova"], roles={"Maria Zakharova": "Russian Foreign Ministry's spokeswoman"})
    assert resolve(project)[2] == []  # the apostrophe typed either way
    project.statement(body="It was the Foreign Ministry\n\nspokeswoman Maria Zakharova who said so.\n",
                      speakers=["Maria Zakharova"], roles={"Maria Zakharova": "Foreign Ministry spokeswoman"})
    (problem,) = resolve(project)[2]  # a role is in one paragraph, not across two
    assert "not in the statement's title or text" in problem.message


def test_a_kept_statement_keeps_its_roles(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-a", body="The spokeswoman spoke.\n", speakers=["Maria Zakharova"],
                      roles={"Maria Zakharova": "spokeswoman"})
    _, _, kept = resolve_kept(project, {})
    statements, _, _ = resolve_kept(project, kept)
    assert statements[0].roles == ((Ref("people", "maria-zakharova"), "spokeswoman"),)
    assert_kept_is_fresh(project, kept)


@given(st.lists(st.text("ab \x00", max_size=8), max_size=5), st.text("ab \x00", max_size=4))
def test_a_quotation_is_found_in_the_first_paragraph_that_holds_it(texts, quotation):
    """The quick search in the joined paragraphs gives what a search paragraph by paragraph gives."""
    paragraphs = tuple(Paragraph(f"p{i + 1}", text) for i, text in enumerate(texts))
    expected = next((p for p in paragraphs if quotation in p.text), None)
    assert _paragraph_finder(paragraphs)(quotation) is expected


# ---------------------------------------------------------------- kept resolutions (ResolveMemo)

def resolve_kept(project, old: dict):
    """Resolve as a build with a cache does: with the outcomes an earlier build kept."""
    files, _ = load_content(project.root)
    records, entity_records, _ = validate_content(files, TODAY)
    registry, _ = build_registry(entity_records)
    memo = ResolveMemo(old, repr)  # a record's repr stands in for its file's content hash
    statements, problems = resolve_statements(records, registry, memo=memo)
    return statements, problems, memo.new


def assert_kept_is_fresh(project, old: dict) -> dict:
    """Resolving with kept outcomes gives what resolving everything again gives; returns what it kept."""
    statements, problems, kept = resolve_kept(project, old)
    _, fresh, fresh_problems = resolve(project)
    assert statements == fresh
    assert problems == fresh_problems
    return kept


def test_a_statement_resolved_before_is_kept_and_gives_the_same_result(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-a", body="She said: “No.”\n", speakers=["Maria Zakharova"],
                      quotes=[{"speaker": "Maria Zakharova", "text": "“No.”"}, {"speaker": "Maria Zakharova", "text": "Yes"}])
    _, _, kept = resolve_kept(project, {})
    assert list(kept) == ["content/statements/2025-03-20-a.md"]
    kept_again = assert_kept_is_fresh(project, kept)  # the quotation error comes back from the kept outcome
    assert kept_again == kept


def test_statements_meeting_an_unregistered_name_are_resolved_again_every_time(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-a", speakers=["Tərlan Həmzəyev"])
    project.statement("2025-03-20-b", mentions=["Tərlan Həmzəyev"])
    _, problems, kept = resolve_kept(project, {})
    assert kept == {}  # which statement gives the name its page depends on the others
    assert len(problems) == 2  # a warning in each statement that names him
    assert_kept_is_fresh(project, kept)


def test_a_kept_mention_gives_way_to_an_unregistered_person_of_that_name(project):
    """A mention is looked up among people first: a person of that name, new in another file, takes it."""
    project.entity("organisations", "sosial-birlik", name="Sosial Birlik")
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-b", mentions=["Sosial Birlik"])
    _, _, kept = resolve_kept(project, {})
    assert list(kept) == ["content/statements/2025-03-20-b.md"]
    project.statement("2025-03-20-a", speakers=["Sosial Birlik"])  # sorts first: met first in a cold build
    statements, _, _ = resolve_kept(project, kept)
    assert statements[1].mentions == (Ref("people", "sosial-birlik"),)
    assert_kept_is_fresh(project, kept)


def test_a_kept_byline_links_to_an_unregistered_person_of_that_name(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-b", author="Tərlan Həmzəyev")
    _, _, kept = resolve_kept(project, {})
    assert list(kept) == ["content/statements/2025-03-20-b.md"]
    project.statement("2025-03-20-a", speakers=["Tərlan Həmzəyev"])
    statements, _, _ = resolve_kept(project, kept)
    assert statements[1].author == Ref("people", "terlan-hemzeyev")
    assert_kept_is_fresh(project, kept)


def test_kept_outcomes_are_dropped_when_a_registered_name_or_the_file_changes(project):
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    path = project.statement("2025-03-20-a", speakers=["Zakharova"])
    _, problems, kept = resolve_kept(project, {})
    assert problems and problems[0].severity == WARNING  # not registered by that name
    project.entity("people", "maria-zakharova", name="Maria Zakharova", aliases=["Zakharova"])
    statements, problems, _ = resolve_kept(project, kept)
    assert problems == [] and statements[0].speakers == (Ref("people", "maria-zakharova"),)
    path.write_text(path.read_text(encoding="utf-8").replace("Zakharova", "Maria Zakharova"), encoding="utf-8")
    assert_kept_is_fresh(project, kept)


def test_names_in_azerbaijani_latin_have_the_ascii_spellings_readers_type():
    assert search_spellings("Məmmədov") == ("Mammadov",)
    assert search_spellings("Tofiq Qasımov") == ("Tofiq Qasimov", "Tofig Gasimov")
    assert search_spellings("Xəyyam Çələbiyev") == ("Xayyam Calabiyev", "Khayyam Chalabiyev")
    assert search_spellings("İlqar Hacıyev") == ("Ilqar Haciyev", "Ilgar Hajiyev")
    assert search_spellings("Gəncə") == ("Ganca", "Ganja")
    # Names in Latin without Azerbaijani letters: Pagefind folds marks itself, aliases do the rest.
    assert search_spellings("Ilham Aliyev") == search_spellings("Zoë Müller") == ()


def test_names_in_cyrillic_have_the_romanised_spelling_of_reports_from_russian_sources():
    """A reader who read "Aliev" or "Gadzhiev" in a report from Russian sources types that."""
    assert search_spellings("Ильхам Алиев") == ("Ilkham Aliev",)
    assert search_spellings("Ильгар Гаджиев") == ("Ilgar Gadzhiev",)
    assert search_spellings("Полад Бюльбюль оглы") == ("Polad Byulbyul ogly",)  # no soft signs' apostrophes
    assert search_spellings("Мария Захарова") == ("Mariya Zakharova",)
    # Quotation marks of every kind left out, as a reader types the name: not "<<Ukraina>>"
    assert search_spellings("Гостиница «Украина»") == search_spellings("Гостиница „Украина“") == ("Gostinitsa Ukraina",)


def test_an_unregistered_name_is_reported_in_every_statement_that_uses_it(project):
    """So that the editor sees how far a missing registry entry reaches, not only its first use."""
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-a", speakers=["Ivan Petrov"])
    project.statement("2025-03-21-b", mentions=["Ivan Petrov"], date="2025-03-21")
    registry, statements, problems = resolve(project)
    assert [(p.path.rsplit("/", 1)[-1], p.line, p.severity) for p in sorted(problems)] == [
        ("2025-03-20-a.md", 6, WARNING), ("2025-03-21-b.md", 6, WARNING)]  # the list item's line
    assert len({p.message for p in problems}) == 1 and "'Ivan Petrov' is not in" in problems[0].message
    assert statements[0].speakers == statements[1].mentions  # one page for him


def test_an_unregistered_mention_that_names_a_body_is_an_organisation_not_a_person(project):
    """Mentions may name people or organisations; a name no file gives had always been filed as a person, so a
    ministry's page stood under People and its record in people.json."""
    project.entity("outlets", "apa", name="APA")
    project.statement(mentions=["Azerbaijani Youth Organization of Russia", "Ivan Petrov", "Ministry of Culture"])
    registry, (statement,), problems = resolve(project)
    assert [(r.kind, r.slug) for r in statement.mentions] == [
        ("organisations", "azerbaijani-youth-organization-of-russia"), ("people", "ivan-petrov"),
        ("organisations", "ministry-of-culture")]
    assert [p.hint for p in sorted(problems, key=lambda p: p.message)] == [
        "add a file for it in content/organisations/, or add the name to an existing entry's aliases",
        "add a file for it in content/people/, or add the name to an existing entry's aliases",
        "add a file for it in content/organisations/, or add the name to an existing entry's aliases"]
    # Among speakers, where only people stand, such a name is still told as a person to add.
    project.statement(speakers=["Ministry of Culture"])
    _, (statement,), _ = resolve(project)
    assert [r.kind for r in statement.speakers] == ["people"]


def test_an_unregistered_name_used_twice_in_one_statement_is_reported_there_once(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-a", speakers=["Ivan Petrov"], mentions=["Ivan Petrov"])
    project.statement("2025-03-21-b", speakers=["Ivan Petrov"], mentions=["Ivan Petrov"], body="Another text.\n")
    _, _, problems = resolve(project)
    assert sorted(p.path.rsplit("/", 1)[-1] for p in problems if "'Ivan Petrov' is not in" in p.message) == [
        "2025-03-20-a.md", "2025-03-21-b.md"]


def test_a_quotation_not_in_the_text_is_told_where_it_parts_from_the_nearest_paragraph():
    from statement_archive.entities import where_a_quotation_differs

    paragraphs = (Paragraph("p1", "Zakharova answered a question."),
                  Paragraph("p2", "“We welcome the decision,” she said, ’twas so."))
    hint = where_a_quotation_differs("We welcome the decision. It matters.", paragraphs)
    assert hint == "paragraph p2 has 'We welcome the decision', then ',' where the quotation has '.'; "
    assert where_a_quotation_differs("We welcome the decision, she said", paragraphs).startswith(
        "paragraph p2 has 'We welcome the decision,', then '”' where the quotation has ' '")
    long = "Zakharova answered a question at length"
    assert where_a_quotation_differs(long, paragraphs) == (
        "paragraph p1 has 'Zakharova answered a question', then '.' where the quotation has ' '; ")
    assert where_a_quotation_differs("Words never said", paragraphs) == ""  # no paragraph holds its first words
    # Differing early, in marks that look alike: the first is named, however soon it comes.
    paragraphs += (Paragraph("p3", "“I’m sure,” she said – and left."),)
    assert where_a_quotation_differs("I'm sure", paragraphs) == "paragraph p3 has '’' where the quotation has \"'\" after 'I'; "
    assert where_a_quotation_differs("she said - and left", paragraphs) == (
        "paragraph p3 has '–' where the quotation has '-' after 'she said '; ")
    assert where_a_quotation_differs("“she said”", paragraphs).startswith(
        "paragraph p2 has the words without the quotation marks around them")  # the first that has them


def test_the_hint_of_a_quotation_not_in_the_text_never_fails():
    from statement_archive.entities import where_a_quotation_differs

    paragraphs = (Paragraph("p1", "The talks went well."), Paragraph("p2", "They will go on."))
    assert where_a_quotation_differs("", paragraphs) == "" and where_a_quotation_differs("x", ()) == ""
    assert where_a_quotation_differs("The talks went well.", paragraphs) == ""  # found whole: nothing to say
    assert where_a_quotation_differs("The talks went well. They will go on.", paragraphs) == (
        "paragraph p1 ends with 'The talks went well.', and a quotation stays within one paragraph; ")


def layout_warnings(project, body: str) -> list[tuple[int, str]]:
    """(line, message) of what check says of a statement with this text, its front matter five lines long."""
    project.entity("outlets", "apa", name="APA")
    project.statement("2025-03-20-x", body=body)
    _, _, problems = resolve(project)
    return sorted((p.line, p.message.split(",")[0]) for p in problems if p.path.endswith("2025-03-20-x.md"))


def test_pasted_text_warnings_find_each_mark_at_its_own_line_and_leave_ordinary_text_alone(project):
    """What the first version of these warnings got wrong: the same mark twice told at the first one's line,
    bold labels of a transcript, links in angle brackets, underlines Markdown does not read as headings."""
    ordinary = ("**Question:** Will the talks go on?\n\n**Maria Zakharova:** They will.\n\n*(Translated from Russian.)*\n\n"
                "Write to <press@mfa.gov.az> or see <HTTPS://MFA.GOV.AZ>; a < b and c > d.\n\n"
                "Line one\nLine two\n---\n\nLine three\nLine four\n===\n\n> Quote one. {#p6a}\n>\n> Quote two.\n")
    assert layout_warnings(project, ordinary) == []
    banned = "A paragraph.\n\nIslamic State*, the group (*banned in Russia).\n\nAgain.\n\nIslamic State*, the group (*banned).\n"
    assert [line for line, _ in layout_warnings(project, banned)] == [9, 13]
    marks = ("ISIS*-linked groups and al-Nusra*-linked cells.\n\n> #Azerbaijan is here\n\n- #hashtag item\n\n"
             "<li>An item pasted as HTML</li>\n\n> quoted line\n---\n")
    assert layout_warnings(project, marks) == [
        (7, "the text '-linked groups and al-Nusra' is shown in italics or bold"),
        (9, "this line begins with '#'"), (11, "this line begins with '#'"),
        (13, "this line begins a block of HTML: the page shows its text"),
        (15, "the line under this one is all '-' or '='")]


def test_a_slug_from_a_long_headline_is_at_most_seventy_letters_cut_at_a_word_if_it_can_be():
    from statement_archive.entities import SLUG_LIMIT, short_slug

    assert short_slug("a" * 100) == "a" * SLUG_LIMIT
    words = short_slug(" ".join(["word"] * 40))
    assert len(words) <= SLUG_LIMIT and words.endswith("-word") and not words.endswith("-")
    assert short_slug("Short title") == "short-title"
