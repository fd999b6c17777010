"""Nothing lost: refused output folders, and builds interrupted at any point.

The published site is either the previous one or the new one, never a mix; folders left by
a killed build are removed by the next build; nothing without the build's marker is deleted.
"""

from __future__ import annotations

import builtins
import ctypes
import functools
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from statement_archive import write
from statement_archive.write import MARKER, OutputRefused, check_output_dir

from http_helpers import fetch, free_port, wait_for
from test_bad_input import make_site, run

REPO = Path(__file__).resolve().parent.parent
FIXTURES_BAD = REPO / "tests" / "fixtures" / "bad"


def snapshot(folder: Path) -> dict:
    """Every file's bytes by relative path: what a reader of the site would get."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith((".staging-", ".retired-")))


# --- refused output folders ---------------------------------------------------------------

@pytest.mark.parametrize("where", [".", "content", "templates", "content/statements", "content/new-folder",
                                   "templates/out", "..", "../.."])
def test_build_refuses_the_project_its_sources_and_their_parents(where, tmp_path, capsys):
    root = make_site(tmp_path / "a" / "site")
    before = snapshot(tmp_path)
    output = (root / where).resolve()
    with pytest.raises(OutputRefused):
        check_output_dir(output, root)
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1 and "refusing to use" in printed
    assert "Traceback" not in printed
    assert snapshot(tmp_path) == before
    assert not (root / "content" / "new-folder").exists() and not (root / "templates" / "out").exists()


def test_build_refuses_the_home_folder_and_the_root_of_the_file_system(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    root = make_site(home / "projects" / "site")
    monkeypatch.setenv("HOME", str(home))
    before = snapshot(tmp_path)
    status, _, printed = run(root, "build", "--output", str(home), capsys=capsys)
    assert status == 1 and f"refusing to use {home}" in printed
    assert snapshot(tmp_path) == before
    for place in (Path("/"), home):
        with pytest.raises(OutputRefused, match="refusing to use"):
            check_output_dir(place, root)


def test_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    output = tmp_path / "photos"
    output.mkdir()
    (output / "holiday.jpg").write_bytes(b"\xff\xd8 a photo")
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1 and "it is not empty and was not made by this build" in printed
    assert snapshot(output) == {"holiday.jpg": b"\xff\xd8 a photo"}
    assert leftovers(output) == []


def test_a_folder_by_the_name_of_the_build_s_working_copy_is_refused_before_anything_is_written(tmp_path, capsys):
    """Beside the output the build keeps its working copy (`.public.shadow` for `public`), which it replaces; a
    folder of that name it did not make (someone's, a restored backup's) is refused, as the output itself would be:
    `check` says so too and counts it, and `build` writes nothing, the output and the cache included. It had been
    found only part way through a build, after the cache was written, and `check` said nothing of it."""
    root = make_site(tmp_path / "site")
    output = tmp_path / "public"
    status, _, _ = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 0
    shadow = tmp_path / ".public.shadow"
    if shadow.exists():
        shutil.rmtree(shadow)
    shadow.mkdir()
    (shadow / "notes.txt").write_text("keep me", encoding="utf-8")
    statement = next((root / "content" / "statements").glob("*.md"))  # an edit, for the build to have work to do
    statement.write_text(statement.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    before = snapshot(tmp_path)
    told = f"error: refusing to replace {shadow.resolve()}: it was not made by this build; move it away"
    status, _, printed = run(root, "check", "--output", str(output), capsys=capsys)
    assert status == 1 and told in printed and "error(s)" in printed.splitlines()[-1]
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1 and told in printed
    assert snapshot(tmp_path) == before


def test_the_working_copy_s_folder_reused_by_someone_is_refused_not_taken_for_the_build_s(tmp_path, capsys):
    """The build knew its working copy by the folder's identity (device and inode) alone: a folder that had it, its
    files and marker gone and someone's put in (or a new folder given the freed inode, as ext4 does at once), was
    taken for the copy: the build failed with Pagefind's 'no html files' and deleted the folder, notes and all. The
    marker is asked for first now, and such a folder is refused and kept."""
    root = make_site(tmp_path / "site")
    output = tmp_path / "public"
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    shadow = tmp_path / ".public.shadow"
    assert (shadow / ".statement-archive-output").is_file()
    for item in shadow.iterdir():  # the same folder, emptied and used for something else
        shutil.rmtree(item) if item.is_dir() and not item.is_symlink() else item.unlink()
    (shadow / "notes.txt").write_text("keep me", encoding="utf-8")
    statement = next((root / "content" / "statements").glob("*.md"))
    statement.write_text(statement.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1 and f"refusing to replace {shadow.resolve()}: it was not made by this build" in printed
    assert snapshot(shadow) == {"notes.txt": b"keep me"}


def test_build_refuses_a_file_as_output(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    output = tmp_path / "notes.txt"
    output.write_text("keep me", encoding="utf-8")
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1 and "it is a file, not a folder" in printed
    assert output.read_text(encoding="utf-8") == "keep me"


def test_build_uses_an_empty_folder_and_replaces_its_own_output_entirely(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    output = tmp_path / "out"
    output.mkdir()
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    assert (output / MARKER).is_file() and (output / "index.html").is_file()
    (output / "stray.html").write_text("from an older build", encoding="utf-8")
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    assert not (output / "stray.html").exists(), "the whole folder is replaced"
    assert leftovers(output) == []


# --- interrupted builds: every point of the write stage, in-process --------------------------

class _Interrupter:
    """Counts a build's file-system steps under one folder and raises KeyboardInterrupt at step `at`."""

    WRITE_MODES = set("wxa+")

    def __init__(self, monkeypatch, under: Path, at: int):
        self.under, self.at, self.steps = str(under), at, 0
        for module, name in ((os, "rename"), (os, "replace"), (os, "link"), (os, "symlink"), (os, "unlink"),
                             (os, "remove"), (os, "rmdir"), (os, "mkdir"), (shutil, "rmtree"), (subprocess, "run"),
                             (write, "_exchange")):
            monkeypatch.setattr(module, name, self.wrap(getattr(module, name), always=module is not os))
        real_open = builtins.open

        def opened(file, mode="r", *args, **kwargs):
            if self.WRITE_MODES & set(mode) and isinstance(file, (str, os.PathLike)) and str(file).startswith(self.under):
                self.step()
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", opened)
        monkeypatch.setattr(io, "open", opened)

    def step(self):
        self.steps += 1
        if self.steps == self.at:
            raise KeyboardInterrupt

    def wrap(self, real, always: bool):
        def counted(*args, **kwargs):
            if always or any(str(a).startswith(self.under) for a in args if isinstance(a, (str, os.PathLike))):
                self.step()
            return real(*args, **kwargs)
        return counted


