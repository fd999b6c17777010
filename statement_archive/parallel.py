"""Spread a list of work over the machine's cores with forked processes, and wait for them (and for threads) in a
way a signal can interrupt.

Why fork: the children see the parent's data (statements, page plans) without copying or
pickling it; only each child's results travel back, pickled, through a pipe. Where fork is
not available, or the list is short, the work runs in this process.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import signal
import traceback

MIN_ITEMS = 200  # below this, starting processes costs more than it saves
# How often the main thread looks up from a wait for another thread or a child. Python runs a signal's handler
# (Ctrl-C, SIGTERM) in the main thread, but the kernel may hand the signal to another thread of the process (the
# one waiting on Pagefind, say; serve's watcher): a main thread blocked in a wait with no timeout is then not woken
# to run the handler, and the build went on until the wait ended (a test's slowed Pagefind: a minute).
SIGNAL_CHECK_SECONDS = 0.1


def wait_until(done) -> None:
    """Wait until `done(seconds)`, which waits at most that long, says it is done; a signal is handled meanwhile."""
    while not done(SIGNAL_CHECK_SECONDS):
        pass


def worker_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def fork_map(work, items: list, workers: int | None = None, min_items: int = MIN_ITEMS) -> list:
    """`work(chunk) -> list` over interleaved chunks of `items`, in forked children; results in item order.

    The parent does one chunk itself, so two cores run two chunks. An exception in a child
    is raised again here as itself, so callers can tell a full disk (OSError) from a bug, with
    the child's traceback as its cause (a RuntimeError when the exception cannot be sent).
    """
    workers = workers or worker_count()
    if workers < 2 or len(items) < min_items or not can_fork():
        return list(work(items))
    chunks = [items[i::workers] for i in range(workers)]
    children = [start(lambda chunk=chunk: list(work(chunk))) for chunk in chunks[1:]]
    results = [None] * workers
    try:
        results[0] = list(work(chunks[0]))
        for number, child in enumerate(children, start=1):
            results[number] = child.result()
    finally:
        for child in children:
            child.stop()
    merged: list = [None] * len(items)
    for number, chunk_results in enumerate(results):
        merged[number::workers] = chunk_results
    return merged


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Started:
    """`work()` running in a forked child while this process goes on (see `start`)."""

    def __init__(self, work):
        self._done = False
        self._value = None
        if not can_fork():  # done here and now; the caller still gets its answer from result()
            self._done, self._value = True, work()
            self.process = None
            return
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_child, args=(work, sender, self.receiver, os.getpid(), _prctl()),
                                       daemon=True)
        self.process.start()
        sender.close()

    def result(self):
        """What `work()` returned, once the child has ended; its exception is raised again here as itself."""
        if self._done:
            return self._value
        try:
            wait_until(self.receiver.poll)
            status, payload, *raised = pickle.loads(self.receiver.recv_bytes())
        except EOFError:
            raise RuntimeError("a build worker process ended without a result") from None
        finally:
            self._end(wait=5)  # it has sent all it will send, and is ending
        if status == "error":
            failure = RuntimeError(f"a build worker process failed:\n{payload}")
            if raised and isinstance(raised[0], Exception):
                raise raised[0] from failure
            raise failure
        self._done, self._value = True, payload
        return payload

    def stop(self) -> None:
        """End the child now if it is still at work (its work is no longer wanted)."""
        self._end(wait=0)

    def _end(self, wait: float) -> None:
        if self.process is None:
            return
        self.receiver.close()
        self.process.join(timeout=wait)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None


def start(work) -> Started:
    """Run `work()` in a forked child that sees this process's data as it is now; `.result()` waits for it.

    Why: some of a build's work needs nothing the next steps make, and would otherwise wait for
    them on one core while the other is idle. Where fork is not available it runs at once, here.
    Call it from the thread that outlives the child (the build's main thread): Linux ends the child
    when the thread that forked it ends (`_end_with_parent`).
    """
    return Started(work)


@functools.cache
def _prctl():
    """Linux's prctl, looked up once in the parent so that each child has it at once; None elsewhere."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError, ImportError):
        return None


PR_SET_PDEATHSIG = 1


def _end_with_parent(parent: int, prctl) -> None:
    """Be killed when the build that forked this child ends, however it ends (killed too).

    Why: a child left behind (the build killed, or cut off by a timeout) holds the output folder's
    lock, inherited at fork, and waits to send its answer to nobody; the next build of that
    folder then waited for it for ever."""
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent had already ended when the line above was run
        os._exit(1)


def _child(work, sender, receiver, parent: int, prctl) -> None:
    receiver.close()  # the parent's end of this pipe: held here too, a send to a parent gone would never end
    _end_with_parent(parent, prctl)
    try:
        payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # report anything, even KeyboardInterrupt, to the parent
        details = traceback.format_exc()
        try:
            payload = pickle.dumps(("error", details, exc))
            pickle.loads(payload)  # what cannot be sent back whole is sent as its traceback alone
        except Exception:
            payload = pickle.dumps(("error", details))
    try:
        sender.send_bytes(payload)
    finally:
        sender.close()
        os._exit(0)  # skip the parent's atexit handlers and buffers, inherited by fork
