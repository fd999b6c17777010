"""Incremental builds: render only the pages whose input changed, write only the files whose bytes
changed, and still replace the published site in one atomic step.

How a page is known to be unchanged: a page is a pure function of its template (and the templates
it includes or extends) and of its PageSpec context, a plain dict that holds everything it shows.
Each page's key is a hash of both. The cache keeps, for every output page, that key and the hash
of the bytes written; a page whose key is unchanged is not rendered again, and a page whose new
bytes hash the same as the old is not written again. So the context is the map from a page to
its inputs: an edited statement changes the contexts of its own page, its neighbours, the
related statements and the entity and index pages that list it, and nothing else.

How the site stays safe: beside the output folder lives a "shadow" folder, a second copy of the
site sharing every file with the output through hard links (so they cost no space and keep their
modification times). A build writes the files that changed into the shadow, deletes those that went
away, runs the search indexer when an HTML file changed, and swaps shadow and output in one atomic
rename (renameat2 RENAME_EXCHANGE); the shadow, now the site as it was, is then brought level with
the new one by hard-linking the files that changed (and, should a build be stopped before that,
the next build does it first). The published folder is
never written into: an interrupted or failed build leaves it exactly as it was, and files are
never half-written there. The state (which folder is which, what each file holds) is saved after
the swap; if it does not match the folders found, the build writes everything afresh.

Before all this, `nochange.py` checks whether anything changed since the last build, before
this module, Jinja2 or Markdown are even imported.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import marshal
import os
import pickle
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .cache import (LOAD_CODE, MARKUP_CODE, RENDER_CODE, TEXT, Chunks, Codec, Store, body_key, digest, file_identity,
                    kept_text, open_store, slim_entry, with_kept_text)
from .chart import plural
from .config import read_file_bytes
from .model import ENTITY_KINDS, Body
from .nochange import folder_id, records_of
from .parallel import wait_until

STATE_VERSION = 1
SHADOW_SUFFIX = ".shadow"
BODY_BATCH = 500  # rendered statement bodies a process holds before it adds them to the cache's table
DERIVED_FOLDERS = ("pagefind/",)  # written by `before_swap` (the search indexer), one shard folder at a time


# ---------------------------------------------------------------- progress on a terminal


class Progress:
    """Stage names and pages done on one terminal line, once a build has run for `delay` seconds.

    Silent when stderr is not a terminal or with --quiet, so logs and pipes stay clean.
    """

    def __init__(self, enabled: bool | None = None, delay: float = 2.0, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = (self.stream.isatty() if enabled is None else enabled)
        self.delay = delay
        self.started = time.monotonic()
        self.label = ""
        self.shown = False
        self.stages: list = []  # (label, seconds since start): the benchmark's breakdown

    def stage(self, label: str) -> None:
        self.label = label
        self.stages.append((label, time.monotonic() - self.started))
        self._show(label)

    def say(self, text: str) -> None:
        """Shown at once on a terminal, whatever the delay: what the build waits for, which no stage will tell."""
        if self.enabled:
            self._write(text)

    def count(self, done: int, total: int) -> None:
        self._show(f"{self.label}: {done}/{total} pages")

    def _show(self, text: str) -> None:
        if self.enabled and time.monotonic() - self.started >= self.delay:
            self._write(text)

    def _write(self, text: str) -> None:
        self.stream.write(f"\r\x1b[2K{text}")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        timings = os.environ.get("STATEMENT_ARCHIVE_TIMINGS")  # a file: the benchmark asks for the stages
        if timings and self.stages:
            import json

            with open(timings, "a", encoding="utf-8") as out:
                out.write(json.dumps(self.stages + [("end", time.monotonic() - self.started)]) + "\n")
            self.stages = []
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False


class Quiet(Progress):
    def __init__(self):
        super().__init__(enabled=False)


# ---------------------------------------------------------------- cached stages


class StageCache:
    """Loaded files, rendered statement bodies, resolved names and related statements from earlier builds."""

    def __init__(self, root: Path, progress: Progress | None = None, today: dt.date | None = None,
                 read_only: bool = False):
        from .cache import INDEX_CODE, RESOLVE_CODE, FileCache, kept_for_the_build

        self.root = root
        self.progress = progress or Quiet()
        self.read_only = read_only  # `check`: use what earlier builds kept, keep nothing (save does nothing)
        self.load_store = open_store(root, *LOAD_CODE, read_only=read_only)
        self.markup_store = open_store(root, *MARKUP_CODE, read_only=read_only)
        self.resolve_store = open_store(root, *RESOLVE_CODE, read_only=read_only)
        self.index_store = open_store(root, *INDEX_CODE, read_only=read_only)
        # Unpickling makes millions of objects that all live on: the collector would scan them again
        # and again while they arrive (about a third of the time it takes), and after.
        with kept_for_the_build():
            self.files = FileCache(self.load_store.load_buckets("files"), today.isoformat() if today else None)
            self.text_table = self.load_store.table("texts", TEXT)
            self._bind_texts()
            self.body_keys_old: dict = self.resolve_store.load_buckets("body-keys")
            self.resolved_old: dict = self.resolve_store.load_buckets("resolved")
            self.related_old: dict = self.index_store.load("related", {})
        # Rendered bodies are read from their table only when something shows them (KeptBody).
        self.body_table = self.markup_store.table("bodies", BODIES)
        self.bodies_kept: set = self.body_table.keys()
        self.bodies: dict = {}  # body_key -> Body rendered by this build, or KeptBody
        # A file's content hash and trust_html -> (body_key of its text, links_into_site of its body or None).
        self.body_keys: dict = {}
        self.body_names: dict = {}  # path -> its key in body_keys
        self.path_keys: dict = {}  # a statement's path -> body_key of its text, for render_body
        self.resolved = None  # entities.ResolveMemo of this build
        self.days = ("0001-01-01", "9999-12-31")  # the days on which every file validates as today (validate_one)
        self.related = None  # indexes.RelatedMemo of this build

    def _bind_texts(self) -> None:
        """Give the kept texts of the loaded records their table; forget a file whose text the table lost
        (it is then read and checked again, as a new one)."""
        kept = None
        for rel, entry in list(self.files.entries.items()):
            text = kept_text(entry)
            if text is None:
                continue
            kept = self.text_table.keys() if kept is None else kept
            if text.key in kept:
                text.table = self.text_table
            else:
                del self.files.entries[rel]

    def prefetch(self) -> None:
        """Load every content file not in the cache, spread over the cores."""
        from .load import content_files, load_file
        from .parallel import fork_map

        missing = []
        content_dir = self.root / "content"
        for kind in ("statements",) + ENTITY_KINDS:
            for path in content_files(content_dir, kind):
                rel = f"content/{kind}/{path.name}"
                found, _, key = self.files.lookup(path, rel)
                if not found:
                    missing.append((path, rel, key))
        if missing:
            self.progress.stage(f"reading {plural(len(missing), 'file')}")
            root = self.root
            results = fork_map(lambda chunk: [load_file(path, root) for path, _, _ in chunk], missing)
            for (path, rel, key), result in zip(missing, results):
                self.files.remember(rel, key, with_kept_text(result, key, self.text_table))

    def load_one(self, path: Path, root: Path):
        from .load import load_file

        text, prefix = str(path), str(root).rstrip("/") + "/"
        # As relative_to(root).as_posix(), without pathlib's parsing (0.2 s of every build at 10,000 statements).
        rel = text[len(prefix):] if text.startswith(prefix) else path.relative_to(root).as_posix()
        entry = self.files.used.get(rel)
        if entry is not None:
            return entry[3]
        found, result, key = self.files.lookup(path, rel)
        if found:
            return result
        result = with_kept_text(load_file(path, root), key, self.text_table)
        self.files.remember(rel, key, result)
        return result

    def validate_one(self, kind: str, source, today: dt.date):
        """validate.validate_file, or its outcome kept from an earlier build of the same bytes on a day
        it still holds; `days` narrows to the days on which every file's outcome holds."""
        from .validate import validate_kept

        outcome, (first, last) = self.files.checked(source.path, today.isoformat(),
                                                     lambda: validate_kept(kind, source, today))
        self.days = (max(self.days[0], first), min(self.days[1], last))
        return outcome

    def prerender(self, records, trust_html: bool) -> None:
        """Render the Markdown of every statement body not in the cache, spread over the cores."""
        from .markup import render_body

        todo, seen = [], set()
        for record in records:
            key = self.body_key(record, trust_html)
            if key in self.bodies or key in seen:
                continue
            if key in self.bodies_kept:
                self.bodies[key] = KeptBody(self.body_table, key, record, trust_html)
            else:
                seen.add(key)
                todo.append((key, record))
        if todo:
            self.progress.stage(f"rendering the texts of {plural(len(todo))}")
            if self.read_only:
                # Nothing goes to the table, so the bodies stay with this process; made here, not in
                # forked workers whose copies of this process's pages took check at 10,000
                # statements (no cache to read from) from 565 MB to 732 MB at its peak.
                self.bodies.update((key, render_body(record.body, trust_html)) for key, record in todo)
            else:
                self._render_into_table(todo, trust_html)
        self.progress.stage("resolving names and indexing")

    def _render_into_table(self, todo: list, trust_html: bool) -> None:
        """Rendered bodies go to the table from the process that made them, not through this one."""
        from .markup import render_body
        from .parallel import fork_map

        def render_and_keep(chunk: list) -> list:
            # A batch at a time: a whole chunk's bodies held until one insert took the two processes of a
            # cold build at 10,000 statements to 595 MB together in this stage, 387 MB in batches (measured).
            for start in range(0, len(chunk), BODY_BATCH):
                self.body_table.add({key: render_body(record.body, trust_html)
                                     for key, record in chunk[start:start + BODY_BATCH]})
            return [key for key, _ in chunk]

        records = dict(todo)
        for key in fork_map(render_and_keep, todo):
            self.bodies[key] = KeptBody(self.body_table, key, records[key], trust_html)
            self.bodies_kept.add(key)

    def body_key(self, record, trust_html: bool) -> str:
        """body_key of a statement's text, found by its file's content hash when an earlier build hashed it.

        Why: hashing 10,000 texts twice took about 0.4 s of every build at 10,000 statements.
        """
        entry = self.files.used.get(record.path)
        name = f"{entry[2]}-{int(trust_html)}" if entry else None
        kept = self.body_keys_old.get(name) if name else None
        if kept is None:
            kept = (body_key(record.body, trust_html), None)
        if name:
            self.body_keys[name] = kept
            self.body_names[record.path] = name
        self.path_keys[record.path] = kept[0]
        return kept[0]

    def links_into_site(self, statement, trusted: bool = True) -> tuple:
        """indexes.links_into_site, kept beside the body key (which trust_html is part of): it read all 50 MB of
        text of every build at 10,000."""
        from .indexes import links_into_site

        name = self.body_names.get(statement.record.path)
        kept = self.body_keys.get(name)
        if kept is None:
            return links_into_site(statement, trusted)
        if not isinstance(kept[1], tuple):  # not asked yet (None), or an answer of another shape
            kept = self.body_keys[name] = (kept[0], links_into_site(statement, trusted))
        return kept[1]

    def text_key(self, record) -> str:
        """body_key of a statement's text, as `prerender` found it: no text is read or hashed again."""
        return self.path_keys[record.path]

    def render_body(self, record, trust_html: bool = False):
        """entities.render_record, from what prerender made or found (its text is not read again)."""
        key = self.path_keys.get(record.path) or body_key(record.body, trust_html)
        body = self.bodies.get(key)
        if body is None:
            if key in self.bodies_kept:
                body = KeptBody(self.body_table, key, record, trust_html)
            else:
                from .markup import render_body

                body = render_body(record.body, trust_html)
        self.bodies[key] = body
        return body

    def resolve_memo(self):
        """What the last build found resolving each statement, by path, reused while the file is the same."""
        from .entities import ResolveMemo

        def version(record):
            entry = self.files.used.get(record.path)
            return entry[2] if entry else None

        self.resolved = ResolveMemo(self.resolved_old, version)
        return self.resolved

    def related_memo(self):
        """Each statement's related statements from the last build, and the lists they were picked from."""
        from .indexes import RelatedMemo

        self.related = RelatedMemo(self.related_old)
        return self.related

    def read_afresh(self) -> set[str]:
        """The paths of the files this build read afresh (new or edited since a build kept them)."""
        return {rel for rel, entry in self.files.used.items() if self.files.entries.get(rel) is not entry}

    def fresh(self) -> int:
        """How many files this build read afresh: their cache entries hold what they were read into."""
        return sum(self.files.entries.get(rel) is not entry for rel, entry in self.files.used.items())

    def save(self) -> None:
        """Keep what this build used; entries of deleted or changed files are dropped (not when read-only).

        The texts of statements read in this build go into their table, and their records into the
        cache without them (model.KeptText): the table first, so that no kept record lacks its text."""
        if self.read_only:
            return
        texts: dict = {}
        used = {rel: slim_entry(entry, texts) if self.files.entries.get(rel) is not entry else entry
                for rel, entry in self.files.used.items()}
        keep = {text.key for text in map(kept_text, used.values()) if text is not None}
        if self.text_table.update({key: text.text() for key, text in texts.items()}, keep=keep):
            for text in texts.values():  # 89 MB of a cold build at 10,000 statements, not needed again
                text.release()
        self.load_store.save_buckets("files", used, self.files.entries)
        self.body_table.update({key: body for key, body in self.bodies.items() if not isinstance(body, KeptBody)},
                               keep=self.bodies.keys())
        self.resolve_store.save_buckets("body-keys", self.body_keys, self.body_keys_old)
        if self.resolved is not None:
            self.resolve_store.save_buckets("resolved", self.resolved.new, self.resolved_old)
        if self.related is not None and self.related.changed:
            self.index_store.save("related", self.related.new)
        # From here on the build needs of a file only its hash: what it was read into can go (the
        # parsed front matter of every statement, in a cold build).
        self.files.used, self.files.entries = used, {}
        give_back_freed_memory()


