"""The site's non-HTML outputs in one place: feeds, open data, citation files, sitemap and robots.txt.

Each comes from its own module as {site path: bytes}; pipeline.py writes them with the pages.
Files in `reuse` (unchanged since the last build: depends.py) are not made again. The files
that list the whole archive are made in every build, mostly from the last build's files (one
statement's line of statements.json, say): see `KeptLines`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .cache import CACHE_DIR, Chunks, FileRange, Spool, file_identity, open_store
from .citations import STATEMENT_FILES, citation_files
from .feeds import build_feeds
from .model import ENTITY_KINDS, SiteIndex
from .opendata import ENTITY_FILES, JSON_OPEN, JSON_SEPARATOR, MadeLines, open_data_files
from .search import aliases_file
from .sitemap import discovery_files
from .urls import (FEED_URL, ROBOTS_URL, SEARCH_ALIASES_URL, SITEMAP_URL, Urls, contained_output_file, data_file_url,
                   entity_feed_url, old_feed_url, statement_file_urls)

# The code that makes the kept lines: a change to it empties them (their inputs hashes cover
# the whole program too; this keeps an old layout of what is kept from ever being read).
PIECES_CODE = (("datafiles", "opendata", "urls", "model"), ())


class KeptLines:
    """The lines of a whole-archive file, given back from the file the last build wrote.

    Why: statements.json holds every statement's text (76 MB at 10,000 statements), and it and
    statements.csv and the entity files list the whole archive, so they are made in every build;
    encoding every record took most of two seconds of a one-statement edit, and lines kept in
    the cache (pickled) took about 170 MB of its memory. A statement's line is a function of
    what its own statement.json is made from, which depends.output_inputs hashes (likewise an
    entity's line, of its page's inputs). The last build's file is in the output folder: the
    cache keeps where each line lies in it, with the inputs hash it was made with and the file's
    digest, and a line whose inputs hash is the same is a range of that file (cache.FileRange),
    read a block at a time when the new file is written. A file that is missing, or is not the
    one recorded (changed by hand), gives nothing back: every line is then made again, as is a
    line without an inputs hash. The output folder is never written into during a build
    (incremental.py), so the ranges stay good until the swap. The file is `head`, then the
    lines with `separator` between them, then whatever closes it.

    The file is known to be the one recorded by its identity (cache.file_identity: device, inode,
    size, modification time) when the writer recorded it (Chunks.written), and only otherwise by
    reading and hashing it: at 50,000 statements the file is some 380 MB, and a disk that has
    not read it lately makes that read long.
    """

    def __init__(self, inputs: dict, previous: Path | None = None, store=None, name: str = "",
                 head: bytes = JSON_OPEN, separator: bytes = JSON_SEPARATOR):
        self.inputs = inputs
        self.previous, self.store, self.name = previous, store, name
        self.head, self.separator = head, separator
        self._old = None  # site path -> (inputs hash, offset, length) in `previous`, on first use
        self._found = None  # (digest, identity) of `previous`, once it is known to be the file recorded
        self._file = None  # the file made in this build (`keep`)
        self.kept: dict = {}  # what to keep after this build, made by `keep`
        self.made: list = []  # site paths whose line was made in this build

    def _load(self) -> dict:
        if self._old is None:
            self._old = {}
            recorded = self.store.load(self.name) if self.store is not None else None
            if recorded and self.previous is not None:
                try:
                    identity = file_identity(self.previous)
                    if identity != recorded.get("identity"):  # not known to be the file written: read it
                        whole = Chunks([FileRange(self.previous, 0, identity[2])])
                        if whole.digest() != recorded["digest"]:
                            return self._old
                    self._old = recorded["lines"]
                    self._found = (recorded["digest"], identity)
                except OSError:
                    pass
        return self._old

    def get(self, path: str, make):
        """The line kept for `path` (a FileRange) if its inputs are unchanged, else `make()`."""
        key = self.inputs.get(path)
        if key is not None:
            entry = self._load().get(path)
            if entry is not None and entry[0] == key:
                return FileRange(self.previous, entry[1], entry[2])
        self.made.append(path)
        return make()

    def keep(self, paths: list, lines: list, file: Chunks) -> None:
        """Remember where each line lies in `file` (made of `lines`), for the next build."""
        offset, kept = len(self.head), {}
        for path, line in zip(paths, lines):
            key = self.inputs.get(path)
            if key is not None:
                kept[path] = (key, offset, len(line))
            offset += len(line) + len(self.separator)
        self.kept = {"digest": file.digest(), "lines": kept}
        self._file = file

    def save(self) -> None:
        """Keep where the lines lie, once the file is written (or found unchanged and left as it was)."""
        if self.store is None or not self.kept:
            return
        identity = self._file.written
        if identity is None and self._found is not None and self._found[0] == self.kept["digest"]:
            identity = self._found[1]  # not written: the file in place is the one found, and the same bytes
        self.store.save(self.name, {**self.kept, "identity": identity})


def data_files(index: SiteIndex, pages: list[tuple[str, str]], config, urls: Urls,
               reuse=frozenset(), inputs: dict | None = None) -> Iterator[tuple[str, bytes | Chunks]]:
    """(site path, bytes or cache.Chunks), one file at a time: a large archive's feeds alone run
    to a gigabyte.

    `pages` is (site path, page kind) for every page, for the sitemap. `inputs` is
    depends.output_inputs of this build: with it, the lines of the whole-archive data files are
    taken from the last build's files in config.output where they are unchanged (`KeptLines`,
    kept in the build cache under config.root and saved once every file is made).
    """
    kept: list[KeptLines] = []
    store = open_store(config.root, *PIECES_CODE) if inputs is not None else None

    def lines_of(name: str, head: bytes, separator: bytes):
        if inputs is None:
            return MadeLines()
        previous = config.output / contained_output_file(data_file_url(name))
        lines = KeptLines(inputs, previous, store, f"lines-{name}", head, separator)
        kept.append(lines)
        return lines

    # Feed entries and the whole-archive files' lines wait for their files in the build's cache folder (cache.Spool).
    cache_folder = config.root / CACHE_DIR
    spool = Spool(cache_folder if cache_folder.is_dir() else None)
    yield from build_feeds(index, urls, config.title, config.description, config.language, reuse, spool)
    yield from open_data_files(index, urls, entity_feed_url, reuse, lines_of, spool)
    yield from citation_files(index, urls, config.title, config.language, reuse)
    yield from discovery_files(pages, index, urls).items()
    yield from aliases_file(index).items()
    for lines in kept:
        lines.save()


def data_file_paths(index: SiteIndex) -> set[str]:
    """The site paths of the files `data_files` makes, without making them (but a large sitemap's parts,
    sitemap-1.xml, ...): links in texts to the site's files are checked against them. A test holds the two equal."""
    paths = {FEED_URL, SITEMAP_URL, ROBOTS_URL, SEARCH_ALIASES_URL, data_file_url("statements.json"),
             data_file_url("statements.csv")}
    paths.update(data_file_url(name) for _, name in ENTITY_FILES)
    for kind in ENTITY_KINDS:
        for slug, entity in index.entities[kind].items():
            paths.add(entity_feed_url(kind, slug))
            paths.update(old_feed_url(old) for old in entity.old_urls)
    for statement in index.statements:
        for name in STATEMENT_FILES:
            paths.update(statement_file_urls(statement, name))
    return paths
