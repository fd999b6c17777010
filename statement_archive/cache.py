"""The build cache: what earlier builds computed, keyed by content hash, in `.cache/` (safe to delete).

Why: parsing front matter and rendering Markdown are the slow parts of a build and their
results depend only on a file's bytes (and the code). Every entry is keyed by a hash of
what it was made from, and the whole cache is keyed by a hash of this package's source, so
a changed program never reads an old answer. Deleting `.cache/` only makes the next build
a cold one. This module imports nothing heavy: the no-change check runs before Jinja2,
Markdown and PyYAML are imported.
"""

from __future__ import annotations

import functools
import gc
import marshal
import os
import zlib
from collections.abc import Callable, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

try:  # hashlib.blake2b is this very type; importing hashlib also loads OpenSSL (3 ms of a no-change build)
    from _blake2 import blake2b
except ImportError:  # a Python whose blake2 lives elsewhere
    from hashlib import blake2b

CACHE_DIR = ".cache/statement-archive"
# Every name this program keeps in CACHE_DIR (fnmatch patterns). A file matching none was left
# by an earlier version of the program, and `sweep` deletes it after a successful build.
KEPT_FILES = (
    "files-??.pickle", "body-keys-??.pickle", "resolved-??.pickle", "related.pickle",  # incremental.StageCache
    "texts.sqlite*", "bodies.sqlite*",  # Tables, with SQLite's journal beside them while one is written
    "lines-*.pickle",  # datafiles.KeptLines
    "config.marshal",  # config.remember_site_yaml
    "state-*.pickle", "lock-*",  # incremental.write_incremental, one of each per output folder
    "last-*.marshal", "addresses-*.marshal",  # nochange.remember_build and remember_addresses, one per output folder
)
LEFTOVER_AGE = 3600  # seconds after which a temporary file is a killed build's, not a running one's
PACKAGE_DIR = Path(__file__).resolve().parent


@contextmanager
def kept_for_the_build():
    """Objects made inside live until the build ends: the cyclic collector is paused while they arrive,
    then told to leave them, and everything older, alone (gc.freeze).

    Why: what the cache gives back (millions of tuples, dicts and strings at 10,000 statements)
    holds no reference cycles, yet the collector scanned all of it at its next collection after
    loading, and again at each full one. Reference counting still frees these objects; `thawed`
    hands them back to the collector when the build is over.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


@contextmanager
def thawed():
    """Run a build, then let the collector see again what `kept_for_the_build` froze (for `serve`, which lives on)."""
    try:
        yield
    finally:
        gc.unfreeze()


def digest(data) -> str:
    """The hash of a file's bytes, given whole or as Chunks."""
    if isinstance(data, Chunks):
        return data.digest()
    return blake2b(data, digest_size=16).hexdigest()


class FileRange:
    """Bytes of a file that is already on disk, read only when they are written or hashed."""

    __slots__ = ("path", "offset", "length")
    BLOCK = 1 << 20

    def __init__(self, path, offset: int, length: int):
        self.path, self.offset, self.length = path, offset, length

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        return b"".join(self.blocks())

    def __repr__(self) -> str:
        return f"FileRange({str(self.path)!r}, {self.offset}, {self.length})"

    def blocks(self):
        """The bytes, a block at a time; a file shorter than the range is an error (OSError)."""
        with open(self.path, "rb") as handle:
            handle.seek(self.offset)
            left = self.length
            while left:
                block = handle.read(min(left, self.BLOCK))
                if not block:
                    raise OSError(f"{self.path} is shorter than the build expected")
                left -= len(block)
                yield block

    def joins(self, other, between: bytes) -> bool:
        """Whether `other` follows this range in the same file, `between` bytes after it."""
        return (isinstance(other, FileRange) and other.path == self.path
                and other.offset == self.offset + self.length + len(between))

    def through(self, other) -> FileRange:
        return FileRange(self.path, self.offset, other.offset + other.length - self.offset)


