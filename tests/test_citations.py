"""Citations in BibTeX, RIS and CSL-JSON: right fields, special characters escaped, files beside each statement."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re

from statement_archive.citations import FORMATS, Work, bibtex, bibtex_escape, csl_json, page_meta, ris
from statement_archive.entities import NameParts

WORK = Work(
    key="2025-03-20-a-statement",
    title='Rates rise 5% & {braces} _under_ #1 "quoted"',
    date=dt.date(2025, 3, 20),
    people=(NameParts("Zakharova", "Maria"), NameParts("Марков", "Сергей")),
    organisations=(),
    permalink="https://example.org/statements/2025/03/20/a-statement/",
    archive="Statements archive",
    summary="Line one\nline two.",
    reporter="A. Writer, Vestnik Kavkaza",
    source_url="https://vestnikkavkaza.net/news/a_b%20c.html",
)


def braces_balance(text: str) -> bool:
    """As BibTeX counts them: every brace, a backslash before it or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_escapes_specials_and_keeps_braces_balanced():
    assert bibtex_escape("5% & _x_ #1 $ ^ ~ \\") == r"5\% \& \_x\_ \#1 \$ \textasciicircum{} \textasciitilde{} \textbackslash{}"
    entry = bibtex(WORK)
    assert entry.startswith("@misc{2025-03-20-a-statement,\n") and entry.endswith("}\n")
    assert braces_balance(entry)
    assert r"title = {{Rates rise 5\% \& \textbraceleft{}braces\textbraceright{} \_under\_ \#1 " in entry
    assert "author = {Zakharova, Maria and Марков, Сергей}" in entry  # family names never guessed
    assert "year = {2025}" in entry and "month = mar," in entry and "date = {2025-03-20}" in entry
    assert "url = {https://example.org/statements/2025/03/20/a-statement/}" in entry
    assert "howpublished = {Reported by A. Writer, Vestnik Kavkaza}" in entry
    assert r"note = {Original report: https://vestnikkavkaza.net/news/a\_b\%20c.html; archived in Statements archive}" in entry
    assert "langid = {english}" in entry and "day = " not in entry  # biblatex's names; `day` is no field of it
    fields = re.findall(r"^  (\w+) = ", entry, re.M)
    assert len(fields) == len(set(fields))


def test_a_lone_brace_leaves_every_field_of_the_bibtex_entry_whole():
    # BibTeX reads a field to its matching brace: an unmatched one, escaped as \} or not, cut the entry short
    # (bibtex and biber kept author and title and lost the rest) or ran on into the next entry.
    for title in ("Ministry answers :-} critics", "A { too many", "}{"):
        entry = bibtex(dataclasses.replace(WORK, title=title, reporter="Writer}, Trend{"))
        assert braces_balance(entry), entry
        fields = re.findall(r"^  (\w+) = ", entry, re.M)
        assert fields == ["author", "title", "howpublished", "year", "month", "date", "url", "note", "langid"]
        assert r"\textbraceright{}" in entry and r"\textbraceleft{}" in entry and r"\{" not in entry and r"\}" not in entry


def bibtex_names(entry: str) -> list[str]:
    """The author field's names as BibTeX parts them: at each " and " outside braces."""
    field = re.search(r"^  author = \{(.*)\},?$", entry, re.M).group(1)
    names, depth, start = [], 0, 0
    for at, char in enumerate(field):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and field[at:at + 5].lower() == " and ":
            names.append(field[start:at])
            start = at + 5
    return names + [field[start:]]


def test_a_person_s_name_holding_and_or_a_comma_stays_one_bibtex_author():
    """"Smith and Jones" had been two authors to BibTeX, and a comma in a part a third part of a name."""
    entry = bibtex(dataclasses.replace(WORK, people=(NameParts("Jones", "Smith and"),
                                                     NameParts("King, Jr.", "Martin Luther"),
                                                     NameParts("Zakharova", "Maria"))))
    assert bibtex_names(entry) == ["Jones, {Smith and}",
                                   "{King, Jr.}, Martin Luther", "Zakharova, Maria"]
    assert braces_balance(entry)


