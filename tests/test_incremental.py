"""Incremental builds give exactly the site a cold build gives, and touch nothing else.

One project (a copy of the real content) is built, changed, and rebuilt with its cache and
shadow folder; after each change its output is compared, file by file and byte by byte, with
a cold build of the same input in a fresh folder (no cache). Stale pages would show up as
extra files. Timings are the benchmark's business (bench/), not these tests'.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import TODAY, Signalled, copy_real_project, signal_through_another_thread
from statement_archive import incremental, nochange, parallel
from statement_archive.citations import STATEMENT_FILES
from statement_archive.config import load_config
from statement_archive.pipeline import build_site
from statement_archive.write import MARKER

DERIVED = "pagefind/"


def tree(folder: Path) -> dict[str, bytes]:
    files = {}
    for current, _, names in os.walk(folder):
        for name in names:
            path = Path(current) / name
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def mtimes(folder: Path) -> dict[str, int]:
    return {rel: (folder / rel).stat().st_mtime_ns for rel in tree(folder)}


def build(root: Path, output: Path):
    config, problems = load_config(root, str(output))
    assert not problems
    result = build_site(config, TODAY)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result


def cold_build(root: Path, scratch: Path) -> dict[str, bytes]:
    """The same input, copied to a fresh folder and built with no cache."""
    fresh = scratch / "cold"
    if fresh.exists():
        shutil.rmtree(fresh)
    fresh.mkdir()
    for name in ("content", "templates", "site.yaml"):
        source = root / name
        shutil.copytree(source, fresh / name) if source.is_dir() else shutil.copy2(source, fresh / name)
    build(fresh, fresh / "public")
    return tree(fresh / "public")


def assert_same_as_cold(root: Path, output: Path, scratch: Path) -> None:
    mine, cold = tree(output), cold_build(root, scratch)
    assert sorted(set(mine) - set(cold)) == [], "stale files left behind"
    assert sorted(set(cold) - set(mine)) == [], "files missing"
    different = [rel for rel in cold if mine[rel] != cold[rel]]
    assert different == []


def statement_files(root: Path) -> list[Path]:
    return sorted((root / "content" / "statements").glob("*.md"))


@pytest.fixture
def site(tmp_path):
    root = copy_real_project(tmp_path / "project")
    output = tmp_path / "public"
    build(root, output)
    return root, output, tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_no_change_rebuild_writes_nothing(site):
    root, output, scratch = site
    before = mtimes(output)
    config, _ = load_config(root, str(output))
    assert nochange.unchanged_build(config, False) is not None  # the quick check recognises it
    build(root, output)
    assert mtimes(output) == before


def test_a_build_freezes_what_its_cache_loads_and_thaws_it_when_it_ends(site, monkeypatch):
    root, output, scratch = site
    edit(statement_files(root)[0], "\n\n", "\n\nA new first paragraph.\n\n")
    frozen = []
    real_init = incremental.StageCache.__init__

    def spy(self, *args, **kwargs):
        real_init(self, *args, **kwargs)
        frozen.append(gc.get_freeze_count())

    monkeypatch.setattr(incremental.StageCache, "__init__", spy)
    build(root, output)
    assert frozen and frozen[0] > 0  # the loaded caches are out of the collector's way during the build
    assert gc.get_freeze_count() == 0  # and back in it once the build is over
    assert gc.isenabled()


def test_the_same_output_named_another_way_plans_nothing_again(site, monkeypatch):
    """An output folder given by another path ("public" relative to the project, or absolute) is the
    same site: its statement pages are not planned again (their inputs hashes do not depend on how
    the output was named), and nothing is written."""
    from statement_archive import plan

    root, output, scratch = site
    planned = []
    real = plan.plan_statement
    monkeypatch.setattr(plan, "plan_statement", lambda *args: planned.append(args) or real(*args))
    before = mtimes(output)
    config, _ = load_config(root, os.path.relpath(output, root))
    assert config.output == output.resolve() and config.output_dir != str(output)
    assert build_site(config, TODAY).ok
    assert planned == [] and mtimes(output) == before
    edit(statement_files(root)[0], "title:", "title_note: a note added by the test\ntitle:")
    build(root, output)
    assert len(planned) >= 1  # the count sees planning when there is some


def test_statement_body_edited(site):
    root, output, scratch = site
    before = mtimes(output)
    path = statement_files(root)[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nA paragraph added by the test.\n", encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    after = mtimes(output)
    changed = {rel for rel in after if not rel.startswith(DERIVED) and before.get(rel) != after[rel]}
    assert changed, "the edited statement's page was not rewritten"
    unchanged_html = [rel for rel in after if rel.endswith(".html") and rel not in changed]
    assert unchanged_html, "every page was rewritten"


def test_statement_added_then_deleted(site):
    root, output, scratch = site
    source = statement_files(root)[0]
    added = source.with_name("2025-01-02-added-by-test.md")
    text = source.read_text(encoding="utf-8")
    added.write_text(text.replace("title:", "slug: added-by-test\ntitle:", 1), encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert any("added-by-test" in rel for rel in tree(output))
    added.unlink()
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert not any("added-by-test" in rel for rel in tree(output))


def test_statement_renamed(site):
    root, output, scratch = site
    path = statement_files(root)[-1]
    path.rename(path.with_name(path.name.replace(".md", "-renamed.md")))
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_a_moved_statement_keeps_its_data_and_citation_files_at_its_old_address_then_drops_them(site):
    """A reference manager saves statement.ris or statement.json by address: moving the statement keeps them there."""
    root, output, scratch = site
    path = statement_files(root)[-1]
    text = path.read_text(encoding="utf-8")
    date = re.search(r"^date: (\d{4})-(\d\d)-(\d\d)$", text, re.M).groups()
    slug = path.stem[len("YYYY-MM-DD-"):]
    old = "statements/{}/{}/{}/{}/".format(*date, slug)
    before = {name: (output / old / name).read_bytes() for name in STATEMENT_FILES}
    path.write_text("---\naliases: [/" + old + "]\n" + text[4:].replace(f"slug: {slug}\n", ""), encoding="utf-8")
    path.rename(path.with_name(path.name.replace(slug, slug + "-moved")))
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    new = old.replace(slug, slug + "-moved")
    for name, was in before.items():
        assert (output / old / name).read_bytes() == (output / new / name).read_bytes() != was  # now its new address
    assert b"http-equiv=\"refresh\"" in (output / old / "index.html").read_bytes()
    edit(path.with_name(path.name.replace(slug, slug + "-moved")), f"aliases: [/{old}]\n", "")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert not (output / old).exists()


def test_registry_entry_edited_rewrites_only_pages_showing_it(site):
    root, output, scratch = site
    before = tree(output)
    before_times = mtimes(output)
    person = root / "content" / "people" / "maria-zakharova.md"
    edit(person, "role:", "role: Edited by the test;")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    after_times = mtimes(output)
    rewritten = {rel for rel in after_times if before_times.get(rel) != after_times[rel] and not rel.startswith(DERIVED)}
    assert rewritten
    for rel in rewritten:  # each rewritten file is new or really changed
        assert before.get(rel) != (output / rel).read_bytes(), f"{rel} was rewritten with the same bytes"


def test_a_person_s_sort_as_reaches_the_citations_of_the_statements_they_speak_in(site):
    """Citations tell the family name by `sort_as`: their files are made again when it changes."""
    root, output, scratch = site
    citation = "statements/2025/03/20/zakharova-azerbaijan-armenia-leaders-victory-day-visits/statement.ris"
    assert "AU  - Zakharova, Maria" in (output / citation).read_text(encoding="utf-8")
    edit(root / "content" / "people" / "maria-zakharova.md", "role:", "sort_as: Maria Zakharova\nrole:")
    build(root, output)
    assert "AU  - Maria, Zakharova" in (output / citation).read_text(encoding="utf-8")
    assert_same_as_cold(root, output, scratch)


def test_a_statement_withdrawn_changes_its_cards_everywhere_as_a_cold_build_does(site):
    root, output, scratch = site
    path = root / "content" / "statements" / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    edit(path, "title:", "withdrawn: {date: 2026-12-05, reason: Retracted.}\ntitle:")
    build(root, output)
    assert "Withdrawn:" in (output / "timeline/2025/index.html").read_text(encoding="utf-8")
    assert_same_as_cold(root, output, scratch)


def test_a_correction_added_edited_and_an_outlet_renamed_reach_the_corrections_page_as_a_cold_build_does(site):
    root, output, scratch = site
    path = root / "content" / "statements" / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    edit(path, "\n---\n", "\n  - date: 2026-12-06\n    note: \"A name corrected.\"\n---\n")  # after its last
    build(root, output)
    assert "A name corrected." in (output / "corrections/index.html").read_text(encoding="utf-8")
    assert_same_as_cold(root, output, scratch)
    edit(path, "A name corrected.", "A date corrected.")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    edit(root / "content" / "outlets" / "vestnik-kavkaza.md", "name: Vestnik Kavkaza\naliases: [",
         "name: Vestnik Kavkaza (Moscow)\naliases: [Vestnik Kavkaza, ")
    build(root, output)
    assert "reported by Vestnik Kavkaza (Moscow)" in (output / "corrections/index.html").read_text(encoding="utf-8")
    assert_same_as_cold(root, output, scratch)


def test_a_statement_s_added_date_set_then_removed_as_a_cold_build_does(site):
    """`added` moves the statement's feed entries, sitemap dates and open data, and back."""
    root, output, scratch = site
    path = next(p for p in statement_files(root) if p.name.startswith("2016-"))
    edit(path, "title:", "added: 2026-12-05\ntitle:")
    build(root, output)
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    entry = next(e for e in feed.split("<entry>")[1:] if "/statements/2016/" in e)
    assert "<updated>2026-12-05T00:00:00Z</updated>" in entry
    assert_same_as_cold(root, output, scratch)
    edit(path, "added: 2026-12-05\n", "")
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_an_event_s_organisers_place_and_date_edited_reach_the_pages_that_list_its_events(site):
    """An organisation's page lists the events it organised, and a place's those held there, newest first: an edit
    of an event's file (its organisers, its place, its date, which orders them) makes them again as a cold build
    does; an event added and an event deleted too."""
    root, output, scratch = site
    events = root / "content" / "events"
    briefing = events / "russian-foreign-ministry-briefing-2025-03-20.md"
    edit(briefing, "organisers: [Ministry of Foreign Affairs of Russia]",
         "organisers: [Ministry of Foreign Affairs of Russia, State Duma]")
    edit(briefing, 'place: "Moscow"', 'place: "Baku"')
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    duma = (output / "organisations" / "state-duma" / "index.html").read_text(encoding="utf-8")
    assert "Events it organised" in duma and "/events/russian-foreign-ministry-briefing-2025-03-20/" in duma
    assert "Events held here" in (output / "places" / "baku" / "index.html").read_text(encoding="utf-8")
    # Moscow still holds the events at the venues within it
    assert "Events held here (2)" in (output / "places" / "moscow" / "index.html").read_text(encoding="utf-8")
    (events / "test-added.md").write_text('---\nname: An event added by the test\ndate: 2010-01-01\n'
                                          'place: "Baku"\norganisers: [State Duma]\n---\n', encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    edit(events / "test-added.md", "date: 2010-01-01", "date: 2026-01-01")  # now the newest: listed first
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    duma = (output / "organisations" / "state-duma" / "index.html").read_text(encoding="utf-8")
    assert duma.index("An event added by the test") < duma.index("Russian Foreign Ministry briefing")
    (events / "test-added.md").unlink()
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_a_place_s_within_edited_reaches_the_pages_of_the_places_around_it(site):
    """A place's page says which place it is in, lists the places in it and counts the events held at them: an edit
    of a venue's `within`, or of the name of the place it is in, makes every page that shows them as a cold build
    does."""
    root, output, scratch = site
    places = root / "content" / "places"
    venue = places / "radisson-royal-hotel-moscow.md"
    edit(venue, "within: Moscow", "within: Baku")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    baku = (output / "places" / "baku" / "index.html").read_text(encoding="utf-8")
    assert "/places/radisson-royal-hotel-moscow/" in baku and "/events/all-russian-azerbaijani-congress-4th-" in baku
    azerbaijan = (output / "places" / "azerbaijan" / "index.html").read_text(encoding="utf-8")
    assert "/events/all-russian-azerbaijani-congress-4th-" in azerbaijan  # Baku is in Azerbaijan: so is the hotel
    edit(places / "baku.md", "name: Baku\naliases: [", "name: Baku City\naliases: [Baku, ")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert "Located in <a href=" in (output / "places" / "radisson-royal-hotel-moscow" / "index.html").read_text(
        encoding="utf-8").replace("</dt> <dd>", " ")
    edit(venue, "within: Baku\n", "")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert "/events/all-russian-azerbaijani-congress-4th-" not in (output / "places" / "azerbaijan" / "index.html"
                                                                    ).read_text(encoding="utf-8")


def test_a_statement_at_a_venue_alone_reaches_the_pages_of_the_places_around_it(site):
    """A statement whose places give only a venue is on the pages of the city the venue is within and of the city's
    country: adding it, editing the venue's `within` or the city's, and removing it make those pages (their years'
    pages, feeds, the list of places, places.json, the sitemap) as a cold build does."""
    root, output, scratch = site
    edit(root / "site.yaml", "trust_html: false", "trust_html: false\nentity_page_limit: 1")  # year pages too
    build(root, output)
    places = root / "content" / "places"
    venue = places / "radisson-royal-hotel-moscow.md"
    added = root / "content" / "statements" / "2026-01-15-at-the-hotel-alone.md"
    added.write_text('---\ntitle: "Words at the hotel alone"\ndate: 2026-01-15\noutlet: APA\n'
                     'places: [Hotel Ukraina]\n---\n\nWords said at the hotel.\n', encoding="utf-8")
    address = "/statements/2026/01/15/at-the-hotel-alone/"

    def page(slug, year=""):
        return (output / "places" / slug / year / "index.html").read_text(encoding="utf-8")

    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert address in page("moscow") and address in page("moscow", "2026")
    marked = '<span class="role">place</span> (<a href="/places/radisson-royal-hotel-moscow/">Radisson Royal Hotel</a>)'
    assert marked in page("moscow")
    assert address in (output / "places" / "moscow" / "feed.xml").read_text(encoding="utf-8")
    assert address not in page("azerbaijan")
    edit(added, "places: [Hotel Ukraina]", "places: [Hotel Ukraina, Moscow]")  # Moscow named too: listed once, as "place"
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert page("moscow").count(f'href="{address}"') == 1 and marked not in page("moscow")
    edit(added, "places: [Hotel Ukraina, Moscow]", "places: [Hotel Ukraina]")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    edit(venue, "within: Moscow", "within: Baku")  # the venue moves: its statement with it
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert address not in page("moscow") and not (output / "places" / "moscow" / "2026").exists()
    assert address in page("baku") and address in page("azerbaijan", "2026")  # Baku is in Azerbaijan
    edit(places / "baku.md", "within: Azerbaijan\n", "")  # the city leaves its country: the venue too
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert address in page("baku") and address not in page("azerbaijan")
    added.unlink()
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert address not in page("baku")


def test_registry_entry_deleted(site):
    root, output, scratch = site
    (root / "content" / "people" / "abbas-ganbay.md").unlink()
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_registry_entry_renamed_with_its_old_address_then_the_old_address_dropped(site):
    root, output, scratch = site
    people = root / "content" / "people"
    (people / "abbas-ganbay.md").rename(people / "abbas-qanbay.md")
    edit(people / "abbas-qanbay.md", "name:", "old_urls: [/people/abbas-ganbay/]\nname:")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert b"http-equiv=\"refresh\"" in (output / "people" / "abbas-ganbay" / "index.html").read_bytes()
    assert (output / "people" / "abbas-ganbay" / "feed.xml").is_file()
    other = next(p for p in statement_files(root) if "Abbas Ganbay" not in p.read_text(encoding="utf-8"))
    edit(other, "title:", "title_note: a note added by the test\ntitle:")  # the feed and its copy are kept
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    edit(people / "abbas-qanbay.md", "old_urls: [/people/abbas-ganbay/]\n", "")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert not (output / "people" / "abbas-ganbay").exists()


def test_template_edited(site):
    root, output, scratch = site
    edit(root / "templates" / "base.html", "</footer>", "<!-- edited by the test --></footer>")
    build(root, output)
    assert_same_as_cold(root, output, scratch)


@pytest.mark.parametrize("mistake", [
    ("</footer>", "{% endif %}</footer>"),  # a tag the template does not open
    ('<a class="site-title" href="{{ nav.home }}">{{ site.title }}</a>',
     '<a class="site-title" href="{{ nav.home }}">{{ site.title.nosuch.x }}</a>'),  # a value no page has
], ids=["syntax", "undefined"])
def test_a_mistake_in_the_template_every_page_extends_is_one_error_as_check_says(site, monkeypatch, mistake):
    """base.html's mistake fails each page template that extends it: the build had told it 19 times over ("Build
    failed: 19 error(s)", and serve's banner with the same line 19 times), where `check` tells it once."""
    root, output, _ = site
    monkeypatch.setattr(incremental, "PAGE_BATCH", 7)  # told once across the batches of pages too
    edit(root / "templates" / "base.html", *mistake)
    config, problems = load_config(root, str(output))
    assert not problems
    checked = build_site(config, TODAY, write=False, keep_pages=False).problems
    built = build_site(config, TODAY)
    assert not built.ok
    assert [p.path for p in built.problems] == [p.path for p in checked] == ["templates/base.html"]
    assert len(built.errors) == 1


def test_a_style_sheet_edited_gives_every_page_its_new_version_as_a_cold_build_does(site):
    """Pages link to style.css?v=..., the version following its bytes: after a deploy, a browser's older copy is
    not used with the new pages. So an edited asset makes every page again, and the result is a cold build's."""
    root, output, scratch = site
    version = re.compile(r'href="[^"]*assets/style\.css\?v=([0-9a-f]{12})"')
    before = version.search((output / "index.html").read_text(encoding="utf-8")).group(1)
    style = root / "templates" / "assets" / "style.css"
    style.write_bytes(style.read_bytes() + b"\n/* edited by the test */\n")
    build(root, output)
    after = {page: version.search((output / page).read_text(encoding="utf-8")).group(1)
             for page in ("index.html", "people/index.html", "404.html")}
    assert set(after.values()) == {hashlib.blake2b(style.read_bytes(), digest_size=6).hexdigest()} != {before}
    assert (output / "assets/style.css").read_bytes() == style.read_bytes()
    assert_same_as_cold(root, output, scratch)


def test_an_editor_s_swap_file_among_the_assets_is_not_published_and_makes_no_page_again(site):
    root, output, scratch = site
    before = mtimes(output)
    assets = root / "templates" / "assets"
    for name in (".style.css.swp", "style.css~", "#site.js#"):
        (assets / name).write_bytes(b"half-typed")
    build(root, output)
    assert mtimes(output) == before
    assert not [name for name in os.listdir(output / "assets") if name.startswith((".", "#")) or name.endswith("~")]


def test_template_included_by_a_variable_edited(site):
    # `{% include partial %}` names its template only at render time: editing that template
    # must still re-render the pages that include it.
    root, output, scratch = site
    (root / "templates" / "colophon.html").write_text("<p>Colophon, first version.</p>\n", encoding="utf-8")
    edit(root / "templates" / "base.html", "</footer>", '{% set partial = "colophon.html" %}{% include partial %}</footer>')
    build(root, output)
    assert "Colophon, first version." in (output / "index.html").read_text(encoding="utf-8")
    (root / "templates" / "colophon.html").write_text("<p>Colophon, second version.</p>\n", encoding="utf-8")
    build(root, output)
    assert "Colophon, second version." in (output / "index.html").read_text(encoding="utf-8")
    assert_same_as_cold(root, output, scratch)


def test_site_yaml_edited(site):
    root, output, scratch = site
    site_yaml = root / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text("\n".join(
        "title: An edited title" if line.startswith("title:") else line for line in text.splitlines()) + "\n",
        encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_cache_deleted_and_output_tampered(site):
    """Without its cache, or with an output it does not recognise, the build writes everything again."""
    root, output, scratch = site
    shutil.rmtree(root / ".cache")
    edit(statement_files(root)[0], "title:", "title_note: a note added by the test\ntitle:")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    shadow = output.parent / f".{output.name}{incremental.SHADOW_SUFFIX}"
    assert (shadow / MARKER).is_file()
    shutil.rmtree(output)
    build(root, output)
    assert_same_as_cold(root, output, scratch)



def test_the_old_shadow_and_site_are_deleted_beside_the_build_that_makes_the_site_afresh(site, monkeypatch):
    """With the record of the last build gone, the shadow and (once swapped out) the old site are no use:
    each is moved aside and deleted by `rm` while the build goes on, and both are gone, with nothing
    else left beside the site, when it ends."""
    from statement_archive import write

    root, output, scratch = site
    shadow = incremental.shadow_of(output.resolve())
    old_page = next(shadow.glob("statements/*/*/*/*/index.html")).relative_to(shadow)
    started = []
    popen = write.subprocess.Popen
    monkeypatch.setattr(write.subprocess, "Popen", lambda *a, **k: started.append(a[0]) or popen(*a, **k))
    shutil.rmtree(root / ".cache")
    build(root, output)
    started = [command for command in started if Path(command[0]).name == "rm"]  # Pagefind's are seen too
    assert len(started) == 2
    for command in started:
        aside = Path(command[3]).parent
        assert aside.name.startswith(f".staging-{output.name}-old") and aside.name.endswith(f"-{os.getpid()}")
        assert str(aside / old_page.parts[0]) in command
        assert not aside.exists()
    assert sorted(p.name for p in output.parent.iterdir() if p.name.startswith(".")) == [shadow.name]
    assert_same_as_cold(root, output, scratch)


def test_a_file_dropped_into_the_site_goes_with_the_next_builds(site):
    """A stray in the live site is gone after a build that changes something (the swap replaces
    the site) and after the build after it (the stray is then in the shadow, which becomes the site)."""
    root, output, scratch = site
    path = statement_files(root)[0]
    (output / "dropped-by-hand.html").write_text("stray", encoding="utf-8")
    (output / "people" / "dropped.txt").write_text("stray", encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nA paragraph added by the test.\n", encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    path.write_text(text, encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    build(root, output)  # nothing changed: the stray must not come back from the shadow either
    assert_same_as_cold(root, output, scratch)

def walks_of_the_staging_folder(monkeypatch) -> list[str]:
    """Record each walk this process makes of a build's staging folder (not the forked listing's)."""
    from statement_archive.write import STAGING_PREFIX

    walked, walk = [], incremental.untracked

    def recording(folder, *args, **kwargs):
        if Path(folder).name.startswith(STAGING_PREFIX):
            walked.append(Path(folder).name)
        return walk(folder, *args, **kwargs)

    monkeypatch.setattr(incremental, "untracked", recording)
    return walked


def drop_strays(output: Path) -> Path:
    """Files nobody made, dropped into the shadow (the next build's staging folder), one among the pages
    of a search shard; the shadow's own copy of a page is replaced, not written through its link."""
    shadow = incremental.shadow_of(output.resolve())
    (shadow / "dropped-by-hand.html").write_text("stray", encoding="utf-8")
    (shadow / "people" / "a name\nover two lines.txt").write_text("stray", encoding="utf-8")
    page = next(shadow.glob("statements/*/*/*/*/index.html"))
    ghost = page.parent.parent / "ghost-page" / "index.html"
    ghost.parent.mkdir()
    ghost.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    return ghost


def test_an_edit_finds_the_strays_in_the_listing_made_as_it_began(site, monkeypatch):
    """The shadow's files are listed in a child as the build begins (list_shadow); an edit takes its
    strays from that listing, without walking its staging folder, and still removes every one."""
    root, output, scratch = site
    ghost = drop_strays(output)
    walked = walks_of_the_staging_folder(monkeypatch)
    path = statement_files(root)[0]
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\nA paragraph added by the test.\n",
                    encoding="utf-8")
    build(root, output)
    assert walked == []
    assert not (output / ghost.relative_to(incremental.shadow_of(output.resolve()))).exists()
    assert_same_as_cold(root, output, scratch)


def test_a_listing_made_before_another_build_is_not_trusted(site, monkeypatch):
    """A listing is good only for the shadow as it was listed: when another build has changed the shadow
    since (it saved its state), the build walks its staging folder itself and finds what came later."""
    from statement_archive import pipeline

    root, output, scratch = site
    config, _ = load_config(root, str(output))
    old = incremental.list_shadow(config)
    assert old is not None and old.result()[0] is not None  # a good listing, of the shadow as it is now
    path = statement_files(root)[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n\nA paragraph added by the test.\n", encoding="utf-8")
    build(root, output)  # another build: the shadow is now the site the listing was not made of
    ghost = drop_strays(output)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(pipeline, "list_shadow", lambda config: old)
    walked = walks_of_the_staging_folder(monkeypatch)
    build(root, output)
    assert not (output / ghost.relative_to(incremental.shadow_of(output.resolve()))).exists()
    assert_same_as_cold(root, output, scratch)
    assert len(walked) >= 1


def test_a_build_keeps_only_cache_files_it_names_and_sweeps_an_earlier_layouts(site):
    """Every file a build leaves in the cache is one cache.KEPT_FILES names; files of an earlier
    layout (and a killed build's old temporary file) are deleted by the next build that writes,
    and the build after that still reuses what it kept."""
    import os
    from fnmatch import fnmatchcase

    from statement_archive.cache import CACHE_DIR, KEPT_FILES, LEFTOVER_AGE

    root, output, scratch = site
    folder = root / CACHE_DIR
    kept = sorted(p.name for p in folder.iterdir())
    assert {"texts.sqlite", "bodies.sqlite", "config.marshal"} <= set(kept)
    assert [name for name in kept if not any(fnmatchcase(name, pattern) for pattern in KEPT_FILES)] == []
    stale = ["opendata-3f.pickle", "statement-lines.pickle", "old.sqlite"]
    for name in stale:
        (folder / name).write_bytes(b"left by an earlier version")
    (folder / ".files-00.pickle.abc.tmp").write_bytes(b"a killed build's")
    (folder / ".files-01.pickle.def.tmp").write_bytes(b"a running build's")
    long_ago = os.stat(folder / "config.marshal").st_mtime - LEFTOVER_AGE - 60
    os.utime(folder / ".files-00.pickle.abc.tmp", (long_ago, long_ago))
    (folder / "nested").mkdir()  # not ours to judge: left alone

    edit(statement_files(root)[0], "title:", "title_note: a note added by the test\ntitle:")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    left = {p.name for p in folder.iterdir()}
    assert not left & {*stale, ".files-00.pickle.abc.tmp"}
    assert {".files-01.pickle.def.tmp", "nested"} <= left
    assert set(kept) <= left


def test_what_the_cache_keeps_about_an_output_folder_goes_when_the_folder_does(site):
    """Records of an output folder since deleted are removed by the next build that writes; those of
    folders still there, of one being built (its lock held), and of records that name no folder, stay."""
    import fcntl

    from statement_archive.cache import CACHE_DIR

    root, output, scratch = site
    folder = root / CACHE_DIR
    other, busy = scratch / "tried-once", scratch / "being-built"
    build(root, other)
    build(root, busy)
    names = {out: nochange.output_name(os.path.realpath(out)) for out in (output, other, busy)}
    for out, name in names.items():  # exactly the files output_records names, for each folder built
        assert sorted(p.name for p in folder.iterdir() if name in p.name) == sorted(nochange.output_records(name))
    older = "last-0123456789abcdef.marshal"  # written before records named their folder
    shutil.copy2(folder / nochange.output_records(names[other])[0], folder / older)
    with open(folder / older, "r+b") as handle:  # the same record without the path of its folder
        import marshal

        stamp, record = marshal.load(handle)
        del record["output"]
        handle.seek(0)
        handle.truncate()
        marshal.dump((stamp, record), handle)
    shutil.rmtree(other)
    shutil.rmtree(busy)
    with open(folder / nochange.output_records(names[busy])[-1], "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a build of that folder would hold it
        edit(statement_files(root)[0], "title:", "title_note: a note added by the test\ntitle:")
        build(root, output)
    left = {p.name for p in folder.iterdir()}
    assert not left & set(nochange.output_records(names[other]))
    assert set(nochange.output_records(names[busy])) <= left
    assert set(nochange.output_records(names[output])) <= left and older in left
    assert_same_as_cold(root, output, scratch)
    edit(statement_files(root)[0], "title_note: a note added by the test\n", "")
    build(root, output)  # the lock is free now, and the folder still gone
    assert not {p.name for p in folder.iterdir()} & set(nochange.output_records(names[busy]))


def test_a_build_waiting_for_a_lock_that_is_deleted_meanwhile_locks_the_file_there_now(tmp_path):
    """forget_gone_outputs deletes a gone folder's lock while holding it. A build that was waiting on
    the old file must not go on holding a deleted file's lock, which would not keep out the next
    build: it locks the file at the lock's path instead."""
    import fcntl
    import threading

    path = tmp_path / "lock-x"
    holder = open(path, "a+b")
    fcntl.flock(holder, fcntl.LOCK_EX)
    entered = threading.Event()
    lock = incremental._Lock(path)

    def wait_for_it():
        with lock:
            entered.set()
            done.wait(10)

    done = threading.Event()
    waiter = threading.Thread(target=wait_for_it)
    waiter.start()
    time.sleep(0.2)  # the waiter has opened the file and waits on it
    assert not entered.is_set()
    path.unlink()  # as forget_gone_outputs does, holding the lock
    fcntl.flock(holder, fcntl.LOCK_UN)
    holder.close()
    assert entered.wait(10)
    held = os.fstat(lock.handle.fileno())
    assert (held.st_dev, held.st_ino) == (path.stat().st_dev, path.stat().st_ino)  # the file there now
    with open(path, "a+b") as another:  # the next build is kept out
        with pytest.raises(OSError):
            fcntl.flock(another, fcntl.LOCK_EX | fcntl.LOCK_NB)
    done.set()
    waiter.join(10)


def test_a_build_waiting_for_the_lock_acts_on_a_signal_handed_to_another_thread(tmp_path):
    """serve's rebuild waiting for a build by hand of the same folder: Ctrl-C or SIGTERM, which the kernel may hand
    to serve's watcher thread, must stop it at once. A blocking flock was never woken to run the handler, and the
    rebuild went on waiting for the other build."""
    import fcntl

    path = tmp_path / "lock"
    holder = open(path, "a+b")
    fcntl.flock(holder, fcntl.LOCK_EX)
    began = time.monotonic()
    with pytest.raises(Signalled):
        with signal_through_another_thread(0.3, unblock=lambda: fcntl.flock(holder, fcntl.LOCK_UN)):
            with incremental._Lock(path):
                pass
    assert time.monotonic() - began < 5, "the signal was acted on only once the lock was let go"
    holder.close()
    with incremental._Lock(path):  # and the lock is free for the next build
        pass


def test_a_cache_file_with_a_name_the_sweep_would_delete_is_refused(tmp_path):
    from statement_archive.cache import Store

    with pytest.raises(ValueError, match="KEPT_FILES"):
        Store(tmp_path, "code").save("unlisted", {})
    with pytest.raises(ValueError, match="KEPT_FILES"):
        Store(tmp_path, "code").table("unlisted")
    assert list(tmp_path.iterdir()) == []


def test_the_cache_keeps_statements_without_their_text_and_heals_when_it_loses_them(site):
    """A statement's text is kept in its own table, not in the cached records every build loads, and
    its parsed front matter not at all (the validated record holds what a build needs); if the table
    loses a text, that file is read again and the site is still exactly right."""
    import pickle

    from statement_archive.cache import LOAD_CODE, TEXT, KeptSource, KeptText, PackedLines, open_store

    root, output, scratch = site
    store = open_store(root, *LOAD_CODE)
    files = store.load_buckets("files")
    texts = store.table("texts", TEXT)
    statements = {rel: entry for rel, entry in files.items() if rel.startswith("content/statements/")}
    assert statements
    for rel, entry in statements.items():
        source, record = entry[3][0], entry[4][2][0]
        assert type(source) is KeptSource and source.path == record.path == rel
        assert type(record.markdown) is KeptText and type(record.lines) is PackedLines
        assert record.lines.get("title") == 2 or record.lines.get("title") is None or record.lines.get("title") > 1
        record.markdown.table = texts
        body = (root / rel).read_text(encoding="utf-8").split("\n---\n", 1)[1].strip()
        assert len(body) > 200 and body.encode() not in pickle.dumps(entry)
        assert record.body.strip() == body  # read back when asked for
    assert len(texts.keys()) == len(statements)
    texts.update({}, keep=())  # every text lost
    path = statement_files(root)[1]
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n\nA paragraph added by the test.\n", encoding="utf-8")
    build(root, output)
    assert_same_as_cold(root, output, scratch)
    assert len(texts.keys()) == len(statements)


def test_a_cold_build_lets_go_of_the_texts_it_has_saved_and_reads_them_back_when_asked(site):
    """Once the cache has a statement's text, the build's own record no longer holds it (89 MB of a
    cold build at 10,000 statements); asked for later, the text comes back from the table as read."""
    from statement_archive.cache import KeptText
    from statement_archive.pipeline import check_site

    root, output, scratch = site
    shutil.rmtree(root / ".cache")
    config, _ = load_config(root, str(output))
    cache = incremental.StageCache(root, today=TODAY)
    cache.prefetch()
    problems, index = check_site(config, TODAY, False, cache)
    texts = [statement.record.markdown for statement in index.statements]
    assert texts and all(type(text) is KeptText and text.held() for text in texts)  # needed until saved
    cache.save()
    assert not any(text.held() for text in texts)
    for statement in index.statements[:5]:
        on_disk = (root / statement.record.path).read_text(encoding="utf-8").split("\n---\n", 1)[1]
        assert statement.record.body.strip() == on_disk.strip()


def test_a_problem_with_a_kept_statement_is_reported_at_its_line(site):
    """A statement the cache keeps (its line map packed) still gets a problem at the right line: here
    a new file claims its URL, and both are reported where their dates are."""
    root, output, scratch = site
    kept = statement_files(root)[0]
    text = kept.read_text(encoding="utf-8")
    date_line = next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("date:"))
    assert "\nslug:" not in text and text.startswith("---\n")
    twin = kept.with_name("zz-" + kept.name)  # the same date, and the kept one's slug given on line 2
    twin.write_text(f"---\nslug: {kept.stem[len('2025-01-01-'):]}\n" + text[4:], encoding="utf-8")
    config, _ = load_config(root, str(output))
    result = build_site(config, TODAY)
    rel = kept.relative_to(root).as_posix()
    same = sorted((p.path, p.line) for p in result.problems if "would have the same URL" in p.message)
    assert same == sorted([(rel, date_line), (twin.relative_to(root).as_posix(), 2)])


def test_shadow_shares_unchanged_files_with_output(site):
    root, output, scratch = site
    shadow = output.parent / f".{output.name}{incremental.SHADOW_SUFFIX}"
    page = output / "index.html"
    assert os.path.samefile(page, shadow / "index.html")


def test_after_an_edit_the_shadow_is_the_new_site_not_the_one_before(site):
    """The shadow lies beside the site: one who serves the folder holding both must not find the text as it was
    before a correction there. Every file of the shadow is the output's own (same inode), and no other."""
    root, output, scratch = site
    edit(statement_files(root)[0], "\n---\n", "\n---\n\nA paragraph added by the test.\n\n")
    path = statement_files(root)[1]
    path.rename(path.with_name("2020-01-01-moved-by-the-test.md"))  # a page gone, a page new, a search shard
    build(root, output)
    assert_shadow_is_output(output)
    assert_same_as_cold(root, output, scratch)


def assert_shadow_is_output(output: Path) -> None:
    """Every file of the shadow is the output's own (the same inode), and it has no other."""
    shadow = incremental.shadow_of(output.resolve())

    def files(folder: Path) -> set[str]:
        return {str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir()}

    assert files(shadow) == files(output)
    assert all(os.path.samefile(output / name, shadow / name) for name in files(output))


def test_an_old_address_that_turns_from_a_folder_into_a_file_and_back_builds_as_cold(site):
    """/old.html/ is a folder (a page and the statement's files); /old.html, a page's file. Each build must clear
    the other's way in its staging folder and in the shadow, or every later build failed ("Is a directory")."""
    root, output, scratch = site
    path = statement_files(root)[0]
    text = path.read_text(encoding="utf-8")
    for alias in ("/statements/2019/old.html/", "/statements/2019/old.html", "/statements/2019/old.html/", None):
        path.write_text(text.replace("title:", f"aliases: [{alias}]\ntitle:", 1) if alias else text, encoding="utf-8")
        build(root, output)
        assert_same_as_cold(root, output, scratch)
        assert_shadow_is_output(output)
        assert (output / "statements/2019/old.html").is_dir() == bool(alias and alias.endswith("/"))
    edit(statement_files(root)[1], "\n---\n", "\n---\n\nA paragraph added by the test.\n\n")  # and after it
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_an_edit_of_the_same_size_with_its_modification_time_set_back_is_seen(site):
    """As a tool that keeps times (cp -p, rsync -t, an editor's "keep date") may leave it; the change time gives
    it away, as to git's index."""
    root, output, scratch = site
    path = statement_files(root)[0]
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    head, fence, body = text.partition("\n---\n")
    edited = head + fence + body.replace(" the ", " THE ", 1)  # the same size
    assert edited != text
    assert len(edited.encode("utf-8")) == before.st_size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_failed_build_leaves_site_and_next_build_is_right(site):
    root, output, scratch = site
    before = tree(output)
    edit(root / "templates" / "statement.html", "{% block main %}", "{% block main %}{{ no_such_value.x }}")
    config, _ = load_config(root, str(output))
    result = build_site(config, TODAY)
    assert not result.ok
    assert tree(output) == before
    edit(root / "templates" / "statement.html", "{{ no_such_value.x }}", "")
    build(root, output)
    assert_same_as_cold(root, output, scratch)


def test_kept_validation_follows_the_date_and_the_bytes(site, monkeypatch):
    """Validation outcomes are kept between builds, across days too: a date that was in the future
    warns only until that day, when its file (and only it) is checked again, and an edited file
    is checked again."""
    from statement_archive import validate

    root, output, scratch = site
    config, _ = load_config(root, str(output))
    checked = []
    original = validate.validate_kept
    monkeypatch.setattr(validate, "validate_kept", lambda kind, source, today: (
        checked.append(source.path), original(kind, source, today))[1])
    path = statement_files(root)[0]
    rel = path.relative_to(root).as_posix()
    date = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("date:"))
    day = dt.timedelta(days=1)
    edit(path, date, f"date: {TODAY + 4 * day}")
    future = [p for p in build_site(config, TODAY).problems if "in the future" in p.message]
    assert checked == [rel]  # the other files' outcomes were kept
    assert [(p.path, p.severity) for p in future] == [(rel, "warning")]
    checked.clear()
    assert [p.message for p in build_site(config, TODAY + 3 * day).problems if "in the future" in p.message] == \
        [p.message for p in future]
    assert checked == []  # another day, but the date is still in the future: nothing checked again
    assert not [p for p in build_site(config, TODAY + 4 * day).problems if "in the future" in p.message]
    assert checked == [rel]  # the day the date came: that file alone
    checked.clear()
    assert not [p for p in build_site(config, TODAY.replace(year=2030)).problems if "in the future" in p.message]
    assert checked == []
    assert [p.message for p in build_site(config, TODAY).problems if "in the future" in p.message] == \
        [p.message for p in future]  # the clock went back
    edit(path, f"date: {TODAY + 4 * day}", f"date: {TODAY + 3 * day}")
    checked.clear()
    again = [p.message for p in build_site(config, TODAY).problems if "in the future" in p.message]
    assert again == [f"date: {TODAY + 3 * day} is in the future"]
    assert checked == [rel]


def test_fork_map_keeps_order_and_reports_errors():
    items = list(range(1000))
    assert parallel.fork_map(lambda chunk: [i * 2 for i in chunk], items, workers=2) == [i * 2 for i in items]

    def fail(chunk):
        if 1 in chunk:
            raise ValueError("boom")
        return chunk

    with pytest.raises((RuntimeError, ValueError), match="boom"):
        parallel.fork_map(fail, items, workers=2)


def test_fork_map_raises_a_childs_exception_as_itself_with_its_traceback():
    """A full disk in a worker must reach the CLI as OSError (a message, not a traceback), as in one process."""
    import errno

    def full(chunk):
        if 1 in chunk:  # the child's chunk
            raise OSError(errno.ENOSPC, "No space left on device")
        return chunk

    with pytest.raises(OSError) as raised:
        parallel.fork_map(full, list(range(400)), workers=2)
    assert raised.value.errno == errno.ENOSPC
    assert "a build worker process failed" in str(raised.value.__cause__) and "def full" not in str(raised.value)
    assert "raise OSError" in str(raised.value.__cause__)

    class Unsendable(Exception):  # defined here, so the parent could not unpickle it
        pass

    def odd(chunk):
        if 1 in chunk:
            raise Unsendable("odd")
        return chunk

    with pytest.raises(RuntimeError, match="Unsendable"):
        parallel.fork_map(odd, list(range(400)), workers=2)


def test_start_runs_work_in_a_child_and_gives_back_its_answer_or_its_exception():
    import errno

    here = os.getpid()
    assert parallel.start(lambda: ("done", os.getpid())).result() != ("done", here)
    assert parallel.start(lambda: ("done", os.getpid())).result()[0] == "done"

    def full():
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as raised:
        parallel.start(full).result()
    assert raised.value.errno == errno.ENOSPC and "raise OSError" in str(raised.value.__cause__)


def test_a_stopped_child_ends_at_once_and_does_no_more_of_its_work(tmp_path):
    marker = tmp_path / "finished"

    def slow():
        time.sleep(30)
        marker.write_text("finished")

    child = parallel.start(slow)
    process = child.process
    began = time.monotonic()
    child.stop()
    assert time.monotonic() - began < 10 and not process.is_alive()
    assert not marker.exists()


def test_an_edit_makes_the_feeds_and_data_files_in_the_building_process(site, monkeypatch):
    """Not in a child of their own while the pages are rendered: at 10,000 statements that child's
    copies of the build's memory made an edit's peak (bench/README.md). The site is a cold build's."""
    root, output, scratch = site
    makers = []
    original = incremental._write_files

    def recording(*args):
        makers.append(os.getpid())
        return original(*args)

    monkeypatch.setattr(incremental, "_write_files", recording)
    edit(statement_files(root)[0], "\n\n", "\n\nA new first paragraph.\n\n")
    result = build(root, output)
    assert makers == [os.getpid()]
    assert any(b"A new first paragraph." in data for data in result.pages.values())
    assert_same_as_cold(root, output, scratch)


def test_an_edit_makes_the_feeds_and_data_files_once_pagefind_runs_not_while_its_pages_are_copied(site, monkeypatch):
    """The search thread copies the shard's pages in Python before Pagefind starts; feeds made meanwhile would
    share the interpreter with it and put off Pagefind, the longer of the two."""
    from statement_archive import search

    root, output, scratch = site
    order = []
    run_pagefind, write_files = search._run_pagefind, incremental._write_files

    def pagefind(*args):
        order.append("pagefind")
        return run_pagefind(*args)

    def feeds(*args):
        order.append("feeds and data files")
        return write_files(*args)

    monkeypatch.setattr(search, "_run_pagefind", pagefind)
    monkeypatch.setattr(incremental, "_write_files", feeds)
    edit(statement_files(root)[0], "\n\n", "\n\nA new first paragraph.\n\n")
    build(root, output)
    assert order == ["pagefind", "feeds and data files"]
    assert_same_as_cold(root, output, scratch)


def test_a_build_interrupted_while_pagefind_runs_ends_it_and_leaves_no_folder(site, monkeypatch):
    """Ctrl-C while the search index is made: the Pagefind runs end with the build, and none starts after it,
    or they would go on writing into the staging folder the build removed, which then stayed, unmarked."""
    import sys

    from statement_archive import search

    root, output, scratch = site
    (scratch / "probe").mkdir()
    pids = scratch / "probe" / "pagefind-pids"
    sleeper = [sys.executable, "-c", f"import os, time; open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n'); time.sleep(60)"]
    monkeypatch.setattr(search, "pagefind_command", lambda folder: sleeper)

    def interrupted(*args):
        while not pids.exists():  # a Pagefind run has started
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(incremental, "_write_files", interrupted)
    published = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    edit(statement_files(root)[0], "\n\n", "\n\nA new first paragraph.\n\n")
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        build(root, output)
    assert time.monotonic() - started < 30  # not the sleeper's minute
    for pid in pids.read_text().split():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            continue
        pytest.fail(f"the Pagefind run {pid} still runs")
    time.sleep(0.5)  # what a run left going would write meanwhile
    assert [p.name for p in output.parent.iterdir() if p.name.startswith(".staging-")] == []
    assert {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()} == published


def test_progress_only_on_a_terminal(capsys):
    import io

    stream = io.StringIO()
    progress = incremental.Progress(stream=stream, delay=0)
    progress.stage("rendering pages")
    assert stream.getvalue() == ""  # StringIO is not a terminal

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    progress = incremental.Progress(stream=terminal, delay=0)
    progress.stage("rendering pages")
    progress.count(10, 20)
    progress.done()
    assert "rendering pages: 10/20 pages" in terminal.getvalue()


def test_no_change_check_sees_every_input_and_option(site, monkeypatch):
    """The quick check says "unchanged" only while no input file, option, date or output top level differs."""
    import time

    root, output, _ = site
    config, _ = load_config(root, str(output))

    def unchanged(checked=config, strict=False) -> bool:
        return nochange.unchanged_build(checked, strict) is not None

    assert unchanged()
    assert not unchanged(strict=True)
    assert not unchanged(load_config(root, str(output), "/archive/")[0])
    touched = [statement_files(root)[0], root / "content" / "people" / "maria-zakharova.md",
               root / "templates" / "base.html", root / "templates" / "assets" / "style.css", root / "site.yaml"]
    for path in touched:  # the same bytes, a new modification time: as an editor's save leaves it
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert not unchanged(), path
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert not unchanged(), path  # the time set back: the change time tells (an edit may lie between)
        assert build_site(config, TODAY).ok
        assert unchanged(), path
    added = root / "content" / "statements" / "2025-01-02-added-by-test.md"
    added.write_text("---\ntitle: Added\n---\n", encoding="utf-8")
    assert not unchanged()
    added.unlink()
    assert unchanged()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert not unchanged()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with monkeypatch.context() as patch:  # a later day, when no date changes from future to past: unchanged
        patch.setattr(time, "strftime", lambda fmt, *when: "2999-01-01")
        assert unchanged()
    with monkeypatch.context() as patch:  # a day before a date of the content: that date would be in the future
        patch.setattr(time, "strftime", lambda fmt, *when: "2001-01-01")
        assert not unchanged()
    path = statement_files(root)[0]  # a date in the future: unchanged until that day, not on it
    date = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("date:"))
    edit(path, date, "date: 2999-01-02")
    corrections = path.read_text(encoding="utf-8").index("\ncorrections:\n")  # dated before 2999: drop them
    edit(path, path.read_text(encoding="utf-8")[corrections:path.read_text(encoding="utf-8").index("\n---\n", 4)], "")
    assert build_site(config).ok
    assert unchanged()
    with monkeypatch.context() as patch:
        patch.setattr(time, "strftime", lambda fmt, *when: "2999-01-01")
        assert unchanged()
        patch.setattr(time, "strftime", lambda fmt, *when: "2999-01-02")
        assert not unchanged()
    (output / "dropped-by-hand.html").write_text("stray", encoding="utf-8")
    assert not unchanged()
    (output / "dropped-by-hand.html").unlink()
    assert unchanged()


def test_a_kept_body_is_read_when_used_and_rendered_again_when_the_cache_lost_it(tmp_path):
    import pickle

    import datetime as dt

    from statement_archive.cache import TEXT, KeptText, Table
    from statement_archive.markup import render_body
    from statement_archive.model import StatementRecord

    text = "First paragraph with ə.\n\n> A quotation.\n\nLast paragraph."
    body = render_body(text)
    table = Table(tmp_path / "bodies.sqlite", "code-1", incremental.BODIES)
    table.update({"k": body}, keep=())
    reads = []
    get = table.get
    table.get = lambda key, default=None: reads.append(key) or get(key, default)
    texts = Table(tmp_path / "texts.sqlite", "code-1", TEXT)  # the statement's own text, kept out of memory
    texts.update({"t": text}, keep=())
    record = StatementRecord("content/statements/x.md", {}, "Title", dt.date(2025, 1, 2), "Outlet", KeptText("t", texts), "x")
    kept = incremental.KeptBody(table, "k", record, False)
    assert reads == []  # nothing is read until the body is shown
    assert kept.blocks == body.blocks and kept.paragraphs == body.paragraphs
    assert reads == ["k", "k"]  # read each time it is used, not held
    assert kept == body and body == kept and hash(kept) == hash(body)
    assert pickle.loads(pickle.dumps(kept)) == body
    lost = incremental.KeptBody(table, "not-there", record, False)
    assert lost.paragraphs == body.paragraphs and lost == body  # rendered from the text read back
    reads.clear()
    assert lost.blocks == body.blocks and reads == []  # rendered once, then held


@pytest.mark.skipif(not Path("/proc/self/status").exists() or "glibc" not in " ".join(__import__("platform").libc_ver()),
                    reason="resident size read from /proc, and malloc_trim, are Linux and glibc's")
def test_freed_memory_scattered_among_live_objects_goes_back_to_the_system():
    """What a build frees after saving its cache is given back to the system, not only kept for reuse:
    without malloc_trim, freed strings among survivors stay resident. In a process of its own, whose heap
    holds only this: in the test run's, grown by every test before, the C library sometimes gave the
    memory back by itself, and the first check failed."""
    import subprocess
    import sys

    code = """if True:
        import gc
        from statement_archive import incremental

        def resident_mb():
            for line in open("/proc/self/status"):
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) // 1024
            return 0

        freed = ["ə" * 1000 + str(i) for i in range(50_000)]  # 100 MB of 2 KB strings
        survivors = freed[::50]  # a few live ones scattered through the heap, as in a build
        before = resident_mb()
        del freed
        gc.collect()
        kept = resident_mb()  # freed, but still resident
        incremental.give_back_freed_memory()
        print(before, kept, resident_mb(), len(survivors))
    """
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          cwd=Path(incremental.__file__).parent.parent)
    assert done.returncode == 0, done.stderr
    before, kept, after, survivors = map(int, done.stdout.split())
    assert kept > before - 20
    assert after < before - 60 and survivors == 1_000


