"""`build.py import`: turn the text of a published article into a draft statement file.

Input: the raw text as copied from a web page, and the registry. Output: a Draft (the cleaned
paragraphs and a suggestion for every front-matter key, each with the words that led to it),
rendered as a statement file whose guesses are marked for the editor. cli.py writes or prints it.
Nothing here knows any one article: every suggestion comes from the text and the registry.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .entities import Registry, build_registry, short_slug
from .import_clean import MONTH_PATTERN, MONTHS, Article, DateMention, clean_article, find_dates
from .import_names import (
    Occurrence, Text, find_registered, find_unregistered, make_text, organisation_roles, reported_role,
    short_form_occurrences, speaker_roles, surname_occurrences, title_role, tokenize,
)
from .load import content_files, decode, load_content
from .model import ERROR, Problem
from .newfile import refuse_taken_address
from .urls import statement_path
from .validate import validate_content

MAX_BYTES = 1_000_000  # a news article is a few kilobytes; a megabyte of text is the wrong file
KIND_LABEL = {"people": "person", "organisations": "organisation", "outlets": "outlet", "places": "place", "events": "event"}


def read_input(name: str, stdin) -> tuple[str, bytes | None, Problem | None]:
    """(label, bytes) of a file name or '-' for standard input; at most MAX_BYTES + 1 bytes are read."""
    if name == "-":
        return "standard input", stdin.read(MAX_BYTES + 1), None
    try:
        with open(name, "rb") as handle:
            return name, handle.read(MAX_BYTES + 1), None
    except OSError as exc:
        return name, None, Problem(name, 1, f"cannot read the file: {exc.strerror or exc}", ERROR,
                                   "check the file name; use '-' to read the article from standard input")


def read_source(raw: bytes, label: str) -> tuple[str | None, Problem | None]:
    """The text of an input file, or the Problem that stops it being imported."""
    binary = Problem(label, 1, "this looks like a binary file, not the text of an article", ERROR,
                     "copy the article's text from the web page into a plain-text UTF-8 file and import that")
    if len(raw) > MAX_BYTES:
        return None, Problem(label, 1, f"the input is over {MAX_BYTES / 1e6:.0f} MB; an article is a few kilobytes",
                             ERROR, "import the text of one article, not a whole site or a binary file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # before the NUL bytes: UTF-16 is full of them
        return None, decode(raw, label)[1]
    if b"\x00" in raw:
        return None, binary
    text, problem = decode(raw, label)
    if problem:
        return None, problem
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if controls > max(8, len(text) // 20):
        return None, binary
    if _WEB_PAGE.match(text):  # its text would be the page's source: tags, scripts, menus
        return None, Problem(label, 1, "this is a web page's HTML source, not the text of an article", ERROR,
                             "open the page in a browser, copy the article's text (headline, date line and "
                             "paragraphs) into a plain-text UTF-8 file and import that")
    return text, None


# A page's source begins so (after spaces and comments); an article may mention "<body>" in its text.
_WEB_PAGE = re.compile(r"\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Finding:
    """A suggested name for one front-matter key, and why."""

    name: str
    kind: str
    slug: str  # "" for a name not in the registry
    why: str
    evidence: str  # the words of the article that show it
    paragraph: int = 0  # 0: from the registry, not from the text
    fuzzy: bool = False


@dataclass
class Draft:
    """What the importer suggests for one article."""

    source: str
    article: Article
    title: str = ""
    title_note: str = ""
    date: dt.date | None = None
    date_note: str = ""
    date_hint: str = ""  # what the editor must do when no date was found
    outlet: Finding | None = None
    author: str = ""
    speakers: list = field(default_factory=list)  # of Finding
    organisations: list = field(default_factory=list)
    event: Finding | None = None
    other_events: list = field(default_factory=list)
    places: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    new_names: list = field(default_factory=list)  # of Finding with slug ""
    roles: list = field(default_factory=list)  # of (Finding of a speaker or mention, their role in the article's words)


def load_registry(root: Path) -> Registry:
    """The registry of content/ as the build sees it (files with errors are left out)."""
    files, _ = load_content(root)
    _, entity_records, _ = validate_content(files, dt.date.today())
    registry, _ = build_registry(entity_records)
    return registry


def draft_statement(text: str, registry: Registry, source: str = "-") -> tuple[Draft | None, Problem | None]:
    """Clean the article and suggest every front-matter value; a Problem if no text is left."""
    article = clean_article(text)
    if not article.paragraphs:
        what = "only page furniture" if article.removed or article.headline else "no text"
        return None, Problem(source, 1, f"found {what}: there is no article text to import", ERROR,
                             "copy the article's paragraphs from the web page into the file")
    body = make_text(article.paragraphs)
    tokens = tokenize(body.value)
    draft = Draft(source=source, article=article, title=article.headline, author=article.byline)
    if not article.headline:
        draft.title_note = "Editors’ title; the text as collected carries no headline."
    registered = find_registered(body, tokens, registry, ("people", "organisations", "places", "outlets"))
    registered += surname_occurrences(body, tokens, registered)
    registered += short_form_occurrences(body, registered, registry)
    unregistered = find_unregistered(body, tokens, registered)
    names = sorted(registered + unregistered, key=lambda o: o.start)
    _suggest_outlet(draft, body, names)
    _suggest_date_and_event(draft, body, tokens, find_dates(body.value), registry)
    _suggest_people_and_organisations(draft, body, names, registry)
    _suggest_places(draft, body, names, registry)
    return draft, None


def _finding(text: Text, o: Occurrence, why: str, start: int, end: int) -> Finding:
    return Finding(o.name, o.kind, o.slug, why, text.snippet(start, end), text.paragraph_of(o.start), o.fuzzy)


# --- outlet

_REPORTS = re.compile(r"^(?:[’']s?)?\s+(?:reports|reported|informs|informed|writes|wrote)\b")
_CORRESPONDENT = re.compile(r"^(?:[’']s)?\s+(?:[A-Z][\w-]+\s+)?(?:correspondent|reporter|journalist)\b")
NEW_OUTLET = re.compile(r"(?:^|[,.;]\s+)(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s+(?:reports|reported|informs)"
                        r"(?=\s*[.,;]|$)", re.M)


def _suggest_outlet(draft: Draft, text: Text, names: list[Occurrence]) -> None:
    """The outlet that reports ("Trend reports", "APA's Moscow correspondent"), else one named."""
    best = None
    for o in names:
        if o.kind != "outlets":
            continue
        after, before = text.value[o.end:o.end + 60], text.value[max(0, o.start - 20):o.start]
        score, why = 1, "named in the text"
        if _REPORTS.match(after) or re.search(r"according\s+to\s+$", before, re.I):
            score, why = 3, "reports the article"
        elif _CORRESPONDENT.match(after):
            score, why = 2, "its correspondent is named"
        if best is None or score > best[0]:
            s, e = text.sentence(o.start)
            best = (score, _finding(text, o, why, max(s, o.start - 50), min(e, o.end + 40)))
    if best:
        draft.outlet = best[1]
        return
    for m in NEW_OUTLET.finditer(text.value):
        name = m.group("name")
        if name.split()[0] in ("The", "It", "He", "She", "They", "This", "That", "We"):
            continue
        draft.outlet = Finding(name, "outlets", "", "reports the article", text.snippet(m.start("name"), m.end()),
                               text.paragraph_of(m.start("name")))
        draft.new_names.append(draft.outlet)
        return


# --- date and event

_STOPWORDS = set("of the in on at for and a an to by with from".split())
_DATED_VERBS = re.compile(r"\b(?:said|stated|noted|told|announced|declared|added|emphasi[sz]ed|stressed|held|kicked\s+off|"
                          r"opened|took\s+place|started|began|issued|hosted|organi[sz]ed)\b")
_LEDE_DATELINE = re.compile(rf"^[A-ZÀ-Þ][A-ZÀ-Þ .'-]+,(?:\s+[A-Z][\w .'-]+,)?\s+(?P<date>{MONTH_PATTERN}\.?\s+\d{{1,2}})\.")


def _stems(words) -> set:
    return {w[:6] for w in words}


def _event_words(name: str) -> set:
    words = [t.text.lower() for t in tokenize(name)]
    return {w for w in words if w not in _STOPWORDS and not w.isdigit() and w not in MONTHS}


def _score_mention(text: Text, m: DateMention) -> int:
    """How likely a date in the text is the day of the statement rather than background."""
    score = 3 if text.paragraph_of(m.start) <= 2 else 0
    if re.search(r"\bon\s+$", text.value[max(0, m.start - 4):m.start]):
        score += 1
    start, _ = text.sentence(m.start)
    if _DATED_VERBS.search(text.value[start:m.start]):
        score += 3
    if text.is_quoted(m.start, m.end):
        score -= 4
    if m.year is not None:
        score -= 1  # full dates in a report are mostly background ("founded on March 5, 2001")
    return score


def _suggest_date_and_event(draft: Draft, text: Text, tokens, mentions: list[DateMention], registry: Registry) -> None:
    """The date from the page's date line, else the text; a year the text lacks from a registered event."""
    page_full = next(((t, d) for t, d, _ in draft.article.page_dates if d), None)
    page_month_day = next(((t, md) for t, _, md in draft.article.page_dates if md), None)
    lede = _LEDE_DATELINE.match(text.value)
    mention = next((m for m in mentions if lede and m.start == lede.start("date")), None)
    if mention is None and mentions:
        mention = max(mentions, key=lambda m: (_score_mention(text, m), -m.start))
    date, notes = None, []
    if page_full:
        date = page_full[1]
        notes.append(f"The date line of the page reads '{page_full[0]}'.")
        if lede and mention and (mention.month, mention.day) == (date.month, date.day):
            notes.append(f"The dateline '{lede.group(0)}' agrees.")
    elif mention and mention.full:
        date = mention.full
        notes.append(f"From the text: '{mention.text}'.")
    month_day = (date.month, date.day) if date else None
    shown = ""
    if month_day is None and page_month_day:
        shown, month_day = page_month_day
    elif month_day is None and mention:
        shown, month_day = mention.text, (mention.month, mention.day)
    shown = " ".join(shown.split())  # a date printed across a line break ("1\nDec") is quoted in a one-line comment

    event = _find_event(draft, text, tokens, registry, date, month_day)
    if event and date is None:
        if month_day == (event.date.month, event.date.day):
            date = event.date
            notes.append(f"The article prints '{shown}' without a year; the year {event.date.year} is taken from "
                         f"the registry's event '{event.name}' ({event.date.isoformat()}).")
        elif month_day is None:
            date = event.date
            notes.append(f"The article prints no date; this is the date of the registry's event '{event.name}'.")
    draft.date, draft.date_note = date, " ".join(notes)
    if date is None:
        years = sorted({m.year for m in mentions if m.year})
        draft.date_hint = (f"the article prints '{shown}' without a year" if shown else "the article prints no date") \
            + (f" (years named in the text: {', '.join(map(str, years))})" if years else "")


