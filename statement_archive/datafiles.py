"""The site's non-HTML outputs in one place: feeds, open data, citation files, sitemap and robots.txt.

Each comes from its own module as {site path: bytes}; pipeline.py writes them with the pages.
Files in `reuse` (unchanged since the last build: depends.py) are not made again. The files
that list the whole archive are made in every build, from pieces (one statement's line of
statements.json, say) kept in the build cache between builds: see `Pieces`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .cache import Chunks, FileRange, open_store
from .citations import citation_files
from .feeds import build_feeds
from .model import SiteIndex
from .opendata import JSON_OPEN, JSON_SEPARATOR, open_data_files
from .sitemap import discovery_files
from .urls import Urls, contained_output_file, data_file_url, entity_feed_url

# The code that makes the kept pieces: a change to it empties them (their inputs hashes cover
# the whole program too; this keeps an old layout of the pieces from ever being read).
PIECES_CODE = (("datafiles", "opendata", "urls", "model"), ())


class Pieces:
    """Parts of whole-archive files, each kept with the inputs hash of the output it belongs to.

    Why: data/statements.json lists every statement, so it is made in every build; at 10,000
    statements encoding every record took most of two seconds of a one-statement edit. A
    statement's line is a function of what its own statement.json is made from, which
    depends.output_inputs hashes (likewise an entity's line, of its page's inputs). So a piece
    is found by that output's site path and used while the hash is the one it was made with;
    otherwise it is made again. Without a hash for a path the piece is always made. Deleting
    the cache only makes every piece again, to the same bytes.
    """

    def __init__(self, inputs: dict, kept: dict | None = None, store=None, name: str = ""):
        self.inputs = inputs
        self.store, self.name = store, name
        self._kept = kept  # site path -> (inputs hash, piece); loaded from `store` on first use
        self.made: dict = {}

    @classmethod
    def open(cls, root: Path, name: str, inputs: dict) -> Pieces:
        return cls(inputs, store=open_store(root, *PIECES_CODE), name=name)

    @property
    def kept(self) -> dict:
        if self._kept is None:
            self._kept = self.store.load_buckets(self.name) if self.store is not None else {}
        return self._kept

    def get(self, path: str, make):
        """The piece kept for `path` if its inputs are unchanged, else `make()` (and kept)."""
        key = self.inputs.get(path)
        if key is None:
            return make()
        entry = self.kept.get(path)
        if entry is not None and entry[0] == key:
            return entry[1]
        piece = make()
        self.made[path] = (key, piece)
        return piece

    def current(self) -> dict:
        """What to keep: the pieces whose inputs are unchanged, and those made in this build."""
        fresh = {path: entry for path, entry in self.kept.items() if self.inputs.get(path) == entry[0]}
        fresh.update(self.made)
        return fresh

    def save(self) -> None:
        """Rewrite only the buckets that changed (cache.Store.save_buckets)."""
        if self.store is not None and self._kept is not None:
            self.store.save_buckets(self.name, self.current(), self._kept)


class KeptLines:
    """The lines of a whole-archive JSON array, given back from the file the last build wrote.

    Why: statements.json holds every statement's text (76 MB at 10,000 statements). Kept as
    Pieces, an edit loaded all of its lines from the cache and joined them again: about 170 MB
    of memory at once. The last build's file is in the output folder: the cache keeps where
    each line lies in it, with the inputs hash it was made with (as Pieces does) and the file's
    digest, and an unchanged line is a range of that file (cache.FileRange), read a block at a
    time when the new file is written. A file that is missing, or is not the one recorded
    (changed by hand), gives nothing back: every line is then made again. The output folder is
    never written into during a build (incremental.py), so the ranges stay good until the swap.
    """

    def __init__(self, inputs: dict, previous: Path | None = None, store=None, name: str = ""):
        self.inputs = inputs
        self.previous, self.store, self.name = previous, store, name
        self._old = None  # site path -> (inputs hash, offset, length) in `previous`, on first use
        self.kept: dict = {}  # what to keep after this build, made by `keep`
        self.made: list = []  # site paths whose line was made in this build

    def _load(self) -> dict:
        if self._old is None:
            self._old = {}
            recorded = self.store.load(self.name) if self.store is not None else None
            if recorded and self.previous is not None:
                try:
                    whole = Chunks([FileRange(self.previous, 0, self.previous.stat().st_size)])
                    if whole.digest() == recorded["digest"]:
                        self._old = recorded["lines"]
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
        """Remember where each line lies in `file` (json_array(lines)), for the next build."""
        offset, kept = len(JSON_OPEN), {}
        for path, line in zip(paths, lines):
            key = self.inputs.get(path)
            if key is not None:
                kept[path] = (key, offset, len(line))
            offset += len(line) + len(JSON_SEPARATOR)
        self.kept = {"digest": file.digest(), "lines": kept}

    def save(self) -> None:
        if self.store is not None and self.kept:
            self.store.save(self.name, self.kept)


def data_files(index: SiteIndex, pages: list[tuple[str, str]], config, urls: Urls,
               reuse=frozenset(), inputs: dict | None = None) -> Iterator[tuple[str, bytes | Chunks]]:
    """(site path, bytes or cache.Chunks), one file at a time: a large archive's feeds alone run
    to a gigabyte.

    `pages` is (site path, page kind) for every page, for the sitemap. `inputs` is
    depends.output_inputs of this build: with it, pieces of the open data are kept in the
    build cache under config.root and reused (`Pieces`, and `KeptLines` for statements.json,
    from the file in config.output); they are saved once every file is made.
    """
    opendata = Pieces.open(config.root, "opendata", inputs) if inputs is not None else Pieces({})
    if inputs is not None:
        previous = config.output / contained_output_file(data_file_url("statements.json"))
        lines = KeptLines(inputs, previous, open_store(config.root, *PIECES_CODE), "statement-lines")
    else:
        lines = KeptLines({})
    yield from build_feeds(index, urls, config.title, config.description, config.language, reuse)
    yield from open_data_files(index, urls, entity_feed_url, reuse, opendata, lines)
    yield from citation_files(index, urls, config.title, config.language, reuse)
    yield from discovery_files(pages, index, urls).items()
    opendata.save()
    lines.save()
