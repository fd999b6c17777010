"""Stage 6, render: templates with autoescaping and strict undefined; template mistakes become Problems."""

from __future__ import annotations

from bs4 import BeautifulSoup

from statement_archive.model import ERROR, PageSpec
from statement_archive.render import make_environment, render_page, render_pages

HOSTILE = '<script>alert("x")</script> & "Tom\'s" <b>bold</b>'


def test_metadata_is_escaped_everywhere_and_only_the_sanitised_body_is_html(project):
    project.entity("people", "maria-zakharova", name=f"Maria {HOSTILE}", role=HOSTILE, aliases=[HOSTILE])
    project.entity("outlets", "apa", name="APA")
    project.statement(title=HOSTILE, summary=HOSTILE, date_note=HOSTILE, author=HOSTILE, title_note=HOSTILE,
                      speakers=[f"Maria {HOSTILE}"], body="Some *emphasis*.\n")
    result = project.build(write=False)
    assert result.ok, [p.format() for p in result.problems]
    statement = BeautifulSoup(result.pages["statements/2025/03/20/a-statement/"], "html.parser")
    person = BeautifulSoup(result.pages["people/maria-zakharova/"], "html.parser")
    for soup in (statement, person):
        assert soup.find("b") is None
        for script in soup.find_all("script"):  # only our own scripts and JSON data, with '<' escaped
            assert script.get("src") or script.get("type") == "application/ld+json", script
            assert "<" not in (script.string or "")
    assert statement.h1.get_text() == HOSTILE
    assert HOSTILE in statement.find("main").get_text()
    assert statement.find("p", id="p1").em.get_text() == "emphasis"
    assert person.h1.get_text() == f"Maria {HOSTILE}"


def test_rendering_is_a_pure_function_of_the_spec(tmp_path):
    (tmp_path / "page.html").write_text("<h1>{{ title }}</h1>{% for x in items %}{{ x }},{% endfor %}\n", encoding="utf-8")
    env = make_environment(tmp_path)
    spec = PageSpec("x/", "page.html", {"title": "T & U", "items": [1, 2]})
    assert render_page(env, spec) == render_page(make_environment(tmp_path), spec) == b"<h1>T &amp; U</h1>1,2,"


