"""Import, step 1: take the page furniture off a pasted article and find the dates in it.

Input: raw text copied from a web page. Output: an Article (headline, paragraphs with every sentence
word for word, the date lines of the page, the byline, and the furniture removed) and DateMentions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
MONTH_PATTERN = _MONTH  # for other steps' regular expressions
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*\((?:UTC|GMT)[^)]{0,20}\)|\s*(?:UTC|GMT)[+−-]?\d{0,2}(?::\d{2})?)?"
_DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?(?:,?\s+\d{{4}})?"
_MONTH_DAY = rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
_ANY_DATE = rf"(?:{_DAY_MONTH}|{_MONTH_DAY}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})"

SCRAP_PREFIX = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b\s*")  # "date 2025-06-30" pasted with the page
TIMESTAMP_LINE = re.compile(rf"^(?:{_TIME}\s*,?\s*{_ANY_DATE}|{_ANY_DATE}\s*,?\s*(?:at\s+)?{_TIME}|{_TIME})$")
_DATED = (rf"(?:(?:Published|(?:Last\s+)?Updated|Posted|Date)\s*:?\s*)?{_ANY_DATE}"
          rf"(?:\s*,?\s*(?:at\s+)?{_TIME})?")
# "Published: 24 May 2025", and "Published: 24 May 2025 | Updated: 26 May 2025": the first date is the page's.
DATE_LINE = re.compile(rf"^(?:[/|•·—–-]\s*)?{_DATED}(?:\s*[/|•·]\s*{_DATED})*\s*(?:[/|]\s*)?$", re.I)
RELATED_HEADING = re.compile(r"^(?:related(?:\s+(?:news|news\s+releases|articles|stories|posts|topics))?|"
                             r"read\s+also|see\s+also|also\s+read|more\s+news|latest\s+news|more\s+on\s+this\s+topic|"
                             r"recommended|you\s+may\s+also\s+like)\s*:?$", re.I)
SOCIAL = r"(?:Twitter|X|Facebook|Telegram|Instagram|WhatsApp|YouTube|LinkedIn|VK|TikTok|Google\s+News)"
# Short lines only, and never a sentence of the text: "Share on the market rose" stays.
# "Follow us on Twitter @AzerNewsAz", "... on Facebook, X and Telegram", "... on our Telegram channel: t.me/x": the
# networks, a handle or an address, and nothing more, so that "Follow us on Telegram, the ministry urged." stays.
_HANDLE = r"(?:@\S+|https?:\S+|www\.\S+|t\.me/\S+)"
_FOLLOW = (rf"(?:follow|join|find)\s+us\s+(?:on|in|at)\s+(?:our\s+)?(?:{SOCIAL}|{_HANDLE})"
           rf"(?:\s*(?:,|and|&|\||•|·)?\s*(?:{SOCIAL}))*(?:\s+(?:channel|page|account|feed)s?)?"
           rf"(?:\s*[:\-–—]?\s*{_HANDLE})*\s*[.!]?")
# Letters a name or a sentence begins with: Latin (Ə, Azerbaijani, lies outside the ranges of the others) and Cyrillic.
CAPITALS = "A-ZÀ-ÖØ-ÞĀ-ſƏА-ЯЁ"
# "Subscribe to our newsletter", "Subscribe now": a thing to subscribe to, and nothing after a comma, so that
# "Subscribe to the appeal, the forum urged." stays, as "Follow us on Telegram, the ministry urged." does.
_SUBSCRIBE = (rf"subscribe(?:\s+now\b|\s+(?:to|for)\s+(?:(?:our|the|us|this|free|daily|weekly|e-?mail)\s+)*"
              rf"(?:newsletters?|channels?|updates|news|alerts|feeds?|podcasts?|{SOCIAL}|us)\b)[^,;]*")
SHARE_LINE = re.compile(rf"^(?:{_FOLLOW}|{_SUBSCRIBE}|"
                        rf"share(?:\s+(?:this|the)\s+(?:article|story|post|page|news))?(?:\s+on\s+{SOCIAL})?\s*:?|"
                        rf"(?:(?:share\s+on\s+)?{SOCIAL}[\s,|•·]*){{1,8}}|print(?:\s+this)?|e-?mail|tweet|copy\s+link|"
                        rf"advertisement|©.*|\(c\)\s.*|all\s+rights\s+reserved.*)$", re.I)
MORE_LINK = re.compile(r"^(?:Read more|READ MORE|Read also|READ ALSO|Also read|Continue reading|More)\s*"
                       r"(?:[:…>»]+.{0,160}|\.\.\..{0,160})?$")
BYLINE_MORE = re.compile(rf"^(?:By\s+)?(?P<name>[{CAPITALS}][\w’'.-]+(?:\s+[{CAPITALS}][\w’'.-]+){{1,3}})"
                         r"\s+(?:Read more|READ MORE)\s*[:.…>»]*$")
RULE_LINE = re.compile(r"^(?:[-—–_*=~•·.]\s*){3,}$")
# A site's menu or breadcrumb trail above the text: "Home | Politics | Follow us on Telegram", "News › World".
_NAV_SEPARATOR = re.compile(r"\s+[|›»]\s+")
_MENU_WORDS = frozenset("home main news politics economy business world region regions society sport sports culture "
                        "menu sections analytics opinion".split())
BULLET_TEASER = re.compile(r"^[•·▪►▸*-]\s+.*(?:\.\.\.|…)$")
_END_OF_SENTENCE = re.compile(r"[.!?…](?:[\"”»’)\]]+)?$|[\"”»]$")
_OPEN_QUOTE_END = re.compile(r"(?:^|[\s:,(—–-])[\"“«]$")


@dataclass(frozen=True)
class Article:
    """An article with its page furniture taken off; what the furniture said is kept apart."""

    headline: str
    paragraphs: tuple  # of str, every sentence of the article as published
    page_dates: tuple = ()  # (text, date or None, (month, day)) from date lines at the top of the page
    byline: str = ""
    removed: tuple = ()  # furniture lines removed, for the editor's review


# Not the controls that str.isspace() counts (vertical tab, form feed, \x1c-\x1f, NEL): they part words, as spaces.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        "\u2066-\u206f\ufeff\ufff9-\ufffb]")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _normalise_line(line: str) -> str:
    """The line with invisible characters dropped and runs of any kind of space made one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def _is_navigation(line: str) -> bool:
    """Short parts between '|', '›' or '»', none of them a sentence, the first a section of a news site ("Home",
    "Politics"). Asked only above the text's first sentence: a line of the text is never taken for a menu."""
    parts = _NAV_SEPARATOR.split(line)
    if len(parts) < 2 or len(line) > 160 or any(len(part.split()) > 5 or _END_OF_SENTENCE.search(part) for part in parts):
        return False
    return parts[0].strip().lower() in _MENU_WORDS


