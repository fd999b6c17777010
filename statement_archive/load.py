"""Stage 1, load: find the content files and split each into front matter and body.

Input: the content folder. Output: SourceFile values, plus Problems for files that
cannot be read at all (encoding, fences, YAML syntax). Nothing here judges meaning,
except keys given twice, which YAML itself would silently drop.
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path
from typing import NamedTuple

import frontmatter
import yaml

from .config import NOT_A_FILE, read_file_bytes
from .model import ENTITY_KINDS, ERROR, WARNING, Problem, SourceFile

FENCE_LINE = frontmatter.YAMLHandler.FM_BOUNDARY  # a line of three or more dashes, as other tools read it
# Characters XML 1.0 forbids, and C1 controls (U+0080-U+009F), which in UTF-8 text are nearly
# always a Windows-1252 quote mark or dash converted wrongly. Tab and line breaks are fine.
# YAML's reader rejects them written as they are, but lets escapes such as "\x0b" through.
# Surrogates too: YAML's "\ud800" gives half of a pair, which no page or feed can be written with. And the controls
# of the text's direction that reverse or re-order what follows them (U+202A-U+202E, U+2066-U+2069): pasted into a
# name, U+202E showed the names after it, and the rest of a citation, backwards. The marks U+200E and U+200F,
# which reverse nothing, are kept.
# And the invisible characters that pasted text brings and no value means: a byte-order mark inside the text (U+FEFF),
# and Unicode's line and paragraph separators (U+2028, U+2029), which YAML keeps in a value as it stands.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
                               "\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
NOT_UTF8 = re.compile("[\udc80-\udcff]")  # os.fsdecode's stand-ins for bytes that are not UTF-8
YAML_HINT = "check indentation, colons, and quote values that contain ': ' or start with a quote"
# A value between double quotes with more after its closing one: '"the "Justice to Khojaly" campaign"', whose
# quotation marks inside were meant as text.
_QUOTES_INSIDE_QUOTES = re.compile(r'(?:^|[:\-\[,]\s*)"(?:[^"\\\n]|\\.)*"[^\s,\]}#\n]')


# Keys an editor may write for one of another kind of file, or in other words: a place's "place" is its `within`,
# an event's "within" or "venue" its `place`. Spelling alone would not lead from one to the other.
_MEANT_KEYS = {"place": "within", "located_in": "within", "location": "place", "venue": "place", "parent": "within",
               "part_of": "within", "within": "place", "in": "within"}


def unknown_key_hint(key: str, known) -> str:
    """The hint for a key no file of its kind has: the known key it is nearly, else the known keys (the one place
    for content files and site.yaml)."""
    import difflib

    invisible = CONTROL_CHARACTER.search(key)
    if invisible:  # "\ufeffname" shows as "name": "did you mean 'name'?" would puzzle
        return f"the key holds the invisible character U+{ord(invisible.group()):04X}: delete it, or type the line again"
    meant = _MEANT_KEYS.get(key.strip().lower())
    if meant in known:
        return f"did you mean '{meant}'?"
    close = difflib.get_close_matches(key.strip().lower(), list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "known keys: " + ", ".join(known)


# A line whose value opens with a double quote: a key's ("title: "...) or a list item's ("- "...).
_OPENS_QUOTE = re.compile(r'^\s*(?:-\s+)?(?:[^\s:#"\'][^:#]*:\s+)?(?:-\s+)?"')
_CLOSES_QUOTE = re.compile(r'(?:[^"\\]|\\.)*"')  # the rest of a value between double quotes, to its closing one


def _unclosed_quote(head: str, last: int) -> int | None:
    """The first line up to `last` whose value opens a double quote and does not close it on the line. YAML reads
    on to the next '"', often a line or more further down (the `""` of `title_note` under a title), and stops
    there: the mistake is on the line where the quote opened. A value goes on one line here (the README says so)."""
    for number, line in enumerate(head.split("\n")[:last], start=1):
        opened = _OPENS_QUOTE.match(line)
        if opened and not _CLOSES_QUOTE.match(line, opened.end()):
            return number
    return None


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings, so validation can report bad ones clearly."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _TextLoader(_Loader):
    """_Loader for front matter, where every value is text, a date or a list of them: numbers are left as
    written. YAML 1.1 would read `title: 12:30` as 750 (base 60), `010` as 8 and `1_000` as 1000, and the
    archive would publish those."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}