def _stages(root: Path, output: Path) -> tuple[list[str], object]:
    """The stages of one build, in order, and its result."""
    config, _ = load_config(root, str(output))
    progress = incremental.Progress(enabled=False)
    result = build_site(config, TODAY, progress=progress)
    return [label for label, _ in progress.stages], result


def test_an_edit_saves_the_cache_while_pagefind_indexes_and_a_cold_build_before_rendering(site, monkeypatch):
    """A build that read many files afresh saves the cache before pages are planned, so their texts can
    go; an edit saves it while Pagefind indexes (off its critical path). Either way it is saved: the
    next build reads nothing afresh."""
    from statement_archive import pipeline

    root, output, scratch = site
    monkeypatch.setattr(pipeline, "SAVE_AT_ONCE_FROM", 10)  # the real project has fewer than 200 files
    shutil.rmtree(root / ".cache")
    shutil.rmtree(output)
    cold, result = _stages(root, output)
    assert result.ok and cold.index("saving the cache") < cold.index("planning pages")
    edit(statement_files(root)[0], "\n\n", "\n\nA new first paragraph.\n\n")
    edited, result = _stages(root, output)
    assert result.ok and "reading 1 file" in edited
    feeds = next(n for n, label in enumerate(edited) if label.startswith("making and writing feeds"))
    assert feeds < edited.index("saving the cache") < edited.index("indexing for search")
    assert edited.count("saving the cache") == 1
    again, result = _stages(root, output)
    assert result.ok and not any(label.startswith("reading") and label.endswith("files") for label in again)
    assert_same_as_cold(root, output, scratch)