def give_back_freed_memory() -> None:
    """Ask the C library to return freed memory to the system (glibc's malloc_trim; elsewhere nothing).

    Why: what a cold build lets go after saving the cache (texts, parsed front matter, pickling
    buffers) is freed but stays with the process, scattered through its heap; the workers it then
    forks share those pages. At 10,000 statements, two alternated pairs of cold builds: peak PSS of
    the tree 665-673 MB against 700-706 MB.
    """
    import ctypes
    import ctypes.util

    try:
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # no C library found, or not glibc
        pass


# Rendered bodies are kept with marshal, not pickle: see cache.TEXT for why.
BODIES = Codec("marshal", lambda body: marshal.dumps(body.plain()), lambda data: Body.from_plain(marshal.loads(data)))


class KeptBody:
    """A statement's rendered body kept in the cache's table, read from it each time it is used.

    It stands for model.Body (`blocks`, `paragraphs`, equality). Why not hold it once read: a
    build uses each body a few times, in different stages, and 10,000 bodies held took about
    200 MB of a cold build's main process (its workers write what they render straight to the
    table). A body the cache cannot give back after all (a file deleted meanwhile) is rendered
    again from the statement's text, once.
    """

    __slots__ = ("_table", "_key", "_record", "_trust_html", "_body")

    def __init__(self, table, key: str, record, trust_html: bool):
        self._table, self._key, self._record, self._trust_html = table, key, record, trust_html
        self._body = None

    def get(self):
        if self._body is not None:
            return self._body
        body = self._table.get(self._key)
        if body is None:
            from .markup import render_body

            body = self._body = render_body(self._record.body, self._trust_html)
        return body

    @property
    def blocks(self) -> tuple:
        return self.get().blocks

    @property
    def paragraphs(self) -> tuple:
        return self.get().paragraphs

    def __eq__(self, other):
        return self.get() == (other.get() if isinstance(other, KeptBody) else other)

    def __hash__(self):
        return hash(self.get())

    def __reduce__(self):  # pickled as the Body it stands for
        return type(self.get()), tuple(self.get())

    def __repr__(self):
        return f"KeptBody({self._key!r})"


