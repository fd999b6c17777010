"""The recipe: load -> validate -> resolve -> index -> plan -> render -> write.

Load, validate and resolve always run over every file so one run reports every problem;
render and write run only when there are no errors. Edit this function to extend the build.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .annotate import annotate_pages
from .config import Config
from .datafiles import data_files
from .entities import build_registry, resolve_statements
from .indexes import build_index, check_links, check_urls
from .load import load_content
from .model import ERROR, WARNING, Problem, SiteIndex
from .plan import plan_pages
from .render import render_pages
from .search import SearchIndexFailed, index_folder
from .urls import Urls, asset_url
from .validate import validate_content
from .write import write_site


@dataclass(frozen=True)
class BuildResult:
    problems: tuple
    index: SiteIndex | None = None
    pages: dict = field(default_factory=dict)
    seconds: float = 0.0
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def today_for_build() -> dt.date:
    """Today's date, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def strictly(problems: list[Problem], strict: bool) -> list[Problem]:
    """With --strict, every warning counts as an error."""
    if not strict:
        return problems
    return [Problem(p.path, p.line, p.message, ERROR, p.hint) if p.severity == WARNING else p for p in problems]


def read_assets(template_dir: Path) -> dict[str, bytes]:
    folder = template_dir / "assets"
    if not folder.is_dir():
        return {}
    return {asset_url(p.relative_to(folder).as_posix()): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def check_site(config: Config, today: dt.date | None = None, strict: bool = False) -> tuple[list[Problem], SiteIndex | None]:
    """Load, validate, resolve and index every file; return all problems and the index."""
    today = today or today_for_build()
    files, problems = load_content(config.root)
    records, entity_records, found = validate_content(files, today)
    problems += found
    registry, found = build_registry(entity_records, config.trust_html)
    problems += found
    statements, found = resolve_statements(records, registry, config.trust_html)
    problems += found
    problems += check_urls(statements)
    problems += check_links(statements, registry.entities, entity_records)
    index = build_index(statements, registry.entities)
    return sorted(strictly(problems, strict)), index


def build_site(config: Config, today: dt.date | None = None, strict: bool = False, write: bool = True) -> BuildResult:
    """Run the whole pipeline; write the site only when there are no errors."""
    started = time.perf_counter()
    problems, index = check_site(config, today, strict)
    if any(p.severity == ERROR for p in problems):
        return BuildResult(tuple(problems), index, seconds=time.perf_counter() - started)
    urls = Urls(config.base_url)
    specs = annotate_pages(plan_pages(index, config, urls), index, config, urls)
    template_dir = config.root / "templates"
    pages, found = render_pages(template_dir, config.root, specs)
    problems = sorted(problems + found)
    if found:
        return BuildResult(tuple(problems), index, seconds=time.perf_counter() - started)
    if write:
        files = {**read_assets(template_dir), **data_files(index, specs, config, urls)}
        try:  # the search index is built in the staging folder, before it replaces the site
            write_site(config.output, config.root, pages, files, before_swap=index_folder)
        except SearchIndexFailed as exc:
            return BuildResult(tuple(sorted(problems + exc.problems)), index, seconds=time.perf_counter() - started)
    return BuildResult(tuple(problems), index, pages, time.perf_counter() - started, write)
