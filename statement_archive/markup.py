"""Turn a statement's Markdown into HTML blocks with a stable id and a ¶ link on every paragraph.

Paragraph ids are positional (p1, p2, ...): a corrected typo keeps every link working. So that
a paragraph added to or removed from a published statement moves no other anchor, an editor may
pin a paragraph's id at its end: "... new text. {#p3a}" (added after p3), or "{#p5}" on the
paragraph after a removed p4. Numbering goes on from a pinned id, and never gives an id twice: a
pin that an earlier paragraph's id already has stays in the text, and the build reports it.
Raw HTML is sanitised with nh3 unless the site trusts it.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
import xml.etree.ElementTree as etree
from html.parser import HTMLParser

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from .model import Block, Body, Paragraph

BLOCK_SENTINEL = "<!--block-->"
BLOCK_MARK = "\ue000"  # where blocks meet, for one sanitiser call per body
_STASH = re.compile("\x02wzxhzdk:\\d+\x03")
_STASH_INDEX = re.compile("\x02wzxhzdk:(\\d+)\x03")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
HIDDEN_CONTENT_TAGS = {"script", "style"}  # their content is no text of the page (nh3 drops it with them)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "ins", "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
URL_SCHEMES = {"http", "https", "mailto"}  # a link to any other (javascript:, data:, file:) loses its address
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "aria-label", "data-n"},  # data-n: a ¶ link's paragraph number, printed
    "p": {"id"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    # The language of words in another (<span lang="az">Rusiya Azərbaycanlı Gənclər Birliyi</span>), on any element
    # kept: a screen reader then reads them in that language's voice (WCAG 3.1.2), and a browser hyphenates them so.
    "*": {"lang"},
}
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # a BCP 47 tag's shape: az, ru, az-Cyrl, en-GB


# Told of a pin at the end of an item of a list without blank lines between its items (validate.py, entities.py).
PIN_IN_LIST_HINT = ("only paragraphs have ids: the items of a list without blank lines between them do not; remove "
                    "the pin, or put blank lines between the items")
PARAGRAPH_ID = re.compile(r"p([0-9]+)[a-z]*")  # p3; p3a for a paragraph pinned between p3 and p4
_PIN = re.compile(r"[ \t]*\{#(p([0-9]+)[a-z]*)\}[ \t]*$")  # a pinned id, at the very end of a paragraph
# What an editor wrote as a pin, at the end of a paragraph's last line: validate.py checks each one.
# A paragraph ends at a blank line, at the end of the text, or, inside a quotation, at a line of '>' alone.
_PIN_IN_TEXT = re.compile(r"\{#([^}\n]*)\}[ \t]*(?=\n[ \t]*(?:>[ \t]*)*\n|\n?[ \t]*\Z)")


# A paragraph's ¶ link, as _ParagraphIds adds it (with the space before it) and the sanitiser writes it, its
# attributes in order: a pattern that begins with text is searched for as text (a pattern that began with
# an optional space took four times as long, and a test for "pilcrow" first longer still).
_PILCROW_LINK = re.compile(r' <a aria-label="Link to paragraph [^"]*" class="pilcrow"[^>]*>¶</a>')


def without_pilcrows(html: str) -> str:
    """A text's HTML without its ¶ links, for a feed: they lead within the page (#p3), which a feed
    reader that shows an entry in a page of its own resolves against that page, and a reader cites a
    paragraph from the statement's page, not from a feed."""
    return _PILCROW_LINK.sub("", html)


def pins_in_text(text: str) -> list[tuple[str, int]]:
    """(what is written between '{#' and '}', its offset) for each id pinned at a paragraph's end."""
    return [(m.group(1), m.start()) for m in _PIN_IN_TEXT.finditer(text)] if "{#" in text else []


def pin_order(written: str) -> tuple | None:
    """Where a pinned id stands among a text's ids ((3, "p3a") for "p3a"), or None when it is none: the
    numbers start at 1, as the page's own do, with no leading 0. validate.py and entities.py both ask."""
    found = PARAGRAPH_ID.fullmatch(written)
    return (int(found.group(1)), written) if found and not found.group(1).startswith("0") else None


def pins_after(pid: str) -> str:
    """The ids that may be pinned after a paragraph's id, for a hint: "#p3a or #p4" after p3, "#p3b or #p4" after p3a."""
    found = PARAGRAPH_ID.fullmatch(pid)
    if not found:
        return "a later id"
    letters = pid[len("p" + found.group(1)):]
    following = letters[:-1] + chr(ord(letters[-1]) + 1) if letters and letters[-1] < "z" else letters + "a"
    return f"#p{found.group(1)}{following} or #p{int(found.group(1)) + 1}"


def unapplied_pin(paragraph_text: str) -> str | None:
    """The id still written at the end of a rendered paragraph's text: a pin that could not be applied
    because an earlier paragraph has that id (it is left in the text, where the build reports it)."""
    found = _PIN.search(paragraph_text)
    return found.group(1) if found else None


