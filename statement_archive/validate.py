"""Stage 2, validate: check every key of every file and turn it into a typed record.

Input: SourceFile values. Output: StatementRecord and EntityRecord values plus Problems.
Every file is checked in full so one run reports every mistake.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from anyascii import anyascii

from .entities import english_press, search_spellings, short_slug, slugify
from .load import CONTROL_CHARACTER, unknown_key_hint
from .markup import PARAGRAPH_ID, PIN_IN_LIST_HINT, pin_order, pins_after, pins_in_text
from .model import (ERROR, PLACEHOLDER_TEXT, WARNING, Correction, EntityRecord, Problem, Quote, Role, SourceFile,
                    StatementRecord, Withdrawal)
from .urls import entity_url, normalise_alias

TEXT, TEXT_LIST, DATE, URL, SLUG, QUOTES, URL_LIST, PATH_LIST, ROLES, CORRECTIONS, WITHDRAWN = (
    "text", "list of texts", "date", "URL", "slug", "quotes", "list of URLs", "list of URL paths", "roles",
    "corrections", "withdrawal",
)


@dataclass(frozen=True)
class Key:
    type: str
    required: bool = False
    example: str = ""


STATEMENT_KEYS = {
    "title": Key(TEXT, True, 'title: "Zakharova on the May 9 celebrations"'),
    "title_note": Key(TEXT),
    "date": Key(DATE, True, "date: 2025-03-20"),
    "date_note": Key(TEXT),
    "outlet": Key(TEXT, True, "outlet: APA"),
    "source_url": Key(URL),
    "author": Key(TEXT),
    "speakers": Key(TEXT_LIST, example="speakers: [Maria Zakharova]"),
    "organisations": Key(TEXT_LIST, example="organisations: [Russian Foreign Ministry]"),
    "event": Key(TEXT),
    "places": Key(TEXT_LIST, example="places: [Moscow]"),
    "mentions": Key(TEXT_LIST, example="mentions: [Ilham Aliyev]"),
    "slug": Key(SLUG),
    "aliases": Key(PATH_LIST, example="aliases: [/statements/2025/03/19/old-slug/]"),
    "summary": Key(TEXT),
    "quotes": Key(QUOTES),
    "roles": Key(ROLES, example='roles: {Maria Zakharova: "Foreign Ministry spokeswoman"}'),
    "corrections": Key(CORRECTIONS),
    "withdrawn": Key(WITHDRAWN),
    "added": Key(DATE, example="added: 2026-12-05"),
}

# An entry of each kind (its name and an alias), whose words the hints of the keys every kind has show: a place's
# file is told 'aliases: [Bakı]' and '/places/old-slug/', not a person's name and address.
ENTITY_EXAMPLES = {
    "people": ("Maria Zakharova", "Mariya Zakharova"),
    "organisations": ("Azerbaijan Airlines", "AZAL"),
    "events": ("4th meeting of the All-Russian Azerbaijani Congress",
               "Fourth meeting of the All-Russian Azerbaijani Congress"),
    "outlets": ("APA", "Azeri-Press Agency"),
    "places": ("Baku", "Bakı"),
}


def old_address_example(kind: str) -> str:
    """An old address of an entry of `kind`, as `old_urls` lists it: '/places/old-slug/'."""
    return "/" + entity_url(kind, "old-slug")


def _common_entity_keys(kind: str) -> dict:
    """The keys every kind of registry file has, with examples of that kind."""
    name, alias = ENTITY_EXAMPLES[kind]
    return {
        "name": Key(TEXT, True, f"name: {name}"),
        "slug": Key(SLUG),
        "aliases": Key(TEXT_LIST, example=f"aliases: [{alias}]"),
        "same_as": Key(URL_LIST, example="same_as: [https://www.wikidata.org/wiki/Q...]"),
        "old_urls": Key(PATH_LIST, example=f"old_urls: [{old_address_example(kind)}]"),
    }


ENTITY_KEYS = {
    "people": {**_common_entity_keys("people"), "role": Key(TEXT),
               "role_date": Key(DATE, example="role_date: 2023-02-26"), "sort_as": Key(TEXT, example="sort_as: Mao Zedong")},
    "organisations": {**_common_entity_keys("organisations"), "description": Key(TEXT)},
    "places": {**_common_entity_keys("places"), "description": Key(TEXT), "within": Key(TEXT, example="within: Moscow")},
    "outlets": {**_common_entity_keys("outlets"), "description": Key(TEXT), "url": Key(URL)},
    "events": {
        **_common_entity_keys("events"), "description": Key(TEXT), "date": Key(DATE, True, "date: 2025-03-20"),
        "place": Key(TEXT), "organisers": Key(TEXT_LIST),
    },
}

# Keys whose empty value is a mistake, not "none": an editor who writes 'withdrawn:' means to withdraw.
_NEVER_EMPTY = frozenset({"withdrawn"})
# Any other optional key written with nothing after it ('within:', 'aliases:'), or only spaces ('within: " "'), is
# warned of: it is read as if it were not there, and is most often an edit left unfinished. "None" is written as `new`
# and `import` write it ("", []).


def _blank(value) -> bool:
    """Whether a key's value is nothing, or a text of spaces at most: read as if the key were not there."""
    return value is None or (isinstance(value, str) and not value.strip())


