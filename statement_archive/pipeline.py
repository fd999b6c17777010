"""The recipe: load -> validate -> resolve -> index -> plan -> render -> write.

Load, validate and resolve always run over every file so one run reports every problem;
render and write run only when there are no errors. Edit this function to extend the build.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from .annotate import page_planner
from .cache import CACHE_DIR, body_key, sweep, thawed
from .config import Config, read_file_bytes, remember_site_yaml
from .datafiles import data_file_paths, data_files
from .depends import PAGE_TEMPLATES, output_inputs, unchanged
from .entities import build_registry, render_record, resolve_statements
from .incremental import (OutputPages, Progress, Quiet, SiteOutput, StageCache, list_shadow, published_pages,
                          template_hashes, write_incremental)
from .indexes import (addresses_gone, build_index, check_links, check_urls, links_into_site, moved_paragraphs,
                      same_statements, unpublished_changes)
from .load import editors_file, load_content
from .model import ERROR, WARNING, Problem, SiteIndex
from .nochange import (build_key, forget_gone_outputs, published_addresses, remember_addresses, remember_build,
                       today_iso)
from .opendata import published_paragraphs, published_record
from .plan import outline
from .render import render_pages, unreadable_templates
from .search import SearchIndexFailed, index_shards
from .urls import Urls, asset_url, date_folder
from .validate import validate_content, validate_file
from .write import check_output_dir

# Files read afresh (not from the cache) from which a build saves its cache before rendering
# pages rather than while Pagefind indexes: what they were read into (texts, front matter) can
# then go. A cold build at 10,000 statements reads 13,500; an edit, one.
SAVE_AT_ONCE_FROM = 200


@dataclass(frozen=True)
class BuildResult:
    problems: tuple
    index: SiteIndex | None = None
    pages: dict = field(default_factory=dict)
    seconds: float = 0.0
    written: bool = False
    # Statement and entity pages the last build published that this one does not make, nor redirects
    # from: links to them break. Said, not a problem: a page is sometimes removed on purpose.
    gone: tuple = ()
    # Pages and files this build wrote, and those it no longer makes (and, when it changed nothing else, files put in
    # the published folder by hand), the search index aside: an edit writes a few dozen.
    files_written: int = 0
    files_removed: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def today_for_build() -> dt.date:
    """Today's date, or the date of SOURCE_DATE_EPOCH for reproducible builds (nochange.today_iso)."""
    return dt.date.fromisoformat(today_iso())


def strictly(problems: list[Problem], strict: bool) -> list[Problem]:
    """With --strict, every warning counts as an error."""
    if not strict:
        return problems
    return [replace(p, severity=ERROR) if p.severity == WARNING else p for p in problems]


