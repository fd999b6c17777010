"""import_clean.py: page furniture taken off a pasted article, and the dates found in it.

test_importer.py already imports whole pages (a menu, a related-news block, a list of time stamps, a
sentence broken over two lines, a date scrap before the dateline) and checks with Hypothesis that
every sentence survives; these tests take the rules one at a time, with the smallest page that shows each.
"""

from __future__ import annotations

import datetime as dt

import pytest

from statement_archive import import_clean
from statement_archive.import_clean import Article, DateMention, clean_article, find_dates

TEXT = "The forum met in Baku on Friday and adopted a statement of support."


def dates(text: str) -> list[tuple]:
    return [(m.text, m.month, m.day, m.year) for m in find_dates(text)]


# --- lines: spaces and invisible characters ----------------------------------------------------


@pytest.mark.parametrize("line, expected", [
    ("  \t ", ""),
    ("Ali\u00a0\u00a0Hasanov  said", "Ali Hasanov said"),  # no-break spaces from a web page
    ("Bakı\u202fşəhəri\u3000və\u2009Şəki", "Bakı şəhəri və Şəki"),  # narrow, ideographic and thin spaces
    ("Ha\u00adsanov", "Hasanov"),  # a soft hyphen
    ("\ufeffZa\u200bkha\u200drova", "Zakharova"),  # a byte-order mark, zero-width space and joiner
    ("\u200eЗахарова\u202c заявила", "Захарова заявила"),  # bidirectional marks
    ("a\u2028b", "a b"),  # a line separator is a space, not a lost one
])
def test_a_line_loses_invisible_characters_and_any_run_of_spaces_becomes_one(line, expected):
    """Text copied from a browser is full of no-break and zero-width characters: a name must read the same with
    them as without, or the editor's search and the registry's matching miss it."""
    assert import_clean._normalise_line(line) == expected


@pytest.mark.parametrize("space", ["\x0b", "\x0c"], ids=["vertical-tab", "form-feed"])
def test_a_vertical_tab_or_form_feed_between_words_keeps_them_apart(space):
    """A word processor's manual line break (vertical tab) or a PDF's page break (form feed) separates words: the
    article must not read 'Baku.The statement'."""
    article = clean_article(f"The forum met in Baku.{space}The statement was adopted.")
    assert article.paragraphs == ("The forum met in Baku. The statement was adopted.",)


def test_an_empty_or_blank_page_gives_an_empty_article():
    """An empty paste must give nothing to import (the importer then says so), never a crash or an empty paragraph."""
    for text in ("", "\n\n\n", " \u00a0\n\u200b\n\t"):
        assert clean_article(text) == Article("", ())


def test_azerbaijani_and_cyrillic_text_is_kept_letter_for_letter():
    """The archive quotes statements as published: letters such as ə, ğ, ı, ş or Cyrillic must not be changed or
    dropped, and a headline in either script is recognised like an English one."""
    azerbaijani = clean_article("Şəki forumu bəyanat qəbul etdi\n\n"
                                "Forum şənbə günü Bakıda keçirildi və iştirakçılar ağır bəyanat qəbul etdilər.")
    assert azerbaijani.headline == "Şəki forumu bəyanat qəbul etdi"
    assert azerbaijani.paragraphs == ("Forum şənbə günü Bakıda keçirildi və iştirakçılar ağır bəyanat qəbul etdilər.",)
    russian = clean_article("Форум в Баку принял заявление\n\nУчастники форума в Баку приняли заявление о поддержке.")
    assert russian.headline == "Форум в Баку принял заявление"
    assert russian.paragraphs == ("Участники форума в Баку приняли заявление о поддержке.",)


def test_html_entities_are_left_as_written():
    """The cleaner never rewrites the text: an entity pasted with it stays for the editor to see and fix, rather
    than being silently decoded into a different quotation or dropped with the words around it."""
    text = "Ali Hasanov &amp; Maria Zakharova said &quot;yes&quot; to the&nbsp;appeal."
    assert clean_article(text).paragraphs == (text,)


# --- furniture ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "Share", "Share this article on Telegram:", "Share on X", "Facebook Twitter WhatsApp", "Google News", "VK",
    "Print this", "E-mail", "email", "Tweet", "Copy link", "Advertisement", "© 2025 APA", "(c) Trend",
    "All rights reserved.", "Subscribe to our newsletter", "Subscribe now", "Subscribe to our Telegram channel",
    "Subscribe for daily updates: t.me/apa_news", "Follow us on our Telegram channel: t.me/apa_news",
    "Join us on Instagram", "***", "= = =", ". . .", "• Moody’s upgrades the banking sector follo…",
    "- Another story that was cut off...", "Read more", "More", "Continue reading...", "Read also: Baku hosts forum",
    "READ MORE » Other news",
])
def test_each_kind_of_furniture_line_is_removed_and_kept_for_review(line):
    """Buttons, rules, teasers and copyright lines are not the statement; the editor sees them under 'removed'
    to check that nothing of the article went with them."""
    article = clean_article(f"{line}\n\n{TEXT}")
    assert article.paragraphs == (TEXT,)
    assert article.removed == (line,)