def test_a_family_name_of_two_words_beginning_outside_ascii_is_braced_for_bibtex():
    """Classic bibtex reads bytes, and a word beginning with Ə or Ö as lower case: "Əli oğlu, Vəli" had been read with
    the family name "oğlu" after a "von" part "Əli". One beginning in ASCII (Bülbül oğlu) is read whole as it is, and
    a lower-case particle (von der) must stay one."""
    entry = bibtex(dataclasses.replace(WORK, people=(NameParts("Əli oğlu", "Vəli"), NameParts("Bülbül oğlu", "Polad"),
                                                     NameParts("von der Leyen", "Ursula"),
                                                     NameParts("Ömərov", "Kamal"))))
    assert bibtex_names(entry) == ["{Əli oğlu}, Vəli", "Bülbül oğlu, Polad", "von der Leyen, Ursula", "Ömərov, Kamal"]
    assert braces_balance(entry)


def test_a_name_s_suffix_follows_the_family_name_in_each_format():
    """"Martin Luther King, Jr." had been cited as family name "Jr." and given names "Martin Luther King,"."""
    work = dataclasses.replace(WORK, people=(NameParts("King", "Martin Luther", "Jr."),))
    assert bibtex_names(bibtex(work)) == ["King, Jr., Martin Luther"]  # BibTeX's "von Last, Jr, First"
    assert "AU  - King, Martin Luther, Jr.\r\n" in ris(work)  # RIS's "Last, First, Suffix"
    (item,) = json.loads(csl_json(work))
    assert item["author"] == [{"family": "King", "given": "Martin Luther", "suffix": "Jr."}]


def test_bibtex_keeps_an_organisation_author_whole():
    entry = bibtex(Work(**{**WORK.__dict__, "people": (), "organisations": ("Russian Foreign Ministry",), "source_url": ""}))
    assert "author = {{Russian Foreign Ministry}}" in entry
    assert "note = {Archived in Statements archive}" in entry
    (item,) = json.loads(csl_json(Work(**{**WORK.__dict__, "people": (NameParts("Madonna", ""),)})))
    assert item["author"] == [{"family": "Madonna"}]


def test_ris_has_one_tag_per_line_crlf_and_ends_with_er():
    text = ris(WORK)
    lines = text.split("\r\n")
    assert lines[0] == "TY  - ELEC" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert "\n" not in text.replace("\r\n", "")
    assert "AU  - Zakharova, Maria" in lines and "AU  - Марков, Сергей" in lines
    assert "N1  - Reported by A. Writer, Vestnik Kavkaza; original report: https://vestnikkavkaza.net/news/a_b%20c.html" in lines
    assert "DA  - 2025/03/20/" in lines and "T2  - Statements archive" in lines  # the website: the archive
    assert not [line for line in lines if line.startswith(("T2  - Vestnik", "JO", "JF"))]  # no newspaper: the outlet is in N1
    assert "AB  - Line one line two." in lines  # a field never spans lines


def test_csl_json_is_one_item_that_citeproc_can_read():
    (item,) = json.loads(csl_json(WORK))
    assert item["type"] == "webpage"  # the speakers did not write the outlet's report
    assert item["title"] == WORK.title
    assert item["issued"] == {"date-parts": [[2025, 3, 20]]}
    assert item["author"] == [{"family": "Zakharova", "given": "Maria"}, {"family": "Марков", "given": "Сергей"}]
    assert item["note"] == "Reported by A. Writer, Vestnik Kavkaza; original report: " + WORK.source_url
    assert item["container-title"] == "Statements archive" and item["URL"] == WORK.permalink


def test_a_withdrawn_statement_s_csl_item_gives_its_withdrawal_in_the_note_only():
    """Not as CSL's "status": Chicago's style prints a status before the date, which then reads as the withdrawal's."""
    withdrawal = "withdrawn by the archive's editors on 7 December 2026: retracted by the outlet"
    (item,) = json.loads(csl_json(dataclasses.replace(WORK, withdrawn=withdrawal)))
    assert item["note"].endswith("; " + withdrawal) and "status" not in item
    assert set(item) == set(json.loads(csl_json(WORK))[0])


