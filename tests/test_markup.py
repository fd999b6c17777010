"""Statement bodies: an id and a ¶ link on every paragraph; raw HTML sanitised unless trusted."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from statement_archive import markup
from statement_archive.markup import render_body, render_markdown, without_pilcrows

ROOT = Path(__file__).resolve().parent.parent


def soup_of(body) -> BeautifulSoup:
    return BeautifulSoup("".join(block.html for block in body.blocks), "html.parser")


def test_every_paragraph_gets_a_positional_id_and_a_pilcrow_link():
    body = render_body("First *one*.\n\nSecond, with a [link](https://apa.az/).\n\n> A quoted paragraph.\n")
    assert [(p.id, p.text) for p in body.paragraphs] == [
        ("p1", "First one."), ("p2", "Second, with a link."), ("p3", "A quoted paragraph.")]
    soup = soup_of(body)
    for number, p in enumerate(soup.find_all("p"), start=1):
        assert p["id"] == f"p{number}"
        (pilcrow,) = [a for a in p.find_all("a") if a.get_text() == "¶"]
        assert pilcrow["href"] == f"#p{number}"
        assert pilcrow.get("aria-label"), "the ¶ link says what it is to a screen reader"


def test_a_heading_of_the_text_is_a_heading_below_the_page_s_title():
    """The README says a line beginning with '# ' becomes a heading: its h1 was removed by the sanitiser (the page's
    title is its one h1), and the words stood bare between the paragraphs. It is an h2, as '## ' is, in a registry
    entry's description and in a statement's text."""
    html = render_markdown("# Big heading\n\nText.\n\n## Small heading\n\nMore.\n")
    soup = BeautifulSoup(html, "html.parser")
    assert [(h.name, h.get_text()) for h in soup.find_all(re.compile("^h[1-6]$"))] == [
        ("h2", "Big heading"), ("h2", "Small heading")]
    body = render_body("# Big heading\n\nText.\n")  # a statement's text, as a registry entry's description above
    assert body.blocks[0].html == "<h2>Big heading</h2>" and body.paragraphs[0].id == "p1"  # a heading is no paragraph


def test_blocks_know_which_paragraphs_they_hold():
    body = render_body("One.\n\n- a list item\n- another\n\nTwo.\n")
    assert [block.paragraph_ids for block in body.blocks] == [("p1",), (), ("p2",)]


def test_correcting_a_typo_keeps_every_anchor():
    before = render_body("A typo hre.\n\nSecond.\n")
    after = render_body("A typo here.\n\nSecond.\n")
    assert [p.id for p in before.paragraphs] == [p.id for p in after.paragraphs]


PUBLISHED = "First.\n\nSecond *said*.\n\nThird.\n\nFourth.\n"


def ids_and_texts(text: str) -> dict[str, str]:
    return {p.id: p.text for p in render_body(text).paragraphs}


def test_a_paragraph_added_with_a_pinned_id_moves_no_other_anchor():
    before = ids_and_texts(PUBLISHED)
    after = ids_and_texts(PUBLISHED.replace("Third.", "Added later. {#p2a}\n\nThird."))
    assert after == {**before, "p2a": "Added later."}
    assert list(after) == ["p1", "p2", "p2a", "p3", "p4"]


def test_a_paragraph_removed_moves_no_other_anchor_once_the_next_is_pinned():
    before = ids_and_texts(PUBLISHED)
    unpinned = ids_and_texts(PUBLISHED.replace("Second *said*.\n\n", ""))
    assert unpinned["p2"] == "Third."  # what pinning is for: #p2 would now cite another paragraph
    after = ids_and_texts(PUBLISHED.replace("Second *said*.\n\nThird.", "Third. {#p3}"))
    assert after == {k: v for k, v in before.items() if k != "p2"}


def test_a_pinned_id_is_taken_out_of_the_text_and_the_html_after_inline_markup_too():
    body = render_body("One *two*. {#p5}\n\nThree.\n")
    assert [(p.id, p.text) for p in body.paragraphs] == [("p5", "One two."), ("p6", "Three.")]
    soup = soup_of(body)
    assert "{#" not in soup.get_text()
    assert [a["href"] for a in soup.find_all("a", class_="pilcrow")] == ["#p5", "#p6"]
    assert soup.find("a", class_="pilcrow")["aria-label"] == "Link to paragraph 5"


def test_ids_are_never_given_twice_and_a_pin_that_cannot_be_applied_stays_in_the_text():
    body = render_body("One.\n\nTwo.\n\nThree. {#p2}\n\nFour.\n\nFive. {#p5}\n")
    assert [(p.id, p.text) for p in body.paragraphs] == [
        ("p1", "One."), ("p2", "Two."), ("p3", "Three. {#p2}"),  # p2 is taken: the pin stays, to be reported
        ("p4", "Four."), ("p5", "Five.")]
    body = render_body("One. {#p3}\n\nTwo.\n\nThree. {#p4}\n\nFour.\n")  # "Two." is p4 already
    assert [(p.id, p.text) for p in body.paragraphs] == [
        ("p3", "One."), ("p4", "Two."), ("p5", "Three. {#p4}"), ("p6", "Four.")]
    body = render_body("One. {#p9}\n\nTwo. {#p3}\n\n" + "More.\n\n" * 7)  # out of order: validate.py's error
    ids = [p.id for p in body.paragraphs]
    assert len(set(ids)) == len(ids) and ids[:4] == ["p9", "p3", "p4", "p5"] and "p9" not in ids[1:]


def test_braces_that_are_not_a_pin_are_text():
    body = render_body("A set {#intro} here.\n\nEnds with {#Intro}\n\n{#p7} starts it.\n")
    assert [(p.id, p.text) for p in body.paragraphs] == [
        ("p1", "A set {#intro} here."), ("p2", "Ends with {#Intro}"), ("p3", "{#p7} starts it.")]


def test_text_is_kept_word_for_word():
    text = "“I’m confident,” Hasanov. He said: \"expess\" -- 44-day war & 5 < 6."
    body = render_body(text + "\n")
    assert body.paragraphs[0].text == text
    assert soup_of(body).p.get_text().removesuffix("¶").strip() == text


def test_scripts_event_handlers_and_javascript_links_are_removed():
    body = render_body('Hi <script>alert(1)</script><span onclick="x()">there</span> '
                       '[click](javascript:alert(1)).\n\n<iframe src="https://evil.example/"></iframe>\n')
    html = "".join(block.html for block in body.blocks)
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html and "<iframe" not in html
    assert "there" in html


def test_raw_html_cannot_bring_its_own_ids():
    """An id from pasted HTML would clash with the paragraph anchors or the page's own ids (#main)."""
    body = render_body('One.\n\n<div><p id="main">Pasted.</p><p id="p1">Posing as the first.</p></div>\n\nTwo.\n')
    ids = [element["id"] for element in soup_of(body).find_all(id=True)]
    assert ids == ["p1", "p2"]
    assert [block.paragraph_ids for block in body.blocks] == [("p1",), (), ("p2",)]