def _find_event(draft: Draft, text: Text, tokens, registry: Registry, date, month_day):
    """A registered event named in the text, or most of whose name is, on the article's day."""
    text_stems = _stems(t.text.lower() for t in tokens)
    named = {o.slug for o in find_registered(text, tokens, registry, ("events",))}
    candidates = []
    for slug, event in registry.entities["events"].items():
        if not event.registered or event.date is None:
            continue
        words = _event_words(event.name)
        overlap = len(_stems(words) & text_stems) / len(words) if len(words) >= 2 else 0.0
        if date:
            on_day = date == event.date
        else:
            on_day = month_day == (event.date.month, event.date.day) if month_day else None
        if slug in named and on_day is not False:
            candidates.append((2, overlap, slug, "its name is in the text"))
        elif overlap >= 0.75 and on_day:
            candidates.append((1, overlap, slug, f"its date and {round(overlap * 100)}% of the words of its name match"))
    if not candidates:
        return None
    candidates.sort(reverse=True)
    _, _, slug, why = candidates[0]
    event = registry.entities["events"][slug]
    draft.event = Finding(event.name, "events", slug, why, f"{event.name} ({event.date.isoformat()})")
    draft.other_events = [registry.entities["events"][c[2]].name for c in candidates[1:]]
    return event


