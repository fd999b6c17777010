"""import_names.py: the names in a cleaned article, and what each one does there.

test_importer.py already drafts whole articles (speakers and mentions, roles in the article's words,
bodies that issue or organise, new names after titles, Azerbaijani and transliterated spellings of
registered people); these tests call each step on a sentence or two, to pin the rules those drafts rest on.
"""

from __future__ import annotations

import pytest

from statement_archive import import_names
from statement_archive.entities import build_registry
from statement_archive.import_names import (
    Occurrence, find_registered, find_unregistered, make_text, organisation_roles, reported_role,
    short_form_occurrences, speaker_roles, speech_span, surname_occurrences, title_role, tokenize, word_key,
)
from statement_archive.model import EntityRecord

KINDS = ("people", "organisations", "places", "outlets")


def registry_of(**kinds):
    """A registry from {kind: [(name, [aliases]), ...]}; slugs are kind-number."""
    records = {kind: [EntityRecord(kind=kind, path=f"content/{kind}/{i}.md", lines={}, slug=f"{kind}-{i}", name=name,
                                   aliases=tuple(aliases)) for i, (name, aliases) in enumerate(entries)]
               for kind, entries in kinds.items()}
    registry, problems = build_registry(records)
    assert not problems
    return registry


def found(text, occurrences) -> list[tuple]:
    """(name, words in the text, quoted, fuzzy, short) of each occurrence."""
    return [(o.name, text.value[o.start:o.end], o.quoted, o.fuzzy, o.short) for o in occurrences]


def registered(registry, *paragraphs, kinds=KINDS):
    text = make_text(paragraphs)
    tokens = tokenize(text.value)
    return text, tokens, find_registered(text, tokens, registry, kinds)


