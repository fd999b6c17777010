"""Import, step 2: find the names in an article and what each one does there.

Input: the cleaned paragraphs and the registry. Output: Occurrences of registered names (matched
regardless of case, diacritics and transliteration) and of new names, and the Roles that show who
speaks and which bodies issue the statement or take part. Speech verbs next to a name outside
quotations make a speaker; a name inside a quotation or without such words is only mentioned.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass

from anyascii import anyascii

from .entities import ORG_WORDS, Registry, as_the_press_writes, edit_distance_at_most, name_key
from .import_clean import CAPITALS

# ---------------------------------------------------------------------------------------------
# The text as one string, with its sentences and quotations


@dataclass
class Text:
    """The cleaned paragraphs joined by blank lines, with what is quoted and where sentences end."""

    value: str
    paragraph_starts: list
    quoted: bytearray  # 1 where the character is inside a quotation
    sentence_ends: list

    def paragraph_of(self, index: int) -> int:
        """1-based number of the paragraph holding `index`."""
        return max(bisect.bisect_right(self.paragraph_starts, index), 1)

    def sentence(self, index: int) -> tuple[int, int]:
        """Start and end of the sentence holding `index`."""
        i = bisect.bisect_right(self.sentence_ends, index)
        start = self.sentence_ends[i - 1] if i else 0
        end = self.sentence_ends[i] if i < len(self.sentence_ends) else len(self.value)
        return start, end

    def is_quoted(self, start: int, end: int) -> bool:
        return any(self.quoted[start:end])

    def snippet(self, start: int, end: int, limit: int = 110) -> str:
        """The words from `start` to `end` on one line, for a draft's comments: whole words, since a word cut to
        "d on Thursday" or "ers at the briefing" reads as another, and cut after a word, with "…", past `limit`."""
        value = self.value
        start, end = max(0, start), min(len(value), end)
        while 0 < start < len(value) and not value[start - 1].isspace() and not value[start].isspace():
            start -= 1
        while 0 < end < len(value) and not value[end - 1].isspace() and not value[end].isspace():
            end += 1
        text = " ".join(value[start:end].split())
        if len(text) <= limit:
            return text
        cut = text.rfind(" ", 0, limit)
        return (text[:cut] if cut > 0 else text[:limit - 1]) + "…"


_ABBREVIATIONS = {"dec", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "mr", "mrs", "ms", "dr",
                  "prof", "st", "no", "gen", "col", "lt", "sen", "rep", "gov", "jr", "sr", "vs", "etc", "inc", "ltd"}
_SENTENCE_END = re.compile(rf"[.!?…]+[\"”»’)]*(?=\s+[\"“«(]?[0-9{CAPITALS}])|\n\n")


_AFTER_INITIAL = re.compile(rf"\s+(?:[{CAPITALS}]\.|[{CAPITALS}][\w'’-]*(?![\w'’-])(?!\s+[{CAPITALS}]))")


def _initial(value: str, dot: int) -> bool:
    """Whether the full stop at `dot` follows a lone capital, the initial of a name ("John Q. Newman"): another
    initial or the surname, one word, follows. Two capitalised words after it ("held in Hall C. Ivan Petrov said")
    are the next sentence's name, and the capital ended a sentence."""
    return (dot >= 1 and value[dot - 1].isupper() and (dot == 1 or not value[dot - 2].isalnum())
            and _AFTER_INITIAL.match(value, dot + 1) is not None)


def make_text(paragraphs) -> Text:
    value = "\n\n".join(paragraphs)
    starts, position = [], 0
    for p in paragraphs:
        starts.append(position)
        position += len(p) + 2
    ends = []
    for m in _SENTENCE_END.finditer(value):
        word = re.search(r"([A-Za-z]+)\.?[\"”»’)]*$", value[max(0, m.start() - 6): m.end()])
        if m.group(0).startswith(".") and word and (word.group(1).lower() in _ABBREVIATIONS or _initial(value, m.start())):
            continue  # "Dec. 28", "Dr. Smith", "John Q. Newman": not the end of a sentence
        ends.append(m.end())
    return Text(value, starts, _quoted_spans(value, starts), ends)


# A name in quotation marks of any kind ("ALEF", “Araz”, «Araz»): a capital, then no mark of a sentence.
_NAME_QUOTE = re.compile(r"(?:(?<![\w\"])\"[A-Z0-9][^\"\n.!?,;:]{0,60}?\"|“[A-Z0-9][^“”\n.!?,;:]{0,60}?”|«[A-Z0-9][^«»\n.!?,;:]{0,60}?»)"
                         r"(?=[\s.,;:)!?]|$)")