_TAG_WORDS = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date",
              "binary": "base64 data", "null": "null"}


def _checked(construct):
    """PyYAML's constructors for explicit tags (`!!int x`, `!!timestamp 2025-13-45`) raise plain Python
    errors on bad values; turn those into YAML errors at the value's line."""
    def construct_checked(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, LookupError, AttributeError, TypeError, ArithmeticError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"the value {node.value!r} tagged '!!{kind}' is not {_TAG_WORDS.get(kind, 'valid')}",
                node.start_mark) from exc
    return construct_checked


for _tag, _construct in list(yaml.SafeLoader.yaml_constructors.items()):
    _Loader.add_constructor(_tag, _checked(_construct))

# libyaml reads the same YAML about ten times faster. It is tried first; on any error, or on
# characters the pure-Python reader rejects, the pure-Python loader runs instead, so every
# problem is reported exactly as before (the error messages of the two differ).
_FAST_LOADERS = {}  # _Loader or _TextLoader -> libyaml's SafeLoader with the same resolvers
if getattr(yaml, "__with_libyaml__", False):
    for _slow in (_Loader, _TextLoader):
        _FAST_LOADERS[_slow] = type(f"_Fast{_slow.__name__[1:]}", (yaml.CSafeLoader,),
                                    {"yaml_implicit_resolvers": _slow.yaml_implicit_resolvers})


class _TooDeep(Exception):
    """The YAML is nested deeper than the parser allows; `line` is where it noticed."""

    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _too_deep(path: str, line: int) -> Problem:
    return Problem(path, line, "the YAML is nested too deeply", ERROR, "use plain 'key: value' lines, and lists of names")


class _FastFailed(NamedTuple):
    """libyaml's error, kept for when the pure-Python loader stops earlier (compose_yaml)."""

    error: yaml.MarkedYAMLError


def _compose_fast(head: str, slow):
    """(node, data) from libyaml, or None (or its error, _FastFailed) when the pure-Python loader `slow` must
    decide."""
    if slow not in _FAST_LOADERS or yaml.reader.Reader.NON_PRINTABLE.search(head):
        return None
    loader = _FAST_LOADERS[slow](head)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    except yaml.MarkedYAMLError as exc:
        # libyaml's own depth limit (PyYAML 6.0.3 and later): the pure-Python loader would
        # only run out of stack, without a line, so the line libyaml names is kept.
        if "maximum nesting depth" in str(exc.problem) and exc.problem_mark is not None:
            raise _TooDeep(exc.problem_mark.line + 1) from None
        return _FastFailed(exc) if exc.problem_mark is not None else None
    except Exception:  # any trouble: the pure-Python loader reports it precisely
        return None
    finally:
        loader.dispose()


def editors_file(name: str) -> bool:
    """Hidden files and what editors' programs write beside a file as one types (".x.swp", "#x#", "x~")."""
    return name.startswith((".", "#")) or name.endswith("~")


def passed_over(name: str) -> bool:
    """Editors' files, and notes ("_drafts"), which content folders may hold."""
    return editors_file(name) or name.startswith("_")