def sentences(text) -> list[str]:
    bounds = [0] + text.sentence_ends + [len(text.value)]
    return [text.value[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text.value[a:b].strip()]


def quoted_parts(text) -> list[str]:
    parts, start = [], None
    for i, flag in enumerate(bytes(text.quoted) + b"\x00"):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            parts.append(text.value[start:i])
            start = None
    return parts


PEOPLE = registry_of(people=[("Ali Hasanov", []), ("Igor Petrov", []), ("Anna Ivanova", [])])


# --- the text: paragraphs, sentences, quotations -----------------------------------------------


def test_the_text_joins_paragraphs_and_numbers_them_from_one():
    """Each suggestion cites its paragraph ('¶2'): the number must be the paragraph the editor sees."""
    text = make_text(["First para.", "Second one here.", ""])
    assert text.value == "First para.\n\nSecond one here.\n\n"
    assert text.paragraph_starts == [0, 13, 31]
    assert [text.paragraph_of(i) for i in (0, 10, 12, 13, 30, 31)] == [1, 1, 1, 2, 2, 3]
    empty = make_text([])
    assert (empty.value, empty.paragraph_starts, empty.sentence_ends) == ("", [], [])
    assert empty.paragraph_of(0) == 1 and empty.sentence(0) == (0, 0) and not empty.is_quoted(0, 5)


def test_a_snippet_is_one_line_and_cut_with_an_ellipsis():
    """The evidence quoted in the draft's comments is one short line: a line break would end the YAML comment."""
    text = make_text(["Ali  Hasanov\tsaid", "it " * 60])
    assert text.snippet(0, 22) == "Ali Hasanov said it"
    snippet = text.snippet(0, len(text.value))
    assert len(snippet) <= 110 and snippet.endswith(" it…") and "\n" not in snippet
    assert text.snippet(-5, 3, limit=10) == "Ali"


def test_a_snippet_keeps_whole_words():
    """A window that begins or ends inside a word is widened to the word's edges, and a long one is cut after a
    word: "d on Thursday" or "ers at the briefing" would read as other words."""
    text = make_text(["Zakharova said on Thursday that Russia would continue.", "She told reporters at the briefing."])
    said = text.value.index("said")
    assert text.snippet(said + 3, said + 20) == "said on Thursday that"
    told = text.value.index("reporters")
    assert text.snippet(told + 6, len(text.value)) == "reporters at the briefing."
    assert text.snippet(0, len(text.value), limit=30) == "Zakharova said on Thursday…"


def test_sentences_end_at_a_stop_before_a_capital_in_any_script_but_not_after_an_abbreviation():
    """Speech verbs are looked for within the name's sentence: 'Dr. Smith' or 'Dec. 28' ending a sentence would
    cut a speaker off from his verb; a sentence beginning in Cyrillic or with Ş or İ must still be one."""
    text = make_text(["Dr. Smith met Mr. Jones on Dec. 28 in St. Petersburg. Гасанов left! Şahin asked why? "
                      "İlham agreed… «Yes,» he said. No. 5 won.", "New paragraph"])
    assert sentences(text) == ["Dr. Smith met Mr. Jones on Dec. 28 in St. Petersburg.", "Гасанов left!",
                               "Şahin asked why?", "İlham agreed…", "«Yes,» he said.", "No. 5 won.", "New paragraph"]
    start, end = text.sentence(text.value.index("Şahin"))
    assert text.value[start:end] == " Şahin asked why?"


def test_a_name_with_an_initial_is_one_sentence_and_one_new_name():
    """'John Q. Newman said' is not a sentence ending at 'Q.': cut there, the name lost its surname and its verb.
    The price: 'Plan B. Then' is read as one sentence, a smaller loss than a speaker cut off from his verb."""
    text = make_text(["John Q. Newman, the chairman, said so. Plan B. Then it ended."])
    assert sentences(text) == ["John Q. Newman, the chairman, said so.", "Plan B. Then it ended."]
    assert new_names("John Q. Newman said so. J. R. Smith agreed.") == [("people", "John Q. Newman", False),
                                                                       ("people", "J. R. Smith", False)]


@pytest.mark.parametrize("before", ["The talks were held in Hall C.", "The delegates voted for Option B."])
def test_a_capital_ending_a_sentence_before_a_full_name_is_no_initial(before):
    """'held in Hall C. Ivan Petrov said' ends a sentence at 'C.': an initial is followed by another or by the surname
    alone, not by a first name and a surname. Read as an initial, the draft offered 'Hall C. Ivan Petrov' as a new
    speaker for the registry."""
    text = make_text([f"{before} Ivan Petrov said so."])
    assert sentences(text) == [before, "Ivan Petrov said so."]
    assert [name for _, name, _ in new_names(f"{before} Ivan Petrov said so.") if "Petrov" in name] == ["Ivan Petrov"]


def test_a_sentence_beginning_with_schwa_is_a_sentence_of_its_own():
    """'He spoke. Əliyev said yes.' is two sentences, as it is with 'Aliyev'; run together, a body in the first
    is taken for the second sentence's speaker's own body."""
    assert sentences(make_text(["He spoke. Əliyev said yes."])) == ["He spoke.", "Əliyev said yes."]


@pytest.mark.parametrize("paragraphs, quoted", [
    (['He said "we will win" and left.'], ['"we will win"']),
    (["He said “we will win” and left."], ["“we will win”"]),
    (["He said «we will win» and left."], ["«we will win»"]),
    (['"We will win," he said.'], ['"We will win,"']),
    (['The "ALEF" movement and the "Azerbaijan National NGO Forum" met.'], []),  # quoted names, not quotations
    (['It is 5" long and "quoted" here.'], ['"quoted"']),  # an inch mark opens nothing
    (['He said: "We will win.', 'And we go on."', "Then he left."], ['"We will win.\n\nAnd we go on."']),
    (["He said “we will win.", "Next paragraph."], ["“we will win.\n\nNext paragraph."]),  # never closed: to the end
    (["He said 'we will win' and left."], []),  # single quotes are apostrophes too: not read
])
def test_what_is_inside_quotation_marks_is_marked_quoted(paragraphs, quoted):
    """A name inside a quotation is only mentioned by the speaker; taking it for a speaker would attribute the
    statement to the wrong person."""
    assert quoted_parts(make_text(paragraphs)) == quoted


def test_a_quotation_inside_a_quotation_does_not_end_it():
    """In '“They called it «a new page», said Ali Hasanov,” the minister recalled' the minister quotes Hasanov's
    words: Hasanov must not be drafted as a speaker of the statement."""
    text, _, people = registered(PEOPLE, "“They called it «a new page», said Ali Hasanov at the time,” the minister "
                                         "recalled.")
    assert quoted_parts(text) == ["“They called it «a new page», said Ali Hasanov at the time,”"]
    assert [o.quoted for o in people] == [True] and speaker_roles(text, people) == {}


def test_each_paragraph_of_a_long_quotation_may_open_it_again():
    """In print a quotation over several paragraphs opens each of them and closes only at its end: the reporter's
    words after it are not quoted, and neither is a name there."""
    text, _, people = registered(PEOPLE, "“We met in Baku.", "“We agreed,” the minister said, and Ali Hasanov spoke.")
    assert quoted_parts(text) == ["“We met in Baku.\n\n“We agreed,”"]
    assert [o.quoted for o in people] == [False]


# --- words and keys ----------------------------------------------------------------------------


@pytest.mark.parametrize("spellings, key", [
    (["Bülbüloğlu", "Bulbuloglu", "BÜLBÜLOĞLU"], "bulbuloglu"),
    (["İlham", "ILHAM", "Ilham", "ılham"], "ilham"),
    (["Захарова", "Zakharova", "Zaxarova"], "zaxarova"),
    (["Grigoriy", "Grigory", "Grigorii"], "grigori"),
    (["Mariya", "Maria", "Марiя"], "maria"),
    (["Ikhiilov", "Ixiilov"], "ixilov"),
    (["Café", "Cafe\u0301", "CAFE"], "cafe"),  # composed and decomposed é
    (["Straße", "Strasse"], "strase"),
    (["O'Brien", "O’Brien", "OBrien"], "obrien"),
    (["Şəki", "Shaki"], "shaki"),  # Azerbaijani Latin as the English-language press writes it
    (["Hacıyev", "Hajiyev"], "hajiev"),
    (["Əli", "Ali"], "ali"), (["Həsənov", "Hasanov"], "hasanov"), (["Məmmədov", "Mammadov"], "mamadov"),
    (["Cavid"], "cavid"), (["Xəlilov", "Khalilov"], "xalilov"),
    (["", "Ъ", "’"], ""),  # nothing to match: never a key that matches everything
])
def test_spellings_of_one_name_share_a_key(spellings, key):
    """The same person is written in Azerbaijani, Russian and English transliterations: each must find the
    registry entry, and a key must not be made of nothing."""
    assert {word_key(s) for s in spellings} == {key}


def test_words_are_split_at_apostrophes_hyphens_and_underscores_with_their_places():
    """A name's words must be found where they stand ('Şəki-Zaqatala', 'Hasanov's') for the draft to quote them."""
    tokens = tokenize("Əli's Şəki-Zaqatala snake_case 2025 — Маша")
    assert [(t.start, t.end, t.text, t.key) for t in tokens] == [
        (0, 3, "Əli", "ali"), (4, 5, "s", "s"), (6, 10, "Şəki", "shaki"), (11, 19, "Zaqatala", "zaqatala"),
        (20, 25, "snake", "snake"), (26, 30, "case", "case"), (31, 35, "2025", "2025"), (38, 42, "Маша", "masha")]
    assert tokenize("") == [] and tokenize(" — ,.") == []


# --- registered names --------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, words", [
    ("ILHAM ALIYEV said.", "ILHAM ALIYEV"),
    ("Мария Захарова said.", "Мария Захарова"),
    ("Ali  Hasanov said.", "Ali  Hasanov"),
    ("Ali-Hasanov said.", "Ali-Hasanov"),
    ("Əli Həsənov said.", "Əli Həsənov"),  # in Azerbaijani Latin, as an Azerbaijani-language report writes it
    ("Ali Hasanov's aide said.", "Ali Hasanov"),
    ("ali hasanov said.", None),  # two words, both in lower case: common words
    ("Ali hasanov said.", None),  # a word the registry capitalises, in lower case
    ("Ali:: Hasanov said.", None),  # more than two characters between the words
])
def test_a_registered_name_is_found_whatever_its_script_or_case_but_its_words_must_stand_together(sentence, words):
    """A registered person must be found in any spelling the press uses, but not in words that merely follow each
    other across punctuation, or the editor is offered people who are not in the article."""
    registry = registry_of(people=[("Ali Hasanov", []), ("Ilham Aliyev", []), ("Maria Zakharova", [])])
    text, _, occurrences = registered(registry, sentence)
    assert [text.value[o.start:o.end] for o in occurrences] == ([words] if words else [])