def _quoted_spans(value: str, paragraph_starts: list) -> bytearray:
    """Mark what lies inside quotation marks; a short quoted name ("ALEF", «Araz») opens no quotation.

    Straight quotes are read by their neighbours: after a space a quotation opens, before one it
    closes. A quotation may run over several paragraphs, as in print.
    """
    quoted = bytearray(len(value))
    skip = set()
    for m in _NAME_QUOTE.finditer(value):
        if len(m.group(0).split()) <= 6:
            skip.update((m.start(), m.end() - 1))
    first_of_paragraph = set(paragraph_starts)
    opened = None  # where the outermost quotation now open began
    kinds: list[str] = []  # the kinds of quotation mark open now, outermost first: « inside “ ends at », not the “
    for m in re.finditer(r"[\"“”«»]", value):
        i, ch = m.start(), m.group(0)
        if i in skip:
            continue
        if ch == '"':
            before = value[i - 1] if i else " "
            after = value[i + 1] if i + 1 < len(value) else " "
            opening = before.isspace() or before in "(:—–-[" or i in first_of_paragraph
            closing = not before.isspace() and (after.isspace() or after in ".,;:!?)]—–-")
            if opening == closing:
                opening = '"' not in kinds  # no clue: toggle
        else:
            opening = ch in "“«"
        if opening:
            if opened is None:
                opened = i
            if ch not in kinds:  # one of the same kind goes on (each paragraph of a long quotation opens)
                kinds.append(ch)
        elif kinds:
            opener = {"”": "“", "»": "«"}.get(ch, ch)
            del kinds[kinds.index(opener) if opener in kinds else 0:]  # an odd pair closes them all
            if not kinds:
                quoted[opened:i + 1] = b"\x01" * (i + 1 - opened)
                opened = None
    if opened is not None:
        quoted[opened:] = b"\x01" * (len(value) - opened)
    return quoted


# ---------------------------------------------------------------------------------------------
# Words and their keys


@functools.lru_cache(maxsize=65536)
def word_key(word: str) -> str:
    """Key of one word: transliterated, case-folded, with common spelling variants made equal. A word in
    Azerbaijani Latin is spelt as the English-language press writes it first, so that an article's "Əli Həsənov"
    is the registry's "Ali Hasanov" (letter for letter it would be "Eli Hesenov")."""
    key = re.sub(r"[^a-z0-9]", "", anyascii(as_the_press_writes(unicodedata.normalize("NFC", word))).casefold())
    key = key.replace("kh", "x").replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", key)  # Grigoriy/Grigory, Mariya/Maria, Ikhiilov/Ixiilov


_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    key: str


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group(0), word_key(m.group(0))) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Occurrence:
    """One place in the text where a name stands."""

    kind: str  # people, organisations, places, outlets, events
    slug: str  # "" for a name not in the registry
    name: str  # the registered name, or the name as written when new
    start: int
    end: int
    quoted: bool
    fuzzy: bool = False  # spelled differently from every registered name
    short: bool = False  # "Markov", "the Committee": a short form of a name found in full

    @property
    def key(self) -> str:
        return self.slug or f"new:{self.kind}:{name_key(self.name)}"


# ---------------------------------------------------------------------------------------------
# Registered names


@dataclass(frozen=True)
class _Name:
    kind: str
    slug: str
    keys: tuple
    acronym: bool
    capitals: tuple = ()  # for each word, whether the registry writes it with a capital


def _registry_names(registry: Registry, kinds) -> list[_Name]:
    names = []
    for kind in kinds:
        for slug, entity in registry.entities[kind].items():
            if not entity.registered:
                continue
            for written in (entity.name,) + tuple(entity.aliases):
                words = [t for t in tokenize(written) if t.key]
                keys = tuple(t.key for t in words)
                if keys:
                    names.append(_Name(kind, slug, keys, len(keys) == 1 and written.strip().isupper(),
                                       tuple(t.text[:1].isupper() for t in words)))
    return names


