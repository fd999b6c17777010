"""Stage 6, render: a PageSpec becomes bytes through its Jinja2 template (a pure function).

Autoescaping is on and undefined names are errors; only the article body, already
sanitised, is marked safe in the templates.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from .chart import number
from .entities import name_language
from .model import ERROR, PageSpec, Problem


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja2's Environment, but `x.name` on a plain dict is looked up as an item straight away.

    Why: page contexts are plain dicts, and Jinja2 tries an attribute first, so every
    `card.title` raised and caught an AttributeError (about 4 million times in a cold build
    at 10,000 statements). What a template gets is the same: a dict's only attributes are
    its class's (`items`, `get`...), and those are still looked up as Jinja2 does.
    """

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def make_environment(template_dir: Path) -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = number
    env.filters["lang_attr"] = lang_attr
    return env


def lang_attr(name: str) -> Markup:
    """` lang="ru"` for a name in another language than the site's (entities.name_language), else nothing."""
    language = name_language(name)
    return Markup(f' lang="{language}"') if language else Markup("")


def render_page(env: jinja2.Environment, spec: PageSpec) -> bytes:
    return env.get_template(spec.template).render(spec.context).encode("utf-8")


def _template_frame(exc: Exception, root: Path) -> tuple[str, int] | None:
    """The innermost template file and line in the exception's traceback, if any."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    if not frames:
        return None
    frame = frames[-1]
    try:
        name = Path(frame.filename).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        name = frame.filename
    return name, frame.lineno or 1


def template_problem(exc: Exception, root: Path, spec: PageSpec) -> Problem:
    """Name the template and line of a template error, so the editor can find it."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or spec.template
        try:
            name = Path(name).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = f"templates/{exc.name or spec.template}"
        return Problem(name, exc.lineno or 1, f"template syntax error: {exc.message}", ERROR,
                       "fix the tag or expression on that line; every '{%' needs its '%}' and every block its end tag")
    frame = _template_frame(exc, root)
    if isinstance(exc, jinja2.TemplateNotFound):
        name, line = frame or (f"templates/{spec.template}", 1)
        return Problem(name, line, f"template not found: {exc.name}", ERROR,
                       "check the name in the extends or include tag; every page kind needs its template in templates/")
    name, line = frame or (f"templates/{spec.template}", 1)
    if isinstance(exc, jinja2.UndefinedError):
        hint = "the page has no such value: check the spelling, or guard it with '{% if ... is defined %}'"
    else:
        hint = "fix the expression on that line"
    what = str(exc) or type(exc).__name__
    return Problem(name, line, f"template error while rendering /{spec.url}: {what}", ERROR, hint)


def unreadable_templates(template_dir: Path, root: Path) -> list[Problem]:
    """Templates (and folders of them) that cannot be read, and templates that are not UTF-8, named with the
    byte offset: Jinja2 would only say 'codec can't decode', for every page template that includes one."""
    from .load import NOT_UTF8, decode, shown_name

    problems, errors, paths = [], [], []
    for current, _, names in os.walk(template_dir, onerror=errors.append):  # rglob passes over what it may not read
        paths += [Path(current) / name for name in names]
    if errors:
        error = errors[0]
        if isinstance(error, FileNotFoundError) and Path(error.filename) == template_dir:
            return []  # no templates folder: each page's template is reported as not found
        return [Problem(_shown(Path(error.filename), root), 1, f"cannot read the templates folder: {error.strerror}",
                        ERROR, "make the templates folder, the folders in it and its files readable by this user")]
    for path in sorted(paths):
        if NOT_UTF8.search(path.name):  # Jinja2 cannot name it, and the build could not record it
            problems.append(Problem(shown_name(_shown(path, root)), 1, "the file's name is not in UTF-8, and cannot "
                                    "be read", ERROR, "rename it, with letters, digits and '-' only"))
        elif path.is_file() and path.suffix in (".html", ".xml", ".txt"):
            rel = _shown(path, root)
            try:
                problem = decode(path.read_bytes(), rel)[1]
            except OSError as exc:
                problem = Problem(rel, 1, f"cannot read the template: {exc.strerror}", ERROR,
                                  "make the file readable by this user")
            if problem:
                problems.append(problem)
    return problems


def _shown(path: Path, root: Path) -> str:
    """A path as messages name it: from the project's folder when it is inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def render_pages(template_dir: Path, root: Path, specs: Iterable[PageSpec],
                 keep: bool = True) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every page (kept by URL if `keep`); stop at the first template error of each template."""
    problems = unreadable_templates(template_dir, root)
    if problems:
        return {}, problems
    env = make_environment(template_dir)
    pages: dict[str, bytes] = {}
    failed: set[str] = set()
    seen: set[tuple] = set()
    for spec in specs:
        if spec.template in failed:
            continue
        try:
            page = render_page(env, spec)
            if keep:
                pages[spec.url] = page
        except Exception as exc:  # templates are edited by people: any mistake in one becomes a Problem
            failed.add(spec.template)
            problem = template_problem(exc, root, spec)
            if (problem.path, problem.line, str(exc)) not in seen:  # a broken partial fails every page kind using it
                seen.add((problem.path, problem.line, str(exc)))
                problems.append(problem)
    return pages, sorted(problems)
