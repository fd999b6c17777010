"""End to end: the real content/ built into a temporary folder, parsed and checked as a reader uses it.

Expectations come from the content files themselves (front matter and registry aliases, read
here with pyyaml), never from the build's own index, so a wrong index cannot pass its own test.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from conftest import SEEDS, build_real, subprocess_env
from site_reader import BuiltSite, normalise_space, paragraph_text

KINDS = ("people", "organisations", "events", "outlets", "places")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SITE_FIXTURES = ("real_site", "archive_site", "absolute_archive_site", "split_site")  # split_site: year pages


# --- the content as the editor wrote it ------------------------------------------------------

def read_content_file(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head) or {}, body


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def markdown_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith((".", "_", "#")))


def read_registry(root: Path) -> dict:
    """kind -> {name or alias: slug}; the slug is the file name (or a `slug:` key)."""
    names: dict = {kind: {} for kind in KINDS}
    for kind in KINDS:
        for path in markdown_files(root / "content" / kind):
            meta, _ = read_content_file(path)
            slug = meta.get("slug") or path.stem
            assert SLUG.match(slug), f"{path.name}: the file name should be a slug"
            for name in [meta["name"]] + list(meta.get("aliases") or []):
                names[kind][name_key(str(name))] = slug
    return names


@dataclass
class ExpectedStatement:
    path: Path
    meta: dict
    body: str
    site_path: str
    refs: set = field(default_factory=set)  # (kind, slug)
    around: set = field(default_factory=set)  # ("places", slug) of each place its places are within, at any depth
    unresolved: list = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.site_path + "index.html"

    @property
    def date(self) -> dt.date:
        return self.meta["date"]


FIELDS = {  # front-matter key -> kinds its names are looked up in, in order
    "outlet": ("outlets",), "speakers": ("people",), "organisations": ("organisations",), "event": ("events",),
    "places": ("places",), "mentions": ("people", "organisations"),
}


def lookup(registry: dict, kinds: tuple, name: str):
    for kind in kinds:
        slug = registry[kind].get(name_key(name))
        if slug:
            return kind, slug
    return None


def read_within(root: Path, registry: dict) -> dict:
    """{slug of a place: slug of the place its entry says it is `within`}."""
    within = {}
    for path in markdown_files(root / "content" / "places"):
        meta, _ = read_content_file(path)
        if meta.get("within"):
            within[meta.get("slug") or path.stem] = registry["places"][name_key(str(meta["within"]))]
    return within


def read_statements(root: Path, registry: dict) -> list[ExpectedStatement]:
    statements = []
    within = read_within(root, registry)
    for path in markdown_files(root / "content" / "statements"):
        meta, body = read_content_file(path)
        slug = meta.get("slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)
        assert SLUG.match(slug), f"{path.name}: expected a slug"
        expected = ExpectedStatement(path, meta, body, f"statements/{meta['date']:%Y/%m/%d}/{slug}/")
        for key, kinds in FIELDS.items():
            value = meta.get(key) or []
            for name in [value] if isinstance(value, str) else value:
                ref = lookup(registry, kinds, name)
                if ref:
                    expected.refs.add(ref)
                else:
                    expected.unresolved.append(f"{key}: {name}")
        author = lookup(registry, ("people",), meta["author"]) if meta.get("author") else None
        if author:  # a byline links to the journalist's page only when the registry knows them
            expected.refs.add(author)
        for kind, slug in list(expected.refs):
            while kind == "places" and slug in within:
                slug = within[slug]
                expected.around.add(("places", slug))
        expected.around -= expected.refs
        statements.append(expected)
    return statements


@pytest.fixture(scope="module")
def registry(real_project) -> dict:
    return read_registry(real_project)


@pytest.fixture(scope="module")
def statements(real_project, registry) -> list[ExpectedStatement]:
    return read_statements(real_project, registry)


# --- statement pages ------------------------------------------------------------------------

def test_every_name_in_the_content_is_in_the_registry(statements):
    unresolved = {s.path.name: s.unresolved for s in statements if s.unresolved}
    assert not unresolved, f"names with no registry entry (add them, or add the spelling to an entry's aliases): {unresolved}"


def test_each_statement_is_at_its_permalink(real_site, statements):
    assert statements, "content/statements/ is empty"
    for statement in statements:
        assert real_site.exists(statement.file), f"{statement.path.name}: no page at /{statement.site_path}"
        page = real_site.page(statement.file)
        assert normalise_space(page.find("h1").get_text()) == normalise_space(statement.meta["title"])
        assert page.find("time", datetime=statement.date.isoformat()) is not None
        linked = {link.target for link in real_site.links(statement.file) if link.internal}
        missing = {f"{kind}/{slug}/index.html" for kind, slug in statement.refs} - linked
        assert not missing, f"{statement.file} does not link to {sorted(missing)}"
        if statement.meta.get("source_url"):
            assert statement.meta["source_url"] in {a["href"] for a in page.find_all("a", href=True)}
    built = {f for f in real_site.html_files() if f.startswith("statements/") and not real_site.is_redirect(f)}
    assert built == {s.file for s in statements}


def test_every_paragraph_has_an_id_and_a_pilcrow_link(real_site, statements):
    for statement in statements:
        blocks = [b for b in re.split(r"\n\s*\n", statement.body.strip()) if b.strip()]
        paragraphs = real_site.paragraphs(statement.file)
        assert [p["id"] for p in paragraphs] == [f"p{i}" for i in range(1, len(blocks) + 1)], statement.path.name
        for paragraph in paragraphs:
            links = [a for a in paragraph.find_all("a", href=True) if a.get_text(strip=True) == "¶"]
            assert len(links) == 1, f"{statement.file}#{paragraph['id']}: expected one ¶ link"
            assert real_site.resolve(statement.file, links[0]["href"]).fragment == paragraph["id"]


def test_quotations_link_to_the_paragraph_that_holds_them(real_site, statements, registry):
    for statement in statements:
        for quote in statement.meta.get("quotes") or []:
            text = normalise_space(quote["text"])
            holding = [p["id"] for p in real_site.paragraphs(statement.file) if text in paragraph_text(p)]
            assert holding, f"{statement.path.name}: quotation not in the text: {text[:60]}"
            # On the statement page: a link to that paragraph besides its own ¶ mark, and to the speaker.
            kind, slug = lookup(registry, ("people", "organisations"), quote["speaker"])
            entity_file = f"{kind}/{slug}/index.html"
            page = real_site.page(statement.file)
            to_paragraph = [a for a in page.find_all("a", href=True)
                            if real_site.resolve(statement.file, a["href"]).fragment in holding
                            and a.find_parent("p", id=re.compile(r"^p\d+[a-z]*$")) is None]
            assert to_paragraph, f"{statement.file}: no link to the paragraph of '{text[:40]}'"
            assert entity_file in {l.target for l in real_site.links(statement.file)}
            # On the speaker's page: the quotation, linking to the exact paragraph of this statement.
            links = real_site.links(entity_file)
            assert any(l.target == statement.file and l.fragment in holding for l in links), (
                f"{entity_file}: no link to {statement.site_path}#{holding[0]} for '{text[:40]}'")
            assert text in normalise_space(real_site.page(entity_file).find("main").get_text())


def test_each_quotation_on_an_entity_page_links_to_its_paragraph_by_a_name_of_its_own(real_site):
    """Four quotations of one statement had four links of one name, which a screen reader's list of links could
    not tell apart (WCAG 2.4.9): each names its paragraph, as its address does."""
    page = "people/maria-zakharova/index.html"
    links = [li.select_one(".who a") for li in real_site.page(page).select("ul.quotes li")]
    assert len(links) == 4
    for link in links:
        fragment = real_site.resolve(page, link["href"]).fragment
        assert link.get_text().endswith(f", paragraph {fragment.removeprefix('p')}"), link
    assert len({link.get_text() for link in links}) == len(links)


def test_an_inferred_attribution_carries_the_editors_note_wherever_the_quotation_is_shown(real_site, statements, registry):
    """Where the article does not name a passage's speaker, the reader sees that the attribution is the editors'."""
    noted = [(s, q) for s in statements for q in s.meta.get("quotes") or [] if q.get("note")]
    assert noted  # the Khojaly article's unnamed passages
    records = {r["url"]: r for r in json.loads((real_site.output / "data/statements.json").read_text(encoding="utf-8"))}
    for statement, quote in noted:
        text, note = normalise_space(quote["text"]), normalise_space(quote["note"])
        (holding,) = [p for p in real_site.paragraphs(statement.file) if text in paragraph_text(p)]
        said_by = holding.find_parent("div", class_="block").find("p", class_="said-by")
        assert "Editors’ note: " + note in normalise_space(said_by.get_text())
        item = next(li for li in real_site.page(statement.file).select(".quotes li")
                    if normalise_space(li.blockquote.get_text()) == text)
        assert normalise_space(item.select_one(".attribution-note").get_text()) == "Editors’ note: " + note
        kind, slug = lookup(registry, ("people", "organisations"), quote["speaker"])
        on_entity = [li for li in real_site.page(f"{kind}/{slug}/index.html").select(".quotes li")
                     if normalise_space(li.blockquote.get_text()) == text]
        assert on_entity and all(normalise_space(li.select_one(".attribution-note").get_text()) == "Editors’ note: " + note
                                 for li in on_entity)
        record = next(r for u, r in records.items() if u.endswith("/" + statement.site_path))
        assert [q["note"] for q in record["quotes"] if q["text"] == text] == [note]
    unnoted = [q for s in statements for q in s.meta.get("quotes") or [] if not q.get("note")]
    assert unnoted and all(q["note"] == "" for r in records.values() for q in r["quotes"]
                           if q["text"] in {normalise_space(u["text"]) for u in unnoted})


def test_a_paragraph_added_with_a_pinned_id_moves_no_anchor_and_no_quotation(real_project_copy, tmp_path):
    """A citation of #pN keeps leading to the same words after a paragraph is added to the statement."""
    def anchored(site, rel) -> dict[str, str]:
        return {p["id"]: paragraph_text(p) for p in site.paragraphs(rel)}

    before = build_real(real_project_copy, tmp_path / "before")
    for path in markdown_files(real_project_copy / "content" / "statements"):
        text = path.read_text(encoding="utf-8")
        start = text.index("\n---\n", 4) + 5  # the text under the front matter
        first_end = text.index("\n\n", text.index(next(l for l in text[start:].splitlines() if l.strip()), start))
        path.write_text(text[:first_end] + "\n\nA paragraph added by the test. {#p1a}" + text[first_end:],
                        encoding="utf-8")
    after = build_real(real_project_copy, tmp_path / "after")
    statement_pages = [f for f in before.html_files() if f.startswith("statements/") and not before.is_redirect(f)]
    assert statement_pages
    for rel in statement_pages:
        old, new = anchored(before, rel), anchored(after, rel)
        assert new == {**old, "p1a": "A paragraph added by the test."}, rel
        assert "{#" not in after.page(rel).get_text()
        for link in after.links(rel):  # every link to a paragraph, the quotations' too, still resolves
            if link.internal and link.fragment and link.target.startswith("statements/"):
                assert link.fragment in after.ids(link.target), f"{rel}: #{link.fragment} of {link.target}"
    people_links = [(f, l.target, l.fragment) for f in after.html_files() if f.startswith("people/")
                     for l in after.links(f) if l.internal and l.fragment.startswith("p")]
    assert people_links, "the quotations on people's pages link to paragraphs"
    for page, target, fragment in people_links:  # and to the same words as before
        assert anchored(after, target)[fragment] == anchored(before, target)[fragment], (page, target, fragment)