def find_registered(text: Text, tokens: list[Token], registry: Registry, kinds) -> list[Occurrence]:
    """Every registered name or alias of the given kinds; the longest match wins where two overlap."""
    by_key: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        by_key.setdefault(token.key, []).append(i)
    found: dict[tuple[int, int], tuple] = {}
    for name in _registry_names(registry, kinds):
        n = len(name.keys)
        for anchor, anchor_key in enumerate(name.keys):
            if len(anchor_key) < 3 and n > 1:
                continue
            for position in by_key.get(anchor_key, ()):
                first = position - anchor
                if first < 0 or first + n > len(tokens):
                    continue
                span = tokens[first:first + n]
                fuzzy = _align(name, span)
                if fuzzy is None or not _case_ok(name, span) or not _adjacent(text.value, span):
                    continue
                where = (span[0].start, span[-1].end)
                if where not in found or (found[where][1] and not fuzzy):
                    found[where] = (name, fuzzy)
    ordered = sorted(found.items(), key=lambda item: (-(item[0][1] - item[0][0]), item[1][1], item[0][0]))
    taken = bytearray(len(text.value))
    result = []
    for (start, end), (name, fuzzy) in ordered:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        result.append(Occurrence(name.kind, name.slug, registry.entities[name.kind][name.slug].name, start, end,
                                 text.is_quoted(start, end), fuzzy))
    return sorted(result, key=lambda o: o.start)


def _align(name: _Name, span: list[Token]) -> bool | None:
    """None if the words differ; else whether one word of a longer name had to be matched loosely."""
    loose = 0
    for key, token in zip(name.keys, span):
        if key == token.key:
            continue
        if len(name.keys) < 2 or len(key) < 5 or not _one_edit_apart(key, token.key):
            return None
        loose += 1
    return None if loose > 1 else bool(loose)


@functools.lru_cache(maxsize=65536)
def _one_edit_apart(a: str, b: str) -> bool:
    return edit_distance_at_most(a, b, 1)


def _case_ok(name: _Name, span: list[Token]) -> bool:
    if name.acronym:
        return span[0].text.isupper()
    if len(span) == 1:
        return span[0].text[:1].isupper()
    # Two common words in lower case ("national defense") are not the magazine, nor is a name's word the registry
    # capitalises written in lower case ("Azerbaijan's Russian community" is not the Russian Community of
    # Azerbaijan, whose alias is "Russian Community"); a longer name is distinctive.
    if len(span) >= 3:
        return True
    return any(t.text[:1].isupper() for t in span) and \
        all(t.text[:1].isupper() for t, capital in zip(span, name.capitals) if capital)


def _adjacent(value: str, span: list[Token]) -> bool:
    """The words of a name follow each other, with at most a space, hyphen or apostrophe between."""
    return all(len(value[a.end:b.start]) <= 2 and "\n" not in value[a.end:b.start] for a, b in zip(span, span[1:]))


def _mask(length: int, occurrences) -> bytearray:
    taken = bytearray(length)
    for o in occurrences:
        taken[o.start:o.end] = b"\x01" * (o.end - o.start)
    return taken


def surname_occurrences(text: Text, tokens: list[Token], found: list[Occurrence], others=()) -> list[Occurrence]:
    """A lone surname of a person named in full elsewhere in the article ("Karimli said")."""
    surnames: dict[str, set] = {}
    for o in found:
        if o.kind == "people" and not o.short:
            words = tokenize(o.name)
            if len(words) >= 2:
                surnames.setdefault(words[-1].key, set()).add((o.slug, o.name))
    taken = _mask(len(text.value), list(found) + list(others))
    extra = []
    for token in tokens:
        owners = surnames.get(token.key)
        if owners and len(owners) == 1 and token.text[:1].isupper() and not any(taken[token.start:token.end]):
            slug, name = next(iter(owners))
            extra.append(Occurrence("people", slug, name, token.start, token.end,
                                    text.is_quoted(token.start, token.end), short=True))
    return extra


def short_form_occurrences(text: Text, found: list[Occurrence], registry: Registry) -> list[Occurrence]:
    """'the Committee', 'the State Committee': an organisation named in full elsewhere in the article."""
    forms: dict[str, set] = {}
    for slug in sorted({o.slug for o in found if o.kind == "organisations" and o.slug}):
        entity = registry.entities["organisations"][slug]
        for written in (entity.name,) + tuple(entity.aliases):
            head = []
            for w in written.split():
                if not w[:1].isupper():
                    break
                head.append(w)
            for i in range(len(head)):
                form = " ".join(head[i:])
                if form != written and head[-1].lower() in ORG_WORDS and not form.isupper():
                    forms.setdefault(form, set()).add((slug, entity.name))
    owner = {form: next(iter(owners)) for form, owners in forms.items() if len(owners) == 1}
    if not owner:
        return []
    taken = _mask(len(text.value), found)
    extra = []
    pattern = re.compile(r"\b[Tt]he\s+(%s)\b" % "|".join(map(re.escape, sorted(owner, key=len, reverse=True))))
    for m in pattern.finditer(text.value):
        s, e = m.span(1)
        if not any(taken[s:e]):
            slug, name = owner[m.group(1)]
            extra.append(Occurrence("organisations", slug, name, s, e, text.is_quoted(s, e), short=True))
    return extra


