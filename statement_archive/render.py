"""Stage 6, render: a PageSpec becomes bytes through its Jinja2 template (a pure function).

Autoescaping is on and undefined names are errors; only the article body, already
sanitised, is marked safe in the templates.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .model import ERROR, PageSpec, Problem


def make_environment(template_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_page(env: jinja2.Environment, spec: PageSpec) -> bytes:
    return env.get_template(spec.template).render(spec.context).encode("utf-8")


def template_problem(exc: Exception, root: Path, spec: PageSpec) -> Problem:
    """Name the template and line of a template error, so the editor can find it."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or spec.template
        try:
            name = Path(name).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = f"templates/{exc.name or spec.template}"
        return Problem(name, exc.lineno or 1, f"template syntax error: {exc.message}", ERROR)
    if isinstance(exc, jinja2.TemplateNotFound):
        return Problem(f"templates/{spec.template}", 1, f"template not found: {exc.name}", ERROR,
                       "every page kind needs its template in templates/")
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    if frames:
        frame = frames[-1]
        try:
            name = Path(frame.filename).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            name = frame.filename
        return Problem(name, frame.lineno or 1, f"template error while rendering /{spec.url}: {exc}", ERROR)
    return Problem(f"templates/{spec.template}", 1, f"template error while rendering /{spec.url}: {exc}", ERROR)


def render_pages(template_dir: Path, root: Path, specs: list[PageSpec]) -> tuple[dict[str, bytes], list[Problem]]:
    """Render every page; stop at the first template error of each template."""
    env = make_environment(template_dir)
    pages: dict[str, bytes] = {}
    problems: list[Problem] = []
    failed: set[str] = set()
    for spec in specs:
        if spec.template in failed:
            continue
        try:
            pages[spec.url] = render_page(env, spec)
        except jinja2.TemplateError as exc:
            failed.add(spec.template)
            problems.append(template_problem(exc, root, spec))
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            failed.add(spec.template)
            problems.append(template_problem(exc, root, spec))
    return pages, problems