# --- entity pages ----------------------------------------------------------------------------

def test_each_registry_entity_has_exactly_one_page(real_site, registry):
    for kind in KINDS:
        pages = {f.split("/")[1] for f in real_site.html_files() if re.fullmatch(rf"{kind}/[^/]+/index\.html", f)}
        assert pages == set(registry[kind].values()), f"{kind}: pages differ from the registry files"


def test_a_person_s_role_is_shown_with_the_date_of_the_report_that_gives_it(real_project, real_site):
    """Roles change: an undated "Ambassador of Azerbaijan to Russia" would read as held today."""
    people = {r["slug"]: r for r in json.loads((real_site.output / "data/people.json").read_text(encoding="utf-8"))}
    dated = 0
    for path in markdown_files(real_project / "content" / "people"):
        meta, _ = read_content_file(path)
        slug = meta.get("slug") or path.stem
        role, when = meta.get("role"), meta.get("role_date")
        shown = [f"{slug}: " + normalise_space(real_site.page(f"people/{slug}/index.html").select_one("main .lede").get_text())
                 ] if role else []
        listed = [normalise_space(li.select_one(".role-line").get_text()) for li in real_site.page("people/index.html").select("main li")
                  if li.a and li.a["href"].rstrip("/").endswith("/" + slug) and li.select_one(".role-line")]
        if role and when:
            expected = f"{role}, as reported on {when.day} {when:%B} {when.year}"
            assert shown == [f"{slug}: {expected}"] and listed == [expected]
            assert people[slug]["role_date"] == when.isoformat() and people[slug]["description"] == role
            dated += 1
        elif role:
            assert shown == [f"{slug}: {role}"] and listed == [role] and people[slug]["role_date"] is None
    assert dated >= 10