# Words that tell nothing about whether a name and an address are the same entity's.
_LINKING_WORDS = frozenset({"of", "the", "and", "in", "on", "for", "at", "to", "a", "an", "de", "al", "el"})


def _shares_a_word(slug: str, names) -> bool:
    """Whether the address and one of the names have a word in common, as its first three letters, in any of
    the name's ASCII spellings ("javid-gurbanov" for "Cavid Qurbanov", "ilham-aliyev" for "Ильхам Алиев"), or
    the address is the name's initials ("jfk")."""
    def words(text: str) -> list[str]:  # transliterated first, so that a soft sign's apostrophe joins the word
        return [w for w in slugify(anyascii(text)).split("-") if w and w not in _LINKING_WORDS]

    spelled = [spelling for name in names for spelling in (name, *search_spellings(name), english_press(name))]
    stems = {w[:3] for n in spelled for w in words(n)}
    initials = ["".join(w[0] for w in words(n)) for n in spelled]
    return any(w[:3] in stems or (len(w) > 1 and any(i.startswith(w) for i in initials)) for w in words(slug))


SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NAME_MAX = 255  # the longest name of a file or folder (ext4, APFS, NTFS), in bytes: a slug's ASCII letters
ENTITY_ADDRESS = re.compile(rf"(?:{'|'.join(ENTITY_KEYS)})/{SLUG_RE.pattern}/")  # "people/old-slug/"
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SINGLE_TYPES = frozenset((TEXT, URL, SLUG, DATE))
_LIST_TYPES = frozenset((TEXT_LIST, URL_LIST, PATH_LIST))
_QUOTE_ORDER = ("speaker", "text", "note")
_QUOTE_KEYS = frozenset(_QUOTE_ORDER)


CONTROL_HINT = ("delete it, or retype the character around it; such characters come with text pasted from other "
                "programs, and U+0080 to U+009F usually stand for a quote mark or dash in the wrong encoding")


