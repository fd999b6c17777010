"""The build cache's bucketed store: one edited entry rewrites one bucket, not the whole cache;
and files given as chunks (some of them ranges of a file on disk) are the bytes they join."""

import gc
import os

import pytest

from statement_archive.cache import (BUCKETS, KEYS_QUERY, Chunks, FileRange, KeptText, PackedLines, Spool, Store, Table, TextLost,
                                    bucket_of, digest, kept_for_the_build, thawed)


def bucket_files(folder):
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("files-*.pickle")}


def test_buckets_round_trip_and_only_changed_buckets_are_rewritten(tmp_path):
    store = Store(tmp_path, "code-1")
    value = {f"content/statements/{n}.md": ("entry", n) for n in range(300)}
    store.save_buckets("files", value, {})
    assert store.load_buckets("files") == value
    assert len(bucket_files(tmp_path)) == BUCKETS  # 300 keys fill every bucket

    loaded = store.load_buckets("files")
    before = bucket_files(tmp_path)
    for path in tmp_path.glob("files-*.pickle"):  # make any rewrite visible in the modification time
        path.touch()
        before[path.name] = path.stat().st_mtime_ns
    edited = dict(loaded)
    key = "content/statements/7.md"
    edited[key] = ("entry", "edited")
    store.save_buckets("files", edited, loaded)
    after = bucket_files(tmp_path)
    rewritten = {name for name in after if after[name] != before[name]}
    assert rewritten == {f"files-{bucket_of(key):02x}.pickle"}
    assert store.load_buckets("files") == edited


def test_a_removed_entry_rewrites_its_bucket_and_a_changed_program_reads_nothing(tmp_path):
    store = Store(tmp_path, "code-1")
    value = {"a": 1, "b": 2, "c": 3}
    store.save_buckets("files", value, {})
    loaded = store.load_buckets("files")
    del loaded["b"]
    store.save_buckets("files", loaded, store.load_buckets("files"))
    assert store.load_buckets("files") == {"a": 1, "c": 3}
    assert Store(tmp_path, "code-2").load_buckets("files") == {}


def test_plain_records_round_trip_and_bad_or_foreign_ones_read_as_absent(tmp_path):
    store = Store(tmp_path, "code-1")
    record = {"key": "abc", "problems": [("warning", "content/x.md:3: warning: a name")], "live": (1, 2), "n": 5}
    store.save_plain("last-x", record)
    assert store.load_plain("last-x") == record
    assert Store(tmp_path, "code-2").load_plain("last-x") is None  # another program's record
    assert store.load("last-x") is None  # plain records and pickles are kept apart
    (tmp_path / "last-x.marshal").write_bytes(b"\x00not marshal")
    assert store.load_plain("last-x", "absent") == "absent"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last-x.marshal"]  # no temporary file left


def test_a_table_reads_entries_one_by_one_keeps_what_it_is_told_and_ignores_another_program(tmp_path):
    table = Store(tmp_path, "code-1").table("texts")
    assert table.keys() == set()
    table.update({"a": ("one", 1), "b": ("two", 2), "c": ("three", 3)}, keep=())
    again = Table(tmp_path / "texts.sqlite", "code-1")  # a later build
    assert again.keys() == {"a", "b", "c"}
    assert again.get("b") == ("two", 2)
    assert again.get("missing", "absent") == "absent"
    again.update({"d": ("four", 4)}, keep={"a", "c"})  # b was not used: it goes
    assert Table(tmp_path / "texts.sqlite", "code-1").keys() == {"a", "c", "d"}
    other = Table(tmp_path / "texts.sqlite", "code-2")  # a changed program reads nothing, then replaces all
    assert other.keys() == set() and other.get("a") is None
    other.update({"e": 5}, keep=())
    assert Table(tmp_path / "texts.sqlite", "code-1").keys() == set()
    assert Table(tmp_path / "texts.sqlite", "code-2").keys() == {"e"}