def _pin_of(element):
    """The id pinned at the very end of a paragraph (a _PIN match) or None, and a function that takes it
    out of the paragraph's text."""
    last = element[-1] if len(element) else None
    text = (last.tail if last is not None else element.text) or ""
    found = _PIN.search(text)

    def unpin() -> None:
        if last is not None:
            last.tail = text[: found.start()]
        else:
            element.text = text[: found.start()]

    return found, unpin


class _ParagraphIds(Treeprocessor):
    """Number every paragraph (or take the id pinned on it), remember its text, and add a visible ¶ link to it."""

    def plain_text(self, element) -> str:
        """The words a reader sees: stashed entities decoded, stashed inline tags dropped, and what
        lies between an inline <script> or <style> and its end tag too (no page shows it, so a
        quotation must not be found in it, nor the open data carry it as the text)."""
        stash = self.md.htmlStash.rawHtmlBlocks
        parts, hidden = [], None  # hidden: the tag name whose end tag is awaited
        text = "".join(element.itertext())
        position = 0
        for match in _STASH_INDEX.finditer(text):
            if hidden is None:
                parts.append(text[position:match.start()])
            position = match.end()
            raw = stash[int(match.group(1))]
            if not raw.startswith("<"):
                if hidden is None:
                    parts.append(html.unescape(raw))
                continue
            tag = _TAG_NAME.match(raw)
            if tag is None:
                continue
            if hidden is None and not tag.group(1) and tag.group(2).lower() in HIDDEN_CONTENT_TAGS:
                hidden = tag.group(2).lower()
            elif hidden is not None and tag.group(1) and tag.group(2).lower() == hidden:
                hidden = None
        if hidden is None:
            parts.append(text[position:])
        return "".join(parts)

    def run(self, root):
        elements = [element for element in root.iter("p")
                    if len(element) or not _STASH.fullmatch((element.text or "").strip())]  # not raw HTML blocks
        paragraphs = []
        given: set[str] = set()
        number = 0
        for element in elements:
            pin, unpin = _pin_of(element)
            if pin is not None and pin.group(1) not in given:
                unpin()
                pid, number = pin.group(1), int(pin.group(2))
            else:  # no pin, or one an earlier paragraph has: left in the text, and reported (entities.py)
                number += 1
                while f"p{number}" in given:  # after pins out of order (an error too), still never twice
                    number += 1
                pid = f"p{number}"
            given.add(pid)
            element.set("id", self.md.id_marker + pid)
            text = " ".join(self.plain_text(element).split())
            paragraphs.append(Paragraph(pid, text))
            if len(element):
                last = element[-1]
                last.tail = (last.tail or "") + " "
            else:
                element.text = (element.text or "") + " "
            link = etree.SubElement(element, "a", {"class": "pilcrow", "href": f"#{pid}", "data-n": pid[1:],
                                                   "aria-label": f"Link to paragraph {pid[1:]}"})
            link.text = "¶"
        self.md.paragraphs = paragraphs
        children = list(root)
        for position, child in enumerate(children[1:], start=1):
            root.insert(position * 2 - 1, etree.Comment("block"))
        return root


# Python-Markdown's own inline patterns, and a text without which none of them can match: one of
# ` \\ [ ! < & * _, or two spaces before a line's end. Most of a statement's text nodes have none.
_STOCK_INLINE_PATTERNS = ("backtick", "escape", "reference", "link", "image_link", "image_reference",
                          "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html",
                          "entity", "em_strong")
_MAY_BE_INLINE_MARKUP = re.compile(r"[`\\\[!<&*_]|  \n")


