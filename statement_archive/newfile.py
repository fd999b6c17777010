"""`build.py new`: write a statement file with every front-matter key ready to fill."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import frontmatter

from .entities import short_slug
from .model import PLACEHOLDER_TEXT
from .urls import statement_path

TEMPLATE_KEYS = """\
# Fill in what the article says; delete the optional keys you do not need.
# Names must match a name or alias in content/people, organisations, events, outlets, places.
title_note: ""       # optional: where the title comes from, if it is not the article's headline
date_note: ""        # optional: how the date was worked out, if the article does not print it
outlet: ""           # required: the news outlet, e.g. APA
source_url: ""       # optional: the address of the article
author: ""           # optional: the journalist, where the article names one
speakers: []         # people who speak
organisations: []    # bodies that issue the statement or take part
event: ""            # optional: the event at which it was said
places: []
mentions: []         # people and organisations named but not speaking
summary: ""          # optional: one or two neutral sentences
quotes: []           # e.g. - speaker: Name / text: "the exact words"
roles: {}            # optional: each person's role in the article's words, e.g. Maria Zakharova: "spokeswoman"
# Once it is published, if ever needed: corrections, withdrawn, aliases (old addresses) and slug;
# see the README, "Changing a published record".
"""


# PyYAML writes a character beyond U+FFFF (an emoji, a flag) in a double-quoted scalar as \U0001F642 even with
# allow_unicode; YAML reads it there as written. An escape is one after an even run of backslashes.
_ASTRAL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\U([0-9A-Fa-f]{8})")


def _unescaped_astral(head: str) -> str:
    """The front matter with such characters written as themselves, for the editor to read and change; as it was
    if that would read back otherwise (the text \\U0001F642 in a scalar that is not double-quoted)."""
    plain = _ASTRAL_ESCAPE.sub(lambda m: m.group(1) + chr(int(m.group(2), 16)), head)
    if plain == head or frontmatter.loads(plain).metadata != frontmatter.loads(head).metadata:
        return head
    return plain


class AddressTaken(Exception):
    """The new statement's address is one the site publishes for another file (its address, or an old one)."""

    def __init__(self, address: str, owner: str):
        super().__init__(address, owner)
        self.address, self.owner = address, owner


def refuse_taken_address(root: Path, path: Path, address: str, published: dict | None) -> None:
    """AddressTaken if the last build published `address` for a file other than `path` that is still there: a new
    file there would take over the old address, and with it the links and citations that lead to that statement."""
    owner = (published or {}).get(address)
    if owner and owner != path.relative_to(root).as_posix() and (root / owner).exists():
        raise AddressTaken(address, owner)


def new_statement(root: Path, title: str, date: dt.date, added: dt.date | None = None,
                  published: dict | None = None) -> Path:
    """Write content/statements/<date>-<slug>.md and return its path; never overwrite. `added`: the day the archive
    adds it (today), which feeds order by when it is later than `date`. `published`: {address: path of its file} as
    the last build published them; a file at an address published for another file is not written (AddressTaken):
    it would take over the old address, and with it the links and citations that lead to the other statement."""
    slug = short_slug(title) or "statement"
    folder = root / "content" / "statements"
    path = folder / f"{date.isoformat()}-{slug}.md"
    refuse_taken_address(root, path, statement_path(date, slug), published)
    folder.mkdir(parents=True, exist_ok=True)
    post = frontmatter.Post(PLACEHOLDER_TEXT + "\n", title=title, date=date)  # a date, not text: unquoted
    head = _unescaped_astral(frontmatter.dumps(post, sort_keys=False))
    opening, rest = head.split("\n", 1)
    keys, body = rest.split("\n---\n", 1)
    added_line = f"{'added: ' + (added or date).isoformat():<20} # the day the archive added it\n"
    text = f"{opening}\n{keys}\n{TEMPLATE_KEYS}{added_line}---\n{body}"
    with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    return path