class Spool:
    """Bytes made once and written into many files, set aside in an anonymous temporary file
    until they are written (`add` gives the range that stands for them).

    Why: a cold build at 10,000 statements serialises each statement's feed entry once and
    writes it into some eight feeds, the entries of a kind's feeds spanning the whole archive,
    and makes every line of statements.json and statements.csv before it writes them: about 90
    MB of entries, then about 80 MB of lines, held by the main process while Pagefind runs
    beside it. In a file they are in the system's file cache, which it can reclaim, rather than
    in the process. The file is made in `folder` (the build's cache folder, on the project's
    disk), else in the system's temporary folder, which on some systems is itself in memory. It
    has no name (deleted as it is made, or at once where that cannot be done), and goes when the
    last range of it does, even if the build is killed.
    """

    def __init__(self, folder=None):
        import tempfile

        self.folder = str(folder or tempfile.gettempdir())
        try:
            self._file = tempfile.TemporaryFile(dir=folder)
        except OSError as exc:
            raise self._failed(exc) from exc
        self._size = 0

    def add(self, data: bytes) -> "SpoolRange":
        try:
            self._file.write(data)
        except OSError as exc:
            raise self._failed(exc) from exc
        self._size += len(data)
        return SpoolRange(self, self._size - len(data), len(data))

    def read(self, offset: int, length: int) -> bytes:
        try:
            self._file.flush()  # what `add` wrote may still be in the file object's buffer
            data = os.pread(self._file.fileno(), length, offset)
            while len(data) < length:  # a regular file reads short only at its end
                more = os.pread(self._file.fileno(), length - len(data), offset + len(data))
                if not more:
                    raise OSError("the build's temporary file is shorter than it wrote")
                data += more
        except OSError as exc:
            raise self._failed(exc) from exc
        return data

    def _failed(self, exc: OSError) -> "SpoolFailed":
        return SpoolFailed(exc.errno, exc.strerror or str(exc), self.folder)


class SpoolFailed(OSError):
    """The build's temporary file (a Spool) could not be made, written or read: a full disk, say.

    Why its own kind: the file is in the cache folder, not in the output, so the error has to
    name that folder (`filename`) for the editor to know which disk to free.
    """


class SpoolRange:
    """Bytes set aside in a Spool, read back when they are written or hashed (as a FileRange is)."""

    __slots__ = ("spool", "offset", "length")

    def __init__(self, spool: Spool, offset: int, length: int):
        self.spool, self.offset, self.length = spool, offset, length

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        return self.spool.read(self.offset, self.length)

    def blocks(self):
        yield self.spool.read(self.offset, self.length)


class Chunks(list):
    """A file's bytes as the pieces it is joined from (bytes, FileRange or SpoolRange), written one after another.

    Why: statements.json is tens of megabytes at 10,000 statements, and most of it is the same
    as in the last build's file (datafiles.KeptLines); joined, it would be all in memory. The
    digest is made once, by whoever asks first (the writer, or the maker keeping it).
    """

    _digest = None
    # The file's identity once written (file_identity), set by the writer: the next build knows
    # by a stat that the file it finds is this one, without reading and hashing it again.
    written = None

    def blocks(self):
        """The bytes in order: bytes chunks as they are, ranges a block at a time."""
        for chunk in self:
            if isinstance(chunk, (FileRange, SpoolRange)):
                yield from chunk.blocks()
            else:
                yield chunk

    def digest(self) -> str:
        if self._digest is None:
            hashed = blake2b(digest_size=16)
            for block in self.blocks():
                hashed.update(block)
            self._digest = hashed.hexdigest()
        return self._digest

    def write_to(self, handle) -> None:
        for block in self.blocks():
            handle.write(block)

    def __bytes__(self) -> bytes:
        return b"".join(self.blocks())


def file_identity(path) -> tuple:
    """What tells a file the build wrote from any other and from itself changed: device, inode, size and
    modification time in nanoseconds. Not the change time: the shadow's hard links to it change that."""
    stat = os.stat(path)
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _times(stat) -> tuple[int, int]:
    """A file's modification and change times. The change time too, as git's index has it: a tool that edits
    a file and then sets its modification time back (or a copy that keeps it, of the same size) cannot set
    that one, so the edit is seen."""
    return (stat.st_mtime_ns, stat.st_ctime_ns)


