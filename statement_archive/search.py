"""Full-text search: what statement and entity pages tell Pagefind, and running Pagefind itself.

Pagefind (PyPI `pagefind[bin]`, which ships the binary) reads the built HTML and writes its
index into pagefind/ of the same folder. The build runs it on the staging folder, before the
swap, so a failed index fails the build and leaves the published site as it was.

What Pagefind indexes is marked in the templates: `data-pagefind-body` around a statement and
around an entity's name and description; filters, sort keys and metadata sit in a hidden,
`data-pagefind-ignore`d element; the aliases of every entity a page involves sit in a hidden
element that *is* indexed, so "Sergei Markov" finds statements that say "Sergey Markov".

Pagefind 1.5 writes the values of each filter, and the list of filters, in Rust hash-map order,
which changes from run to run (everything else it writes is stable). So that two builds of the
same content are byte-identical, `normalise_filters` rewrites those files with the same content
in sorted order and renames them by their new content hash, updating the two references.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import cbor2

from .model import ERROR, Problem, Ref, SiteIndex, Statement
from .urls import PAGEFIND_URL, Urls

# Filter name -> the label the search page shows; values are display names (and years).
FILTERS = (("person", "Person"), ("organisation", "Organisation"), ("event", "Event"), ("outlet", "Outlet"),
           ("year", "Year"))
PAGEFIND_TIMEOUT = 600  # seconds; a large archive takes seconds, not minutes


class SearchIndexFailed(Exception):
    """Pagefind could not index the staging folder; carries the problems to report."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _names(index: SiteIndex, refs) -> list[str]:
    return [index.entities[r.kind][r.slug].name for r in refs]


def alias_text(index: SiteIndex, refs) -> str:
    """Every other name of the given entities, to be indexed but not shown."""
    parts = []
    for ref in dict.fromkeys(refs):
        entity = index.entities[ref.kind][ref.slug]
        if entity.aliases:
            parts.append(f"{entity.name}: " + ", ".join(entity.aliases))
    return "; ".join(parts)


def statement_search(statement: Statement, index: SiteIndex) -> dict:
    """Filters, sort key, metadata and indexed aliases for a statement page."""
    people = list(statement.speakers) + [r for r in statement.mentions if r.kind == "people"]
    organisations = list(statement.organisations) + [r for r in statement.mentions if r.kind == "organisations"]
    filters = [{"name": "person", "value": v} for v in dict.fromkeys(_names(index, people))]
    filters += [{"name": "organisation", "value": v} for v in dict.fromkeys(_names(index, organisations))]
    if statement.event:
        filters.append({"name": "event", "value": _names(index, [statement.event])[0]})
    filters.append({"name": "outlet", "value": _names(index, [statement.outlet])[0]})
    filters.append({"name": "year", "value": str(statement.record.date.year)})
    involved = people + organisations + ([statement.event] if statement.event else []) + [statement.outlet]
    involved += list(statement.places)
    return {"filters": filters, "sort_date": statement.record.date.isoformat(), "type": "Statement",
            "aliases": alias_text(index, involved)}


def entity_search(ref: Ref, index: SiteIndex, kind_label: str) -> dict:
    """Entity pages are found by name and by the aliases they show; events sort by their date."""
    entity = index.entities[ref.kind][ref.slug]
    return {"filters": [], "sort_date": entity.date.isoformat() if entity.date else "", "type": kind_label,
            "aliases": ""}


def search_page_context(urls: Urls) -> dict:
    return {"bundle": urls.href(PAGEFIND_URL + "pagefind.js"), "base": urls.href(""),
            "filters": [{"name": n, "label": label} for n, label in FILTERS]}


