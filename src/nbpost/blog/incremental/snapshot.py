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
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import __version__
from ...project.state import (
    STATE_DIR,
    StateDocument,
    load_document,
    remove_state,
    save_document,
    stat_state,
)
from ...project.walk import ProjectFiles, walk_tree
from .codekey import code_stamp
from .statcheck import stat_checks
from .statcolumns import (
    file_names,
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


def load_snapshot(root: Path) -> tuple[StateDocument, StateDocument] | None:
    """The stored snapshot and its base, when both are there, current and belong together."""
    stored = load_document(root, STATE_FILE, STATE_VERSION)  # never through a symlink out
    if stored is None or not stored.current:
        return None
    base = load_document(root, BASE_FILE, STATE_VERSION)
    if base is None or not base.current or base.data.get("token") != stored.data.get("base"):
        return None  # none, or not the one this snapshot was made with
    return stored, base


@dataclass
class Drift:
    """Only files the last build read changed since (none added, removed or renamed, no output
    touched): those to read again, and the stored snapshot (see ``replay``)."""

    changed: set[str]
    data: dict[str, Any]  # the stored snapshot (``state.json``)
    snapshot: Snapshot  # to record this build's reads in: it keeps the stored base
    stat: os.stat_result  # of the snapshot as read
    preloaded: Any = None  # what ``replay``'s ``meanwhile`` returned, if it ran

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
    root: Path,
    shown_root: str,
    drafts: bool,
    forced: set[str] | None = None,
    meanwhile: Callable[[], Any] | None = None,
) -> Replay | Drift | None:
    """The last build's result when no input, output or setting changed since; a ``Drift``
    when only some files it read changed (or are named in ``forced``: Quarto says they
    changed), together with those the builds since it patched in; else None.

    ``meanwhile`` is what a build after an edit does first: on a large blog it runs while
    another process makes the stat checks (``statcheck``), and the ``Drift`` holds what it
    returned."""
    try:
        loaded = load_snapshot(root)
        if loaded is None:
            return None
        stored, base = loaded
        data = stored.data
        if data.get("key") != build_key(shown_root, drafts):
            return None
        files, delta = base.data["files"], data["files-delta"]
        manifest = data["manifest"]
        stat = stat_state(root, MANIFEST_FILE)
        if stat is None or [stat.st_size, stat.st_mtime_ns, stat.st_ino] != manifest["stat"]:
            return None
        changed, unchanged, preloaded = stat_checks(root, data, base.data, meanwhile)
        if changed is None or not unchanged:
            return None
        if changed or forced:
            drift = {*changed, *(forced or ()), *data.get("patched", ())}
            names = file_names(files)
            if not drift <= names or len(drift) > patch_limit(len(names)):
                return None  # a new file, or too many to patch: collect the blog afresh
            excluded = set(base.data["excluded"])
            snapshot = Snapshot(excluded=excluded, base=data["base"], delta=dict(delta))
            return Drift(drift, data, snapshot, stored.stat, preloaded)
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