def code_fingerprint(modules: tuple = (), libraries: tuple = ()) -> str:
    """A hash of this package's source files (or just `modules`) and of the named libraries' versions.

    Each cache entry is stamped with the fingerprint of the code that made it: a changed
    program or library never reads an old answer. The code is the one this process runs (running_code).
    """
    h = blake2b(digest_size=16)
    sources, installed = running_code()
    for name in [f"{m}.py" for m in modules] if modules else sorted(sources):
        h.update(name.encode())
        h.update(sources.get(name, b"missing"))
    for name in libraries:
        h.update(f"{name}={installed.get(_normal(name), 'none')}".encode())
    return h.hexdigest()


@functools.cache
def running_code() -> tuple[dict[str, bytes], dict[str, str]]:
    """The digest of each of the package's source files, and the installed libraries' versions, as this process
    first read them: the code it runs. Why once: `serve` builds again and again in one process, and a source
    edited meanwhile is not what that process runs; had its answers been stamped with the edited code's
    fingerprint, the next run of the new code would have trusted them."""
    return _source_digests(), installed_versions()


def code_changed_since_start() -> bool:
    """Whether the package's sources on disk differ from those this process runs (running_code)."""
    return _source_digests() != running_code()[0]


def _source_digests() -> dict[str, bytes]:
    digests = {}
    for name in _package_files():
        try:
            with open(os.path.join(PACKAGE_DIR, name), "rb") as source:
                digests[name] = blake2b(source.read(), digest_size=16).digest()
        except OSError:
            continue
    return digests


def _package_files() -> list[str]:
    """The package's *.py names, sorted: what Path.glob("*.py") gives, a tenth of its 0.6 ms (first call)."""
    return sorted(name for name in os.listdir(PACKAGE_DIR) if name.endswith(".py") and not name.startswith("."))


