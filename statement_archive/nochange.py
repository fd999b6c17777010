"""The no-change check: has anything a build reads changed since the last build into this output?

Why a module of its own: an editor rebuilds often, and most rebuilds at a terminal find nothing
to do. This check runs before Jinja2, Markdown, PyYAML, `dataclasses` and the pipeline's own
modules are imported, so it imports only `cache` and the standard library's lightest modules;
at 10,000 statements its work is one `stat` per input file.

What it compares: the size and modification and change times of every file under content/ and templates/
and of site.yaml, the build's options (the Config's repr, --strict) and SOURCE_DATE_EPOCH,
whether today lies within the days on which the last build's problems hold (dates in the future
warn), and the package's own source and libraries' versions (the fingerprint of the store it
keeps its record in). It looks at the output's top level only
(a file dropped there by hand makes it rebuild); any build that has something to write also
removes files that no build made, anywhere in the output.
"""

from __future__ import annotations

import os
import time
from typing import NamedTuple

from .cache import ALL_LIBRARIES, blake2b, open_store


def input_manifest(root) -> list[str]:
    """Path, size, mtime_ns and ctime_ns of every file the build reads (content/, templates/, site.yaml), sorted.
    The change time as git's index has it: an edit whose modification time was set back is still seen.

    One line of text per file, the four separated by NULs: joined and hashed, the lines cost 5 ms
    at 10,000 statements; pickled tuples cost 17 ms. No path holds a NUL and sizes and times are
    digits, so the joined text reads back one way only.
    """
    entries = []
    # (folder, how many more levels of folders below it the build reads): content/<kind>/*.md only, so a
    # folder inside content/statements/ is listed (the build warns that it is not read) but not walked;
    # templates/ to any depth. A folder reached again (a link back to its own folder) is not walked again.
    stack = [(os.path.join(root, "content"), 1), (os.path.join(root, "templates"), -1)]
    walked = set()
    while stack:
        folder, below = stack.pop()
        try:
            stat = os.stat(folder)
            if (stat.st_dev, stat.st_ino) in walked:
                continue
            walked.add((stat.st_dev, stat.st_ino))
            with os.scandir(folder) as listing:
                for entry in listing:
                    try:
                        is_dir = entry.is_dir(follow_symlinks=True)
                        stat = None if is_dir else entry.stat()
                    except OSError:  # a link that loops or leads nowhere: an error the build must report
                        entries.append(f"{entry.path}\0unreadable")
                        continue
                    if is_dir:
                        if below:
                            stack.append((entry.path, below - 1))
                        entries.append(f"{entry.path}\0folder")  # even empty, it is reported (load.content_files)
                    else:
                        entries.append(f"{entry.path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}")
        except OSError:
            continue
    try:
        stat = os.stat(os.path.join(root, "site.yaml"))
        entries.append(f"site.yaml\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}")
    except OSError:
        pass
    entries.sort()
    return entries


def manifest_key(root, options: tuple) -> str:
    """One hash of every input file's identity and the build's options (a repr: it holds no NUL)."""
    header = repr((options, os.environ.get("SOURCE_DATE_EPOCH", "")))
    h = blake2b(header.encode("utf-8", "surrogateescape") + b"\0", digest_size=16)
    h.update("\n".join(input_manifest(root)).encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def folder_id(path) -> tuple | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino)


def output_name(output) -> str:
    """A short name for an output folder (resolved), for the records the cache keeps about it."""
    return blake2b(str(output).encode(), digest_size=8).hexdigest()


class Counts:
    """What the summary line of a build shows, without the whole SiteIndex."""

    __slots__ = ("statements", "entities")

    def __init__(self, statements=(), entities: dict | None = None):
        self.statements = statements
        self.entities = {} if entities is None else entities


class Reported:
    """A problem of the last build as it was printed: its severity and its line.

    Why not model.Problem: unpickling one imports model.py and `dataclasses`, a sixth of a
    no-change build, and an archive with a few warnings would pay that on every build.
    """

    __slots__ = ("order", "severity", "text")

    def __init__(self, order: int, severity: str, text: str):
        self.order = order  # its place among the last build's problems, which were sorted
        self.severity = severity
        self.text = text

    def format(self) -> str:
        return self.text

    def __lt__(self, other: Reported) -> bool:
        return self.order < other.order