def shown_name(name: str) -> str:
    """A file name as messages show it: bytes that are not UTF-8 as '�'."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def content_files(content_dir: Path, kind: str, problems: list | None = None) -> list[Path]:
    """Markdown files of one kind, in a stable order; hidden and editor backup files skipped.

    What cannot be read, or is not read, goes into `problems` when given: a folder of statements
    that is missing or unreadable, or a link that loops or leads nowhere, would otherwise publish
    the site without those files as if the editors had deleted them."""
    folder = content_dir / kind
    where = f"content/{kind}"
    report = problems.append if problems is not None else (lambda problem: None)
    names = []
    try:
        with os.scandir(folder) as listing:  # a directory listing: no Path and no stat per name unless needed
            for entry in listing:
                name = entry.name
                if passed_over(name):
                    continue
                if NOT_UTF8.search(name):  # bytes that are not UTF-8, which Python reads as lone surrogates
                    report(Problem(f"{where}/{shown_name(name)}", 1, "the file's name is not in UTF-8, and cannot be read", ERROR,
                                   "rename it, with letters, digits and '-' only"))
                    continue
                try:
                    is_file, is_dir = entry.is_file(), entry.is_dir()
                except OSError as exc:  # a link that loops
                    report(Problem(f"{where}/{name}", 1, f"cannot be read: {(exc.strerror or str(exc)).lower()}", ERROR,
                                   "replace the link with the file itself, or remove it"))
                    continue
                if name.endswith(".md") and is_file:
                    names.append(name)
                elif name.endswith(".md") and not is_dir:  # a link leading nowhere, or a FIFO, or a link to a device
                    missing = entry.is_symlink() and not os.path.exists(entry.path)
                    report(Problem(f"{where}/{name}", 1, "cannot be read: " + (
                        "it is a link to a file that does not exist" if missing else NOT_A_FILE),
                                   ERROR, "replace it with the file itself, or remove it"))
                elif is_dir:
                    report(Problem(f"{where}/{name}/", 1, f"not read: folders inside {where}/ are not read", WARNING,
                                   f"move its files into {where}/, or out of content/"))
                else:
                    report(Problem(f"{where}/{name}", 1, "not read: only files whose names end in '.md' are", WARNING,
                                   "rename it to end in '.md' (lower case), or move it out of content/"))
    except FileNotFoundError:
        if os.path.islink(folder):  # the folder is a link that leads nowhere: its files are not gone, only out of reach
            report(Problem(f"{where}/", 1, "cannot be read: it is a link to a folder that does not exist", ERROR,
                           "replace the link with the folder itself, or point it at the folder"))
        elif kind == "statements":  # a new archive may have no places or events yet, never no statements
            report(Problem(f"{where}/", 1, "the folder of statements is missing", ERROR,
                           "statements are read from content/statements/: check that it was not renamed or moved"))
        return []
    except OSError as exc:
        report(Problem(f"{where}/", 1, f"cannot be read: {(exc.strerror or str(exc)).lower()}", ERROR,
                       "check the folder's permissions"))
        return []
    return [folder / name for name in sorted(names)]


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text with any byte-order mark dropped and line endings made "\\n".

    A bad byte is reported with its offset in the file as saved (byte-order mark included),
    so a hex editor or `cmp` finds it.
    """
    # Notepad's "Unicode", with its byte-order mark or without: then every other byte of ASCII text is a zero.
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (raw[:2] in (b"-\0", b"\0-")):
        return None, Problem(path, 1, "the file is saved as UTF-16, not UTF-8", ERROR,
                             "save it with UTF-8 encoding: in most editors, Save As and choose UTF-8")
    start = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = raw[:offset].count(b"\n") + 1
        return None, Problem(
            path, line, f"not valid UTF-8: byte 0x{raw[offset]:02x} at byte offset {offset}", ERROR,
            "save the file with UTF-8 encoding: in most editors, Save As and choose UTF-8",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split_front_matter(text: str, path: str) -> tuple[str, str, int] | Problem:
    """Return (yaml text, body, line of the body's first line), or the Problem.

    The YAML text keeps the opening fence's line as an empty line, so a YAML line
    number plus one is the line in the file.
    """
    if not text.strip():
        return Problem(path, 1, "the file is empty", ERROR,
                       "start it with front matter between two '---' lines; see the README")
    lines = text.split("\n")
    if not FENCE_LINE.match(lines[0]):
        return Problem(path, 1, "the file does not start with a '---' front-matter fence", ERROR,
                       "put '---' on the first line, then the keys, then '---'")
    for index, line in enumerate(lines[1:], start=1):
        if FENCE_LINE.match(line):
            head = "\n" + "\n".join(lines[1:index])
            rest = lines[index + 1:]
            skipped = next((i for i, text_line in enumerate(rest) if text_line.strip()), len(rest))
            body = "\n".join(rest[skipped:])
            # With no text, the line of the closing fence, after which it is missing (not a line past the file's end).
            return head, body, index + 2 + skipped if skipped < len(rest) else index + 1
    return Problem(path, 1, "the front matter has no closing '---' fence", ERROR,
                   "add a line with '---' after the last key, before the text")


def _yaml_problem(exc: yaml.YAMLError, head: str, path: str, front_matter: bool = True) -> Problem:
    """The YAML error at the line where the parser stopped, with where the construct began."""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    elif isinstance(exc, yaml.reader.ReaderError):
        line = head[: exc.position].count("\n") + 1
    elif context_mark is not None:
        line = context_mark.line + 1
    else:
        line = 1
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        what = f"the invisible control character U+{code:04X} is not allowed in YAML"
    else:
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        end = ("the closing '---'", "end of the front matter") if front_matter else ("the end of the file", "end of the file")
        what = what.replace("'<stream end>'", end[0]).replace("end of stream", end[1])
    context = getattr(exc, "context", None)
    if context and context_mark is not None and context_mark.line + 1 != line:
        what += f", {context} that starts on line {context_mark.line + 1}"
    hint = YAML_HINT
    opened = None if isinstance(exc, yaml.reader.ReaderError) else _unclosed_quote(head, line)
    if opened is not None and opened < line:
        line, what = opened, "the double quote that opens this line's value is not closed on the line"
        hint = ("end the value with a '\"' on this line; write a '\"' inside it as '\\\"', or put the value between "
                "single quotes instead")
    elif isinstance(exc, yaml.reader.ReaderError):
        hint = "delete it; such characters often come with text pasted from another program"
    elif "'\\t'" in what or "a tab character" in what:
        hint = "YAML does not allow tabs for indentation; indent with spaces"
    elif "mapping values are not allowed" in what:
        hint = "put the value in double quotes if it contains ': ', or check this line's indentation"
    elif "tagged '!!" in what or "could not determine a constructor" in what:
        hint = "remove the '!!' tag before the value, or correct the value"
    elif "node, but found" in what:
        hint = "check this value's indentation, and remove any '!!' tag before it"
    elif "found duplicate anchor" in what or "found undefined alias" in what:
        hint = "a value starting with '&' or '*' must be quoted"
    elif _QUOTES_INSIDE_QUOTES.search(head.split("\n")[line - 1] if 0 < line <= head.count("\n") + 1 else ""):
        hint = ("a value between double quotes ends at the next '\"': write a '\"' inside it as '\\\"', or put the "
                "value between single quotes instead")
    where = " in the front matter" if front_matter else ""
    return Problem(path, line, f"malformed YAML{where}: {what}", ERROR, hint)


def compose_yaml(head: str, path: str, front_matter: bool = True) -> tuple[dict, dict, list[Problem]] | Problem:
    """Parse front matter (or a whole YAML file); return (data, key path -> line, problems) or the Problem.

    Front matter starts with the opening fence's line, so YAML line N is line N + 1 of the file.
    """
    loader = None
    slow = _TextLoader if front_matter else _Loader  # site.yaml has numbers (entity_page_limit)
    fast = None
    try:
        fast = _compose_fast(head, slow)
        if fast is not None and not isinstance(fast, _FastFailed):
            node, data = fast
        else:
            loader = slow(head)  # reading already rejects control characters
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if isinstance(fast, _FastFailed) and mark is not None and mark.line < fast.error.problem_mark.line:
            # The pure-Python reader stopped at what libyaml reads (a tab after "title:"), which the build would
            # then read: the fault to mend is where libyaml stopped.
            exc = fast.error
        return _yaml_problem(exc, head, path, front_matter)
    except _TooDeep as exc:
        return _too_deep(path, exc.line)
    except RecursionError:
        return _too_deep(path, 1)
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        line = node.start_mark.line + 1 if node is not None else 1
        return Problem(path, line, f"the {'front matter' if front_matter else 'file'} must be 'key: value' lines", ERROR,
                       "write one 'key: value' per line, e.g. 'title: ...'; see the README for the keys")
    lines: dict[str, int] = {}
    problems: list[Problem] = []
    if not _record_lines(node, lines, problems, path):
        return problems[-1]
    if "&" in head:
        problems += _anchors(head, path, _FAST_LOADERS.get(slow, slow))
    return data, lines, problems


def _anchors(head: str, path: str, loader) -> list[Problem]:
    """'title: &Co statement on visits': YAML reads '&Co' as an anchor, a name to repeat the value by, and leaves it
    out of the value, so the page had said "statement on visits" without a word to the editor. No key of the
    archive's wants one."""
    return [Problem(path, event.start_mark.line + 1, f"'&{event.anchor}' at the start of a value is read by YAML as "
                    "a name for the value, and left out of it", ERROR,
                    "put the value in double quotes, so that the '&' and its word are kept")
            for event in yaml.parse(head, Loader=loader)
            if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent) and event.anchor]