# --- people and organisations


def _suggest_people_and_organisations(draft: Draft, text: Text, names: list[Occurrence], registry: Registry) -> None:
    people = [o for o in names if o.kind == "people"]
    bodies = [o for o in names if o.kind == "organisations"]
    speaking = speaker_roles(text, people)
    acting = organisation_roles(text, bodies, [(people[i], role) for i, role in speaking.items()])
    speakers: dict[str, Finding] = {}
    organisations: dict[str, Finding] = {}
    for found, occurrences, roles in ((speakers, people, speaking), (organisations, bodies, acting)):
        for i in sorted(roles, key=lambda i: occurrences[i].start):
            o, role = occurrences[i], roles[i]
            found.setdefault(o.key, _finding(text, o, role.why, role.start, role.end))
    if draft.event:
        event = registry.entities["events"][draft.event.slug]
        for slug in event.organisers:
            entity = registry.entities["organisations"][slug]
            organisations.setdefault(slug, Finding(entity.name, "organisations", slug, "organises the event",
                                                   f"an organiser of '{event.name}' in the registry"))
    draft.speakers = list(speakers.values())
    draft.organisations = sorted(organisations.values(), key=lambda f: f.paragraph or 10**9)
    # New names: in a list above, or named with a title, for the editor to add or map.
    new: dict[str, Finding] = {f"new:{f.kind}:{f.name}": f for f in draft.new_names}
    for f in draft.speakers + draft.organisations:
        if not f.slug:
            new.setdefault(f"new:{f.kind}:{f.name}", f)
    for o in names:
        if not o.slug and not o.short and not o.quoted and o.key not in speakers and o.key not in organisations:
            role = title_role(text, o)
            if role:
                new.setdefault(o.key, _finding(text, o, role.why, role.start, role.end))
    draft.new_names = sorted(new.values(), key=lambda f: f.paragraph)
    mentioned: dict[str, Finding] = {}
    for o in names:
        if o.slug and o.kind in ("people", "organisations") and o.key not in speakers and o.key not in organisations:
            mentioned.setdefault(o.key, _finding(text, o, "named", o.start - 30, o.end + 30))
    draft.mentions = list(mentioned.values())
    listed = {o.key: f for o in people for f in [speakers.get(o.key) or mentioned.get(o.key)] if f}
    given: dict[str, tuple] = {}
    for i, o in enumerate(people):  # the first place the article gives each of them a role
        next_name = people[i + 1].start if i + 1 < len(people) else None
        if o.key in listed and o.key not in given and (found := reported_role(text, o, next_name)):
            role, start, end = found
            given[o.key] = (_finding(text, o, "the article's words", start, end), role)
    draft.roles = list(given.values())


