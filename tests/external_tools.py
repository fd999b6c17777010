"""Where the browser and validity tests find their outside tools, and what happens when one is missing.

In CI (the CI environment variable is set) a missing tool fails the test, because .ci/run installs
them all; elsewhere the test is skipped with the command that installs the tool.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTEFACTS = REPO / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def missing(what: str, how: str) -> None:
    """Fail in CI, skip elsewhere, saying how to install what is missing."""
    message = f"{what} is missing; install it with: {how}"
    if os.environ.get("CI"):
        pytest.fail(message + " (.ci/run should have done this)")
    pytest.skip(message)


def require_chromium() -> Path:
    if not CHROMIUM.is_file():
        missing(f"Chromium ({CHROMIUM})", "sudo apt-get install -y chromium chromium-driver")
    return CHROMIUM


def require_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python", ".venv/bin/pip install -e '.[test]'")
    return sync_playwright


def require_node_package(path: Path, package: str) -> Path:
    if not path.is_file():
        missing(f"the npm package {package} ({path.relative_to(REPO)})", "npm ci   (in the project folder)")
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("Java 17 or newer (for the Nu HTML checker)", "sudo apt-get install -y default-jre-headless")
    return java
