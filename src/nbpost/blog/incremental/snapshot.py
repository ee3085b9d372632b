"""A stat snapshot of everything the last build read, so a build with nothing new does nothing.

Stored in ``<blog>/.nbpost/state.json`` and ``state-base.json`` (safe to delete), written
after a full build:

- every input file the build read (posts, listing pages, ``_quarto.yml``, ``_metadata.yml``
  files, ``_categories.yml``, listing item files) as ``[size, mtime_ns, ctime_ns, inode]``,
  each taken before the file was read;
- every folder the build walked as ``[ctime_ns, signature]``: the signature lists the names
  in it that matter (inputs, sub-folders, configuration; see ``discover.folder_signature``),
  so a post added, removed or renamed anywhere shows up without reading any file;
- the generated outputs' ``[size, mtime_ns]`` and the build manifest's stat;
- the build's summary, warnings and errors, to report again.

Files and folders are stored as columns (``statcolumns``): ten thousand of each parse and
print several times faster so. They are the "base" (``state-base.json``), written by a full
build under a new token; a build after an edit leaves it as it is and writes only
``state.json``, which names the base's token and holds the stats of the files read again
since (``files-delta``): 1.8 MB of columns were 8 ms to print and write after every edit of a
10,000-post blog. A base with another token is no base (a build killed between the two
writes): the next build goes the full way.

A build first checks that snapshot (``replay``): when every stat matches, it returns the last
result without reading, parsing or writing anything. Like git's index, an entry whose ctime is
not clearly older than the moment the snapshot was saved is "racy" (an edit within the file
system's timestamp resolution could keep its stat): a racy file sends the build down the full
path; a racy (or changed) folder is listed again and its signature compared. ``ctime`` changes
on any write, rename, ``chmod`` or ``utime``, so a permission fix is noticed as well.

The snapshot is keyed by nbpost's version, the stat of its code, the Python version, the blog
folder as given (messages name files through it) and the ``--drafts`` choice. It is not saved
when a post's date is ``today`` or ``now`` (the outputs then depend on the clock), and it is not
used when Quarto names changed files (``QUARTO_PROJECT_INPUT_FILES``): those are re-read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat as stat_module
import sys
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import __version__
from ...project.state import STATE_DIR, load_document, remove_state, save_document, stat_state
from ...project.walk import ProjectFiles, walk_tree
from ..read.discover import list_folder
from ..read.parallel import available_cpus, can_fork, map_in_processes
from .cache import RACY_MARGIN_NS  # one racy window for every stat-trusting check
from .codekey import code_stamp
from .statcolumns import (
    file_names,
    file_rows,
    folder_rows,
    pack_files,
    pack_folders,
)
from .walkmemo import reuse_walk

STATE_FILE = "state.json"
BASE_FILE = "state-base.json"
STATE = ".nbpost/" + STATE_FILE
BASE = ".nbpost/" + BASE_FILE
MANIFEST_FILE = "build-manifest.json"  # manifest.MANIFEST_FILE (not imported: replay stays light)
STATE_VERSION = 4  # 3: files and folders as columns (``statcolumns``); 4: in a base
# Below this many folders a second process for their stats saves less than its fork costs.
PARALLEL_MIN_FOLDERS = 2000
PATCH_MIN_FILES = 64  # a build patches at least this many changed files (see ``patch_limit``)


@dataclass
class Snapshot:
    """What one build read: file stats and folder signatures (filled in while collecting)."""

    files: dict[str, list[int]] = field(default_factory=dict)  # rel -> [size, mtime, ctime, ino]
    folders: dict[str, list[Any]] = field(default_factory=dict)  # rel -> [ctime, signature]
    excluded: set[str] = field(default_factory=set)  # paths the walk never enters
    volatile: bool = False  # the outputs depend on the clock (a `today`/`now` date)
    memo: dict[str, Any] | None = None  # the last build's walk (``walkmemo.load_walk``)
    tree: ProjectFiles | None = None  # this build's walk
    walked: bool = False  # whether a folder was listed (then the memo is saved again)
    # A build after an edit: the token of the base it keeps, and the stats of the files read
    # again since that base was saved (``files`` are recorded over them).
    base: str | None = None
    delta: dict[str, list[int]] = field(default_factory=dict)

    def record(self, rel: str, stat: os.stat_result) -> None:
        """Remember the stat of a file about to be read."""
        self.files[rel] = file_key(stat)

    def stat(self, root: Path, rel: str) -> None:
        """Stat a configuration file about to be read (a missing file records nothing)."""
        with contextlib.suppress(OSError):
            self.files[rel] = file_key(os.stat(os.path.join(root, rel)))

    def walk(self, root: Path, excluded: set[str]) -> ProjectFiles:
        """The project's tree (``walk_tree``), from the last build's walk when no folder
        changed since (``incremental.walkmemo``), recording every folder."""
        self.excluded = excluded
        reused = reuse_walk(self.memo, root, excluded, self.folders) if self.memo else None
        if reused is None:
            self.folders.clear()
            self.tree, self.walked = walk_tree(root, excluded, self.folders), True
        else:
            self.tree, self.walked = reused
        return self.tree

    def stored(self) -> dict[str, Any]:
        """The files, folders and exclusions as a saved snapshot keeps them (as columns)."""
        return {
            "files": pack_files(self.files),
            "folders": pack_folders(self.folders),
            "excluded": sorted(self.excluded),
        }


def file_key(stat: os.stat_result) -> list[int]:
    """``[size, mtime_ns, ctime_ns, inode]``: any write, rename, chmod or touch changes it."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def build_key(shown_root: str, drafts: bool) -> str:
    """What else a build's result depends on: nbpost's code and version, Python, options."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{__version__}\0{sys.version}\0{shown_root}\0{drafts}".encode())
    digest.update(code_stamp().encode())  # every module of the package, subpackages too
    return digest.hexdigest()


@dataclass
class Replay:
    """The last build's result, reported again when nothing changed."""

    posts: int
    categories: int
    feeds: int
    outputs: list[str]
    warnings: list[str]
    errors: list[str]


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
    root: Path, files: Any, delta: Any, folders: Any, saved_at: int, excluded: set[str]
) -> tuple[list[str] | None, bool]:
    """``_changed_files`` and ``_folders_unchanged`` of a stored snapshot.

    On a large blog they run at once, the folders in a forked process (``parallel``): each
    is one ``stat`` per entry, and a system call costs the same in either process, so the
    check of a 10,000-post blog (20,000 calls, 55 ms here) takes the time of its larger half.
    """
    signatures = folders.get("signatures") if isinstance(folders, dict) else None
    count = len(signatures) if isinstance(signatures, list) else 0
    if count < PARALLEL_MIN_FOLDERS or not can_fork() or available_cpus() < 2:
        changed = _changed_files(root, files, saved_at, delta)
        if changed is None:
            return None, False
        return changed, _folders_unchanged(root, folders, saved_at, excluded)

    def check(part: str) -> list[str] | bool | None:
        if part == "files":
            return _changed_files(root, files, saved_at, delta)
        return _folders_unchanged(root, folders, saved_at, excluded)

    changed, unchanged = map_in_processes(check, ["files", "folders"], 2)
    return changed, bool(unchanged)  # type: ignore[return-value]


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


