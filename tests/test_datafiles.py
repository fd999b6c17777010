"""Data files made from the last build's files are the data files made from scratch."""

from __future__ import annotations

import os
import shutil
import tracemalloc
from pathlib import Path

from conftest import TODAY
from statement_archive.config import load_config
from statement_archive.cache import Chunks, FileRange, digest, open_store
from statement_archive.datafiles import PIECES_CODE, KeptLines, data_files
from statement_archive.incremental import _write_files, output_path
from statement_archive.opendata import JSON_OPEN, JSON_SEPARATOR, MadeLines, csv_header, open_data_files
from statement_archive.pipeline import check_site
from statement_archive.urls import Urls, data_file_url, entity_feed_url, entity_url, statement_file_url


def _statements_json(project):
    """The real content's index and statements.json made afresh, with an inputs hash for each line."""
    config, problems = load_config(project, str(project / "public"))
    assert not problems
    problems, index = check_site(config, TODAY)
    urls = Urls(config.base_url)
    name = data_file_url("statements.json")
    fresh = bytes(dict(open_data_files(index, urls, entity_feed_url))[name])
    paths = [statement_file_url(s, "statement.json") for s in index.statements]
    inputs = {path: f"hash-{n}" for n, path in enumerate(paths)}
    return index, urls, name, fresh, paths, inputs


