"""Read `site.yaml` into a frozen Config; command-line options override it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .model import ERROR, Problem


@dataclass(frozen=True)
class Config:
    root: Path
    title: str = "Statements"
    description: str = ""
    base_url: str = "/"
    language: str = "en"
    output_dir: str = "public"
    trust_html: bool = False
    latest_count: int = 10

    @property
    def output(self) -> Path:
        return (self.root / self.output_dir).resolve()


KNOWN_KEYS = {"title", "description", "base_url", "language", "output_dir", "trust_html", "latest_count"}


def load_config(root: Path, output: str | None = None, base_url: str | None = None) -> tuple[Config, list[Problem]]:
    """Read site.yaml under `root`; return the config and any problems with it."""
    path = root / "site.yaml"
    problems: list[Problem] = []
    data: dict = {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except FileNotFoundError:
        problems.append(Problem("site.yaml", 1, "site.yaml is missing", ERROR, "create it; see the README"))
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else 1
        problems.append(Problem("site.yaml", line, f"malformed YAML: {getattr(exc, 'problem', exc)}", ERROR))
    except UnicodeDecodeError as exc:
        problems.append(Problem("site.yaml", 1, f"not UTF-8 (byte {exc.start})", ERROR, "save the file as UTF-8"))
    if not isinstance(data, dict):
        problems.append(Problem("site.yaml", 1, "site.yaml must be a mapping of keys to values", ERROR))
        data = {}
    for key in sorted(set(data) - KNOWN_KEYS):
        problems.append(Problem("site.yaml", 1, f"unknown key {key!r}", ERROR, "known keys: " + ", ".join(sorted(KNOWN_KEYS))))
    values = {k: v for k, v in data.items() if k in KNOWN_KEYS}
    for key in ("title", "description", "base_url", "language", "output_dir"):
        if key in values and not isinstance(values[key], str):
            problems.append(Problem("site.yaml", 1, f"{key}: expected a string", ERROR))
            del values[key]
    config = Config(root=root, **values)
    if output is not None:
        config = replace(config, output_dir=output)
    if base_url is not None:
        config = replace(config, base_url=base_url)
    if not config.base_url.endswith("/"):
        config = replace(config, base_url=config.base_url + "/")
    return config, problems