def test_a_name_does_not_run_over_a_paragraph_break():
    """The last word of one paragraph and the first of the next are not one name."""
    _, _, occurrences = registered(PEOPLE, "They met Ali", "Hasanov said it.")
    assert occurrences == []


@pytest.mark.parametrize("sentence, fuzzy", [
    ("Igor Korotchenkov said.", True),  # one long word a letter off: found, and shown as spelled differently
    ("Azerbaijan Natonal NGO Forum met.", True),
    ("Azerbaijan Natonal NGO Forums met.", None),  # two words off: another name
    ("Igr Korotchenko said.", None),  # a short word must be exact
    ("Igor Korotchenko said.", False),
])
def test_one_long_word_of_a_longer_name_may_be_one_letter_off_and_is_then_flagged(sentence, fuzzy):
    """Spellings differ by a letter between outlets ('Hacıyev'/'Hajiyev'); a looser match would put other
    people's words in an official's mouth, so a loose match is shown to the editor as such."""
    registry = registry_of(people=[("Igor Korotchenko", [])], organisations=[("Azerbaijan National NGO Forum", [])])
    _, _, occurrences = registered(registry, sentence)
    assert [o.fuzzy for o in occurrences] == ([fuzzy] if fuzzy is not None else [])


def test_the_longest_name_wins_and_an_exact_name_beats_a_loose_one():
    """'the Embassy of Azerbaijan in Russia' is that embassy, not the Embassy of Azerbaijan; 'Ali Hasanova' is a
    registered person of her own, not a misspelling of Ali Hasanov."""
    registry = registry_of(people=[("Ali Hasanov", []), ("Ali Hasanova", [])],
                           organisations=[("Embassy of Azerbaijan", []), ("Embassy of Azerbaijan in Russia", [])])
    text, _, occurrences = registered(registry, "Ali Hasanova met Ali Hasanov at the Embassy of Azerbaijan in Russia.")
    assert found(text, occurrences) == [
        ("Ali Hasanova", "Ali Hasanova", False, False, False), ("Ali Hasanov", "Ali Hasanov", False, False, False),
        ("Embassy of Azerbaijan in Russia", "Embassy of Azerbaijan in Russia", False, False, False)]