def _two_versions(folder: Path, capsys) -> tuple[Path, Path, dict]:
    """A site built once (the published version), then changed: (root, output, published files)."""
    root = make_site(folder / "site")
    output = folder / "out"
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    published = snapshot(output)
    (root / "content" / "statements" / "2025-01-10-new.md").write_text(
        "---\ntitle: A new statement\ndate: 2025-01-10\noutlet: APA\nspeakers: [Sergey Markov]\n---\n\nNew text.\n",
        encoding="utf-8")
    (root / "content" / "places" / "moscow.md").write_text(
        "---\nname: Moscow\naliases: [Moskva]\ndescription: \"Capital of Russia; changed.\"\n---\n", encoding="utf-8")
    return root, output, published


@pytest.mark.parametrize("exchange_works", [True, False], ids=["renameat2", "two-renames"])
def test_a_build_interrupted_at_any_of_its_file_operations_leaves_the_published_site(exchange_works, tmp_path, capsys,
                                                                                     monkeypatch):
    """The real build, stopped by Ctrl-C before its 1st, 2nd, ... Nth file-system step: the published
    site stays the old one, and the next build publishes the new one. Where the system has no atomic
    exchange of two folders (renameat2), the build swaps them with two renames: that way too."""
    if not exchange_works:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    counting = tmp_path / "counting"
    root, output, _ = _two_versions(counting, capsys)
    with monkeypatch.context() as patched:
        counter = _Interrupter(patched, counting, at=0)
        assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    total = counter.steps
    assert total > 10

    reference = snapshot(output)  # the new version, built without interruption
    root, output, old = _two_versions(tmp_path / "interrupted", capsys)
    assert reference != old
    # Interrupted builds redo more work (tidying up, writing everything afresh), so the steps to
    # interrupt at grow geometrically: every early step, then ever sparser, until a build completes.
    at = 1
    for attempt in range(40):
        with monkeypatch.context() as patched:
            _Interrupter(patched, tmp_path / "interrupted", at=at)
            status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
        if status == 0:
            break
        assert status == 130 and "Interrupted; the published site is whole" in printed, printed
        published = snapshot(output)
        assert published in (old, reference), f"interrupted before step {at} (of about {total}): a partial site"
        if published == reference:
            break  # interrupted after publishing; what follows is tidying up
        at = max(at + 1, int(at * 1.3))
    else:
        pytest.fail("the build never completed")
    assert attempt >= 10, f"only {attempt} interruptions were tried"
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 0 and snapshot(output) == reference, printed
    assert leftovers(output) == [], "the next build tidies up after every interruption"