def read_assets(template_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """templates/assets' files, but for editors' swap and backup files, which would be published and, as every
    page links the assets with their versions, make every page again as they come and go; and what of them
    cannot be read (a link leading nowhere, a file this user may not read), which would otherwise leave every
    page without its style sheet or script and say nothing."""
    folder = template_dir / "assets"
    assets, problems, walked = {}, [], set()

    def unreadable(where: str, exc: OSError, is_folder: bool = False) -> None:
        kind = "folder" if is_folder else "file"
        reason = (f"it is a link to a {kind} that does not exist" if isinstance(exc, FileNotFoundError) and
                  os.path.islink(where) else (exc.strerror or str(exc) or type(exc).__name__).lower())
        problems.append(Problem(Path(where).relative_to(template_dir.parent).as_posix(), 1,
                                f"cannot read the {'folder of assets' if is_folder else 'asset'}: {reason}", ERROR,
                                f"replace a link with the {kind} itself, or make it readable by this user"))

    if os.path.islink(folder) and not folder.exists():
        unreadable(str(folder), FileNotFoundError(), is_folder=True)
    # A folder that cannot be read is reported with the templates' (render.unreadable_templates).
    for current, folders, names in os.walk(folder, followlinks=True):
        identity = os.stat(current)
        if (identity.st_dev, identity.st_ino) in walked:  # a link back to a folder already read
            folders[:] = []
            continue
        walked.add((identity.st_dev, identity.st_ino))
        folders[:] = [name for name in folders if not editors_file(name)]
        for name in names:
            path = Path(current) / name
            if editors_file(name):
                continue
            try:
                assets[asset_url(path.relative_to(folder).as_posix())] = read_file_bytes(path)
            except OSError as exc:
                unreadable(str(path), exc)
    return dict(sorted(assets.items())), problems


def asset_versions(assets: dict[str, bytes]) -> tuple:
    """(name, version) for each asset (Urls.asset_versions): the start of its bytes' hash, which changes with them."""
    prefix = len(asset_url(""))
    return tuple((path[prefix:], hashlib.blake2b(data, digest_size=6).hexdigest()) for path, data in assets.items())


def with_assets(templates: dict, versions: tuple) -> dict:
    """The templates' hashes (incremental.template_hashes), each also covering the assets' versions, which every
    page's links carry: a changed style sheet or script makes every page again."""
    assets = repr(versions).encode()
    return {name: hashlib.blake2b(digest + assets, digest_size=16).digest() for name, digest in templates.items()}


def check_site(config: Config, today: dt.date | None = None, strict: bool = False,
               cache: StageCache | None = None) -> tuple[list[Problem], SiteIndex | None]:
    """Load, validate, resolve and index every file; return all problems and the index.

    With a cache, files and statement bodies unchanged since an earlier build are not parsed
    or rendered again (incremental.py), and the rest is done on every core.
    """
    today = today or today_for_build()
    files, problems = load_content(config.root, cache.load_one) if cache else load_content(config.root)
    records, entity_records, found = validate_content(files, today, cache.validate_one if cache else validate_file)
    problems += found
    published = published_addresses(config) if config.output.is_dir() else {}
    registry, found = build_registry(entity_records, config.trust_html, published)
    problems += found
    if cache:
        cache.prerender(records, config.trust_html)
    render = cache.render_body if cache else render_record
    statements, found = resolve_statements(records, registry, config.trust_html, render=render,
                                           memo=cache.resolve_memo() if cache else None)
    problems += found
    problems += check_urls(statements, published)
    text_key = cache.text_key if cache else lambda record: body_key(record.body, config.trust_html)
    problems += same_statements(statements, text_key, published)
    # Only the statements edited since a build kept them (all, without a cache) are compared with the published site;
    # not one at an address that another statement's file, still there, published (check_urls tells of that).
    if config.output.is_dir():  # a first build has nothing published to compare with
        edited = cache.read_afresh() if cache else None
        paths = {statement.record.path for statement in statements}

        def compared(statement) -> bool:
            owner = published.get(statement.path, statement.record.path)  # a renamed file's owner is gone
            return (edited is None or statement.record.path in edited) and (
                owner == statement.record.path or owner not in paths)

        as_published = moved_paragraphs([s for s in statements if compared(s)],
                                        functools.partial(published_paragraphs, config.output))
        gone = []
        if (config.root / "content" / "statements").is_dir():  # else that is the error, not each statement in it
            gone = addresses_gone(statements, registry.entities, published,
                                  functools.partial(published_record, config.output),
                                  lambda path: os.path.lexists(config.root / path))
        # A statement told that it was published at an address it no longer has is not told it never was.
        as_published += gone + unpublished_changes(statements, published, moved={p.path for p in gone})
        problems += [replace(p, until_published=True) for p in as_published]
    index = build_index(statements, registry.entities, cache.related_memo() if cache else None)
    site = Urls(config.base_url)
    may_link = functools.partial(cache.links_into_site if cache else links_into_site, trusted=config.trust_html)
    problems += check_links(statements, registry.entities, entity_records,
                            functools.partial(published_paths, index, config, site), may_link,
                            site.absolute("") if site.origin else "")
    return sorted(strictly(problems, strict)), index


def published_paths(index: SiteIndex, config: Config, urls: Urls) -> set[str]:
    """Every site path a build of `index` publishes but Pagefind's: its pages, its data files and the assets."""
    assets, _ = read_assets(config.root / "templates")  # an unreadable one is the build's to report
    return {stub.url for stub in outline(index, config, urls)} | data_file_paths(index) | set(assets)


def pages_gone(published, stubs) -> list[str]:
    """The pages among the site paths `published` (files too; pages end in "/") that no stub makes, sorted."""
    made = {stub.url for stub in stubs}
    return worth_noting(url for url in published if url.endswith("/") and url not in made)


def worth_noting(gone) -> list[str]:
    """The pages gone that a note should name, sorted: not a folder by date (urls.date_folder), which goes with
    the last statement of its month, as it should, and leads only to the timeline."""
    return sorted(url for url in gone if date_folder(url) is None)


def build_site(config: Config, today: dt.date | None = None, strict: bool = False, write: bool = True,
               progress: Progress | None = None, keep_pages: bool = True, key: str | None = None) -> BuildResult:
    """Run the whole pipeline; write the site only when there are no errors.

    Without `write`, every page is still rendered (a template's mistake is a problem too) and
    kept in the result's pages unless `keep_pages` is false: `check` needs only the problems,
    and the pages of 10,000 statements are some 440 MB.

    Writing is incremental (incremental.py): only pages whose content changed are rendered and
    written, and the site is still replaced in one atomic step. `key` is nochange.build_key's,
    taken before any input is read, if the caller has it (the no-change check took it).
    """
    listing = list_shadow(config) if write else None  # on the other core while the content is read
    try:
        with thawed():  # what the cache's loads froze (cache.kept_for_the_build) goes back to the collector after
            return _build_site(config, today, strict, write, progress, keep_pages, key, listing)
    finally:
        if listing is not None:
            listing.stop()  # not used (the build failed, or made its folder afresh); after use, nothing


def _build_site(config: Config, today: dt.date | None, strict: bool, write: bool, progress: Progress | None,
                keep_pages: bool, key: str | None, listing=None) -> BuildResult:
    started = time.perf_counter()
    progress = progress or Quiet()
    today = today or today_for_build()
    if write:
        check_output_dir(config.output, config.root)  # refuse before anything, the cache included, is written
    # Without `write` (check), the cache is only read: what earlier builds kept is used, nothing is kept.
    cache = StageCache(config.root, progress, today, read_only=not write)
    key = (key or build_key(config, strict)) if write else ""
    progress.stage("reading content")
    cache.prefetch()
    problems, index = check_site(config, today, strict, cache)
    saved = not write  # `check` keeps nothing

    def save_cache() -> None:
        nonlocal saved
        if not saved:
            saved = True
            progress.stage("saving the cache")
            cache.save()
            remember_site_yaml(config.root)

    # A build that read many files afresh (a cold one) saves the cache now, and so lets go of their
    # texts and front matter before pages are rendered. One that read a few (an edit) saves it while
    # Pagefind indexes, when the main process has nothing else to do: off its critical path.
    failed = any(p.severity == ERROR for p in problems)
    if failed or cache.fresh() >= SAVE_AT_ONCE_FROM:
        save_cache()
    if failed:
        progress.done()
        return BuildResult(tuple(problems), index, seconds=time.perf_counter() - started)
    template_dir = config.root / "templates"
    assets, unreadable = read_assets(template_dir)
    urls = Urls(config.base_url, asset_versions(assets))
    unreadable += unreadable_templates(template_dir, config.root)  # said once, not as an error of every page
    if unreadable:
        progress.done()
        return BuildResult(tuple(sorted(problems + unreadable)), index, seconds=time.perf_counter() - started)
    if not write:
        # In one process: rendering in two took check at 10,000 statements from 16 s to 12 s, but
        # its peak from 245 MB to 380 MB, and with no cache to read from, from 565 MB to 967 MB.
        progress.stage("rendering pages")
        planner = page_planner(index, config, urls)  # each page planned as it is rendered, then let go
        stubs = outline(index, config, urls)
        pages, found = render_pages(template_dir, config.root, (planner(stub) for stub in stubs), keep=keep_pages)
        gone = pages_gone(published_pages(config.output), stubs)  # what a build would remove
        return BuildResult(tuple(sorted(problems + found)), index, pages, time.perf_counter() - started, False,
                           tuple(gone))

    gone: list[str] = []

    def make_output(previous_inputs: dict) -> SiteOutput:
        """Plan and make only what changed since the build whose inputs are `previous_inputs`."""
        progress.stage("planning pages")
        stubs = outline(index, config, urls)
        # With no record of the last build (the cache deleted, the program upgraded), the pages are
        # those of the published folder itself.
        gone[:] = pages_gone(previous_inputs or published_pages(config.output), stubs)
        digests = {path: entry[2] for path, entry in cache.files.used.items()}
        names = {*PAGE_TEMPLATES, *(p.name for p in template_dir.glob("*.html"))}
        templates = with_assets(template_hashes(template_dir, sorted(names)), urls.asset_versions)
        inputs = output_inputs(index, config, digests, templates)
        reuse = unchanged(inputs, previous_inputs)
        planned = [stub for stub in stubs if stub.url not in reuse]  # planned where and when they are rendered
        pages = [(stub.url, stub.kind) for stub in stubs]
        files = itertools.chain(assets.items(), data_files(index, pages, config, urls, reuse, inputs))
        return SiteOutput(planned, page_planner(index, config, urls), files, reuse, inputs, templates)

    try:  # the search index is built in the shadow folder, before it replaces the site
        outcome = write_incremental(config, make_output, before_swap=index_shards, progress=progress,
                                    while_searching=save_cache, listing=listing)
        save_cache()  # if no search shard was indexed, or pages had problems
    except SearchIndexFailed as exc:
        save_cache()
        return BuildResult(tuple(sorted(problems + exc.problems)), index, seconds=time.perf_counter() - started)
    finally:
        progress.done()
    if outcome.problems:
        return BuildResult(tuple(sorted(problems + outcome.problems)), index, seconds=time.perf_counter() - started)
    pages = OutputPages(config.output, outcome.urls)
    remember_build(config, key, [p for p in problems if not p.until_published], index, len(pages), cache.days)
    remember_addresses(config, index)
    sweep(config.root / CACHE_DIR)  # what earlier versions of the program left in the cache
    forget_gone_outputs(config.root / CACHE_DIR)  # and what it kept about output folders since deleted
    # What the last build published and this one does not: from its record of pages, redirect pages at old addresses
    # included (an alias replaced by another), else from the published folder's pages.
    gone = worth_noting(outcome.gone_pages) if outcome.gone_pages is not None else gone
    return BuildResult(tuple(problems), index, pages, time.perf_counter() - started, True, tuple(gone),
                       outcome.written, outcome.deleted)