def test_only_the_kinds_asked_for_are_found_and_quoted_ones_are_marked():
    """The importer looks for events separately from people and bodies; a name inside a quotation is marked so
    that it is listed as a mention, not a speaker."""
    registry = registry_of(people=[("Ali Hasanov", [])], places=[("Baku", [])])
    text, _, occurrences = registered(registry, "“Ali Hasanov is right,” they said in Baku.", kinds=("people",))
    assert found(text, occurrences) == [("Ali Hasanov", "Ali Hasanov", True, False, False)]


def test_an_occurrence_key_is_its_slug_or_its_kind_and_tidied_name():
    """Two places naming one new person must make one suggestion, and a new person and a new body of the same
    name must stay two."""
    assert Occurrence("people", "people-0", "Ali Hasanov", 0, 11, False).key == "people-0"
    assert Occurrence("people", "", " Rena  Aliyeva", 0, 14, False).key == \
        Occurrence("people", "", "Rena Aliyeva", 5, 17, True).key == "new:people:Rena Aliyeva"
    assert Occurrence("organisations", "", "Rena Aliyeva", 0, 12, False).key == "new:organisations:Rena Aliyeva"


# --- short forms -------------------------------------------------------------------------------


def test_a_lone_surname_of_a_person_named_in_full_is_that_person():
    """'Bulbuloglu said' later in the article is the same speaker as 'Polad Bülbüloğlu'; a surname in lower case, or
    of someone the article never names in full ('Lavrov'), is not, and one inside a quotation is marked so."""
    registry = registry_of(people=[("Polad Bülbüloğlu", []), ("Sergey Lavrov", [])])
    text, tokens, occurrences = registered(registry, "Polad Bülbüloğlu spoke. Bulbuloglu said that bulbuloglu was "
                                                     "there. “We thank BÜLBÜLOĞLU for it,” they said. Lavrov was "
                                                     "absent.")
    assert found(text, surname_occurrences(text, tokens, occurrences)) == [
        ("Polad Bülbüloğlu", "Bulbuloglu", False, False, True), ("Polad Bülbüloğlu", "BÜLBÜLOĞLU", True, False, True)]


