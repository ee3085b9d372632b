"""Run one function over many items in several processes at once (Linux, forked workers).

A cold build of a large blog spends most of its time reading posts and parsing their front
matter, one after another, while the machine's other cores idle. ``map_in_processes`` splits
the items between this process and forked workers: a forked worker starts in about a
millisecond with every module already imported and needs nothing sent to it (Sphinx's
parallel read, ``sphinx-build -j``, works the same way). Each worker sends its results back
pickled through a pipe.

The result never depends on the workers: a worker that fails in any way (an exception, a
crash, a result that does not unpickle) is ignored and its share computed here, so a real
error surfaces exactly as it would without workers. Workers are used only where forking is
safe and cheap: on Linux, from a process running no other thread (a forked copy of a
threaded process can inherit a lock another thread held: ``nbpost watch`` and Jupyter
kernels read in one process).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items a worker saves less than it costs (fork, pickling, a second process
# competing with whatever else runs): reading 1,000 posts takes about 0.06 s.
PARALLEL_MIN_ITEMS = 1000


def can_fork() -> bool:
    """Whether forked workers are safe here: Linux, and no other thread in this process."""
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def available_cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def process_count(jobs: int | None, items: int) -> int:
    """How many processes (this one included) should share ``items`` items.

    ``jobs`` is the user's choice (None: one per available CPU); 1 means this process alone.
    Each process gets at least ``PARALLEL_MIN_ITEMS / 2`` items.
    """
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if jobs == 1 or items < PARALLEL_MIN_ITEMS or not can_fork():
        return 1
    wanted = available_cpus() if jobs is None else jobs
    return max(1, min(wanted, items // (PARALLEL_MIN_ITEMS // 2)))


def map_in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    processes: int,
    wrap_own_share: Callable[[Sequence[Item]], Iterable[Item]] = lambda share: share,
) -> list[Result]:
    """``[function(item) for item in items]``, computed by ``processes`` processes.

    Item ``i`` goes to process ``i % processes`` (interleaved, so that a run of large items
    is shared out); process 0 is this one. ``wrap_own_share`` wraps this process's share
    (a progress bar). Results must pickle. Exceptions raised here propagate; see the module
    docstring for workers.
    """
    if processes <= 1 or len(items) < 2:
        return [function(item) for item in wrap_own_share(items)]
    shares = [items[k::processes] for k in range(processes)]
    pending: dict[int, tuple[int, int]] = {}  # share number -> (pid, read end of its pipe)
    try:
        for number in range(1, processes):
            with contextlib.suppress(OSError):  # no fork (out of processes): done here
                pending[number] = _start_worker(function, shares[number])
        results_by_share = [[function(item) for item in wrap_own_share(shares[0])]]
        for number in range(1, processes):
            results: list[Result] | None = None
            if number in pending:
                pid, read_end = pending.pop(number)
                results = _collect(pid, read_end, len(shares[number]))
            if results is None:
                results = [function(item) for item in shares[number]]
            results_by_share.append(results)
    finally:
        for pid, read_end in pending.values():  # this process failed: stop the workers now
            with contextlib.suppress(OSError):
                os.close(read_end)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    merged: list[Result] = [None] * len(items)  # type: ignore[list-item]
    for number, results in enumerate(results_by_share):
        merged[number::processes] = results
    return merged


def _start_worker(function: Callable[[Item], Result], share: Sequence[Item]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: compute, send, and leave without running any clean-up
        status = 1
        try:
            os.close(read_end)
            payload = pickle.dumps([function(item) for item in share], pickle.HIGHEST_PROTOCOL)
            view = memoryview(payload)
            while view:
                view = view[os.write(write_end, view) :]
            status = 0
        finally:
            os._exit(status)  # no atexit handlers, no flushing the parent's buffered output
    os.close(write_end)
    return pid, read_end


def _collect(pid: int, read_end: int, expected: int) -> list[Result] | None:
    """A worker's results, or None when it failed."""
    chunks = []
    try:
        while chunk := os.read(read_end, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(read_end)
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    try:
        results = pickle.loads(b"".join(chunks))
    except Exception:
        return None
    if not isinstance(results, list) or len(results) != expected:
        return None
    return results