def test_a_statement_shows_each_person_s_role_in_the_report_s_words_beside_their_name(real_site, registry, statements):
    """The role in which someone spoke is the one the report gives that day, not the registry's of another date."""
    def comparable(text: str) -> str:
        return normalise_space(text).replace("\u2019", "'").casefold()

    shown = 0
    for statement in statements:
        roles = statement.meta.get("roles") or {}
        page = real_site.page(statement.file)
        record = json.loads((real_site.output / statement.site_path / "statement.json").read_text(encoding="utf-8"))
        expected = {}
        for name, role in roles.items():
            _, slug = lookup(registry, ("people",), name)
            expected[slug] = role
            assert comparable(role) in comparable(statement.body), f"{statement.path.name}: {role!r} is not in the text"
            link = next(a for a in page.select("dl.facts dd a") if a["href"].rstrip("/").endswith(f"/people/{slug}"))
            assert normalise_space(link.find_next_sibling("span", class_="reported-role").get_text()) == f"({role})"
            cards = [card for card in real_site.page(f"people/{slug}/index.html").select(".appearances .card")
                     if card.select_one(".card-title a")["href"].rstrip("/").endswith(statement.site_path.rstrip("/"))]
            assert [normalise_space(c.select_one(".roles").get_text()).split(", as ")[-1] for c in cards] == [f"“{role}”"]
            shown += 1
        assert {r["person"]: r["role"] for r in record["roles"]} == expected
        assert len(page.select("dl.facts span.reported-role")) == len(expected), f"{statement.file}: a role it does not give"
    assert shown >= 20


def test_a_corrected_statement_says_what_was_changed_and_when(real_site, statements):
    corrected = 0
    for statement in statements:
        corrections = statement.meta.get("corrections") or []
        page = real_site.page(statement.file)
        record = json.loads((real_site.output / statement.site_path / "statement.json").read_text(encoding="utf-8"))
        jsonld = json.loads(page.find("script", type="application/ld+json").string)
        shown = [(li.find("time")["datetime"], normalise_space(li.get_text().split(": ", 1)[1]))
                 for li in page.select("section.corrections li")]
        expected = [(c["date"].isoformat(), normalise_space(c["note"])) for c in corrections]
        assert shown == expected
        assert [(c["date"], c["note"]) for c in record["corrections"]] == expected
        latest = max([d for d, _ in expected], default=statement.date.isoformat())
        assert jsonld["dateModified"] == latest and jsonld["mainEntity"]["datePublished"] == statement.date.isoformat()
        fact = page.find("dt", string="Corrected")
        fact = fact and fact.find_next_sibling("dd")
        assert (fact.time["datetime"] if fact else None) == (latest if corrections else None)
        if fact:  # a link named for where it leads, not a date (its name is all a list of the page's links shows)
            assert fact.select_one('a[href="#corrections"]').get_text() == "what was corrected"
        corrected += bool(corrections)
    assert corrected == 5  # every statement of the real content has a correction (5 December 2026: the notes on titles)


def test_the_corrections_page_lists_every_correction_of_the_archive_newest_first(real_site, statements):
    """One place to see what the archive changed since a reader cited it, as a newspaper's corrections column."""
    page = real_site.page("corrections/index.html")
    listed = []
    for card in page.select("ul.changes li"):
        href = card.select_one(".card-title a")["href"]
        assert href.endswith("/#corrections")
        listed += [(card.find("time")["datetime"], href.removesuffix("#corrections"), normalise_space(p.get_text()))
                   for p in card.find_all("p", class_=False)]
    expected = [(c["date"].isoformat(), "/" + s.site_path, normalise_space(c["note"]))
                for s in statements for c in (s.meta.get("corrections") or [])]
    assert sorted(listed) == sorted(expected) and len(listed) == 11
    assert [date for date, _, _ in listed] == sorted((date for date, _, _ in listed), reverse=True)
    assert page.select_one(".lede").get_text().split(": ", 1)[1].startswith("11 changes.")
    for name in ("index.html", "about/index.html", "404.html"):
        assert real_site.page(name).find("a", string="Corrections")["href"] == "/corrections/", name


def test_an_organisation_is_shown_as_issuer_only_where_no_one_speaks_or_its_words_are_quoted(real_site, registry,
                                                                                              statements):
    """A body that issued a statement (NGO Forum, Russian Community) is told apart from one taking part beside
    the speakers (an embassy that organised the event, a ministry whose spokeswoman spoke)."""
    parts = {}
    for statement in statements:
        speakers, quoted = statement.meta.get("speakers"), {q["speaker"] for q in statement.meta.get("quotes") or []}
        facts = real_site.page(statement.file).select_one("dl.facts")
        label = "Organisations" if speakers else "Issued by"
        if statement.meta.get("organisations"):
            assert facts.find("dt", string=label), (statement.file, label)
        for name in statement.meta.get("organisations") or []:
            kind, slug = lookup(registry, ("organisations",), name)
            card = next(c for c in real_site.page(f"{kind}/{slug}/index.html").select("main article.card")
                        if real_site.resolve(f"{kind}/{slug}/index.html", c.select_one(".card-title a")["href"]).target
                        == statement.file)
            expected = "issued the statement" if not speakers or name in quoted else "taking part"
            assert [r.get_text() for r in card.select(".roles .role")] == [expected], (slug, statement.file)
            parts[expected] = parts.get(expected, 0) + 1
    assert parts.get("issued the statement") and parts.get("taking part")


def test_people_are_listed_in_order_of_surname(real_site):
    from anyascii import anyascii

    names = [a.get_text() for a in real_site.page("people/index.html").select("main .entity-list li > a")]
    assert len(names) > 10
    keys = [anyascii(n.split()[-1]).lower() + " " + anyascii(" ".join(n.split()[:-1])).lower() for n in names]
    assert keys == sorted(keys), names
    assert names.index("Heydar Aliyev") < names.index("Polad Bulbuloglu") < names.index("Abbas Ganbay")


