"""Stage 3, resolve: names and aliases become entities; the only place names become slugs.

Input: validated records. Output: a Registry of entities and Statements whose names are
references to entities, plus Problems (collisions, unknown and near-miss names).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from html import unescape
from typing import NamedTuple

from anyascii import anyascii
from markdown.blockprocessors import SetextHeaderProcessor
from markdown.util import BLOCK_LEVEL_ELEMENTS

from .markup import (ALLOWED_TAGS, PARAGRAPH_ID, PIN_IN_LIST_HINT, URL_SCHEMES, block_parts, pin_order, pins_after,
                     pins_in_text, render_body, render_markdown, unapplied_pin)
from .model import (
    ENTITY_KINDS, ERROR, WARNING, Entity, EntityRecord, Paragraph, Problem, Ref, ResolvedQuote, Statement,
    StatementRecord,
)

_FIELD_FOR_KIND = {"people": "speakers", "organisations": "organisations", "events": "event", "places": "places",
                   "outlets": "outlet"}

KIND_SINGULAR = {"people": "person", "organisations": "organisation", "events": "event", "outlets": "outlet", "places": "place"}


def _article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def odd_characters(name: str) -> str:
    """What makes a name look like another and not be it: an invisible character (a zero-width space
    pasted with the text) or a word that mixes alphabets (a Latin 'a' in 'Захаровa'); else ''."""
    for ch in name:
        if unicodedata.category(ch) in ("Cf", "Co", "Cn") or (ch.isspace() and ch not in " \u00a0"):
            return f"it holds the invisible character U+{ord(ch):04X}"
    for word in name.split():
        scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in word if ch.isalpha()} & set(_SCRIPTS)
        if len(scripts) > 1:
            mixed = " and ".join(sorted(script.title() for script in scripts))
            return f"'{word}' mixes {mixed} letters that look alike"
    return ""


# Words that name a body, not a person ("Ministry", "Foundation"): the importer lists such a name among the
# organisations, and a name that no registry file gives, where either kind may stand (mentions), is one.
ORG_WORDS = set(
    "ministry committee forum council party union association foundation fund agency embassy center centre institute "
    "congress movement organisation organization company bank university service office department commission "
    "parliament assembly federation society community network group board chamber league alliance coalition "
    "corporation academy court duma administration government consulate mission bureau authority directorate "
    "inspectorate club trust initiative platform diaspora".split()
)


def names_a_body(name: str) -> bool:
    return any(word in ORG_WORDS for word in re.findall(r"\w+", name.lower()))


def slugify(text: str) -> str:
    """Readable ASCII slug for a name in any script; transliterates, never drops a letter."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"['’‘`ʼ]", "", text)  # apostrophes join words: "Lion's" -> "lions"
    ascii_text = anyascii(text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def name_key(name: str) -> str:
    """Key for exact matching: the name as written, spaces tidied."""
    return " ".join(unicodedata.normalize("NFC", name).split())


SLUG_LIMIT = 70  # letters of a slug made from a headline: an address to cite, and a file name the disk accepts


def short_slug(text: str, limit: int = SLUG_LIMIT) -> str:
    """slugify(text), cut at a word to `limit` letters: a 300-letter headline made a file name too long to save."""
    slug = slugify(text)
    if len(slug) <= limit:
        return slug
    cut = slug[:limit + 1]
    return cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]


def fuzzy_key(name: str) -> str:
    """Key for near-miss hints: case folded, transliterated, punctuation removed."""
    return re.sub(r"[^a-z0-9]", "", anyascii(unicodedata.normalize("NFC", name)).casefold())


# Letters of Azerbaijani Latin that no Unicode decomposition takes to ASCII: Pagefind finds "Huseynov" for
# "Hüseynov" (it folds marks) but not "Mammadov" for "Məmmədov" or "Qasimov" for "Qasımov". search.js folds a
# typed filter the same way (`fold`). Which names are in Azerbaijani Latin: those with one of these letters
# (not ü or ö alone, which German names have too).
_AZERBAIJANI_LETTERS = frozenset("əƏışŞçÇğĞ")
_AZERBAIJANI_MARKS = _AZERBAIJANI_LETTERS | {"İ"}  # what marks a name as Azerbaijani for its lang: İ too ("Nazim İbrahimov")
_LETTER_FOR_LETTER = str.maketrans({"ə": "a", "Ə": "A", "ı": "i"})
# How English-language reports write the same names (Məmmədov Mammadov, Cəfərov Jafarov, Şirinov Shirinov,
# Xəlilov Khalilov, Quliyev Guliyev, Çələbiyev Chalabiyev): the spelling readers of those reports type.
_ENGLISH_PRESS = str.maketrans({"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch", "x": "kh", "X": "Kh", "c": "j", "C": "J",
                                "q": "g", "Q": "G"})


def english_press(name: str) -> str:
    """A name as English-language reports spell Azerbaijani ones (Cavid Qurbanov: Javid Gurbanov), whatever its letters."""
    return unicodedata.normalize("NFC", name).translate(_ENGLISH_PRESS).translate(_LETTER_FOR_LETTER)


def as_the_press_writes(word: str) -> str:
    """A word in Azerbaijani Latin as English-language reports write it (Həsənov: Hasanov, Cəfərov: Jafarov); any
    other word as it is, so that "Cavid" or an English word keeps its c."""
    return word if _AZERBAIJANI_LETTERS.isdisjoint(word) else english_press(word)


@functools.lru_cache(maxsize=None)  # asked for every name of every page a statement involves: a few thousand names
def search_spellings(name: str) -> tuple[str, ...]:
    """ASCII spellings of a name, for search to find it as readers type it. In Azerbaijani Latin: letter for
    letter (Qasımov: Qasimov) and as English-language reports write it (Gasimov). In Cyrillic: romanised, as
    reports from Russian sources spell it (Ильхам Алиев: Ilkham Aliev, Ильгар Гаджиев: Ilgar Gadzhiev), the soft
    sign's apostrophe left out as the press leaves it. Other names have none: their marks Pagefind folds
    itself, and an editor gives other spellings as aliases."""
    name = unicodedata.normalize("NFC", name)
    if name_language(name) == "ru":
        return (re.sub(r"['\"]", "", anyascii(re.sub("[«»]", "", name))),)
    if _AZERBAIJANI_LETTERS.isdisjoint(name):
        return ()
    spellings = (_without_marks(name.translate(_LETTER_FOR_LETTER)), _without_marks(english_press(name)))
    return tuple(s for s in dict.fromkeys(spellings) if s != name)


def _without_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def name_language(name: str) -> str:
    """The language a name is written in when it is not the site's: "ru" for Cyrillic (the archive's are
    Russian), "az" for Azerbaijani Latin; else "". Screen readers then say "Полад Бюльбюль оглы" in Russian."""
    if any("\u0400" <= ch <= "\u04ff" for ch in name):
        return "ru"
    return "az" if not _AZERBAIJANI_MARKS.isdisjoint(unicodedata.normalize("NFC", name)) else ""


class NameParts(NamedTuple):
    family: str
    given: str
    suffix: str = ""  # "Jr.", which citations give after the family name ("King, Martin Luther, Jr.")


def name_parts(name: str, sort_as: str = "") -> NameParts:
    """A person's family name, given names and suffix, as citations give them. The registry's `sort_as` begins
    with the family name: up to a comma ("García Márquez, Gabriel"), or else its longest first words that stand
    together in the name and leave a given name ("Mao Zedong": Mao; "von der Leyen": von der Leyen). Without it,
    or when they are not the name's, the last word of the name, or the last two when it is "oğlu" or "qızı". A
    generation's suffix at the end ("Martin Luther King Jr.", "Thurston Howell, III") is neither."""
    words = name.split()
    suffix = ""
    if len(words) > 2 and _is_suffix(words[-1], after_comma=words[-2].endswith(",")):
        suffix, words[-2] = words[-1], words[-2].removesuffix(",")
        words.pop()
    if not words:
        return NameParts("", "")
    head, comma, _ = sort_as.partition(",")
    wanted = head.split()
    for size in ([len(wanted)] if comma else range(len(wanted), 0, -1)):
        family = wanted[:size]
        for at in range(len(words) - size + 1):
            if words[at:at + size] == family and (comma or size < len(words)):
                return NameParts(" ".join(family), " ".join(words[:at] + words[at + size:]), suffix)
    if len(words) > 2 and words[-1].casefold() in PATRONYMIC_MARKS:  # "Nizami Cəfər oğlu": "Cəfər oğlu" stands as one
        return NameParts(" ".join(words[-2:]), " ".join(words[:-2]), suffix)
    return NameParts(words[-1], " ".join(words[:-1]), suffix)


def _is_suffix(word: str, after_comma: bool) -> bool:
    """Jr. and Sr. end a name with or without a comma before them; a numeral only after one, since "John Paul II"
    is a regnal name, not a family's third generation."""
    folded = word.casefold().removesuffix(".")
    return folded in ("jr", "sr") or (after_comma and folded in ("ii", "iii", "iv"))


# The last word of an Azerbaijani name written with a patronymic and no family name ("Polad Bülbül oğlu"),
# in Azerbaijani Latin, ASCII and Russian.
PATRONYMIC_MARKS = frozenset("oğlu oglu ogly qızı qizi gizi kyzy оглы кызы".split())


def edit_distance_at_most(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` single-letter edits apart."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


class NearMissIndex:
    """Finds the registered keys that may be within 2 edits of a name, without comparing them all.

    Pigeonhole: split a key into three pieces; an edit touches at most one piece, so a key within
    k <= 2 edits of the name has a piece that appears unchanged in the name, shifted by at most k.
    Looking up those pieces gives every candidate (and few others); the caller checks each exactly.
    """

    PIECES = 3  # one more than the largest limit

    def __init__(self, keys):
        self.short = [k for k in keys if len(k) < self.PIECES]
        self.pieces: dict = {}  # (length, piece number, text) -> keys
        for key in keys:
            if len(key) >= self.PIECES:
                for number, (start, end) in enumerate(self._cuts(len(key))):
                    self.pieces.setdefault((len(key), number, key[start:end]), []).append(key)

    @classmethod
    def _cuts(cls, length: int) -> list[tuple[int, int]]:
        bounds = [length * i // cls.PIECES for i in range(cls.PIECES + 1)]
        return list(zip(bounds, bounds[1:]))

    def candidates(self, name: str, limit: int) -> set:
        found = set(self.short)
        for length in range(max(self.PIECES, len(name) - limit), len(name) + limit + 1):
            for number, (start, end) in enumerate(self._cuts(length)):
                for shift in range(-limit, limit + 1):
                    if 0 <= start + shift and end + shift <= len(name):
                        found.update(self.pieces.get((length, number, name[start + shift:end + shift]), ()))
        return found


@dataclass
class Registry:
    """Every entity by kind and slug, and every name or alias that points to one."""

    entities: dict = field(default_factory=lambda: {kind: {} for kind in ENTITY_KINDS})
    names: dict = field(default_factory=lambda: {kind: {} for kind in ENTITY_KINDS})  # kind -> name -> slug
    fuzzy: dict = field(default_factory=lambda: {kind: {} for kind in ENTITY_KINDS})  # kind -> key -> name
    near_index: dict = field(default_factory=dict, repr=False, compare=False)  # kind -> NearMissIndex, made on first use
    # name as written -> name_key(name): an archive repeats the same few thousand names hundreds of thousands of times.
    keys: dict = field(default_factory=dict, repr=False, compare=False)
    # kind -> old slugs that redirect to an entity (from its old_urls): a name met only in statements never gets one.
    old_slugs: dict = field(default_factory=lambda: {kind: set() for kind in ENTITY_KINDS})

    def key(self, name: str) -> str:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = name_key(name)
        return key

    def lookup(self, kind: str, name: str) -> str | None:
        return self.names[kind].get(self.key(name))

    def near_miss(self, kind: str, name: str) -> str | None:
        """A registered name this one is almost the same as, for a 'did you mean' hint."""
        key = fuzzy_key(name)
        if not key:
            return None
        if key in self.fuzzy[kind]:
            return self.fuzzy[kind][key]
        limit = 1 if len(key) < 8 else 2
        if kind not in self.near_index:
            self.near_index[kind] = NearMissIndex(self.fuzzy[kind])
        matches = [other for other in self.near_index[kind].candidates(key, limit)
                   if edit_distance_at_most(key, other, limit)]
        return self.fuzzy[kind][min(matches)] if matches else None

    def suggestion(self, kinds: tuple, name: str, noun: str) -> tuple[str, str] | None:
        """(message, hint) for a name that is almost a registered one, or None."""
        for kind in kinds:
            near = self.near_miss(kind, name)
            if near:
                entity = self.entities[kind][self.names[kind][name_key(near)]]
                return (f"{noun} '{name}' is not in the registry, but is almost '{near}'".lstrip(),
                        f"did you mean {near}? if so, add '{name}' to the aliases in {entity.path}, or write '{near}'")
        return None

    def other_kind(self, kinds: tuple, name: str) -> Entity | None:
        """The registered entity of another kind that has exactly this name, if any."""
        for kind in ENTITY_KINDS:
            if kind not in kinds and (slug := self.lookup(kind, name)):
                entity = self.entities[kind][slug]
                if entity.registered:
                    return entity
        return None


def build_registry(records: dict, trust_html: bool = False, published: dict | None = None) -> tuple[Registry, list[Problem]]:
    """Index registry records by slug and by every name; report slug and alias collisions. `published`: {address:
    path of its file} as the last build published them, to tell which of two files claiming an address has it."""
    registry = Registry()
    problems: list[Problem] = []
    claimed: dict[tuple, tuple] = {}  # (scope, name) -> (kind, record, its line key); people and organisations share mentions
    folded: dict[tuple, tuple] = {}  # (scope, fuzzy key) -> (name as written, record, its line key)
    for kind in ENTITY_KINDS:
        for record in records.get(kind, []):
            if record.slug in registry.entities[kind]:
                other = registry.entities[kind][record.slug]
                problems.append(Problem(record.path, record.lines.get("slug", 1),
                                        f"slug '{record.slug}' is already used by {other.path}", ERROR,
                                        "give one of them another file name or 'slug:'"))
                continue
            registry.entities[kind][record.slug] = Entity(
                kind=kind, slug=record.slug, name=record.name, aliases=record.aliases, role=record.role,
                role_date=record.role_date, sort_as=record.sort_as,
                body_html=render_markdown(record.body, trust_html) if record.body.strip() else "",
                same_as=record.same_as, url=record.url, date=record.date, path=record.path, old_urls=record.old_urls,
            )
            again = _front_matter_again(record.path, record.body, record.lines.get("(body)", 1))
            problems += [again] if again else []
            own = name_key(record.name)
            for i, name in enumerate((record.name,) + record.aliases):
                key = name_key(name)
                line_key = "name" if i == 0 else f"aliases[{i - 1}]"
                if i and key == own:  # left there when the entry was renamed to it, say: the page would list it twice
                    problems.append(Problem(record.path, record.lines.get(line_key, 1), f"aliases: '{name}' is the "
                                            "entry's name", WARNING, "remove it: the name is always matched, and the "
                                            "page would give it again as another spelling"))
                    continue
                scope = "person-or-organisation" if kind in ("people", "organisations") else kind
                if (scope, key) in claimed and claimed[(scope, key)][1] is not record:
                    _, other, other_line = claimed[(scope, key)]
                    hint = "a name or alias may belong to one entity only; remove it from one file"
                    # In both files, each naming the other: the file that sorts first is not the one at fault.
                    problems.append(Problem(record.path, record.lines.get(line_key, 1),
                                            f"the name '{name}' is also claimed by {other.path}", ERROR, hint))
                    problems.append(Problem(other.path, other.lines.get(other_line, 1),
                                            f"the name '{name}' is also claimed by {record.path}", ERROR, hint))
                    continue
                claimed[(scope, key)] = (kind, record, line_key)
                registry.names[kind][key] = record.slug
                fuzzy = fuzzy_key(name)
                registry.fuzzy[kind].setdefault(fuzzy, record.name)
                # Also as the English-language press spells Azerbaijani words: "Səmir Abbasov" is "Samir Abbasov" there,
                # where letter for letter it is "Semir" (ə folds to e).
                press = (fuzzy if _AZERBAIJANI_LETTERS.isdisjoint(name) else  # most names: no other spelling
                         fuzzy_key(" ".join(as_the_press_writes(word) for word in name.split())))
                seen = [folded.setdefault((scope, key), (name, record, line_key)) for key in dict.fromkeys((fuzzy, press))]
                # The entry it is written like as the press spells it, else letter for letter, else itself.
                other_name, other, other_line = next((s for s in reversed(seen) if s[1] is not record), seen[0])
                if other is not record:  # "zakharova" on one entry, "Zakharova" on another: one typo from a misattribution
                    # In both files, each naming the other: which of the two is the stray one is the editors' to say.
                    for here, written, line, there, theirs in ((record, name, line_key, other, other_name),
                                                               (other, other_name, other_line, record, name)):
                        problems.append(Problem(here.path, here.lines.get(line, 1),
                                                f"the name '{written}' is written like '{theirs}' of {there.path}, "
                                                "apart from case, accents, punctuation or alphabet", WARNING,
                                                f"names are matched as written, so '{written}' goes to this entry and "
                                                f"'{theirs}' to the other: remove the one that is a mistake"))
    problems += _check_old_urls(registry, records, published or {})
    # Events name a place and organisers: they must exist.
    for record in records.get("events", []):
        entity = registry.entities["events"].get(record.slug)
        if entity is None or entity.path != record.path:
            continue
        place = ""
        if record.place:
            place = registry.lookup("places", record.place) or ""
            if not place:
                problems.append(_missing_reference(registry, record, "place", "places", record.place))
        organisers = []
        for i, name in enumerate(record.organisers):
            slug = registry.lookup("organisations", name)
            if slug:
                organisers.append(slug)
            else:
                problems.append(_missing_reference(registry, record, f"organisers[{i}]", "organisations", name))
        registry.entities["events"][record.slug] = replace(entity, place=place, organisers=tuple(organisers))
    problems += _place_within(registry, records.get("places", []))
    return registry, problems


def _place_within(registry: Registry, records: list) -> list[Problem]:
    """A place's `within` names the place it is in (a venue its city, a city its country): that one's page lists it
    and counts the events held in it. It must be registered, and the chain must end: a place within itself, however
    far round, would be counted in its own events without end."""
    problems = []
    places = registry.entities["places"]
    for record in records:
        entity = places.get(record.slug)
        if not record.within or entity is None or entity.path != record.path:
            continue
        outer = registry.lookup("places", record.within)
        first = re.split(r"\s*[,;]\s*", record.within, maxsplit=1)[0]
        if not outer and first != record.within and registry.lookup("places", first):
            # "within: Moscow, Russia": one place, the nearest; the larger one goes in that place's own file
            problems.append(replace(
                _missing_reference(registry, record, "within", "places", record.within),
                hint=f"'within' names one place, the nearest the place is in: write 'within: {first}', and say "
                     f"what {first} is within in its own file"))
        elif not outer:
            problems.append(_missing_reference(registry, record, "within", "places", record.within))
        else:
            places[record.slug] = replace(entity, within=outer)
    round_: list[str] = []
    for record in records:
        entity = places.get(record.slug)
        outer = enclosing(places, record.slug) if entity is not None and entity.path == record.path else []
        if record.slug not in outer:  # the chain ends
            continue
        round_.append(record.slug)
        line = record.lines.get("within", 1)
        if outer[0] == record.slug:  # "within: Hotel Ukraina" in the hotel's own file, by an alias of its own
            problems.append(Problem(record.path, line, f"within: {record.within!r} is this place itself", ERROR,
                                    "'within' names the larger place it is in (a venue's city, a city's "
                                    "country): correct it, or remove it"))
            continue
        names = " is within ".join(places[s].name for s in [record.slug] + outer)
        problems.append(Problem(record.path, line, f"within: the places go round: "
                                f"{names}", ERROR, "a place is within a larger one: remove 'within' from the "
                                "largest of these places, or correct it"))
    for slug in round_:  # reported: the check still makes its pages, each place standing alone
        places[slug] = replace(places[slug], within="")
    return problems


def enclosing(places: dict, slug: str) -> list[str]:
    """The places `slug` is within, nearest first: a venue's city, then the city's country (build_registry has
    checked that the chain ends; on one that goes round, it stops before a place it has given)."""
    chain = []
    while (slug := places[slug].within if slug in places else "") and slug not in chain:
        chain.append(slug)
    return chain


def _check_old_urls(registry: Registry, records: dict, published: dict) -> list[Problem]:
    """An entity's old address must be one no page has now, and belong to one entity only. A new entry at an old
    address that the site publishes is told to take another, at its own file: the page and feed there are followed
    as the other entry's."""
    problems = []
    owners: dict[str, EntityRecord] = {}
    for kind in ENTITY_KINDS:
        for record in records.get(kind, []):
            entity = registry.entities[kind].get(record.slug)
            if entity is None or entity.path != record.path:
                continue  # a slug collision, reported above
            for i, path in enumerate(record.old_urls):
                line = record.lines.get(f"old_urls[{i}]", record.lines.get("old_urls", 1))
                old_kind, old_slug = path.split("/")[:2]
                current = registry.entities[old_kind].get(old_slug)
                if current is not None and current.path != record.path and published.get(path) == record.path:
                    problems.append(Problem(current.path, 1, (
                        f"this entry's address /{path} is an old address of {record.path} (in its old_urls), which "
                        "the site publishes: links to it, and its feed, are followed as that entry's"), ERROR,
                        "give this entry a different file name, or a 'slug:' of its own"))
                elif current is not None:
                    message = (f"old_urls: /{path} is this entry's own address" if current.path == record.path
                               else f"old_urls: /{path} is the address of {current.path}")
                    hint = "an old address must be one that no page has now; remove it"
                    if current.path != record.path and path not in published:
                        hint = (f"if this entry was once published at /{path}, keep it and give {current.path} a "
                                "different file name or 'slug:'; if not, remove it")
                    problems.append(Problem(record.path, line, message, ERROR, hint))
                elif path in owners:
                    problems.append(Problem(record.path, line,
                                            f"old_urls: /{path} is already an old address of {owners[path].path}",
                                            ERROR, "keep it in the file of the entity whose page it was"))
                else:
                    owners[path] = record
                    registry.old_slugs[old_kind].add(old_slug)
    return problems


def _missing_reference(registry: Registry, record: EntityRecord, key: str, kind: str, name: str) -> Problem:
    """A registry file names an entity that has no file: an error, with a 'did you mean' when one is close."""
    noun = key.split("[")[0].rstrip("s")
    line = record.lines.get(key, record.lines.get(key.split("[")[0], 1))
    near = registry.suggestion((kind,), name, noun)
    if near:
        return Problem(record.path, line, near[0], ERROR, near[1])
    return Problem(record.path, line, f"{noun} '{name}' is not in content/{kind}/", ERROR,
                   f"add a file for it in content/{kind}/, or use a name or alias that is there")


class _Refs(dict):
    """(kind, slug) -> the one Ref of that entity, made on first use: later stages compare Refs by identity first."""

    def __missing__(self, key: tuple[str, str]) -> Ref:
        ref = self[key] = Ref(*key)
        return ref


CURLY_OPENING, CURLY_CLOSING = "“‘«„", "”’»“"  # quotation marks YAML reads as text ("“" also closes German „...“)


def _line(record: StatementRecord, field_key: str) -> int:
    """The line of a key ('speakers[1]'), else of its list ('speakers'), else the first."""
    return record.lines.get(field_key, record.lines.get(field_key.split("[")[0], 1))


class _Resolver:
    """Resolves the names of the statements; unknown names become unregistered entities."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.problems: list[Problem] = []
        self.refs = _Refs()
        self.made: dict[str, set] = {kind: set() for kind in ENTITY_KINDS}  # name keys given an unregistered entity
        # (kind, name key) of an unregistered name -> (message, hint) its first use was given, and the last statement
        # that was given it: the editor sees every statement that uses the name, each once.
        self.warned: dict[tuple, tuple] = {}
        # Of the statement being resolved (see ResolveMemo): whether it met an unregistered name, and the
        # (kind, key) pairs that must stay unregistered names for its outcome to hold in another build.
        self.stateful = False
        self.shadows: list[tuple[str, str]] = []

    def start(self) -> None:
        """Begin a statement: forget what the last one met."""
        self.stateful = False
        self.shadows = []

    def shadowed(self, shadows) -> bool:
        """Whether a name a kept outcome looked up in vain is now an unregistered entity of that kind."""
        return any(key in self.made[kind] for kind, key in shadows)

    def ref(self, kind: str, slug: str) -> Ref:
        return self.refs[(kind, slug)]

    def known(self, kinds: tuple, name: str) -> Ref | None:
        """The entity a name is registered for (or was given earlier as unregistered), or None; reports nothing."""
        key = self.registry.key(name)
        for kind in kinds:
            slug = self.registry.names[kind].get(key)
            if slug:
                if key in self.made[kind]:
                    self.stateful = True
                elif kind is not kinds[0]:  # found further on: the kinds before must not gain this name
                    self.shadows += [(k, key) for k in kinds[:kinds.index(kind)]]
                return self.ref(kind, slug)
        return None

    def resolve(self, record: StatementRecord, field_key: str, kinds: tuple, name: str) -> Ref:
        if len(name) > 2 and name[0] in CURLY_OPENING and name[-1] in CURLY_CLOSING:  # YAML keeps them in the name
            self.problems.append(Problem(record.path, _line(record, field_key), f"{field_key.split('[')[0]}: '{name}' "
                                         "is wrapped in curly quotes, which are read as part of the name", WARNING,
                                         f"write it between straight double quotes instead, as \"{name[1:-1]}\""))
            name = name[1:-1].strip()
        ref = self.known(kinds, name)
        if ref is None:
            return self.unknown(record, field_key, kinds, name)
        key = (ref.kind, self.registry.key(name))
        warned = self.warned.get(key)
        if warned and warned[2] != record.path:  # reported in each statement that uses it, once in each
            message, hint, _, severity = warned
            self.warned[key] = (message, hint, record.path, severity)
            self.problems.append(Problem(record.path, _line(record, field_key), message, severity, hint))
        return ref

    def unknown(self, record: StatementRecord, field_key: str, kinds: tuple, name: str) -> Ref:
        self.stateful = True
        # Where either kind may stand (mentions), a name with a word such as "Ministry" is a body's: filed as a
        # person, its page would be under People and its record in people.json.
        kind = "organisations" if "organisations" in kinds[1:] and names_a_body(name) else kinds[0]
        line = _line(record, field_key)
        folders = " or ".join(f"content/{k}/" for k in kinds)
        other = self.registry.other_kind(kinds, name)
        near = None if other else self.registry.suggestion(kinds, name, "")
        severity = WARNING
        if other:
            # An error: published, it would make a second entity of that name, of the wrong kind, with the statement
            # on its page and not on the registered one's (a ministry's words under People).
            wanted = " or ".join(KIND_SINGULAR[k] for k in kinds)
            message = (f"'{name}' is registered as {_article(KIND_SINGULAR[other.kind])} in {other.path}, "
                       f"not as {_article(wanted)}")
            hint = (f"move it to '{_FIELD_FOR_KIND.get(other.kind, other.kind)}:' if that is what is meant; if it is "
                    f"another entity of the same name, add a file for it in content/{kind}/")
            severity = ERROR
        elif near:
            message, hint = near
        else:
            message = f"'{name}' is not in {folders}; it gets a page of its own"
            hint = f"add a file for it in content/{kind}/, or add the name to an existing entry's aliases"
        if oddity := odd_characters(name):  # why a name that looks registered is not: say so, or no one would see it
            message, hint = f"{message}: {oddity}", "type the name again on the keyboard"
        self.problems.append(Problem(record.path, line, message, severity, hint))
        ref = self.unregistered(kind, name)
        self.warned[(ref.kind, self.registry.key(name))] = (message, hint, record.path, severity)
        return ref

    def unregistered(self, kind: str, name: str) -> Ref:
        key = name_key(name)
        entities = self.registry.entities[kind]
        slug = self.registry.names[kind].get(key)
        if slug is None:
            base = slugify(name) or "unnamed"
            slug, n = base, 2
            while slug in entities or slug in self.registry.old_slugs[kind]:
                slug, n = f"{base}-{n}", n + 1
            entities[slug] = Entity(kind=kind, slug=slug, name=key, registered=False)
            self.registry.names[kind][key] = slug
            self.made[kind].add(key)
        return self.ref(kind, slug)

    def resolve_list(self, record, key: str, kinds: tuple, names: tuple) -> tuple:
        return tuple(ref for _, _, ref in self.resolve_items(record, key, kinds, names))

    def resolve_items(self, record, key: str, kinds: tuple, names: tuple) -> list[tuple[int, str, Ref]]:
        """(position, name as written, Ref) of each item that names an entity no earlier item names."""
        refs = {}  # (kind, slug) -> item, in order: a tuple compares in C, a Ref in Python
        for i, name in enumerate(names):
            ref = self.resolve(record, f"{key}[{i}]", kinds, name)
            if (ref.kind, ref.slug) in refs:
                self.problems.append(Problem(record.path, record.lines.get(f"{key}[{i}]", 1),
                                             f"{key}: '{name}' names the same entity as an earlier item", WARNING,
                                             "remove the repeat"))
                continue
            refs[(ref.kind, ref.slug)] = (i, name, ref)
        return list(refs.values())

    def author(self, name: str) -> Ref | None:
        """A byline links to a person page when the registry knows the journalist; otherwise it stays text."""
        if not name:
            return None
        key = self.registry.key(name)
        slug = self.registry.names["people"].get(key)
        if slug is None:
            self.shadows.append(("people", key))
        elif key in self.made["people"]:
            self.stateful = True
        return Ref("people", slug) if slug else None


def _paragraph_finder(paragraphs: tuple):
    """A function that gives the first of the paragraphs that holds a text, or None.

    Why: a statement's quotations are each looked for once in all its paragraphs joined, not
    paragraph by paragraph. A match of a text without the joining character lies inside one
    paragraph, found from the paragraphs' lengths; a text with it is looked for the slow way.
    """
    joined = "\x00".join(p.text for p in paragraphs)
    ends = list(itertools.accumulate(len(p.text) + 1 for p in paragraphs))  # where each next paragraph starts

    def find(text: str) -> Paragraph | None:
        if "\x00" in text:
            return next((p for p in paragraphs if text in p.text), None)
        at = joined.find(text)
        return paragraphs[bisect.bisect_right(ends, at)] if paragraphs and at >= 0 else None

    return find


UNNUMBERED_QUOTATION_HINT = (
    "the words are in an item of a list written without blank lines between its items (or a heading), which has "
    "no paragraph number for the quotation to link to: put a blank line between the list's items, and each becomes "
    "a numbered paragraph")


def in_unnumbered_words(text: str, body) -> bool:
    """Whether a quotation's words stand, on one line, in what the page does not number: an item of a list written
    without blank lines between its items, or a heading (only asked of a quotation no paragraph holds)."""
    words = " ".join(text.split())
    return bool(words) and any(words in line for block in body.blocks for pid, lines in block_parts(block.html)
                               if pid is None for line in lines.split("\n"))


def where_a_quotation_differs(text: str, paragraphs: tuple) -> str:
    """Where the paragraph that holds the most of a quotation's beginning parts from it, for the editor to see
    at once what to correct ("paragraph p2 has 'We welcome the decision', then ',' where the quotation has '.'");
    "" if none holds its first words. A quotation is matched character for character: ' is not ’."""
    def longest(paragraph: str) -> int:  # the longest beginning of the text the paragraph holds
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if text[:middle] in paragraph else (low, middle - 1)
        return low

    best, paragraph = max(((longest(p.text), p) for p in paragraphs), key=lambda found: found[0], default=(0, None))
    if paragraph is None or not text or best == len(text):
        return ""
    if best < min(12, len(text)):  # it may differ early, in a mark that looks alike ("I'm" for "I’m")
        return _typographic_difference(text, paragraphs)
    at = paragraph.text.find(text[:best]) + best
    held = f"{'…' if best > 30 else ''}{text[max(0, best - 30):best]}"
    if at == len(paragraph.text):
        return f"paragraph {paragraph.id} ends with '{held}', and a quotation stays within one paragraph; "
    return f"paragraph {paragraph.id} has '{held}', then {paragraph.text[at]!r} where the quotation has {text[best]!r}; "


# Marks that look alike, each read as the plainest of its kind, to find a quotation that differs from the text in them.
_LOOK_ALIKE = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
                             "–": "-", "—": "-", "\u00a0": " "})
_OPENING_QUOTES, _CLOSING_QUOTES = "\"'" + CURLY_OPENING, "\"'" + CURLY_CLOSING


def _typographic_difference(text: str, paragraphs: tuple) -> str:
    """Where a quotation differs from the paragraph that holds it but for marks that look alike, or "": the
    quotation between quotation marks ("“We are ready”"), or with a mark the text has another way (' for ’)."""
    if len(text) > 2 and text[0] in _OPENING_QUOTES and text[-1] in _CLOSING_QUOTES:
        inner = text[1:-1].strip()
        for paragraph in paragraphs:
            if inner and inner in paragraph.text:
                return (f"paragraph {paragraph.id} has the words without the quotation marks around them; leave "
                        "those out, as a quotation's text is the speaker's words alone; ")
    folded = text.translate(_LOOK_ALIKE)
    for paragraph in paragraphs:
        at = paragraph.text.translate(_LOOK_ALIKE).find(folded)
        i = next((i for i, ch in enumerate(text) if paragraph.text[at + i] != ch), None) if at >= 0 else None
        if i is not None:
            after = f" after '{text[max(0, i - 30):i]}'" if i else " at the start"
            return f"paragraph {paragraph.id} has {paragraph.text[at + i]!r} where the quotation has {text[i]!r}{after}; "
    return ""


class Kept(NamedTuple):
    """One statement's kept outcome (see ResolveMemo): what it was resolved from, and what it found."""

    version: str  # of its record (its file's content hash)
    names: str  # names_digest of the registry
    trust_html: bool
    refs: tuple  # outlet, speakers, organisations, event, places, mentions, as (kind, slug) pairs
    quotes: tuple  # _kept_quotes
    author: str | None  # the byline's person slug
    problems: tuple  # raised while resolving it
    shadows: tuple  # (kind, key) pairs that must not have become unregistered names
    roles: tuple = ()  # ((kind, slug), text) of each role the statement gives


class ResolveMemo:
    """What resolving each statement found, kept between builds so that an unchanged statement is not resolved again.

    Why it is exact: a statement whose names are all registered resolves the same way whatever the
    other statements say, given its record (`version(record)`, e.g. its file's content hash), the
    registered names, trust_html and the code (the caller stamps the memo with it). Only such outcomes
    are kept: the Refs as (kind, slug), the quotations, the byline and the problems raised. The rest
    depends on the order of the statements (an unregistered name's slug and its first warning go to the
    first statement that meets it, and later lookups find it), so those statements are resolved on
    every build, in order. One more way the others reach a kept statement: a name it found only in a
    later kind (a mention registered as an organisation; an unknown byline) becomes an unregistered
    entity of an earlier kind; the outcome keeps those (kind, key) pairs and is not used when one is taken.
    """

    def __init__(self, old: dict, version):
        self.old = old  # path -> entry, from the last build
        self.new: dict = {}  # path -> entry, of this build
        self.version = version  # record -> str, or None when the record cannot be kept

    def get(self, record: StatementRecord, names: str, trust_html: bool) -> Kept | None:
        entry = self.old.get(record.path)
        if entry is None or entry.names != names or entry.trust_html != trust_html:
            return None
        return entry if entry.version == self.version(record) else None

    def keep(self, record: StatementRecord, entry: Kept) -> None:
        self.new[record.path] = entry


def names_digest(registry: Registry) -> str:
    """A hash of every registered name and the slug it points to: what a kept resolution depends on."""
    return hashlib.blake2b(repr(registry.names).encode("utf-8"), digest_size=16).hexdigest()


def _pair(ref: Ref | None) -> tuple | None:
    return (ref.kind, ref.slug) if ref else None


def _pairs(refs: tuple) -> tuple:
    return tuple((ref.kind, ref.slug) for ref in refs)


def render_record(record: StatementRecord, trust_html: bool = False):
    """A statement's Body, from its text."""
    return render_body(record.body, trust_html)


def resolve_statements(records: list, registry: Registry, trust_html: bool = False,
                       render=render_record, memo: ResolveMemo | None = None) -> tuple[list[Statement], list[Problem]]:
    """Resolve every name of every statement and render its body; match quotations to paragraphs.

    `render(record, trust_html)` gives a statement's Body; the build passes a cached, parallel one.
    With a `memo`, statements resolved by an earlier build are rebuilt from what it found (see ResolveMemo).
    """
    resolver = _Resolver(registry)
    names = names_digest(registry) if memo is not None else ""  # before any unregistered name is added
    statements = []
    for record in sorted(records, key=lambda r: r.path):
        body = render(record, trust_html)
        entry = memo.get(record, names, trust_html) if memo is not None else None
        if entry is not None and not resolver.shadowed(entry.shadows):
            statements.append(_replay(resolver, record, body, entry))
            resolver.problems += entry.problems
            memo.keep(record, entry)
            continue
        resolver.start()
        mark = len(resolver.problems)
        statement = _resolve_one(resolver, record, body)
        statements.append(statement)
        if memo is not None and not resolver.stateful and (version := memo.version(record)) is not None:
            refs = (_pair(statement.outlet), _pairs(statement.speakers), _pairs(statement.organisations),
                    _pair(statement.event), _pairs(statement.places), _pairs(statement.mentions))
            quotes = tuple(_kept_quotes(record, statement.quotes))
            memo.keep(record, Kept(version, names, trust_html, refs, quotes,
                                   statement.author.slug if statement.author else None,
                                   tuple(resolver.problems[mark:]), tuple(dict.fromkeys(resolver.shadows)),
                                   tuple((_pair(person), text) for person, text in statement.roles)))
    return statements, resolver.problems


def _kept_quotes(record: StatementRecord, quotes: tuple):
    """(index in record.quotes, speaker as (kind, slug), paragraph id) of each resolved quotation, in order."""
    remaining = iter(enumerate(record.quotes))
    for quote in quotes:
        for i, source in remaining:  # resolved quotations keep the order of the record's, some left out
            if source.text == quote.text:
                yield i, (quote.speaker.kind, quote.speaker.slug), quote.paragraph_id
                break


def _replay(resolver: _Resolver, record: StatementRecord, body, entry: Kept) -> Statement:
    """The Statement a kept outcome describes, with this build's Refs, record and body."""
    ref = resolver.refs.__getitem__
    outlet, speakers, organisations, event, places, mentions = entry.refs
    quotes = record.quotes
    return Statement(
        record=record, slug=record.slug, body=body, outlet=ref(outlet),
        speakers=tuple(map(ref, speakers)), organisations=tuple(map(ref, organisations)),
        event=ref(event) if event else None, places=tuple(map(ref, places)), mentions=tuple(map(ref, mentions)),
        quotes=tuple([ResolvedQuote(ref(speaker), quotes[i].text, paragraph_id, quotes[i].note)
                      for i, speaker, paragraph_id in entry.quotes]),
        author=Ref("people", entry.author) if entry.author else None,
        roles=tuple((ref(person), text) for person, text in entry.roles),
    )


def _unapplied_pins(record: StatementRecord, body) -> list[Problem]:
    """Ids pinned in a statement's text (markup.py) that the rendered text still shows: one an earlier paragraph
    already has, or one at the end of something that is no paragraph (an item of a list without blank lines).

    Here, beside the quotations, because this is where a statement's text and its rendered
    paragraphs meet; validate.py checks what it can from the text alone."""
    text = record.body
    if "{#" not in text:
        return []
    pinned = [written for written, _ in pins_in_text(text)]
    ids = [paragraph.id for paragraph in body.paragraphs]
    # pin left in a paragraph's text -> the ids of the two paragraphs before that one
    taken = {unapplied_pin(paragraph.text): ids[max(0, i - 2):i] for i, paragraph in enumerate(body.paragraphs)}
    html = "".join(block.html for block in body.blocks)
    problems = []
    for written in pinned:
        if pinned.count(written) > 1 or not PARAGRAPH_ID.fullmatch(written) or "{#" + written + "}" not in html:
            continue  # pinned twice or no id: validate.py's to report; not in the page: applied
        line = _text_line(record, text.find("{#" + written + "}"))
        if written in taken:
            before = taken[written]
            # Most often a paragraph was added just above, and took this number by its place: that one is to be pinned.
            hint = (f"if the paragraph before it, now #{before[-1]}, was added, pin that one instead, as "
                    f"#{before[0]}a after #{before[0]}, and remove this pin; else pin an id after #{before[-1]}, "
                    f"such as #{before[-1]}a") if len(before) == 2 else \
                "pin an id after the one of the paragraph before it, such as #p3a after #p3"
            problems.append(Problem(record.path, line, f"the pinned id #{written} is the id of an earlier paragraph",
                                    ERROR, hint))
        else:
            problems.append(Problem(record.path, line, f"the pinned id #{written} is not at the end of a paragraph",
                                    ERROR, PIN_IN_LIST_HINT))
    # A pin below the number of the paragraph before it, when that one is numbered by its place (validate.py
    # compares pins with each other): "{#p1a}" after the second paragraph would put #p1a after #p2.
    valid = {w for w in pinned if pinned.count(w) == 1 and pin_order(w) is not None}
    previous, last_pin = None, None
    for paragraph in body.paragraphs:
        order = pin_order(paragraph.id) or (0, paragraph.id)
        after_pins = last_pin is None or order > last_pin  # else validate.py says so
        if paragraph.id in valid and previous is not None and previous not in valid and after_pins \
                and order < (pin_order(previous) or (0, previous)):
            problems.append(Problem(record.path, _text_line(record, text.find("{#" + paragraph.id + "}")),
                                    f"the pinned id #{paragraph.id} comes after #{previous}, the paragraph before it",
                                    ERROR, f"pinned ids go up through the text: after #{previous}, pin "
                                           f"{pins_after(previous)}"))
        if paragraph.id in valid:
            last_pin = max(last_pin or (0, ""), order)
        previous = paragraph.id
    return problems


_CODE_BLOCK = re.compile(r"<pre><code[^>]*>(.*?)</code></pre>", re.DOTALL)
_LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
# Words of a list item that read as speech set off by dashes, the Russian way: "- We are waiting, - she said."
_DIALOGUE = re.compile(r"[,.!?…] [-–—] \w")
_ITEM_MARK = re.compile(r"^\s*(?:>\s*)*([-*+])\s+")  # "- ", "> - ": where a source line makes a list item


def _layout_problems(record: StatementRecord, body) -> list[Problem]:
    """Markdown that changed a pasted text: indented lines shown as code, not paragraphs (the text then has none
    to quote or cite), dialogue dashes taken for a list's bullets, and the other marks below. The text must read
    as the article did. Read from what the text became (its code blocks and list items), each found back at its
    line, or from the lines Markdown reads as more than text."""
    html = "".join(block.html for block in body.blocks)
    problems = _text_shown_problems(record, body, html)
    if "<pre>" not in html and "<li>" not in html:
        return problems
    lines = record.body.split("\n")
    after = 0
    for code in _CODE_BLOCK.findall(html):
        first = unescape(code).split("\n", 1)[0].strip()
        at = next((i for i in range(after, len(lines)) if lines[i][:1] in (" ", "\t") and lines[i].strip() == first), None)
        after = at + 1 if at is not None else after
        problems.append(Problem(record.path, _line_number(record, at), "this line is indented by four spaces or a "
                                "tab, so the page shows it and the lines after it as code, not as paragraphs", WARNING,
                                "remove the spaces at the start of the text's lines, which a pasted text often brings"))
    after = 0
    for item in _LIST_ITEM.findall(html):
        words = " ".join(unescape(_TAG.sub("", item)).split())
        if not _DIALOGUE.search(words):
            continue
        found = None
        for i in range(after, len(lines)):
            mark = _ITEM_MARK.match(lines[i])
            if mark and " ".join(lines[i][mark.end():].split())[:20] == words[:20]:
                found = (i, mark.group(1))
                break
        at, bullet = found or (None, "-")
        after = at + 1 if at is not None else after
        problems.append(Problem(record.path, _line_number(record, at), f"this line begins with '{bullet} ', so the "
                                "page shows it as an item of a list, without the dash", WARNING,
                                f"if the dash is the article's, as when it sets off speech, write it as '\\{bullet}'; "
                                "a list written on purpose can stay"))
    return problems


# A line Python-Markdown reads as a heading though no space follows the '#': a hashtag ("#Azerbaijan and ..."), at
# the start of a line, of a quotation's line or of a list's item.
_HASHTAG_LINE = re.compile(r"^ {0,3}(?:>[ \t]?)*(?:(?:[-*+]|\d+\.)[ \t]+)?#+[^\s#]", re.M)
# The text's blocks, as Markdown splits them: at blank lines.
_BLOCK = re.compile(r"(?:\A|\n[ \t]*\n)(?P<block>[^\n].*?)(?=\n[ \t]*\n|\Z)", re.S)
_UNDERLINE = re.compile(r"\n(?:=+|-+)[ ]*(?:\n|\Z)")  # the second line of SetextHeaderProcessor.RE, alone
# A line that begins a block of HTML, which Markdown leaves as it is: its text gets no paragraph numbers.
_HTML_BLOCK_LINE = re.compile(r"^ {0,3}<(?:%s)\b[^>]*>" % "|".join(BLOCK_LEVEL_ELEMENTS), re.M | re.I)
# Words between angle brackets that read as an HTML tag the page may not show ("<signed by the minister>"): the
# sanitiser drops the tag and every word inside it. Links written as <https://...> or <name@host> are Markdown's.
_KEPT_TAG_NAMES = "|".join(sorted(ALLOWED_TAGS, key=len, reverse=True))  # longest first: "strong" before "s"
_DROPPED_TAG = re.compile(r"<(?!(?i:https?|mailto|ftp):)(?![^<>\s]+@[^<>\s]+>)(?!/?(?:%s)[\s/>])[A-Za-z][^<>\n]*>"
                          % _KEPT_TAG_NAMES)
# A tag the sanitiser keeps, with words that are no attribute's name=value: prose in angle brackets that begins
# with a tag's name ("<a terrorist organisation banned in Russia>", "<b>" aside), whose words are never shown.
_KEPT_TAG_WITH_WORDS = re.compile(r"<(?:%s)\s+([^<>\n]*)>" % _KEPT_TAG_NAMES)
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]+)(\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")


def _words_in_tags(text: str):
    """The spans of text in angle brackets that read as a tag and take their words with them, in order."""
    found = list(_DROPPED_TAG.finditer(text))
    found += [m for m in _KEPT_TAG_WITH_WORDS.finditer(text)
              if any(not a.group(2) for a in _ATTRIBUTE.finditer(m.group(1).rstrip("/")))]
    return sorted(found, key=lambda m: m.start())


# A link's address with a scheme, inline ("[words](javascript:...)") or in a reference ("[1]: data:..."): the
# sanitiser keeps only markup.URL_SCHEMES, and drops the others' addresses.
_LINK_SCHEME = re.compile(r"(?:\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:\s*<?)(?P<address>(?P<scheme>[a-zA-Z][a-zA-Z0-9+.\-]*):"
                          r"[^\s)>]*)", re.M)
# An image in Markdown, inline or by reference ("![photo](/images/x.jpg)", "![photo][1]"): the sanitiser drops it.
_IMAGE = re.compile(r"!\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])")


# Italics or bold that begin with a space or a mark no word begins with, or end with one no word ends with: the
# article's asterisks ("Islamic State*, ... (*banned in Russia)", "ISIS*-linked"), not ones put round words
# on purpose ("**Question:**", "*(Translated from Russian.)*").
_STRAY_EMPHASIS = re.compile(r"<(em|strong)>(?:[\s,;:.!?)\]/-](?:(?!</\1>).)*|(?:(?!</\1>).)*[\s(\[/-])</\1>", re.S)


# The text beginning with front matter again, between lines of '---' (a file pasted in whole under its own front
# matter, or a draft pasted over a file): Markdown makes a rule of the first '---' and a heading of the keys.
_FRONT_MATTER_AGAIN = re.compile(r"\A\s*^---[ \t]*\n(?P<keys>[A-Za-z_][\w-]*:(?:[ \t].*)?\n(?:.*\n)*?)---[ \t]*$", re.M)


def _front_matter_again(path: str, text: str, first_line: int) -> Problem | None:
    """A statement's text or an entry's description that begins with front matter again, told at its first '---'
    (the text begins at the file's `first_line`)."""
    found = _FRONT_MATTER_AGAIN.match(text) if text.lstrip().startswith("---") else None
    if found is None:
        return None
    return Problem(path, first_line + text.count("\n", 0, found.start("keys") - 1), "the text begins with front matter "
                   "again, between lines of '---': the page would show its keys as a heading of the text", WARNING,
                   "delete those lines; if a value there is the one wanted, put it in the front matter above")


def _text_shown_problems(record: StatementRecord, body, html: str) -> list[Problem]:
    """What of a pasted text the page would show otherwise, or not at all: hashtags and underlined lines taken
    for headings, HTML blocks, words in angle brackets, asterisks taken for italics; and a text that shows nothing."""
    text = record.body
    problems = []

    def warn(offset: int, message: str, hint: str) -> None:
        problems.append(Problem(record.path, _text_line(record, offset), message, WARNING, hint))

    shows_nothing = not any(ch.isalnum() for p in body.paragraphs for ch in p.text) \
        and not any(ch.isalnum() for ch in unescape(_TAG.sub("", html)))  # read only for a text without paragraphs
    if text.strip() and shows_nothing:  # an empty one: validate's to say
        return [Problem(record.path, record.lines.get("(body)", 1), "the statement's text shows nothing on the page: "
                        "it holds only marks, a comment or characters that are not shown", ERROR,
                        "paste the article's text below the closing '---'")]
    again = _front_matter_again(record.path, text, record.lines.get("(body)", 1))
    problems += [again] if again else []
    if "#" in text:
        for found in _HASHTAG_LINE.finditer(text):
            warn(found.start(), "this line begins with '#', so the page shows it as a heading, without the '#', and it "
                 "has no paragraph number to cite", "if the '#' is the article's, as in a hashtag, write it as '\\#'")
    if _UNDERLINE.search(text):  # first the line of '-' or '=' it needs: most texts have none, and blocks are many
        for found in _BLOCK.finditer(text):  # a block whose first line is underlined, as Markdown itself reads it
            block = found.group("block")
            if again and _text_line(record, found.start("block")) <= again.line + 1:  # the keys: said once, above
                continue
            if not block.startswith(("    ", "\t")) and SetextHeaderProcessor.RE.match(block):
                warn(found.start("block"), "the line under this one is all '-' or '=', so the page shows this line as "
                     "a heading, with no paragraph number to cite", "put an empty line between the two lines")
    if "<" in text:
        blocks = set()
        for found in _HTML_BLOCK_LINE.finditer(text):
            blocks.add(text.count("\n", 0, found.start()))
            warn(found.start(), "this line begins a block of HTML: the page shows its text, but with no paragraph "
                 "numbers, and statement.json leaves it out", "paste the article's text, not the HTML of its page")
        for found in _words_in_tags(text):
            if text.count("\n", 0, found.start()) in blocks:  # said once, for the block
                continue
            warn(found.start(), f"'{found.group(0)[:60]}' reads as an HTML tag, so the page leaves it out, words and all",
                 "if these words are the article's, write the opening bracket as '&lt;'")
    if "](" in text or "]:" in text:
        for found in _LINK_SCHEME.finditer(text):
            scheme = found.group("scheme").lower()
            if scheme not in URL_SCHEMES and f'href="{scheme}:' not in html.lower():
                warn(found.start("address"), f"a link to a '{scheme}:' address is not kept: the page shows its "
                     "words without the link", "link to a web address beginning https://, or remove the link")
    if "![" in text and "<img" not in html:
        for found in _IMAGE.finditer(text):
            words = found.group(1).strip()
            warn(found.start(), f"'{found.group(0)[:60]}' is an image, which the page does not show: it leaves out the "
                 f"image and its words{', ' + repr(words[:40]) if words else ''}",
                 "the archive keeps the article's text: remove the image, or take away its '!' to make it a link; if "
                 "the '!' is the article's, write it as '\\!'")
    if "<em>" in html or "<strong>" in html:
        after = 0  # each found in the text after the last, so that two alike are told at their own lines
        for found in _STRAY_EMPHASIS.finditer(html):
            shown = " ".join(unescape(_TAG.sub("", found.group(0))).split())
            start = shown.split(" ", 1)[0] or shown[:1]
            places = [at for at in (text.find(mark + start, after) for mark in ("**", "__", "*", "_")) if at >= 0]
            at = min(places) if places else after
            after = at + 1
            warn(at, f"the text '{shown[:60]}' is shown in italics or bold, without the asterisks or "
                 "underscores around it", "if they are the article's, as Russian reports mark a banned "
                 "organisation with '*', write each as '\\*' or '\\_'")
    return problems


def _line_number(record: StatementRecord, index: int | None) -> int:
    """The file's line of the text's line `index` (the text's first line when it was not found)."""
    return record.lines.get("(body)", 1) + (index or 0)


def _text_line(record: StatementRecord, offset: int) -> int:
    """The file's line of the character at `offset` in the text."""
    return record.lines.get("(body)", 1) + record.body.count("\n", 0, offset)


def _resolve_one(resolver: _Resolver, record: StatementRecord, body) -> Statement:
    """Resolve one statement's names against the registry and the unregistered names met so far."""
    registry = resolver.registry
    speakers = resolver.resolve_list(record, "speakers", ("people",), record.speakers)
    organisations = resolver.resolve_list(record, "organisations", ("organisations",), record.organisations)
    quotes = []
    speaker_of: dict[str, Ref | None] = {}  # a statement quotes the same few speakers many times
    finder = None
    for i, quote in enumerate(record.quotes):
        if quote.speaker in speaker_of:
            speaker = speaker_of[quote.speaker]
        else:
            speaker = None
            for kind, among in (("people", speakers), ("organisations", organisations)):
                slug = registry.lookup(kind, quote.speaker)
                if slug and resolver.ref(kind, slug) in among:
                    speaker = resolver.ref(kind, slug)
            speaker_of[quote.speaker] = speaker
        if speaker is None:
            resolver.problems.append(Problem(
                record.path, quote.line, f"quotes: '{quote.speaker}' is not among the statement's speakers or organisations",
                ERROR, _unlisted_speaker_hint(registry, record, quote.speaker)))
            continue
        finder = finder or _paragraph_finder(body.paragraphs)
        paragraph = finder(quote.text)
        if paragraph is None:
            resolver.problems.append(Problem(
                record.path, record.lines.get(f"quotes[{i}].text", quote.line),
                f"quotes: the text '{quote.text[:60]}' is not in any paragraph of the statement", ERROR,
                UNNUMBERED_QUOTATION_HINT if in_unnumbered_words(quote.text, body) else
                where_a_quotation_differs(quote.text, body.paragraphs)
                + "copy the words exactly as they stand in the text, with its own apostrophes, quotation marks and dashes"))
            continue
        if _cuts_a_word(paragraph.text, quote.text):
            resolver.problems.append(Problem(
                record.path, record.lines.get(f"quotes[{i}].text", quote.line),
                f"quotes: the text '{quote.text[:60]}' begins or ends inside a word of paragraph {paragraph.id}",
                WARNING, "copy whole words: a quotation begins and ends where the speaker's words do"))
        quotes.append(ResolvedQuote(speaker, quote.text, paragraph.id, quote.note))
    resolver.problems += _unapplied_pins(record, body) + _layout_problems(record, body)
    outlet = resolver.resolve(record, "outlet", ("outlets",), record.outlet)  # in this order: see ResolveMemo
    event = resolver.resolve(record, "event", ("events",), record.event) if record.event else None
    places = resolver.resolve_list(record, "places", ("places",), record.places)
    mentions = _not_listed_before(resolver, record, resolver.resolve_items(record, "mentions", ("people", "organisations"),
                                                                          record.mentions),
                                  {"speakers": speakers, "organisations": organisations})
    return Statement(
        record=record, slug=record.slug, body=body, outlet=outlet, speakers=speakers, organisations=organisations,
        event=event, places=places, mentions=mentions, quotes=tuple(quotes), author=resolver.author(record.author),
        roles=_resolve_roles(resolver, record, body, (*speakers, *mentions)),
    )


def _not_listed_before(resolver: _Resolver, record: StatementRecord, mentions: list, lists: dict) -> tuple:
    """The mentions without those the statement lists as a speaker or organisation already, each reported: the page
    would show that entity twice, as speaking and as "also mentioned" (a mention is often an alias: "Zakharova")."""
    kept = []
    for i, name, ref in mentions:
        listed = next((key for key, refs in lists.items() if ref in refs), None)
        if listed is None:
            kept.append(ref)
            continue
        resolver.problems.append(Problem(record.path, _line(record, f"mentions[{i}]"),
                                         f"mentions: '{name}' names {resolver.registry.entities[ref.kind][ref.slug].name}, "
                                         f"already among the statement's {listed}", WARNING,
                                         "remove it from mentions: the page lists each entity once"))
    return tuple(kept)


def _unlisted_speaker_hint(registry: Registry, record: StatementRecord, name: str) -> str:
    """What to do about a quotation whose speaker is not listed. Most often the speaker is listed, but misspelt
    there ('Maria Zaharova' in speakers, 'Maria Zakharova' in the quotation): that is the place to correct."""
    def registered(kind: str, name: str) -> str | None:
        slug = registry.lookup(kind, name)
        return slug if slug and registry.entities[kind][slug].registered else None

    for key, kind, listed in (("speakers", "people", record.speakers), ("organisations", "organisations", record.organisations)):
        wanted = registered(kind, name)
        for other in listed if wanted else ():
            if not registered(kind, other) and (near := registry.near_miss(kind, other)) and registered(kind, near) == wanted:
                return f"'{other}' in '{key}' is almost '{name}': correct it there, and the quotation is attributed"
    return "add the name to 'speakers' or 'organisations', or correct the quotation's 'speaker:'"


def _cuts_a_word(text: str, quote: str) -> bool:
    """Whether every place the quotation stands in the text begins or ends inside a word ("e welcome the talk"
    of "We welcome the talks"): the word-for-word check alone lets a slip of the mouse through."""
    start = text.find(quote)
    while start >= 0:
        end = start + len(quote)
        inside_before = start > 0 and text[start - 1].isalnum() and quote[0].isalnum()
        inside_after = end < len(text) and text[end].isalnum() and quote[-1].isalnum()
        if not inside_before and not inside_after:
            return False
        start = text.find(quote, start + 1)
    return True


def _comparable(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).casefold()


def _resolve_roles(resolver: _Resolver, record: StatementRecord, body, people: tuple) -> tuple:
    """(Ref, text) of each role the statement gives: a role belongs to one of its people, once, and is
    worded as in the report (a warning otherwise: the archive gives the report's words, not the editors')."""
    roles, seen = [], set()
    reported = None
    for role in record.roles:
        person = resolver.known(("people",), role.name)
        if person is None or person not in people:
            resolver.problems.append(Problem(
                record.path, role.line, f"roles: '{role.name}' is not among the statement's speakers or the people it "
                                        "mentions", ERROR, "write the name as 'speakers' or 'mentions' has it, or add it there"))
            continue
        if person in seen:
            resolver.problems.append(Problem(record.path, role.line, f"roles: '{role.name}' is given a second role",
                                             ERROR, "give each person one role, the one the report gives"))
            continue
        seen.add(person)
        if reported is None:
            # Each paragraph (and the title) apart: a role does not run from one into the next.
            reported = "\0".join(_comparable(t) for t in [record.title, *(p.text for p in body.paragraphs)])
        if _comparable(role.text) not in reported:
            resolver.problems.append(Problem(
                record.path, role.line, f"roles: '{role.text}' is not in the statement's title or text", WARNING,
                "give the role in the report's own words, copied from the text"))
        roles.append((person, role.text))
    return tuple(roles)