def test_a_tables_keys_are_read_from_an_index_not_from_its_values(tmp_path):
    import sqlite3
    from contextlib import closing

    path = tmp_path / "bodies.sqlite"
    with closing(sqlite3.connect(path)) as old:  # a file made before the index was
        old.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, stamp TEXT, value BLOB)")
        old.execute("INSERT INTO entries VALUES ('a', 'code-1', ?)", (b"x" * 5000,))
        old.commit()

    def plan() -> str:
        with closing(sqlite3.connect(path)) as connection:
            return " ".join(row[-1] for row in connection.execute("EXPLAIN QUERY PLAN " + KEYS_QUERY, ("code-1",)))

    assert "COVERING INDEX" not in plan()
    assert Table(path, "code-1", read_only=True).keys() == {"a"}  # `check` changes nothing, and still reads it
    assert "COVERING INDEX" not in plan()
    assert Table(path, "code-1").keys() == {"a"}  # a build's first use adds the index
    assert "COVERING INDEX" in plan()
    Table(path, "code-1").update({"b": b"y"}, keep={"a"})
    assert Table(path, "code-1").keys() == {"a", "b"}


def test_an_unreadable_table_counts_as_empty_and_is_made_afresh(tmp_path):
    (tmp_path / "texts.sqlite").write_bytes(b"this is not a database" * 100)
    table = Table(tmp_path / "texts.sqlite", "code-1")
    assert table.keys() == set()
    assert table.get("a") is None
    table.update({"a": 1}, keep=())
    assert Table(tmp_path / "texts.sqlite", "code-1").get("a") == 1


class _InterruptedAfter:
    """A connection whose `statement` runs, and then Ctrl-C lands (as Python raises it: once the call ends)."""

    def __init__(self, connection, statement: str):
        self.connection, self.statement = connection, statement

    def __getattr__(self, name):
        return getattr(self.connection, name)

    def execute(self, sql, *args):
        result = self.connection.execute(sql, *args)
        if sql == self.statement:
            raise KeyboardInterrupt
        return result


@pytest.mark.parametrize("statement", ["COMMIT", "BEGIN IMMEDIATE", "DELETE FROM entries WHERE stamp != ?"])
def test_ctrl_c_during_a_tables_change_is_raised_and_keeps_the_file(tmp_path, statement):
    """Ctrl-C that landed as COMMIT ran had been lost: the ROLLBACK after it failed, and that error made the
    table delete its file as unreadable. A rebuild in `serve` then went on, and Ctrl-C seemed to do nothing."""
    path = tmp_path / "texts.sqlite"
    Table(path, "code-1").update({"a": 1}, keep=())
    table = Table(path, "code-1")
    real = table._connect()
    table._connection = _InterruptedAfter(real, statement)
    with pytest.raises(KeyboardInterrupt):
        table.update({"b": 2}, keep={"a"})
    assert not real.in_transaction
    after = Table(path, "code-1")
    assert after.get("a") == 1
    assert after.keys() == ({"a", "b"} if statement == "COMMIT" else {"a"})  # done, or undone as a whole


def test_chunks_hash_and_write_as_the_bytes_they_join(tmp_path):
    source = tmp_path / "source"
    source.write_bytes(bytes(range(256)) * 10_000)  # 2.56 MB: more than one block
    chunks = Chunks([b"head ", FileRange(source, 100, 2_000_000), b" tail", FileRange(source, 0, 3)])
    whole = b"head " + source.read_bytes()[100:2_000_100] + b" tail" + bytes(range(3))
    assert bytes(chunks) == whole
    assert chunks.digest() == digest(whole) == digest(chunks)
    target = tmp_path / "target"
    with open(target, "wb") as handle:
        chunks.write_to(handle)
    assert target.read_bytes() == whole