def test_an_edit_whose_pages_fail_still_saves_the_cache(site):
    root, output, scratch = site
    edit(statement_files(root)[0], "\n\n", "\n\nA new first paragraph.\n\n")
    edit(root / "templates" / "statement.html", "{% block main %}", "{% block main %}{{ no_such_value.x }}")
    stages, result = _stages(root, output)
    assert not result.ok and "reading 1 file" in stages and stages.count("saving the cache") == 1
    edit(root / "templates" / "statement.html", "{{ no_such_value.x }}", "")
    stages, result = _stages(root, output)
    assert result.ok and not any(label.startswith("reading") and label.endswith("files") for label in stages)
    assert_same_as_cold(root, output, scratch)


def test_rendered_statement_bodies_go_to_the_cache_a_batch_at_a_time(site, monkeypatch):
    """A process that renders statement bodies adds them to the table every BODY_BATCH bodies, not all
    at the end (held until then, they raised its memory by some 100 MB at 10,000 statements); the
    site is the one a cold build with the default batch makes."""
    from statement_archive.cache import Table

    root, output, scratch = site
    shutil.rmtree(root / ".cache")
    added, add = [], Table.add
    monkeypatch.setattr(incremental, "BODY_BATCH", 1)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(Table, "add", lambda table, new: (added.append(len(new)), add(table, new))[1])
    build(root, output)
    assert added and set(added) == {1}  # this process's share, one body at a time; forked workers' not seen here
    monkeypatch.undo()
    assert_same_as_cold(root, output, scratch)


def test_a_build_that_waits_for_another_of_the_same_folder_says_so(tmp_path):
    """`build.py` run while serve rebuilds the same folder waits for it; on a terminal it says why nothing happens."""
    import fcntl
    import io
    import threading

    lock = tmp_path / "lock"
    held = open(lock, "a+b")
    fcntl.flock(held, fcntl.LOCK_EX)
    stream = io.StringIO()
    entered = threading.Event()

    def other_build():
        with incremental._Lock(lock, incremental.Progress(enabled=True, stream=stream)):
            entered.set()

    thread = threading.Thread(target=other_build)
    thread.start()
    time.sleep(0.3)
    assert not entered.is_set() and "Waiting for another build of this output folder to finish" in stream.getvalue()
    fcntl.flock(held, fcntl.LOCK_UN)
    held.close()
    thread.join(5)
    assert entered.is_set()
    quiet = io.StringIO()
    with incremental._Lock(lock, incremental.Progress(enabled=True, stream=quiet)):
        pass
    assert quiet.getvalue() == ""  # no other build: nothing said