def _is_timestamp(line: str) -> bool:
    return bool(TIMESTAMP_LINE.match(line)) or bool(DATE_LINE.match(line))


def _parse_date(text: str) -> tuple[dt.date | None, tuple | None]:
    """The first date in `text`: (full date or None, (month, day) or None)."""
    found = find_dates(text)
    if not found:
        return None, None
    first = found[0]
    return first.full, (first.month, first.day)


def clean_article(text: str) -> Article:
    """Split raw page text into headline and paragraphs, dropping the page furniture."""
    lines = [_normalise_line(line) for line in text.split("\n")]
    removed: list[str] = []
    page_dates: list = []
    byline = ""
    kept: list[str | None] = []  # None marks a blank line (a paragraph break)
    in_related = False
    seen_text = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            kept.append(None)
            i += 1
            continue
        scrap = SCRAP_PREFIX.match(line)
        if scrap:
            removed.append(scrap.group(0).strip())
            if not seen_text:
                page_dates.append((scrap.group(0).strip(), dt.date.fromisoformat(scrap.group(1))
                                   if _valid_iso(scrap.group(1)) else None, None))
            line = lines[i] = line[scrap.end():]
            if not line:
                i += 1
                continue
        if RELATED_HEADING.match(line):
            in_related = True
            removed.append(line)
            i += 1
            continue
        if in_related:
            # Teasers of other stories: bullets, cut-off or short headlines, dates. A sentence ends the block.
            if _END_OF_SENTENCE.search(line) and not line.endswith(("...", "…")):
                in_related = False
            else:
                removed.append(line)
                i += 1
                continue
        if _is_timestamp(line):
            # A run of several time stamps is a list of other stories; one date line is this page's date.
            run = i
            while run < len(lines) and (not lines[run] or _is_timestamp(lines[run])):
                run += 1
            stamps = [x for x in lines[i:run] if x]
            removed.extend(stamps)
            if len(stamps) == 1 and not seen_text:
                full, month_day = _parse_date(stamps[0])
                page_dates.append((stamps[0], full, month_day))
            i = max(run, i + 1)
            continue
        if RULE_LINE.match(line) or BULLET_TEASER.match(line) or MORE_LINK.match(line) \
                or (len(line) <= 100 and SHARE_LINE.match(line)) or (not seen_text and _is_navigation(line)):
            removed.append(line)
            i += 1
            continue
        by = BYLINE_MORE.match(line)
        if by:
            removed.append(line)
            byline = byline or by.group("name")
            i += 1
            continue
        kept.append(line)
        # The page's date line counts until the text's first sentence: a headline may stand above it.
        seen_text = seen_text or bool(_END_OF_SENTENCE.search(line)) or len(line) > 200
        i += 1
    paragraphs = _rejoin(kept)
    headline = ""
    if len(paragraphs) >= 2 and _looks_like_headline(paragraphs[0], paragraphs[1:]):
        headline, paragraphs = paragraphs[0], paragraphs[1:]
    return Article(headline, tuple(paragraphs), tuple(page_dates), byline, tuple(removed))


