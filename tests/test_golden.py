"""Golden test: a small fixture site built and compared, file by file, with the output kept in git.

The site is tests/fixtures/golden/site/ (content and site.yaml) built with the real templates/;
the expected output is tests/fixtures/golden/expected/. After an intended change to the pages,
regenerate it and review the difference in git before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
    git diff --stat tests/fixtures/golden/expected/
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from conftest import REPO, TODAY
from statement_archive.config import load_config
from statement_archive.model import WARNING
from statement_archive.pipeline import build_site

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
# Pagefind's search index is binary output of another program; the search tests cover it.
NOT_COMPARED = ("pagefind/",)


def tree(folder: Path) -> dict[str, bytes]:
    return {rel: p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(folder).as_posix()).startswith(NOT_COMPARED)}


def diff(name: str, expected: bytes, actual: bytes) -> str:
    try:
        lines = difflib.unified_diff(expected.decode("utf-8").splitlines(), actual.decode("utf-8").splitlines(),
                                     f"expected/{name}", f"built/{name}", lineterm="", n=2)
        return "\n".join(list(lines)[:40])
    except UnicodeDecodeError:
        return f"{name}: binary files differ"


def test_the_fixture_site_builds_exactly_as_expected(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(GOLDEN / "site", root)
    shutil.copytree(REPO / "templates", root / "templates")
    config, problems = load_config(root, str(tmp_path / "public"))
    assert not problems
    result = build_site(config, TODAY)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    # The one warning the fixture means to give: a name with no registry entry gets a page of its own.
    assert [(p.path, p.severity) for p in result.problems] == [("content/statements/2025-03-20-briefing.md", WARNING)]
    built = tree(tmp_path / "public")

    expected_dir = GOLDEN / "expected"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, data in built.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_bytes(data)
        return
    expected = tree(expected_dir)
    how = "if the change is intended: UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py, then review git diff"
    assert sorted(built) == sorted(expected), (
        f"files differ: missing {sorted(set(expected) - set(built))}, new {sorted(set(built) - set(expected))}; {how}")
    changed = [name for name in expected if expected[name] != built[name]]
    assert not changed, "\n\n".join(diff(name, expected[name], built[name]) for name in changed[:3]) + f"\n\n{how}"
