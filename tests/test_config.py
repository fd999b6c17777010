"""site.yaml: values remembered by the file's bytes, so a no-change build need not import YAML."""

import subprocess
import sys
from pathlib import Path

from conftest import TODAY, copy_real_project
from statement_archive.config import load_config, remember_site_yaml
from statement_archive.pipeline import build_site

SITE = 'title: "Archive"\nbase_url: "/archive"\nlatest_count: 5\n'


def with_cache(folder):
    (folder / ".cache" / "statement-archive").mkdir(parents=True)  # as a first build leaves it
    (folder / "site.yaml").write_text(SITE, encoding="utf-8")


def test_remembered_values_follow_every_edit_of_site_yaml(tmp_path):
    with_cache(tmp_path)
    first, problems = load_config(tmp_path, remember=True)
    assert not problems and first.title == "Archive" and first.base_url == "/archive/"
    again, problems = load_config(tmp_path, output="elsewhere")  # from the remembered values
    assert not problems and again.title == "Archive" and again.output_dir == "elsewhere"
    assert again.base_url == "/archive/"

    (tmp_path / "site.yaml").write_text(SITE.replace("Archive", "Records"), encoding="utf-8")
    assert load_config(tmp_path)[0].title == "Records"

    (tmp_path / "site.yaml").write_text(SITE + "colour: red\n", encoding="utf-8")
    config, problems = load_config(tmp_path)
    assert [(p.line, p.message) for p in problems] == [(4, "unknown key 'colour'")]

    (tmp_path / "site.yaml").unlink()
    assert [p.message for p in load_config(tmp_path)[1]] == ["site.yaml is missing"]
    # Emptied (an editor's slip, a failed copy): the defaults would republish every page with another title and
    # no host, and feed readers would show every entry again; an error keeps the site as it was.
    for empty in ("", "# the settings\n", "---\n"):
        (tmp_path / "site.yaml").write_text(empty, encoding="utf-8")
        assert [(p.line, p.message, p.severity) for p in load_config(tmp_path)[1]] == [
            (1, "site.yaml has no settings", "error")], repr(empty)


def test_reading_site_yaml_writes_nothing_before_a_build_made_the_cache(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    assert load_config(tmp_path, remember=True)[0].title == "Archive"
    assert [p.name for p in tmp_path.iterdir()] == ["site.yaml"]


def test_reading_site_yaml_for_check_writes_nothing_into_a_build_s_cache(tmp_path):
    """`check` writes nothing at all, the cache included: only a build remembers site.yaml."""
    with_cache(tmp_path)
    cache = tmp_path / ".cache" / "statement-archive"
    assert load_config(tmp_path)[0].title == "Archive" and list(cache.iterdir()) == []
    remember_site_yaml(tmp_path)
    kept = {p.name: p.read_bytes() for p in cache.iterdir()}
    assert kept
    (tmp_path / "site.yaml").write_text(SITE.replace("Archive", "Records"), encoding="utf-8")
    assert load_config(tmp_path)[0].title == "Records"
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == kept


def imports_yaml(root: Path) -> bool:
    probe = ("import sys; from pathlib import Path; from statement_archive.config import load_config; "
             f"config, problems = load_config(Path({str(root)!r})); "
             "print(not problems, 'yaml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent).stdout.split()
    assert out[0] == "True"
    return out[1] == "True"


def test_a_remembered_site_yaml_is_read_without_importing_yaml(tmp_path):
    with_cache(tmp_path)
    assert imports_yaml(tmp_path)  # reading it parses it
    remember_site_yaml(tmp_path)  # as a build does
    assert not imports_yaml(tmp_path)


def test_the_first_build_leaves_site_yaml_remembered(tmp_path):
    root = copy_real_project(tmp_path / "project")
    config, _ = load_config(root)
    assert build_site(config, TODAY).ok
    assert not imports_yaml(root)


def test_config_repr_names_every_value_and_options_replace_them(tmp_path):
    """repr(config) is part of the no-change key and of every page's inputs hash: each value must show in it."""
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    config, problems = load_config(tmp_path, output="out", base_url="/records")
    assert not problems
    assert repr(config) == (f"Config(root={tmp_path!r}, title='Archive', description='', base_url='/records/', "
                            "language='en', output_dir='out', trust_html=False, latest_count=5, entity_page_limit=100)")
    assert config.output == (tmp_path / "out").resolve()
    assert repr(load_config(tmp_path)[0]) != repr(config)


def test_a_remembered_site_yaml_is_read_without_model_or_dataclasses(tmp_path):
    with_cache(tmp_path)
    remember_site_yaml(tmp_path)
    probe = ("import sys; from pathlib import Path; from statement_archive.config import load_config; "
             f"config, problems = load_config(Path({str(tmp_path)!r})); "
             "print(not problems, sorted({'statement_archive.model', 'dataclasses'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent).stdout
    assert out.strip() == "True []"


def test_a_number_setting_below_one_or_not_a_number_is_named_with_its_line(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE + "entity_page_limit: 0\n", encoding="utf-8")
    assert [p.format() for p in load_config(tmp_path)[1]] == [
        "site.yaml:4: entity_page_limit: expected a whole number above 0, got 0 (write it as 'entity_page_limit: ...')"]
    (tmp_path / "site.yaml").write_text(SITE + "entity_page_limit: many\n", encoding="utf-8")
    assert "expected a whole number above 0, got 'many'" in load_config(tmp_path)[1][0].message


def test_the_output_folder_is_stated_only_where_site_yaml_or_the_command_line_says_it(tmp_path):
    """A build that site.yaml stops names the folder it left as it was: the one site.yaml names, not the default
    'public' put in place of a file that could not be read."""
    from statement_archive.config import stated_output

    site_yaml = tmp_path / "site.yaml"
    for text, stated in [("title: T\noutput_dir: site\ncolour: red\n", tmp_path / "site"),  # another key's mistake
                         ("title: T\n", tmp_path / "public"),  # no output_dir: the default is the site's
                         ("title: T\noutput_dir: 3\n", None),  # refused
                         ("title: T\noutput_dir: site\n: x\n", None),  # not parsed
                         ("# emptied\n", None)]:
        site_yaml.write_text(text, encoding="utf-8")
        assert stated_output(tmp_path) == (stated.resolve() if stated else None), text
        assert stated_output(tmp_path, "elsewhere") == (tmp_path / "elsewhere").resolve()
    site_yaml.unlink()
    assert stated_output(tmp_path) is None