class Unchanged:
    """A build that found nothing to do: the previous build's problems (Reported) and counts."""

    __slots__ = ("problems", "index", "pages", "seconds", "written")

    def __init__(self, problems: tuple, index: Counts, pages: range, seconds: float = 0.0, written: bool = False):
        self.problems = problems
        self.index = index
        self.pages = pages
        self.seconds = seconds
        self.written = written

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def today_iso() -> str:
    """Today's date as a build sees it (YYYY-MM-DD): SOURCE_DATE_EPOCH's, in UTC, for reproducible
    builds, else the local date. Dates after it warn."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        try:
            day = time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
        except (OverflowError, ValueError, OSError):
            day = ""
        if len(day) == 10:  # past the year 9999 (five digits), no date can hold it: today, as for any unusable value
            return day
    return time.strftime("%Y-%m-%d")


def build_key(config, strict: bool) -> str:
    """The key of a build: its inputs' identities and its options (today's date is checked apart)."""
    return manifest_key(config.root, (repr(config), bool(strict)))


def unchanged_build(config, strict: bool, key: str | None = None) -> Unchanged | None:
    """The previous build's result if no input, option, program file or output folder changed since.

    `key` is build_key's, if the caller has it already (the build that follows reuses it).
    """
    started = time.perf_counter()
    output = os.path.realpath(config.output)
    store = open_store(config.root, (), ALL_LIBRARIES)
    last = store.load_plain(records_of(output).last_name)
    if not last or last["key"] != (key or build_key(config, strict)):
        return None
    first_day, last_day = last.get("days") or ("", "")
    if not first_day <= today_iso() <= last_day:  # a date that was in the future may no longer be, or the clock went back
        return None
    if last.get("live") != folder_id(output):
        return None
    # Its top level as the last build left it, the output marker included (deeper: see the module doc).
    if sorted(os.listdir(output)) != last.get("top"):
        return None
    counts = Counts(range(last["statements"]), {kind: range(n) for kind, n in last["entities"].items()})
    problems = tuple(Reported(order, severity, text) for order, (severity, text) in enumerate(last["problems"]))
    return Unchanged(problems, counts, range(last["pages"]), time.perf_counter() - started)


def remember_build(config, key: str, problems, index, pages: int, days: tuple[str, str]) -> None:
    """Record a successful build, for the next no-change check; `days` (ISO dates, first and last)
    are those on which its problems are the same (incremental.StageCache.days)."""
    from .model import ENTITY_KINDS  # imported by the build already

    output = os.path.realpath(config.output)
    store = open_store(config.root, (), ALL_LIBRARIES)
    store.save_plain(records_of(output).last_name, {
        "key": key, "days": list(days), "problems": [(p.severity, p.format()) for p in sorted(problems)],
        "statements": len(index.statements), "pages": pages,
        "entities": {kind: len(index.entities.get(kind, ())) for kind in ENTITY_KINDS},
        "top": sorted(os.listdir(output)), "live": folder_id(output),
        "output": output,  # for forget_gone_outputs
    })


def remember_addresses(config, index) -> None:
    """Keep the address of every statement and registry entry the build published, and each of its old addresses,
    with its file's path: the next build tells of any that it would no longer make (indexes.addresses_gone). Apart
    from the record of the last build, which the no-change check reads: this one is read only by a build that has
    something to do."""
    from .model import ENTITY_KINDS
    from .urls import entity_url

    addresses = {}
    for statement in index.statements:
        path = statement.record.path
        addresses[statement.path] = path
        addresses.update((alias, path) for alias in statement.record.aliases)
    for kind in ENTITY_KINDS:
        for slug, entity in index.entities[kind].items():
            if entity.path:  # registered: a name found only in statements has no file to tell at
                addresses[entity_url(kind, slug)] = entity.path
                addresses.update((old, entity.path) for old in entity.old_urls)
    if addresses != published_addresses(config):  # most builds change none: reading is cheaper than writing
        output = os.path.realpath(config.output)
        open_store(config.root, ADDRESSES_CODE).save_plain(records_of(output).addresses_name, addresses)


def published_addresses(config) -> dict:
    """{address: path of its file} as the last build into config.output published them (remember_addresses); empty
    when there is no such record (no build there yet, or the cache deleted)."""
    output = os.path.realpath(config.output)
    found = open_store(config.root, ADDRESSES_CODE, read_only=True).load_plain(records_of(output).addresses_name, {})
    return found if isinstance(found, dict) else {}


ADDRESSES_CODE = ("urls",)  # the record holds addresses as urls.statement_path makes them


class OutputRecords(NamedTuple):
    """The files the cache keeps about one output folder, its lock last; the one place that names them."""

    last: str  # this module's record of the last build, for the no-change check (a Store's "plain" file)
    state: str  # incremental.write_incremental's state of every page (a Store's pickle)
    addresses: str  # every statement address the last build published, with its file (remember_addresses)
    lock: str  # one build at a time per output folder (incremental._Lock)

    @property
    def last_name(self) -> str:
        return self.last.removesuffix(".marshal")  # as Store.load_plain and save_plain take it

    @property
    def addresses_name(self) -> str:
        return self.addresses.removesuffix(".marshal")

    @property
    def state_name(self) -> str:
        return self.state.removesuffix(".pickle")  # as Store.load and save take it


def output_records(name: str) -> OutputRecords:
    """The records of the output folder named `name` (by output_name)."""
    return OutputRecords(f"last-{name}.marshal", f"state-{name}.pickle", f"addresses-{name}.marshal", f"lock-{name}")


def records_of(output: str) -> OutputRecords:
    """The records of an output folder, given its real path."""
    return output_records(output_name(output))


def forget_gone_outputs(folder) -> list[str]:
    """Delete what the cache folder keeps about output folders that no longer exist; return their paths.

    Why: every output folder ever built (one built once to try something, a test's) left its
    records for ever, the state of every page among them (24 MB at 10,000 statements). Their
    names are hashes of the folder's path, so the path each build writes into its record
    (remember_build) is what tells; records written before it are left alone. An output whose
    lock is held is being built right now, and is left alone too.
    """
    import fcntl
    import marshal

    forgotten = []
    try:
        records = sorted(entry.name for entry in os.scandir(folder)
                         if entry.name.startswith("last-") and entry.name.endswith(".marshal"))
    except OSError:
        return forgotten
    for record in records:
        try:
            with open(os.path.join(folder, record), "rb") as handle:
                _, last = marshal.load(handle)
            path = last.get("output")
        except (OSError, EOFError, ValueError, TypeError, AttributeError, MemoryError):
            continue
        if not isinstance(path, str) or os.path.lexists(path):
            continue
        *files, lock = output_records(record.removeprefix("last-").removesuffix(".marshal"))
        try:
            with open(os.path.join(folder, lock), "a+b") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:  # a build of that output holds it
                    continue
                if os.path.lexists(path):  # made meanwhile
                    continue
                for name in files + [lock]:
                    try:
                        os.unlink(os.path.join(folder, name))
                    except FileNotFoundError:
                        pass
        except OSError:  # not ours to delete: the cache is only a cache
            continue
        forgotten.append(path)
    return forgotten