def test_every_statement_page_offers_the_three_files_and_they_exist(real_site):
    statement_pages = [f for f in real_site.html_files()
                       if re.fullmatch(r"statements/\d{4}/\d\d/\d\d/[^/]+/index\.html", f) and not real_site.is_redirect(f)]
    assert statement_pages
    for page in statement_pages:
        folder = page.removesuffix("index.html")
        downloads = real_site.page(page).select(".downloads a[download]")
        assert [a.get_text() for a in downloads] == [label for _, label, _ in FORMATS]
        for (name, _, mime), link in zip(FORMATS, downloads):
            assert real_site.resolve(page, link["href"]).target == folder + name
            assert link["type"] == mime and link["download"].endswith(name.removeprefix("statement"))
            assert real_site.exists(folder + name)
        permalink = real_site.url_of(page)
        assert permalink in (real_site.output / folder / "statement.bib").read_text(encoding="utf-8")
        assert json.loads((real_site.output / folder / "statement.csl.json").read_text(encoding="utf-8"))[0]["URL"] == permalink
        plain = real_site.page(page).find(id="citation-text").get_text()
        assert permalink in plain


def test_an_editors_title_is_cited_in_brackets_and_a_byline_is_named(real_project, real_site):
    """A title the editors supplied (it has a title_note) must not be quoted as the outlet's headline."""
    import frontmatter

    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    entries = {e.find(f"{atom}link").get("href"): e.find(f"{atom}title").text
               for e in ET.parse(real_site.output / "feed.xml").getroot().iter(f"{atom}entry")}
    checked = set()
    for path in sorted((real_project / "content" / "statements").glob("*.md")):
        meta = frontmatter.load(path).metadata
        date = meta["date"]
        (folder,) = [p.parent.relative_to(real_site.output) for p in
                     (real_site.output / f"statements/{date:%Y/%m/%d}").glob("*/statement.ris")
                     if p.parent.name in path.stem]
        page = real_site.page(f"{folder}/index.html")
        plain = page.find(id="citation-text").get_text()
        # The tab, link previews and the feed give the title as the citation does.
        shown = {page.title.get_text().split(" · ")[0], page.find("meta", property="og:title")["content"],
                 page.find("meta", attrs={"name": "twitter:title"})["content"]}
        shown.add(entries[real_site.url_of(f"{folder}/index.html")])
        ris_title = re.search(r"^TI  - (.*?)\r?$", (real_site.output / folder / "statement.ris").read_text(encoding="utf-8"), re.M)
        csl_title = without_nocase(json.loads((real_site.output / folder / "statement.csl.json").read_text("utf-8"))[0]["title"])
        assert shown == {f"[{meta['title']}]" if meta.get("title_note") else meta["title"]}
        if meta.get("title_note"):
            assert f"[{meta['title']}]." in plain and f'"{meta["title"]}' not in plain
            assert ris_title.group(1) == csl_title == f"[{meta['title']}]"
            checked.add("supplied")
        else:
            assert f'"{meta["title"]}."' in plain and ris_title.group(1) == csl_title == meta["title"]
            checked.add("published")
        reporter = re.search(r"Reported by (.*?)\. ", plain).group(1)  # the files name whom the page's citation names
        files = {name: (real_site.output / folder / name).read_text(encoding="utf-8") for name, _, _ in FORMATS}
        assert f"howpublished = {{Reported by {reporter}}}" in files["statement.bib"]
        assert f"N1  - Reported by {reporter}" in files["statement.ris"]
        assert json.loads(files["statement.csl.json"])[0]["note"].startswith(f"Reported by {reporter}")
        if meta.get("source_url"):
            assert all(meta["source_url"] in text for name, text in files.items() if name != "statement.bib")
        if meta.get("author"):
            assert reporter.startswith(f"{meta['author']}, ")
            checked.add("byline")
    assert checked == {"supplied", "published", "byline"}


