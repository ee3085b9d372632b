"""The stat checks of a stored snapshot: have the files, folders and outputs a build read and
wrote changed since? (``snapshot`` stores them and its ``replay`` asks here.)

Each entry is one ``stat`` call; on a 10,000-post blog that is 20,000 calls, 55 ms, most of
it in the kernel. When the blog has ``PARALLEL_MIN_FOLDERS`` folders or more, a forked process
(``parallel``) makes the checks while this one runs the caller's ``meanwhile``: for the build,
the patching side's imports and the store's load, what a build after an edit does next.
``quarto preview`` runs ``nbpost build`` after every save of a post: on a 10,000-post blog that
build took 0.195 s instead of 0.235 s with the checks split between the two processes (whole
processes, medians of 7, measured 2026-12-08), and a build where nothing changed, which now
loads the store for nothing, 0.121 s instead of 0.087 s. The build after an edit is the one a
blogger waits for, and both stay far below their targets (``benchmarks/bench_build.py``).
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..read.discover import list_folder
from ..read.parallel import available_cpus, can_fork, map_in_processes
from .cache import RACY_MARGIN_NS  # one racy window for every stat-trusting check
from .statcolumns import file_rows, folder_rows

# Below this many folders a second process saves less than its fork costs.
PARALLEL_MIN_FOLDERS = 2000


def _changed_files(root: Path, files: Any, saved_at: int, delta: Any = None) -> list[str] | None:
    """The files whose stat changed (or that are racy); None when one is gone. ``files``:
    the stored columns (``statcolumns.pack_files``), ``delta`` the stats that replace some."""
    # The hot loop of a no-change build (one stat per input): kept free of helper calls.
    prefix = os.path.join(root, "")
    stat_of = os.stat
    racy_from = saved_at - RACY_MARGIN_NS
    changed = []
    for rel, size, mtime, ctime, ino in file_rows(files, delta):
        try:
            stat = stat_of(prefix + rel)
        except OSError:
            return None
        if (
            ctime >= racy_from
            or stat.st_ctime_ns != ctime
            or stat.st_mtime_ns != mtime
            or stat.st_size != size
            or stat.st_ino != ino
        ):
            changed.append(rel)
    return changed


def _folders_unchanged(root: Path, folders: Any, saved_at: int, excluded: set[str]) -> bool:
    prefix = os.path.join(root, "")
    stat_of = os.stat
    racy_from = saved_at - RACY_MARGIN_NS
    for rel, ctime, signature in folder_rows(folders):
        try:
            stat = stat_of(prefix + rel)
        except OSError:
            return False
        if stat.st_ctime_ns == ctime and ctime < racy_from:
            continue
        # Touched since (the build itself writes POSTS.md next to the posts): list it again.
        if list_folder(root, rel, excluded) != signature:
            return False
    return True


def _check_inputs(
    root: Path,
    files: Any,
    delta: Any,
    folders: Any,
    saved_at: int,
    excluded: set[str],
    meanwhile: Callable[[], Any] | None = None,
) -> tuple[list[str] | None, bool, Any]:
    """``_changed_files`` and ``_folders_unchanged`` of a stored snapshot, and what
    ``meanwhile`` returned when it ran (else None): on a large blog, where the checks are
    made by a forked process (see the module docstring); elsewhere it is not run."""

    def check(part: str) -> Any:
        if part == "meanwhile":
            return meanwhile() if meanwhile is not None else None
        changed = _changed_files(root, files, saved_at, delta)
        if changed is None:
            return None, False
        return changed, _folders_unchanged(root, folders, saved_at, excluded)

    signatures = folders.get("signatures") if isinstance(folders, dict) else None
    count = len(signatures) if isinstance(signatures, list) else 0
    if meanwhile is None or count < PARALLEL_MIN_FOLDERS or not can_fork() or available_cpus() < 2:
        return (*check("inputs"), None)
    # Item 0 runs here, item 1 in the forked process (or here after, if that one fails).
    preloaded, (changed, unchanged) = map_in_processes(check, ["meanwhile", "inputs"], 2)
    return changed, unchanged, preloaded


def stat_checks(
    root: Path,
    data: dict[str, Any],
    base: dict[str, Any],
    meanwhile: Callable[[], Any] | None = None,
) -> tuple[list[str] | None, bool, Any]:
    """The stat checks of a snapshot (``data``, with its ``base``): the files whose stat
    changed (None: one is gone), whether every folder and output is as saved, and what
    ``meanwhile`` returned if it ran beside the checks (on a large blog: ``_check_inputs``)."""
    saved_at = int(data["saved-at-ns"])
    excluded = set(base["excluded"])
    changed, folders_unchanged, preloaded = _check_inputs(
        root, base["files"], data["files-delta"], base["folders"], saved_at, excluded, meanwhile
    )
    if changed is None or not folders_unchanged:
        return changed, False, preloaded
    return changed, _outputs_unchanged(root, data["outputs"]), preloaded


def inputs_unchanged(root: Path, data: dict[str, Any], saved_at: int) -> bool:
    """Whether every file and folder a stored snapshot (``Snapshot.stored``) lists is as it
    was when saved at ``saved_at`` (for other commands' saved results)."""
    return _changed_files(root, data["files"], saved_at) == [] and _folders_unchanged(
        root, data["folders"], saved_at, set(data["excluded"])
    )


def _outputs_unchanged(root: Path, outputs: dict[str, list[int]]) -> bool:
    """Whether every output is a regular file of the recorded size and mtime (a build after an
    edit relies on this for the category files it keeps: ``manifest.reusable_groups``)."""
    prefix = os.path.join(root, "")
    stat_of = os.lstat
    regular = stat_module.S_ISREG
    for rel, (size, mtime) in outputs.items():
        try:
            stat = stat_of(prefix + rel)
        except OSError:
            return False
        if stat.st_mtime_ns != mtime or stat.st_size != size or not regular(stat.st_mode):
            return False
    return True