@dataclass
class Drift:
    """Only files the last build read changed since (none added, removed or renamed, no output
    touched): those to read again, and the stored snapshot (see ``replay``)."""

    changed: set[str]
    data: dict[str, Any]  # the stored snapshot (``state.json``)
    snapshot: Snapshot  # to record this build's reads in: it keeps the stored base
    stat: os.stat_result  # of the snapshot as read

    def still_current(self, root: Path) -> bool:
        """Whether the snapshot is still the one read: no other build wrote or discarded it
        since. A build discards it before it writes an output, so then no build killed while
        writing can have left temporaries behind (``writeguard.clean_temporaries``)."""
        now = stat_state(root, STATE_FILE)
        return now is not None and (now.st_ino, now.st_mtime_ns, now.st_size) == (
            self.stat.st_ino,
            self.stat.st_mtime_ns,
            self.stat.st_size,
        )


def patch_limit(files: int) -> int:
    """How many changed files a build patches into the last one; more are read afresh."""
    return max(PATCH_MIN_FILES, files // 50)


def replay(
    root: Path, shown_root: str, drafts: bool, forced: set[str] | None = None
) -> Replay | Drift | None:
    """The last build's result when no input, output or setting changed since; a ``Drift``
    when only some files it read changed (or are named in ``forced``: Quarto says they
    changed), together with those the builds since it patched in; else None."""
    stored = load_document(root, STATE_FILE, STATE_VERSION)  # never through a symlink out
    if stored is None or not stored.current:
        return None
    data = stored.data
    try:
        if data.get("key") != build_key(shown_root, drafts):
            return None
        base = load_document(root, BASE_FILE, STATE_VERSION)
        if base is None or not base.current or base.data.get("token") != data["base"]:
            return None  # none, or not the one this snapshot was made with
        files, delta = base.data["files"], data["files-delta"]
        saved_at = int(data["saved-at-ns"])
        manifest = data["manifest"]
        stat = stat_state(root, MANIFEST_FILE)
        if stat is None or [stat.st_size, stat.st_mtime_ns, stat.st_ino] != manifest["stat"]:
            return None
        excluded = set(base.data["excluded"])
        changed, folders_unchanged = _check_inputs(
            root, files, delta, base.data["folders"], saved_at, excluded
        )
        if (
            changed is None
            or not folders_unchanged
            or not _outputs_unchanged(root, data["outputs"])
        ):
            return None
        if changed or forced:
            drift = {*changed, *(forced or ()), *data.get("patched", ())}
            names = file_names(files)
            if not drift <= names or len(drift) > patch_limit(len(names)):
                return None  # a new file, or too many to patch: collect the blog afresh
            snapshot = Snapshot(excluded=excluded, base=data["base"], delta=dict(delta))
            return Drift(drift, data, snapshot, stored.stat)
        result = data["result"]
        return Replay(
            posts=int(result["posts"]),
            categories=int(result["categories"]),
            feeds=int(result["feeds"]),
            outputs=sorted(data["outputs"]),
            warnings=[str(m) for m in result["warnings"]],
            errors=[str(m) for m in result["errors"]],
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # damaged or from another version: build normally


def drop_dead_temporaries(root: Path) -> None:
    """Remove what a build killed while saving its state left in ``.nbpost/``.

    Killed after its outputs and snapshot, while it wrote its build store, a build leaves a
    temporary that the next builds, replays of its result, would never remove: the write
    phase, which cleans them, does not run. A listing of the folder first (microseconds).
    """
    try:
        names = os.listdir(root / STATE_DIR)
    except OSError:
        return
    if any(name.endswith(".tmp") for name in names):
        from .writeguard import clean_state_temporaries  # rarely needed

        clean_state_temporaries(root)


def discard_state(root: Path) -> None:
    """Remove the snapshot, so that the next build goes the full way."""
    remove_state(root, STATE_FILE)


def save_state(
    root: Path,
    key: str,
    snapshot: Snapshot,
    outputs: dict[str, list[int]],
    manifest_path: str,
    result: Replay,
    patched: Collection[str] = (),
    store: str | None = None,
) -> bool:
    """Write the snapshot after a build; return whether it was written. ``patched``: the files
    read again since the last full build, whose ``store`` (``incremental.store``) token it
    names."""
    try:
        if snapshot.volatile:
            discard_state(root)
            return False
        stat = stat_state(root, MANIFEST_FILE)
        if stat is None:
            return False
        if snapshot.base is None:  # a full build: its files and folders are a new base
            base, delta = os.urandom(8).hex(), {}
            kept = {"version": STATE_VERSION, "generator": "nbpost", "token": base}
            save_document(root, BASE_FILE, {**kept, **snapshot.stored()})
        else:  # after an edit: the base is kept, the files read again are listed
            base, delta = snapshot.base, {**snapshot.delta, **snapshot.files}
        data = {
            "version": STATE_VERSION,
            "generator": "nbpost",
            "key": key,
            "saved-at-ns": time.time_ns(),
            "manifest": {
                "path": manifest_path,
                "stat": [stat.st_size, stat.st_mtime_ns, stat.st_ino],
            },
            "base": base,
            "files-delta": delta,
            "outputs": outputs,
            "patched": sorted(patched),
            "store": store,
            "result": {
                "posts": result.posts,
                "categories": result.categories,
                "feeds": result.feeds,
                "warnings": result.warnings,
                "errors": result.errors,
            },
        }
        save_document(root, STATE_FILE, data)
    except OSError:
        return False  # a read-only blog still builds, only without the fast path
    return True