def key_text(node) -> str:
    """How a mapping key is named in `SourceFile.lines`: as it is written, `~`/`null` as None."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
            return "None"
        return str(node.value)
    return "<complex key>"


MAX_DEPTH = 20  # front matter is a few levels deep; far deeper is a mistake, and would exhaust recursion later


def _record_lines(root, lines: dict, problems: list, path: str) -> bool:
    """Map every key path to its 1-based line; report keys written twice in one mapping.

    Walks the nodes with its own stack, each node once (a YAML alias repeats a node, and walking
    it again could take forever); False when the YAML is nested deeper than MAX_DEPTH.
    """
    seen: set[int] = set()
    stack = [(root, "", 0, True)]  # `kept`: the value is the one YAML keeps, not one of a key given again below
    while stack:
        node, prefix, depth, kept = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            problems.append(_too_deep(path, node.start_mark.line + 1))
            return False
        children = []
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            # A key given twice: YAML keeps the last value, so its lines are the ones a problem with the value names.
            last = {key_text(key_node): key_node for key_node, _ in node.value}
            for key_node, value_node in node.value:
                name = key_text(key_node)
                key = f"{prefix}.{name}" if prefix else name
                line = key_node.start_mark.line + 1
                if name in first and key_node.tag != "tag:yaml.org,2002:merge":
                    problems.append(Problem(path, line, f"the key '{key}' is given twice, first on line {first[name]}",
                                            ERROR, "keep one of them; YAML would silently drop the first"))
                first.setdefault(name, line)
                keeps = kept and last[name] is key_node
                if keeps:
                    lines.setdefault(key, line)
                children.append((value_node, key, depth + 1, keeps))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                key = f"{prefix}[{i}]"
                if kept:
                    lines.setdefault(key, item.start_mark.line + 1)
                children.append((item, key, depth + 1, kept))
        stack.extend(reversed(children))
    return True


# A plain (unquoted) value of a key or list item, then ' #' and a letter or digit: YAML reads '#2758 and the
# talks' as a comment and drops it, with no error ("title: On Resolution #2758" is "On Resolution").
_KEY = r"(?:\"[^\"]*\"|'[^']*'|[^\s:#'\"\[{-][^:#]*?):\s+"  # a key, quoted or not ("Maria Zakharova: ...")
# A plain value: not quoted, not a list or mapping, and never holding ': ' (YAML would have refused it), so that a
# quoted value is never read as a key and a plain value ('title: "On #1"' is a key and a quoted value).
_PLAIN = r"[^\s'\"\[{|>#&*!-](?:(?!:\s)[^#\n{}\[\]])*?"
_CUT_VALUE = re.compile(rf"^\s*(?:-\s+)?(?:{_KEY})?(?P<value>{_PLAIN})(?<!:)\s#(?=\w)")
_KEYED_LINE = re.compile(rf"^\s*(?:-\s+|{_KEY})")
_BLOCK_START = re.compile(r":\s*[|>][+-]?\d*\s*(?:#.*)?$")
_GUESSED = re.compile(r"\s#\s*guessed\b")  # build.py import's mark on each value it suggests
_KEY_OF_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*):")  # "title" of 'title: "..."  # guessed'
# A title or name typed between curly quotes, which YAML does not read as quotes: they would be published with it.
# Between straight quotes ('title: "“We will not allow it”"', a headline that is a quotation) they are meant.
_CURLY_WRAPPED = re.compile(r"^(?P<key>title|name):\s+[“‘«„].*[”’»“]\s*(?:#.*)?$")
_LINE_MARKS = ("#", "“", "‘", "«", "„")  # what each of the checks above begins from


def raw_line_problems(head: str, path: str) -> list[Problem]:
    """Warnings about what the front matter's lines say and YAML reads otherwise, changing what is published: a
    value cut short by an unquoted ' #', a title between curly quotes, and the importer's '# guessed' marks on
    values no editor has checked yet."""
    problems = []
    block_indent = None  # inside a '|' or '>' block, where '#' is text
    for number, line in enumerate(head.split("\n"), start=1):  # `head` begins with the fence's line
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and (not line.strip() or indent > block_indent):
            continue
        block_indent = indent if _BLOCK_START.search(line) else None
        if line.lstrip().startswith("#") or not _KEYED_LINE.match(line):
            continue
        if curly := _CURLY_WRAPPED.match(line):
            key = curly.group("key")
            problems.append(Problem(path, number, f"{key}: the value is wrapped in curly quotes, which are kept as part "
                                    "of it", WARNING, f"write it between straight double quotes instead, as {key}: \"...\""))
        if _GUESSED.search(line):
            key = _KEY_OF_LINE.match(line)
            problems.append(Problem(path, number, (f"{key.group(1)}: " if key else "")
                                    + "this value is still marked '# guessed' by the importer", WARNING,
                                    "check it against the article, correct it, then delete the mark"))
        elif cut := _CUT_VALUE.match(line):
            kept = cut.group("value").strip()
            problems.append(Problem(path, number, f"the text after ' #' is read as a comment, so only '{kept}' is kept",
                                    WARNING, "put the whole value in double quotes"))
    return problems


_CONFLICT_START = re.compile(r"^<{7}(?: .*)?$", re.M)
_CONFLICT_END = re.compile(r"^>{7}(?: .*)?$", re.M)


def _merge_conflict(text: str, path: str) -> Problem | None:
    """Git's marks of a merge it could not make: published, both versions would stand as one text, the marks
    as paragraphs and quotations, and every later paragraph's number would move."""
    start = _CONFLICT_START.search(text)
    if start is None or not _CONFLICT_END.search(text, start.end()):
        return None
    return Problem(path, text.count("\n", 0, start.start()) + 1,
                   "the file holds a merge conflict: lines '<<<<<<<', '=======' and '>>>>>>>' from git", ERROR,
                   "keep the right version of the lines between the marks, then delete the other and the three mark lines")


