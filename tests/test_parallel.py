"""parallel.py: work spread over forked children, answers in item order, failures raised as themselves.

What test_incremental.py already shows (order kept over 1,000 items, a child's OSError raised as
itself with its traceback as cause, an exception that cannot be pickled, `start` and `stop`) is
not repeated here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

import pytest

from statement_archive import parallel


class TwoArguments(Exception):
    """Pickles (its class is importable) but cannot be unpickled: Exception keeps only its message in args."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = path


def chunk_and_pid(chunk):
    """Each item with the chunk it came in and the process that did it."""
    return [(item, tuple(chunk), os.getpid()) for item in chunk]


def test_a_short_list_or_a_single_worker_runs_once_here_with_every_item():
    """Below min_items, or with one worker, starting processes costs more than it saves: one call, in this process."""
    calls = []

    def work(chunk):
        calls.append((list(chunk), os.getpid()))
        return [item + 1 for item in chunk]

    assert parallel.fork_map(work, list(range(10)), workers=4) == list(range(1, 11))
    assert parallel.fork_map(work, list(range(300)), workers=1) == list(range(1, 301))
    assert calls == [(list(range(10)), os.getpid()), (list(range(300)), os.getpid())]


def test_items_are_dealt_out_interleaved_and_the_parent_does_the_first_chunk():
    """Interleaved chunks (every workers-th item) spread the costly items; the parent works too, not just waits."""
    results = parallel.fork_map(chunk_and_pid, list(range(10)), workers=3, min_items=1)
    assert [item for item, _, _ in results] == list(range(10))
    chunks = {item: chunk for item, chunk, _ in results}
    assert chunks[0] == (0, 3, 6, 9) and chunks[1] == (1, 4, 7) and chunks[2] == (2, 5, 8)
    pids = {chunk: pid for _, chunk, pid in results}
    assert pids[(0, 3, 6, 9)] == os.getpid()
    assert len({pids[(1, 4, 7)], pids[(2, 5, 8)], os.getpid()}) == 3  # each other chunk in a child of its own


def test_without_a_number_of_workers_it_uses_worker_count(monkeypatch):
    monkeypatch.setattr(parallel, "worker_count", lambda: 4)
    results = parallel.fork_map(chunk_and_pid, list(range(8)), min_items=1)
    assert len({pid for _, _, pid in results}) == 4
    assert [item for item, _, _ in results] == list(range(8))


def test_more_workers_than_items_gives_each_item_once():
    """Empty chunks give empty answers, which must not shift the others."""
    assert parallel.fork_map(lambda chunk: [c * 10 for c in chunk], [1, 2, 3], workers=8, min_items=1) == [10, 20, 30]


def test_items_reach_the_children_without_being_pickled():
    """Why fork: the children read the parent's data (here functions, which pickle refuses); only answers travel."""
    items = [lambda n=n: n * n for n in range(6)]
    assert parallel.fork_map(lambda chunk: [f() for f in chunk], items, workers=3, min_items=1) == [0, 1, 4, 9, 16, 25]


def test_a_child_sees_the_data_as_it_was_when_it_started():
    state = {"value": "before"}
    child = parallel.start(lambda: state["value"])
    state["value"] = "after"
    assert child.result() == "before"
    assert child.result() == "before"  # asked again: the same answer, kept


def test_an_exception_that_cannot_be_rebuilt_here_comes_back_as_a_runtime_error_with_the_childs_traceback():
    """Pickled, it would fail again when the parent unpickles it (a TypeError about arguments, hiding the real
    failure); the child tries it first and sends the traceback alone."""

    def work(chunk):
        if 1 in chunk:
            raise TwoArguments("content/statements/x.md", "the disk went away")
        return chunk

    with pytest.raises(RuntimeError) as raised:
        parallel.fork_map(work, list(range(4)), workers=2, min_items=1)
    assert "a build worker process failed" in str(raised.value)
    assert "TwoArguments: content/statements/x.md: the disk went away" in str(raised.value)


def exits():
    sys.exit(3)


def is_interrupted():
    raise KeyboardInterrupt


@pytest.mark.parametrize("leave, name", [(exits, "SystemExit"), (is_interrupted, "KeyboardInterrupt")],
                         ids=["SystemExit", "KeyboardInterrupt"])
