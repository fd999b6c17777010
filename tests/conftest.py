"""Shared fixtures: a factory that writes a small project into tmp_path, and builds of the real content/.

The real content is copied once per test session (content/, templates/, site.yaml, build.py), so a
build never sees a file half-edited by someone working in the repository at the same time, and
tests that change content work on their own copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from statement_archive.config import load_config
from statement_archive.pipeline import build_site, check_site

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for site_reader, beside this file

from site_reader import BuiltSite  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"


def latest_content_date(content: Path) -> dt.date:
    """The latest date written in the front matter of content/ (a statement, a correction, a withdrawal)."""
    latest = dt.date.min
    for path in content.rglob("*.md"):
        front = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        for found in re.findall(r"\b(\d{4}-\d{2}-\d{2})\b", front):
            with contextlib.suppress(ValueError):
                latest = max(latest, dt.date.fromisoformat(found))
    return latest


# A fixed "today" for unit builds, so a test never depends on the day it runs; moved on by the
# content itself when an editor records a later date (a correction made after 31 December 2026
# would otherwise be "in the future" for every build of the real content).
TODAY = max(dt.date(2026, 12, 31), latest_content_date(REPO / "content"))
PROJECT_FILES = ("content", "templates", "site.yaml", "build.py")
# No time limit on any Hypothesis example: the machines are shared, and a first call that loads a
# table (anyascii's, for a rare script) took 262 ms against the default 200 ms deadline and failed
# a run. Timings are the benchmark's business (bench/), not the tests'.
settings.register_profile("project", deadline=None)
settings.load_profile("project")


class Signalled(Exception):
    """Raised in the main thread by the handler of the signal that `signal_through_another_thread` sends."""


@contextlib.contextmanager
def signal_through_another_thread(after: float, unblock=lambda: None, give_up: float = 10.0):
    """Send this process SIGUSR1 through a thread other than the main one, `after` seconds in, as the kernel may
    hand Ctrl-C or SIGTERM to any thread. Python runs the handler (it raises Signalled) in the main thread only,
    and only once that thread wakes: a wait with no timeout would never end. So that such a test fails rather
    than hangs, the thread calls `unblock()` if the block has not ended `give_up` seconds in."""
    ended = threading.Event()

    def send():
        if not ended.wait(after):
            signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
            if not ended.wait(give_up):
                unblock()

    def handler(number, frame):
        raise Signalled()

    previous = signal.signal(signal.SIGUSR1, handler)
    thread = threading.Thread(target=send)
    thread.start()
    try:
        yield
    finally:
        ended.set()
        thread.join()
        signal.signal(signal.SIGUSR1, previous)


def subprocess_env(**extra: str) -> dict:
    """Environment for running a copied build.py: it imports this repository's package."""
    paths = [str(REPO)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), **extra}


def front_matter(meta: dict) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n"


@dataclass
class Project:
    """A project folder in tmp_path: site.yaml, the real templates, and content written by the test."""

    root: Path

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def statement(self, name: str = "2025-03-20-a-statement", body: str = "The first paragraph.\n", **meta) -> Path:
        """Write content/statements/<name>.md; title, date and outlet have defaults, None drops a key."""
        values = {"title": "A statement", "date": "2025-03-20", "outlet": "APA", **meta}
        values = {k: v for k, v in values.items() if v is not None}
        return self.write(f"content/statements/{name}.md", front_matter(values) + "\n" + body)

    def entity(self, kind: str, slug: str, body: str = "", **meta) -> Path:
        """Write content/<kind>/<slug>.md; `name` defaults to the slug in title case."""
        values = {"name": slug.replace("-", " ").title(), **meta}
        return self.write(f"content/{kind}/{slug}.md", front_matter(values) + body)

    def config(self, base_url: str | None = None, output: str | None = None):
        config, problems = load_config(self.root, output or str(self.root / "public"), base_url)
        assert not problems, problems
        return config

    def check(self, today: dt.date = TODAY, strict: bool = False):
        """Load, validate, resolve and index; return (problems, index)."""
        return check_site(self.config(), today, strict)

    def build(self, base_url: str | None = None, output: str | None = None, today: dt.date = TODAY, **kwargs):
        return build_site(self.config(base_url, output), today, **kwargs)


def make_project(root: Path, site: dict | None = None) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    settings = {"title": "Test archive", "description": "Statements for tests.", "base_url": "/", "language": "en",
                "output_dir": "public", **(site or {})}
    (root / "site.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content" / "statements").mkdir(parents=True)
    return Project(root)


@pytest.fixture
def project(tmp_path) -> Project:
    """An empty project with the real templates; add files with project.statement() and project.entity()."""
    return make_project(tmp_path / "project")


def copy_real_project(target: Path) -> Path:
    """Copy the real content, templates, site.yaml and build.py into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture(scope="session")
def real_project(tmp_path_factory) -> Path:
    """One snapshot of the real project for the whole session; tests must not change it."""
    return copy_real_project(tmp_path_factory.mktemp("real") / "project")


@pytest.fixture
def real_project_copy(tmp_path, real_project) -> Path:
    """A copy of the session snapshot that a test may change."""
    target = tmp_path / "project"
    shutil.copytree(real_project, target)
    return target


def build_real(root: Path, output: Path, base_url: str | None = None) -> BuiltSite:
    config, problems = load_config(root, str(output), base_url)
    assert not problems, [p.format() for p in problems]
    result = build_site(config)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return BuiltSite(output, config.base_url)


@pytest.fixture(scope="session")
def real_site(real_project, tmp_path_factory) -> BuiltSite:
    """The real content built once with the base URL of site.yaml."""
    return build_real(real_project, tmp_path_factory.mktemp("site") / "public")


@pytest.fixture(scope="session")
def archive_site(real_project, tmp_path_factory) -> BuiltSite:
    """The real content built under the sub-path /archive/."""
    return build_real(real_project, tmp_path_factory.mktemp("archive") / "public", "/archive/")


@pytest.fixture(scope="session")
def split_site(real_project, tmp_path_factory) -> BuiltSite:
    """The real content built with entity_page_limit 1: the entities in two or more statements get a page per year."""
    project = tmp_path_factory.mktemp("split") / "project"
    shutil.copytree(real_project, project)
    site_yaml = project / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "\nentity_page_limit: 1\n", encoding="utf-8")
    return build_real(project, project / "public")


@pytest.fixture(scope="session")
def absolute_archive_site(real_project, tmp_path_factory) -> BuiltSite:
    """The real content built under https://example.org/archive/."""
    return build_real(real_project, tmp_path_factory.mktemp("absolute") / "public", "https://example.org/archive/")