def test_the_list_of_people_counts_the_statements_each_is_in_and_speaks_in(real_site, registry, statements):
    counts = {}
    for li in real_site.page("people/index.html").select("main .entity-list li"):
        slug = li.a["href"].rstrip("/").rsplit("/", 1)[-1]
        counts[slug] = tuple(map(int, re.fullmatch(r"\((\d+); speaker in (\d+)\)", li.select_one(".count").get_text()).groups()))
    for slug in set(registry["people"].values()):
        involving = [s for s in statements if ("people", slug) in s.refs]
        speaking = [s for s in statements if any(lookup(registry, ("people",), n) == ("people", slug)
                                                 for n in s.meta.get("speakers") or [])]
        assert counts[slug] == (len(involving), len(speaking)), slug
    assert any(spoke == 0 < involved for involved, spoke in counts.values())  # mentioned only
    assert any(spoke > 0 for _, spoke in counts.values())


def test_entity_pages_list_exactly_the_statements_that_name_them(real_site, registry, statements):
    """A place's page lists those that name a place within it too, at any depth (Azerbaijan's, those given Baku)."""
    wrong = {}
    for kind in KINDS:
        for slug in sorted(set(registry[kind].values())):
            page = f"{kind}/{slug}/index.html"
            listed = real_site.main_statement_links(page)
            expected = {s.file for s in statements if (kind, slug) in s.refs | s.around}
            if set(listed) != expected:
                wrong[page] = {"missing": sorted(expected - set(listed)), "extra": sorted(set(listed) - expected)}
            dates = [listed_date(f) for f in listed]
            assert dates == sorted(dates, reverse=True), f"{page}: statements are not newest first"
    assert not wrong, wrong
    assert any(s.around for s in statements)  # the corpus names Baku without Azerbaijan


def test_a_place_s_card_of_a_statement_that_names_only_places_within_it_names_them(real_site, real_project, registry,
                                                                                  statements):
    """On Azerbaijan's page, a statement given Baku and Yekaterinburg says "place (Baku)", Baku linked: the places
    within Azerbaijan that it names, in its order. A card of a statement that names the place itself says "place"."""
    within = read_within(real_project, registry)

    def enclosing(slug):
        while slug in within:
            slug = within[slug]
            yield slug

    marked = 0
    for slug in sorted(set(registry["places"].values())):
        page = f"places/{slug}/index.html"
        for card in real_site.page(page).find("main").select("article.card"):
            target = real_site.resolve(page, card.select_one(".card-title a")["href"]).target
            (statement,) = [s for s in statements if s.file == target]
            roles = card.select_one(".roles")
            if ("places", slug) in statement.refs:
                assert normalise_space(roles.get_text()) == "Part: place", (page, target)
                continue
            names = [lookup(registry, ("places",), n)[1] for n in statement.meta["places"]]
            expected = [name for name in names if slug in enclosing(name)]
            assert normalise_space(roles.get_text()) == "Part: place (" + ", ".join(
                real_site.page(f"places/{s}/index.html").find("h1").get_text() for s in expected) + ")", (page, target)
            assert [real_site.resolve(page, a["href"]).target for a in roles.find_all("a")] == [
                f"places/{s}/index.html" for s in expected]
            marked += 1
    assert marked >= 2  # Azerbaijan's: Baku, Khojaly


def test_a_card_names_its_statement_s_event_and_the_entity_s_part_in_it(real_site, registry, statements):
    """A list answers "at which event" without opening the statement, and on an entity's page the entity's
    part (speaker, mentioned...) sits inside the card of its statement, not after it."""
    pages = ["index.html"] + [f"{kind}/{slug}/index.html" for kind in KINDS for slug in sorted(set(registry[kind].values()))]
    events_seen = parts_seen = 0
    for page in pages:
        main = real_site.page(page).find("main")
        assert not [p for p in main.select(".roles") if p.find_parent("article", class_="card") is None], page
        for card in main.select("article.card"):
            target = real_site.resolve(page, card.select_one(".card-title a")["href"]).target
            event = real_site.page(target).find("dt", string="Event")
            shown = card.select_one(".card-event")
            if event is None:
                assert shown is None, (page, target)
            else:
                assert normalise_space(shown.get_text()) == "At: " + normalise_space(event.find_next("dd").get_text())
                events_seen += 1
            if page != "index.html":
                assert card.select_one(".roles .role"), (page, target)
                parts_seen += 1
    assert events_seen and parts_seen


def test_a_card_s_names_lead_to_their_pages_but_not_to_the_page_it_is_on(real_site, registry):
    """A reader going from person to person had to open each statement to follow a name on a card."""
    pages = ["index.html"] + [f"{kind}/{slug}/index.html" for kind in KINDS for slug in sorted(set(registry[kind].values()))]
    followed = unlinked = 0
    for page in pages:
        heading = normalise_space(real_site.page(page).find("h1").get_text())
        for meta in real_site.page(page).find("main").select("article.card .meta"):
            for link in meta.select("a"):
                target = real_site.resolve(page, link["href"]).target
                assert target != page, (page, link)
                assert normalise_space(real_site.page(target).find("h1").get_text()) == normalise_space(link.get_text())
                followed += 1
            if page != "index.html" and heading in normalise_space(meta.get_text()):  # its own name, shown unlinked
                assert heading not in [normalise_space(a.get_text()) for a in meta.select("a")], page
                unlinked += 1
    assert followed and unlinked


def listed_date(file: str) -> dt.date:
    year, month, day = file.split("/")[1:4]
    return dt.date(int(year), int(month), int(day))


# Spellings found in the five seed articles that name the same entity.
NAME_VARIANTS = {
    "people": [("Sergey Markov", "Sergei Markov"), ("Grigory Trofimchuk", "Grigoriy Trofimchuk"),
               ("Abram Ixiilov", "Abram Ikhiilov"), ("Polad Bulbuloglu", "Bulbuloglu"),
               ("Ali Hasanov", "Hasanov"), ("Nazim Ibrahimov", "Ibrahimov"),
               ("Ilham Aliyev", "Ilham Heydarovich Aliyev", "President Ilham Aliyev"),
               ("Maria Zakharova", "Zakharova")],
    # "Azerbaijan’s Russian community" (2016) is not among them: in lower case, it may mean the community itself.
    "organisations": [("Russian Community of Azerbaijan", "Russian Community in Azerbaijan", "Russian Community"),
                      ("Azerbaijani Youth Union of Russia", "AMOR", "RAGB", "Azerbaijani Youth Organization of Russia"),
                      ("State Committee for Work with Diaspora", "Azerbaijani State Committee for Work with Diaspora"),
                      ("Russian Foreign Ministry", "Ministry of Foreign Affairs of Russia"),
                      ("Azerbaijan Airlines", "AZAL"), ("ALEF", "ALEF Jewish movement")],
    "places": [("Radisson Royal Hotel", "UKRAINA Hotel")],
}


@pytest.mark.parametrize("kind,variants", [(k, v) for k, groups in NAME_VARIANTS.items() for v in groups],
                         ids=lambda v: v if isinstance(v, str) else "/".join(v))
