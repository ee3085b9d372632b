"""The stat checks of a stored snapshot: have the files, folders and outputs a build read and
wrote changed since? (``snapshot`` stores them and its ``replay`` asks here.)

Each entry is one ``stat`` call; on a 10,000-post blog that is 20,000 calls, 55 ms, most of
it in the kernel. The files and the folders are checked at once, the folders in a forked
process (``parallel``), when the blog has ``PARALLEL_MIN_FOLDERS`` folders or more.

In the edit loop (a post saved again and again while ``quarto preview`` or ``watch`` runs a
build after each save) a file the last builds read again has changed once more, and the build
is all but sure to patch: then the forked process makes every check while this one runs the
caller's ``meanwhile`` (the patch modules' imports and the store's load), which the checks
would otherwise keep waiting. A build whose likely files are as they were pays nothing.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..read.discover import list_folder
from ..read.parallel import available_cpus, can_fork, map_in_processes
from .cache import RACY_MARGIN_NS  # one racy window for every stat-trusting check
from .statcolumns import file_rows, folder_rows

# Below this many folders a second process for their stats saves less than its fork costs.
PARALLEL_MIN_FOLDERS = 2000


def _changed_files(root: Path, files: Any, saved_at: int, delta: Any = None) -> list[str] | None:
    """The files whose stat changed (or that are racy); None when one is gone. ``files``:
    the stored columns (``statcolumns.pack_files``), ``delta`` the stats that replace some."""
    return _changed_rows(root, file_rows(files, delta), saved_at)


def likely_changed(root: Path, delta: dict[str, Any], saved_at: int) -> bool:
    """Whether a file the builds since the last full one read again (``delta``: its stat then)
    changed since, or is gone: the edit loop, where this build is all but sure to patch."""
    rows = ((rel, *stat) for rel, stat in delta.items())  # a stat not of 4 numbers: ValueError
    changed = _changed_rows(root, rows, saved_at)
    return changed is None or bool(changed)


def _changed_rows(
    root: Path, rows: Iterable[tuple[str, int, int, int, int]], saved_at: int
) -> list[str] | None:
    """``_changed_files`` of ``(rel, size, mtime, ctime, inode)`` rows."""
    # The hot loop of a no-change build (one stat per input): kept free of helper calls.
    prefix = os.path.join(root, "")
    stat_of = os.stat
    racy_from = saved_at - RACY_MARGIN_NS
    changed = []
    for rel, size, mtime, ctime, ino in rows:
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
    ``meanwhile`` returned when it ran (else None).

    On a large blog they run at once, the folders in a forked process (``parallel``): each
    is one ``stat`` per entry, and a system call costs the same in either process, so the
    check of a 10,000-post blog (20,000 calls, 55 ms here) takes the time of its larger half.
    With ``meanwhile`` (see the module docstring) the forked process makes both checks and
    this one runs ``meanwhile``; without a second process, ``meanwhile`` is not run.
    """

    def both() -> tuple[list[str] | None, bool]:
        changed = _changed_files(root, files, saved_at, delta)
        if changed is None:
            return None, False
        return changed, _folders_unchanged(root, folders, saved_at, excluded)

    signatures = folders.get("signatures") if isinstance(folders, dict) else None
    count = len(signatures) if isinstance(signatures, list) else 0
    if count < PARALLEL_MIN_FOLDERS or not can_fork() or available_cpus() < 2:
        return (*both(), None)

    def check(part: str) -> Any:
        if part == "meanwhile" and meanwhile is not None:
            return meanwhile()
        if part == "inputs":
            return both()
        if part == "files":
            return _changed_files(root, files, saved_at, delta)
        return _folders_unchanged(root, folders, saved_at, excluded)

    if meanwhile is not None:  # item 0 runs here, item 1 in the forked process
        preloaded, (changed, unchanged) = map_in_processes(check, ["meanwhile", "inputs"], 2)
        return changed, unchanged, preloaded
    files_answer, folders_answer = map_in_processes(check, ["files", "folders"], 2)
    changed = files_answer if isinstance(files_answer, list) else None
    return changed, changed is not None and folders_answer is True, None


def stat_checks(
    root: Path,
    data: dict[str, Any],
    base: dict[str, Any],
    meanwhile: Callable[[], Any] | None = None,
    expect_change: bool = False,
) -> tuple[list[str] | None, bool, Any]:
    """The stat checks of a snapshot (``data``, with its ``base``): the files whose stat
    changed (None: one is gone), whether every folder and output is as saved, and what
    ``meanwhile`` returned if it ran: it runs beside the checks of a large blog when a change
    is expected (``expect_change``: Quarto named files) or likely (``likely_changed``)."""
    saved_at = int(data["saved-at-ns"])
    excluded = set(base["excluded"])
    delta = data["files-delta"]
    if meanwhile is not None and not expect_change and not likely_changed(root, delta, saved_at):
        meanwhile = None
    changed, folders_unchanged, preloaded = _check_inputs(
        root, base["files"], delta, base["folders"], saved_at, excluded, meanwhile
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