def test_folders_left_by_a_killed_build_are_removed_by_the_next_build_and_nothing_else(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    output = tmp_path / "out"
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    staging = tmp_path / f".staging-out-{dead.pid}"
    (staging / "people").mkdir(parents=True)
    (staging / MARKER).write_text("x", encoding="utf-8")
    (staging / "people" / "half-written.html").write_bytes(b"<html><bo")
    empty = tmp_path / f".staging-out-{dead.pid + 100000}"
    empty.mkdir()
    not_ours = tmp_path / f".staging-out-{dead.pid + 200000}"
    not_ours.mkdir()
    (not_ours / "someone-elses.txt").write_text("keep", encoding="utf-8")
    running = tmp_path / f".staging-out-{os.getppid()}"  # a live process: maybe a build running right now
    running.mkdir()
    (running / MARKER).write_text("x", encoding="utf-8")
    (root / "content" / "statements" / "2025-01-10-new.md").write_text(  # so that the build has work to do
        "---\ntitle: A new statement\ndate: 2025-01-10\noutlet: APA\n---\n\nNew text.\n", encoding="utf-8")
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    assert not staging.exists() and not empty.exists()
    assert (not_ours / "someone-elses.txt").read_text(encoding="utf-8") == "keep", "no marker: never deleted"
    assert running.exists(), "another build's folder is left alone while it runs"
    assert "statements/2025/01/10/new/index.html" in snapshot(output)


def test_a_site_retired_by_a_build_killed_between_two_renames_is_put_back(tmp_path, capsys):
    root = make_site(tmp_path / "site")
    output = tmp_path / "out"
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    published = snapshot(output)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    os.rename(output, tmp_path / f".retired-out-{dead.pid}")  # killed right after the first rename
    write.clean_leftovers(output)
    assert snapshot(output) == published
    assert leftovers(output) == []


# --- interrupted builds: a real `build.py` killed by signals -------------------------------

def _project_copy(target: Path, statements: int) -> Path:
    """A copy of the project (package included) with enough statements that writing takes a while."""
    root = make_site(target)
    shutil.copy2(REPO / "build.py", root / "build.py")
    shutil.copytree(REPO / "statement_archive", root / "statement_archive",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for i in range(statements):
        day = 1 + i % 28
        (root / "content" / "statements" / f"2024-02-{day:02d}-generated-{i}.md").write_text(
            f"---\ntitle: Generated statement {i}\ndate: 2024-02-{day:02d}\noutlet: APA\nspeakers: [Maria Zakharova]\n"
            f"---\n\n" + f"Paragraph {i} of generated text. " * 30 + "\n\nA second paragraph.\n", encoding="utf-8")
    return root


def slow_pagefind(root: Path, flag: Path) -> None:
    """Make the project copy's "Pagefind" wait a minute first while `flag` exists: a build can be stopped there."""
    search = root / "statement_archive" / "search.py"
    launcher = (f"import os, sys, time\nif os.path.exists({str(flag)!r}): time.sleep(60)\n"
                "os.execv(sys.argv[1], sys.argv[1:])")
    source = search.read_text(encoding="utf-8")
    assert "    full = pagefind_command(site) + [" in source
    search.write_text(source.replace("    full = pagefind_command(site) + [",
                                     f"    full = [sys.executable, '-c', {launcher!r}] + pagefind_command(site) + [", 1)
                      .replace("import os\n", "import os\nimport sys\n", 1), encoding="utf-8")


def _build(root: Path, output: Path) -> subprocess.Popen:
    # With Python's fault handler on, a build that hangs can be made to print where each of its threads is (SIGABRT).
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, "PYTHONFAULTHANDLER": "1"}
    return subprocess.Popen([sys.executable, "build.py", "--output", str(output)], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_for_staging(output: Path, process: subprocess.Popen, limit: float) -> bool:
    """Poll until the build has started writing its staging folder (or ended, or `limit` seconds)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and process.poll() is None:
        if any(p.name.startswith(f".staging-{output.name}-{process.pid}") for p in output.parent.iterdir()):
            return True
        time.sleep(0.001)
    return False


def test_killing_a_real_build_at_random_moments_never_damages_the_published_site(tmp_path):
    root = _project_copy(tmp_path / "project", statements=30)
    output = tmp_path / "public"
    began = time.monotonic()
    first = _build(root, output)
    assert first.wait(timeout=60) == 0, first.stderr.read().decode()
    duration = time.monotonic() - began
    old = snapshot(output)
    # Every later build has something to publish (versions A and B in turn), so none is a no-op;
    # each version is built once, uninterrupted, into a folder of its own for reference.
    changed = root / "content" / "statements" / "2024-03-01-new.md"
    versions = {}
    for version in ("A", "B"):
        changed.write_text(f"---\ntitle: Version {version}\ndate: 2024-03-01\noutlet: APA\n---\n\nText {version}.\n",
                           encoding="utf-8")
        reference = tmp_path / f"reference-{version}"
        assert _build(root, reference).wait(timeout=60) == 0
        versions[version] = (changed.read_text(encoding="utf-8"), snapshot(reference))
    assert len({repr(v[1]) for v in versions.values()} | {repr(old)}) == 3
    # The builds to interrupt are incremental, much shorter than the first: time one of them
    # (version A published, then the old site again) so the kills land while builds run.
    began_one = time.monotonic()
    changed.write_text(versions["A"][0], encoding="utf-8")
    assert _build(root, output).wait(timeout=60) == 0
    duration = time.monotonic() - began_one
    changed.unlink()
    assert _build(root, output).wait(timeout=60) == 0
    assert snapshot(output) == old

    rng = random.Random(20250320)
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]
    interrupted = mid_write = 0
    for attempt in range(6):
        changed.write_text(versions["AB"[attempt % 2]][0], encoding="utf-8")
        process = _build(root, output)
        if attempt % 2:  # at a random moment of the whole run: loading, rendering or writing
            time.sleep(rng.uniform(0.1, 0.8) * duration)
        elif _wait_for_staging(output, process, limit=2 * duration):  # a random moment while writing
            time.sleep(rng.uniform(0, 0.03))
            mid_write += process.poll() is None
        if process.poll() is None:
            process.send_signal(signals[attempt % 3])
            interrupted += 1
        process.wait(timeout=60)
        process.stderr.close()
        published = snapshot(output)
        odd = sorted(k for k in set(published) | set(old) | set(versions["A"][1])
                     if all(published.get(k) != other.get(k) for other in (old, versions["A"][1], versions["B"][1])))
        assert published in (old, versions["A"][1], versions["B"][1]), \
            f"after kill {attempt} the published site was partial or a mix: {odd[:10]}"
    assert interrupted >= 4 and mid_write >= 1, "the kills landed while builds were running, some while writing"
    changed.write_text(versions["A"][0], encoding="utf-8")
    final = _build(root, output)
    assert final.wait(timeout=60) == 0
    final.stderr.close()
    assert snapshot(output) == versions["A"][1]
    assert leftovers(output) == [], "no staging or retired folder is left after a successful build"
    assert time.monotonic() - began < 90


def signal_another_thread(pid: int, number: int) -> None:
    """Send the process `pid` a signal through one of its threads other than the main one (tgkill), as the kernel
    may hand a signal sent to the process: Python runs the handler in the main thread all the same."""
    threads = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
    assert threads, "the build has a thread besides the main one while it indexes"
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.tgkill(pid, threads[-1], number) == 0, os.strerror(ctypes.get_errno())


@pytest.mark.parametrize("stop, status, said", [(signal.SIGINT, 130, "Interrupted;"), (signal.SIGTERM, 143, "Terminated;")],
                         ids=["Ctrl-C", "SIGTERM"])
@pytest.mark.parametrize("through", ["process", "another thread"])
def test_a_build_stopped_while_it_indexes_for_search_ends_pagefind_and_leaves_nothing(tmp_path, stop, status, said,
                                                                                     through):
    """Ctrl-C or SIGTERM (`kill`, a CI's time limit) while Pagefind runs: the build stops at once, says so, and leaves
    the published site and no folder behind. SIGTERM had ended it on the spot, leaving its staging folder and its
    scratch folder in memory. A signal the kernel handed to another thread than the main one was not acted on until
    Pagefind was done: the main thread waited for it without a timeout, and so never woke to run the handler."""
    memory = Path("/dev/shm")
    if not memory.is_dir():
        pytest.skip("no /dev/shm here: the search index is made on disk, in the staging folder")
    root = _project_copy(tmp_path / "project", statements=0)
    slow = tmp_path / "slow"
    slow_pagefind(root, slow)
    output = tmp_path / "out"
    first = _build(root, output)
    assert first.wait(timeout=60) == 0, first.stderr.read()
    first.stderr.close()
    published = snapshot(output)
    statement = root / "content" / "statements" / "2025-03-20-briefing.md"
    statement.write_text(statement.read_text(encoding="utf-8") + "\nA paragraph added.\n", encoding="utf-8")
    slow.touch()
    process = _build(root, output)
    scratch = f"statement-archive-search-*-{process.pid}"
    try:
        end = time.monotonic() + 30
        while not list(memory.glob(scratch)) and process.poll() is None and time.monotonic() < end:
            time.sleep(0.01)
        assert process.poll() is None and list(memory.glob(scratch)), "the build did not reach its search index"
        if through == "process":
            process.send_signal(stop)
        else:  # once the main thread waits for the search thread: Pagefind sleeps, the feeds take a moment here
            time.sleep(1)
            signal_another_thread(process.pid, stop)
        try:
            returncode = process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # say where it was
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            pytest.fail("the build went on 20 s after the signal; its threads were at:\n"
                        + process.stderr.read().decode(errors="replace")[-6000:])
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        left = list(memory.glob(scratch))
        for folder in left:
            subprocess.run(["rm", "-rf", str(folder)])
    printed = process.stderr.read().decode()
    process.stderr.close()
    assert returncode == status and said in printed, printed
    assert "Traceback" not in printed
    assert not left, "the scratch folder in memory was left"
    assert leftovers(output) == []
    assert snapshot(output) == published


# --- serve: a failed rebuild keeps the last good site and shows why -------------------------

def test_serve_keeps_the_last_good_site_and_shows_the_errors_in_the_page_and_terminal(tmp_path):
    root = _project_copy(tmp_path / "project", statements=0)
    output = tmp_path / "out"
    port = free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-u", "build.py", "serve", "--port", str(port), "--output", str(output)],
                                  cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    page = f"http://127.0.0.1:{port}/statements/2025/03/20/briefing/"
    bad = root / "content" / "statements" / "2025-01-10-typo.md"
    problem = "content/statements/2025-01-10-typo.md:5: unknown key &#x27;speakrs&#x27;"
    try:
        status, good = wait_for(lambda: fetch(page), 30, "the server did not answer")
        assert status == 200 and "We are waiting for the leadership" in good and 'role="alert"' not in good
        before = snapshot(output)

        shutil.copy2(FIXTURES_BAD / "unknown-key" / "content" / "statements" / "2025-01-10-typo.md", bad)
        status, shown = wait_for(lambda: (lambda r: r if problem in r[1] else None)(fetch(page)), 20,
                                  "the banner did not show the error")
        assert status == 200 and "We are waiting for the leadership" in shown, "still the last good page"
        assert "The last rebuild failed; this is the last good site." in shown
        assert snapshot(output) == before
        missing = fetch(f"http://127.0.0.1:{port}/no/such/page/")
        assert missing[0] == 404 and problem in missing[1], "the 404 page shows the banner too"
        wait_for(lambda: "2025-01-10-typo.md:5: unknown key 'speakrs'" in log.read_text(encoding="utf-8"), 5,
                  "the terminal did not show the error")

        bad.unlink()
        wait_for(lambda: 'role="alert"' not in fetch(page)[1], 20, "the banner did not go after the fix")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        print(log.read_text(encoding="utf-8"))  # shown by pytest only when the test fails
    assert leftovers(output) == []


def test_serve_shows_the_errors_when_no_build_has_succeeded_yet(tmp_path):
    """The handler on its own: an output folder that was never built, and the first build's errors."""
    from statement_archive.serve import BuildState, _Handler

    state = BuildState(tmp_path / "never-built", "/")
    state.set_errors(["content/statements/x.md:1: the file is empty (start it with front matter ...)"])
    handler = functools.partial(_Handler, state=state)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, body = fetch(f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
    assert status == 404
    assert "Nothing to serve yet" in body and "content/statements/x.md:1: the file is empty" in body


@pytest.mark.parametrize("site_path", ["../escaped.html", "/escaped.html", "a/../../escaped/", "a\\..\\escaped.html"])
def test_an_incremental_build_refuses_a_page_path_that_would_leave_the_output(tmp_path, site_path):
    from statement_archive import incremental

    (tmp_path / "out").mkdir()
    with pytest.raises(ValueError, match="outside the output folder"):
        incremental.write_file(tmp_path / "out", site_path, b"x")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["out"]


def test_a_cache_changed_under_a_build_is_an_error_that_leaves_the_site(tmp_path, capsys, monkeypatch):
    """The texts a build reads back from its cache (cache.KeptText) can only vanish if something else
    changes the cache meanwhile: the build stops with a message, not a traceback, and the site stays."""
    from statement_archive import pipeline
    from statement_archive.cache import KeptText, TextLost

    root = make_site(tmp_path / "site")
    output = tmp_path / "out"
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    path = next((root / "content" / "people").glob("*.md"))  # a change; the statements stay as they were
    path.write_text(path.read_text(encoding="utf-8") + "\nA line added by the test.\n", encoding="utf-8")
    real = pipeline.build_site

    def losing(config, **options):
        def lost(self):
            raise TextLost(self.key)
        monkeypatch.setattr(KeptText, "text", lost)
        return real(config, **options)

    monkeypatch.setattr(pipeline, "build_site", losing)
    for bodies in root.glob(".cache/**/bodies.sqlite"):  # so every statement's text is read, to render it again
        bodies.unlink()
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1 and "changed while this build was using it" in printed and "Traceback" not in printed
    assert printed.splitlines()[-1] == f"Build failed: 1 error(s); the site in {output.resolve()} was left as it was."
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert leftovers(output) == []


def test_a_failure_after_the_swap_says_the_new_site_is_out_and_the_next_build_mends_it(tmp_path, capsys, monkeypatch):
    """A folder of the old site made read-only stops the build bringing its copy level after the swap: the new site
    is published by then, so "the published site was left as it was" would be untrue (as it was, before)."""
    from statement_archive import incremental

    root = make_site(tmp_path / "site", "_base")
    output = tmp_path / "out"
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    statement = next((root / "content" / "statements").glob("*.md"))
    statement.write_text(statement.read_text(encoding="utf-8") + "\nA sentence added.\n", encoding="utf-8")

    level = incremental._bring_level

    def read_only(output_folder, folder, changed):
        if not changed:  # before the swap: the last build left nothing to bring level
            return level(output_folder, folder, changed)
        raise PermissionError(13, "Permission denied", str(folder / changed[0]))

    monkeypatch.setattr(incremental, "_bring_level", read_only)
    status, _, printed = run(root, "build", "--output", str(output), capsys=capsys)
    assert status == 1
    assert f"error: the new site was published in {output.resolve()}" in printed and "Permission denied" in printed
    assert "left as it was" not in printed
    assert printed.splitlines()[-1] == f"Build failed: 1 error(s) after the new site was published in {output.resolve()}."
    assert any(b"A sentence added." in page.read_bytes() for page in output.rglob("index.html"))  # out, as said
    monkeypatch.undo()
    assert run(root, "build", "--output", str(output), capsys=capsys)[0] == 0
    rebuilt = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert run(root, "build", "--output", str(tmp_path / "cold"), capsys=capsys)[0] == 0
    cold = {p.relative_to(tmp_path / "cold"): p.read_bytes() for p in (tmp_path / "cold").rglob("*") if p.is_file()}
    assert rebuilt == cold