# "Official Moscow" or "official Baku" is the government there, not the place.
_GOVERNMENT_BY_ITS_CAPITAL = re.compile(r"\bofficial\s+$", re.I)


def _suggest_places(draft: Draft, text: Text, names: list[Occurrence], registry: Registry) -> None:
    places: dict[str, Finding] = {}
    for o in names:
        if o.kind == "places" and not _GOVERNMENT_BY_ITS_CAPITAL.search(text.value[max(0, o.start - 12):o.start]):
            places.setdefault(o.slug, _finding(text, o, "named", o.start - 30, o.end + 30))
    if draft.title:  # "... presented in Moscow": the headline may name the place the text does not
        headline = make_text([draft.title])
        for o in find_registered(headline, tokenize(headline.value), registry, ("places",)):
            places.setdefault(o.slug, Finding(o.name, "places", o.slug, "named in the headline", draft.title))
    if draft.event:
        slug = registry.entities["events"][draft.event.slug].place
        if slug:
            places.setdefault(slug, Finding(registry.entities["places"][slug].name, "places", slug, "the event's place",
                                            f"the place of '{draft.event.name}' in the registry"))
    draft.places = list(places.values())


# ---------------------------------------------------------------------------------------------
# Writing the draft


def draft_slug(draft: Draft) -> str:
    """A slug from the headline, else from the first words of the text."""
    source = draft.title
    if not source:
        lede = _LEDE_DATELINE.sub("", draft.article.paragraphs[0])
        words = [w for w in re.findall(r"[^\W_]+", lede) if w.lower() not in _STOPWORDS]
        source = " ".join(words[:8])
    return short_slug(source) or "statement"