def test_a_surname_shared_by_two_people_named_in_full_is_left_alone():
    """With Ali and Elnur Hasanov in the article, 'Hasanov said' could be either: guessing would misattribute."""
    registry = registry_of(people=[("Ali Hasanov", []), ("Elnur Hasanov", [])])
    text, tokens, occurrences = registered(registry, "Ali Hasanov and Elnur Hasanov spoke. Hasanov said it.")
    assert surname_occurrences(text, tokens, occurrences) == []


def test_the_committee_is_the_committee_named_in_full():
    """'the Committee said' is the body named earlier in full, and may be the one that issues the statement; a
    short form two bodies of the article share ('the Union'), or a body not named in full, is left alone."""
    registry = registry_of(organisations=[("State Committee on Work with Diaspora", []), ("Youth Union", ["AMOR"]),
                                          ("Writers Union", [])])
    text, _, occurrences = registered(registry, "Officials met the State Committee on Work with Diaspora, the Youth "
                                                "Union and the Writers Union; the Committee and the State Committee "
                                                "said the Union agreed, as the committee did.")
    assert found(text, short_form_occurrences(text, occurrences, registry)) == [
        ("State Committee on Work with Diaspora", "Committee", False, False, True),
        ("State Committee on Work with Diaspora", "State Committee", False, False, True)]
    text, _, occurrences = registered(registry, "Officials met the Youth Union; the Committee agreed.")
    assert short_form_occurrences(text, occurrences, registry) == []  # no committee named in full


def test_the_committee_at_the_start_of_a_sentence_is_found_too():
    """'The Committee said in a statement' is the usual way a body issues one: missed, the body is drafted as
    merely mentioned instead of as the statement's organisation."""
    registry = registry_of(organisations=[("State Committee on Work with Diaspora", [])])
    text, _, occurrences = registered(registry, "The State Committee on Work with Diaspora met in Baku.",
                                      "The Committee said it supports the forum.")
    assert found(text, short_form_occurrences(text, occurrences, registry)) == [
        ("State Committee on Work with Diaspora", "Committee", False, False, True)]


# --- new names ---------------------------------------------------------------------------------


def new_names(sentence, registry=None):
    text, tokens, occurrences = registered(registry or registry_of(places=[("Baku", [])]), sentence)
    return [(o.kind, o.name, o.short) for o in find_unregistered(text, tokens, occurrences)]