def test_bytes_set_aside_in_a_spool_read_back_hash_and_write_as_themselves(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    spool = Spool(folder)
    pieces = [bytes([n]) * (n * 1000 + 1) for n in range(50)]
    ranges = [spool.add(piece) for piece in pieces]
    assert [bytes(r) for r in ranges] == pieces and [len(r) for r in ranges] == [len(p) for p in pieces]
    chunks = Chunks([b"head ", *ranges[::-1], b" tail", ranges[3]])  # any order, any range twice
    whole = b"head " + b"".join(pieces[::-1]) + b" tail" + pieces[3]
    assert bytes(chunks) == whole and digest(chunks) == digest(whole)
    with open(tmp_path / "target", "wb") as handle:
        chunks.write_to(handle)
    assert (tmp_path / "target").read_bytes() == whole
    later = spool.add(b"added after some were read")  # reading does not disturb what is added next
    assert bytes(later) == b"added after some were read" and bytes(ranges[49]) == pieces[49]
    # The file is on the folder's disk, and has no name there: nothing is left if the build is killed.
    assert os.fstat(spool._file.fileno()).st_dev == folder.stat().st_dev and list(folder.iterdir()) == []


def test_a_range_past_the_end_of_its_file_is_an_error_not_short_bytes(tmp_path):
    source = tmp_path / "source"
    source.write_bytes(b"0123456789")
    assert bytes(FileRange(source, 2, 8)) == b"23456789"
    with pytest.raises(OSError):
        bytes(FileRange(source, 5, 6))


def test_a_kept_text_is_pickled_as_its_key_and_read_from_its_table_once(tmp_path):
    import pickle

    text = "Mətn, kept out of memory. " * 50
    table = Table(tmp_path / "texts.sqlite", "code-1")
    table.update({"k": text}, keep=())
    kept = KeptText("k", None, text)
    data = pickle.dumps(kept)
    assert b"kept out of memory" not in data and len(data) < 100
    again = pickle.loads(data)
    with pytest.raises(TextLost):  # no table given yet: never an empty or made-up text
        again.text()
    again.table = table
    reads = []
    get = table.get
    table.get = lambda key, default=None: reads.append(key) or get(key, default)
    assert again.text() == text and again.text() == text
    assert reads == ["k"]
    table.update({}, keep=())  # the cache lost it meanwhile
    with pytest.raises(TextLost):
        KeptText("k", table).text()


def test_packed_lines_read_as_the_line_map_they_pack_and_pickle_small():
    import pickle
    import sys

    lines = {"title": 2, "date": 3, **{f"quotes[{i}].text": 10 + i for i in range(30)}, "(body)": 45}
    packed = PackedLines(lines)
    assert dict(packed) == lines and packed == lines and len(packed) == len(lines)
    assert packed.get("date") == 3 and packed["(body)"] == 45 and packed.get("slug", 7) == 7 and "title" in packed
    again = pickle.loads(pickle.dumps(packed))
    assert type(again) is PackedLines and again == lines and again.get("quotes[4].text") == 14
    loaded = pickle.loads(pickle.dumps(lines))  # what a build holds for each kept statement, unpacked or not
    held = sys.getsizeof(loaded) + sum(map(sys.getsizeof, loaded))
    assert sys.getsizeof(again) + sys.getsizeof(again._packed) < held / 3


def test_text_and_bodies_are_kept_without_leaving_a_utf8_copy_in_memory(tmp_path):
    """Pickling a str beyond ASCII makes Python keep a UTF-8 copy inside it for as long as it
    lives (120 MB of a cold build at 10,000 statements); the text and body tables encode without
    that, round-trip exactly, and a table read with another codec finds nothing."""
    import sys

    from statement_archive import incremental
    from statement_archive.cache import PICKLED, TEXT
    from statement_archive.markup import render_body

    text = "Ilham Əliyev said: “Azərbaycan”.\n\n> A quotation with ş and ğ.\n\n- one\n- two\n"
    body = render_body(text)
    strings = [text, *(b.html for b in body.blocks), *(p.text for p in body.paragraphs)]
    sizes = [sys.getsizeof(s) for s in strings]
    Store(tmp_path, "code-1").table("texts", TEXT).update({"t": text}, keep=())
    Store(tmp_path, "code-1").table("bodies", incremental.BODIES).update({"b": body}, keep=())
    assert [sys.getsizeof(s) for s in strings] == sizes
    assert Store(tmp_path, "code-1").table("texts", TEXT).get("t") == text
    kept = Store(tmp_path, "code-1").table("bodies", incremental.BODIES).get("b")
    assert kept == body and type(kept) is type(body) and type(kept.blocks[0]) is type(body.blocks[0])
    assert Store(tmp_path, "code-1").table("texts").get("t") is None  # pickled entries are another stamp

    Store(tmp_path, "code-1").table("bodies", PICKLED).update({"b": body}, keep=())  # what pickle does
    assert sys.getsizeof(body.blocks[0].html) > sizes[1]


def test_a_read_only_table_reads_what_is_there_and_changes_nothing(tmp_path):
    missing = Store(tmp_path / "cache", "code", read_only=True)
    assert missing.table("texts").keys() == set() and missing.table("texts").get("k") is None
    missing.table("texts").update({"k": "v"}, keep=())
    missing.save("related", {"x": 1})
    assert not (tmp_path / "cache").exists()
    Store(tmp_path / "cache", "code").table("texts").update({"k": "v"}, keep=())
    kept = Store(tmp_path / "cache", "code", read_only=True).table("texts")
    assert kept.get("k") == "v"
    kept.update({}, keep=())
    kept.add({"other": "w"})
    assert kept.keys() == {"k"}
    (tmp_path / "cache" / "texts.sqlite").write_bytes(b"not a database" * 100)
    assert Store(tmp_path / "cache", "code", read_only=True).table("texts").keys() == set()
    assert (tmp_path / "cache" / "texts.sqlite").read_bytes() == b"not a database" * 100  # not made afresh


def test_what_a_store_loads_is_left_alone_by_the_collector_until_the_build_is_over(tmp_path):
    store = Store(tmp_path, "f1")
    store.save("related", {str(n): (n, [n]) for n in range(1000)})
    with thawed():
        assert gc.isenabled()
        loaded = store.load("related")
        assert gc.is_tracked(loaded) and gc.get_freeze_count() > 0  # frozen: no collection scans them
        assert gc.isenabled()  # and the collector runs again for what comes after
        with kept_for_the_build():
            assert not gc.isenabled()  # paused while objects arrive
        assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # handed back: a process that builds again (serve) can collect them
    gc.disable()
    try:
        with thawed(), kept_for_the_build():
            pass
        assert not gc.isenabled()  # a collector paused by the caller stays paused
    finally:
        gc.enable()


@pytest.mark.parametrize("damage", [b"\x8d\xff\xff\xff\xff\xff\xff\xff\xff", b"\x80\x05K", b"", b"\x80\x05\x95garbage",
                                    os.urandom(64)], ids=["overflow", "cut-short", "empty", "garbage", "random"])
def test_a_damaged_pickle_or_table_entry_reads_as_absent(tmp_path, damage):
    """Whatever a file cut short or written over makes unpickling raise (an OverflowError here, which was a
    traceback on every build until the cache was deleted), the entry is absent and the build makes it again."""
    store = Store(tmp_path, "code-1")
    store.save("state-x", {"kept": 1})
    (tmp_path / "state-x.pickle").write_bytes(damage)
    assert store.load("state-x", "absent") == "absent"
    table = Table(tmp_path / "bodies.sqlite", "code-1")
    table.add({"a": b"value"})
    import sqlite3

    with sqlite3.connect(tmp_path / "bodies.sqlite") as connection:
        connection.execute("UPDATE entries SET value = ?", (damage,))
    assert table.get("a", "absent") == "absent"