class _QuickInlineProcessor(InlineProcessor):
    """Markdown's inline step, which leaves a text that holds nothing any pattern looks for as it is.

    Every pattern is otherwise tried on every text node in turn; skipping the texts that none
    can match took a third off the Markdown of the benchmark's statements, with the same HTML
    (tests/test_markup.py compares it with Markdown's own on random texts). The method
    overridden is private to Markdown: should a release rename it, this is not called, and
    the output stays Markdown's own.
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if patternIndex == 0 and self.quick and not _MAY_BE_INLINE_MARKUP.search(data):
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)


class _TopHeadings(Treeprocessor):
    """A text's "# " heading made an h2: the page's title is its one h1, which the sanitiser keeps to the page (it
    had removed the tag and left the words bare between the paragraphs)."""

    def run(self, root):
        for heading in root.iter("h1"):
            heading.tag = "h2"


class _TopHeadingExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_TopHeadings(md), "top_headings", 0)


class _ParagraphIdExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_ParagraphIds(md), "paragraph_ids", -1)  # after "unescape"
        inline = _QuickInlineProcessor(md)
        # Only for the patterns the trigger characters above were written for: another extension's may match elsewhere.
        names = tuple(item.name for item in getattr(md.inlinePatterns, "_priority", ()))
        inline.quick = names == _STOCK_INLINE_PATTERNS
        md.treeprocessors.register(inline, "inline", 20)


@functools.cache
def _converter() -> markdown.Markdown:
    """One converter per process, reset before each body: building one costs as much as a short body."""
    # The extension itself, not its name: a name makes Markdown look through every installed package's entry points.
    return markdown.Markdown(extensions=[SaneListExtension(), _TopHeadingExtension(), _ParagraphIdExtension()],
                             output_format="html")


def _sanitised_chunks(html: str, md: markdown.Markdown) -> list[str]:
    """The blocks of a body, each sanitised.

    Markdown's own output is well-formed, so one sanitiser call over the whole body, with a
    private-use character marking where blocks meet, gives the same blocks as one call per
    block. Raw HTML may be unbalanced (an unclosed <div> would swallow the blocks after it),
    so a body holding any, or the marker itself, is sanitised block by block.
    """
    chunks = [c.strip() for c in html.split(BLOCK_SENTINEL)]
    if md.htmlStash.html_counter or BLOCK_MARK in html:
        return [sanitise(c, md.id_marker).strip() if c else "" for c in chunks]
    return [c.strip() for c in sanitise(BLOCK_MARK.join(chunks), md.id_marker).split(BLOCK_MARK)]



def render_body(text: str, trust_html: bool = False) -> Body:
    """Convert a statement body to blocks; every paragraph gets an id and a ¶ link."""
    md = _converter()
    md.reset()
    # Our ids carry a marker that pasted HTML cannot guess, so the sanitiser keeps only ours.
    md.id_marker = "x" + secrets.token_hex(8) + "-"
    md.paragraphs = ()
    html = md.convert(text)
    paragraphs = tuple(md.paragraphs)
    blocks = []
    chunks = html.split(BLOCK_SENTINEL) if trust_html else _sanitised_chunks(html, md)
    for chunk in chunks:
        chunk = chunk.strip()
        if not chunk:
            continue
        chunk = chunk.replace(f'id="{md.id_marker}', 'id="')
        if not chunk:
            continue
        ids = tuple(re.findall(r'<p id="(p[0-9]+[a-z]*)"', chunk))
        blocks.append(Block(chunk, ids))
    return Body(tuple(blocks), paragraphs)


def sanitise(html: str, id_marker: str | None = None) -> str:
    """Keep ordinary text markup; drop scripts, frames, event handlers and unsafe URLs.

    An id survives only if it starts with `id_marker`: an id from pasted HTML would clash
    with the paragraph anchors or the page's own ids (such as the skip link's #main).
    """
    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            return value if id_marker and value.startswith(id_marker) else None
        if attribute == "lang":
            return value if LANGUAGE_TAG.fullmatch(value) else None
        return value

    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=keep,
                     url_schemes=URL_SCHEMES, link_rel=None)


def render_markdown(text: str, trust_html: bool = False) -> str:
    """Plain Markdown to HTML for registry descriptions (no paragraph ids)."""
    html = markdown.markdown(text, extensions=[SaneListExtension(), _TopHeadingExtension()], output_format="html")
    return html if trust_html else sanitise(html)


# Elements that begin a line of a block's text: the items of a list, the cells' rows of a table, a heading's own.
_LINE_TAGS = {"li", "p", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "div", "blockquote", "pre", "dt", "dd", "br"}


class _BlockText(HTMLParser):
    """The parts of a block in order: each numbered paragraph by its id, and the words between them by lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str | None, list]] = [(None, [[]])]
        self.hidden, self.numbered = 0, False

    def handle_starttag(self, tag, attrs):
        lines = self.parts[-1][1]
        if tag in HIDDEN_CONTENT_TAGS:
            self.hidden += 1
        elif tag == "p" and PARAGRAPH_ID.fullmatch(pid := dict(attrs).get("id") or ""):
            self.parts += [(pid, []), (None, [[]])]
            self.numbered = True  # its words are the paragraph's, as the page numbers it
        elif tag in _LINE_TAGS:
            lines.append([])
        elif tag in ("td", "th"):
            lines[-1].append(" ")

    def handle_endtag(self, tag):
        if tag in HIDDEN_CONTENT_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "p" and self.numbered:
            self.numbered = False
        elif tag in _LINE_TAGS:
            self.parts[-1][1].append([])

    def handle_data(self, data):
        if not self.hidden and not self.numbered:
            self.parts[-1][1][-1].append(data)


def block_parts(block_html: str) -> list[tuple[str | None, str]]:
    """A rendered block as (paragraph id, None) for each paragraph the page numbers and (None, words) for the
    words between them, a line for each item of a list, row of a table or line of a heading: the open data's text
    of what no paragraph holds (a heading, a list written without blank lines between its items, a list inside a
    quotation beside its paragraphs)."""
    parser = _BlockText()
    parser.feed(block_html)
    parser.close()
    found = []
    for pid, lines in parser.parts:
        if pid:
            found.append((pid, None))
        elif text := "\n".join(line for line in (" ".join("".join(part).split()) for part in lines) if line):
            found.append((None, text))
    return found