def test_a_long_slug_saves_under_a_name_a_disk_takes_and_no_other_statement_s(project):
    """An editor may give a slug of up to 255 letters (the address keeps it); the saved file's name is cut at a word,
    with a few letters of the slug's hash, as two statements of a day may have slugs that begin alike."""
    from bs4 import BeautifulSoup

    project.entity("outlets", "apa", name="APA")
    slugs = ["-".join(["word"] * 50), "-".join(["word"] * 49 + ["other"])]  # 249 and 250 letters
    for number, slug in enumerate(slugs):
        project.statement(f"2025-03-20-long-{number}", slug=slug)
    assert project.build().ok
    names = []
    for slug in slugs:
        page = project.root / "public" / f"statements/2025/03/20/{slug}/index.html"
        found = [a["download"] for a in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
                 .select(".downloads a[download]")]
        assert [name.rsplit(".", 1)[0].removesuffix(".csl") for name in found] == [found[0].removesuffix(".bib")] * 3
        assert found[0].startswith("2025-03-20-word-word-") and len(found[0].encode()) < 150
        names.append(found[0])
    assert names[0] != names[1]
    short = project.root / "content/statements/2025-03-20-long-0.md"
    short.write_text(short.read_text(encoding="utf-8").replace(slugs[0], "a-short-slug"), encoding="utf-8")
    assert project.build().ok
    page = project.root / "public/statements/2025/03/20/a-short-slug/index.html"
    assert 'download="2025-03-20-a-short-slug.bib"' in page.read_text(encoding="utf-8")


# What Zotero's browser connector makes of a page's <meta> tags, by its "Embedded Metadata" translator
# (zotero/translators: "Embedded Metadata.js", and "RDF.js", which reads DC.* and og:* for it) and
# Zotero.Utilities.cleanAuthor (zotero/utilities), for the kinds of tags and names this site writes. Not modelled:
# the initials cleanAuthor dots, and the case fixCase gives a name written all in lower or upper case.
ZOTERO_HIGHWIRE_TYPES = {"citation_journal_title": "journalArticle", "citation_technical_report_institution": "report",
                         "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
                         "citation_book_title": "bookSection", "citation_inbook_title": "bookSection",
                         "citation_dissertation_institution": "thesis"}
ZOTERO_ITEM_TYPES = {"webpage", "journalArticle", "newspaperArticle", "magazineArticle", "blogPost", "report", "book"}


def zotero_clean_author(name: str, use_comma: bool) -> tuple[str, str]:
    """(lastName, firstName) as Zotero.Utilities.cleanAuthor parts a name."""
    name = re.sub(r"[\s\u00a0]+", " ", re.sub(r"[\s\u00a0.,/\[\]:]+$", "", re.sub(r"^[\s\u00a0.,/\[\]:]+", "", name)),
                  count=1)
    if use_comma:
        parts = re.split(r"[,،] ?", re.sub(r"\.([^ ])", r". \1", name, count=1))
        return (parts[0], parts[1]) if len(parts) > 1 else (name, "")
    family, _, given = name.rpartition(" ")[::-1]
    return family, given