@pytest.mark.parametrize("sentence", [
    "Share of the vote rose to 40 percent in the second round.",
    "Print media were invited to the briefing on Friday.",
    "More than forty organisations have joined the appeal.",
    "Twitter, Facebook and Telegram were blocked during the war, the ministry recalled.",
    "- The forum adopted a resolution.",  # a list item, not a teaser: it ends with a full stop
    "Subscribe to our newsletter, the outlet urged its readers, and the forum repeated the appeal in its own "
    "statement of Friday.",  # furniture words, but over 100 characters: a sentence
])
def test_sentences_that_begin_like_furniture_are_kept(sentence):
    """Words such as 'Share', 'Print' or 'More' begin real sentences: losing one would change what the official
    said, so only a short line with nothing but furniture goes."""
    article = clean_article(f"{sentence}\n\n{TEXT}")
    assert article.paragraphs == (sentence, TEXT) and article.removed == ()


def test_a_short_sentence_beginning_with_subscribe_to_is_kept():
    """'Subscribe to the appeal, the forum urged.' is the statement itself, as 'Follow us on Telegram, the ministry
    urged.' is: only the newsletter button may go."""
    sentence = "Subscribe to the appeal, the forum urged the diaspora organisations."
    article = clean_article(f"{sentence}\n\n{TEXT}")
    assert article.paragraphs == (sentence, TEXT)


def test_the_first_byline_is_kept_apart_and_every_byline_line_removed():
    """The author goes to the draft's 'author' key, not into the text; a second 'Name Read more' (another story's
    author) must not replace the first."""
    article = clean_article(f"By Leyla Məmmədova Read more\nŞəhla Ağayeva READ MORE\n\n{TEXT}")
    assert article.byline == "Leyla Məmmədova"
    assert article.removed == ("By Leyla Məmmədova Read more", "Şəhla Ağayeva READ MORE")
    assert article.paragraphs == (TEXT,)


def test_a_byline_whose_name_begins_with_schwa_is_recognised():
    """Ə begins many Azerbaijani names (Əli, Əhməd); such an author must be recognised like 'Şəhla Ağayeva'."""
    article = clean_article(f"Əli Həsənov Read more\n\n{TEXT}")
    assert article.byline == "Əli Həsənov"
    assert (article.headline, article.paragraphs) == ("", (TEXT,))


@pytest.mark.parametrize("line, menu", [
    ("Home | Politics", True),
    ("News › World › Europe", True),
    ("Main » Society", True),
    ("  home | economy", True),
    ("Home", False),  # one part: a word, not a menu
    ("Baku | Moscow | Yerevan", False),  # led by no section of a news site
    ("Home | Politics | The forum met in Baku.", False),  # a part is a sentence
    ("Home | Politics | a part of more than five words long", False),
    ("Home | " + " | ".join(["Politics"] * 20), False),  # over 160 characters
    ("Home|Politics", False),  # separators need spaces around them
])
def test_a_menu_line_is_short_parts_led_by_a_site_section(line, menu):
    """A breadcrumb above the headline is furniture, but a headline with '|' in it ('Baku | Moscow talks') is not."""
    assert import_clean._is_navigation(line) is menu


def test_a_menu_line_goes_only_above_the_first_sentence():
    """Below the first sentence a line is the article's, whatever it looks like."""
    article = clean_article(f"Home | Politics\n\n{TEXT}\n\nNews | World")
    assert article.paragraphs == (TEXT, "News | World")
    assert article.removed == ("Home | Politics",)


@pytest.mark.parametrize("heading", ["Related", "Related stories:", "Read also", "See also", "Also read",
                                     "More news", "Latest news", "More on this topic", "Recommended",
                                     "You may also like"])
def test_a_related_block_takes_teasers_until_a_whole_sentence(heading):
    """Other stories' headlines below the article are not its text; the first full sentence after them is, and a
    teaser cut off with '…' is not a sentence."""
    article = clean_article(f"{TEXT}\n\n{heading}\nBaku hosts a conference\nThe minister said that the…\n"
                            "The statement was read out in full.")
    assert article.paragraphs == (TEXT, "The statement was read out in full.")
    assert article.removed == (heading, "Baku hosts a conference", "The minister said that the…")