def _codepoint(char: str) -> str:
    what = ""
    if "\ud800" <= char <= "\udfff":
        what = " (half of a surrogate pair, which no text may hold alone)"
    elif "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        what = " (a control of the text's direction, which shows what follows it reordered)"
    elif char == "\ufeff":
        what = " (a byte-order mark, which belongs at the start of a file only)"
    elif char in "\u2028\u2029":
        what = " (a line or paragraph separator, which pages and feeds show as a space or not at all)"
    return f"U+{ord(char):04X}{what}"


def _type_name(value) -> str:
    if isinstance(value, (set, frozenset)):
        return "a set ('!!set')"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys to values"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    return "a text"


def _as_text(value):
    """Numbers and dates written without quotes are text too (`title: 1984`); other values stay as they are."""
    if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def key_label(key: str) -> str:
    """A key's path as a message names it: "corrections, item 1, date" for the path corrections[0].date, counting
    items from 1 as the other messages about a list do ("corrections: item 1 has no date")."""
    if "[" not in key:
        return key
    return re.sub(r"\[(\d+)\]", lambda m: f", item {int(m.group(1)) + 1}", key).replace(".", ", ")


class _Checker:
    """Collects the problems of one file; each check returns the clean value or None."""

    def __init__(self, source: SourceFile, today: dt.date):
        self.source = source
        self.today = today
        self.problems: list[Problem] = []
        self.failed: set[str] = set()  # top-level keys with an error, and unknown keys
        # The first and last day on which this file gets the same problems: only dates after
        # "today" depend on the day, so the outcome holds from the latest date not after it
        # until the day before the earliest date after it.
        self.days = [dt.date.min, dt.date.max]

    def line(self, key: str) -> int:
        return self.source.lines.get(key, 1)

    def nested(self, key: str, name: str) -> str:
        """The key `name` inside the mapping at `key` ("quotes[0].note"), where the file has it; else `key`, whose
        line is then the one to look at (a quotation's item, when its 'speaker' is left out)."""
        inner = f"{key}.{name}"
        return inner if inner in self.source.lines else key

    def report(self, key: str, message: str, hint: str = "", severity: str = ERROR) -> None:
        self.problems.append(Problem(self.source.path, self.line(key), message, severity, hint))
        if severity == ERROR:
            self.failed.add(key.split("[")[0].split(".")[0])

    def check_keys(self, schema: dict) -> dict:
        """Check every key; return the clean values of the keys that passed."""
        meta = self.source.meta
        for key in meta:
            if not isinstance(key, str):
                shown = "a key with no name" if key is None else f"'{key}'"
                self.report(repr(key) if key is None else str(key), f"{shown} is not a valid key name",
                            "keys are words such as 'title:'; see the README for the keys")
                continue
            if key not in schema:
                self.report(key, f"unknown key {key!r}", unknown_key_hint(key, schema))
        for key, spec in schema.items():
            if spec.required and (key not in meta or _blank(meta[key])):
                hint = (f"fill it in, as in '{spec.example}'" if key in meta else f"add a line such as '{spec.example}'") \
                    if spec.example else f"add '{key}:'"
                message = f"required key '{key}' is empty" if key in meta else f"missing required key '{key}'"
                self.report(key, message, hint)
        for key in _NEVER_EMPTY & set(schema):
            if key in meta and _blank(meta[key]):
                self.report(key, f"{key}: expected a 'date' and a 'reason', got nothing", "write the date and reason "
                            "under it, or delete the line if the statement is not withdrawn")
        for key, spec in schema.items():  # "" is "none", as `new` and `import` write it
            if key in meta and _blank(meta[key]) and meta[key] != "" and not spec.required and key not in _NEVER_EMPTY:
                example = f", as in '{spec.example}'" if spec.example else ""
                self.report(key, f"{key}: the key is empty, and is read as if it were not there",
                            f"fill it in{example}, or delete the line", WARNING)
        values = {}
        for key, spec in schema.items():
            if key in meta and not _blank(meta[key]):
                value = self.check_value(key, spec, meta[key])
                if value is not None:
                    values[key] = value
        return values

    def check_value(self, key: str, spec: Key, value):
        """The clean value, or None with the problem reported. Plain texts, the usual case, take
        the short path; anything else takes the long one, which names what is wrong."""
        kind = spec.type
        if kind in _SINGLE_TYPES:
            if type(value) is not str:
                value = _as_text(value)
                if not isinstance(value, str):
                    self.report(key, f"{key_label(key)}: expected a single text, got {_type_name(value)}",
                                f"write it on one line, as '{spec.example or key + ': ...'}'")
                    return None
            value = value.strip()
            if CONTROL_CHARACTER.search(value) and not self.printable(key, value):
                return None
            if kind == TEXT:
                return value
            if kind == URL:
                return self.check_url(key, value)
            if kind == SLUG:
                return self.check_slug(key, value)
            return self.check_date(key, value)
        if kind in _LIST_TYPES:
            value = _as_text(value)
            if isinstance(value, str):
                self.report(key, f"{key}: expected a list, got a single text",
                            f"write it as '{key}: [{value.strip()}]', or one '- item' line per item")
                return None
            if not isinstance(value, list):
                self.report(key, f"{key}: expected a list, got {_type_name(value)}",
                            f"write it as '{spec.example or key + ': [...]'}'")
                return None
            items = []
            for i, item in enumerate(value):
                stripped = item.strip() if type(item) is str else ""
                if stripped:
                    item = stripped
                else:
                    item = _as_text(item)
                    if not isinstance(item, str) or not item.strip():
                        got = "an empty item" if item in (None, "") or isinstance(item, str) else _type_name(item)
                        self.report(f"{key}[{i}]", f"{key}: item {i + 1} should be a single text, got {got}",
                                    "write each item as plain text; put it in double quotes if it contains ',' or ':'")
                        continue
                    item = item.strip()
                if CONTROL_CHARACTER.search(item) and not self.printable(f"{key}[{i}]", item):
                    continue
                if kind == URL_LIST:
                    item = self.check_url(f"{key}[{i}]", item)
                elif kind == PATH_LIST:
                    item = self.check_alias(f"{key}[{i}]", item)
                if item is not None:
                    if item in items:
                        self.report(f"{key}[{i}]", f"{key}: '{item}' is listed twice", "remove the repeat", WARNING)
                        continue
                    items.append(item)
            return tuple(items)
        if kind == QUOTES:
            return self.check_quotes(key, value)
        if kind == ROLES:
            return self.check_roles(key, value)
        if kind == CORRECTIONS:
            return self.check_corrections(key, value)
        if kind == WITHDRAWN:
            return self.check_withdrawal(key, value)
        raise AssertionError(kind)

    def printable(self, key: str, value: str) -> bool:
        """Control characters (YAML lets "\\x0b" or "\\a" escapes through) would break feeds and pages."""
        found = CONTROL_CHARACTER.search(value)
        if found:
            self.report(key, f"{key.split('[')[0].split('.')[0]}: the invisible control character {_codepoint(found.group())} "
                             f"is in the value", CONTROL_HINT)
        return not found

    def check_url(self, key: str, value: str):
        if any(char.isspace() for char in value):  # urlsplit drops tabs and line breaks before it reads an address
            shown = " ".join(value.split())
            self.report(key, f"{key.split('[')[0]}: '{shown[:80]}' is not a web address: it holds a space or a line break",
                        "copy the address again from the browser's address bar; a space in one is written %20")
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.report(key, f"{key}: '{value}' is not a web address", "use a full address starting with https://")
            return None
        return value

    def check_slug(self, key: str, value: str):
        if ".." in value or "/" in value or "\\" in value or ":" in value:
            self.report(key, f"{key}: '{value}' must be a single URL segment, without '/', '..' or a scheme",
                        f"use something like '{slugify(value) or 'my-statement'}'")
            return None
        if not SLUG_RE.fullmatch(value):
            self.report(key, f"{key}: '{value}' is not a slug: only lower-case ASCII letters, digits and single hyphens",
                        f"use '{slugify(value)}'")
            return None
        if len(value) > NAME_MAX:
            self.report(key, f"{key}: '{value[:40]}...' is {len(value)} characters long; it names a folder, and a "
                             f"folder's name may have at most {NAME_MAX}", f"use a few words, such as '{short_slug(value)}'")
            return None
        return value

    def check_alias(self, key: str, value: str):
        """An old address of this statement or entity (`aliases`, `old_urls`): a path on this site, never a
        way out of it."""
        name = key.split("[")[0]
        folder = self.source.path.split("/")[-2] if self.source.path.count("/") >= 2 else "statements"
        shape = "/statements/YYYY/MM/DD/old-slug/" if name == "aliases" else old_address_example(folder)
        example = f"write it as '{shape}'"
        noun = "an alias" if name == "aliases" else "an old address"
        if "\\" in value:
            self.report(key, f"{name}: '{value}' contains a backslash; {noun} is a web path, not a file path", example)
            return None
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith("//"):
            self.report(key, f"{name}: '{value}' is a full address or has a scheme; {noun} is a path on this site",
                        example)
            return None
        segments = value.strip().strip("/").split("/")
        if any(seg in ("..", ".") for seg in segments) or "?" in value or "#" in value:
            self.report(key, f"{name}: '{value}' must not contain '..', '.', '?' or '#'", example)
            return None
        last = segments[-1]  # "statement.json" of ".../old-slug/statement.json": the build would make it a folder
        if name == "aliases" and not value.strip().endswith("/") and "." in last and not last.endswith(".html"):
            self.report(key, f"{name}: '{value}' is the address of a file, not of a page", f"{example}: the files "
                        "that were beside the old page are kept beside it again")
            return None
        path = normalise_alias(value)
        if not path or not all(re.fullmatch(r"[A-Za-z0-9._~-]+", seg) for seg in path.rstrip("/").split("/")):
            self.report(key, f"{name}: '{value}' is not a usable site path",
                        f"use ASCII letters, digits and hyphens between slashes, e.g. '{shape}'")
            return None
        longest = max(path.rstrip("/").split("/"), key=len)
        if len(longest) > NAME_MAX:
            self.report(key, f"{name}: '{value[:60]}...' has a part of {len(longest)} characters; each part names a "
                             f"folder or file, whose name may have at most {NAME_MAX}", f"write the old address as it was, "
                             f"such as '{shape}'")
            return None
        if name == "old_urls" and not ENTITY_ADDRESS.fullmatch(path):  # the only kind of address an entity had
            self.report(key, f"old_urls: '{value}' is not the address of an entity page",
                        f"an old address of this entry is its folder and its old slug, such as '{shape}'")
            return None
        return path

    def check_date(self, key: str, value: str):
        shown = key_label(key)
        if not DATE_RE.fullmatch(value):
            self.report(key, f"{shown}: '{value}' is not a date in the form YYYY-MM-DD", "write it as e.g. 2025-03-20")
            return None
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            self.report(key, f"{shown}: '{value}' is not a real calendar date", "check the day and month")
            return None
        if date <= self.today:
            self.days[0] = max(self.days[0], date)
        else:
            self.days[1] = min(self.days[1], date - dt.timedelta(days=1))
            self.report(key, f"{shown}: {value} is in the future", "check the year; a date after today is usually a typo",
                        WARNING)
        return date

    def check_quotes(self, key: str, value):
        if not isinstance(value, list):
            self.report(key, f"quotes: expected a list of 'speaker'/'text' pairs, got {_type_name(value)}",
                        "write '- speaker: Name' and '  text: \"...\"' for each quotation")
            return None
        quotes = []
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            extra = [k for k in item if k not in _QUOTE_KEYS] if isinstance(item, dict) else []
            if extra and all(isinstance(k, str) for k in extra):  # told at the key's own line, with the one it nears
                shown = ", ".join(f"'{k}'" for k in extra)
                hint = unknown_key_hint(extra[0], _QUOTE_ORDER)
                if not hint.startswith("did you mean"):
                    hint = ("the words quoted go under 'text', and how the speaker is known, where the article does "
                            "not name them, under 'note'; remove anything else")
                self.report(self.nested(where, extra[0]),
                            f"quotes: item {i + 1}: unknown key{'s' if len(extra) > 1 else ''} {shown}: a quotation "
                            "takes 'speaker', 'text' and 'note' only", hint)
                continue
            if not isinstance(item, dict) or not item.keys() <= _QUOTE_KEYS:
                self.report(where, f"quotes: item {i + 1} must have the keys 'speaker' and 'text', and may have 'note'",
                            "write '- speaker: Name' and '  text: \"...\"', and '  note: \"...\"' to say how the "
                            "speaker is known where the article does not name them")
                continue
            speaker, text, note = item.get("speaker"), item.get("text"), item.get("note", "")
            if note is None:  # an error, not the warning of other keys left empty: the note is what says that the
                # attribution is the editors' and not the article's, and a page would give it as the article's
                self.report(self.nested(where, "note"), f"quotes: item {i + 1} has an empty note",
                            "write how the speaker is known where the article does not name them, as in 'note: "
                            "\"The article gives the words without a name; the editors attribute them from ...\"', "
                            "or delete the line if the article names the speaker")
                continue
            if not isinstance(note, str):  # told at its own line, as every key is
                self.report(self.nested(where, "note"), f"quotes: item {i + 1} has a note that is not text",
                            "write 'note: \"...\"'")
                continue
            if not isinstance(speaker, str) or not speaker.strip():
                self.report(self.nested(where, "speaker"), f"quotes: item {i + 1} has no speaker name",
                            "add 'speaker: Name'")
                continue
            if not isinstance(text, str) or not text.strip():
                self.report(self.nested(where, "text"), f"quotes: item {i + 1} has no text",
                            "add 'text: \"the words quoted\"'")
                continue
            if (any(CONTROL_CHARACTER.search(v) for v in (speaker, text, note))
                    and not all(self.printable(self.nested(where, name), v)
                                for name, v in (("speaker", speaker), ("text", text), ("note", note)))):
                continue
            quotes.append(Quote(speaker.strip(), " ".join(text.split()), self.line(where), " ".join(note.split())))
        return tuple(quotes)


    def check_roles(self, key: str, value):
        """`roles`: a person's name, as the statement writes it, to their role in the report's words."""
        hint = f"write '{key}:' and under it one line per person, such as '  Maria Zakharova: \"Foreign Ministry spokeswoman\"'"
        if not isinstance(value, dict):
            self.report(key, f"{key}: expected names with their roles, got {_type_name(value)}", hint)
            return None
        roles = []
        for name, text in value.items():
            name, text = _as_text(name), _as_text(text)
            where = f"{key}.{name}"
            if where not in self.source.lines:  # a name YAML read as something else (0x1F, true, ~): its mapping's line
                where = key
            if not isinstance(name, str) or not name.strip():
                self.report(where, f"{key}: a role is given without a person's name", hint + "; put a name that YAML "
                            "would read otherwise (yes, no, null, a number) in double quotes")
                continue
            if not isinstance(text, str) or not text.strip():
                got = "nothing" if text in (None, "") else _type_name(text)
                self.report(where, f"{key}: the role of '{name}' should be a single text, got {got}",
                            f"write '  {name}: \"...\"', the role as the report words it")
                continue
            if any(CONTROL_CHARACTER.search(v) for v in (name, text)) and not all(
                    self.printable(where, v) for v in (name, text)):
                continue
            roles.append(Role(name.strip(), " ".join(text.split()), self.line(where)))
        return tuple(roles)

    def check_corrections(self, key: str, value):
        """`corrections`: what the editors changed in a published statement's record, and when, oldest first."""
        hint = "write '- date: YYYY-MM-DD' and '  note: \"what was changed, and why\"' for each correction"
        if not isinstance(value, list):
            self.report(key, f"{key}: expected a list of 'date'/'note' pairs, got {_type_name(value)}", hint)
            return None
        corrections, above = [], None  # `above`: the date of the item above, usable or not
        for i, item in enumerate(value):
            where = f"{key}[{i}]"
            if not isinstance(item, dict) or set(item) != {"date", "note"}:
                self.report(where, f"{key}: item {i + 1} must have the keys 'date' and 'note'", hint)
                continue
            date = None
            if item["date"] in (None, ""):
                self.report(f"{where}.date", f"{key}: item {i + 1} has no date", "add '  date: YYYY-MM-DD', the day of the change")
            else:
                date = self.check_value(f"{where}.date", Key(DATE), item["date"])
            note = self.editors_text(f"{where}.note", item["note"], (f"{key}: item {i + 1} has no note",
                                     "say what was changed, and why"), f"{key}: item {i + 1} has a note that is not text")
            dated_before = date is not None and above is not None and date < above
            if dated_before:
                self.report(f"{where}.date", f"{key}: item {i + 1} is dated before the one above it",
                            "list the corrections oldest first")
            above = date or above
            if date is not None and note is not None and not dated_before:
                corrections.append(Correction(date, note, self.line(where)))
        return tuple(corrections)

    def check_withdrawal(self, key: str, value):
        """`withdrawn`: when the editors withdrew the statement, and why."""
        hint = "write 'withdrawn:', and under it '  date: YYYY-MM-DD' and '  reason: \"why it was withdrawn\"'"
        if isinstance(value, dict) and value and (extra := [k for k in value if k not in ("date", "reason")]):
            shown = ", ".join(f"'{k}'" for k in extra)
            self.report(f"{key}.{extra[0]}" if isinstance(extra[0], str) else key,
                        f"{key}: unknown key{'s' if len(extra) > 1 else ''} {shown}: it takes a 'date' and a 'reason' only",
                        "remove it; who withdrew it and anything else to say go in the reason")
            return None
        if not isinstance(value, dict) or not value:
            self.report(key, f"{key}: expected a 'date' and a 'reason'", hint)
            return None
        # One of the two left out is told as the one that is missing: `withdrawn: {date: 2026-12-05}`.
        reason = self.editors_text(f"{key}.reason" if "reason" in value else key, value.get("reason"),
                                   (f"{key}: the reason is missing", "say why the statement was withdrawn"),
                                   f"{key}: the reason is not text")
        if reason is None:
            return None
        if value.get("date") in (None, ""):
            self.report(f"{key}.date" if "date" in value else key, f"{key}: the date is missing",
                        "add '  date: YYYY-MM-DD', the day it was withdrawn")
            return None
        date = self.check_value(f"{key}.date", Key(DATE), value["date"])
        return Withdrawal(date, reason, self.line(f"{key}.date")) if date else None

    def editors_text(self, key: str, value, missing: tuple[str, str], not_text: str) -> str | None:
        """A correction's note or a withdrawal's reason, on one line; None, with the problem reported, when it is
        empty, not text, or holds a control character."""
        value = _as_text(value)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            self.report(key, *missing)
            return None
        if not isinstance(value, str):
            name = key.rsplit(".", 1)[-1]
            self.report(key, not_text, f"write '  {name}: \"...\"'")
            return None
        if CONTROL_CHARACTER.search(value) and not self.printable(key, value):
            return None
        return " ".join(value.split())


def statement_slug(source: SourceFile, values: dict) -> str:
    """The slug from front matter, else from the file name without its leading date."""
    if values.get("slug"):
        return values["slug"]
    stem = source.path.rsplit("/", 1)[-1][: -len(".md")]
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}-?", "", stem)
    return slugify(stem) or slugify(values.get("title", "")) or "statement"