def zotero_item(page) -> dict:
    tags: dict[str, list[str]] = {}
    for meta in page.head.find_all("meta"):
        if (meta.get("name") or meta.get("property")) and meta.get("content"):
            tags.setdefault(meta.get("name") or meta.get("property"), []).append(meta["content"])

    def first(name):
        return tags.get(name, [""])[0]

    # A Highwire tag of a publication decides the type; else the type that og:type or DC.type names; else a page
    # with a citation_title is guessed to be a journal article.
    item_type = (next((t for name, t in ZOTERO_HIGHWIRE_TYPES.items() if name in tags), "")
                 or {"website": "webpage", "book": "book"}.get(first("og:type"), "")
                 or (first("DC.type") if first("DC.type") in ZOTERO_ITEM_TYPES else "")
                 or ("journalArticle" if "citation_title" in tags else "webpage"))
    nodes = tags.get("citation_author", [])
    creators, last = [], None
    for node in nodes:
        names = re.split(r"\s*;\s*", node)
        if len(names) == 1 and len(nodes) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in (n.strip() for n in names):
            if re.search(r"[^\s,\-.;]", name) and name != last:
                last = name
                creators.append(zotero_clean_author(name, "," in name))
    return {"itemType": item_type, "title": " ".join((first("citation_title") or first("og:title") or page.title.get_text()).split()),
            "creators": creators,
            "date": first("citation_date") or first("citation_cover_date") or first("citation_publication_date"),
            "url": first("citation_public_url") or page.head.find("link", rel="canonical")["href"],
            "language": first("citation_language") or page.html.get("lang", ""),
            "abstractNote": " ".join((first("citation_abstract") or first("description")).split()),
            "websiteTitle": first("og:site_name") if item_type == "webpage" else ""}


def csl_creators(item: dict) -> list[tuple[str, str]]:
    """The CSL item's authors as Zotero's (lastName, firstName): an organisation whole, with no given name."""
    return [(a["literal"], "") if "literal" in a else (a["family"], a.get("given", "")) for a in item.get("author", [])]


def without_nocase(csl_title: str) -> str:
    """A CSL title without the markup that keeps a word's case (csl_title)."""
    return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", csl_title)


def agrees_with_csl(zotero: dict, item: dict) -> None:
    assert zotero["itemType"] == "webpage" and item["type"] == "webpage"
    assert zotero["title"] == without_nocase(item["title"])
    assert zotero["creators"] == csl_creators(item)
    assert dt.date(*map(int, zotero["date"].split("/"))) == dt.date(*item["issued"]["date-parts"][0])
    assert zotero["url"] == item["URL"] and zotero["language"] == item["language"]
    assert zotero["websiteTitle"] == item["container-title"]
    if "abstract" in item:
        assert zotero["abstractNote"] == " ".join(item["abstract"].split())  # Zotero runs a field's spaces together


def head_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_page_meta_gives_reference_managers_the_csl_item_s_names_whole():
    """Each author its own tag, "Family, Given"; a name with no given name ends in a comma, or Zotero would take its
    last word for the family name; a lone author whose two parts hold spaces ends in a semicolon, or Zotero would
    read two people in it."""
    def authors(**changes):
        return [c for n, c in page_meta(dataclasses.replace(WORK, **changes)) if n == "citation_author"]

    assert authors() == ["Zakharova, Maria", "Марков, Сергей"]
    assert authors(people=(NameParts("Bülbül oğlu", "Polad"), NameParts("Əliyeva", "Leyla"))) == \
        ["Bülbül oğlu, Polad", "Əliyeva, Leyla"]
    assert authors(people=(), organisations=("Russian Foreign Ministry",)) == ["Russian Foreign Ministry,"]
    assert authors(people=(NameParts("Madonna", ""), NameParts("Bülbül oğlu", ""))) == ["Madonna,", "Bülbül oğlu,"]
    assert authors(people=(NameParts("García Márquez", "Gabriel José"),)) == ["García Márquez, Gabriel José;"]
    assert authors(people=(NameParts("García Márquez", "Gabriel José"), NameParts("Zakharova", "Maria"))) == \
        ["García Márquez, Gabriel José", "Zakharova, Maria"]
    tags = dict(page_meta(WORK))
    assert tags["DC.type"] == "webpage" and tags["citation_title"] == WORK.title
    assert tags["citation_publication_date"] == "2025/03/20" and tags["citation_public_url"] == WORK.permalink
    assert tags["citation_language"] == "en" and tags["citation_abstract"] == "Line one line two."
    # Nothing that names a publication: Zotero would make a journal article of it, and the outlet its publisher.
    assert not [n for n in tags if n in ZOTERO_HIGHWIRE_TYPES or n in ("citation_publisher", "DC.publisher")]
    assert "citation_abstract" not in dict(page_meta(dataclasses.replace(WORK, summary="")))