# ---------------------------------------------------------------------------------------------
# New names: capitalised words that the registry does not know

PERSON_TITLES = set(
    "Ambassador Minister President Vice-President Chairman Chairwoman Director Deputy Professor Prof Dr Mr Mrs Ms "
    "Senator Governor Mayor Envoy Spokesperson Spokeswoman Spokesman MP Ombudsman Secretary Aide Adviser Advisor "
    "General Colonel Captain Rector Mufti Sheikh Archbishop Bishop Rabbi Patriarch Speaker Chief Head Leader".split()
)
_LEADING_NOISE = PERSON_TITLES | set(
    "The A An In On At As By For From With And But Then Speaking Addressing According Earlier Later Today Yesterday "
    "Meanwhile However Also He She It They We This That These Those His Her Its Their Our Political Foreign".split()
)
_WHEN = set(
    "January February March April May June July August September October November December Monday Tuesday Wednesday "
    "Thursday Friday Saturday Sunday".split()
)
_NOT_IN_NAMES = _WHEN | set(
    "Saint St San Santa New North South East West Upper Lower Great Greater Central Republic Federation State".split()
)
_CONNECTORS = {"of", "for", "and", "on", "the", "in", "with", "de", "du", "des", "la"}


def _chains(tokens: list[Token], value: str, connectors: bool) -> list[list[Token]]:
    """Runs of capitalised words side by side, joined by small words when `connectors`."""
    chains, chain = [], []
    for token in tokens:
        gap = value[chain[-1].end:token.start] if chain else ""
        # "John Q. Newman": an initial's full stop does not end the name
        close = gap in (" ", "-") or (gap == ". " and len(chain[-1].text) == 1 and _initial(value, chain[-1].end))
        capital = token.text[:1].isupper() and not token.text.isdigit()
        if chain and close and (capital or (connectors and token.text in _CONNECTORS)):
            chain.append(token)
            continue
        if chain:
            chains.append(chain)
        chain = [token] if capital else []
    if chain:
        chains.append(chain)
    out = []
    for chain in chains:
        while chain and not chain[-1].text[:1].isupper():
            chain = chain[:-1]
        if chain:
            out.append(chain)
    return out


def _bodies(chain: list[Token]) -> list[list[Token]]:
    """A chain cut where "and the" joins two bodies' names ("the Caspian Trade Council and the Ural Federal
    University"); "Ministry of Culture and Tourism", with no "the", is one body."""
    parts, start = [], 0
    for i in range(1, len(chain) - 1):
        if chain[i].text == "and" and chain[i + 1].text == "the" \
                and any(t.text.lower() in ORG_WORDS for t in chain[start:i]) \
                and any(t.text.lower() in ORG_WORDS for t in chain[i + 2:]):
            parts.append(chain[start:i])
            start = i + 2
    return parts + [chain[start:]]