def pagefind_command(folder: Path) -> list[str] | None:
    """The Pagefind command for a folder, or None when the pagefind package is not installed."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    binary = get_executable()
    if binary is None:
        return None
    return [str(binary), "--site", str(folder), "--output-subdir", PAGEFIND_URL.rstrip("/"), "--silent"]


def index_folder(folder: Path) -> None:
    """Run Pagefind over a built folder; raise SearchIndexFailed with a readable problem if it fails."""
    command = pagefind_command(folder)
    if command is None:
        raise SearchIndexFailed([Problem("pagefind", 1, "Pagefind is not installed, so the search index "
                                         "cannot be built", ERROR, "run: .venv/bin/pip install -e . (it installs pagefind[bin])")])
    # A folder updated in place still holds the last index; Pagefind does not remove files it no longer needs.
    shutil.rmtree(folder / PAGEFIND_URL, ignore_errors=True)
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexFailed([Problem("pagefind", 1, f"Pagefind could not run: {exc}", ERROR,
                                         "reinstall it: .venv/bin/pip install --force-reinstall 'pagefind[bin]'")]) from exc
    output = (result.stderr + result.stdout).strip()
    if result.returncode != 0 or not (folder / PAGEFIND_URL / "pagefind.js").is_file():
        detail = output.splitlines()[-1] if output else f"exit status {result.returncode}"
        raise SearchIndexFailed([Problem("pagefind", 1, f"Pagefind failed to index the site: {detail}",
                                         ERROR, "the published site was left as it was")])
    try:
        normalise_filters(folder / PAGEFIND_URL)
    except (OSError, ValueError, KeyError, TypeError, IndexError, cbor2.CBORDecodeError) as exc:
        raise SearchIndexFailed([Problem("pagefind", 1, f"the Pagefind index is not in the expected format ({exc})",
                                         ERROR, "use the Pagefind version pinned in pyproject.toml")]) from exc


PAGEFIND_HEADER = b"pagefind_dcd"


def read_pagefind_file(path: Path):
    """A Pagefind data file: gzip around a fixed header and one CBOR value."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(PAGEFIND_HEADER):
        raise ValueError(f"{path.name} does not start with the Pagefind header")
    return cbor2.loads(raw[len(PAGEFIND_HEADER):])


def write_pagefind_file(folder: Path, stem: str, suffix: str, value) -> str:
    """Write a Pagefind data file named by its content hash (as Pagefind does); return the new stem."""
    data = gzip.compress(PAGEFIND_HEADER + cbor2.dumps(value), compresslevel=9, mtime=0)
    prefix, _, old_digest = stem.rpartition("_")
    new_stem = f"{prefix}_{hashlib.sha256(data).hexdigest()[: len(old_digest)]}"
    (folder / f"{new_stem}{suffix}").write_bytes(data)
    return new_stem


def normalise_filters(bundle: Path) -> None:
    """Sort filter values (and filters) in Pagefind's output so the bytes do not depend on the run."""
    entry_path = bundle / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    for language in json.loads(entry_text)["languages"].values():
        meta_stem = language["hash"]
        meta_path = bundle / f"pagefind.{meta_stem}.pf_meta"
        meta = read_pagefind_file(meta_path)
        version, filters, sorts = meta[0], meta[3], meta[4]
        if not isinstance(version, str) or not all(len(f) == 2 and isinstance(f[1], str) for f in filters):
            raise ValueError(f"unknown layout of {meta_path.name}")
        renamed = []
        for name, stem in filters:
            path = bundle / "filter" / f"{stem}.pf_filter"
            filter_name, values = read_pagefind_file(path)
            values = sorted([value, sorted(pages)] for value, pages in values)
            path.unlink()
            renamed.append([name, write_pagefind_file(bundle / "filter", stem, ".pf_filter", [filter_name, values])])
        meta[3] = sorted(renamed)
        meta[4] = sorted(sorts, key=lambda s: s[0])
        meta_path.unlink()
        new_meta_stem = write_pagefind_file(bundle, f"pagefind.{meta_stem}", ".pf_meta", meta).removeprefix("pagefind.")
        if entry_text.count(f'"{meta_stem}"') != 1:
            raise ValueError("pagefind-entry.json does not name its index exactly once")
        entry_text = entry_text.replace(f'"{meta_stem}"', f'"{new_meta_stem}"')
    entry_path.write_text(entry_text, encoding="utf-8")