def test_a_child_that_exits_or_is_interrupted_is_a_failure_not_an_exit_of_the_parent(leave, name):
    """A SystemExit raised again in the parent would end the build quietly with the child's status."""
    with pytest.raises(RuntimeError, match="a build worker process failed") as raised:
        parallel.start(leave).result()
    assert name in str(raised.value)


def test_a_child_that_dies_without_an_answer_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="ended without a result"):
        parallel.start(lambda: os._exit(3)).result()


def test_an_answer_that_cannot_be_sent_is_raised_here():
    """Raised as the child's own error (pickle's), not swallowed, and not waited for for ever."""
    with pytest.raises(Exception) as raised:
        parallel.start(lambda: (lambda: "a function, which pickle refuses")).result()
    assert "pickle" in str(raised.value).lower()
    assert "a build worker process failed" in str(raised.value.__cause__)


def test_when_one_chunk_fails_the_other_children_are_ended(tmp_path):
    """A failed build must not leave children running (here one that would sleep a minute, then write)."""
    marker = tmp_path / "finished"

    def work(chunk):
        if 1 in chunk:
            raise ValueError("chunk 1 failed")
        if 2 in chunk:
            time.sleep(60)
            marker.write_text("finished")
        return chunk

    running = set(multiprocessing.active_children())  # any other test left: not this one's
    with pytest.raises(ValueError, match="chunk 1 failed"):
        parallel.fork_map(work, list(range(3)), workers=3, min_items=1)
    assert set(multiprocessing.active_children()) <= running
    assert not marker.exists()


def test_a_failure_in_the_parents_own_chunk_is_raised_as_it_is_and_the_children_are_ended():
    def work(chunk):
        if 0 in chunk:
            raise KeyError("in the parent")
        time.sleep(60)  # the child's chunk: no longer wanted
        return chunk

    running = set(multiprocessing.active_children())
    with pytest.raises(KeyError) as raised:
        parallel.fork_map(work, list(range(4)), workers=2, min_items=1)
    assert raised.value.__cause__ is None  # not a child's: no traceback of another process
    assert set(multiprocessing.active_children()) <= running


def test_without_fork_everything_runs_here(monkeypatch):
    """Where fork is missing (macOS's spawn-only Pythons, Windows) the build still works, on one core."""
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    calls = []

    def work(chunk):
        calls.append((list(chunk), os.getpid()))
        return [item * 2 for item in chunk]

    assert parallel.fork_map(work, list(range(400)), workers=4, min_items=1) == [i * 2 for i in range(400)]
    assert calls == [(list(range(400)), os.getpid())]
    done = []
    child = parallel.start(lambda: done.append(os.getpid()) or "answer")
    assert done == [os.getpid()]  # at once, here, before anyone asks for the result
    child.stop()  # nothing to stop: no error
    assert child.result() == "answer"


def test_worker_count_follows_the_cores_this_process_may_use(monkeypatch):
    """The cores this process is allowed (a container's, taskset's), not all the machine's."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 5, 7}, raising=False)
    assert parallel.worker_count() == 3
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert parallel.worker_count() == 6
    monkeypatch.setattr(os, "cpu_count", lambda: None)  # unknown: one
    assert parallel.worker_count() == 1


def test_children_end_with_a_build_that_is_killed(tmp_path):
    """A child left behind held the output folder's lock (inherited at fork) and waited for ever to send its answer,
    so the next build of that folder waited for ever too. Killed with its parent, it lets the next build go."""
    import signal
    import subprocess

    from conftest import subprocess_env

    script = tmp_path / "killed.py"
    script.write_text(
        "import os, signal, sys, time\n"
        "from statement_archive import parallel\n"
        "sleeper = parallel.start(lambda: time.sleep(60))\n"
        "sender = parallel.start(lambda: b'x' * 10_000_000)  # more than a pipe holds: it waits for a reader\n"
        "print(sleeper.process.pid, sender.process.pid, flush=True)\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], env=subprocess_env(), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    children = [int(pid) for pid in done.stdout.split()]
    assert len(children) == 2

    def alive(pid):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has ended
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if alive(pid)]