def _normal(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def installed_versions() -> dict:
    """{normalised name: version} from the *.dist-info folder names: a directory listing, no imports
    (importlib.metadata costs tens of milliseconds, a third of a no-change build)."""
    import site
    import sys

    found = {}
    folders = [p for p in sys.path if p.endswith("site-packages")] or site.getsitepackages()
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for entry in names:
            if entry.endswith(".dist-info") and "-" in entry:
                name, _, version = entry[: -len(".dist-info")].rpartition("-")
                found.setdefault(_normal(name), version)
    return found


class Store:
    """Named pickles in one folder, written atomically; unreadable or foreign entries count as absent.

    Plain values (text, numbers, lists, tuples, dicts of those) can be kept with marshal instead
    (`load_plain`, `save_plain`): the no-change check reads two such records, and importing
    pickle would cost it 4 ms.
    """

    def __init__(self, folder: Path, fingerprint: str, read_only: bool = False):
        self.folder = folder
        self.fingerprint = fingerprint
        self.read_only = read_only  # `check` reads what builds kept and writes nothing

    def load(self, name: str, default=None):
        import pickle

        try:
            with open(self.folder / f"{name}.pickle", "rb") as handle, kept_for_the_build():
                stamp, value = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a file cut short or written over: unpickling it can raise almost anything
            return default
        return value if stamp == self.fingerprint else default

    def save(self, name: str, value) -> None:
        import pickle

        self._write(f"{name}.pickle", lambda out: pickle.dump((self.fingerprint, value), out,
                                                             protocol=pickle.HIGHEST_PROTOCOL))

    def load_plain(self, name: str, default=None):
        try:
            with open(self.folder / f"{name}.marshal", "rb") as handle:
                stamp, value = marshal.load(handle)
        except (OSError, EOFError, ValueError, TypeError, MemoryError):  # another Python's format: absent
            return default
        return value if stamp == self.fingerprint else default

    def save_plain(self, name: str, value) -> None:
        self._write(f"{name}.marshal", lambda out: marshal.dump((self.fingerprint, value), out))

    def _write(self, filename: str, dump) -> None:
        """`dump(file)` into a temporary file, then renamed to `filename`: never half-written."""
        import tempfile  # only a build that wrote something saves: the no-change check need not import it

        _check_kept(filename)
        if self.read_only:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{filename}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                dump(out)
            os.replace(temporary, self.folder / filename)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def load_buckets(self, name: str) -> dict:
        """A dict saved with `save_buckets`: the union of its buckets (a missing or stale bucket is empty)."""
        merged: dict = {}
        for bucket in range(BUCKETS):
            merged.update(self.load(f"{name}-{bucket:02x}", {}))
        return merged

    def save_buckets(self, name: str, value: dict, old: dict) -> None:
        """Save `value` in BUCKETS files by key, rewriting only the buckets that differ from `old`.

        Why: at 10,000 statements the whole cache is some 200 MB of pickles; one edited file
        then rewrites a bucket of a few megabytes instead of all of it. A bucket differs when
        its keys differ or one of its values is not the very object loaded from `old`.
        """
        split: list[dict] = [{} for _ in range(BUCKETS)]
        for key, item in value.items():
            split[bucket_of(key)][key] = item
        stale = {bucket_of(key) for key in old.keys() - value.keys()}
        stale.update(bucket_of(key) for key, item in value.items() if old.get(key) is not item)
        for bucket in sorted(stale):
            self.save(f"{name}-{bucket:02x}", split[bucket])

    def table(self, name: str, codec: Codec | None = None) -> Table:
        """A Table of entries in this store's folder, stamped with its fingerprint (and its codec's name)."""
        _check_kept(f"{name}.sqlite")
        return Table(self.folder / f"{name}.sqlite", self.fingerprint, codec or PICKLED, self.read_only)


def _kept(filename: str) -> bool:
    """Whether KEPT_FILES names this file (so `sweep` leaves it)."""
    from fnmatch import fnmatchcase

    return any(fnmatchcase(filename, pattern) for pattern in KEPT_FILES)


def _check_kept(filename: str) -> None:
    """Refuse a name `sweep` would delete: a new kind of cache file must be added to KEPT_FILES."""
    if not _kept(filename):
        raise ValueError(f"cache file {filename!r} matches nothing in cache.KEPT_FILES; add it there")


def sweep(folder: Path, now: float | None = None) -> list[str]:
    """Delete the files in the cache folder that this program no longer writes; return their names.

    Why: each change of the cache's layout left its old files behind for ever (21 MB of an
    earlier layout's pickles in the 10,000-statement benchmark's cache). Temporary files are
    deleted once LEFTOVER_AGE old, since a build running beside this one may be writing them.
    """
    import time

    now = time.time() if now is None else now
    gone = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return gone
    for entry in entries:
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.startswith("."):  # Store._write's temporary files
                if now - entry.stat(follow_symlinks=False).st_mtime < LEFTOVER_AGE:
                    continue
            elif _kept(entry.name):
                continue
            os.unlink(entry.path)
        except OSError:  # gone already, or not ours to delete: the cache is only a cache
            continue
        gone.append(entry.name)
    return sorted(gone)


class Codec(NamedTuple):
    """How a Table turns its values into bytes and back."""

    name: str
    dumps: Callable
    loads: Callable


def _pickle_dumps(value) -> bytes:
    import pickle

    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def _pickle_loads(data: bytes):
    import pickle

    return pickle.loads(data)


PICKLED = Codec("pickle", _pickle_dumps, _pickle_loads)
# Why not pickle for text: pickling a str with letters beyond ASCII (every ə) makes Python keep
# a UTF-8 copy inside the str for as long as it lives. Saving a cold build's 10,000 texts and
# their rendered bodies that way left 120 MB of such copies in the main process, held until it
# ended and shared with the workers it forked. str.encode and marshal make their bytes and let them go.
TEXT = Codec("utf-8", str.encode, lambda data: bytes(data).decode())


KEYS_INDEX = "entries_by_stamp"
KEYS_QUERY = "SELECT key FROM entries WHERE stamp = ?"


class Table:
    """Entries in one SQLite file (pickled, or in another Codec), each read only when asked for.

    Why: a build that changes one statement needs the rendered text of a few hundred others
    (its page, the feeds it is in), not of all of them; loading every bucket of rendered text
    took about 0.4 s and 240 MB of each edit at 10,000 statements. Rows stamped with another
    fingerprint count as absent; an unreadable file counts as empty and is made afresh.
    """

    def __init__(self, path: Path, fingerprint: str, codec: Codec = PICKLED, read_only: bool = False):
        self.path = path
        self.fingerprint = fingerprint if codec is PICKLED else f"{fingerprint}-{codec.name}"
        self.codec = codec
        self.read_only = read_only  # opened read-only (a missing file reads as empty); add and update do nothing
        self._connection = None
        self._pid = None

    def _connect(self):
        import sqlite3

        if self._connection is None or self._pid != os.getpid():  # a forked worker opens its own
            if self.read_only:
                self._connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                                   timeout=60, isolation_level=None)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
                self._connection.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, stamp TEXT, value BLOB)")
                # `keys` from this index alone: from the table, it read every page of the values too
                # (117 MB of rendered bodies at 10,000 statements: 0.18 to 0.30 s against 0.004 to 0.011 s,
                # the file not in the page cache; bench/README.md).
                self._connection.execute(f"CREATE INDEX IF NOT EXISTS {KEYS_INDEX} ON entries (stamp, key)")
            self._pid = os.getpid()
        return self._connection

    def keys(self) -> set:
        import sqlite3

        try:
            rows = self._connect().execute(KEYS_QUERY, (self.fingerprint,))
            return {key for (key,) in rows}
        except sqlite3.DatabaseError:
            self._reset()
            return set()

    def get(self, key: str, default=None):
        try:
            row = self._connect().execute("SELECT value FROM entries WHERE key = ? AND stamp = ?",
                                          (key, self.fingerprint)).fetchone()
            return self.codec.loads(row[0]) if row else default
        except Exception:  # noqa: BLE001 - a damaged database or entry (see Store.load): absent, made again
            return default

    def add(self, new: dict) -> None:
        """Add the `new` entries in one transaction (from any process: SQLite makes writers wait their turn)."""
        self._change(lambda connection: self._insert(connection, new))

    def update(self, new: dict, keep) -> bool:
        """Add the `new` entries and drop every other entry whose key is not in `keep`, in one transaction.
        False if that failed (the file is then made afresh by the next build)."""
        wanted = set(keep) | new.keys()

        def change(connection) -> None:
            old = {key for (key,) in connection.execute(KEYS_QUERY, (self.fingerprint,))}
            connection.execute("DELETE FROM entries WHERE stamp != ?", (self.fingerprint,))
            connection.executemany("DELETE FROM entries WHERE key = ?", [(key,) for key in old - wanted])
            self._insert(connection, new)

        return self._change(change)

    def _insert(self, connection, new: dict) -> None:
        # A generator: each value is encoded as it is inserted, not all of them held at once.
        connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                               ((key, self.fingerprint, self.codec.dumps(value)) for key, value in new.items()))

    def _change(self, change) -> bool:
        """`change(connection)` in one transaction; a file SQLite cannot use is made afresh (False)."""
        import sqlite3

        if self.read_only:
            return False
        try:
            connection = self._connect()
            try:
                connection.execute("BEGIN IMMEDIATE")
                change(connection)
                connection.execute("COMMIT")
            except BaseException:
                # Only a transaction still open is rolled back, and a rollback that fails does not replace
                # what stopped it. Ctrl-C's KeyboardInterrupt is raised once the statement running ends, COMMIT
                # too: a ROLLBACK after it failed, and that DatabaseError, caught below, lost the Ctrl-C (the
                # build went on) and deleted the file.
                if connection.in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError:
            self._reset()
            return False
        return True

    def _reset(self) -> None:
        """Forget an unreadable file: the cache is only a cache, and the next build fills it again."""
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        if self.read_only:
            return
        try:
            self.path.unlink()
        except OSError:
            pass


