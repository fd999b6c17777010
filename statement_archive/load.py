"""Stage 1, load: find the content files and split each into front matter and body.

Input: the content folder. Output: SourceFile values, plus Problems for files that
cannot be read at all (encoding, fences, YAML syntax). Nothing here judges meaning.
"""

from __future__ import annotations

from pathlib import Path

import frontmatter
import yaml

from .model import ENTITY_KINDS, ERROR, Problem, SourceFile

FENCE_LINE = frontmatter.YAMLHandler.FM_BOUNDARY  # a line of three or more dashes


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so validation can report bad ones clearly."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def content_files(content_dir: Path, kind: str) -> list[Path]:
    """Markdown files of one kind, in a stable order; hidden and editor backup files skipped."""
    folder = content_dir / kind
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.glob("*.md") if p.is_file() and not p.name.startswith((".", "_", "#")) and not p.name.endswith("~")
    )


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text with any byte-order mark dropped and line endings made "\\n"."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            path, line, f"not valid UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}", ERROR,
            "save the file with UTF-8 encoding",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str, path: str) -> tuple[str, str, int] | Problem:
    """Return (yaml text, body, line of the body's first line), or the Problem."""
    if not text.strip():
        return Problem(path, 1, "the file is empty", ERROR, "start it with front matter between two '---' lines; see the README")
    lines = text.split("\n")
    if not FENCE_LINE.match(lines[0]):
        return Problem(path, 1, "the file does not start with a '---' front-matter fence", ERROR, "put '---' on the first line, then the keys, then '---'")
    for number, line in enumerate(lines[1:], start=2):
        if FENCE_LINE.match(line):
            # The library's own split, so files mean the same here as in other front-matter tools.
            head, body = frontmatter.YAMLHandler().split(text)
            stripped = body.lstrip("\n")
            return head, stripped, number + len(body) - len(stripped)
    return Problem(path, 1, "the front matter has no closing '---' fence", ERROR, "add a line with '---' after the last key")


def compose_yaml(head: str, path: str, first_line: int) -> tuple[dict, dict] | Problem:
    """Parse front matter; return (data, key path -> line) or the Problem."""
    loader = _Loader(head)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return Problem(path, line, f"malformed YAML in the front matter: {what}", ERROR,
                       "check indentation, colons, and quote values that contain ': ' or start with a quote")
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Problem(path, first_line, "the front matter must be 'key: value' lines", ERROR, "see the README for the keys")
    lines: dict[str, int] = {}
    _record_lines(node, "", first_line, lines)
    return data, lines


def _record_lines(node, prefix: str, first_line: int, lines: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines.setdefault(key, first_line + key_node.start_mark.line)
            _record_lines(value_node, key, first_line, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            key = f"{prefix}[{i}]"
            lines.setdefault(key, first_line + item.start_mark.line)
            _record_lines(item, key, first_line, lines)


def load_file(path: Path, root: Path) -> SourceFile | Problem:
    """Read and split one content file."""
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(rel, 1, f"cannot read the file: {exc.strerror}", ERROR)
    text, problem = decode(raw, rel)
    if problem:
        return problem
    split = split_front_matter(text, rel)
    if isinstance(split, Problem):
        return split
    head, body, body_line = split
    parsed = compose_yaml(head, rel, 1)  # YAML line 0 is the rest of the opening fence line
    if isinstance(parsed, Problem):
        return parsed
    data, lines = parsed
    return SourceFile(rel, data, lines, body, body_line)


def load_content(root: Path) -> tuple[dict[str, list[SourceFile]], list[Problem]]:
    """Load every statement and registry file under root/content."""
    content_dir = root / "content"
    files: dict[str, list[SourceFile]] = {}
    problems: list[Problem] = []
    for kind in ("statements",) + ENTITY_KINDS:
        files[kind] = []
        for path in content_files(content_dir, kind):
            loaded = load_file(path, root)
            if isinstance(loaded, Problem):
                problems.append(loaded)
            else:
                files[kind].append(loaded)
    return files, problems