def test_name_variants_share_one_page(real_site, registry, kind, variants):
    slugs = {registry[kind].get(name_key(v)) for v in variants}
    assert len(slugs) == 1 and None not in slugs, f"{variants} resolve to {slugs}"
    slug = slugs.pop()
    page = real_site.page(f"{kind}/{slug}/index.html").find("main").get_text()
    assert all(normalise_space(v) in normalise_space(page) for v in variants), "every spelling is shown on the page"
    others = [f for f in real_site.html_files() if f.startswith(f"{kind}/") and f != f"{kind}/{slug}/index.html"
              and f != f"{kind}/index.html"]
    for other in others:
        heading = normalise_space(real_site.page(other).find("h1").get_text())
        assert heading not in {normalise_space(v) for v in variants}, f"{other} is a second page for {variants}"


SUBSTITUTIONS = {  # statement file stem -> (front-matter text, the same entity by another of its names)
    "2023-02-26-khojaly-genocide-commemoration-moscow-tolerance-center": [
        ("Sergey Markov", "Sergei Markov"), ("Grigory Trofimchuk", "Grigoriy Trofimchuk"),
        ("Azerbaijani Youth Union of Russia]", "AMOR]"), ("Abram Ixiilov", "Abram Ikhiilov")],
    "2023-12-27-russian-community-supports-ilham-aliyev-candidacy": [
        ("organisations: [Russian Community of Azerbaijan]", "organisations: [Russian Community in Azerbaijan]")],
    "2016-12-28-ali-hasanov-all-russian-azerbaijani-congress-moscow-meeting": [
        ("Azerbaijani Youth Organization of Russia", "RAGB")],
}


def test_naming_an_entity_by_another_spelling_changes_no_page(real_site, real_project_copy, tmp_path):
    """The same content with names swapped for their aliases lists the same statements on the same pages."""
    for stem, swaps in SUBSTITUTIONS.items():
        path = real_project_copy / "content" / "statements" / f"{stem}.md"
        if not path.exists():
            pytest.skip(f"{path.name} is no longer in content/")
        text = path.read_text(encoding="utf-8")
        head, body = text.split("\n---\n", 1)
        for old, new in swaps:
            assert old in head, f"{path.name}: expected '{old}' in the front matter"
            head = head.replace(old, new)
        path.write_text(head + "\n---\n" + body, encoding="utf-8")
    swapped = build_real(real_project_copy, tmp_path / "public")
    entity_pages = [f for f in real_site.html_files() if f.split("/")[0] in KINDS and f.count("/") == 2]
    assert [f for f in swapped.html_files() if f.split("/")[0] in KINDS and f.count("/") == 2] == entity_pages
    for page in entity_pages:
        assert swapped.main_statement_links(page) == real_site.main_statement_links(page), page


def test_the_year_pages_of_an_entity_list_every_statement_of_its_page(real_site, split_site):
    """With a low entity_page_limit, an entity's statements are spread over its year pages: together
    they list exactly what its single page lists without the limit, each year's in that year."""
    split = 0
    for page in [f for f in real_site.html_files() if f.split("/")[0] in KINDS and f.count("/") == 2]:
        years = [l.target for l in split_site.links(page)
                 if l.internal and re.fullmatch(re.escape(page.removesuffix("index.html")) + r"\d{4}/index\.html", l.target)]
        if not years:
            assert split_site.main_statement_links(page) == real_site.main_statement_links(page), page
            continue
        split += 1
        spread = [f for year in years for f in split_site.main_statement_links(year)]
        assert spread == real_site.main_statement_links(page), page
        for year in years:
            assert all(f.startswith("statements/" + year.split("/")[-2] + "/") for f in split_site.main_statement_links(year))
    assert split >= 3, "the limit of 1 should give several entities year pages"


# --- links -----------------------------------------------------------------------------------

@pytest.mark.parametrize("site_fixture", SITE_FIXTURES)
def test_every_internal_link_and_anchor_resolves(request, site_fixture):
    site: BuiltSite = request.getfixturevalue(site_fixture)
    broken = []
    for page in site.html_files():
        for link in site.links(page):
            if not link.internal:
                continue
            if not link.target or not site.exists(link.target):
                broken.append(f"{page}: {link.href} (no such file)")
            elif link.fragment and link.fragment not in site.ids(link.target):
                broken.append(f"{page}: {link.href} (no element with id '{link.fragment}')")
    assert not broken, "\n".join(broken[:50])


@pytest.mark.parametrize("site_fixture", ["archive_site", "absolute_archive_site"])
def test_no_internal_link_escapes_the_sub_path(request, site_fixture):
    site: BuiltSite = request.getfixturevalue(site_fixture)
    assert site.base_path == "/archive/"
    escaping = [f"{page}: {link.href}" for page in site.html_files() for link in site.links(page)
                if link.internal and not link.path.startswith("/archive/")]
    assert not escaping, "\n".join(escaping[:50])
    pages = site.html_files()
    assert any(link.internal for page in pages for link in site.links(page)), "the check saw no internal links"


def test_the_404_page_exists_and_its_links_work_from_any_address(real_site, archive_site):
    for site in (real_site, archive_site):
        assert site.exists("404.html")
        page = site.page("404.html")
        assert page.find("h1") is not None
        for link in site.links("404.html"):
            # 404.html is served for any missing address, so a relative link would break.
            assert link.href.startswith(("/", "#", "http://", "https://")), link.href


# --- every page ------------------------------------------------------------------------------

@pytest.mark.parametrize("site_fixture", ["real_site", "archive_site", "split_site"])
def test_every_page_has_one_h1_a_language_unique_ids_and_a_skip_link(request, site_fixture):
    site: BuiltSite = request.getfixturevalue(site_fixture)
    problems = []
    for page in site.html_files():
        soup = site.page(page)
        if len(soup.find_all("h1")) != 1:
            problems.append(f"{page}: {len(soup.find_all('h1'))} h1 elements")
        if not (soup.html and soup.html.get("lang")):
            problems.append(f"{page}: <html> has no lang")
        if not (soup.title and soup.title.get_text(strip=True)):
            problems.append(f"{page}: no <title>")
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        if len(ids) != len(set(ids)):
            problems.append(f"{page}: ids used twice: {sorted({i for i in ids if ids.count(i) > 1})}")
        if site.is_redirect(page):
            continue  # a redirect stub has nothing to skip
        first_link = soup.body.find("a", href=True)
        link = site.resolve(page, first_link["href"]) if first_link else None
        if not (link and link.target == page and link.fragment and link.fragment in site.ids(page)):
            problems.append(f"{page}: the first link is not a skip link to the main content")
    assert not problems, "\n".join(problems[:50])


