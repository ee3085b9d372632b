"""Reading in forked workers: the same results as one process, whatever the workers do."""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from nbpost.blog.build import build_blog
from nbpost.blog.incremental.cache import MetadataCache
from nbpost.blog.incremental.snapshot import Snapshot
from nbpost.blog.read import parallel
from nbpost.blog.read.collect import collect_blog
from nbpost.blog.read.parallel import map_in_processes, process_count

needs_fork = pytest.mark.skipif(
    sys.platform != "linux", reason="workers are forked on Linux only; elsewhere one process reads"
)


def no_stray_threads() -> None:
    """Forking needs a single-threaded process: name any thread another test left running."""
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by other tests: {others}"


def no_children_left() -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def square_and_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


@needs_fork
@pytest.mark.parametrize("processes", [1, 2, 3, 5])
def test_results_in_order_and_computed_by_several_processes(processes: int) -> None:
    no_stray_threads()
    items = list(range(1001))
    results = map_in_processes(square_and_pid, items, processes)
    assert [value for value, _ in results] == [i * i for i in items]
    pids = {pid for _, pid in results}
    assert len(pids) == processes
    # Interleaved shares: item i was computed by process i % processes.
    for number in range(processes):
        assert len({pid for _, pid in results[number::processes]}) == 1
    assert results[0][1] == os.getpid()
    no_children_left()


@needs_fork
@pytest.mark.parametrize("failure", ["exception", "exit", "unpicklable", "short"])
def test_a_failing_worker_is_replaced_by_this_process(failure: str) -> None:
    no_stray_threads()
    parent = os.getpid()

    def flaky(value: int) -> object:
        if os.getpid() != parent and value == 7:
            if failure == "exception":
                raise RuntimeError("worker trouble")
            if failure == "exit":
                os._exit(3)
            if failure == "unpicklable":
                return lambda: None  # pickle.dumps fails in the worker
        return value * 2

    if failure == "short":
        original = parallel._collect

        def short(pid: int, read_end: int, expected: int) -> list | None:
            return original(pid, read_end, expected + 1)  # a result of the wrong length

        patch = pytest.MonkeyPatch()
        patch.setattr(parallel, "_collect", short)
    try:
        results = map_in_processes(flaky, list(range(20)), 2)
    finally:
        if failure == "short":
            patch.undo()
    assert results == [value * 2 for value in range(20)]
    no_children_left()


@needs_fork
def test_an_error_here_propagates_and_stops_the_workers() -> None:
    no_stray_threads()
    parent = os.getpid()

    def failing_here(value: int) -> int:
        if os.getpid() == parent and value == 0:
            raise ValueError("bad item 0")
        return value

    with pytest.raises(ValueError, match="bad item 0"):
        map_in_processes(failing_here, list(range(10)), 3)
    no_children_left()


def test_how_many_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    assert process_count(None, 10_000) == 4
    assert process_count(None, 1_000) == 2  # at least 500 items each
    assert process_count(None, 999) == 1
    assert process_count(3, 10_000) == 3
    assert process_count(8, 10_000) == 8
    assert process_count(1, 10_000) == 1
    with pytest.raises(ValueError, match="at least 1"):
        process_count(0, 10_000)
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    assert process_count(None, 10_000) == 1


def test_no_workers_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="test-thread")
    thread.start()
    try:
        assert not parallel.can_fork()
        assert process_count(None, 100_000) == 1
    finally:
        stop.set()
        thread.join()


def _collected(root: Path, jobs: int) -> tuple:
    cache = MetadataCache()
    snapshot = Snapshot()
    blog = collect_blog(root, cache=cache, snapshot=snapshot, jobs=jobs)
    posts = [dataclasses.astuple(post) for post in blog.posts]
    categories = [(c.label, c.slug, c.count, [p.source for p in c.posts]) for c in blog.categories]
    return posts, categories, blog.warnings, blog.errors, cache.entries, snapshot.files


@needs_fork
@pytest.mark.corpus
def test_corpus_blogs_collect_the_same_with_workers(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_stray_threads()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)  # workers even for small blogs
    forks = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    roots = sorted(path.parent for path in corpus_dir.rglob("_quarto.yml"))
    assert len(roots) >= 10
    for root in roots:
        before = len(forks)
        assert _collected(root, 3) == _collected(root, 1), root
        assert len(forks) - before == 2, root  # two workers beside this process
    no_children_left()


@needs_fork
def test_build_with_workers_writes_the_same_bytes(
    examples_blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_stray_threads()
    monkeypatch.setattr(parallel, "PARALLEL_MIN_ITEMS", 2)
    outputs = {}
    for jobs in (1, 2):
        root = tmp_path / f"jobs-{jobs}"
        shutil.copytree(examples_blog, root)
        broken = root / "posts" / "broken"
        broken.mkdir()
        (broken / "index.qmd").write_text("---\ntitle: [unclosed\n---\n")
        (root / "posts" / "latin1.qmd").write_bytes(b"---\ntitle: caf\xe9\n---\n")
        result = build_blog(root, quiet=True, jobs=jobs)
        assert len(result.errors) == 2, result.errors
        outputs[jobs] = (
            {
                str(path.relative_to(root)): path.read_bytes()
                for path in sorted(root.rglob("*"))
                if path.is_file() and ".nbpost" not in path.parts
            },
            [line.replace(str(root), "ROOT") for line in result.errors],
        )
    assert outputs[1] == outputs[2]