def _valid_iso(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _looks_like_headline(first: str, rest: list[str]) -> bool:
    """A short first line that is not a sentence of the text: no full stop, followed by longer paragraphs."""
    words = first.split()
    return (len(first) <= 160 and 3 <= len(words) <= 28 and not re.search(r"[.,;:][\"”»’)]*$", first)
            and not re.search(r"[.!?][\"”»’)]*\s+[\"“A-Z]", first)
            and first[0].isupper() and any(len(p) > len(first) for p in rest))


def _rejoin(kept: list) -> list[str]:
    """Paragraphs from lines: a line is a paragraph, unless it stops mid-sentence and the next goes on."""
    paragraphs: list[str] = []
    blank = True
    for line in kept:
        if line is None:
            blank = True
            continue
        if paragraphs and _continues(paragraphs[-1], line, blank):
            previous = paragraphs[-1]
            glue = "" if _OPEN_QUOTE_END.search(previous) or (previous.endswith("-") and line[:1].islower()) else " "
            paragraphs[-1] = previous + glue + line
        else:
            paragraphs.append(line)
        blank = False
    return paragraphs


def _continues(previous: str, line: str, blank_between: bool) -> bool:
    """Whether `line` carries on the sentence that `previous` broke off."""
    if _OPEN_QUOTE_END.search(previous):
        return True  # 'he said: "' then the quotation on the next line
    if _END_OF_SENTENCE.search(previous) or previous.endswith(":"):
        return False
    first = line[:1]
    if first.islower() or first in ",;)…" or previous.endswith((",", "-", "–", "—")):
        return True
    # A line broken inside a sentence ("published in" / "Baku last week."); a short line is a headline.
    return not blank_between and len(previous.split()) > 12 and previous[-1:].islower()


# ---------------------------------------------------------------------------------------------
# Dates in text


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    month: int
    day: int
    year: int | None

    @property
    def full(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day)
        except ValueError:
            return None


_DATE_PATTERNS = (
    # Not a time: in "24 May 10:27" the day is 24, not "May 10".
    re.compile(rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!:\d)(?:,?\s+(?P<year>\d{{4}})\b)?"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\b\.?(?:,?\s+(?P<year>\d{{4}})\b)?"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)


def find_dates(text: str) -> list[DateMention]:
    """Every day-and-month in `text`, with the year where one is printed."""
    found: dict[int, DateMention] = {}
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower().rstrip("."))
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else None
            if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            if any(m.start() < other.end and other.start < m.end() for other in found.values()):
                continue
            found[m.start()] = DateMention(m.start(), m.end(), m.group(0), month, day, year)
    return [found[k] for k in sorted(found)]