def test_words_in_another_language_can_say_which_and_nothing_else_comes_with_it():
    """WCAG 3.1.2: a screen reader reads words marked lang="az" in an Azerbaijani voice."""
    body = render_body('The union (<span lang="az">Rusiya Azərbaycanlı Gənclər Birliyi</span>) said '
                       '<q lang="ru-Latn">Spasibo</q>.\n\n<p lang="az onmouseover=x()">Kept, without its lang.</p>\n'
                       '\n<em lang="ru" dir="rtl" style="color:red">Слово</em>\n')
    soup = soup_of(body)
    assert soup.find("span", lang="az").get_text() == "Rusiya Azərbaycanlı Gənclər Birliyi"
    assert soup.find("q")["lang"] == "ru-Latn"
    assert soup.find("em").attrs == {"lang": "ru"}  # no other attribute comes with it
    assert not soup.find(lang=re.compile(" ")) and "onmouseover" not in str(soup)
    description = BeautifulSoup(render_markdown('Known as <span lang="az">Birlik</span>.'), "html.parser")
    assert description.find("span", lang="az").get_text() == "Birlik"


def test_trusted_html_is_kept_as_written():
    body = render_body('One.\n\n<figure class="chart"><img src="c.png" alt="A chart"></figure>\n', trust_html=True)
    assert '<figure class="chart"><img src="c.png" alt="A chart"></figure>' in body.blocks[1].html