def load_file(path: Path, root: Path) -> tuple[SourceFile | None, list[Problem]]:
    """Read and split one content file: the file (None if it cannot be read) and its problems.

    A key given twice is reported but the file is still returned, so validation can
    report the file's other mistakes in the same run.
    """
    rel = path.relative_to(root).as_posix()
    try:
        raw = read_file_bytes(path)
    except FileNotFoundError:  # listed a moment ago: moved or deleted while the build ran
        return None, [Problem(rel, 1, "the file went away while the build was reading the content", ERROR,
                              "build again once the files are where they belong")]
    except OSError as exc:
        return None, [Problem(rel, 1, f"cannot read the file: {exc.strerror}", ERROR,
                              "replace it with the file itself" if exc.strerror == NOT_A_FILE
                              else "check the file's permissions")]
    text, problem = decode(raw, rel)
    if problem:
        return None, [problem]
    if "<<<<<<<" in text and (conflict := _merge_conflict(text, rel)):
        return None, [conflict]
    split = split_front_matter(text, rel)
    if isinstance(split, Problem):
        return None, [split]
    head, body, body_line = split
    parsed = compose_yaml(head, rel)
    if isinstance(parsed, Problem):
        return None, [parsed]
    data, lines, problems = parsed
    if any(mark in head for mark in _LINE_MARKS):  # most files have none: no line is looked at
        problems += raw_line_problems(head, rel)
    return SourceFile(rel, data, lines, body, body_line), problems


