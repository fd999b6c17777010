"""Stage 7, write (the rules, unit by unit): dangerous places refused, only marked folders deleted.

Whole builds replacing, interrupted and refusing output folders are in test_output_safety.py.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from conftest import Signalled, signal_through_another_thread

from statement_archive import write
from statement_archive.write import (MARKER, OutputRefused, check_output_dir, clean_leftovers, remove_beside,
                                     remove_own_folder)


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("place", [".", "content", "templates", "content/statements"])
def test_the_project_and_its_sources_are_refused(tmp_path, place):
    root = tmp_path / "project"
    (root / "content" / "statements").mkdir(parents=True)
    (root / "templates").mkdir()
    with pytest.raises(OutputRefused):
        check_output_dir(root / place, root)


def test_a_folder_this_build_did_not_make_is_refused_and_one_it_made_or_an_empty_one_is_not(tmp_path):
    root = tmp_path / "project"
    output = tmp_path / "somebody-elses"
    output.mkdir()
    check_output_dir(output, root)  # empty: fine
    (output / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(OutputRefused, match="not made by this build"):
        check_output_dir(output, root)
    (output / MARKER).write_text("x", encoding="utf-8")
    check_output_dir(output, root)  # marked: the build's own


def test_an_own_folder_is_deleted_whole(tmp_path):
    ours = tmp_path / "ours"
    (ours / "people" / "x").mkdir(parents=True)
    (ours / "people" / "x" / "index.html").write_bytes(b"x")
    (ours / MARKER).write_text("x", encoding="utf-8")
    remove_own_folder(ours)
    assert not ours.exists()


def test_leftovers_of_a_dead_build_go_and_those_of_a_running_one_or_without_the_marker_stay(tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / MARKER).write_text("x", encoding="utf-8")
    dead = tmp_path / ".staging-out-999999999"  # above any pid_max: no process has it
    (dead / "people").mkdir(parents=True)
    (dead / MARKER).write_text("x", encoding="utf-8")
    unmarked = tmp_path / ".staging-out-999999998"
    unmarked.mkdir()
    (unmarked / "keep.txt").write_text("keep", encoding="utf-8")
    running = tmp_path / f".staging-out-{os.getppid()}"  # a live process: maybe a build right now
    running.mkdir()
    (running / MARKER).write_text("x", encoding="utf-8")
    clean_leftovers(output)
    assert not dead.exists() and running.exists()
    assert files(unmarked) == ["keep.txt"], "no marker: never deleted"


def _own_site(folder):
    (folder / "statements" / "2025" / "x").mkdir(parents=True)
    (folder / "statements" / "2025" / "x" / "index.html").write_bytes(b"x")
    (folder / "index.html").write_bytes(b"home")
    (folder / MARKER).write_text("x", encoding="utf-8")


def test_a_folder_removed_beside_the_build_moves_aside_at_once_and_is_gone_when_finished(tmp_path, monkeypatch):
    """The folder leaves its place at once (the build makes a new one there), `rm` deletes all of it but
    the marker in a process of its own, and `finish` waits for it and deletes the rest; without `rm`,
    `finish` deletes everything."""
    for rm in (True, False):
        started = []
        popen = write.subprocess.Popen
        monkeypatch.setattr(write.subprocess, "Popen", lambda *a, **k: started.append(a[0]) or popen(*a, **k))
        if not rm:
            monkeypatch.setattr(write.shutil, "which", lambda name: None)
        shadow = tmp_path / ".out.shadow"
        _own_site(shadow)
        removal = remove_beside(shadow, tmp_path / "out")
        assert not shadow.exists() and removal.folder.parent == tmp_path
        assert removal.folder.name.startswith(".staging-out-old") and removal.folder.name.endswith(f"-{os.getpid()}")
        assert (removal.folder / MARKER).is_file()  # the marker goes last
        if rm:
            assert len(started) == 1 and started[0][1:3] == ["-rf", "--"]
            assert str(removal.folder / MARKER) not in started[0]
        else:
            assert started == []
        removal.finish()
        assert not removal.folder.exists() and list(tmp_path.iterdir()) == []
        monkeypatch.undo()


def test_a_folder_a_killed_build_left_aside_goes_with_the_next_build(tmp_path):
    output = tmp_path / "out"
    _own_site(output)
    aside = tmp_path / ".staging-out-old-999999999"  # above any pid_max: its build is dead
    _own_site(aside)
    clean_leftovers(output)
    assert not aside.exists() and output.exists()


def test_waiting_for_the_deleting_process_acts_on_a_signal_handed_to_another_thread(tmp_path):
    """The end of a build waits for `rm` to delete an old site (seconds at 10,000 statements). Ctrl-C or SIGTERM
    that the kernel hands to another thread (serve's watcher) must stop it at once: a wait with no timeout was
    never woken to run the handler, and the build went on until `rm` ended."""
    folder = tmp_path / ".staging-out-old"
    folder.mkdir()
    slow = subprocess.Popen(["sleep", "8"])
    removal = write.Removal(folder, slow)
    began = time.monotonic()
    try:
        with pytest.raises(Signalled):
            with signal_through_another_thread(0.3):
                removal.finish()
        assert time.monotonic() - began < 5, "the signal was acted on only once the deleting process ended"
    finally:
        slow.kill()
        slow.wait()