def test_zotero_reads_each_kind_of_author_as_the_csl_item_gives_it():
    works = [WORK, dataclasses.replace(WORK, people=(NameParts("Bülbül oğlu", "Polad"),)),
             dataclasses.replace(WORK, people=(NameParts("García Márquez", "Gabriel José"),)),
             dataclasses.replace(WORK, people=(NameParts("Madonna", ""),)),
             dataclasses.replace(WORK, people=(), organisations=("Russian Foreign Ministry", "State Duma"))]
    for work in works:
        head = "".join(f'<meta name="{n}" content="{html.escape(c)}">' for n, c in page_meta(work))
        page = head_of(f'<html lang="en"><head><title>x</title><link rel="canonical" href="{work.permalink}">'
                       f'<meta property="og:type" content="article">'
                       f'<meta property="og:site_name" content="{work.archive}">{head}</head></html>')
        agrees_with_csl(zotero_item(page), json.loads(csl_json(work))[0])


def statement_pages(site) -> list[str]:
    return [f for f in site.html_files()
            if re.fullmatch(r"statements/\d{4}/\d\d/\d\d/[^/]+/index\.html", f) and not site.is_redirect(f)]


def test_zotero_takes_from_each_statement_page_the_item_its_csl_file_gives(real_site):
    """Zotero's browser connector had made of a statement page what it could scrape: no author, and the title as
    the link preview gives it ("Withdrawn: ..." for a withdrawn statement)."""
    pages = statement_pages(real_site)
    assert pages
    kinds = set()
    for page in pages:
        item = json.loads((real_site.output / page.replace("index.html", "statement.csl.json")).read_text("utf-8"))[0]
        agrees_with_csl(zotero_item(real_site.page(page)), item)
        kinds.update("literal" in a and "organisation" or "person" for a in item["author"])
    assert kinds == {"organisation", "person"}


def test_pages_other_than_statements_carry_no_citation_tags(real_site):
    statements = set(statement_pages(real_site))
    others = [f for f in real_site.html_files() if f not in statements]
    assert len(others) > 20
    for page in others:
        head = real_site.page(page).head
        if head is None:
            continue
        names = [m.get("name", "") for m in head.find_all("meta")]
        assert not [n for n in names if n.startswith(("citation_", "DC."))], page


def test_a_withdrawn_statement_and_names_with_letters_outside_ascii_are_cited_whole_by_zotero(project):
    project.entity("outlets", "apa", name="APA")
    project.entity("people", "polad-bulbul-oglu", name="Polad Bülbül oğlu")
    project.entity("people", "sahla-aliyeva", name="Şəhla Əliyeva")
    project.entity("organisations", "milli-meclis", name="Milli Məclis")
    project.statement("2025-03-20-withdrawn", title="Talks go on", speakers=["Polad Bülbül oğlu", "Şəhla Əliyeva"],
                      withdrawn={"date": "2025-05-01", "reason": "Retracted by the outlet."})
    project.statement("2025-03-21-issued", title="Parliament's statement", date="2025-03-21",
                      organisations=["Milli Məclis"])
    assert project.build().ok
    public = project.root / "public/statements/2025/03"
    withdrawn = head_of((public / "20/withdrawn/index.html").read_text("utf-8"))
    assert withdrawn.find("meta", property="og:title")["content"] == "Withdrawn: Talks go on"
    zotero = zotero_item(withdrawn)
    assert zotero["title"] == "Talks go on"  # the statement's title, as cited, and not the link preview's
    assert zotero["creators"] == [("Bülbül oğlu", "Polad"), ("Əliyeva", "Şəhla")]
    agrees_with_csl(zotero, json.loads((public / "20/withdrawn/statement.csl.json").read_text("utf-8"))[0])
    issued = head_of((public / "21/issued/index.html").read_text("utf-8"))
    assert [m["content"] for m in issued.find_all("meta", attrs={"name": "citation_author"})] == ["Milli Məclis,"]
    agrees_with_csl(zotero_item(issued), json.loads((public / "21/issued/statement.csl.json").read_text("utf-8"))[0])