@pytest.mark.parametrize("sentence, expected", [
    ("Rəna Əliyeva və Murad Kərimov görüşdü.", [("people", "Rəna Əliyeva", False), ("people", "Murad Kərimov", False)]),
    ("Рена Алиева said.", [("people", "Рена Алиева", False)]),
    ("Şahin Ağayev spoke. Ağayev added.", [("people", "Şahin Ağayev", False), ("people", "Şahin Ağayev", True)]),
    ("Ilham Aliyev met Rena Aliyeva.", [("people", "Rena Aliyeva", False)]),  # a registered name is not new
    ("The NATO Council met the UN Security Council.",
     [("organisations", "NATO Council", False), ("organisations", "UN Security Council", False)]),
    ("The Ministry of Culture and Tourism met.", [("organisations", "Ministry of Culture and Tourism", False)]),
    ("The Union of Young Azerbaijanis of Saint Petersburg met.",
     [("organisations", "Union of Young Azerbaijanis of Saint Petersburg", False)]),
    ("Professor Timur Vagapov of the Ural Federal University spoke.",
     [("people", "Timur Vagapov", False), ("organisations", "Ural Federal University", False)]),
    ("The Baku Forum met.", [("organisations", "Baku Forum", False)]),  # a registered place in a body's name
    ("Rena Aliyeva Murad Karimov Elchin Amirbayov Ilgar Mammadov spoke.", []),  # five words and more: a list
    ("New York Times reported it. The NGO said so. Saint Petersburg agreed.", []),  # not people's names
])
def test_new_people_and_bodies_are_found_as_written(sentence, expected):
    """A name the registry lacks is offered to the editor to add, written as in the article (Azerbaijani,
    Cyrillic): cities, newspapers and acronyms must not be offered as people."""
    registry = registry_of(people=[("Ilham Aliyev", [])], places=[("Baku", [])])
    assert new_names(sentence, registry) == expected


@pytest.mark.parametrize("before", ["On Monday", "In January", "In Baku"])
def test_a_new_name_after_a_day_month_or_place_without_a_comma_is_found(before):
    """'On Monday Rena Aliyeva said' names a new speaker as surely as 'On Monday, Rena Aliyeva said' does."""
    assert new_names(f"{before} Rena Aliyeva said it.") == [("people", "Rena Aliyeva", False)]


def test_two_new_bodies_joined_by_and_the_are_two():
    """'The Caspian Trade Council and the Ural Federal University have issued' names two issuers: offered as one, the
    editor would be asked to register a body that does not exist."""
    assert new_names("The Caspian Trade Council and the Ural Federal University have issued a joint statement.") == [
        ("organisations", "Caspian Trade Council", False), ("organisations", "Ural Federal University", False)]


def test_a_new_name_with_a_title_is_listed_with_the_words_that_show_it():
    """A new person or body is worth listing when the article gives a title or role: the editor checks the
    quoted words before adding them to the registry."""
    text = make_text(["Murad Karimov, chairman of the Caspian Trade Council, spoke. Dr Lena Orlova and Rena Aliyeva "
                      "left. The Caspian Trade Council chairman agreed. The Caspian Trade Council met."])
    tokens = tokenize(text.value)
    roles = {}
    for o in find_unregistered(text, tokens, []):
        role = title_role(text, o)
        roles.setdefault(o.name, []).append(role and (role.why, text.value[role.start:role.end]))
    assert roles == {
        "Murad Karimov": [("named with a title", "Murad Karimov, chairman of the Caspian Trade Council")],
        "Caspian Trade Council": [("named as someone's body", "chairman of the Caspian Trade Council"),
                                  ("named as someone's body", "Caspian Trade Council chairman"), None],
        "Lena Orlova": [("named with a title", "Dr Lena Orlova")],
        "Rena Aliyeva": [None],
    }


# --- who speaks --------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, evidence", [
    ("Ali Hasanov has also repeatedly said it.", "Ali Hasanov has also repeatedly said"),
    ("Ali Hasanov (AMOR) noted it.", "Ali Hasanov (AMOR) noted"),
    ("Ali Hasanov of the Foreign Ministry said it.", "Ali Hasanov of the Foreign Ministry said"),
    ("Ali Hasanov, who met the guests, said it.", "Ali Hasanov, who met the guests, said"),
    ("It is time, said Ambassador Ali Hasanov.", "said Ambassador Ali Hasanov"),
    ("According to presidential aide Ali Hasanov, it is time.", "According to presidential aide Ali Hasanov"),
    ("Ali Hasanov saidly left.", None),  # a verb must be a whole word
    ("“Ali Hasanov said it,” she said.", None),  # a verb inside quotation marks is the quoted speaker's
    ("He thanked Ali Hasanov.", None),  # 'thanked X': X is thanked
])
def test_the_words_that_make_a_name_a_speaker(sentence, evidence):
    """A speaker is drafted only where a speech verb belongs to the name; the words shown are what the editor
    checks, so they run from the name to the verb and no further."""
    text = make_text([sentence])
    start = text.value.index("Ali Hasanov")
    span = speech_span(text, start, start + len("Ali Hasanov"))
    assert (text.value[span[0]:span[1]] if span else None) == evidence