def find_unregistered(text: Text, tokens: list[Token], registered: list[Occurrence]) -> list[Occurrence]:
    """Names of organisations and people that no registered name covers, wherever they stand."""
    taken = _mask(len(text.value), [o for o in registered if o.kind != "places"])
    places = _mask(len(text.value), [o for o in registered if o.kind == "places"])
    found: list[Occurrence] = []
    for whole in _chains(tokens, text.value, connectors=True):
        for chain in _bodies(whole):
            # "Professor Timur Vagapov of the Ural Federal University": the body starts at its own words.
            segments, current = [], []
            for token in chain:
                if token.text in _CONNECTORS:
                    if current:
                        segments.append(current)
                    current = []
                else:
                    current.append(token)
            if current:
                segments.append(current)
            first = next((i for i, seg in enumerate(segments) if any(t.text.lower() in ORG_WORDS for t in seg)), None)
            if first is None:
                continue
            words = [t for t in chain if t.start >= segments[first][0].start]
            while words and (words[0].text in _LEADING_NOISE or words[0].text in _CONNECTORS):
                words = words[1:]
            title = next((i for i, t in enumerate(words) if i and t.text in PERSON_TITLES), None)
            if title is not None:  # "Ural Federal University Rector Ivan Petrov": the body ends at the title
                words = words[:title]
            while words and words[-1].text in _CONNECTORS:
                words = words[:-1]
            if len(words) < 2 or any(taken[words[0].start:words[-1].end]):
                continue
            start, end = words[0].start, words[-1].end
            taken[start:end] = b"\x01" * (end - start)
            found.append(Occurrence("organisations", "", text.value[start:end], start, end, text.is_quoted(start, end)))
    for run in _chains(tokens, text.value, connectors=False):
        titled = [i for i, t in enumerate(run[:-1]) if t.text in PERSON_TITLES]
        if titled:  # "Russian Foreign Minister Sergey Lavrov": the name follows the last title
            run = run[titled[-1] + 1:]
        # "On Monday Rena Aliyeva said", "In Baku Rena Aliyeva said": the name begins after the day, month or place.
        while run and (run[0].text in _LEADING_NOISE or run[0].text in _WHEN
                       or any(taken[run[0].start:run[0].end]) or any(places[run[0].start:run[0].end])):
            run = run[1:]
        while run and any(taken[run[-1].start:run[-1].end]):
            run = run[:-1]
        if not 2 <= len(run) <= 4 or any(any(taken[t.start:t.end]) for t in run):
            continue
        if any(t.text in _NOT_IN_NAMES or t.text in PERSON_TITLES or t.text.lower() in ORG_WORDS
               or (t.text.isupper() and len(t.text) > 1) for t in run):
            continue
        start, end = run[0].start, run[-1].end
        if re.search(r"\bthe\s+$", text.value[max(0, start - 4):start], re.I):
            continue  # "the St Petersburg police": a description, not a person
        found.append(Occurrence("people", "", text.value[start:end], start, end, text.is_quoted(start, end)))
    people = [o for o in found if o.kind == "people"]
    found += surname_occurrences(text, tokens, people, registered + found)
    return sorted(found, key=lambda o: o.start)


# ---------------------------------------------------------------------------------------------
# Roles: who speaks, which bodies issue the statement or take part


@dataclass(frozen=True)
class Role:
    """Why a name goes in a list, and the words that show it."""

    why: str
    start: int
    end: int


SPEECH_VERBS = (
    "said says say stated states noted notes added adds emphasized emphasised emphasizes emphasises stressed stresses "
    "underlined underlines underscored underscores highlighted highlights told tells declared declares announced "
    "announces remarked recalled recalls concluded concludes explained explains commented comments spoke speaks "
    "addressed addresses expressed expresses urged urges insisted insists asserted asserts argued argues warned warns "
    "affirmed reaffirmed reiterated reiterates mentioned pointed presented presents answered replied responded wrote "
    "writes continued reminded called calls voiced thanked thanks welcomed welcomes condemned condemns praised "
    "criticised criticized denied confirmed confirms assured believes"
).split()
# Verbs that may come before the speaker: "said Ali Hasanov" (but "thanked X": X is thanked).
INVERSION_VERBS = (
    "said says stated noted added continued explained recalled emphasized emphasised stressed underlined concluded "
    "remarked wrote declared announced commented insisted warned asked"
).split()
ORG_VERBS = SPEECH_VERBS + "issued issues released published adopted supported supports demanded demands appealed".split()


def _alternatives(words) -> str:
    return "(?:%s)" % "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_VERB = _alternatives(SPEECH_VERBS)
_AUX = r"(?:(?:also|then|later|further|has|have|had|was|were|is|are|will|would|once|again|first|finally|strongly|" \
       r"repeatedly|publicly)\s+){0,3}"
_OF_BODY = r"(?:\s+(?:of|from|at)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|for|and|the|in)){0,8}?)?"
_APPOSITIVE = r"(?:\s*,\s*[^,;:.!?\n]{1,130}?\s*,)?"
FORWARD = re.compile(rf"^(?:\s*\([^()\n]{{1,40}}\))?{_OF_BODY}{_APPOSITIVE}\s*{_AUX}{_VERB}\b")
ORG_FORWARD = re.compile(rf"^(?:\s*\([^()\n]{{1,40}}\))?(?:[’']s)?{_APPOSITIVE}\s*{_AUX}{_alternatives(ORG_VERBS)}\b")
TITLE_WORDS = (
    "the a an of official officials representative spokesperson spokeswoman spokesman ambassador minister deputy "
    "president vice-president prime foreign chairman chairwoman chair head director general executive aide adviser "
    "advisor secretary leader national political scientist expert analyst professor mp senator governor mayor envoy "
    "editor editor-in-chief chief activist member presidential former first senior special press state counsellor "
    "councillor commissioner ombudsman speaker lawmaker diplomat journalist writer historian economist"
).split()
BACKWARD = re.compile(rf"(?:\b{_alternatives(INVERSION_VERBS)}|\b[Aa]ccording\s+to)\s+"
                      rf"(?P<title>(?:(?:{_alternatives(TITLE_WORDS)}|[A-Z][\w’'-]*)\s+){{0,8}})$")
