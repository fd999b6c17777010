#!/usr/bin/env python3
"""Write a seeded synthetic corpus of N statements in three formats: ours, Hugo's and Pelican's.

Why: the benchmark needs an archive of realistic size and shape (registry of about N/5 people,
N/10 organisations, N/20 events with aliases in Azerbaijani Latin and Cyrillic; bodies of 3-6 KB
with attributed quotations, blockquotes and lists) that is the same for every generator measured.
The same seed always gives the same bytes.

    python bench/generate.py N OUT_DIR [--seed S] [--formats ours,hugo,pelican]

writes OUT_DIR/ours (a project root: content/, templates/, site.yaml), OUT_DIR/hugo and OUT_DIR/pelican.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FIRST_MALE = [
    "Əli", "Tuğrul", "Şahin", "İlqar", "Fərid", "Rəşad", "Çingiz", "Elşən", "Vüqar", "Nicat", "Ramil", "Orxan",
    "Səməd", "Ağası", "Qəşəm", "Yaşar", "Bəhruz", "Ceyhun", "Elçin", "Kənan", "Mübariz", "Nəsimi", "Pərviz", "Rüfət",
    "Sənan", "Tofiq", "Vüsal", "Xəyyam", "Zaur", "Anar", "Babək", "Cavid", "Emin", "Fuad", "Həsən", "İsmayıl",
    "Kamran", "Lətif", "Mirzə", "Nazim", "Oqtay", "Rövşən", "Şəmil", "Tural", "Ülvi", "Vaqif", "Yusif", "Zəfər",
]
FIRST_FEMALE = [
    "Səbinə", "Aygün", "Nərgiz", "Gülşən", "Ləman", "Şəbnəm", "Aytən", "Günay", "Könül", "Mələk", "Nigar", "Ülkər",
    "Fidan", "Xədicə", "Zərifə", "Aynur", "Bahar", "Cəmilə", "Dilarə", "Elnarə", "Fəridə", "Gülnar", "Hicran", "İradə",
    "Jalə", "Kəmalə", "Lalə", "Mehriban", "Nəzakət", "Pərvin", "Röya", "Sevinc", "Təranə", "Ulduz", "Vəfa", "Yeganə",
]
SURNAMES = [
    "Həsənov", "Əliyev", "Məmmədov", "Quliyev", "Hüseynov", "Abbasov", "Şirinov", "Bağırov", "Qasımov", "İsmayılov",
    "Cəfərov", "Nəsirov", "Rzayev", "Səfərov", "Talıbov", "Vəliyev", "Zeynalov", "Orucov", "Paşayev", "Kərimov",
    "Ağayev", "Bayramov", "Çələbiyev", "Dadaşov", "Eyvazov", "Fərzəliyev", "Gözəlov", "Hacıyev", "Xəlilov", "Yusifov",
    "Mirzəyev", "Novruzov", "Şükürov", "Əsədov", "Rəhimov", "Sadıqov", "Tağıyev", "Ülfətov", "Vahabov", "Zülfüqarov",
]
ORG_HEADS = [
    "Ministry of", "State Committee for", "Institute of", "Union of", "Centre for", "Foundation for", "Council of",
    "Association of", "Agency for", "Academy of", "Forum of", "Society of",
]
ORG_TOPICS = [
    "Foreign Affairs", "Culture", "Diaspora Affairs", "Economic Studies", "Youth", "Energy Security", "Transport",
    "Caspian Studies", "Education", "Tourism", "Digital Development", "Humanitarian Cooperation", "Regional Policy",
    "Civil Society", "Heritage", "Media Development", "Agriculture", "Science", "Ecology", "Trade", "Migration",
    "Health", "Sport", "Labour", "Justice", "Statistics", "Water Resources", "Maritime Affairs",
]
ORG_PLACES = [
    "Azerbaijan", "Russia", "Baku", "Moscow", "Ganja", "Sumqayıt", "Şəki", "Lənkəran", "Dagestan", "Kazan",
    "Yekaterinburg", "Saint Petersburg", "Naxçıvan", "Quba", "Şamaxı", "Astrakhan",
]
PLACES = [
    "Baku", "Moscow", "Ganja", "Sumqayıt", "Şəki", "Lənkəran", "Naxçıvan", "Quba", "Şamaxı", "Qəbələ", "Şuşa",
    "Ağdam", "Füzuli", "Kəlbəcər", "Saint Petersburg", "Kazan", "Yekaterinburg", "Astrakhan", "Derbent", "Makhachkala",
    "Sochi", "Novosibirsk", "Volgograd", "Rostov-on-Don", "Tbilisi", "Astana", "Tashkent", "Minsk", "Ankara", "Istanbul",
]
OUTLETS = [
    ("APA", "https://apa.az/"), ("Trend", "https://trend.az/"), ("Azernews", "https://www.azernews.az/"),
    ("Vestnik Kavkaza", "https://vestnikkavkaza.net/"), ("Report.az", "https://report.az/"),
    ("Azertac", "https://azertag.az/"), ("TASS", "https://tass.com/"), ("RIA Novosti", "https://ria.ru/"),
    ("Interfax", "https://interfax.com/"), ("Caliber.az", "https://caliber.az/"), ("Oxu.az", "https://oxu.az/"),
    ("Sputnik Azerbaijan", "https://sputnik.az/"),
]
EVENT_KINDS = [
    "briefing", "forum", "conference", "round table", "meeting", "summit", "commemoration", "congress",
    "business forum", "press conference", "session", "festival",
]
ROLES = [
    "spokesperson of the {org}", "chairman of the {org}", "deputy head of the {org}", "adviser at the {org}",
    "member of the {org}", "director of the {org}", "press secretary of the {org}", "expert at the {org}",
]
WORDS = (
    "cooperation relations bilateral strategic partnership dialogue agreement region development trade energy "
    "transport corridor culture education diaspora community heritage friendship neighbourliness security stability "
    "economic humanitarian investment project initiative programme delegation visit talks consultations memorandum "
    "signing framework minister government parliament officials representatives experts analysts delegates youth "
    "students scholars history tradition language literature music exhibition anniversary commemoration peace "
    "sovereignty integrity connectivity logistics pipeline railway port agriculture tourism technology digital "
    "innovation media journalists press statement remarks speech interview report briefing session forum summit"
).split()
CONNECTORS = ["and", "of", "in", "with", "for", "on", "between", "across", "through", "towards", "under", "among"]
VERBS = [
    "stressed", "noted", "emphasised", "added", "recalled", "underlined", "pointed out", "observed", "remarked",
    "said", "declared", "explained",
]

LATIN_TO_CYRILLIC = {
    "a": "а", "b": "б", "c": "ҹ", "ç": "ч", "d": "д", "e": "е", "ə": "ә", "f": "ф", "g": "ҝ", "ğ": "ғ", "h": "һ",
    "x": "х", "ı": "ы", "i": "и", "j": "ж", "k": "к", "q": "г", "l": "л", "m": "м", "n": "н", "o": "о", "ö": "ө",
    "p": "п", "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "ü": "ү", "v": "в", "y": "ј", "z": "з",
}
ASCII_FOLD = str.maketrans({"ə": "a", "Ə": "A", "ğ": "g", "Ğ": "G", "ı": "i", "İ": "I", "ş": "sh", "Ş": "Sh",
                            "ç": "ch", "Ç": "Ch", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"})


def to_cyrillic(name: str) -> str:
    """Azerbaijani Cyrillic spelling of an Azerbaijani Latin name (a one-to-one mapping)."""
    out = []
    for ch in name:
        low = ch.lower() if ch != "İ" else "i"
        cyr = LATIN_TO_CYRILLIC.get(low)
        if cyr is None:
            out.append(ch)
        else:
            out.append(cyr.upper() if ch != low or ch == "İ" else cyr)
    return "".join(out)


def ascii_slug(text: str) -> str:
    folded = text.translate(ASCII_FOLD).lower()
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in folded)
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-")


@dataclass
class Entity:
    kind: str
    slug: str
    name: str
    aliases: list = field(default_factory=list)
    role: str = ""
    date: dt.date | None = None
    place: str = ""
    organisers: list = field(default_factory=list)
    url: str = ""
    body: str = ""


@dataclass
class StatementData:
    slug: str
    file_stem: str
    title: str
    date: dt.date
    outlet: Entity
    speakers: list
    organisations: list
    event: Entity | None
    places: list
    mentions: list
    unregistered: list
    summary: str
    quotes: list  # (speaker Entity, text)
    body: str


class Corpus:
    """The whole synthetic archive, as plain data, drawn from one seeded random generator."""

    def __init__(self, n: int, seed: int = 20250320):
        self.n = n
        self.rng = random.Random(seed)
        self.claimed: set[str] = set()
        self.people = self._people(max(5, n // 5))
        self.organisations = self._organisations(max(3, n // 10))
        self.places = self._places()
        self.outlets = [Entity("outlets", ascii_slug(name), name, url=url, role=f"News outlet ({url})")
                        for name, url in OUTLETS]
        self.events = self._events(max(2, n // 20))
        self.statements = self._statements(n)

    def _claim(self, name: str) -> bool:
        key = " ".join(name.split())
        if key in self.claimed:
            return False
        self.claimed.add(key)
        return True

    def _people(self, count: int) -> list[Entity]:
        people, slugs, i = [], set(), 0
        while len(people) < count:
            female = self.rng.random() < 0.4
            first = self.rng.choice(FIRST_FEMALE if female else FIRST_MALE)
            surname = self.rng.choice(SURNAMES) + ("a" if female else "")
            name = f"{first} {surname}"
            if name in self.claimed:
                patronymic = self.rng.choice(FIRST_MALE)
                name = f"{first} {patronymic} {'qızı' if female else 'oğlu'} {surname}"
            i += 1
            slug = ascii_slug(name)
            if name in self.claimed or slug in slugs:
                continue
            self._claim(name)
            slugs.add(slug)
            aliases = []
            for alias in (to_cyrillic(name), name.translate(ASCII_FOLD)):
                if alias != name and self._claim(alias):
                    aliases.append(alias)
            if self.rng.random() < 0.5:
                aliases = aliases[:1]
            people.append(Entity("people", slug, name, aliases))
        return people

    def _organisations(self, count: int) -> list[Entity]:
        orgs = []
        while len(orgs) < count:
            name = f"{self.rng.choice(ORG_HEADS)} {self.rng.choice(ORG_TOPICS)}"
            if self.rng.random() < 0.8:
                name += f" of {self.rng.choice(ORG_PLACES)}"
            if len(orgs) > 3000 or name in self.claimed:
                name += f" No. {len(orgs) + 1}"
            if not self._claim(name):
                continue
            aliases = []
            initials = "".join(w[0] for w in name.split() if w[0].isupper() and w not in ("No.",))
            if self.rng.random() < 0.5 and self._claim(f"{initials} ({len(orgs) + 1})"):
                aliases.append(f"{initials} ({len(orgs) + 1})")
            orgs.append(Entity("organisations", ascii_slug(name), name, aliases,
                               role=f"Organisation based in {self.rng.choice(ORG_PLACES)}."))
        return orgs

    def _places(self) -> list[Entity]:
        places = []
        for name in PLACES:
            self._claim(name)
            places.append(Entity("places", ascii_slug(name), name, role=f"City ({name})."))
        return places

    def _events(self, count: int) -> list[Entity]:
        events = []
        start = dt.date(2005, 1, 1)
        for i in range(count):
            place = self.rng.choice(self.places)
            date = start + dt.timedelta(days=self.rng.randrange(7300))
            kind = self.rng.choice(EVENT_KINDS)
            name = f"{kind.capitalize()} on {self.rng.choice(ORG_TOPICS).lower()} in {place.name}, {date:%d %B %Y} ({i + 1})"
            self._claim(name)
            aliases = []
            if self.rng.random() < 0.3:
                alias = f"{place.name} {kind} {date.isoformat()} ({i + 1})"
                if self._claim(alias):
                    aliases.append(alias)
            organisers = self.rng.sample(self.organisations, k=min(len(self.organisations), self.rng.randint(1, 2)))
            events.append(Entity("events", ascii_slug(f"{kind}-{date.isoformat()}-{i + 1}"), name, aliases,
                                 role=f"A {kind} held in {place.name}.", date=date, place=place.name,
                                 organisers=[o.name for o in organisers]))
        return events

    def _sentence(self, words: int) -> str:
        parts = []
        for j in range(words):
            parts.append(self.rng.choice(CONNECTORS) if j % 3 == 2 else self.rng.choice(WORDS))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def _paragraph(self, sentences: int) -> str:
        return " ".join(self._sentence(self.rng.randint(8, 18)) for _ in range(sentences))

    def _weighted(self, items: list, k: int) -> list:
        """k distinct items; low indexes are much more frequent (a few people speak often)."""
        chosen: list = []
        while len(chosen) < min(k, len(items)):
            item = items[int(len(items) * self.rng.random() ** 2.5)]
            if item not in chosen:
                chosen.append(item)
        return chosen

    def _statements(self, n: int) -> list[StatementData]:
        statements = []
        start = dt.date(2005, 1, 1)
        used: set[str] = set()
        for i in range(n):
            date = start + dt.timedelta(days=self.rng.randrange(7300))
            speakers = self._weighted(self.people, self.rng.randint(1, 6))
            organisations = self._weighted(self.organisations, self.rng.randint(1, 8))
            event = self.rng.choice(self.events) if self.rng.random() < 0.8 else None
            places = [self.rng.choice(self.places)] if self.rng.random() < 0.7 else []
            mentions = [p for p in self._weighted(self.people, self.rng.randint(0, 3)) if p not in speakers]
            unregistered = []
            if self.rng.random() < 0.01:
                unregistered.append(f"{self.rng.choice(FIRST_MALE)} {self.rng.choice(SURNAMES)}zadə")
            outlet = self.rng.choice(self.outlets)
            lead = speakers[0]
            topic = self.rng.choice(ORG_TOPICS).lower()
            title = f"{lead.name} on {topic} and {self.rng.choice(WORDS)} {self.rng.choice(WORDS)} ({i + 1})"
            slug = ascii_slug(f"{lead.name}-{topic}-{i + 1}")
            stem = f"{date.isoformat()}-{slug}"
            while stem in used:
                stem += "-x"
            used.add(stem)
            body, quotes = self._body(speakers, organisations, event, target=self.rng.randint(3000, 6000))
            summary = self._sentence(self.rng.randint(12, 24))
            statements.append(StatementData(slug, stem, title, date, outlet, speakers, organisations, event, places,
                                            mentions, unregistered, summary, quotes, body))
        return statements

    def _body(self, speakers, organisations, event, target: int) -> tuple[str, list]:
        blocks, quotes = [], []
        lead = speakers[0]
        opening = f"{lead.name} made the remarks"
        if event:
            opening += f" at the {event.name.split(' (')[0].lower()}"
        blocks.append(opening + ". " + self._paragraph(2))
        size = len(blocks[0])
        while size < target:
            kind = self.rng.random()
            if kind < 0.45:
                speaker = self.rng.choice(speakers)
                text = self._sentence(self.rng.randint(10, 22))[:-1]
                verb = self.rng.choice(VERBS)
                block = f"“{text},” {speaker.name} {verb}. {self._paragraph(1)}"
                if len(quotes) < 8:
                    quotes.append((speaker, text))
            elif kind < 0.55:
                block = "> " + self._paragraph(2) + f"\n>\n> — {self.rng.choice(organisations).name}"
            elif kind < 0.65:
                items = [self._sentence(self.rng.randint(5, 10)) for _ in range(self.rng.randint(3, 6))]
                block = "The participants discussed:\n\n" + "\n".join(f"- {item}" for item in items)
            else:
                block = self._paragraph(self.rng.randint(2, 5))
            blocks.append(block)
            size += len(block) + 2
        return "\n\n".join(blocks) + "\n", quotes


def yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON strings are valid YAML


def yaml_list(values) -> str:
    return "[" + ", ".join(yaml_str(v) for v in values) + "]"


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_ours(corpus: Corpus, out: Path, project_root: Path) -> None:
    content = out / "content"
    for entity in corpus.people:
        head = [f"name: {yaml_str(entity.name)}", f"aliases: {yaml_list(entity.aliases)}",
                f"role: {yaml_str('Official')}"]
        write_text(content / "people" / f"{entity.slug}.md", "---\n" + "\n".join(head) + "\n---\n")
    for entity in corpus.organisations:
        head = [f"name: {yaml_str(entity.name)}", f"aliases: {yaml_list(entity.aliases)}",
                f"description: {yaml_str(entity.role)}"]
        write_text(content / "organisations" / f"{entity.slug}.md", "---\n" + "\n".join(head) + "\n---\n")
    for entity in corpus.places:
        write_text(content / "places" / f"{entity.slug}.md",
                   f"---\nname: {yaml_str(entity.name)}\ndescription: {yaml_str(entity.role)}\n---\n")
    for entity in corpus.outlets:
        write_text(content / "outlets" / f"{entity.slug}.md",
                   f"---\nname: {yaml_str(entity.name)}\nurl: {entity.url}\ndescription: {yaml_str(entity.role)}\n---\n")
    for entity in corpus.events:
        head = [f"name: {yaml_str(entity.name)}", f"aliases: {yaml_list(entity.aliases)}",
                f"date: {entity.date.isoformat()}", f"place: {yaml_str(entity.place)}",
                f"organisers: {yaml_list(entity.organisers)}", f"description: {yaml_str(entity.role)}"]
        write_text(content / "events" / f"{entity.slug}.md", "---\n" + "\n".join(head) + "\n---\n")
    for s in corpus.statements:
        head = [f"title: {yaml_str(s.title)}", f"date: {s.date.isoformat()}", f"outlet: {yaml_str(s.outlet.name)}",
                f"speakers: {yaml_list(_spelling(corpus, e) for e in s.speakers)}",
                f"organisations: {yaml_list(_spelling(corpus, e) for e in s.organisations)}"]
        if s.event:
            head.append(f"event: {yaml_str(s.event.name)}")
        if s.places:
            head.append(f"places: {yaml_list(p.name for p in s.places)}")
        mentions = [e.name for e in s.mentions] + s.unregistered
        if mentions:
            head.append(f"mentions: {yaml_list(mentions)}")
        head.append(f"summary: {yaml_str(s.summary)}")
        if s.quotes:
            head.append("quotes:")
            for speaker, text in s.quotes:
                head.append(f"  - speaker: {yaml_str(speaker.name)}\n    text: {yaml_str(text)}")
        write_text(content / "statements" / f"{s.file_stem}.md", "---\n" + "\n".join(head) + "\n---\n\n" + s.body)
    shutil.copytree(project_root / "templates", out / "templates", dirs_exist_ok=True)
    write_text(out / "site.yaml", "title: Synthetic statements archive\ndescription: A benchmark corpus.\n"
                                  "base_url: https://bench.example.org/\nlanguage: en\noutput_dir: public\n")


def _spelling(corpus: Corpus, entity: Entity) -> str:
    """Editors write a registered alias about one time in ten."""
    if entity.aliases and zlib.crc32(entity.slug.encode()) % 10 == 0:
        return entity.aliases[0]
    return entity.name


HUGO_CONFIG = """baseURL = "https://bench.example.org/"
languageCode = "en"
title = "Synthetic statements archive"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
  speaker = "speakers"
  organisation = "organisations"
  event = "events"