@pytest.mark.parametrize("body", ["“Araz”", "«Araz»"])
def test_a_speaker_whose_title_names_a_body_in_typographic_quotes_still_speaks(body):
    """'Ali Hasanov, head of the «Araz» foundation, said' makes him a speaker, as it does with "Araz" in straight
    quotes: the outlets write bodies' names in either kind."""
    sentence = f"Ali Hasanov, head of the {body} foundation, said it."
    text, _, people = registered(PEOPLE, sentence)
    assert {i: (role.why, text.value[role.start:role.end]) for i, role in speaker_roles(text, people).items()} == {
        0: ("speaks", sentence[:-4])}


def test_names_listed_before_one_verb_all_speak_but_not_across_a_clause_or_sentence():
    """'A, B and C also spoke' makes three speakers; a name cut off by 'who ...' or by a full stop is not in the
    list and must not be made a speaker."""
    def speakers(*paragraphs):
        text, _, people = registered(PEOPLE, *paragraphs)
        return {text.value[people[i].start:people[i].end]: role.why for i, role in speaker_roles(text, people).items()}

    assert speakers("Ali Hasanov, Igor Petrov, and Anna Ivanova also spoke.") == {
        "Ali Hasanov": "speaks, one of a list", "Igor Petrov": "speaks, one of a list", "Anna Ivanova": "speaks"}
    assert speakers("Ali Hasanov, who left, Igor Petrov and Anna Ivanova spoke.") == {
        "Igor Petrov": "speaks, one of a list", "Anna Ivanova": "speaks"}
    assert speakers("Ali Hasanov met the guests. Igor Petrov spoke.") == {"Igor Petrov": "speaks"}
    assert speakers("Ali Hasanov and", "Igor Petrov spoke.") == {"Igor Petrov": "speaks"}
    assert speakers("“We thank Ali Hasanov,” Igor Petrov and Anna Ivanova said.") == {
        "Igor Petrov": "speaks, one of a list", "Anna Ivanova": "speaks"}  # the quoted name is thanked


# --- what a body does --------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, roles", [
    ("The NGO Forum, a union of 50 groups, has adopted an appeal.",
     {"NGO Forum": ("speaks or issues the statement", "NGO Forum, a union of 50 groups, has adopted")}),
    ("A statement of the NGO Forum was issued.", {}),  # the body follows 'of': its statement, not it, acts
    ("“The NGO Forum has issued a statement,” he said.", {}),
    ("The Foreign Ministry's spokesperson said it.",
     {"Foreign Ministry": ("speaks through its representative", "The Foreign Ministry's spokesperson said it.")}),
    ("The Foreign Ministry's spokesperson left.", {}),  # a representative who says nothing
    ("The event was organized by the Embassy of Azerbaijan, which was then closed.",
     {"Embassy of Azerbaijan": ("organises or hosts", "organized by the Embassy of Azerbaijan")}),
    ("The Youth Union (AMOR) activists attended.",
     {"Youth Union": ("takes part through its members", "The Youth Union (AMOR) activists attended.")}),
    ("Youth Union head Ali Hasanov said it. The Youth Union is large.",
     {"Youth Union": ("a speaker's own body, and the article comes back to it", "Youth Union")}),
    ("Youth Union head Ali Hasanov said it.", {}),  # named once, beside its head: only his title
])
def test_a_body_is_listed_for_what_it_does_in_the_article(sentence, roles):
    """Bodies go to 'organisations' only if they issue, organise, take part or keep coming back; one merely named
    is a mention, and the quoted words let the editor check which."""
    registry = registry_of(people=[("Ali Hasanov", [])],
                           organisations=[("NGO Forum", []), ("Foreign Ministry", []), ("Embassy of Azerbaijan", []),
                                          ("Youth Union", ["AMOR"])])
    text, _, occurrences = registered(registry, sentence)
    people = [o for o in occurrences if o.kind == "people"]
    bodies = [o for o in occurrences if o.kind == "organisations"]
    speaking = [(people[i], role) for i, role in speaker_roles(text, people).items()]
    acting = organisation_roles(text, bodies, speaking)
    assert {bodies[i].name: (role.why, text.value[role.start:role.end]) for i, role in acting.items()} == roles