BREAKERS = re.compile(rf"\b(?:that|which|who|whom|whose|while|because|but|{_VERB}|was|were|is|are|has|have|had|will|would)\b|[:;]")
_PREPOSITION_BEFORE = re.compile(r"\b(?:of|from|at|in|for|with|by|to|on|about|against|under)\s+(?:the\s+)?$", re.I)
ROLE_OF = re.compile(r"\b(?:official\s+)?(?:representative|spokesperson|spokeswoman|spokesman|press\s+secretary|"
                     r"press\s+service|press\s+office)\s+of\s+(?:the\s+)?$", re.I)
ROLE_AFTER = re.compile(r"^(?:[’']s)?\s+(?:official\s+)?(?:representative|spokesperson|spokeswoman|spokesman|"
                        r"press\s+secretary|press\s+service)\b")
ORGANISED_BY = re.compile(r"\b(?:co-)?(?:organi[sz]ed|hosted|convened|sponsored|initiated)\s+(?:jointly\s+)?by\s+"
                          r"(?P<list>[^.;:!?\n]{0,90})$")
MEMBERS_OF = re.compile(r"\b(?:activists|members|delegates|delegation|delegations|representatives|employees|staff|"
                        r"volunteers|officials|students)\s+of\s+(?:the\s+)?$", re.I)
MEMBERS_AFTER = re.compile(r"^\s*(?:\([^()\n]{1,40}\)\s*)?(?:activists|members|delegates|delegation|representatives|"
                           r"employees|staff|volunteers|officials)\b")
SPEECH_IN_SENTENCE = re.compile(rf"\b{_VERB}\b")
TITLE_BEFORE = re.compile(r"(?:\b(?:%s)|\b(?:spokesperson|spokeswoman|spokesman|ambassador|minister|chairman|chairwoman|"
                          r"director|scientist|expert|analyst|professor|activist|representative|envoy|head|deputy|aide|"
                          r"adviser|advisor|journalist|correspondent))\s+$" % "|".join(sorted(PERSON_TITLES)))
ROLE_APPOSITIVE = re.compile(r"^,\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}(?:chairman|chairwoman|chair|head|director|president|"
                             r"minister|spokesperson|spokeswoman|spokesman|representative|member|founder|leader|secretary|"
                             r"ambassador|editor|rector|deputy|adviser|advisor|aide|coordinator|expert|activist)\b"
                             r"(?:\s+[a-z-]+){0,4}\s+of\s+(?:the\s+)?(?P<body>[^,;:.!?\n]{3,90}?)(?=\s*[,.;]|\s*$)")


def _before(text: Text, start: int, limit: int = 140) -> str:
    sentence_start, _ = text.sentence(start)
    return text.value[max(sentence_start, start - limit):start]


def _after(text: Text, end: int, limit: int = 240) -> str:
    _, sentence_end = text.sentence(max(end - 1, 0))
    return text.value[end:min(sentence_end, end + limit)]


def speech_span(text: Text, start: int, end: int, forward=FORWARD) -> tuple[int, int] | None:
    """The words showing that the name at start:end speaks ("X noted", "said X"), or None."""
    m = forward.match(_after(text, end))
    if m and not text.is_quoted(end, end + m.end()):
        return start, end + m.end()
    before = _before(text, start, 120)
    m = BACKWARD.search(before)
    if m and not BREAKERS.search(m.group("title")):
        begin = start - len(before) + m.start()
        if not text.is_quoted(begin, start):
            return begin, end
    return None


def speaker_roles(text: Text, people: list[Occurrence]) -> dict[int, Role]:
    """Index in `people` -> Role, for every occurrence outside quotations reported as speaking."""
    roles: dict[int, Role] = {}
    for i, o in enumerate(people):
        if not o.quoted and (span := speech_span(text, o.start, o.end)):
            roles[i] = Role("speaks", *span)
    # A list of names before one verb: "A, head of B, C and D also spoke".
    for i in range(len(people) - 2, -1, -1):
        o, nxt = people[i], people[i + 1]
        if i in roles or o.quoted or i + 1 not in roles or text.sentence(o.start) != text.sentence(nxt.start):
            continue
        gap = text.value[o.end:nxt.start]
        if len(gap) <= 220 and re.match(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)", gap) and not BREAKERS.search(gap):
            roles[i] = Role("speaks, one of a list", o.start, roles[i + 1].end)
    return roles