[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "speakers/" | relURL }}">People</a> <a href="{{ "organisations/" | relURL }}">Organisations</a> <a href="{{ "events/" | relURL }}">Events</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time>{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.outlet }}</p>
<dl>{{ with .GetTerms "speakers" }}<dt>Speakers</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .GetTerms "organisations" }}<dt>Organisations</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .GetTerms "events" }}<dt>Event</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</dd>{{ end }}</dl>
<p>{{ .Params.summary }}</p>
{{ .Content }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ $related := .Site.RegularPages.Related . | first 5 }}{{ with $related }}<h2>Related statements</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> · {{ .Params.outlet }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ len .Pages }} statements</p><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.outlet }}<p>{{ .Params.summary }}</p></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 10 .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
<h2>Timeline</h2><ul>{{ range .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo(corpus: Corpus, out: Path) -> None:
    write_text(out / "hugo.toml", HUGO_CONFIG + '\n[related]\n  includeNewer = true\n  threshold = 0\n  toLower = false\n'
               '[[related.indices]]\n  name = "speakers"\n  weight = 100\n[[related.indices]]\n  name = "organisations"\n'
               '  weight = 80\n[[related.indices]]\n  name = "events"\n  weight = 80\n')
    for name, text in HUGO_LAYOUTS.items():
        write_text(out / "layouts" / name, text)
    for s in corpus.statements:
        head = [f"title: {yaml_str(s.title)}", f"date: {s.date.isoformat()}", f"slug: {s.slug}",
                f"outlet: {yaml_str(s.outlet.name)}", f"summary: {yaml_str(s.summary)}",
                f"speakers: {yaml_list(e.name for e in s.speakers)}",
                f"organisations: {yaml_list(e.name for e in s.organisations)}"]
        if s.event:
            head.append(f"events: {yaml_list([s.event.name])}")
        write_text(out / "content" / "statements" / f"{s.file_stem}.md", "---\n" + "\n".join(head) + "\n---\n\n" + s.body)


PELICAN_CONF = """AUTHOR = "Archive"
SITENAME = "Synthetic statements archive"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
THEME = "theme"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
ARTICLE_URL = "statements/{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = "statements/{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
AUTHOR_URL = "people/{slug}/"
AUTHOR_SAVE_AS = "people/{slug}/index.html"
TAG_URL = "organisations/{slug}/"
TAG_SAVE_AS = "organisations/{slug}/index.html"
CATEGORY_URL = "events/{slug}/"
CATEGORY_SAVE_AS = "events/{slug}/index.html"
DEFAULT_CATEGORY = "No event"
SLUGIFY_SOURCE = "basename"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""

PELICAN_THEME = {
    "base.html": """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title></head>
<body><header><a href="{{ SITEURL }}/">{{ SITENAME }}</a> <nav><a href="{{ SITEURL }}/authors.html">People</a> <a href="{{ SITEURL }}/tags.html">Organisations</a> <a href="{{ SITEURL }}/categories.html">Events</a></nav></header>
<main>{% block content %}{% endblock %}</main><footer>{{ SITENAME }}</footer></body></html>
""",
    "article.html": """{% extends "base.html" %}{% block title %}{{ article.title }} · {{ SITENAME }}{% endblock %}{% block content %}<article><h1>{{ article.title }}</h1>
<p><time>{{ article.locale_date }}</time> · {{ article.outlet }}</p>
<dl><dt>Speakers</dt><dd>{% for a in article.authors %}<a href="{{ SITEURL }}/{{ a.url }}">{{ a }}</a> {% endfor %}</dd>
<dt>Organisations</dt><dd>{% for t in article.tags %}<a href="{{ SITEURL }}/{{ t.url }}">{{ t }}</a> {% endfor %}</dd>
<dt>Event</dt><dd><a href="{{ SITEURL }}/{{ article.category.url }}">{{ article.category }}</a></dd></dl>
<p>{{ article.summary }}</p>{{ article.content }}
<nav>{% if article.prev_article %}<a href="{{ SITEURL }}/{{ article.prev_article.url }}">{{ article.prev_article.title }}</a>{% endif %} {% if article.next_article %}<a href="{{ SITEURL }}/{{ article.next_article.url }}">{{ article.next_article.title }}</a>{% endif %}</nav>
</article>{% endblock %}
""",
    "_list.html": """{% extends "base.html" %}{% block content %}<h1>{% block heading %}{% endblock %}</h1><ul>{% for article in articles %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a> <time>{{ article.locale_date }}</time> · {{ article.outlet }}<p>{{ article.summary }}</p></li>{% endfor %}</ul>{% endblock %}
""",
    "index.html": """{% extends "base.html" %}{% block content %}<h1>{{ SITENAME }}</h1><ul>{% for article in articles[:10] %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a></li>{% endfor %}</ul>{% endblock %}
""",
    "archives.html": """{% extends "base.html" %}{% block content %}<h1>Timeline</h1><ul>{% for article in dates %}<li><a href="{{ SITEURL }}/{{ article.url }}">{{ article.title }}</a> {{ article.locale_date }}</li>{% endfor %}</ul>{% endblock %}
""",
    "author.html": """{% extends "_list.html" %}{% block heading %}{{ author }}{% endblock %}
""",
    "tag.html": """{% extends "_list.html" %}{% block heading %}{{ tag }}{% endblock %}
""",
    "category.html": """{% extends "_list.html" %}{% block heading %}{{ category }}{% endblock %}
""",
    "authors.html": """{% extends "base.html" %}{% block content %}<h1>People</h1><ul>{% for author, articles in authors %}<li><a href="{{ SITEURL }}/{{ author.url }}">{{ author }}</a> ({{ articles|count }})</li>{% endfor %}</ul>{% endblock %}
""",
    "tags.html": """{% extends "base.html" %}{% block content %}<h1>Organisations</h1><ul>{% for tag, articles in tags %}<li><a href="{{ SITEURL }}/{{ tag.url }}">{{ tag }}</a> ({{ articles|count }})</li>{% endfor %}</ul>{% endblock %}
""",
    "categories.html": """{% extends "base.html" %}{% block content %}<h1>Events</h1><ul>{% for category, articles in categories %}<li><a href="{{ SITEURL }}/{{ category.url }}">{{ category }}</a> ({{ articles|count }})</li>{% endfor %}</ul>{% endblock %}
""",
    "page.html": """{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}
""",
    "period_archives.html": """{% extends "archives.html" %}
""",
}


def write_pelican(corpus: Corpus, out: Path) -> None:
    write_text(out / "pelicanconf.py", PELICAN_CONF)
    for name, text in PELICAN_THEME.items():
        write_text(out / "theme" / "templates" / name, text)
    for s in corpus.statements:
        # Pelican's Markdown metadata: one "Key: value" per line; lists are comma-separated.
        head = [f"Title: {s.title}", f"Date: {s.date.isoformat()}", f"Slug: {s.slug}",
                f"Authors: {', '.join(e.name for e in s.speakers)}",
                f"Tags: {', '.join(e.name.replace(',', '') for e in s.organisations)}",
                f"Category: {s.event.name.replace(',', '') if s.event else 'No event'}",
                f"Outlet: {s.outlet.name}", f"Summary: {s.summary}"]
        write_text(out / "content" / f"{s.file_stem}.md", "\n".join(head) + "\n\n" + s.body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of statements")
    parser.add_argument("out", type=Path, help="folder to write into (created; must be empty or absent)")
    parser.add_argument("--seed", type=int, default=20250320)
    parser.add_argument("--formats", default="ours,hugo,pelican", help="comma-separated: ours, hugo, pelican")
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        print(f"error: {args.out} is not empty", file=sys.stderr)
        return 2
    corpus = Corpus(args.n, args.seed)
    formats = set(args.formats.split(","))
    project_root = Path(__file__).resolve().parent.parent
    if "ours" in formats:
        write_ours(corpus, args.out / "ours", project_root)
    if "hugo" in formats:
        write_hugo(corpus, args.out / "hugo")
    if "pelican" in formats:
        write_pelican(corpus, args.out / "pelican")
    print(f"{args.n} statements, {len(corpus.people)} people, {len(corpus.organisations)} organisations, "
          f"{len(corpus.events)} events into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