def draft_path(root: Path, draft: Draft, today: dt.date) -> Path:
    return root / "content" / "statements" / f"{(draft.date or today).isoformat()}-{draft_slug(draft)}.md"


def _q(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def _names(findings) -> str:
    return "[" + ", ".join(_q(f.name) for f in findings) + "]"


def _one_line(text: str, limit: int = 110) -> str:
    text = " ".join(str(text).split())
    return _q(text if len(text) <= limit else text[: limit - 1] + "…")


_BLOCK_START = re.compile(r"^(?:#|>|[-+*]\s|=+\s*$|-+\s*$|<[A-Za-z!/?])")


def markdown_safe(paragraph: str) -> str:
    """The paragraph as Markdown that renders as the same words: no stray emphasis, list, heading or tag."""
    text = re.sub(r"([\\`*_])", r"\\\1", paragraph)
    text = re.sub(r"<(?=[A-Za-z!/?])", "&lt;", text)
    text = re.sub(r"^(\d{1,9})([.)])(?=\s)", r"\1\\\2", text)
    return "\\" + text if _BLOCK_START.match(text) else text


def render_draft(draft: Draft, today: dt.date) -> str:
    """The statement file: front matter with every guess marked, the evidence, then the cleaned text."""
    g = "# guessed"
    source = draft.source if draft.source == "standard input" else Path(draft.source).name
    lines = ["---",
             f"# Draft written by 'build.py import' from {_one_line(source, 80)} on {today.isoformat()}.",
             "# Each value marked '# guessed' is the importer's suggestion: check it against the article, correct",
             "# it, then delete the mark. 'make check' reports required keys that are still empty."]
    if draft.title:
        lines.append(f"title: {_q(draft.title)}  {g}: the headline line of the page")
    else:
        lines.append('title: ""  # to fill: the text has no headline; write a short neutral title')
        lines.append(f"title_note: {_q(draft.title_note)}")
    if draft.date:
        lines.append(f"date: {draft.date.isoformat()}  {g}: see date_note")
        lines.append(f"date_note: {_q(draft.date_note)}  {g}")
    else:
        lines.append(f'date: ""  # to fill: {draft.date_hint}; write YYYY-MM-DD and say in date_note where it comes from')
    if draft.outlet:
        new = ", not in the registry yet" if not draft.outlet.slug else ""
        lines.append(f"outlet: {_q(draft.outlet.name)}  {g} ({draft.outlet.why}{new}): {_one_line(draft.outlet.evidence, 90)}")
    else:
        lines.append('outlet: ""  # to fill: no outlet found in the text; name the outlet that published it')
    if draft.author:
        lines.append(f"author: {_q(draft.author)}  {g}: the byline at the top of the page")
    for key, findings, what in (("speakers", draft.speakers, "people reported as speaking"),
                                ("organisations", draft.organisations, "bodies that issue the statement or take part")):
        if findings:
            lines.append(f"{key}: {_names(findings)}  {g}: {what}; see why below")
        else:
            lines.append(f"{key}: []  # none found: add the {what}, if any")
    if draft.event:
        lines.append(f"event: {_q(draft.event.name)}  {g}: {draft.event.why}")
    else:
        lines.append('event: ""  # optional: no registered event matches this article')
    lines.append(f"places: {_names(draft.places)}  {g}" if draft.places else "places: []")
    lines.append(f"mentions: {_names(draft.mentions)}  {g}: named but not speaking" if draft.mentions else "mentions: []")
    lines.append('summary: ""  # optional: one or two neutral sentences')
    lines.append('quotes: []  # optional: - speaker: Name / text: "the exact words"')
    if draft.roles:
        lines.append(f"roles:  {g}: each one's role as the article words it; see why below")
        lines += [f"  {_q(f.name)}: {_q(role)}" for f, role in draft.roles]
    lines.append(f"added: {today.isoformat()}  # the day the archive added it")
    lines += _comment_block(draft)
    lines += ["---", "", "\n\n".join(markdown_safe(p) for p in draft.article.paragraphs)]
    return "\n".join(lines) + "\n"


def _comment_block(draft: Draft) -> list[str]:
    out = ["#", "# Why each name was suggested ([paragraph] and the words of the article):"]
    for key, findings in (("speakers", draft.speakers), ("organisations", draft.organisations),
                          ("event", [draft.event] if draft.event else []), ("places", draft.places),
                          ("mentions", draft.mentions)):
        for f in findings:
            where = f"[p{f.paragraph}]" if f.paragraph else "[-]"
            notes = (" NEW, not in the registry;" if not f.slug else "") + \
                    (" spelled differently in the text;" if f.fuzzy else "")
            out.append(f"#   {key}: {f.name} ({f.why};{notes}) {where} {_one_line(f.evidence)}".replace(";)", ")"))
    for f, _ in draft.roles:
        out.append(f"#   roles: {f.name} [p{f.paragraph}] {_one_line(f.evidence)}")
    if draft.other_events:
        out.append(f"#   other events that could match: {', '.join(draft.other_events)}")
    if draft.new_names:
        out += ["#", "# New names, not in the registry: add a file for each under content/people/, content/organisations/",
                "# or content/outlets/, or add this spelling to the aliases of the entry it belongs to:"]
        for f in draft.new_names:
            out.append(f"#   - {f.name} ({KIND_LABEL[f.kind]}, {f.why}) [p{f.paragraph}] {_one_line(f.evidence)}")
    if draft.article.removed:
        out += ["#", "# Page furniture removed from the text:"]
        out += [f"#   {_one_line(line, 100)}" for line in draft.article.removed[:12]]
        if len(draft.article.removed) > 12:
            out.append(f"#   ... and {len(draft.article.removed) - 12} more lines")
    return out


def write_draft(root: Path, draft: Draft, today: dt.date, published: dict | None = None) -> Path:
    """Write the draft under content/statements/; never overwrite (FileExistsError instead), nor take an address the
    site publishes for another file (newfile.AddressTaken; `published` as the last build published them)."""
    path = draft_path(root, draft, today)
    refuse_taken_address(root, path, statement_path(draft.date or today, draft_slug(draft)), published)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(render_draft(draft, today))
    return path


def archived_copies(root: Path, draft: Draft) -> list[str]:
    """The statement files (relative paths) that already hold the article's words: a run of a dozen words from
    its longest paragraph, spaces and Markdown escapes aside. Importing an article twice would publish it twice."""
    paragraphs = draft.article.paragraphs
    words = max(paragraphs, key=len).split()[:12] if paragraphs else []
    if len(words) < 8:  # too short to tell one article from another
        return []
    needle = " ".join(words)
    found = []
    for path in content_files(root / "content", "statements"):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if needle in " ".join(text.replace("\\", "").split()):
            found.append(path.relative_to(root).as_posix())
    return found


def review_lines(draft: Draft) -> list[str]:
    """What the editor must still confirm or fill in, for the command's output."""
    confirm, fill = [], []
    if draft.title:
        confirm.append("title")
    else:
        fill.append("title (the text has no headline)")
    if draft.date:
        confirm.append(f"date {draft.date.isoformat()}")
    else:
        fill.append(f"date ({draft.date_hint})")
    if draft.outlet:
        confirm.append(f"outlet {draft.outlet.name}")
    else:
        fill.append("outlet")
    for key, findings in (("speakers", draft.speakers), ("organisations", draft.organisations),
                          ("event", [draft.event] if draft.event else []), ("places", draft.places),
                          ("mentions", draft.mentions)):
        if findings:
            confirm.append(f"{key}: {', '.join(f.name for f in findings)}")
    lines = []
    if confirm:
        lines.append("  confirm: " + "; ".join(confirm))
    if fill:
        lines.append("  fill in: " + "; ".join(fill))
    if draft.new_names:
        lines.append("  new names to add to the registry or map to an entry: "
                     + ", ".join(f"{f.name} ({KIND_LABEL[f.kind]})" for f in draft.new_names))
    lines.append(f"  text: {len(draft.article.paragraphs)} paragraph(s) kept, "
                 f"{len(draft.article.removed)} line(s) of page furniture removed")
    if not draft.date or not draft.title:
        what = "today's date" if not draft.date else "the first words of the text"
        lines.append(f"  file name: made from {what}; before publishing, rename the file to YYYY-MM-DD-short-title.md, "
                     "its date the one in 'date:' and the rest of its name the last part of the statement's address")
    return lines
