"""Citations of a statement in BibTeX, RIS and CSL-JSON, written as files beside its page.

The work cited is the statement as archived on this site (its permalink), reported by the
outlet named on it (and the journalist, where the byline names one), with the address of the
original report where it is known; the reader adds the date they accessed it, as in the
plain-text citation. People are cited by family and given names, organisations whole.

Its speakers (or the issuing organisation) are its authors, as a reference archive cites a
statement by whoever made it. So the type is the archive's web page (RIS ELEC, CSL webpage,
with the archive as the website), not a newspaper article: as one, with the outlet as the
newspaper, reference managers would say the speakers wrote the outlet's report. The outlet and
the byline go in the note ("Reported by ...").
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from .entities import PATRONYMIC_MARKS, NameParts, name_parts, short_slug
from .model import SiteIndex, Statement
from .urls import STATEMENT_JSON, Urls, statement_file_url, statement_file_urls, statement_url

# name in the statement's folder, format label, MIME type
FORMATS = (
    ("statement.bib", "BibTeX", "application/x-bibtex"),
    ("statement.ris", "RIS", "application/x-research-info-systems"),
    ("statement.csl.json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
)
STATEMENT_FILES = tuple(name for name, _, _ in FORMATS) + (STATEMENT_JSON,)  # beside each statement's page


@dataclass(frozen=True)
class Work:
    """What every citation format needs to know about one statement."""

    key: str
    title: str
    date: object  # datetime.date
    people: tuple  # entities.NameParts of each speaker (as authors)
    organisations: tuple  # names of issuing organisations (authors when no speaker is named)
    permalink: str
    archive: str  # the site's title
    summary: str = ""
    language: str = "en"
    reporter: str = ""  # "Abbas Ganbay, Azernews", or the outlet alone: see reported_by
    source_url: str = ""  # the original report
    withdrawn: str = ""  # "withdrawn by the archive's editors on 7 December 2026: reason", if it was
    # Names and aliases of the people it involves that hold a word written in lower case ("Polad Bülbül oğlu",
    # "Ursula von der Leyen"), which CSL's title case must leave so (csl_title).
    names: tuple = ()

    @property
    def note(self) -> str:
        """What RIS and CSL have no field of their own for: who reported it, and where (and its withdrawal)."""
        original = f"; original report: {self.source_url}" if self.source_url else ""
        withdrawn = f"; {self.withdrawn}" if self.withdrawn else ""
        return f"Reported by {self.reporter}{original}{withdrawn}"


# biblatex's `langid` takes babel's language names, not codes.
BABEL_NAMES = {"en": "english", "ru": "russian", "de": "ngerman", "fr": "french", "tr": "turkish", "uk": "ukrainian"}


def cited_title(record) -> str:
    """The title as a citation gives it: an editor's title (one with a title_note, the article having no
    headline or another) in square brackets, as a cataloguer marks a supplied title, so that it is not
    quoted as the outlet's headline."""
    return f"[{record.title}]" if record.title_note else record.title


def byline(statement: Statement, entities: dict) -> str:
    """The report's journalist: the name of their registry entry, or the byline as written; "" if it has none."""
    return entities["people"][statement.author.slug].name if statement.author else statement.record.author


def reported_by(statement: Statement, entities: dict) -> str:
    """The byline and the outlet ("Abbas Ganbay, Azernews"), or the outlet alone, as every citation gives them."""
    outlet = entities["outlets"][statement.outlet.slug].name
    journalist = byline(statement, entities)
    return f"{journalist}, {outlet}" if journalist else outlet