def test_home_timeline_and_lists_reach_every_page(real_site, statements, registry):
    home = real_site.main_statement_links("index.html")
    newest = sorted(statements, key=lambda s: (s.date, s.site_path), reverse=True)
    assert home[: len(newest)] == [s.file for s in newest][: len(home)], "home page: latest statements, newest first"
    years = [l.target for l in real_site.links("timeline/index.html")
             if l.internal and re.fullmatch(r"timeline/\d{4}/index\.html", l.target) and not l.fragment]
    assert years == sorted({f"timeline/{s.date.year}/index.html" for s in statements}, reverse=True), \
        "timeline: a page for each year with statements, newest first"
    timeline = [f for year in years for f in real_site.main_statement_links(year)]
    assert sorted(timeline) == sorted(s.file for s in statements)
    assert [listed_date(f) for f in timeline] == sorted((listed_date(f) for f in timeline), reverse=True)
    for kind in KINDS:
        listed = {l.target for l in real_site.links(f"{kind}/index.html") if l.internal}
        missing = {f"{kind}/{slug}/index.html" for slug in registry[kind].values()} - listed
        assert not missing, f"{kind}/ list page does not link {missing}"
    ways = {a.strong.get_text(): a.span.get_text() for a in real_site.page("index.html").select(".ways-in a")}
    people = len(set(registry["people"].values()))
    assert ways["People"] == (f"{people} people" if people != 1 else "1 person"), \
        "a way in says what it counts: a screen reader read \"People 17\""
    assert ways["Timeline"].endswith(" statements by year and month") and all(
        re.fullmatch(r"(1 \w+|[\d,]+ \w+)", count) for title, count in ways.items() if title != "Timeline"), ways


# --- reproducible output ---------------------------------------------------------------------