# --- the page's date ---------------------------------------------------------------------------


@pytest.mark.parametrize("line, full, month_day", [
    ("24 May 2025", dt.date(2025, 5, 24), (5, 24)),
    ("Published: May 24, 2025 at 10:27 PM GMT+4", dt.date(2025, 5, 24), (5, 24)),
    ("— 2025-05-24", dt.date(2025, 5, 24), (5, 24)),
    ("24 May, 10:27", None, (5, 24)),  # no year: the day is known, the year is the editor's
    ("10:27 AM (GMT+4)", None, None),  # a time alone: removed, but it dates nothing
    ("Updated 24.05.2025 10:27", None, None),  # a numeric date line is removed; its date is left to the editor
    ("31 February 2025", None, (2, 31)),  # no such day: no date made up
])
def test_a_date_line_above_the_text_is_removed_and_read_as_the_page_date(line, full, month_day):
    """The page's date line is the best source for the statement's date: it must be read right, and a date that
    cannot be read must be left to the editor rather than guessed."""
    article = clean_article(f"{line}\n\n{TEXT}")
    assert article.paragraphs == (TEXT,) and article.removed == (line,)
    assert article.page_dates == ((line, full, month_day),)


def test_the_hour_after_a_date_line_is_not_read_as_the_day():
    """'24 May 10:27' is the common date line of a news page: the draft must suggest 24 May, not 10 May."""
    article = clean_article(f"24 May 10:27\n\n{TEXT}")
    assert article.page_dates == (("24 May 10:27", None, (5, 24)),)


def test_a_line_of_published_and_updated_dates_is_removed_and_dates_the_page_by_the_first():
    """'Published: … | Updated: …' above the text is page furniture, and the statement's day is the publication's,
    not the update's."""
    line = "Published: 24 May 2025, 10:27 | Updated: 26 May 2025 09:00"
    article = clean_article(f"{line}\n\n{TEXT}")
    assert article.paragraphs == (TEXT,) and article.removed == (line,)
    assert article.page_dates == ((line, dt.date(2025, 5, 24), (5, 24)),)


def test_a_date_line_after_the_first_sentence_is_removed_but_dates_nothing():
    """A date below the text is another story's or an update's, not this statement's day."""
    article = clean_article(f"{TEXT}\n\n24 May 2025\n\nThe second paragraph.")
    assert article.paragraphs == (TEXT, "The second paragraph.")
    assert article.removed == ("24 May 2025",) and article.page_dates == ()


def test_a_long_first_line_without_a_full_stop_counts_as_text():
    """A lede of over 200 characters with its full stop lost is text: a date line after it must not date the page."""
    lede = "The forum " + "met in Baku and " * 13 + "adopted a statement"
    assert len(lede) > 200
    article = clean_article(f"{lede}\n\n24 May 2025\n\n{TEXT}")
    assert article.page_dates == () and article.paragraphs == (lede, TEXT)


def test_a_date_scrap_gives_the_date_and_an_impossible_one_gives_none():
    """'date 2025-06-30' pasted with the page dates it; a scrap with an impossible day must not stop the import or
    make up a date, and the words after the scrap stay."""
    article = clean_article(f"date 2025-02-30 {TEXT}")
    assert article.paragraphs == (TEXT,)
    assert article.removed == ("date 2025-02-30",)
    assert article.page_dates == (("date 2025-02-30", None, None),)
    article = clean_article("date 2025-06-30\n\ndate 2025-07-01\n\n" + TEXT + "\n\ndate 2025-07-02 More text.")
    assert [full for _, full, _ in article.page_dates] == [dt.date(2025, 6, 30), dt.date(2025, 7, 1)]  # not the third
    assert article.paragraphs == (TEXT, "More text.")


# --- headline and paragraphs -------------------------------------------------------------------


@pytest.mark.parametrize("first, headline", [
    ("Diaspora must speak with one voice", True),
    ("Will the forum meet again?", True),
    ("İlham Əliyev receives the delegation", True),  # a capital İ
    ("Forum: Baku", False),  # two words: a label
    ("The forum met in Baku:", False),  # ends as a sentence goes on
    ("The forum met, the ministry said;", False),
    ("Forum met. It ended", False),  # two sentences
    ("şəki forumu bəyanat qəbul etdi", False),  # lower case: a line of text
    ("“Diaspora must speak with one voice”", False),  # a quotation opens it
])
def test_only_a_short_line_that_is_no_sentence_is_taken_for_the_headline(first, headline):
    """The headline becomes the draft's title and leaves the text: a sentence of the article taken for it would be
    lost from the body."""
    article = clean_article(f"{first}\n\n{TEXT}")
    assert (article.headline == first) is headline
    assert (article.headline,) + article.paragraphs in (("", first, TEXT), (first, TEXT))