def test_statements_json_from_the_last_builds_file_is_the_file_made_afresh(real_project, tmp_path):
    index, urls, name, fresh, paths, inputs = _statements_json(real_project)
    previous = tmp_path / "statements.json"
    store = open_store(tmp_path, *PIECES_CODE)

    def build(inputs):
        """One build's statements.json, written where the next build finds it; and its KeptLines."""
        lines = KeptLines(inputs, previous, store, "lines-x")
        others = {}

        def kept(file, head, separator):
            if file == "statements.json":
                assert (head, separator) == (JSON_OPEN, JSON_SEPARATOR)
                return lines
            return others.setdefault(file, KeptLines(inputs, tmp_path / file, store, f"lines-{file}", head, separator))

        made = bytes(dict(open_data_files(index, urls, entity_feed_url, kept=kept))[name])
        lines.save()
        previous.write_bytes(made)
        return made, lines

    made, lines = build(inputs)  # the first build: nothing kept yet
    assert made == fresh and lines.made == paths
    made, lines = build(inputs)
    assert made == fresh and lines.made == []  # every line sliced from the last build's file

    # One statement's inputs changed: its line is made, and the others still come from the file.
    # What the file holds for it is made wrong on purpose (and the record's digest made to
    # match), so a line used although its inputs changed would show.
    changed = paths[len(paths) // 2]
    record = store.load("lines-x")
    _, offset, length = record["lines"][changed]
    altered = bytearray(previous.read_bytes())
    altered[offset:offset + length] = b"x" * length
    previous.write_bytes(bytes(altered))
    store.save("lines-x", {**record, "digest": digest(bytes(altered))})
    made, lines = build({**inputs, changed: "hash-new"})
    assert made == fresh and lines.made == [changed]

    # The file changed by hand since the last build: nothing is taken from it.
    previous.write_bytes(made.replace(b"[\n", b"[\n ", 1))
    made, lines = build(inputs)
    assert made == fresh and lines.made == paths



def test_every_whole_archive_data_file_from_the_last_builds_files_is_the_one_made_afresh(real_project, tmp_path):
    """statements.csv (rows under a header, no separator) and the entity files as well as statements.json:
    a second build takes every line from the first build's files, one changed input makes its line
    again, and the bytes are always those made from scratch."""
    config, problems = load_config(real_project, str(real_project / "public"))
    assert not problems
    problems, index = check_site(config, TODAY)
    urls = Urls(config.base_url)
    fresh = {path: bytes(data) for path, data in open_data_files(index, urls, entity_feed_url)}
    whole = sorted(path for path in fresh if path.startswith("data/"))
    assert data_file_url("statements.csv") in whole and data_file_url("people.json") in whole
    inputs = {path: f"hash-{n}" for n, path in enumerate(
        [statement_file_url(s, "statement.json") for s in index.statements]
        + [entity_url(kind, slug) for kind in index.entities for slug in index.entities[kind]])}
    store = open_store(tmp_path, *PIECES_CODE)

    def build(inputs):
        made_lines: dict = {}

        def kept(file, head, separator):
            return made_lines.setdefault(file, KeptLines(inputs, tmp_path / file, store, f"lines-{file}", head, separator))

        made = {path: bytes(data) for path, data in open_data_files(index, urls, entity_feed_url, kept=kept)}
        for file, lines in made_lines.items():
            lines.save()
            (tmp_path / file).write_bytes(made[data_file_url(file)])
        return made, {file: lines.made for file, lines in made_lines.items()}

    made, remade = build(inputs)
    assert made == fresh and all(remade.values())
    made, remade = build(inputs)
    assert made == fresh and remade == {file: [] for file in remade}
    person = entity_url("people", sorted(index.entities["people"])[0])
    statement = statement_file_url(index.statements[0], "statement.json")
    made, remade = build({**inputs, person: "hash-new", statement: "hash-new"})
    assert made == fresh
    assert remade["people.json"] == [person] and remade["statements.csv"] == [statement]
    assert remade["statements.json"] == [statement] and remade["organisations.json"] == []
    assert csv_header() == made[data_file_url("statements.csv")][:len(csv_header())]


def test_the_last_builds_file_once_written_is_known_by_a_stat_and_a_change_by_hand_still_shows(
        real_project, tmp_path, monkeypatch):
    """When the build's writer wrote statements.json, the next build knows the file by its identity
    (device, inode, size, time) and takes its lines without reading it to hash it; a change by hand
    that keeps the file's size still makes every line again."""
    index, urls, name, fresh, paths, inputs = _statements_json(real_project)
    site = tmp_path / "site"
    previous = Path(output_path(site, name))
    store = open_store(tmp_path, *PIECES_CODE)
    whole_file_hashed = []
    digest_of = Chunks.digest

    def spied_digest(chunks):
        if (len(chunks) == 1 and isinstance(chunks[0], FileRange) and chunks[0].offset == 0
                and previous.exists() and chunks[0].length == previous.stat().st_size):
            whole_file_hashed.append(chunks[0].path)
        return digest_of(chunks)

    monkeypatch.setattr(Chunks, "digest", spied_digest)

    def build():
        lines = KeptLines(inputs, previous, store, "lines-x")
        kept = lambda file, head, separator: lines if file == "statements.json" else MadeLines()  # noqa: E731
        made = [(path, data) for path, data in open_data_files(index, urls, entity_feed_url, kept=kept)
                if path == name]
        work = tmp_path / "work"  # written beside the site, then put in its place, as a build does
        _write_files(work, made, {}, {}, True)
        lines.save()
        shutil.rmtree(site, ignore_errors=True)
        work.rename(site)
        shadow = tmp_path / "shadow"  # the shadow's hard link to the file, as a build makes: a new change time
        shutil.rmtree(shadow, ignore_errors=True)
        shadow.mkdir()
        os.link(previous, shadow / "statements.json")
        return previous.read_bytes(), lines

    made, lines = build()  # nothing kept yet
    assert made == fresh and lines.made == paths
    whole_file_hashed.clear()
    made, lines = build()
    assert made == fresh and lines.made == []
    assert whole_file_hashed == []  # known by its identity: not read to be hashed

    # Changed by hand, the same size: the time tells, the file is read, and nothing is taken from it.
    stat = previous.stat()
    previous.write_bytes(made.replace(b"[\n", b" \n", 1))
    os.utime(previous, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert previous.stat().st_size == stat.st_size
    made, lines = build()
    assert made == fresh and lines.made == paths
    assert whole_file_hashed == [previous]


def test_feed_entries_and_archive_lines_wait_on_disk_not_in_memory_until_written(project, tmp_path):
    """Each statement's feed entry is written into several feeds, and every statement's line into
    statements.json and statements.csv, so they are made before the files that hold them; a
    large archive's would be held in memory (about 170 MB at 10,000 statements; cache.Spool)."""
    for kind, slug in (("people", "maria-zakharova"), ("people", "sergey-markov"), ("organisations", "state-duma")):
        project.entity(kind, slug)
    for n in range(150):  # 150 statements of about 30 KB, each in up to five feeds of the newest 50
        words = " ".join(f"w{n}x{i}" for i in range(4000))
        project.statement(f"2025-03-{n % 28 + 1:02d}-s{n}", date=f"2025-03-{n % 28 + 1:02d}", title=f"S{n}",
                          speakers=["Maria Zakharova", "Sergey Markov"], organisations=["State Duma"], body=words + "\n")
    config = project.config()
    problems, index = check_site(config, TODAY)
    assert not [p for p in problems if p.severity == "error"]
    sizes = {}
    tracemalloc.start()
    try:
        for path, data in data_files(index, [], config, Urls(config.base_url)):
            with open(tmp_path / "written", "wb") as handle:  # as the build writes a file: a piece at a time
                if isinstance(data, Chunks):
                    data.write_to(handle)
                else:
                    handle.write(data)
            sizes[path] = (tmp_path / "written").stat().st_size
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    lines = sizes[data_file_url("statements.json")] + sizes[data_file_url("statements.csv")]
    assert lines > 5_000_000 and sizes["feed.xml"] > 1_500_000
    # What is in memory at once is about one statement's worth (its record, line and entry, encoded),
    # not all the entries (as many bytes as statements.json) nor all the lines.
    assert peak < lines / 5, (peak, lines)


def test_the_paths_of_the_data_files_are_known_without_making_them(real_project_copy):
    """Links in texts to the site's files are checked against datafiles.data_file_paths, which names what data_files
    makes without making it (a cold build's feeds alone take seconds at 10,000 statements): the two must agree, old
    addresses of statements and entities included."""
    from statement_archive.datafiles import data_file_paths
    from statement_archive.plan import outline

    root = real_project_copy
    statement = root / "content" / "statements" / "2025-03-20-zakharova-azerbaijan-armenia-leaders-victory-day-visits.md"
    statement.write_text(statement.read_text(encoding="utf-8").replace(
        "---\n", "---\naliases: [/statements/2025/03/19/an-old-address/]\n", 1), encoding="utf-8")
    person = root / "content" / "people" / "maria-zakharova.md"
    person.write_text(person.read_text(encoding="utf-8").replace("---\n", "---\nold_urls: [/people/m-zakharova/]\n", 1),
                      encoding="utf-8")
    config, problems = load_config(root, str(root / "public"))
    problems, index = check_site(config, TODAY)
    assert not [p for p in problems if p.severity == "error"], problems
    urls = Urls(config.base_url)
    pages = [(stub.url, stub.kind) for stub in outline(index, config, urls)]
    made = {path for path, _ in data_files(index, pages, config, urls)}
    assert {"statements/2025/03/19/an-old-address/statement.bib", "people/m-zakharova/feed.xml"} <= made
    assert data_file_paths(index) == made