def organisation_roles(text: Text, organisations: list[Occurrence], speakers: list[tuple[Occurrence, Role]]) -> dict[int, Role]:
    """Index in `organisations` -> Role, for bodies that issue the statement or take part."""
    attached = set()  # a speaker's own body: in their appositive or title
    starts = [org.start for org in organisations]
    for person, role in speakers:
        sentence_start, sentence_end = text.sentence(person.start)
        for i in range(bisect.bisect_left(starts, sentence_start), bisect.bisect_left(starts, sentence_end)):
            org = organisations[i]
            inside = role.start <= org.start and org.end <= role.end
            gap = text.value[org.end:person.start]
            before = 0 <= len(gap) <= 60 and org.end <= person.start and "," not in gap and not BREAKERS.search(gap)
            if inside or before:
                attached.add(i)
    counts: dict[str, int] = {}
    for org in organisations:
        counts[org.key] = counts.get(org.key, 0) + 1
    roles: dict[int, Role] = {}
    for i, org in enumerate(organisations):
        if org.quoted:
            continue
        before, after = _before(text, org.start), _after(text, org.end)
        s, e = text.sentence(org.start)
        if not _PREPOSITION_BEFORE.search(before) and (span := speech_span(text, org.start, org.end, ORG_FORWARD)):
            roles[i] = Role("speaks or issues the statement", *span)
        elif ROLE_OF.search(before) or (ROLE_AFTER.match(after) and SPEECH_IN_SENTENCE.search(text.value[s:e])):
            roles[i] = Role("speaks through its representative", max(s, org.start - 60), min(e, org.end + 40))
        elif (m := ORGANISED_BY.search(before)) and not BREAKERS.search(m.group("list")):
            roles[i] = Role("organises or hosts", org.start - len(before) + m.start(), org.end)
        elif MEMBERS_OF.search(before) or MEMBERS_AFTER.match(after):
            roles[i] = Role("takes part through its members", max(s, org.start - 40), min(e, org.end + 30))
        elif i in attached and counts[org.key] >= 2:
            roles[i] = Role("a speaker's own body, and the article comes back to it", max(s, org.start - 60), org.end)
    return roles


_ROLE_WORDS = r"(?:chairman|chairwoman|chair|head|director|president|minister|spokesperson|spokeswoman|spokesman|" \
              r"representative|member|founder|leader|secretary|ambassador|editor|editor-in-chief|rector|deputy|adviser|" \
              r"advisor|aide|coordinator|expert|activist|professor|researcher|lecturer|officer|official)"
BODY_OF_PERSON = re.compile(rf"(?:\b{_ROLE_WORDS}\b(?:\s+[a-z-]+){{0,4}}|[A-Z][\w’'-]+)\s+(?:of|from|at)\s+(?:the\s+)?$")


TITLE_AFTER_BODY = re.compile(r"^(?:[’']s)?\s+(?:(?:%s)\b|%s\b)" % ("|".join(sorted(PERSON_TITLES)), _ROLE_WORDS))


def title_role(text: Text, o: Occurrence) -> Role | None:
    """'Ambassador X', 'spokesperson X', 'X, chairman of Y', 'head of Y': a new name worth listing."""
    before = text.value[max(0, o.start - 60):o.start]
    if o.kind == "organisations":
        m = BODY_OF_PERSON.search(before)
        if m:
            return Role("named as someone's body", o.start - len(m.group(0)), o.end)
        m = TITLE_AFTER_BODY.match(text.value[o.end:o.end + 40])
        return Role("named as someone's body", o.start, o.end + m.end()) if m else None
    m = TITLE_BEFORE.search(before)
    if m:
        return Role("named with a title", o.start - len(m.group(0)), o.end)
    m = ROLE_APPOSITIVE.match(text.value[o.end:o.end + 160])
    if m:
        return Role("named with a title", o.start, o.end + m.end())
    return None


# --- a person's role, in the article's words ("Nazim Ibrahimov, chairman of the ... Committee, said")

