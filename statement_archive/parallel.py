"""Spread a list of work over the machine's cores with forked processes.

Why fork: the children see the parent's data (statements, page plans) without copying or
pickling it; only each child's results travel back, pickled, through a pipe. Where fork is
not available, or the list is short, the work runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import traceback

MIN_ITEMS = 200  # below this, starting processes costs more than it saves


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
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return list(work(items))
    context = multiprocessing.get_context("fork")
    chunks = [items[i::workers] for i in range(workers)]
    children = []
    for chunk in chunks[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(work, chunk, sender), daemon=True)
        process.start()
        sender.close()
        children.append((process, receiver))
    results = [None] * workers
    try:
        results[0] = list(work(chunks[0]))
        for number, (process, receiver) in enumerate(children, start=1):
            try:
                status, payload, *raised = pickle.loads(receiver.recv_bytes())
            except EOFError:
                raise RuntimeError("a build worker process ended without a result") from None
            if status == "error":
                failure = RuntimeError(f"a build worker process failed:\n{payload}")
                if raised and isinstance(raised[0], Exception):
                    raise raised[0] from failure
                raise failure
            results[number] = payload
    finally:
        for process, receiver in children:
            receiver.close()
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()
    merged: list = [None] * len(items)
    for number, chunk_results in enumerate(results):
        merged[number::workers] = chunk_results
    return merged


def _child(work, chunk, sender) -> None:
    try:
        payload = pickle.dumps(("ok", list(work(chunk))), protocol=pickle.HIGHEST_PROTOCOL)
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