# --- a person's role in the article's words ----------------------------------------------------


@pytest.mark.parametrize("sentence, role", [
    ("Ali Hasanov, chairman of the council, said it.",
     ("chairman of the council", "Ali Hasanov, chairman of the council")),
    ("Ali Hasanov, “the best” activist, spoke.", ("“the best” activist", "Ali Hasanov, “the best” activist")),
    ("Ali Hasanov, the “best activist, spoke.", None),  # a quotation cut in two is no role
    ("Ali Hasanov, who is chairman, spoke.", None),  # a clause, not an apposition
    ("Ali Hasanov, a friend, said it.", None),  # no word of a role
    ("Azerbaijani Ambassador to Russia Ali Hasanov said it.",
     ("Azerbaijani Ambassador to Russia", "Azerbaijani Ambassador to Russia Ali Hasanov")),
    ("the very old national leader Ali Hasanov spoke.", ("old national leader", "old national leader Ali Hasanov")),
    ("Addressing Ambassador Ali Hasanov, she spoke.", ("Ambassador", "Ambassador Ali Hasanov")),
    # A sentence that begins with the role keeps its first word, which names do not begin with.
    ("Political scientist Ali Hasanov said it.", ("Political scientist", "Political scientist Ali Hasanov")),
    ("Foreign Minister Ali Hasanov said it.", ("Foreign Minister", "Foreign Minister Ali Hasanov")),
    ("Foreign Ministry spokeswoman Ali Hasanov said it.",  # "Foreign" begins the body's name too
     ("Foreign Ministry spokeswoman", "Foreign Ministry spokeswoman Ali Hasanov")),
    ("Foreign Ministry of Russia spokeswoman Ali Hasanov said it.",
     ("Foreign Ministry of Russia spokeswoman", "Foreign Ministry of Russia spokeswoman Ali Hasanov")),
    ("Foreign Ali Hasanov said it.", None),
    ("“As Ambassador Ali Hasanov said, we won,” she said.", None),  # inside a quotation: the speaker's words
    ("Ali Hasanov, председатель комитета, said.", None),  # role words are read in English only
])
def test_a_role_is_taken_word_for_word_from_an_apposition_or_a_title(sentence, role):
    """The drafted role is quoted from the article, so it must be the article's own words about this person and
    nothing more; where the words are no role, none is drafted."""
    text, _, people = registered(PEOPLE, sentence)
    found_role = reported_role(text, people[0])
    assert (found_role and (found_role[0], text.value[found_role[1]:found_role[2]])) == role


def test_a_role_between_two_listed_names_is_left_to_the_editor():
    """In 'A, chairman of B, C and D' the role may be A's or C's: guessing would give someone the wrong office."""
    text, _, people = registered(PEOPLE, "Igor Petrov, chairman of the council, Anna Ivanova and others spoke.")
    assert reported_role(text, people[0], people[1].start) is None
    assert reported_role(text, people[0]) == ("chairman of the council", 0, 36)  # with no name after it: his


@pytest.mark.parametrize("before, words", [
    ("political scientist ", ["political", "scientist"]),
    ("the very old national leader ", ["old", "national", "leader"]),  # two lower-case words before the role
    ("He met the head of the Council ", ["the", "head", "of", "the", "Council"]),
    ("said, Ambassador", []),  # no space before the name
    ("the country's friend ", []),
])
def test_the_words_before_a_name_that_may_be_its_title(before, words):
    """Only a title's words may be taken ('Azerbaijani Ambassador to Russia'), not the verb or clause before it."""
    assert import_names._title_before(before) == words