def cli_build(project: Path, output: Path, hash_seed: str, epoch: str) -> None:
    env = subprocess_env(PYTHONHASHSEED=hash_seed, SOURCE_DATE_EPOCH=epoch)
    done = subprocess.run([sys.executable, "build.py", "--output", str(output)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical_whatever_the_hash_seed_and_build_date(real_project, real_site, tmp_path):
    """Sets and dicts ordered by hash, or a printed build date, would make these differ.

    The session's build ran in this process, with its own random hash seed and today's date.
    """
    cli_build(real_project, tmp_path / "other", hash_seed="4242", epoch="86400")  # 2 January 1970
    other, session = tree(tmp_path / "other"), tree(real_site.output)
    assert sorted(other) == sorted(session)
    differing = [name for name in other if other[name] != session[name]]
    assert not differing, differing


# --- redirects from old addresses -------------------------------------------------------------

def add_front_matter(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    path.write_text("---\n" + lines + text[4:], encoding="utf-8")


def test_a_withdrawn_statement_keeps_its_address_and_says_why_wherever_it_is_shown(real_project_copy, tmp_path):
    """Deleting the file would break every link and citation to it; withdrawing it keeps them, and tells."""
    path = real_project_copy / "content" / "statements" / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    reason = "The outlet retracted the report"  # no full stop: the page adds one before its next sentence
    add_front_matter(path, f"withdrawn: {{date: 2026-12-07, reason: \"{reason}\"}}\n")  # it has a correction of 12-05
    site = build_real(real_project_copy, tmp_path / "public", "/")
    page = "statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/index.html"
    notice = site.page(page).select_one("article .withdrawn-notice")
    assert notice.find("time")["datetime"] == "2026-12-07" and f"{reason}. The record is kept" in notice.get_text()
    assert site.page(page).select_one('[data-pagefind-meta="type"]').get_text() == "Withdrawn statement"  # on results
    later = site.page("statements/2025/06/30/ngo-forum-condemns-violence-against-azerbaijanis-in-russia/index.html")
    assert normalise_space(later.select_one('a[rel="prev"]').get_text()).startswith("Earlier Withdrawn: Maria Zakharova")
    corrected = site.page(page).find("dt", string="Corrected").find_next_sibling("dd").time
    assert corrected["datetime"] == "2026-12-05"  # the latest correction, not the withdrawal
    assert site.page(page).find(id="p1") is not None  # the record stays, as it was
    for listing in ("index.html", "timeline/2025/index.html", "people/maria-zakharova/index.html"):
        titles = [normalise_space(h.get_text()) for h in site.page(listing).select(".card-title")
                  if h.a["href"].rstrip("/").endswith("victory-day-visits")]
        assert titles and all(t.startswith("Withdrawn: ") for t in titles), listing
    # Her quotations on her page say whose record they come from is withdrawn, and so does the citation to copy.
    quoted = [normalise_space(li.select_one(".who").get_text())
              for li in site.page("people/maria-zakharova/index.html").select("ul.quotes li")]
    assert quoted and all(w.startswith("Withdrawn: ") for w in quoted)
    citation = site.page(page).select_one("#citation-text").get_text()
    # As the citation files give it: the date as pages give dates, and the reason.
    assert f"Reported by Vestnik Kavkaza. Withdrawn by the archive's editors on 7 December 2026: {reason}" in citation
    record = json.loads((site.output / page.replace("index.html", "statement.json")).read_text(encoding="utf-8"))
    assert record["withdrawn"] == {"date": "2026-12-07", "reason": reason}
    rows = {r["url"]: r for r in csv.DictReader(io.StringIO((site.output / "data/statements.csv").read_text(encoding="utf-8"),
                                                              newline=""))}
    assert rows[record["url"]]["withdrawn"] == "2026-12-07"
    assert sum(bool(r["withdrawn"]) for r in rows.values()) == 1
    folder = site.output / page.replace("index.html", "")
    withdrawal = f"withdrawn by the archive's editors on 7 December 2026: {reason}"
    assert withdrawal in (folder / "statement.ris").read_text(encoding="utf-8")
    csl = json.loads((folder / "statement.csl.json").read_text(encoding="utf-8"))[0]
    assert withdrawal in csl["note"] and "status" not in csl
    feed = (site.output / "people/maria-zakharova/feed.xml").read_text(encoding="utf-8")
    assert "Withdrawn by the archive's editors on 7 December 2026:" in feed
    latest = site.page("corrections/index.html").select_one("ul.changes li")  # the newest change of the archive
    assert latest.find("time")["datetime"] == "2026-12-07" and latest.strong.get_text() == "Withdrawn"
    assert latest.select_one(".card-title a")["href"] == "/" + page.replace("index.html", "")
    assert normalise_space(latest.find_all("p")[-1].get_text()) == f"{reason}."


@pytest.mark.parametrize("base_url", ["/", "/archive/"])
def test_aliases_in_front_matter_produce_redirect_pages(real_project_copy, tmp_path, base_url):
    path = markdown_files(real_project_copy / "content" / "statements")[0]
    meta, _ = read_content_file(path)
    old_slug = "an-old-address"
    # Rename the statement (new slug) and keep both earlier addresses working.
    previous = f"/statements/{meta['date']:%Y/%m/%d}/{re.sub(r'^[0-9-]{11}', '', path.stem)}/"
    add_front_matter(path, f"slug: a-new-address\naliases: [{previous}, /statements/2001/02/03/{old_slug}, "
                           "/statements/2001/02/03/a-page.html]\ntitle_note: \"The editors' title, for the test.\"\n")
    site = build_real(real_project_copy, tmp_path / "public", base_url)
    # An editors' title is bracketed on the page that redirects too, as in the tab of the page it leads to.
    assert site.page(f"statements/2001/02/03/{old_slug}/index.html").title.get_text() == f"Moved: [{meta['title']}]"
    target = f"statements/{meta['date']:%Y/%m/%d}/a-new-address/index.html"
    assert site.exists(target)
    # An old page of another site's shape ("a-page.html") redirects too; the statement's files are kept beside
    # its old folders only, never as "a-page.htmlstatement.json".
    assert site.is_redirect("statements/2001/02/03/a-page.html")
    assert sorted(f for f in site.files() if f.startswith("statements/2001/")) == sorted(
        [f"statements/2001/02/03/{old_slug}/{name}" for name in ("index.html", "statement.bib", "statement.csl.json",
                                                                 "statement.json", "statement.ris")]
        + ["statements/2001/02/03/a-page.html"]
        # Its folders of a month and a year too: no statement is of 2001, so they lead to the timeline.
        + ["statements/2001/02/index.html", "statements/2001/index.html"])
    for folder in ("statements/2001/02/", "statements/2001/"):
        assert site.is_redirect(folder + "index.html")
        assert {link.target for link in site.links(folder + "index.html") if link.internal} == {"timeline/index.html"}
    for old in (previous.strip("/") + "/index.html", f"statements/2001/02/03/{old_slug}/index.html"):
        assert site.exists(old), f"no redirect page at /{old}"
        assert site.is_redirect(old)
        pointed = {link.target for link in site.links(old) if link.internal}
        assert target in pointed, f"/{old} points to {pointed}"
        assert all(link.path.startswith(site.base_path) for link in site.links(old) if link.internal)
        # It describes no page of its own: JSON-LD here had named a second WebPage like the statement's.
        assert site.page(old).find("script", type="application/ld+json") is None


@pytest.mark.parametrize("base_url", ["/", "/archive/"])
def test_an_entitys_old_urls_redirect_to_its_page_after_its_file_is_renamed(real_project_copy, tmp_path, base_url):
    people = real_project_copy / "content" / "people"
    renamed = people / "maria-zakharova-spokeswoman.md"
    (people / "maria-zakharova.md").rename(renamed)  # the page moves to the new file name
    add_front_matter(renamed, "old_urls: [/people/maria-zakharova/, /people/m-zakharova]\n")
    site = build_real(real_project_copy, tmp_path / "public", base_url)
    target = "people/maria-zakharova-spokeswoman/index.html"
    assert site.exists(target) and not site.is_redirect(target)
    for old in ("people/maria-zakharova/index.html", "people/m-zakharova/index.html"):
        assert site.is_redirect(old), f"no redirect page at /{old}"
        pointed = {link.target for link in site.links(old) if link.internal}
        assert pointed == {target}, f"/{old} points to {pointed}"
        assert all(link.path.startswith(site.base_path) for link in site.links(old) if link.internal)
    people_data = json.loads((site.output / "data" / "people.json").read_text(encoding="utf-8"))
    record = next(p for p in people_data if p["slug"] == "maria-zakharova-spokeswoman")
    assert [urlsplit(u).path for u in record["old_urls"]] == [f"{site.base_path}people/maria-zakharova/",
                                                             f"{site.base_path}people/m-zakharova/"]
    feed = (site.output / "people" / "maria-zakharova-spokeswoman" / "feed.xml").read_bytes()
    assert b"<entry>" in feed
    for old in ("people/maria-zakharova/feed.xml", "people/m-zakharova/feed.xml"):  # subscriptions keep working
        assert (site.output / old).read_bytes() == feed
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "people/maria-zakharova-spokeswoman/" in sitemap
    assert "people/maria-zakharova/" not in sitemap  # a redirect is no page of its own


# --- faithful text ---------------------------------------------------------------------------

# Page furniture the scraper kept around the articles; none of it is the article's text.
TIMESTAMP = r"(\d{1,2}:\d{2} \d{1,2} [A-Z][a-z]+|\d{1,2} [A-Z][a-z]+\.?( \d{4})? \d{1,2}:\d{2}( \([^)]*\))?)"
SCRAPER_DATE = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}\s*")
FURNITURE_LINES = [re.compile(p) for p in (rf"^{TIMESTAMP}$", r"^-{3,}$", r"^Follow us on ", r"^/ \d{1,2} [A-Z][a-z]+, \d{4}$")]
TRAILING_SECTIONS = re.compile(r"^Related news releases$")  # this line and everything after it
BYLINE = re.compile(r"^(?P<name>.+?) Read more$")


@dataclass
class Seed:
    name: str
    fragments: list  # the article's paragraphs as the page split them, furniture removed
    headline: str = ""
    byline: str = ""


def read_seed(path: Path) -> Seed:
    seed = Seed(path.name, [])
    for chunk in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [normalise_space(SCRAPER_DATE.sub("", line)) for line in chunk.split("\n")]
        chunk = " ".join(line for line in lines if line and not any(p.match(line) for p in FURNITURE_LINES))
        if not chunk:
            continue
        if TRAILING_SECTIONS.match(chunk):
            break
        if match := BYLINE.match(chunk):
            seed.byline = match.group("name")
            continue
        seed.fragments.append(chunk)
    return seed


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_statement_texts_are_faithful_to_the_seed_articles(real_site, statements):
    """Every paragraph of each seed appears, in order and word for word, and the text adds nothing."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not beside the repository ({SEEDS.parent.name}/{SEEDS.name} absent)")
    seeds = [read_seed(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert seeds, "no seed articles found"
    texts = {s.file: normalise_space(" ".join(paragraph_text(p) for p in real_site.paragraphs(s.file))) for s in statements}
    titles = {s.file: normalise_space(s.meta["title"]) for s in statements}
    authors = {s.file: s.meta.get("author", "") for s in statements}
    matched = {}
    for seed in seeds:
        # The statement holding most of this seed's paragraphs is the one made from it.
        best = max(texts, key=lambda f: sum(fragment in texts[f] for fragment in seed.fragments))
        fragments = seed.fragments
        if fragments and fragments[0] == titles[best] and fragments[0] not in texts[best]:
            fragments = fragments[1:]  # the headline became the title
        assert best not in matched, f"{seed.name} and {matched.get(best)} both look like {best}"
        matched[best] = seed.name
        position = 0
        for fragment in fragments:
            found = texts[best].find(fragment, position)
            assert found >= 0, f"{seed.name}: not in {best} (or out of order): {fragment[:120]!r}"
            position = found + len(fragment)
        assert squeeze(texts[best]) == squeeze("".join(fragments)), (
            f"{best}: the text has words that are not in {seed.name}")
        if seed.byline:
            assert authors[best] == seed.byline, f"{best}: the article's byline is {seed.byline!r}"


def test_other_names_in_russian_or_azerbaijani_are_marked_with_their_language(real_site):
    """So that a screen reader says "Мария Захарова" in Russian and "Əli Həsənov" in Azerbaijani."""
    zakharova = real_site.page("people/maria-zakharova/index.html")
    assert {a.get_text(): a.get("lang") for a in zakharova.select("span.alias")}["Мария Захарова"] == "ru"
    hasanov = real_site.page("people/ali-hasanov/index.html")
    langs = {a.get_text(): a.get("lang") for a in hasanov.select("span.alias")}
    assert langs["Əli Həsənov"] == "az" and langs["Hasanov"] is None
    listed = real_site.page("people/index.html").find("span", string="Али Гасанов")
    assert listed is not None and listed.get("lang") == "ru"
    dotted = real_site.page("people/index.html").find("span", string="Nazim İbrahimov")  # its one mark is İ
    assert dotted is not None and dotted.get("lang") == "az"


def test_the_events_list_is_a_calendar_newest_first_with_each_event_s_date(real_site):
    items = real_site.page("events/index.html").select("ul.entity-list > li")
    dates = [li.find("time")["datetime"] for li in items]
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
    assert items[0].get_text().startswith("20 March 2025: ")


def test_organisations_and_places_link_to_the_events_they_organised_or_held(real_site):
    """An event's page names its organisers and place; their pages name the event back, so that a reader goes from
    the Foreign Ministry to its briefing without a statement in between; and so do the places that place is located
    in, saying at which place in them it was held. Every such link is one an event gives."""

    def facts(rel: str, label: str) -> set[str]:
        term = real_site.page(rel).find("dt", string=label)
        if term is None:
            return set()
        return {real_site.resolve(rel, a["href"]).target for a in term.find_next_sibling("dd").find_all("a")}

    def events(rel: str, label: str) -> set[str]:
        section = real_site.page(rel).find("section", attrs={"aria-labelledby": "events"})
        if section is None:
            return set()
        assert section.h2.get_text() == f"{label} ({len(section.find_all('li'))})"
        dates = [li.time["datetime"] for li in section.find_all("li")]
        assert dates == sorted(dates, reverse=True), "newest first"
        found = set()
        for li in section.find_all("li"):
            event, *venue = [real_site.resolve(rel, a["href"]).target for a in li.find_all("a")]
            # "(at the Radisson Royal Hotel)" on Moscow's page: the event's own place, which is in this one
            assert venue == ([p for p in facts(event, "Place") if p != rel] if rel.startswith("places/") else [])
            assert all(rel in facts(v, "Located in") for v in venue)
            found.add(event)
        return found

    given, listed = set(), set()
    for rel in real_site.html_files():
        if re.fullmatch(r"events/[^/]+/index\.html", rel):
            places = facts(rel, "Place")
            places |= {outer for place in places for outer in facts(place, "Located in")}
            given |= {(target, rel) for target in facts(rel, "Organisers") | places}
        elif re.fullmatch(r"(organisations|places)/[^/]+/index\.html", rel):
            label = "Events it organised" if rel.startswith("organisations/") else "Events held here"
            listed |= {(rel, event) for event in events(rel, label)}
    assert len(given) >= 6 and listed == given
    assert ("organisations/russian-foreign-ministry/index.html",
            "events/russian-foreign-ministry-briefing-2025-03-20/index.html") in listed
    assert ("places/moscow/index.html",
            "events/all-russian-azerbaijani-congress-4th-meeting-2016/index.html") in listed  # at a hotel in Moscow


def test_a_place_lists_the_places_in_it_and_each_says_where_it_is(real_site):
    """"Places in Moscow" lists each place whose entry is `within: Moscow`, and each of those says it is located in
    Moscow, first, and then in the places Moscow is within: the two pages link both ways. Its JSON-LD says so too
    (schema.org's containedInPlace)."""
    within, located = set(), set()
    for rel in real_site.html_files():
        if not re.fullmatch(r"places/[^/]+/index\.html", rel):
            continue
        page = real_site.page(rel)
        section = page.find("section", attrs={"aria-labelledby": "places-in"})
        if section is not None:
            within |= {(real_site.resolve(rel, a["href"]).target, rel) for a in section.find_all("a")}
        term = page.find("dt", string="Located in")
        if term is not None:
            chain = [real_site.resolve(rel, a["href"]).target for a in term.find_next_sibling("dd").find_all("a")]
            located.add((rel, chain[0]))
            if rel == "places/radisson-royal-hotel-moscow/index.html":
                assert chain == ["places/moscow/index.html", "places/russia/index.html"]
    assert within == located and ("places/radisson-royal-hotel-moscow/index.html", "places/moscow/index.html") in within
    assert ("places/moscow/index.html", "places/russia/index.html") in within
    hotel = real_site.page("places/radisson-royal-hotel-moscow/index.html")
    data = json.loads(hotel.find("script", type="application/ld+json").string)
    assert data["containedInPlace"]["name"] == "Moscow"


def test_every_page_links_to_the_account_of_how_the_archive_keeps_its_records(real_site):
    about = real_site.page("about/index.html")
    assert about.find("h1").get_text() == "About this archive"
    headings = [h.get_text() for h in about.select("main h2")]
    assert headings == ["What a statement is here", "The text, as published", "Who said what",
                        "Corrections and withdrawals", "Citing and linking", "More"]
    for page in ("index.html", "people/maria-zakharova/index.html", "404.html",
                 "statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/index.html"):
        footer = real_site.page(page).find("footer")
        assert footer.find("a", string="About this archive")["href"] == "/about/", page