def test_registry_descriptions_are_markdown_without_anchors():
    html = render_markdown('Founded in *2001*.\n\n<p id="main" onclick="x()">Pasted.</p>\n')
    soup = BeautifulSoup(html, "html.parser")
    assert soup.em.get_text() == "2001"
    assert not soup.find_all(id=True) and "onclick" not in html
    assert not re.search(r"¶", html)


def test_quotation_text_keeps_entities_and_drops_inline_tags():
    body = render_body("AT&amp;T said <b>yes</b>, 5 &lt; 6.")
    assert body.paragraphs[0].text == "AT&T said yes, 5 < 6."


def test_script_and_style_content_is_no_paragraph_text_whether_html_is_trusted_or_not():
    text = "He said <script>var secret = 1;</script> nothing <STYLE>p {}</STYLE>of note &amp; more.\n"
    for trusted in (False, True):
        (paragraph,) = render_body(text, trust_html=trusted).paragraphs
        assert paragraph.text == "He said nothing of note & more."  # what a reader sees, and quotations match
    shown = soup_of(render_body(text)).get_text()
    assert "secret" not in shown and "He said" in shown
    assert render_body("A &lt;script&gt; written as text stays.\n").paragraphs[0].text == \
        "A <script> written as text stays."


# Markdown's inline step skips texts that hold nothing its patterns look for (markup._QuickInlineProcessor).
_MARKDOWN_TEXT = st.lists(st.sampled_from(["a", "b", " ", "  ", "\n", "\n\n", "*", "_", "`", "\\", "[", "]", "(", ")",
                                           "!", "<", ">", "&", "#", ";", ":", "/", "@", "-", "1.", "> ", "- ", "    ",
                                           "x;", "\t", "http://e.org", "amp", "«", "ə", "{#p2}"]), max_size=40).map("".join)


def markdowns_own(text: str):
    """The body as Markdown's own inline step makes it, every text tried with every pattern."""
    inline = markup._converter().treeprocessors["inline"]
    inline.quick = False
    try:
        return render_body(text)
    finally:
        inline.quick = True


def test_the_inline_step_is_quick_only_for_markdowns_own_patterns():
    assert markup._converter().treeprocessors["inline"].quick


@settings(max_examples=400, deadline=None)
@given(_MARKDOWN_TEXT)
def test_skipping_texts_without_inline_markup_changes_no_html(text):
    assert render_body(text) == markdowns_own(text)


def test_skipping_texts_without_inline_markup_changes_no_html_of_the_content():
    texts = [frontmatter.load(path).content for path in sorted((ROOT / "content" / "statements").glob("*.md"))]
    assert texts
    for text in texts:
        assert render_body(text) == markdowns_own(text)


@pytest.mark.parametrize("trust_html", [False, True])
def test_a_feed_s_text_loses_every_paragraph_link_and_nothing_else(trust_html):
    body = render_body("One *two* [x](/people/x/).\n\n> Three,\n> four. {#p2a}\n\n- a list\n\n<div>raw</div>\n",
                       trust_html)
    html = "\n".join(block.html for block in body.blocks)
    assert html.count('class="pilcrow"') == 2  # a tight list's items are no paragraphs
    stripped = without_pilcrows(html)
    assert "pilcrow" not in stripped and "¶" not in stripped
    assert '<p id="p1">One <em>two</em> <a href="/people/x/">x</a>.</p>' in stripped
    assert '<p id="p2a">Three,\nfour.</p>' in stripped
    assert re.sub(r' <a [^>]*class="pilcrow"[^>]*>¶</a>', "", html) == stripped


def test_the_ids_that_may_be_pinned_after_one_are_its_next_letter_and_the_next_number():
    from statement_archive.markup import pins_after

    assert [pins_after(pid) for pid in ("p3", "p3a", "p12z")] == ["#p3a or #p4", "#p3b or #p4", "#p12za or #p13"]
