"""Plain data passed between the pipeline stages: dataclasses only, no behaviour beyond derived
values (a statement's site path; a statement's text, which the build cache may keep out of memory)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, Protocol

ERROR = "error"
WARNING = "warning"

# The kinds of registry entity, in the order the site presents them.
ENTITY_KINDS = ("people", "organisations", "events", "outlets", "places")


# The text `build.py new` puts under the front matter, for the editor to replace with the article's
# (validate.py reports a statement still holding it: it would be published as the statement's text).
PLACEHOLDER_TEXT = "Paste the text of the article here, one paragraph per block."


@dataclass(frozen=True, order=True)
class Problem:
    """A content mistake, reported like a linter: `path:line: message`."""

    path: str
    line: int
    message: str
    severity: str = ERROR
    hint: str = ""
    # Said of what the published site has (an anchor or an address an edit would take away): true until a build
    # publishes the edit, so not said again by the builds after it that find nothing changed.
    until_published: bool = field(default=False, compare=False)

    def format(self) -> str:
        label = "" if self.severity == ERROR else "warning: "
        text = f"{_one_line(self.path)}:{self.line}: {label}{_one_line(self.message)}"
        return f"{text} ({_one_line(self.hint)})" if self.hint else text


def _one_line(text: str) -> str:
    """A file name, or a value quoted in a message (a YAML block's lines), may hold a newline or another control
    character: escaped, the problem stays one line (editors and tools read one problem a line), and shows what to
    rename or retype."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


@dataclass(frozen=True)
class SourceFile:
    """One content file split into front matter and body, with the line of every key."""

    path: str  # relative to the project root, with forward slashes
    meta: dict
    lines: dict  # "key", "key[0]", "quotes[0].text" -> 1-based line in the file
    markdown: str | KeptText  # the text after the front matter: see `body`
    body_line: int  # line of the first body line

    @property
    def body(self) -> str:
        return text_of(self.markdown)


class Quote(NamedTuple):
    """A quotation in front matter. A named tuple: every build unpickles about six per statement from the
    cache, and as frozen dataclasses they held 6-7 MB more of an edit's peak at 10,000 statements."""

    speaker: str  # the name as written in the front matter
    text: str
    line: int
    note: str = ""  # the editors' word on the attribution, where the article leaves it to inference


class Role(NamedTuple):
    """A person's role as the report of one statement gives it (front matter `roles`), as of that statement:
    the registry's `role` is one role at one date, and offices change."""

    name: str  # the person's name as written in the front matter
    text: str
    line: int


class Correction(NamedTuple):
    """A change the editors made to a published statement's record (front matter `corrections`), said on its page."""

    date: dt.date
    note: str
    line: int


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def display_date(date: dt.date) -> str:
    """"5 December 2026": a date as the pages and citations give it."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def display_month(year: int, month: int) -> str:
    """"March 2025": a month as the pages give it."""
    return f"{MONTHS[month - 1]} {year}"


def capitalised(text: str) -> str:
    """The first letter made a capital, the rest as it is (str.capitalize would make "December" lower case)."""
    return text[:1].upper() + text[1:]


class Withdrawal(NamedTuple):
    """Why and when the editors withdrew a statement (front matter `withdrawn`): its address keeps working and says
    so, rather than breaking the links that cite it."""

    date: dt.date
    reason: str
    line: int

    @property
    def notice(self) -> str:
        """How feeds and citations say it, before the reason (lower case: a feed's or the page's sentence
        capitalises it), its date as the pages give dates."""
        return f"withdrawn by the archive's editors on {display_date(self.date)}"

    @property
    def sentence(self) -> str:
        """The notice and the reason, as the citation files and the page's citation give them."""
        return f"{self.notice}: {self.reason}"


@dataclass(frozen=True)
class StatementRecord:
    """A validated statement file: names still as the editor wrote them."""

    path: str
    lines: dict
    title: str
    date: dt.date
    outlet: str
    markdown: str | KeptText  # the text after the front matter: see `body`
    slug: str
    date_note: str = ""
    title_note: str = ""
    source_url: str = ""
    author: str = ""
    summary: str = ""
    speakers: tuple = ()
    organisations: tuple = ()
    event: str = ""
    places: tuple = ()
    mentions: tuple = ()
    aliases: tuple = ()
    quotes: tuple = ()  # of Quote
    roles: tuple = ()  # of Role
    corrections: tuple = ()  # of Correction, oldest first
    withdrawn: Withdrawal | None = None
    added: dt.date | None = None  # the day the archive added it, when later than its date

    @property
    def body(self) -> str:
        return text_of(self.markdown)

    @property
    def modified(self) -> dt.date:
        """When its record last changed as far as readers are told: its latest correction or its withdrawal, else
        the day it was added, else its date. Feeds' and the sitemap's dates come from it, so that a correction,
        and a statement of years ago added today, reach subscribers."""
        if not self.corrections and self.withdrawn is None and self.added is None:  # asked for 10,000s of times
            return self.date
        changes = [c.date for c in self.corrections] + ([self.withdrawn.date] if self.withdrawn else [])
        return max(changes + [self.added or self.date, self.date])


class KeptText(Protocol):
    """A statement's text kept out of memory by the build cache (cache.KeptText), read when asked for.

    Why: a build needs the text of only the files it reads again; the texts of 10,000 statements
    kept in memory for every build were about 94 MB of the cached records.
    """

    def text(self) -> str: ...


def text_of(markdown: str | KeptText) -> str:
    return markdown if type(markdown) is str else markdown.text()


@dataclass(frozen=True)
class EntityRecord:
    """A validated registry file (person, organisation, event, outlet or place)."""

    kind: str
    path: str
    lines: dict
    slug: str
    name: str
    aliases: tuple = ()
    role: str = ""  # people: their role; other kinds: a one-line description
    role_date: dt.date | None = None  # people: the date of the report that gives the role (roles change)
    sort_as: str = ""  # people: how the list of people sorts them, where the last word is not the surname
    body: str = ""
    same_as: tuple = ()
    url: str = ""  # outlets: home page
    date: dt.date | None = None  # events
    place: str = ""  # events: a place name as written
    organisers: tuple = ()  # events: organisation names as written
    within: str = ""  # places: the place it is in ("Moscow" for a hotel there), a name as written
    old_urls: tuple = ()  # site paths its page had before ("people/old-slug/"): each redirects to it


# A rendered body and its parts are named tuples, not dataclasses: every build reads all of them
# back from the cache (about 160,000 objects at 10,000 statements), and unpickling named tuples
# took half the time (0.31 s against 0.60-0.77 s for the bodies of 10,000 statements, measured).


class Paragraph(NamedTuple):
    id: str
    text: str  # plain text, for matching quotations


class Block(NamedTuple):
    """A top-level block of a rendered body, with the ids of the paragraphs inside it."""

    html: str
    paragraph_ids: tuple


class Body(NamedTuple):
    blocks: tuple  # of Block
    paragraphs: tuple  # of Paragraph

    def plain(self) -> tuple:
        """The body as exact tuples of str, which marshal takes (it refuses named tuples)."""
        return (tuple((str(b.html), tuple(b.paragraph_ids)) for b in self.blocks),
                tuple((str(p.id), str(p.text)) for p in self.paragraphs))

    @classmethod
    def from_plain(cls, plain: tuple) -> Body:
        blocks, paragraphs = plain
        return cls(tuple(Block(html, ids) for html, ids in blocks), tuple(Paragraph(*p) for p in paragraphs))


@dataclass(frozen=True)
class Entity:
    """One real person, organisation, event, outlet or place, with every name it goes by."""

    kind: str
    slug: str
    name: str
    aliases: tuple = ()
    role: str = ""
    role_date: dt.date | None = None
    sort_as: str = ""
    body_html: str = ""
    same_as: tuple = ()
    url: str = ""
    date: dt.date | None = None
    place: str = ""  # slug of a place
    organisers: tuple = ()  # slugs of organisations
    within: str = ""  # places: slug of the place it is in
    path: str = ""  # registry file; empty for a name found only in statements
    registered: bool = True
    old_urls: tuple = ()  # site paths its page had before ("people/old-slug/"): each redirects to it


class Ref(NamedTuple):
    """An entity by kind and slug. A named tuple, not a dataclass: refs are hashed and compared
    millions of times a build (dict keys everywhere), and a tuple does that in C."""

    kind: str
    slug: str


class ResolvedQuote(NamedTuple):
    speaker: Ref
    text: str
    paragraph_id: str
    note: str = ""


@dataclass(frozen=True)
class Statement:
    """A statement with every name resolved to an entity and its body rendered."""

    record: StatementRecord
    slug: str
    body: Body
    outlet: Ref
    speakers: tuple = ()  # of Ref (people)
    organisations: tuple = ()  # of Ref (organisations)
    event: Ref | None = None
    places: tuple = ()  # of Ref
    mentions: tuple = ()  # of Ref (people or organisations)
    author: Ref | None = None  # the journalist, when the registry knows them
    quotes: tuple = ()  # of ResolvedQuote
    roles: tuple = ()  # of (Ref, text): people's roles as this statement's report gives them

    @property
    def key(self) -> tuple:
        """Sort key: oldest first; ties broken by slug so the order is stable."""
        return (self.record.date, self.slug)

    @cached_property
    def path(self) -> str:
        """Site path of its page (urls.statement_path), made once: a build asks for it about
        fifteen times per statement (150,000 times at 10,000 statements)."""
        from .urls import statement_path

        return statement_path(self.record.date, self.slug)


@dataclass(frozen=True)
class Appearance:
    """A statement that involves an entity, and in which parts."""

    statement: Statement
    roles: tuple  # e.g. ("speaker",), ("mentioned",)
    # A place's statement that names only places within it (Moscow's, naming the hotel in Moscow): the Refs of those
    # it names, in its order; empty when it names the place itself, and for every other kind.
    at: tuple = ()


@dataclass(frozen=True)
class SiteIndex:
    statements: tuple  # newest first
    entities: dict  # kind -> {slug: Entity}
    appearances: dict  # Ref -> tuple of Appearance, newest first
    previous: dict  # statement slug path -> Statement | None
    following: dict
    related: dict  # statement url -> tuple of Statement
    date_folders: dict = field(default_factory=dict)  # "statements/2025/03/20/" -> (2025, 3): where on the timeline


@dataclass(frozen=True)
class PageSpec:
    """One output page: where it goes, which template, and what it shows."""

    url: str  # site-relative, e.g. "statements/2023/02/26/x/"
    template: str
    context: dict = field(default_factory=dict)