MAX_INDENT = 400  # columns; Markdown reads each 4 of them as a nested list level, recursively
# Python-Markdown looks for the ']' of every '[' of a paragraph, reading on to it (or to the paragraph's
# end): that reading, in characters, grows with the square of unclosed or nested '['. Measured: 4,000
# unclosed '[' (8 million characters read) took 1.7 s, 2,000 nested (4 million) 0.8 s; a text that
# asks more than this is refused rather than holding the build for minutes.
MAX_BRACKET_READING = 4_000_000
_BRACKET = re.compile(r"\\.|\[|\]")  # an escaped character (\[ costs nothing), '[' or ']'
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# A line can only be indented more than MAX_INDENT columns if it starts with more than
# MAX_INDENT / 4 spaces and tabs (a tab is at most four columns), so only such lines are measured.
# Searched for as a line break and the spaces after it (a literal start makes the search fast),
# and separately at the start of the text.
_DEEP_RUN = re.compile(r"[ \t]{%d}" % (MAX_INDENT // 4 + 1))
_DEEP_AFTER_BREAK = re.compile(r"\n[ \t]{%d}" % (MAX_INDENT // 4 + 1))


def _deep_line_starts(body: str, stop: int):
    """Where the lines that start with more than MAX_INDENT / 4 spaces and tabs before `stop` start."""
    if _DEEP_RUN.match(body, 0, stop):
        yield 0
    for found in _DEEP_AFTER_BREAK.finditer(body, 0, stop):
        yield found.start() + 1


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _body_line(source: SourceFile, offset: int) -> int:
    """The file's line of a character of its text, by its offset in the text."""
    return source.body_line + source.body.count("\n", 0, offset)


def check_body(source: SourceFile) -> list[Problem]:
    """Text that Markdown or the feeds cannot carry: control characters, and lines indented hundreds
    of columns, which would nest lists past Python-Markdown's recursion limit. The first line with
    either is reported (a control character first when both are on it); the text is searched as a
    whole rather than line by line, which matters at thousands of statements."""
    body = source.body
    control = CONTROL_CHARACTER.search(body)
    stop = control.start() if control else len(body)  # lines after the control character's cannot come first
    for start in _deep_line_starts(body, stop):
        end = body.find("\n", start)
        line = body[start:] if end < 0 else body[start:end]
        indent = _indent(line)
        if indent > MAX_INDENT and line.strip():
            if control and (end < 0 or control.start() < end):
                break  # the control character is on this very line, and is reported first
            return [Problem(source.path, _body_line(source, start),
                            f"this line of the text is indented {indent} columns, too deep for Markdown", ERROR,
                            "remove the indentation; four spaces nest a list one level")]
    if control:
        return [Problem(source.path, _body_line(source, control.start()),
                        f"the text contains the invisible control character {_codepoint(control.group())}",
                        ERROR, CONTROL_HINT)]
    return _too_many_brackets(source)


def _too_many_brackets(source: SourceFile) -> list[Problem]:
    """A paragraph whose '[' Markdown would spend minutes on (MAX_BRACKET_READING), at its first line."""
    body = source.body
    if body.count("[") * len(body) <= MAX_BRACKET_READING:  # nearly every text: it cannot read more; done
        return []
    start = 0
    for paragraph in _PARAGRAPH_BREAK.split(body):
        at = body.index(paragraph, start)
        start = at + len(paragraph)
        opened, reading = [], 0
        for found in _BRACKET.finditer(paragraph):
            if found.group() == "[":
                opened.append(found.start())
            elif found.group() == "]" and opened:
                reading += found.start() - opened.pop()
        reading += sum(len(paragraph) - at_bracket for at_bracket in opened)
        if reading > MAX_BRACKET_READING:
            line = _body_line(source, at + len(paragraph) - len(paragraph.lstrip("\n")))
            return [Problem(source.path, line, f"this paragraph has {paragraph.count('[')} '[' that would slow "
                                               "Markdown down by seconds or far more", ERROR,
                            "write a '[' that opens no link as '\\[', close the ones that do, or split the paragraph")]
    return []


_NEAR_PIN = re.compile(r"\{[ \t]*:?[ \t]*#[^{}\n]*\}")  # {#p3}, and what was meant as one: {: #p3}, { #p3 }
_LIST_ITEM = re.compile(r"[ \t]*(?:>[ \t]*)*(?:[-*+]|[0-9]+[.)])[ \t]")  # the next item of a list, quoted or not


def check_pins(source: SourceFile) -> list[Problem]:
    """Paragraph ids pinned in a statement's text ("{#p3a}" at a paragraph's end, see markup.py) must be ids,
    each given once, going up through the text; otherwise a citation would lead to the wrong paragraph."""
    problems = []
    body = source.body
    seen: dict[str, int] = {}
    previous = None
    pins = pins_in_text(body)
    if "{" in body:  # a pin written almost right is published as text: "{: #p3}", "{#p3}.", "{#p3}{#p4}"
        exact = {offset for _, offset in pins}
        for near in _NEAR_PIN.finditer(body):
            if near.start() in exact:
                continue
            line_end = body.find("\n", near.end())
            written = near.group(0)[2:-1] if near.group(0).startswith("{#") else ""  # a pin as it should be written
            if PARAGRAPH_ID.fullmatch(written) and not body[near.end():len(body) if line_end < 0 else line_end].strip():
                # Written right, at a line's end, but the paragraph goes on below it: a line of the same paragraph,
                # or an item of a list whose next item follows without a blank line.
                next_line = body[line_end + 1:].split("\n", 1)[0] if line_end >= 0 else ""
                hint = PIN_IN_LIST_HINT if _LIST_ITEM.match(next_line) else \
                    "a pin goes after the last word of its paragraph: move it to the end of the paragraph's last line"
                problems.append(Problem(source.path, _body_line(source, near.start()),
                                        f"the pinned id #{written} is not at the end of a paragraph",
                                        ERROR, hint))
                continue
            problems.append(Problem(source.path, _body_line(source, near.start()), f"'{near.group(0)}' looks like a "
                                    "pinned paragraph id, but is not one, so the page would show it as text", ERROR,
                                    "write a pin as {#p3}, straight after the last word of its paragraph, "
                                    "with nothing after it on the line"))
    for written, offset in pins:
        line = _body_line(source, offset)
        order = pin_order(written)
        if order is None:  # "p0", "p01" too: the numbers start at p1, as the page's do
            problems.append(Problem(source.path, line, f"'{{#{written}}}' at the end of a paragraph is not a paragraph id",
                                    ERROR, "a pinned id is p, a number from 1 and maybe letters, such as {#p3} or {#p3a}"))
            continue
        if written in seen:
            problems.append(Problem(source.path, line, f"the paragraph id #{written} is pinned twice, first on line "
                                                       f"{seen[written]}", ERROR, "give each paragraph its own id"))
            continue
        seen[written] = line
        if previous is not None and order < previous[0]:
            problems.append(Problem(source.path, line, f"the pinned id #{written} comes after #{previous[1]}", ERROR,
                                    f"pinned ids go up through the text: after #{previous[1]}, pin "
                                    f"{pins_after(previous[1])}, or correct the pin above"))
        previous = (order, written)
    return problems


BODY_LINE = "(body)"  # key in `lines` for the first line of the text under the front matter


def lines_with_body(source: SourceFile) -> dict:
    """The key lines, and the line where the body starts, so problems in the text can name their line."""
    return {**source.lines, BODY_LINE: source.body_line}


def _statement(checker: _Checker) -> tuple[StatementRecord | None, list[Problem]]:
    """A record whenever title, date and outlet are usable, so later stages report this file's
    other mistakes in the same run; keys with errors are left out of it."""
    source = checker.source
    values = checker.check_keys(STATEMENT_KEYS)
    if not source.body.strip():
        checker.problems.append(Problem(source.path, source.body_line, "the statement has no text after the front matter",
                                        ERROR, "paste the article text below the closing '---'"))
    elif PLACEHOLDER_TEXT in source.body:
        checker.problems.append(Problem(source.path, source.body_line + source.body[:source.body.index(PLACEHOLDER_TEXT)]
                                        .count("\n"), "the text is still the placeholder 'build.py new' wrote", ERROR,
                                        "replace it with the article's text"))
    unreadable = check_body(source)
    checker.problems += unreadable
    if not unreadable:
        checker.problems += check_pins(source)
    if not all(k in values for k in ("title", "date", "outlet")) or unreadable:
        return None, checker.problems
    if checker.failed - {"quotes", "roles", "corrections", "withdrawn"}:
        # A mistyped or broken key (say 'speakrs') would make every quotation and role look misattributed.
        values.pop("quotes", None)
        values.pop("roles", None)
    for key, change in [("corrections", c) for c in values.get("corrections", ())] + [("withdrawn", values.get("withdrawn"))]:
        if change and change.date < values["date"]:
            checker.problems.append(Problem(source.path, change.line, f"{key}: {change.date} is before the statement's "
                                            "date", ERROR, "check the year"))
    if values.get("added") and values["added"] < values["date"]:
        checker.problems.append(Problem(source.path, checker.line("added"), f"added: {values['added']} is before the "
                                        "statement's date", ERROR, "write the day the archive added it, or leave 'added' out"))
        values.pop("added")
    named = _FILE_NAME_DATE.match(source.path.rsplit("/", 1)[-1])
    if named and _day(named.group(1)) not in (None, values["date"]):
        # A typo in one of the two. A warning: either may be the right one, and the build can go on with `date:`.
        checker.problems.append(Problem(source.path, checker.line("date"), f"date: {values['date']} is not the date "
                                        f"the file's name begins with ({named.group(1)})", WARNING,
                                        "correct whichever is wrong: the page's address and its place on the timeline "
                                        "come from 'date:', so renaming the file's date changes no address"))
    record = StatementRecord(
        path=source.path, lines=lines_with_body(source), markdown=source.markdown, slug=statement_slug(source, values),
        **{k: v for k, v in values.items() if k != "slug"},
    )
    return record, checker.problems


_FILE_NAME_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[-_. ]|$)")  # "2025-03-20-zakharova-briefing.md"


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # "2025-02-30-...": a name, not a date
        return None


STATEMENT_SHAPE = {"title", "date", "outlet"}  # a statement's required keys


def _entity(kind: str, checker: _Checker) -> tuple[EntityRecord | None, list[Problem]]:
    """A record whenever the name is usable, so statements that name it do not report it unknown."""
    source = checker.source
    if STATEMENT_SHAPE <= set(source.meta) and "name" not in source.meta:
        # A statement saved in the wrong folder: one message that says so, not one per key it "lacks" or "misspells".
        return None, [Problem(source.path, 1, f"this file has the keys of a statement ({', '.join(sorted(STATEMENT_SHAPE))}), "
                              f"not of an entry of content/{kind}/", ERROR, "move it to content/statements/")]
    values = checker.check_keys(ENTITY_KEYS[kind])
    unreadable = check_body(source)
    checker.problems += unreadable
    if "name" not in values or unreadable:
        return None, checker.problems
    stem = source.path.rsplit("/", 1)[-1][: -len(".md")]
    slug = values.pop("slug", None) or slugify(stem) or slugify(values["name"]) or "unnamed"
    # People only: their files are named after them, where a body's may be its acronym in another language.
    if kind == "people" and not _shares_a_word(slug, (values["name"], *values.get("aliases", ()))):
        checker.report("name", f"the name '{values['name']}' shares no word with the address /{kind}/{slug}/, which "
                       f"comes from the file's {'slug' if 'slug' in source.meta else 'name'}", "if this is someone else, give them a file of their own: the "
                       "address, and every link and citation to it, stays with this file", WARNING)
    role = values.pop("role", None) or values.pop("description", "")
    record = EntityRecord(kind=kind, path=source.path, lines=lines_with_body(source), slug=slug, role=role,
                          body=source.body, **values)
    return record, checker.problems


def validate_file(kind: str, source: SourceFile, today: dt.date) -> tuple:
    """(record or None, problems) of one loaded file of `kind` ("statements" or a registry kind)."""
    return validate_kept(kind, source, today)[0]


def validate_kept(kind: str, source: SourceFile, today: dt.date) -> tuple[tuple, tuple[str, str]]:
    """validate_file's outcome, and the first and last day (ISO dates) on which it is the same.

    Why: the build keeps outcomes between builds; with the days it keeps them across midnight
    too, and checks a file again only on the day one of its dates stops being in the future.
    """
    checker = _Checker(source, today)
    outcome = _statement(checker) if kind == "statements" else _entity(kind, checker)
    return outcome, (checker.days[0].isoformat(), checker.days[1].isoformat())


def validate_content(files: dict, today: dt.date,
                     validate_one=validate_file) -> tuple[list[StatementRecord], dict, list[Problem]]:
    """Validate every loaded file; return statements, entity records by kind, and problems.

    `validate_one(kind, source, today)`: the build passes one that keeps outcomes between builds.
    """
    problems: list[Problem] = []
    statements = []
    for source in files["statements"]:
        record, found = validate_one("statements", source, today)
        problems += found
        if record:
            statements.append(record)
    entities: dict[str, list[EntityRecord]] = {}
    for kind in ENTITY_KEYS:
        entities[kind] = []
        for source in files.get(kind, []):
            record, found = validate_one(kind, source, today)
            problems += found
            if record:
                entities[kind].append(record)
    return statements, entities, problems