# ---------------------------------------------------------------- page keys


def context_hash(context) -> bytes:
    """A hash of everything a page shows; equal contexts hash equal, whatever object shares what."""
    try:
        data = marshal.dumps(context, 2)  # version 2 writes values only, never back-references
    except ValueError:  # a type marshal does not know: pickle without its memo
        import io

        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True
        pickler.dump(context)
        data = b"p" + buffer.getvalue()
    return hashlib.blake2b(data, digest_size=16).digest()


def template_hashes(template_dir: Path, names) -> dict:
    """Each template's hash, covering the templates it extends, includes and imports.

    A template that names another only at render time (`{% include partial %}`, with a
    variable) could use any of them: its hash then covers every file in the templates folder.
    """
    import jinja2
    from jinja2 import meta

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(template_dir)))
    own: dict = {}
    refs: dict = {}

    def visit(name: str) -> None:
        if name in own:
            return
        try:
            source = read_file_bytes(template_dir / name)
        except OSError:
            own[name], refs[name] = b"missing", []
            return
        own[name] = hashlib.blake2b(source, digest_size=16).digest()
        try:
            found = list(meta.find_referenced_templates(env.parse(source.decode("utf-8", "replace"))))
        except jinja2.TemplateSyntaxError:
            found = []
        if None in found:  # a name known only at render time
            found = sorted(path.relative_to(template_dir).as_posix() for path in template_dir.rglob("*") if path.is_file())
        refs[name] = found
        for ref in found:
            visit(ref)

    def closure(name: str) -> bytes:
        seen, stack, parts = set(), [name], []
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            parts.append(current.encode() + own.get(current, b"missing"))
            stack.extend(refs.get(current, []))
        return hashlib.blake2b(b"\0".join(sorted(parts)), digest_size=16).digest()

    for name in names:
        visit(name)
    return {name: closure(name) for name in names}