def test_each_statement_page_s_head_links_its_citation_files(real_site, archive_site):
    """As alternate forms of the page, typed, so that a tool reading the head finds them without the page's text."""
    for site in (real_site, archive_site):
        for page in statement_pages(site):
            alternates = [link for link in site.page(page).head.find_all("link", rel="alternate")
                          if link["type"] != "application/atom+xml"]
            assert [(link["type"], link["title"]) for link in alternates] == \
                [(mime, f"Citation ({label})") for _, label, mime in FORMATS]
            for (name, _, _), link in zip(FORMATS, alternates):
                assert site.resolve(page, link["href"]).target == page.replace("index.html", name)


def test_the_csl_title_keeps_the_lower_case_words_of_names_from_title_case():
    """CSL processors title-case an English title for MLA's and Chicago's styles: citeproc-js had cited "Polad Bülbül
    oğlu said" as "Polad Bülbül Oğlu Said", "von der Leyen" as "von Der Leyen", "bin Rashid" as "Bin Rashid"."""
    def title(text, *names):
        (item,) = json.loads(csl_json(dataclasses.replace(WORK, title=text, names=names)))
        return item["title"]

    nocase = '<span class="nocase">{}</span>'.format
    assert title("Polad Bülbül oğlu: the meeting is a milestone") == \
        f"Polad Bülbül {nocase('oğlu')}: the meeting is a milestone"  # a patronymic, registered or not
    assert title("Leyla Əli qızı and Полад Бюльбюль оглы speak") == \
        f"Leyla Əli {nocase('qızı')} and Полад Бюльбюль {nocase('оглы')} speak"
    assert title("Ursula von der Leyen meets Sheikh Mohammed bin Rashid in a van", "Ursula von der Leyen",
                 "Mohammed bin Rashid Al Maktoum", "Vincent van Gogh") == \
        f"Ursula {nocase('von der')} Leyen meets Sheikh Mohammed {nocase('bin')} Rashid in a van"
    assert title("von der Leyen's visit", "Ursula von der Leyen") == f"{nocase('von der')} Leyen's visit"
    assert title("Bashar al-Assad speaks", "Bashar al-Assad") == f"Bashar {nocase('al-Assad')} speaks"
    # Only where a name writes the word in lower case: the rest of the title is the style's to case.
    assert title("A bin of oglu papers", "Mohammed bin Rashid") == "A bin of oglu papers"
    assert title("Polad Bulbul Oglu speaks", "Polad Bülbül oğlu") == "Polad Bulbul Oglu speaks"
    work = dataclasses.replace(WORK, title="Polad Bülbül oğlu speaks")
    assert "TI  - Polad Bülbül oğlu speaks\r\n" in ris(work) and "title = {{Polad Bülbül oğlu speaks}}" in bibtex(work)
    assert dict(page_meta(work))["citation_title"] == "Polad Bülbül oğlu speaks"


def test_a_statement_s_csl_title_keeps_the_particles_of_the_names_of_its_people(project):
    project.entity("outlets", "apa", name="APA")
    project.entity("people", "ursula-von-der-leyen", name="Ursula von der Leyen", aliases=["von der Leyen"])
    project.entity("people", "mohammed-bin-rashid", name="Mohammed bin Rashid Al Maktoum")
    project.statement(title="von der Leyen thanks Mohammed bin Rashid; the bin is full", speakers=["Ursula von der Leyen"],
                      mentions=["Mohammed bin Rashid Al Maktoum"])
    assert project.build().ok
    folder = project.root / "public/statements/2025/03/20/a-statement"
    (item,) = json.loads((folder / "statement.csl.json").read_text("utf-8"))
    assert item["title"] == ('<span class="nocase">von der</span> Leyen thanks Mohammed <span class="nocase">bin</span> '
                             "Rashid; the bin is full")
    assert "TI  - von der Leyen thanks Mohammed bin Rashid; the bin is full" in (folder / "statement.ris").read_text("utf-8")