def work_of(statement: Statement, index: SiteIndex, urls: Urls, site_title: str, language: str,
            lower_case: dict | None = None) -> Work:
    """The statement as its citations give it. `lower_case` is given only where the CSL-JSON title is made (its
    `names`, which nothing else reads: left empty without it): each person's names that hold a word in lower case, by
    slug, kept from one statement to the next, since a person is in many (they were a third of this function's time
    at 10,000 statements)."""

    def names(refs):
        return tuple(index.entities[r.kind][r.slug].name for r in refs)

    def people(refs):
        return tuple(name_parts(p.name, p.sort_as) for p in (index.entities[r.kind][r.slug] for r in refs))

    def lower_case_names(refs):
        found = []
        for slug in dict.fromkeys(r.slug for r in refs if r.kind == "people"):
            kept = lower_case.get(slug)
            if kept is None:
                person = index.entities["people"][slug]
                kept = lower_case[slug] = tuple(name for name in dict.fromkeys((person.name, *person.aliases))
                                                if any(word[:1].islower() for word in name.split()))
            found += kept
        return tuple(found)

    record = statement.record
    return Work(
        key=f"{record.date:%Y-%m-%d}-{statement.slug}",
        title=cited_title(record),
        date=record.date,
        people=people(statement.speakers),
        organisations=() if statement.speakers else names(statement.organisations),
        permalink=urls.absolute(statement_url(statement)),
        archive=site_title,
        summary=record.summary,
        language=language,
        reporter=reported_by(statement, index.entities),
        source_url=record.source_url,
        withdrawn=record.withdrawn.sentence if record.withdrawn else "",
        names=lower_case_names([*statement.speakers, *statement.mentions]) if lower_case is not None else (),
    )


def inverted(person: NameParts) -> str:
    """"Hasanov, Ali", "King, Martin Luther, Jr.": the form RIS reads a person's name in without guessing."""
    return ", ".join(filter(None, person))


def one_line(text: str) -> str:
    return " ".join(text.split())


# A brace is written as a command, not as \{ or \}: BibTeX counts every brace, a backslash before it or not, and a
# field whose braces do not balance loses itself and the fields after it (bibtex and biber), or the next entry too.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&",
                   "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}",
                   "~": r"\textasciitilde{}"}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_escape(text: str) -> str:
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], one_line(text))


# A word BibTeX reads in a list of names as the end of one name ("and"), and a comma, which parts a name.
_NAME_BREAK = re.compile(r",|(?<!\S)and(?!\S)", re.I)


def bibtex_name(person: NameParts) -> str:
    """A person as BibTeX's author list reads them: "Hasanov, Ali", or with a suffix "King, Jr., Martin Luther"
    (its "von Last, Jr, First"); a part that holds "and" or a comma is braced, so that it stays whole ("Smith and
    Jones" had made two people, "Smith" and "Jones"), and so is a family name of two words or more that begins
    with a letter outside ASCII ("{Əli oğlu}, Vəli")."""
    family, given, suffix = map(_bibtex_name_part, person)
    # Classic bibtex reads bytes: a word beginning with a letter outside ASCII (Əli, Ömər) reads as lower case, so
    # the first word of "Əli oğlu" would be taken for a "von" part and "oğlu" for the family name. Braced, the
    # family name stays whole, as biblatex with biber reads it anyway.
    if " " in family and not family.startswith("{") and not family[0].isascii():
        family = "{" + family + "}"
    if suffix:
        return f"{family}, {suffix}, {given}"
    return f"{family}, {given}" if given else family


def _bibtex_name_part(part: str) -> str:
    escaped = bibtex_escape(part)
    return "{" + escaped + "}" if _NAME_BREAK.search(escaped) else escaped