# ---------------------------------------------------------------- rendering changed pages


def render_changed(env, root: Path, stubs: list, plan: Callable, hashes: dict, old_pages: dict, folder: Path,
                   progress: Progress, rewrite_all: bool, failed: set, searching: bool, done_before: int = 0,
                   total: int = 0, told: set | None = None) -> tuple[list, list, int, dict]:
    """Plan the pages of `stubs` and render those whose key changed, in parallel, writing those whose
    bytes changed into `folder`.

    Each page is planned (`plan(stub)`) by the worker that renders it, just before, and its context
    is let go once it is rendered: planning is a good part of a page's cost, so it is spread over
    the cores too, and no process holds many contexts. `env` is the Jinja2 environment (forked
    workers share what it compiled); `hashes` holds each template's hash (template_hashes), and
    workers add the ones they miss (from templates/ under `root`). Pages of a template in
    `failed` are skipped, and a template that fails here is added to it, with one problem; a mistake in a template
    others extend or include (base.html) fails each of them, and is told once, as render.render_pages tells it: `told`
    holds what was told, by file, line and error, across the calls of one build.
    Returns (for every stub: (key, bytes hash)), problems, the number of files written, and,
    when `searching`, the search key (what Pagefind indexes of it, hashed) of every indexed
    page, by site path.
    """
    from .parallel import fork_map, worker_count
    from .render import render_page, template_problem
    from .search import INDEXED_CONTEXT, shard_of

    parent = os.getpid()
    template_dir = root / "templates"
    workers = worker_count() if len(stubs) >= MIN_PARALLEL_PAGES else 1

    def work(indexes):
        out = []
        skipped = set(failed)
        for done, i in enumerate(indexes, start=1):
            spec = plan(stubs[i])
            if spec.template not in hashes:
                hashes.update(template_hashes(template_dir, [spec.template]))
            template_hash = hashes[spec.template]
            key = hashlib.blake2b(template_hash + context_hash(spec.context), digest_size=16).digest()
            search = None
            # A shard whose pages' search keys are unchanged is not indexed again: an edited statement
            # changes the lists on its speakers' pages, not what the search index holds of them.
            if searching and "search" in spec.context and shard_of(spec.url) is not None:  # annotate.py gives indexed pages "search"
                search = template_hash + context_hash({name: spec.context.get(name) for name in INDEXED_CONTEXT})
            old = old_pages.get(spec.url)
            if not rewrite_all and old is not None and old[0] == key:
                out.append(("ok", i, (key, old[1], False, search)))
            elif spec.template in skipped:
                out.append(("skip", i, None))
            else:
                try:
                    data = render_page(env, spec)
                except MemoryError:
                    raise  # the machine's trouble, not the template's
                except Exception as exc:  # templates are edited by people: any mistake in one is a Problem (render.py)
                    skipped.add(spec.template)
                    problem = template_problem(exc, root, spec)
                    out.append(("problem", i, (spec.template, problem, (problem.path, problem.line, str(exc)))))
                    continue
                hashed = digest(data)
                written = rewrite_all or old is None or old[1] != hashed
                if written:
                    write_file(folder, spec.url, data)
                out.append(("ok", i, (key, hashed, written, search)))
            if done % 200 == 0 and os.getpid() == parent:  # children never print (a lock may be held at fork)
                progress.count(done_before + done * workers, total or len(stubs))
        return out

    results = fork_map(work, list(range(len(stubs))), workers=workers)
    problems_by_template: dict = {}
    page_state = [(None, old_pages.get(stub.url, (None, None))[1]) for stub in stubs]
    search_keys: dict = {}
    written = 0
    for status, i, payload in results:
        if status == "problem":
            template, problem, said = payload
            if template not in problems_by_template or problems_by_template[template][0] > i:
                problems_by_template[template] = (i, problem, said)
        elif status == "ok":
            key, hashed, was_written, search = payload
            page_state[i] = (key, hashed)
            written += was_written
            if search is not None:
                search_keys[stubs[i].url] = search
    failed.update(problems_by_template)
    told = set() if told is None else told
    problems = []
    for _, problem, said in sorted(problems_by_template.values(), key=lambda item: item[0]):
        if said not in told:
            told.add(said)
            problems.append(problem)
    return page_state, problems, written, search_keys


# Pages given to the workers at a time: a forked worker's memory grows with what it touches (copies
# of the parent's pages), so each batch has new ones.
PAGE_BATCH = 2000
# Fewer pages than this are rendered in this process alone (render_changed), with a core to spare.
MIN_PARALLEL_PAGES = 200


def _batches(items: Iterable, size: int):
    import itertools

    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


# ---------------------------------------------------------------- files and folders


def output_path(folder: Path, site_path: str) -> str:
    """The file of a site path in `folder`; a path that would leave the folder is refused.

    Plain text, not a Path: it is made for every file a build writes, and pathlib parsed
    250,000 paths in a cold build at 10,000 statements.
    """
    from .urls import contained_output_file

    return os.path.join(folder, contained_output_file(site_path))


def write_file(folder: Path, site_path: str, data) -> None:
    """Write a new file (a new inode: the shadow never writes into a file the output shares).

    The file is created first and only on failure is an old one removed or a folder made: a
    cold build writes 70,000 files into mostly existing folders, and an unlink and a mkdir
    before each, both failing, were 130,000 needless system calls at 10,000 statements.
    """
    target = output_path(folder, site_path)
    try:
        handle = open(target, "xb")
    except (FileExistsError, FileNotFoundError, NotADirectoryError) as exc:
        try:
            if isinstance(exc, FileExistsError):  # an old file, as a rule
                os.unlink(target)
            else:  # no folder yet, as a rule
                os.makedirs(os.path.dirname(target), exist_ok=True)
        except OSError:  # a folder, or a file where a folder must be: an earlier build's
            _make_way(target)
        handle = open(target, "xb")
    with handle:
        if isinstance(data, Chunks):
            data.write_to(handle)
        else:
            handle.write(data)


