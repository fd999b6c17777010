"""Read `site.yaml` into a frozen Config; command-line options override it.

Every build, the no-change one included, starts here, so a remembered site.yaml is read
without importing `model.py` (its dataclasses) or YAML; problems are made only on the way
that parses the file.
"""

from __future__ import annotations

import errno
import os
import re  # pathlib imports it already
import stat
from collections import namedtuple
from pathlib import Path

_FIELDS = {"root": None, "title": "Statements", "description": "", "base_url": "/", "language": "en",
           "output_dir": "public", "trust_html": False, "latest_count": 10,
           "entity_page_limit": 100}


class Config(namedtuple("Config", _FIELDS, defaults=tuple(_FIELDS.values())[1:])):
    """The site's settings: the project folder (`root`, a Path) and site.yaml's values.

    A named tuple rather than a dataclass: importing `dataclasses` (and `inspect`) took a tenth
    of a no-change build. Its repr, "Config(root=..., title=..., ...)", is part of the build's
    key and of every page's inputs hash (depends.py). Change a value with `_replace`.
    """

    __slots__ = ()

    @property
    def output(self) -> Path:
        return (self.root / self.output_dir).resolve()


KNOWN_KEYS = set(_FIELDS) - {"root"}


NOT_A_FILE = "it is not a file but a device, a pipe or a socket"


def read_file_bytes(path: Path) -> bytes:
    """A file's bytes. A device, pipe or socket (a FIFO, a link to /dev/zero) is refused with NOT_A_FILE as an
    OSError's strerror: reading one would wait for a writer for ever, or fill the memory."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opening a FIFO for reading waits for a writer without it
    with open(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # which open() lets through, and read() refuses
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, NOT_A_FILE, str(path))
        return handle.read()


def load_config(root: Path, output: str | None = None, base_url: str | None = None,
                remember: bool = False) -> tuple[Config, list]:
    """Read site.yaml under `root`; return the config and any problems with it (model.Problem). `remember`: keep
    its values in the build's cache (remember_site_yaml); `check`, which writes nothing, does not."""
    try:
        raw = read_file_bytes(root / "site.yaml")
    except FileNotFoundError:
        raw = None
    except OSError as exc:  # a folder, or a file this user may not read
        from .model import ERROR, Problem

        return _finish(Config(root=root), output, base_url), [Problem(
            "site.yaml", 1, f"cannot read site.yaml: {exc.strerror}", ERROR,
            "make site.yaml a file this user may read, as the README describes it")]
    known = _remembered(root, raw)
    if known is not None:
        return _finish(Config(root=root, **known), output, base_url), []
    return _read(root, raw, output, base_url, remember)[:2]


def stated_output(root: Path, output: str | None = None) -> Path | None:
    """The output folder that --output or site.yaml names, or None when site.yaml cannot say it (missing, unreadable,
    not parsed, or its output_dir refused). Why: a build failed by site.yaml names the folder it left as it was only
    when it knows it; the default folder is not the site's when the file that would have said so is broken."""
    if output is not None:
        return Config(root=root, output_dir=output).output
    try:
        raw = read_file_bytes(root / "site.yaml")
    except OSError:
        return None
    known = _remembered(root, raw)
    if known is not None:
        return Config(root=root, **known).output
    config, _, stated = _read(root, raw, None, None)
    return config.output if stated else None


def _read(root: Path, raw: bytes | None, output: str | None, base_url: str | None,
          remember: bool = False) -> tuple[Config, list, bool]:
    """site.yaml's bytes (None: missing) parsed and checked, every problem reported; and whether the config's output
    folder is the one site.yaml means (its output_dir, or the default when the file, read, has none)."""
    from .model import ERROR, Problem

    problems: list[Problem] = []
    data: dict = {}
    lines: dict = {}
    if raw is None:
        problems.append(Problem("site.yaml", 1, "site.yaml is missing", ERROR, "create it; see the README"))
    else:
        # The same reading as content files: byte offsets, YAML error lines, duplicate keys.
        from .load import compose_yaml, decode

        text, problem = decode(raw, "site.yaml")
        parsed = problem or compose_yaml(text, "site.yaml", front_matter=False)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            data, lines, found = parsed
            problems += found
            if not data and not found:  # emptied by accident, say: the defaults would republish every page
                problems.append(Problem("site.yaml", 1, "site.yaml has no settings", ERROR,
                                        "write at least the site's title and base_url in it; see the README"))
    from .load import CONTROL_CHARACTER, unknown_key_hint

    for key in sorted(set(data) - KNOWN_KEYS, key=str):
        problems.append(Problem("site.yaml", lines.get(str(key), 1), f"unknown key {str(key)!r}", ERROR,
                                unknown_key_hint(str(key), sorted(KNOWN_KEYS))))

    values = {k: v for k, v in data.items() if k in KNOWN_KEYS}
    expected = {"title": str, "description": str, "base_url": str, "language": str, "output_dir": str,
                "trust_html": bool, "latest_count": int, "entity_page_limit": int}
    for key, kind in expected.items():
        value = values.get(key)
        if key in values and (not isinstance(value, kind) or (kind is int and (isinstance(value, bool) or value < 1))):
            what = {str: "a text", bool: "true or false", int: "a whole number above 0"}[kind]
            problems.append(Problem("site.yaml", lines.get(key, 1), f"{key}: expected {what}, got {value!r}", ERROR,
                                    "trust_html must be true or false without quotes" if kind is bool else
                                    f"write it as '{key}: ...'"))
            del values[key]
        elif isinstance(value, str) and CONTROL_CHARACTER.search(value):
            problems.append(Problem("site.yaml", lines.get(key, 1), f"{key}: the invisible control character "
                                    f"U+{ord(CONTROL_CHARACTER.search(value).group()):04X} is in the value", ERROR,
                                    "delete it"))
            del values[key]
    language = values.get("language")
    if isinstance(language, str) and not _LANGUAGE_TAG.fullmatch(language):
        problems.append(Problem("site.yaml", lines.get("language", 1), f"language: {language!r} is not a language code",
                                ERROR, "write a code such as 'en', 'ru' or 'az' (the page's lang attribute, and the "
                                       "language search stems words for)"))
        del values["language"]
    mistake = base_url_mistake(values["base_url"]) if isinstance(values.get("base_url"), str) else None
    if mistake:
        problems.append(Problem("site.yaml", lines.get("base_url", 1), f"base_url: {mistake}", ERROR, BASE_URL_HINT))
        del values["base_url"]
    if remember and not problems:
        _remember(root, raw, values)
    stated = output is not None or (bool(data) and ("output_dir" in values or "output_dir" not in data))
    return _finish(Config(root=root, **values), output, base_url), problems, stated