def bibtex(work: Work) -> str:
    """A @misc entry (BibTeX and biblatex both read it); organisations are braced so they stay whole."""
    authors = ([bibtex_name(p) for p in work.people]
               + ["{" + bibtex_escape(n) + "}" for n in work.organisations])
    fields = []
    if authors:
        fields.append(("author", " and ".join(authors)))
    fields += [
        ("title", "{" + bibtex_escape(work.title) + "}"),
        ("howpublished", "Reported by " + bibtex_escape(work.reporter)),
        ("year", str(work.date.year)),
        ("month", ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")[work.date.month - 1]),
        ("date", work.date.isoformat()),
        ("url", work.permalink.replace("%", r"\%").replace("#", r"\#")),
        ("note", bibtex_escape("; ".join(filter(None, (
            f"Original report: {work.source_url}; archived in {work.archive}" if work.source_url
            else f"Archived in {work.archive}", work.withdrawn))))),  # the byline is in howpublished
        ("langid", bibtex_escape(BABEL_NAMES.get(work.language, work.language))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" if name != "month" else f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{work.key},\n{body}\n}}\n"


def ris(work: Work) -> str:
    """An RIS record (type ELEC, a web page: T2 is the website); lines end in CRLF as the format's specification
    asks."""
    lines = [("TY", "ELEC")]
    lines += [("AU", one_line(inverted(p))) for p in work.people] + [("AU", one_line(n)) for n in work.organisations]
    lines += [
        ("TI", one_line(work.title)),
        ("T2", one_line(work.archive)),
        ("PY", str(work.date.year)),
        ("DA", f"{work.date:%Y/%m/%d}/"),
        ("UR", work.permalink),
        ("LA", work.language),
        ("N1", one_line(work.note)),
    ]
    if work.summary:
        lines.append(("AB", one_line(work.summary)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_title(work: Work) -> str:
    """The title with the words that must keep their lower case marked so for CSL processors (citeproc-js, pandoc's
    citeproc, Zotero), which title-case an English title for styles such as MLA's and Chicago's: "Polad Bülbül oğlu
    said" had become "Polad Bülbül Oğlu Said". A word is kept where the title writes it in lower case as part of a
    name: beside another word of a name of `work.names` that holds it ("von der" in "Ursula von der Leyen"), or, as a
    patronymic, after a capitalised word ("Cəfər oğlu"). Each run of such words is one <span class="nocase">; the
    rest of the title is the style's to case."""
    title = work.title
    kept = set()
    for name in work.names:
        words = name.split()
        for at, word in enumerate(words):
            if not word[:1].islower():
                continue
            pairs = [(words[at - 1], word, 2)] if at else []
            pairs += [(word, words[at + 1], 1)] if at + 1 < len(words) else []
            for first, second, group in pairs:
                pattern = rf"(?<!\w)({re.escape(first)})\s+({re.escape(second)})(?!\w)"
                kept.update(match.span(group) for match in re.finditer(pattern, title))
    words = list(re.finditer(r"\w+", title))
    for before, word in zip(words, words[1:]):
        if (word.group() in PATRONYMIC_MARKS and before.group()[:1].isupper()
                and title[before.end():word.start()].isspace()):
            kept.add(word.span())
    runs: list[list[int]] = []
    for start, end in sorted(kept):  # words kept one after another, with only spaces between them, are one run
        if runs and not title[runs[-1][1]:start].strip():
            runs[-1][1] = end
        else:
            runs.append([start, end])
    for start, end in reversed(runs):
        title = f'{title[:start]}<span class="nocase">{title[start:end]}</span>{title[end:]}'
    return title


def csl_item(work: Work) -> dict:
    """One CSL-JSON item, as read by Zotero, citeproc and pandoc."""
    item = {
        "id": work.key,
        "type": "webpage",
        "title": csl_title(work),
        "container-title": work.archive,
        "issued": {"date-parts": [[work.date.year, work.date.month, work.date.day]]},
        "URL": work.permalink,
        "language": work.language,
        "note": work.note,
    }
    authors = ([{key: part for key, part in person._asdict().items() if part} for person in work.people]
               + [{"literal": n} for n in work.organisations])
    if authors:
        item["author"] = authors
    if work.summary:
        item["abstract"] = work.summary
    # A withdrawal is in the note only. CSL's "status" would be printed by Chicago's style before the date as
    # though it were the withdrawal's ("withdrawn January 10, 2024", the statement's date), and not at all by APA's.
    return item


def csl_json(work: Work) -> str:
    return json.dumps([csl_item(work)], ensure_ascii=False, indent=2) + "\n"


# Declared in the head of a page that names Dublin Core terms (DC.type), as DC-HTML asks.
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


def highwire_name(name: str, lone: bool) -> str:
    """An author as a citation_author tag gives it, so that Zotero's reading of the tag parts it as the CSL item does:
    "Family, Given" (as RIS's AU); a name with no given name (an organisation, a single name) ends in a comma, which
    Zotero reads as a family name with no given name, since without one it takes the last word for the family name
    ("Russian Foreign Ministry": Ministry, Russian Foreign). And Zotero splits a lone author's tag at its commas when
    its first two parts each hold a space (as for "Smith, John, Doe, Jane"), which would make two people of "García
    Márquez, Gabriel José": such a name ends in a semicolon, after which Zotero looks for no other names."""
    value = name if "," in name else name + ","
    parts = re.split(r"\s*,\s*", value)
    return value + ";" if lone and len(parts) > 1 and " " in parts[0] and " " in parts[1] else value


def page_meta(work: Work) -> list[tuple[str, str]]:
    """(name, content) of the <meta> tags that describe the statement to reference managers (Zotero's browser
    connector, by its "Embedded Metadata" translator) and Google Scholar: Highwire Press's citation_* tags, as the
    citation files give the statement, and DC.type.

    Zotero takes a page whose tags name no type of item, but a citation_title, for a journal article; DC.type
    "webpage" (Zotero's own name for it, which Zotero's reading of Dublin Core takes before that guess) keeps it the
    archive's web page, as in the CSL item, and Zotero then takes the website's title from og:site_name, the
    archive's. No tag names the outlet: citation_journal_title would make a journal article, and any field of a
    publication would make the outlet the publisher of the speakers' words (see this module's docstring)."""
    authors = [inverted(p) for p in work.people] + list(work.organisations)
    lone = len(authors) == 1
    tags = [("DC.type", "webpage"), ("citation_title", one_line(work.title))]
    tags += [("citation_author", highwire_name(one_line(a), lone)) for a in authors]
    tags += [
        ("citation_publication_date", f"{work.date:%Y/%m/%d}"),  # Google Scholar's form of a date
        ("citation_public_url", work.permalink),
        ("citation_language", work.language),
    ]
    if work.summary:
        tags.append(("citation_abstract", one_line(work.summary)))
    return tags


def citation_files(index: SiteIndex, urls: Urls, site_title: str, language: str, reuse=frozenset()):
    """(site path, bytes) of every statement's citation files but those in `reuse`, one at a time."""
    lower_case: dict = {}  # work_of's, for this build's index
    for statement in index.statements:
        paths = {name: statement_file_urls(statement, name) for name, _, _ in FORMATS}
        if all(path in reuse for path in paths[FORMATS[0][0]]):
            continue
        work = work_of(statement, index, urls, site_title, language, lower_case)
        texts = {"statement.bib": bibtex(work), "statement.ris": ris(work), "statement.csl.json": csl_json(work)}
        for name, text in texts.items():
            data = text.encode("utf-8")
            yield from ((path, data) for path in paths[name] if path not in reuse)


DOWNLOAD_SLUG_LIMIT = 120  # letters of the slug in a saved file's name: well inside a disk's 255 bytes and Windows' paths


def download_name(statement: Statement) -> str:
    """The name a statement's citation file is saved under, but for its extension: its date and slug. A slug an
    editor gave of up to 255 letters made a name longer than a disk takes, so a long one is cut at a word, with
    a few letters of its hash, as two slugs of a day may begin alike."""
    slug = statement.slug
    if len(slug) > DOWNLOAD_SLUG_LIMIT:
        slug = f"{short_slug(slug, DOWNLOAD_SLUG_LIMIT - 7)}-{hashlib.blake2b(slug.encode(), digest_size=3).hexdigest()}"
    return f"{statement.record.date:%Y-%m-%d}-{slug}"


def download_links(statement: Statement, urls: Urls) -> list[dict]:
    """Links for the statement page; `download` names the saved file after the statement."""
    links = []
    for name, label, mime in FORMATS:
        extension = name.removeprefix("statement")
        links.append({"label": label, "href": urls.href(statement_file_url(statement, name)), "type": mime,
                      "download": download_name(statement) + extension})
    return links