def _make_way(target) -> None:
    """Clear the way for a new file at `target`, in a folder of the build's own: its folders made, and what is in
    the way removed. A file where a folder must be, or a folder where the file goes, is an earlier build's: an
    old address that was a folder (a page and a statement's files, /old.html/) and is now a page (/old.html),
    or the other way round."""
    target = os.fspath(target)
    parent = os.path.dirname(target)
    ancestor = parent
    while not os.path.isdir(ancestor):  # the nearest that exists, a file then
        if os.path.lexists(ancestor):
            os.unlink(ancestor)
            break
        ancestor = os.path.dirname(ancestor)
    os.makedirs(parent, exist_ok=True)
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    elif os.path.lexists(target):
        os.unlink(target)


def remove_file(folder: Path, relative: str) -> None:
    target = folder / relative
    try:
        target.unlink()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):  # gone; or a file or folder of this build's
        return                                                           # stands where it or its folder was
    parent = target.parent
    while parent != folder:  # a cold build leaves no empty folders, so neither may this one
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


def link_file(source_root: Path, target_root: Path, relative: str) -> None:
    """Make target_root/relative the same file as source_root/relative (same bytes, same mtime)."""
    source = source_root / relative
    target = target_root / relative
    try:
        target.unlink()
        os.link(source, target)
    except OSError:  # no file there yet, or something in the way (see _make_way)
        _make_way(target)
        os.link(source, target)


def link_tree(source: Path, target: Path) -> None:
    """A copy of `source` made of hard links, like `cp -al` (write.py's marker first, if there is one)."""
    from .write import MARKER

    target.mkdir()
    if (source / MARKER).is_file():
        os.link(source / MARKER, target / MARKER)
    for folder, subfolders, files in os.walk(source):
        relative = os.path.relpath(folder, source)
        destination = target if relative == "." else target / relative
        for name in subfolders:
            (destination / name).mkdir()
        for name in files:
            if destination == target and name == MARKER:
                continue
            os.link(os.path.join(folder, name), destination / name)


def remove_tree(folder: Path) -> None:
    """Delete one of our folders, marker last (write.py's rule), so a half-deleted one is recognised."""
    from .write import remove_own_folder

    if folder.exists():
        remove_own_folder(folder)


def files_under(folder: Path, prefix: str) -> list[str]:
    base = folder / prefix
    found = []
    for current, _, files in os.walk(base):
        for name in files:
            found.append(os.path.relpath(os.path.join(current, name), folder).replace(os.sep, "/"))
    return found


# ---------------------------------------------------------------- the build's write stage


@dataclass
class WriteOutcome:
    problems: list
    urls: list
    written: int = 0
    deleted: int = 0
    swapped: bool = False
    # Site paths of the last build's pages this one no longer makes (redirect pages at old addresses too), in order;
    # None when there is no record of the last build.
    gone_pages: list | None = None


class OutputPages:
    """The rendered pages, read from the output folder on demand (they are not all kept in memory)."""

    def __init__(self, output: Path, urls: list):
        self.output = output
        self.urls = list(urls)
        self._set = set(self.urls)

    def __len__(self) -> int:
        return len(self.urls)

    def __iter__(self):
        return iter(self.urls)

    def __contains__(self, url) -> bool:
        return url in self._set

    def __getitem__(self, url: str) -> bytes:
        if url not in self._set:
            raise KeyError(url)
        return Path(output_path(self.output, url)).read_bytes()

    def keys(self):
        return list(self.urls)

    def items(self):
        return [(url, self[url]) for url in self.urls]

    def values(self):
        return [self[url] for url in self.urls]

    def get(self, url, default=None):
        return self[url] if url in self._set else default


class _Lock:
    """One build at a time per output folder (say `serve` and a build by hand)."""

    def __init__(self, path: Path, progress: Progress | None = None):
        self.path = path
        self.progress = progress or Quiet()

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            self.handle = open(self.path, "a+b")
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another build of this folder is running: say why nothing happens
                self.progress.say("Waiting for another build of this output folder to finish (serve's, say)...")
                wait_until(self._locked)  # not a blocking flock, which a signal handed to another thread does not end
            # The file may have been deleted while this waited for it (nochange.forget_gone_outputs
            # deletes the lock of a folder that is gone, holding it): a lock on a deleted file would
            # not keep out the next build, which opens the path anew. Then lock the file there now.
            held = os.fstat(self.handle.fileno())
            try:
                there = os.stat(self.path)
            except FileNotFoundError:
                there = None
            if there is not None and (there.st_dev, there.st_ino) == (held.st_dev, held.st_ino):
                return self
            self.handle.close()

    def _locked(self, seconds: float) -> bool:
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            time.sleep(seconds)
            return False
        return True

    def __exit__(self, *exc):
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


@dataclass
class SiteOutput:
    """What a build makes: the pages it planned and the files it made, and what it did not make again."""

    stubs: list  # plan.PageStubs of the pages to plan in this build, taken in batches (PAGE_BATCH)
    plan: Callable  # stub -> PageSpec: plans a page, in the process that renders it (annotate.page_planner)
    files: Iterable  # (site path, bytes) made in this build, consumed one at a time
    reused: frozenset = frozenset()  # pages and files whose inputs are unchanged: kept as they are
    inputs: dict = field(default_factory=dict)  # site path -> hash of its inputs (depends.py), for the next build
    # Template name -> template_hashes of it, made once for the build: each call parses the
    # templates it reaches again (made per page template, they were 0.2 s of an edit at 10,000).
    templates: dict = field(default_factory=dict)