ROLE_NOUNS = frozenset(
    "chairman chairwoman chair head director president vice-president minister spokesperson spokeswoman spokesman "
    "representative member founder leader secretary ambassador editor editor-in-chief rector deputy adviser advisor "
    "aide coordinator expert activist professor researcher lecturer officer official scientist analyst envoy governor "
    "mayor senator mp diplomat journalist correspondent commissioner ombudsman lawmaker chief candidate".split()
)
_ROLE_AFTER = re.compile(r"^,\s+(?P<role>[^,;:.!?\n()]{3,120}?)(?=\s*[,.;]|\s*$)")
_LEADING_LINKS = re.compile(r"^(?:(?:the|of|to|for|in)\s+)+", re.I)


_LINKS = frozenset("of to for the in".split())
# Words that names do not begin with (_LEADING_NOISE) but a role may: "Political scientist X", "Foreign Minister X".
_ROLE_MODIFIERS = frozenset("Political Foreign".split())


def _role_noun(word: str) -> bool:
    word = re.sub(r"[’']s$", "", word).lower()
    return word in ROLE_NOUNS or (word.endswith("s") and word[:-1] in ROLE_NOUNS)  # "activists"


def _title_before(before: str) -> list[str]:
    """The words right before a name that can be a title: capitalised words, role nouns and the small words between
    them ("Azerbaijani Ambassador to Russia"), and up to two lower-case words before a lower-case role noun
    ("political scientist", "national leader"); a comma, a verb or any other word ends them."""
    if not before[-1:].isspace():
        return []
    taken: list[str] = []
    modifiers = 0
    for word in reversed(before.split()):
        if not word or word[-1] in ",;:.!?)”\"":
            break
        right = taken[0] if taken else ""
        if word[0].isupper() or _role_noun(word) or (word in _LINKS and taken):
            taken.insert(0, word)
            modifiers = 0
        elif word.isalpha() and word.islower() and modifiers < 2 and right and right[0].islower() and (
                _role_noun(right) or modifiers):
            taken.insert(0, word)
            modifiers += 1
        else:
            break
    return taken


def _modifies_a_role(words: list[str]) -> bool:
    """Whether the first of `words` (a title before a name) is a word such as "Foreign" that begins its role: before
    the role noun ("Foreign Minister"), or before the rest of a body's name and then the role noun ("Foreign Ministry
    spokeswoman")."""
    if words[0] not in _ROLE_MODIFIERS or len(words) < 2:
        return False
    body = list(itertools.takewhile(lambda w: (w[0].isupper() or w in _LINKS) and not _role_noun(w), words[1:]))
    return len(words) > len(body) + 1 and _role_noun(words[len(body) + 1])


def _is_role(words: str) -> bool:
    return any(_role_noun(w) for w in words.split()) and not BREAKERS.search(words) and \
        words.count('"') % 2 == 0 and words.count("“") == words.count("”")


def reported_role(text: Text, o: Occurrence, next_name: int | None = None) -> tuple[str, int, int] | None:
    """The role the article gives a person where it names them, word for word, with where it stands: an
    apposition after the name ("X, chairman of Y,") or a title before it ("Azerbaijani Ambassador to Russia X",
    "the First Vice-President X"); None when neither holds a word such as chairman, minister or activist."""
    if o.quoted:
        return None
    written = text.value[o.start:o.end].split()  # a title the name was found with: "President Ilham Aliyev"
    titled = list(itertools.takewhile(lambda w: w in PERSON_TITLES or w.lower() in TITLE_WORDS, written[:-1]))
    after = _after(text, o.end, 160)
    m = _ROLE_AFTER.match(after)
    # In "A, role, B, role, C spoke" a role between two names may be either's: left to the editor.
    listed = next_name is not None and next_name - (o.end + m.end()) <= 40 if m else False
    if m and not titled and not listed and _is_role(m.group("role")):
        role = m.group("role").strip()
        return role, o.start, o.end + m.end()
    before = _before(text, o.start, 120)
    words = _title_before(before) + titled
    # "In", "Addressing", ... go; not a word of the role itself, though a sentence begins with it: "Political
    # scientist X said", "Foreign Minister X" (the word before a role noun, as in "Russian political scientist X"),
    # "Foreign Ministry spokeswoman X" (the first word of a body's name before the role noun).
    while words and words[0] in _LEADING_NOISE and words[0] not in PERSON_TITLES and not _modifies_a_role(words):
        words.pop(0)
    role = _LEADING_LINKS.sub("", " ".join(words))
    spoken = (before + text.value[o.start:o.end])
    if role and _is_role(role) and role in spoken:
        return role, o.start - len(before) + spoken.rindex(role), o.end
    return None
