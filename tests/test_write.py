"""Stage 7, write (basic cases): pages land at their files, the old site is replaced whole, dangerous places refused."""

from __future__ import annotations

import pytest

from statement_archive.write import MARKER, OutputRefused, write_site

PAGES = {"": b"<h1>Home</h1>", "people/x/": b"<h1>X</h1>", "404.html": b"<h1>Not found</h1>"}
ASSETS = {"assets/style.css": b"body{}"}


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_pages_are_written_to_their_files_with_a_marker(tmp_path):
    output = tmp_path / "public"
    write_site(output, tmp_path / "project", PAGES, ASSETS)
    assert files(output) == [MARKER, "404.html", "assets/style.css", "index.html", "people/x/index.html"]
    assert (output / "people/x/index.html").read_bytes() == b"<h1>X</h1>"


def test_a_rebuild_replaces_the_whole_site_and_leaves_nothing_beside_it(tmp_path):
    output = tmp_path / "public"
    write_site(output, tmp_path / "project", PAGES, ASSETS)
    write_site(output, tmp_path / "project", {"": b"<h1>New home</h1>"}, {})
    assert files(output) == [MARKER, "index.html"]
    assert (output / "index.html").read_bytes() == b"<h1>New home</h1>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"], "no staging or retired folders left"


@pytest.mark.parametrize("place", [".", "content", "templates", "content/statements"])
def test_the_project_and_its_sources_are_refused(tmp_path, place):
    root = tmp_path / "project"
    (root / "content" / "statements").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "content" / "statements" / "keep.md").write_text("kept", encoding="utf-8")
    with pytest.raises(OutputRefused):
        write_site(root / place, root, PAGES, ASSETS)
    assert (root / "content" / "statements" / "keep.md").read_text(encoding="utf-8") == "kept"


def test_a_folder_this_build_did_not_make_is_never_replaced(tmp_path):
    output = tmp_path / "somebody-elses"
    output.mkdir()
    (output / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(OutputRefused):
        write_site(output, tmp_path / "project", PAGES, ASSETS)
    assert files(output) == ["thesis.docx"]