def write_incremental(config, make_output, before_swap=None, progress: Progress | None = None,
                      store: Store | None = None, while_searching=None, listing=None) -> WriteOutcome:
    """Render changed pages and publish the site (see the module docstring for how).

    `make_output(previous_inputs)` plans the site, given the inputs hashes saved by the last
    build whose output is still in place ({} when there is none): it is called once the
    output folder is locked and its state checked, so what it reuses is really there.
    `while_searching()`, if given, is called once the feeds and data files are written while
    Pagefind still runs, and only then: work the site does not wait for. `listing` is
    `list_shadow`'s, started when the build began (used only if still true of the shadow).
    """
    from .write import (MARKER, MARKER_TEXT, STAGING_PREFIX, PublishedThenFailed, _exchange, check_output_dir,
                        clean_leftovers, remove_beside)

    progress = progress or Quiet()
    root = config.root
    output = config.output.resolve()
    store = store or open_store(root, *RENDER_CODE)
    check_output_dir(output, root)
    output.parent.mkdir(parents=True, exist_ok=True)
    shadow = shadow_of(output)
    # While it is being changed, the shadow carries write.py's staging name: a killed build's
    # folder is then recognised and removed by the next build, like any staging folder.
    work = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
    records = records_of(str(output))
    name = records.state_name
    template_dir = root / "templates"

    # Old folders are deleted beside the build (write.remove_beside), and are gone before the lock is let go.
    with _Lock(store.folder / records.lock, progress), ExitStack() as before_unlocking:
        clean_leftovers(output)
        check_output_dir(output, root)
        state = store.load(name)
        valid = bool(state and state.get("version") == STATE_VERSION and output.is_dir()
                     and state["live"] == folder_id(output) and (output / MARKER).is_file())
        if not valid:
            state = {"version": STATE_VERSION, "pages": {}, "files": {}, "inputs": {}, "pending": None,
                     "shadow": None}
        rewrite_all = not valid
        output_plan = make_output(state.get("inputs", {}))
        # 1. The shadow: brought level with the output (a few links), or made afresh.
        progress.stage("preparing")
        listed = None
        if valid and state.get("shadow") == folder_id(shadow) and state.get("pending") is not None:
            if listing is not None:
                listed = _Listed(listing, _listing_stamp(shadow, store.folder / records.state))
            os.rename(shadow, work)
            _bring_level(output, work, state["pending"])  # none: the last build did it (states saved before it did not)
        else:
            if shadow.exists():  # the build's own: check_output_dir, above, refused one without its marker
                before_unlocking.callback(remove_beside(shadow, output).finish)
            if valid:
                link_tree(output, work)
            else:
                work.mkdir()
                (work / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        try:
            outcome = _fill(work, output, state, valid, output_plan, before_swap, progress, template_dir, root,
                            while_searching, listed)
        except BaseException:
            remove_tree(work)
            raise
        if outcome.problems:
            remove_tree(work)
            return outcome
        new_state, changed, anything = outcome.state, outcome.changed, outcome.swapped
        if not anything:
            os.rename(work, shadow)
            store.save(name, {**new_state, "live": folder_id(output), "shadow": folder_id(shadow), "pending": []})
            outcome.swapped = False
            return outcome
        # 2. The swap: one atomic step. `work` then holds the previous site.
        progress.stage("publishing")
        if output.exists():
            if not _exchange(work, output):
                _swap_by_rename(work, output)
        else:
            os.rename(work, output)
        try:
            if rewrite_all:  # the old site is no use as a shadow: make one of links to the new
                if work.exists():
                    before_unlocking.callback(remove_beside(work, output).finish)
                link_tree(output, work)
                changed = []
            os.rename(work, shadow)
            # At once, not when the next build begins: the shadow lies beside the site, and someone who serves the
            # folder that holds both would otherwise publish the site as it was before, corrected texts and all.
            # A build stopped before the state is saved leaves a state that fits neither folder: the next makes both
            # afresh.
            _bring_level(output, shadow, changed)
        except OSError as exc:  # a folder of the old site made read-only, say: the new site is out all the same
            raise PublishedThenFailed(output, exc) from exc
        store.save(name, {**new_state, "live": folder_id(output), "shadow": folder_id(shadow), "pending": []})
        return outcome


def _bring_level(output: Path, folder: Path, changed: list) -> None:
    """Make `folder` (the shadow) hold what the output holds at each path a build changed: a link to the output's
    file, or nothing; a derived folder (a search bundle) is replaced as a whole."""
    for relative in changed:
        if relative.endswith("/"):
            shutil.rmtree(folder / relative, ignore_errors=True)
            if (output / relative).is_dir():
                link_tree(output / relative, folder / relative)
        elif (output / relative).is_file():
            link_file(output, folder, relative)
        elif not (output / relative).is_dir():  # a file gone; (a folder now: its files are among `changed`)
            remove_file(folder, relative)


@dataclass
class _Filled(WriteOutcome):
    state: dict = field(default_factory=dict)
    changed: list = field(default_factory=list)


def _fill(work: Path, output: Path, state: dict, valid: bool, output_plan: SiteOutput, before_swap, progress,
          template_dir, root, while_searching=None, listed: _Listed | None = None) -> _Filled:
    """Write this build's changes into `work`; say what changed and whether the site must be swapped.

    `listed`, if given, says which files `work` held before it was brought level (`list_shadow`)."""
    from .render import make_environment
    from .urls import output_file
    from .write import MARKER

    rewrite_all = not valid
    files, reused = output_plan.files, output_plan.reused
    if rewrite_all and reused:
        raise ValueError("pages were reused from a build whose output is gone")
    changed: list[str] = []
    new_pages = {url: entry for url, entry in state["pages"].items() if url in reused}
    search_keys = {url: key for url, key in state.get("search", {}).items() if url in reused} \
        if before_swap is not None else {}
    hashes = dict(output_plan.templates)
    env = make_environment(template_dir)
    problems: list = []
    failed: set = set()
    told: set = set()  # template problems told, by file, line and error: base.html's fails every page kind once
    written = done = 0
    # Pages that went away go first: the search index never sees them.
    page_outputs = {output_file(url) for url in new_pages} | {output_file(stub.url) for stub in output_plan.stubs}
    gone_urls = [url for url in state["pages"] if output_file(url) not in page_outputs]
    gone_pages = sorted(gone_urls) if valid else None
    gone = [output_file(url) for url in gone_urls]
    for relative in gone:
        remove_file(work, relative)
    old_files = {path: hashed for path, hashed in state["files"].items() if path in reused}
    progress.stage("rendering pages")
    # A build that renders many pages (a cold one) gives back what each stage freed (glibc keeps it,
    # scattered through the heap) before workers are forked and while Pagefind runs beside it; an
    # edit's 3 calls would cost some 20 ms of its 3 s at 10,000 statements, for 4 to 11 MB.
    trim = give_back_freed_memory if len(output_plan.stubs) >= MIN_PARALLEL_PAGES else (lambda: None)
    for stubs in _batches(output_plan.stubs, PAGE_BATCH):
        trim()  # before this batch's workers are forked: they share this process's pages
        page_state, found, count, searched = render_changed(
            env, root, stubs, output_plan.plan, hashes, state["pages"], work, progress, rewrite_all, failed,
            before_swap is not None, done, len(output_plan.stubs), told)
        problems += found
        written += count
        done += len(stubs)
        for stub, entry in zip(stubs, page_state):
            new_pages[stub.url] = entry
            old = state["pages"].get(stub.url)
            if rewrite_all or old is None or old[1] != entry[1]:
                changed.append(output_file(stub.url))
        search_keys.update(searched)
    if problems:
        return _Filled(problems, [])
    # The search index reads only pages, so it is built (Pagefind, on the other core) while this
    # process makes the feeds and data files. Not in a child of their own beside the pages: at 10,000
    # statements its copies of this process's memory made an edit's peak (see bench/README.md).
    derived, shard_keys, search = [], {}, None
    # The files `work` held before this build (listed as it began), or None: then it is walked.
    before = listed.files() if listed is not None else None
    if before_swap is not None:
        shard_keys = _shard_keys(search_keys)
        old_shards = state.get("shards", {})
        stale = sorted(s for s, key in shard_keys.items() if rewrite_all or old_shards.get(s) != key)
        removed = sorted(set(old_shards) - set(shard_keys))
        if stale or removed:
            import threading
            from concurrent.futures import ThreadPoolExecutor

            from .urls import PAGEFIND_SHARDS_URL, pagefind_bundle_url

            derived = [pagefind_bundle_url(s) for s in stale + removed] + [PAGEFIND_SHARDS_URL]
            pool = ThreadPoolExecutor(max_workers=1)
            starting, stop = threading.Event(), threading.Event()
            search = pool.submit(_index_for_search, work, before_swap, stale, sorted(shard_keys),
                                 page_outputs if valid else None, before, starting, stop)
            search.add_done_callback(lambda _: starting.set())  # no Pagefind run at all: no waiting
            pool.shutdown(wait=False)
    try:
        if search is not None:
            # Until its Pagefind process starts, the search thread copies the shard's pages in Python; the feeds
            # and data files made meanwhile would share the interpreter with it, and put off Pagefind, which
            # takes longer than they do. (An edit at 10,000 statements: some 0.1 s sooner done.) Waited for
            # within this `try`: interrupted here, the build still stops the search thread and waits for it to
            # remove its scratch folder in memory, which it had left behind.
            wait_until(starting.wait)
        progress.stage("making and writing feeds and data files" + (" (search indexing alongside)" if search else ""))
        trim()  # what rendering freed: Pagefind now runs beside this process
        made, changed_files = _write_files(work, files, old_files, state["files"], rewrite_all)
        trim()  # what the feeds and data files freed, while Pagefind may still run
        new_files = {**old_files, **made}
        changed += changed_files
        written += len(changed_files)
        expected = page_outputs | {output_file(path) for path in new_files}
        gone_files = [output_file(path) for path in state["files"] if output_file(path) not in expected]
        for relative in gone_files:
            remove_file(work, relative)
        gone += gone_files
        changed += gone
        live_strays = 0
        if valid:  # files nobody asked for (dropped in by hand, or left by an older program) go too
            for relative in unmade(work, before, expected, MARKER):
                remove_file(work, relative)
            # A build that swaps anyway replaces the live site's strays with `work`; only one that
            # would otherwise leave the output alone has to look for them (a walk of ~70,000 files).
            if not (changed or derived):
                live_strays = len(untracked(output, expected, MARKER))
        if search is not None and while_searching is not None:
            while_searching()  # on this core, while Pagefind runs on the other
    except BaseException:  # interrupted (Ctrl-C), or failed: the folder the search thread writes into goes
        if search is not None:
            stop.set()  # so no Pagefind run starts after this, nor goes on writing into it once it is removed
        raise
    finally:
        if search is not None:
            from concurrent.futures import wait

            progress.stage("indexing for search")

            def searched(seconds: float) -> bool:
                return not wait([search], timeout=seconds).not_done

            try:
                wait_until(searched)
            except BaseException:  # interrupted while waiting
                stop.set()
                wait_until(searched)  # at once: its Pagefind runs end within STOP_POLL_SECONDS
                raise
    if search is not None:
        search.result()  # Pagefind's failure (SearchIndexFailed), raised here
    anything = rewrite_all or bool(changed or derived or live_strays)
    new_state = {"version": STATE_VERSION, "pages": new_pages, "files": new_files, "inputs": output_plan.inputs,
                 "search": search_keys, "shards": shard_keys}
    return _Filled([], list(new_pages), written, len(gone) + live_strays, anything, gone_pages, new_state,
                   sorted(set(changed)) + derived)


def _write_files(work: Path, files: Iterable, kept: dict, old: dict, rewrite_all: bool) -> tuple[dict, list]:
    """Make the feeds and data files, writing those whose bytes changed into `work`.

    `kept` holds the files reused as they are, `old` every file of the last build, by site path,
    with the hash of its bytes. Returns the hash of each file made, and the output files written.
    """
    from .urls import output_file

    made: dict = {}
    written: list = []
    for site_path, data in files:
        if site_path in made or site_path in kept:
            raise ValueError(f"{site_path} is made twice")
        hashed = made[site_path] = digest(data)
        if rewrite_all or old.get(site_path) != hashed:
            write_file(work, site_path, data)
            written.append(output_file(site_path))
            if isinstance(data, Chunks):  # a feed, or a whole-archive file, which the next build reads lines
                data.written = file_identity(output_path(work, site_path))  # from (a stat; a feed's goes unused)
    return made, written


def _index_for_search(work: Path, before_swap, stale: list, all_shards: list, page_outputs: set | None,
                      before: str | None = None, starting=None, stop=None) -> None:
    """Remove pages that no build made from the stale shards' folders (Pagefind would index them), then index."""
    if page_outputs is not None:
        from .search import shard_glob

        for shard in stale:
            base = shard_glob(shard).split("*", 1)[0]
            for relative in unmade(work, before, page_outputs, "", under=base):
                if relative.endswith(".html"):
                    remove_file(work, relative)
    before_swap(work, stale, all_shards, starting, stop)


def _shard_keys(keys: dict) -> dict:
    """The key of each shard of the search index, from the keys of its pages."""
    from .search import shard_of

    shards: dict = {}
    for url in sorted(keys):
        shards.setdefault(shard_of(url), hashlib.blake2b(digest_size=16)).update(url.encode() + b"\0" + keys[url])
    return {shard: h.digest() for shard, h in shards.items()}


# ---------------------------------------------------------------- the shadow's files, listed as a build begins


def shadow_of(output: Path) -> Path:
    """The shadow of an output folder (its real path): a copy of the site in hard links, hidden beside it."""
    return output.parent / f".{output.name}{SHADOW_SUFFIX}"


def list_shadow(config):
    """Start listing the shadow folder's files in a forked child; `.result()` gives them (parallel.start).

    Why: a build removes from its staging folder (the shadow, renamed) every file it did not make,
    so it has to know all of that folder's files: 70,000 at 10,000 statements, 356,000 at 50,000.
    Walked once the pages were written, that took 0.3 s of an edit at 10,000 statements and 1.0 s
    at 50,000, 4.7 s or more when the disk's caches had lost the folder, on the build's critical
    path (bench/README.md). Started here, the walk is done on the other core while the content is
    read and names are resolved. It is used only if no build saved its state, and so changed the
    shadow, since the walk began (`_Listed`, under the build's lock); otherwise the build walks.
    """
    from .parallel import start
    from .write import MARKER

    output = config.output.resolve()
    shadow = shadow_of(output)
    state_file = open_store(config.root, *RENDER_CODE).folder / records_of(str(output)).state
    if not (shadow / MARKER).is_file() or not state_file.is_file():
        return None  # no shadow, or no record of it: the build makes its folder afresh, and lists nothing
    return start(lambda: _shadow_listing(shadow, state_file))


def _shadow_listing(shadow: Path, state_file: Path) -> tuple:
    """(stamp, files): the shadow's files, and the stamp they are true for (None if it changed meanwhile)."""
    from .write import MARKER

    stamp = _listing_stamp(shadow, state_file)
    # One string, half the memory of a list in both processes; NUL is the one character no file name holds.
    files = "\0".join(untracked(shadow, set(), MARKER))
    return (stamp if _listing_stamp(shadow, state_file) == stamp else None), files


def _listing_stamp(shadow: Path, state_file: Path) -> tuple:
    """The shadow folder's identity and the state file's: every build that changes the shadow saves a new state."""
    try:
        state = os.stat(state_file)  # written to a new file and renamed (Store): a new inode, times and size
    except OSError:
        return (folder_id(shadow), None)
    return (folder_id(shadow), (state.st_dev, state.st_ino, state.st_size, state.st_mtime_ns, state.st_ctime_ns))


@dataclass
class _Listed:
    """A listing started as the build began, and the stamp of the shadow as the build found it under its lock."""

    started: object  # parallel.Started
    stamp: tuple

    def files(self) -> str | None:
        """The listing (site paths, NUL between them), if still true of the shadow; None if the build must walk."""
        try:
            stamp, files = self.started.result()
        except Exception:  # the child failed (the folder moved under it, say): walk instead
            return None
        return files if stamp is not None and stamp == self.stamp else None


def published_pages(output: Path) -> list[str]:
    """The site paths of the pages ("people/x/") in a published output folder; none when there is none."""
    from .write import MARKER

    if not (output / MARKER).is_file():
        return []
    return [path.removesuffix("index.html") for path in untracked(output, set(), MARKER)
            if path == "index.html" or path.endswith("/index.html")]


def unmade(folder: Path, before: str | None, expected: set, marker: str, under: str = "") -> list[str]:
    """As `untracked`, from `before` (the files `folder` held before the build wrote into it, NUL between) if given.

    Files the build wrote are all in `expected`, and those it removed are no longer there (removing
    them again is nothing), so the files of `before` not expected are the strays of a walk now."""
    if before is None:
        return untracked(folder, expected, marker, under)
    return [path for path in before.split("\0")
            if path and path.startswith(under) and path != marker and path not in expected]


def untracked(folder: Path, expected: set, marker: str, under: str = "") -> list[str]:
    """Files under `folder` (or its subfolder `under`, ending in "/") that the build did not make (derived folders aside)."""
    found = []
    stack = [under]
    while stack:  # os.scandir, not os.walk: at 70,000 files the walk's path joining was most of the cost
        prefix = stack.pop()
        try:
            listing = os.scandir(os.path.join(folder, prefix) if prefix else folder)
        except OSError:
            continue
        with listing:
            for entry in listing:
                path = prefix + entry.name
                if entry.is_dir():  # as os.walk: a link to a folder is neither followed nor a file
                    if path + "/" not in DERIVED_FOLDERS and not entry.is_symlink():
                        stack.append(path + "/")
                elif path != marker and path not in expected:
                    found.append(path)
    return sorted(found)


def _swap_by_rename(work: Path, output: Path) -> None:
    """Where renameat2 is missing: two renames, the second undone at once if interrupted."""
    from .write import RETIRED_PREFIX

    retired = output.parent / f"{RETIRED_PREFIX}{output.name}-{os.getpid()}"
    os.rename(output, retired)
    try:
        os.rename(work, output)
    except BaseException:
        os.rename(retired, output)
        raise
    os.rename(retired, work)