def base_url_mistake(value: str) -> str | None:
    """What is wrong with a base URL, or None. Without a scheme, 'example.org' would prefix every link as a
    folder of the page it is on, and every link on the site would break; a file name, a query or a space
    would be repeated in front of every address."""
    if any(ch.isspace() for ch in value):
        return f"{value!r} contains a space"
    if "\\" in value:  # browsers read "/\\x" as the host x, and "a\\b" as a folder of its own
        return f"{value!r} contains a backslash; web addresses use '/' between their parts"
    if "?" in value or "#" in value:
        return f"{value!r} has a query or fragment ('?' or '#'), which every address would repeat"
    if value.startswith("//"):
        return f"{value!r} has no scheme: write https:// before the host"
    if not value.startswith("/"):
        scheme, _, rest = value.partition("://")
        if scheme not in ("http", "https") or not rest.split("/", 1)[0]:
            return f"{value!r} is neither a path starting with '/' nor a full address starting with https://"
    path = value if value.startswith("/") else "/" + value.partition("://")[2].partition("/")[2]
    if "//" in path:  # "https://example.org//archive/": every link would be "//archive/...", a host of its own
        return f"{value!r} has an empty part ('//') in its path, which every link would repeat"
    if any(part in (".", "..") for part in path.split("/")):
        return f"{value!r} has a '.' or '..' part in its path; write the folder's own path"
    last = value.rstrip("/").rsplit("/", 1)[-1]
    if "://" not in last and last.lower().endswith((".html", ".htm", ".php", ".xml")):
        return f"{value!r} ends in a file name; the base URL is the folder the site is in"
    return None


# Names that no real site has (RFC 2606 and RFC 6761): a site.yaml copied from an example, or this project's own.
_PLACEHOLDER_DOMAINS = ("example.com", "example.net", "example.org", "example", "test", "invalid", "localhost")


def placeholder_host(base_url: str) -> str | None:
    """The host of a base URL when it is a name reserved for examples and tests, else None. Why: a site
    built with it gives citations, feeds and canonical links that lead nowhere once it is published."""
    from urllib.parse import urlsplit

    host = (urlsplit(base_url).hostname or "").rstrip(".")
    return host if any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS) else None


_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*")  # BCP 47's shape: en, en-GB, az-Latn
BASE_URL_HINT = "write a full address such as https://statements.example.org/, or a path such as /archive/"


def _finish(config: Config, output: str | None, base_url: str | None) -> Config:
    if output is not None:
        config = config._replace(output_dir=output)
    if base_url is not None:
        config = config._replace(base_url=base_url)
    if not config.base_url.endswith("/"):
        config = config._replace(base_url=config.base_url + "/")
    return config


# A valid site.yaml's values, kept by its bytes: reading YAML costs importing PyYAML and
# python-frontmatter (some 50 ms), a quarter of a no-change build at 10,000 statements.
_CONFIG_CODE = (("config", "load", "model"), ("PyYAML", "python-frontmatter"))


def remember_site_yaml(root: Path) -> None:
    """For a build, once its cache folder exists: the next build then reads site.yaml without YAML."""
    load_config(root, remember=True)


def _remembered(root: Path, raw: bytes | None) -> dict | None:
    if raw is None:
        return None
    from .cache import digest, open_store

    found = open_store(root, *_CONFIG_CODE).load_plain("config")
    return found[1] if found and found[0] == digest(raw) else None


def _remember(root: Path, raw: bytes, values: dict) -> None:
    """Only into a cache a build has made: a refused build writes nothing."""
    from .cache import digest, open_store

    store = open_store(root, *_CONFIG_CODE)
    if store.folder.is_dir() and store.load_plain("config") != (digest(raw), values):
        try:
            store.save_plain("config", (digest(raw), values))
        except OSError:  # a read-only checkout still builds; it just reads site.yaml each time
            pass
