"""Data files made from pieces kept between builds are the data files made from scratch."""

from __future__ import annotations

from conftest import TODAY
from statement_archive.config import load_config
from statement_archive.datafiles import Pieces
from statement_archive.opendata import open_data_files
from statement_archive.pipeline import check_site
from statement_archive.urls import Urls, entity_feed_url, statement_file_url


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