def test_an_undefined_value_is_a_problem_naming_the_template_line(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<h1>{{ title }}</h1>\n<p>{{ missing }}</p>\n", encoding="utf-8")
    pages, problems = render_pages(templates, tmp_path, [PageSpec("x/", "page.html", {"title": "T"})])
    assert pages == {}
    (problem,) = problems
    assert (problem.path, problem.line, problem.severity) == ("templates/page.html", 2, ERROR)
    assert "missing" in problem.message


def test_a_syntax_error_is_reported_once_with_its_line(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<h1>{{ title }}</h1>\n{% if title %}\n<p>never closed</p>\n", encoding="utf-8")
    specs = [PageSpec(f"{n}/", "page.html", {"title": "T"}) for n in range(3)]
    pages, problems = render_pages(templates, tmp_path, specs)
    assert pages == {}
    (problem,) = problems
    assert problem.path == "templates/page.html" and problem.severity == ERROR
    assert "syntax" in problem.message


def test_a_missing_template_is_a_problem_not_a_traceback(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    pages, problems = render_pages(templates, tmp_path, [PageSpec("x/", "nowhere.html", {})])
    assert pages == {}
    assert [p.severity for p in problems] == [ERROR]
    assert "nowhere.html" in problems[0].message


def test_dotted_names_on_dicts_give_what_jinja2_gives(tmp_path):
    """The environment looks `x.name` up on a plain dict as an item first (it is faster); a
    template must see exactly what plain Jinja2 shows, dict methods and undefined names included."""
    import jinja2
    import pytest

    source = ("{{ page.title }}|{% for k, v in page.items() %}{{ k }}={{ v }};{% endfor %}|{{ page.get('title') }}|"
              "{{ page.keys is defined }}|{{ page.nested.deep }}|{{ obj.real }}|{{ page.missing is defined }}")
    (tmp_path / "page.html").write_text(source, encoding="utf-8")
    context = {"page": {"title": "T", "items": "an item named like a method", "nested": {"deep": 3}}, "obj": 2 + 0j}
    ours = make_environment(tmp_path).get_template("page.html").render(context)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), autoescape=True,
                               undefined=jinja2.StrictUndefined).get_template("page.html").render(context)
    assert ours == plain
    assert ours.startswith("T|title=T;items=an item named like a method;nested={&#39;deep&#39;: 3};|T|True|3|2.0|False")
    (tmp_path / "missing.html").write_text("{{ page.missing }}", encoding="utf-8")
    with pytest.raises(jinja2.UndefinedError, match="'dict object' has no attribute 'missing'"):
        make_environment(tmp_path).get_template("missing.html").render(context)


def test_check_renders_every_page_one_at_a_time_without_keeping_them(project):
    """`check` renders every page (a mistake in a template is still found) but keeps none: at 10,000
    statements the pages held were some 440 MB. Pages are planned as they are rendered."""
    import gc
    import weakref

    project.entity("people", "maria-zakharova", name="Maria Zakharova")
    project.entity("outlets", "apa", name="APA")
    project.statement(speakers=["Maria Zakharova"], body="Some text.\n")
    kept = project.build(write=False)
    assert kept.ok and len(kept.pages) > 5
    checked = project.build(write=False, keep_pages=False)
    assert checked.ok and checked.pages == {} and checked.problems == kept.problems

    rendered, alive = [], []  # each page's plan is let go once it is rendered
    real = render_page

    def watch(env, spec):
        gc.collect()
        alive.append(sum(1 for ref in rendered if ref() is not None))  # earlier pages' plans still held
        rendered.append(weakref.ref(spec))
        return real(env, spec)

    import statement_archive.render as render

    render.render_page = watch
    try:
        project.build(write=False, keep_pages=False)
    finally:
        render.render_page = real
    assert len(rendered) == len(kept.pages) > 10 and max(alive) <= 1

    person = project.root / "templates" / "person.html"
    text = person.read_text(encoding="utf-8")
    assert "{% block main %}" in text
    person.write_text(text.replace("{% block main %}", "{% block main %}{{ no_such_value }}", 1), encoding="utf-8")
    broken = project.build(write=False, keep_pages=False)
    assert not broken.ok and broken.pages == {}
    assert any(p.path == f"templates/{person.name}" for p in broken.problems)


def test_a_statement_added_after_its_date_says_when_the_archive_added_it(project):
    project.entity("outlets", "apa", name="APA")
    project.statement("2016-12-28-old", date="2016-12-28", added="2026-12-05")
    project.statement("2025-03-20-news", date="2025-03-20", added="2025-03-20")  # added the day it was reported
    assert project.build().ok

    def fact(slug, date):
        page = BeautifulSoup((project.root / "public/statements" / date / slug / "index.html").read_text(encoding="utf-8"),
                             "html.parser")
        term = page.find("dt", string="Added to the archive")
        return term.find_next_sibling("dd").time["datetime"] if term else None

    assert fact("old", "2016/12/28") == "2026-12-05"
    assert fact("news", "2025/03/20") is None


def test_a_folder_of_templates_that_cannot_be_read_is_named_not_passed_over(tmp_path, monkeypatch):
    """rglob skipped a folder it could not list: a build then published the site without its stylesheet and scripts.
    (The tests run as root, whom permissions do not stop, so the refusal is made here.)"""
    import os

    from statement_archive.render import unreadable_templates

    templates = tmp_path / "templates"
    (templates / "assets").mkdir(parents=True)
    (templates / "base.html").write_text("<p>{{ x }}</p>\n", encoding="utf-8")
    assert unreadable_templates(templates, tmp_path) == []
    listing = os.scandir

    def refusing(path="."):
        if os.fspath(path).endswith("assets"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refusing)
    (problem,) = unreadable_templates(templates, tmp_path)
    assert (problem.path, problem.message) == ("templates/assets", "cannot read the templates folder: Permission denied")
    assert unreadable_templates(tmp_path / "nowhere", tmp_path) == []  # no folder: each template is "not found"
