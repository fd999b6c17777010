"""Data files made from pieces kept between builds are the data files made from scratch."""

from __future__ import annotations

from conftest import TODAY
from statement_archive.config import load_config
from statement_archive.cache import digest, open_store
from statement_archive.datafiles import PIECES_CODE, KeptLines, Pieces
from statement_archive.opendata import open_data_files
from statement_archive.pipeline import check_site
from statement_archive.urls import Urls, data_file_url, entity_feed_url, statement_file_url


def test_a_piece_is_kept_while_its_inputs_hash_is_the_same():
    made = []

    def make(value):
        return lambda: made.append(value) or value

    pieces = Pieces({"a": "hash-a", "b": "hash-b2"}, kept={"a": ("hash-a", "kept a"), "b": ("hash-b1", "old b"),
                                                        "gone": ("hash-g", "old g")})
    assert pieces.get("a", make("new a")) == "kept a"
    assert pieces.get("b", make("new b")) == "new b"  # its inputs changed
    assert pieces.get("c", make("new c")) == "new c"  # no hash for it: always made, never kept
    assert made == ["new b", "new c"]
    assert pieces.current() == {"a": ("hash-a", "kept a"), "b": ("hash-b2", "new b")}


def test_open_data_from_kept_pieces_is_the_open_data_made_afresh(real_project):
    config, problems = load_config(real_project, str(real_project / "public"))
    assert not problems
    problems, index = check_site(config, TODAY)
    urls = Urls(config.base_url)
    fresh = dict(open_data_files(index, urls, entity_feed_url))

    paths = [statement_file_url(s, "statement.json") for s in index.statements]
    inputs = {path: f"hash-{n}" for n, path in enumerate(paths)}
    first = Pieces(inputs, kept={})
    assert dict(open_data_files(index, urls, entity_feed_url, pieces=first)) == fresh
    kept = first.current()
    assert set(paths) <= set(kept)

    # The next build: one statement's inputs changed, and what was kept for it is wrong on purpose.
    changed = paths[0]
    kept[changed] = (kept[changed][0], (b'{"stale": true}', b"stale\r\n"))
    second = Pieces({**inputs, changed: "hash-new"}, kept=kept)
    assert dict(open_data_files(index, urls, entity_feed_url, pieces=second)) == fresh
    assert list(second.made) == [changed]


def test_statements_json_from_the_last_builds_file_is_the_file_made_afresh(real_project, tmp_path):
    config, problems = load_config(real_project, str(real_project / "public"))
    assert not problems
    problems, index = check_site(config, TODAY)
    urls = Urls(config.base_url)
    name = data_file_url("statements.json")
    fresh = bytes(dict(open_data_files(index, urls, entity_feed_url))[name])
    paths = [statement_file_url(s, "statement.json") for s in index.statements]
    inputs = {path: f"hash-{n}" for n, path in enumerate(paths)}
    previous = tmp_path / "statements.json"
    store = open_store(tmp_path, *PIECES_CODE)

    def build(inputs):
        """One build's statements.json, written where the next build finds it; and its KeptLines."""
        lines = KeptLines(inputs, previous, store, "lines")
        made = bytes(dict(open_data_files(index, urls, entity_feed_url, kept_lines=lines))[name])
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
    record = store.load("lines")
    _, offset, length = record["lines"][changed]
    altered = bytearray(previous.read_bytes())
    altered[offset:offset + length] = b"x" * length
    previous.write_bytes(bytes(altered))
    store.save("lines", {**record, "digest": digest(bytes(altered))})
    made, lines = build({**inputs, changed: "hash-new"})
    assert made == fresh and lines.made == [changed]

    # The file changed by hand since the last build: nothing is taken from it.
    previous.write_bytes(made.replace(b"[\n", b"[\n ", 1))
    made, lines = build(inputs)
    assert made == fresh and lines.made == paths