class TextLost(Exception):
    """A kept text is no longer in its table: the cache was changed while a build was using it."""


class KeptText:
    """The text of a content file, kept in a Table of the build cache and read when first asked for
    (model.KeptText says why). It is pickled as its key alone: the cache keeps the records it
    belongs to without it, and `table` is given to it once they are loaded."""

    __slots__ = ("key", "table", "_text")

    def __init__(self, key: str, table: Table | None = None, text: str | None = None):
        self.key, self.table, self._text = key, table, text

    def text(self) -> str:
        if self._text is None:
            found = self.table.get(self.key) if self.table is not None else None
            if not isinstance(found, str):
                raise TextLost(self.key)
            self._text = found
        return self._text

    def held(self) -> bool:
        return self._text is not None

    def release(self) -> None:
        """Let the text go once its table has it: it is read back from there if asked for again."""
        if self.table is not None:
            self._text = None

    def __reduce__(self):
        return KeptText, (self.key,)

    def __repr__(self):
        return f"KeptText({self.key!r})"


class KeptSource:
    """Stands for the parsed front matter of a statement file whose validated record the cache keeps.

    Why: the record says all a build needs, and the parsed front matter beside it was a third of
    the cached files (10,000 statements). FileCache gives it only while the record's validation
    holds for the build's day; on another day the file is read and checked again."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return KeptSource, (self.path,)


class PackedLines(Mapping):
    """A kept record's line map (front-matter key -> line in the file), packed with marshal and
    unpacked when first read.

    Why: some 40 keys a statement, read only to say where a problem is, were 38 MB of the kept
    files at 10,000 statements (the packed form is about a fifth of that)."""

    __slots__ = ("_packed", "_lines")

    def __init__(self, lines: dict | None = None, packed: bytes | None = None):
        self._packed = marshal.dumps(lines) if packed is None else packed
        self._lines = lines

    def _unpacked(self) -> dict:
        if self._lines is None:
            self._lines = marshal.loads(self._packed)
        return self._lines

    def __getitem__(self, key):
        return self._unpacked()[key]

    def get(self, key, default=None):
        return self._unpacked().get(key, default)

    def __iter__(self):
        return iter(self._unpacked())

    def __len__(self) -> int:
        return len(self._unpacked())

    def __reduce__(self):
        return PackedLines, (None, self._packed)


BUCKETS = 64


def bucket_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8")) % BUCKETS


def open_store(root: Path, modules: tuple = (), libraries: tuple = (), read_only: bool = False) -> Store:
    """The cache for entries made by `modules` (default: the whole package) and `libraries`."""
    return Store(root / CACHE_DIR, code_fingerprint(modules, libraries), read_only)


# What each cached stage depends on: its entries are reused only while these are unchanged.
# The layout of the kept files (FileCache, slim_entry) is this module's: it is part of what they depend on.
LOAD_CODE = (("load", "validate", "model", "cache"), ("PyYAML", "python-frontmatter"))
MARKUP_CODE = (("markup", "model"), ("Markdown", "nh3"))
# A kept resolution holds paragraph ids (markup) and problems about fields as validated (load, validate); the same
# store keeps each text's indexes.links_into_site (incremental.StageCache.links_into_site).
RESOLVE_CODE = (("entities", "markup", "model", "load", "validate", "indexes"),
                ("Markdown", "nh3", "anyascii", "PyYAML", "python-frontmatter"))
INDEX_CODE = (("indexes", "model", "urls"), ())
RENDER_CODE = (("render", "incremental", "urls", "write"), ("Jinja2", "MarkupSafe"))
ALL_LIBRARIES = ("Jinja2", "MarkupSafe", "Markdown", "nh3", "PyYAML", "python-frontmatter", "anyascii", "pagefind")


class FileCache:
    """Loaded content files by path, reused while the bytes hash the same (a stat match skips reading).

    `day` (ISO) is the build's: an entry kept without its front matter (KeptSource) is reused only if
    its kept validation holds on that day."""

    def __init__(self, entries: dict | None = None, day: str | None = None):
        self.entries = entries or {}  # path -> (size, times, digest, result[, (first day, last day, outcome)])
        self.used: dict = {}
        self.day = day

    def _usable(self, entry: tuple) -> bool:
        return type(entry[3][0]) is not KeptSource or (self.day is not None and _holds(entry, self.day))

    def lookup(self, path: Path, rel: str) -> tuple[bool, object, tuple | None]:
        """(found, cached result, key): key is (size, times, digest) for `remember`, None if unreadable; the times
        are the modification and the change time (`_times`)."""
        try:
            stat = path.stat()
        except OSError:
            return False, None, None
        entry = self.entries.get(rel)
        if entry and not self._usable(entry):
            entry = None
        if entry and entry[0] == stat.st_size and entry[1] == _times(stat):
            self.used[rel] = entry
            return True, entry[3], entry[:3]
        try:
            data = path.read_bytes()
        except OSError:
            return False, None, None
        key = (stat.st_size, _times(stat), digest(data))
        if entry and entry[2] == key[2]:
            self.used[rel] = (*key, *entry[3:])
            return True, entry[3], key
        return False, None, key

    def remember(self, rel: str, key, result) -> None:
        if key is not None:
            self.used[rel] = (key[0], key[1], key[2], result)

    def checked(self, rel: str, day: str, check) -> tuple:
        """`check()`, the validation of a loaded file, kept beside it while its bytes are the same
        and `day` (an ISO date) lies within the days the outcome holds on.

        Why: validating 10,000 statements took seconds of every build. A file's validation
        depends only on its bytes and on today's date, and on that only through its dates after
        today (they warn): `check()` returns (outcome, (first day, last day)) and so does this.
        """
        entry = self.used.get(rel)
        if entry is not None and _holds(entry, day):
            return entry[4][2], entry[4][:2]
        outcome, days = check()
        if entry is not None:
            self.used[rel] = (*entry[:4], (*days, outcome))
        return outcome, days


def _holds(entry: tuple, day: str) -> bool:
    """Whether a FileCache entry keeps a validation outcome that holds on `day` (ISO)."""
    return len(entry) > 4 and len(entry[4]) == 3 and entry[4][0] <= day <= entry[4][1]


def _source_of(entry: tuple):
    """The SourceFile of a FileCache entry (its result is load.load_file's), or None."""
    result = entry[3]
    return result[0] if type(result) is tuple and result else None


def kept_text(entry: tuple):
    """The KeptText of a FileCache entry of a statement file kept without its text, else None."""
    markdown = getattr(_source_of(entry), "markdown", None)
    if markdown is None and len(entry) > 4 and type(entry[4][2]) is tuple and entry[4][2]:
        markdown = getattr(entry[4][2][0], "markdown", None)  # kept without its front matter too
    return markdown if type(markdown) is KeptText else None


def with_kept_text(result: tuple, key: tuple | None, table) -> tuple:
    """load.load_file's result for a statement file, its text held in a KeptText of `table` (keyed by
    the file's content hash) so that it can be let go once the table has it (StageCache.save)."""
    from dataclasses import replace

    source = result[0]
    if source is None or key is None or type(source.markdown) is not str or not source.path.startswith("content/statements/"):
        return result
    return (replace(source, markdown=KeptText(key[2], table, source.markdown)), *result[1:])


def slim_entry(entry: tuple, texts: dict) -> tuple:
    """A FileCache entry of a statement file read in this build (its text held in a KeptText, see
    with_kept_text), as the cache keeps it: its text given to `texts` (key -> that KeptText), and,
    once validated into a record, its parsed front matter replaced by a KeptSource (the record holds
    what a build needs) and the record's line map packed (PackedLines). Other entries as they are."""
    from dataclasses import replace

    from .model import SourceFile, StatementRecord

    source = _source_of(entry)
    text = getattr(source, "markdown", None)
    if type(source) is not SourceFile or type(text) is not KeptText or not text.held():
        return entry
    texts[text.key] = text
    if len(entry) <= 4:
        return entry
    first, last, outcome = entry[4]
    record = outcome[0] if type(outcome) is tuple and outcome else None
    if type(record) is not StatementRecord or record.markdown is not text:
        return entry
    outcome = (replace(record, lines=PackedLines(record.lines)), *outcome[1:])
    return (*entry[:3], (KeptSource(source.path), *entry[3][1:]), (first, last, outcome), *entry[5:])


def body_key(text: str, trust_html: bool) -> str:
    return digest(("1" if trust_html else "0").encode() + text.encode("utf-8"))
