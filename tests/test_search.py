"""Search: what pages tell Pagefind, that the index is built with every build, reproducibly, and that a
failed index fails the build without touching the published site. (The search page itself is tested
in a browser in test_browser.py.)"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from statement_archive import pipeline, search
from statement_archive.model import Ref
from statement_archive.search import read_pagefind_file
from statement_archive.write import STAGING_PREFIX

KHOJALY = "/statements/2023/02/26/khojaly-genocide-commemoration-moscow-tolerance-center/"


def fragments(site_output: Path) -> dict[str, dict]:
    """Pagefind's record of every indexed page in every shard (gzip around a header and JSON), by URL."""
    records = {}
    for path in sorted((site_output / "pagefind").glob("*/fragment/*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        record = json.loads(raw[len(search.PAGEFIND_HEADER):])
        assert search.shard_of(record["url"]) == path.parent.parent.name, record["url"]  # in its own shard
        records[record["url"]] = record
    return records


def bundle_tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under a folder: (inode, bytes) by relative path."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def index_by_url(bundle: Path) -> dict:
    """What a Pagefind bundle holds, with its page numbers replaced by the pages' URLs. Pagefind numbers
    pages in the order its walk of the folder met them (the file system's order), so two bundles of the
    same pages can differ in bytes and hold the same index; this is what must be equal."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (language,) = entry["languages"].values()
    meta = read_pagefind_file(bundle / f"pagefind.{language['hash']}.pf_meta")
    urls = []
    for fragment_hash, _ in meta[1]:
        raw = gzip.decompress((bundle / "fragment" / f"{fragment_hash}.pf_fragment").read_bytes())
        urls.append(json.loads(raw[len(search.PAGEFIND_HEADER):])["url"])

    def pages(hits):  # [[page number (as a step from the one before), word positions, metadata positions], ...]
        found, number = [], 0
        for step, positions, meta_positions in hits:
            number += step
            found.append((urls[number], tuple(positions), tuple(meta_positions)))
        return sorted(found)

    words = {}
    for _, _, chunk in meta[2]:
        for word, hits, variants in read_pagefind_file(bundle / "index" / f"{chunk}.pf_index")[0]:
            words[word] = (pages(hits), sorted((variant, pages(more)) for variant, more in variants))
    filters = {name: {value: sorted(urls[n] for n in numbers) for value, numbers in
                      read_pagefind_file(bundle / "filter" / f"{stem}.pf_filter")[1]} for name, stem in meta[3]}
    return {"version": meta[0], "pages": sorted((urls[n], count) for n, (_, count) in enumerate(meta[1])),
            "words": words, "filters": filters, "sorts": {name: [urls[n] for n in order] for name, order in meta[4]},
            "fields": meta[5], "files": sorted(p.relative_to(bundle).parent.as_posix() for p in bundle.rglob("*.pf_*"))}


@pytest.mark.parametrize("url, shard", [
    ("statements/2023/02/26/khojaly/", "statements-2023"),
    ("/statements/1999/12/31/a-b-c/", "statements-1999"),
    ("people/sergey-markov/", "people"),
    ("/organisations/mfa/", "organisations"),
    ("events/briefing/", "events"), ("outlets/apa/", "outlets"), ("places/moscow/", "places"),
    ("", None), ("/", None), ("people/", None), ("statements/", None), ("statements/2023/", None),
    ("statements/2023/02/26/", None), ("statements/2023/02/26/x/statement.json", None),
    ("statements/20x3/02/26/x/", None), ("timeline/", None), ("search/", None), ("data/", None),
    ("404.html", None), ("people/x/feed.xml", None), ("unknown/x/", None), ("pagefind/people/", None),
])
def test_a_page_s_shard_comes_from_its_url(url, shard):
    assert search.shard_of(url) == shard


def test_all_shards_of_some_urls_are_sorted_and_skip_unindexed_pages():
    urls = ["people/b/", "statements/2025/01/01/x/", "", "people/a/", "statements/2016/05/05/y/", "search/"]
    assert search.all_shards_of(urls) == ["people", "statements-2016", "statements-2025"]
    assert search.all_shards_of([]) == []


@pytest.fixture
def registry(project):
    project.entity("people", "sergey-markov", name="Sergey Markov", aliases=["Sergei Markov", "Сергей Марков"])
    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("organisations", "mfa", name="Russian Foreign Ministry", aliases=["MFA"])
    project.entity("outlets", "apa", name="APA", aliases=["Azeri-Press Agency"])
    project.entity("events", "briefing", name="Briefing", date="2025-03-20")
    project.entity("places", "moscow", name="Moscow", aliases=["Москва"])
    return project


def test_the_person_filter_finds_a_statement_by_its_registered_byline_as_that_person_s_page_lists_it(registry):
    registry.entity("people", "abbas-ganbay", name="Abbas Ganbay", aliases=["Abbas Qənbəy"])
    registry.statement(speakers=["Maria Zakharova"], author="Abbas Ganbay")
    problems, index = registry.check()
    assert problems == [] and index.statements[0].author == Ref("people", "abbas-ganbay")
    data = search.statement_search(index.statements[0], index)
    assert [f["value"] for f in data["filters"] if f["name"] == "person"] == ["Maria Zakharova", "Abbas Ganbay"]
    assert "Abbas Qənbəy" in data["aliases"]


def test_a_statement_says_which_paragraphs_quote_each_speaker(registry):
    body = "Intro with no quotation.\n\n“We are ready,” Zakharova said.\n\n“We are too,” Markov said. “Indeed,” she added."
    registry.statement(speakers=["Maria Zakharova", "Sergei Markov"], body=body,
                       quotes=[{"speaker": "Maria Zakharova", "text": "We are ready"},
                               {"speaker": "Sergei Markov", "text": "We are too"},
                               {"speaker": "Maria Zakharova", "text": "Indeed"}])
    problems, index = registry.check()
    assert problems == []
    said = json.loads(search.statement_search(index.statements[0], index)["said"])
    assert said == {"Maria Zakharova": ["p2", "p3"], "Sergey Markov": ["p3"]}  # the filter's names, not as written
    registry.statement(speakers=["Maria Zakharova"])
    index = registry.check()[1]
    assert search.statement_search(index.statements[0], index)["said"] == ""  # no quotations


def test_a_withdrawn_statement_is_found_by_the_kind_statement_and_by_its_own(registry):
    """A reader listing every statement of a body must not miss the one that was withdrawn."""
    registry.statement(speakers=["Maria Zakharova"], withdrawn={"date": "2025-04-01", "reason": "Retracted by the outlet."})
    problems, index = registry.check()
    assert problems == []
    data = search.statement_search(index.statements[0], index)
    assert [f["value"] for f in data["filters"] if f["name"] == "type"] == ["Statement", "Withdrawn statement"]
    assert data["type"] == "Withdrawn statement"  # as each result says


def test_a_statement_tells_pagefind_its_filters_sort_date_and_every_alias(registry):
    registry.statement(speakers=["Maria Zakharova"], mentions=["Sergei Markov", "MFA"], event="Briefing", places=["Moscow"])
    problems, index = registry.check()
    assert problems == []
    data = search.statement_search(index.statements[0], index)
    assert data["filters"] == [
        {"name": "person", "value": "Maria Zakharova"},
        {"name": "person", "value": "Sergey Markov"},
        {"name": "organisation", "value": "Russian Foreign Ministry"},
        {"name": "event", "value": "Briefing"},
        {"name": "place", "value": "Moscow"},
        {"name": "outlet", "value": "APA"},
        {"name": "year", "value": "2025"},
        {"name": "type", "value": "Statement"},
    ]
    assert data["sort_date"] == "2025-03-20"
    for alias in ("Sergei Markov", "Сергей Марков", "MFA", "Azeri-Press Agency", "Москва"):
        assert alias in data["aliases"]
    event = search.entity_search(Ref("events", "briefing"), index, "Event")
    assert event["sort_date"] == "2025-03-20" and event["filters"] == [{"name": "type", "value": "Event"}]


def test_a_statement_s_place_filter_takes_in_the_places_it_is_within(registry):
    """A statement whose places name only a hotel in Moscow is found with "Moscow" chosen as its place, as Moscow's
    page counts the events held at the hotel; each place once."""
    registry.entity("places", "russia", name="Russia")
    registry.write("content/places/moscow.md", "---\nname: Moscow\naliases: [Москва]\nwithin: Russia\n---\n")
    registry.entity("places", "hotel", name="Radisson Royal Hotel", within="Moscow")
    registry.statement(places=["Radisson Royal Hotel", "Moscow"])
    problems, index = registry.check()
    assert problems == []
    data = search.statement_search(index.statements[0], index)
    assert [f["value"] for f in data["filters"] if f["name"] == "place"] == ["Radisson Royal Hotel", "Moscow", "Russia"]


def test_people_and_places_in_azerbaijani_latin_are_found_by_their_ascii_spellings(registry):
    """Pagefind folds marks (ü, ş) but not ə or ı: "Qasimov" would not find "Qasımov" without them."""
    registry.entity("people", "tofiq-qasimov", name="Tofiq Qasımov", aliases=["Qasımov"])
    registry.entity("places", "ganja", name="Gəncə")
    registry.entity("organisations", "yap", name="Yeni Azərbaycan Partiyası")
    registry.statement(speakers=["Tofiq Qasımov"], organisations=["Yeni Azərbaycan Partiyası"], places=["Gəncə"])
    problems, index = registry.check()
    assert problems == []
    aliases = search.statement_search(index.statements[0], index)["aliases"]
    assert "Tofiq Qasımov: Qasımov, Tofiq Qasimov, Tofig Gasimov, Qasimov, Gasimov" in aliases
    assert "Gəncə: Ganca, Ganja" in aliases
    assert "Azarbaycan" not in aliases  # an organisation's name in Azerbaijani is translated, not spelled out
    person = search.entity_search(Ref("people", "tofiq-qasimov"), index, "Person")
    assert person["aliases"] == "Tofiq Qasimov, Tofig Gasimov, Qasimov, Gasimov"  # the page shows its aliases


def test_the_hidden_other_names_leave_out_the_marks_of_latin_letters(registry):
    """Pagefind 1.5 finds a phrase on no page that holds a word both with and without marks ("İbrahimov" and
    "Ibrahimov"): the statement's text writes the plain form, so the hidden names do too; other scripts' letters
    (й) and the letters ə and ı stay as written."""
    registry.entity("people", "nazim-ibrahimov", name="Nazim Ibrahimov",
                    aliases=["Nazim İbrahimov", "İlqar Bülbüloğlu", "Назим Ибрагимов Сергей"])
    registry.statement(speakers=["Nazim Ibrahimov"])
    problems, index = registry.check()
    assert problems == []
    text = search.statement_search(index.statements[0], index)["aliases"]
    assert text.startswith("Nazim Ibrahimov: Ilqar Bulbuloglu, Назим Ибрагимов Сергей, ") and "İ" not in text
    assert search.without_marks("Əli Həsənov, Hacıyev, Şəki, Gəncə") == "Əli Həsənov, Hacıyev, Səki, Gəncə"


def test_the_aliases_file_maps_each_other_name_of_a_filter_s_entities_to_its_name(registry):
    registry.statement(speakers=["Maria Zakharova"], mentions=["Sergei Markov", "MFA"], event="Briefing")
    problems, index = registry.check()
    assert problems == []
    (path, data), = search.aliases_file(index).items()
    assert path == "search/aliases.json"
    assert json.loads(data) == {"person": {"Sergei Markov": "Sergey Markov", "Сергей Марков": "Sergey Markov"},
                                "organisation": {"MFA": "Russian Foreign Ministry"}, "event": {},
                                "place": {"Moscow": "Moscow", "Москва": "Moscow", "Moskva": "Moscow"}}


def test_the_aliases_file_gives_every_name_of_every_place_which_has_no_filter(registry):
    """The search page offers a misspelt word put right only from the names it loads: the filters' values and this
    file. Places have no filter, so "Yekaterinburgh" or "Radison" had been offered nothing."""
    registry.entity("places", "yekaterinburg", name="Yekaterinburg", aliases=["Ekaterinburg"])
    registry.entity("places", "ganja", name="Gəncə")
    registry.statement(speakers=["Maria Zakharova"])
    problems, index = registry.check()
    assert problems == []
    (_, data), = search.aliases_file(index).items()
    assert json.loads(data)["place"] == {
        "Moscow": "Moscow", "Москва": "Moscow", "Moskva": "Moscow", "Yekaterinburg": "Yekaterinburg",
        "Ekaterinburg": "Yekaterinburg", "Gəncə": "Gəncə", "Ganca": "Gəncə", "Ganja": "Gəncə"}


def test_a_name_with_straight_quotes_or_a_backslash_is_a_filter_value_pagefind_can_match(registry):
    """Pagefind 1.5 finds no page for a chosen filter value holding " or \\: the value has typographic quotes
    (and ⧵) instead, in the page's filters, in which paragraphs quote whom, and in the aliases file, where the
    name as the registry writes it stands for that value."""
    registry.entity("organisations", "azal", name='"Azerbaijan Airlines" CJSC', aliases=["AZAL"])
    registry.entity("people", "back-slash-person", name="Back\\slash Person")
    registry.statement(speakers=["Back\\slash Person"], organisations=["AZAL"],
                       body="“We fly,” he said.", quotes=[{"speaker": "Back\\slash Person", "text": "We fly"}])
    problems, index = registry.check()
    assert problems == []
    data = search.statement_search(index.statements[0], index)
    values = {f["name"]: f["value"] for f in data["filters"]}
    assert values["organisation"] == "“Azerbaijan Airlines” CJSC" and values["person"] == "Back⧵slash Person"
    assert json.loads(data["said"]) == {"Back⧵slash Person": ["p1"]}
    (_, aliases), = search.aliases_file(index).items()
    aliases = json.loads(aliases)
    assert aliases["organisation"] == {'"Azerbaijan Airlines" CJSC': "“Azerbaijan Airlines” CJSC",
                                       "AZAL": "“Azerbaijan Airlines” CJSC", "MFA": "Russian Foreign Ministry"}
    assert aliases["person"]["Back\\slash Person"] == "Back⧵slash Person"
    assert search.filter_value('say "a" and "b') == "say “a” and “b"  # an odd quote opens
    assert search.filter_value("Maria Zakharova") == "Maria Zakharova"


def test_the_real_index_holds_statements_and_entities_with_their_filters(real_site):
    records = fragments(real_site.output)
    listing = json.loads((real_site.output / "pagefind/shards.json").read_text(encoding="utf-8"))["shards"]
    names = [shard["name"] for shard in listing]
    assert names == ["events", "organisations", "outlets", "people", "places", "statements-2016", "statements-2023",
                     "statements-2025"]
    assert {shard["name"]: shard["sorts"] for shard in listing}["statements-2023"] == ["date"]
    assert {shard["name"]: shard["sorts"] for shard in listing}["people"] == []  # no dates to sort people by
    counted = 0
    for name in names:
        entry = json.loads((real_site.output / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        counted += entry["languages"]["en"]["page_count"]
    assert counted == len(records)
    statements = [url for url in records if url.startswith("/statements/")]
    assert len(statements) == 5
    assert "/people/sergey-markov/" in records and "/search/" not in records and "/" not in records
    khojaly = records[KHOJALY]
    assert "Сергей Марков" in khojaly["content"]  # a spelling found only in the registry
    assert "Cite this statement" not in khojaly["content"]  # the citation box is left out
    assert khojaly["filters"]["year"] == ["2023"] and khojaly["filters"]["outlet"] == ["APA"]
    assert "Sergey Markov" in khojaly["filters"]["person"]
    assert khojaly["meta"]["type"] == "Statement" and khojaly["meta"]["date"] == "26 February 2023"
    # Which paragraphs quote each speaker, by the person filter's names: the search page prefers them (search.js).
    said = json.loads(khojaly["meta"]["said"])
    assert set(said) <= set(khojaly["filters"]["person"]) and said["Igor Korotchenko"]
    assert all(re.fullmatch(r"p\d+", pid) for paragraphs in said.values() for pid in paragraphs)
    paragraph_anchors = [a["id"] for a in khojaly["anchors"] if a["element"] == "p" and a["id"].startswith("p")]
    assert paragraph_anchors == [p["id"] for p in real_site.paragraphs(KHOJALY.strip("/") + "/index.html")]


def test_the_facts_of_a_page_reach_the_index_as_separate_words(real_site):
    # Pagefind joins the text of a <dt> and the <dd> beside it with nothing between them, so without
    # whitespace in the HTML a search result's excerpt read "2025PlaceMoscowOrganisersMinistry".
    records = fragments(real_site.output)
    event = records["/events/russian-foreign-ministry-briefing-2025-03-20/"]["content"]
    assert "Date 20 March 2025 Place Moscow Organisers Ministry of Foreign Affairs of Russia" in event
    statement = records["/statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/"]["content"]
    assert ("Speakers Maria Zakharova (official representative of the Russian Foreign Ministry) Organisations Ministry of "
            "Foreign Affairs of Russia Event Russian") in statement
    assert "20 March 2025 Places Moscow" in statement
    labels = "|".join(("Date", "Places?", "Organisers", "Speakers", "Organisations", "Issued by", "Event", "Website", "Elsewhere",
                       "Also mentioned", "Also written", "Reported by"))
    for url, record in records.items():
        joined = re.findall(rf"(?<=[a-z0-9])(?:{labels})|(?:{labels})(?=[A-Z0-9])", record["content"])
        assert not joined, (url, joined)


def test_filter_files_are_rewritten_in_a_stable_order(real_site):
    bundle = real_site.output / "pagefind" / "statements-2023"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta = read_pagefind_file(bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    names = [name for name, _ in meta[3]]
    assert names == sorted(names) == ["event", "organisation", "outlet", "person", "place", "type", "year"]
    for name, stem in meta[3]:
        filter_name, values = read_pagefind_file(bundle / "filter" / f"{stem}.pf_filter")
        assert filter_name == name
        assert [v for v, _ in values] == sorted(v for v, _ in values)
    assert len(list((bundle / "filter").iterdir())) == len(names)  # the unsorted originals are gone


def test_an_entity_page_is_cut_to_its_head_and_what_search_indexes():
    page = (b'<!DOCTYPE html>\n<html lang="en">\n<head><title>Sergey Markov</title></head>\n<body class="page-person">'
            b'<nav>Main</nav><div data-pagefind-body><h1>Sergey Markov</h1><div hidden data-pagefind-ignore>x</div>'
            b'</div>' + search.INDEXED_END + b'<section><h2>Statements (900)</h2><ul><li>...</li></ul></section>'
            b'</body>\n</html>\n')
    assert search.cut_page(page) == (
        b'<!DOCTYPE html>\n<html lang="en">\n<head><title>Sergey Markov</title></head>\n<body>\n'
        b'<div data-pagefind-body><h1>Sergey Markov</h1><div hidden data-pagefind-ignore>x</div></div>'
        b'\n</body>\n</html>\n')
    # Without the mark, or without the end, the page is left whole: Pagefind sees what it would have seen.
    assert search.cut_page(page.replace(b" data-pagefind-body", b"")) == page.replace(b" data-pagefind-body", b"")
    assert search.cut_page(page.replace(search.INDEXED_END, b"")) == page.replace(search.INDEXED_END, b"")
    redirect = (b'<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0; url=/people/x/"></head>'
                b'<body></body></html>')
    assert search.cut_page(redirect) == redirect


def test_entity_shards_indexed_from_cut_pages_hold_what_the_whole_pages_give(real_site, tmp_path):
    """Entity shards are indexed from copies of their pages cut to what Pagefind reads; the index must be
    the one Pagefind makes from the whole pages (here: with the end mark taken out, so nothing is cut).
    The bytes may differ: Pagefind numbers pages in the order it meets their files (`index_by_url`)."""
    whole = tmp_path / "whole"
    shutil.copytree(real_site.output, whole)
    shutil.rmtree(whole / "pagefind")
    cut = 0
    entity_shards = ("events", "organisations", "outlets", "people", "places")
    for kind in entity_shards:
        for path in whole.glob(search.shard_glob(kind)):
            html = path.read_bytes()
            assert len(search.cut_page(html)) < len(html) / 2 or b"http-equiv" in html, path  # cut, or a redirect
            cut += search.cut_page(html) != html
            path.write_bytes(html.replace(search.INDEXED_END, b""))
            assert search.cut_page(path.read_bytes()) == path.read_bytes()
    assert cut >= 30  # the real content's people, organisations, events, outlets and places
    search.index_folder(whole)
    for shard in entity_shards:
        assert index_by_url(whole / "pagefind" / shard) == index_by_url(real_site.output / "pagefind" / shard), shard
    assert fragments(whole) == fragments(real_site.output)
    assert index_by_url(real_site.output / "pagefind" / "people")["words"]["markov"]


def test_shards_are_indexed_in_memory_and_only_changed_files_are_written(registry, monkeypatch):
    registry.statement(speakers=["Sergey Markov"], organisations=["Russian Foreign Ministry"])
    assert registry.build().ok
    site = registry.root / "public"
    shards = search.indexed_shards(site)
    before = bundle_tree(site / "pagefind")
    cut, real_cut = [], search.cut_pages

    def cut_pages(folder, shard, into):
        cut.append((shard, into.parent.parent))
        real_cut(folder, shard, into)

    mine = f"{search.SCRATCH_PREFIX}*-{os.getpid()}"  # this process's folders: another build may be running
    scratch = set(search.MEMORY_FOLDER.glob(mine))
    monkeypatch.setattr(search, "cut_pages", cut_pages)
    search.index_shards(site, shards, shards)
    if not search.MEMORY_FOLDER.is_dir():
        pytest.skip(f"no {search.MEMORY_FOLDER} here")
    assert sorted(cut) == [(s, search.MEMORY_FOLDER) for s in shards]
    assert bundle_tree(site / "pagefind") == before  # nothing changed: same bytes, same inodes
    assert set(search.MEMORY_FOLDER.glob(mine)) == scratch  # removed again
    page = site / "people/sergey-markov/index.html"
    page.write_bytes(page.read_bytes().replace(b"<h1>Sergey Markov</h1>", b"<h1>Sergey Zanzibarian Markov</h1>"))
    search.index_shards(site, ["people"], shards)
    after = bundle_tree(site / "pagefind")
    rewritten = sorted(path for path in after if after[path][0] != before.get(path, (None,))[0])
    assert rewritten and all(path.startswith("people/") for path in rewritten)
    assert len(rewritten) <= 8, rewritten  # the changed page's fragment, the index, the meta and the entry
    assert [path for path in before if path not in after and not path.startswith("people/")] == []
    assert "zanzibarian" in index_by_url(site / "pagefind" / "people")["words"]


def test_what_fails_in_memory_is_indexed_again_from_the_pages(registry, monkeypatch, tmp_path):
    registry.statement(speakers=["Sergey Markov"], organisations=["Russian Foreign Ministry"])
    assert registry.build().ok
    site = registry.root / "public"
    shards = search.indexed_shards(site)
    built = {shard: index_by_url(site / "pagefind" / shard) for shard in shards}
    records = fragments(site)
    real_command = search.pagefind_command

    def memory_full(folder, shard, into):
        raise OSError(28, "No space left on device")

    def fails_writing_to_memory(folder):  # Pagefind run as `sh -c SCRIPT pagefind --site ... --output-path ...`
        script = 'case "$*" in *statement-archive-search-*) exit 1;; esac; exec "$0" "$@"'
        return ["sh", "-c", script, *real_command(folder)]

    for fallback in ("memory full while cutting", "memory full for Pagefind", "no memory folder"):
        if fallback == "memory full while cutting":
            monkeypatch.setattr(search, "cut_pages", memory_full)
        elif fallback == "memory full for Pagefind":
            monkeypatch.setattr(search, "pagefind_command", fails_writing_to_memory)
        else:
            monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path / "missing")
        search.index_shards(site, shards, shards)
        assert {shard: index_by_url(site / "pagefind" / shard) for shard in shards} == built, fallback
        assert fragments(site) == records, fallback


def test_the_memory_folder_of_a_killed_build_is_removed_and_a_running_one_s_kept(registry, monkeypatch, tmp_path):
    import subprocess
    import sys

    registry.statement(speakers=["Sergey Markov"])
    assert registry.build().ok
    site = registry.root / "public"
    monkeypatch.setattr(search, "MEMORY_FOLDER", tmp_path / "memory")
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = search.MEMORY_FOLDER / f"{search.SCRATCH_PREFIX}abc-{int(ended.stdout)}"
    running = search.MEMORY_FOLDER / f"{search.SCRATCH_PREFIX}def-{os.getppid()}"
    other = search.MEMORY_FOLDER / "someone-else-123"
    for folder in (killed, running, other):
        (folder / "site").mkdir(parents=True)
        (folder / "site" / "page.html").write_text("x", encoding="utf-8")
    search.index_shards(site, ["people"], search.indexed_shards(site))
    assert sorted(p.name for p in search.MEMORY_FOLDER.iterdir()) == sorted([running.name, other.name])


def test_two_pagefind_runs_give_the_same_bytes(registry, tmp_path):
    for i in range(12):
        registry.entity("people", f"person-{i}", name=f"Person {i}")
        registry.statement(f"2025-0{i % 9 + 1}-01-s{i}", date=f"202{i % 5}-0{i % 9 + 1}-01", speakers=[f"Person {i}"])
    outputs = []
    for run in range(3):
        result = registry.build(output=str(tmp_path / f"out{run}"))
        assert result.ok, [p.format() for p in result.problems]
        bundle = tmp_path / f"out{run}" / "pagefind"
        outputs.append({p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2]


def test_the_same_content_gives_the_same_index_on_another_file_system(registry, tmp_path):
    """Pagefind numbers pages in the order it lists their files, and a disk lists them in an order of its
    own (ext4: a hash of the names seeded per file system). Every shard is indexed from copies made in
    name order in memory, so a build on another disk, or in CI, writes the same bundles, and an upload of
    the site (rsync) sends only what changed."""
    if not search.MEMORY_FOLDER.is_dir():
        pytest.skip(f"no {search.MEMORY_FOLDER} here")
    for i in range(30):
        registry.entity("people", f"person-{i}", name=f"Person {i}")
        registry.statement(f"2024-0{i % 9 + 1}-{i + 1:02d}-s{i}", date=f"202{i % 2 + 3}-0{i % 9 + 1}-{i % 28 + 1:02d}",
                           speakers=[f"Person {i}"])
    bundles = []
    with tempfile.TemporaryDirectory(dir=search.MEMORY_FOLDER) as memory:
        for output in (tmp_path / "on-disk", Path(memory) / "in-memory"):
            result = registry.build(output=str(output))
            assert result.ok, [p.format() for p in result.problems]
            bundle = output / "pagefind"
            bundles.append({p.relative_to(bundle).as_posix(): p.read_bytes()
                            for p in sorted(bundle.rglob("*")) if p.is_file()})
    assert sorted(bundles[0]) == sorted(bundles[1])
    assert [path for path in bundles[0] if bundles[0][path] != bundles[1][path]] == []


def test_one_stale_shard_is_rebuilt_and_the_others_are_left_alone(registry, tmp_path):
    registry.statement("2023-01-01-old", date="2023-01-01", speakers=["Maria Zakharova"])
    registry.statement("2025-03-20-new", date="2025-03-20", speakers=["Sergey Markov"])
    assert registry.build().ok
    site = registry.root / "public"
    shards = search.all_shards_of(["statements/2023/01/01/old/", "statements/2025/03/20/new/", "people/x/",
                                   "organisations/x/", "events/x/", "outlets/x/", "places/x/"])
    before = {name: bundle_tree(site / "pagefind" / name) for name in shards}
    page = site / "statements/2025/03/20/new/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("The first paragraph.", "A zanzibarian paragraph."),
                    encoding="utf-8")
    search.index_shards(site, ["statements-2025"], shards)
    after = {name: bundle_tree(site / "pagefind" / name) for name in shards}
    for name in shards:
        if name != "statements-2025":
            assert after[name] == before[name], name  # same bytes, same inodes: not touched
    assert after["statements-2025"] != before["statements-2025"]
    assert b"zanzibarian" in b"".join(gzip.decompress(data) for path, (_, data) in after["statements-2025"].items()
                                      if path.startswith("fragment/"))
    # and the same as indexing everything from scratch
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh)
    shutil.rmtree(fresh / "pagefind")
    search.index_folder(fresh)
    assert {p: d for p, (_, d) in bundle_tree(fresh / "pagefind").items()} == \
        {p: d for p, (_, d) in bundle_tree(site / "pagefind").items()}


def test_shards_no_longer_listed_are_removed(registry):
    registry.statement("2023-01-01-old", date="2023-01-01")
    registry.statement("2025-03-20-new", date="2025-03-20")
    assert registry.build().ok
    site = registry.root / "public"
    (site / "pagefind" / "pagefind.js").write_text("left by the unsharded layout", encoding="utf-8")
    (site / "pagefind" / "fragment").mkdir()
    kept = ["outlets", "statements-2025"]
    search.index_shards(site, [], kept)
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["outlets", "shards.json", "statements-2025"]
    listing = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))
    assert listing == {"shards": [{"name": "outlets", "sorts": []}, {"name": "statements-2025", "sorts": ["date"]}]}


def test_a_shard_listed_but_missing_is_indexed(registry):
    registry.statement("2023-01-01-old", date="2023-01-01")
    assert registry.build().ok
    site = registry.root / "public"
    shutil.rmtree(site / "pagefind" / "statements-2023")
    search.index_shards(site, [], ["outlets", "statements-2023"])
    assert (site / "pagefind" / "statements-2023" / "pagefind.js").is_file()


def test_redirect_pages_make_no_shard(registry):
    registry.statement("2023-01-01-old", date="2023-01-01", aliases=["/statements/2019/01/01/older-address/"])
    assert registry.build().ok
    site = registry.root / "public"
    assert (site / "statements/2019/01/01/older-address/index.html").is_file()
    shards = search.indexed_shards(site)
    assert "statements-2023" in shards and "statements-2019" not in shards  # a redirect carries no indexed part


def test_a_page_dropped_in_by_hand_is_removed_before_its_shard_is_indexed(registry, monkeypatch):
    registry.statement("2023-01-01-old", date="2023-01-01", speakers=["Maria Zakharova"])
    assert registry.build().ok
    site = registry.root / "public"
    own = (site / "statements/2023/01/01/old/index.html").read_text(encoding="utf-8")
    ghost = site / "statements/2023/01/02/ghost/index.html"
    ghost.parent.mkdir(parents=True)
    ghost.write_text(own.replace("The first paragraph.", "A zanzibarian paragraph."), encoding="utf-8")
    shutil.rmtree(site.parent / ".public.shadow")  # so the next build copies the output, the page included
    # The indexer runs while the data files are made (in a child process, in a build of few pages).
    # Hold those back until it has started, so the build's final sweep of stray files cannot have
    # removed the page first. A file says so: it reaches the child too.
    seen, started = [], registry.root / "indexer-started"
    data_files = pipeline.data_files

    def indexer(work, stale, all_shards, starting=None, stop=None):
        seen.append(sorted(p.relative_to(work).as_posix() for p in work.glob(search.shard_glob("statements-2023"))))
        started.touch()
        return search.index_shards(work, stale, all_shards, starting, stop)

    def held_back(*args, **kwargs):
        waited = time.monotonic()
        while not started.exists():
            assert time.monotonic() - waited < 60
            time.sleep(0.01)
        yield from data_files(*args, **kwargs)

    monkeypatch.setattr(pipeline, "index_shards", indexer)
    monkeypatch.setattr(pipeline, "data_files", held_back)
    registry.statement("2023-01-01-old", date="2023-01-01", speakers=["Maria Zakharova"], body="The first paragraph.\n\nMore.")
    assert registry.build().ok
    assert seen == [["statements/2023/01/01/old/index.html"]]
    assert not ghost.exists() and not (site / "statements/2023/01/02").exists()
    assert "/statements/2023/01/02/ghost/" not in fragments(site)
    assert "/statements/2023/01/01/old/" in fragments(site)


def test_a_failed_index_fails_the_build_and_keeps_the_published_site(registry, monkeypatch):
    registry.statement(speakers=["Maria Zakharova"])
    assert registry.build().ok
    public = registry.root / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    registry.statement("2025-04-01-another", date="2025-04-01", title="Another")
    monkeypatch.setattr(search, "pagefind_command", lambda folder: ["false"])
    result = registry.build()
    assert not result.ok
    assert [p.format() for p in result.errors] == [
        "pagefind:1: Pagefind failed to index the site: exit status 1 (check that the disk has room and build again; "
        "if it fails the same way, reinstall Pagefind: .venv/bin/pip install --force-reinstall 'pagefind[bin]')"]
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before
    assert [p.name for p in public.parent.iterdir() if p.name.startswith(STAGING_PREFIX)] == []  # none left behind


def test_a_failed_index_says_what_to_do_and_the_last_line_alone_what_became_of_the_site(tmp_path, capsys,
                                                                                      monkeypatch):
    """The hint said "(the published site was left as it was)" above the 'Build failed' line that says so: twice, and
    untrue of a first build, which has no site to leave."""
    from test_bad_input import make_site, run

    root, out = make_site(tmp_path / "site"), tmp_path / "out"
    monkeypatch.setattr(search, "pagefind_command", lambda folder: ["false"])
    problem = ("pagefind:1: Pagefind failed to index the site: exit status 1 (check that the disk has room and build "
               "again; if it fails the same way, reinstall Pagefind: .venv/bin/pip install --force-reinstall "
               "'pagefind[bin]')")
    status, _, printed = run(root, "build", "--quiet", "--output", str(out), capsys=capsys)
    assert status == 1 and printed.splitlines() == [problem, f"Build failed: 1 error(s); nothing was written to "
                                                             f"{out.resolve()}."], printed
    monkeypatch.undo()
    assert run(root, "build", "--quiet", "--output", str(out), capsys=capsys)[0] == 0
    monkeypatch.setattr(search, "pagefind_command", lambda folder: ["false"])
    edited = next((root / "content" / "statements").glob("*.md"))  # a build with pages to index
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA paragraph added.\n", encoding="utf-8")
    status, _, printed = run(root, "build", "--quiet", "--output", str(out), capsys=capsys)
    assert status == 1 and printed.splitlines() == [problem, f"Build failed: 1 error(s); the site in {out.resolve()} "
                                                             "was left as it was."], printed



def test_a_missing_pagefind_is_reported_with_how_to_install_it(registry, monkeypatch):
    registry.statement()
    monkeypatch.setattr(search, "pagefind_command", lambda folder: None)
    result = registry.build()
    (problem,) = result.errors
    assert "Pagefind is not installed" in problem.message and "pip install" in problem.hint
    assert not (registry.root / "public").exists()