def test_a_headline_needs_a_longer_paragraph_after_it():
    """Two short lines are a list or a caption, not a headline and its article."""
    assert clean_article("Forum meets in Baku\n\nShort.") == Article("", ("Forum meets in Baku", "Short."))


@pytest.mark.parametrize("lines, expected", [
    (["well-", "known fact."], ["well-known fact."]),  # a hyphen at the break: no space added, none lost
    (["He said: «", "We will win»."], ["He said: «We will win»."]),  # an opening quotation mark at the end
    (["Leaders met —", "Baku agreed."], ["Leaders met — Baku agreed."]),  # a dash at the break
    (["The ministers met in", None, "the capital of Azerbaijan."], ["The ministers met in the capital of Azerbaijan."]),
    (["The ministers met on Friday.", "e-visas were discussed."], ["The ministers met on Friday.",
                                                                   "e-visas were discussed."]),
    (["The ministers agreed:", "items"], ["The ministers agreed:", "items"]),  # a colon ends a lead-in, not a line
    (["They met in", "Baku."], ["They met in", "Baku."]),  # a short line before a capital: a headline
    (["The ministers of the two countries met with the members of the forum in", "Baku last week."],
     ["The ministers of the two countries met with the members of the forum in Baku last week."]),
    (["The ministers of the two countries met with the members of the forum in", None, "Baku last week."],
     ["The ministers of the two countries met with the members of the forum in", "Baku last week."]),
    ([None, None], []),
])
def test_lines_are_joined_only_where_a_sentence_was_broken(lines, expected):
    """A page breaks sentences at its line width or at a quotation; rejoined, the sentence is whole again, but two
    separate sentences or a headline must not run together."""
    assert import_clean._rejoin(lines) == expected


# --- dates in the text -------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("No date is given here.", []),
    ("on 9 May 2025.", [("9 May 2025", 5, 9, 2025)]),
    ("Sept. 3, 2024", [("Sept. 3, 2024", 9, 3, 2024)]),
    ("June 1st, 2020 and 1st June", [("June 1st, 2020", 6, 1, 2020), ("1st June", 6, 1, None)]),
    ("December 31st 1999", [("December 31st 1999", 12, 31, 1999)]),
    ("31 December, 1999", [("31 December, 1999", 12, 31, 1999)]),
    ("Oct 14 2024", [("Oct 14 2024", 10, 14, 2024)]),
    ("2025-07-01", [("2025-07-01", 7, 1, 2025)]),
    ("9 May 20250", [("9 May", 5, 9, None)]),  # five digits are no year
    ("1 Jan 2020-2021", [("1 Jan 2020", 1, 1, 2020)]),
    ("32 May; May 32; 0 May; 2024-13-01; March 2025", []),  # no such day or month, or no day
    ("you may call on 3 may; the MAY 9 banner; Mayor 9", []),  # 'may' and 'Mayor' are not months
    ("12.05.2025 and 05/12/2025", []),  # numeric dates are ambiguous in running text: left alone
    ("9 мая, 9 Mayıs", []),  # months are read in English only
])
def test_dates_in_text_are_read_with_their_year_only_where_one_is_printed(text, expected):
    """The draft's date comes from these: a day read wrong, or a year taken from elsewhere, would date the
    statement wrongly without the editor noticing."""
    assert dates(text) == expected


def test_a_date_mention_gives_its_place_in_the_text():
    """The importer quotes the words that gave the date and scores a dateline by its position."""
    text = "BAKU, June 30. The forum met on 2025-07-01."
    found = find_dates(text)
    assert [(m.start, m.end) for m in found] == [(6, 13), (32, 42)]
    assert [text[m.start:m.end] for m in found] == [m.text for m in found] == ["June 30", "2025-07-01"]


def test_a_time_after_a_date_is_not_read_as_its_day():
    """'24 May 10:27' and '20 Mar. 22:45' are dates followed by a time: 24 May and 20 March."""
    assert dates("24 May 10:27") == [("24 May", 5, 24, None)]
    assert dates("20 Mar. 22:45") == [("20 Mar.", 3, 20, None)]


@pytest.mark.parametrize("year, month, day, full", [
    (2024, 2, 29, dt.date(2024, 2, 29)),
    (2023, 2, 29, None),  # not a leap year
    (2025, 4, 31, None),
    (None, 5, 9, None),  # no year printed
])
def test_a_full_date_only_where_the_year_makes_a_real_day(year, month, day, full):
    """An impossible date in an article ('February 30, 2024') must leave the date to the editor, not crash."""
    assert DateMention(0, 1, "x", month, day, year).full == full