def load_content(root: Path, load_one=load_file) -> tuple[dict[str, list[SourceFile]], list[Problem]]:
    """Load every statement and registry file under root/content (`load_one`: the build passes a cached one)."""
    content_dir = root / "content"
    files: dict[str, list[SourceFile]] = {}
    problems: list[Problem] = []
    for kind in ("statements",) + ENTITY_KINDS:
        files[kind] = []
        for path in content_files(content_dir, kind, problems):
            loaded, found = load_one(path, root)
            problems += found
            if loaded is not None:
                files[kind].append(loaded)
    return files, problems + unread_in_content(content_dir, ("statements",) + ENTITY_KINDS)


def unread_in_content(content_dir: Path, kinds: tuple) -> list[Problem]:
    """What sits in content/ beside the folders the build reads, which the build would pass over in silence: a
    statement in content/statement/ (a folder's name mistyped) would never be published."""
    import difflib

    problems = []
    try:
        names = sorted(os.listdir(content_dir))
    except OSError:
        return []  # no content folder: each kind's folder is reported (content_files)
    for name in names:
        if name in kinds or passed_over(name):
            continue
        shown = shown_name(name)
        near = difflib.get_close_matches(name.lower(), kinds, n=1, cutoff=0.6)
        where = f"content/{near[0]}/" if near else "the folder of its kind: " + ", ".join(f"content/{k}/" for k in kinds)
        if os.path.isdir(content_dir / name):
            problems.append(Problem(f"content/{shown}/", 1, "not read: the build reads only the folders "
                                    + ", ".join(f"{k}/" for k in kinds) + " of content/", WARNING,
                                    f"move its files into {where}"))
        else:
            problems.append(Problem(f"content/{shown}", 1, "not read: files directly in content/ are not read", WARNING,
                                    f"move it into {where}"))
    return problems
