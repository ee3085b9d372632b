"""Keep a build's writes safe from another build of the same blog and from a killed one.

- **One build at a time.** A build that writes holds ``.nbpost/build.lock`` (``flock``), so
  two builds started together (a pre-render step and ``nbpost watch``, two terminals) run
  one after the other: the second finds the first's outputs and has little or nothing to do.
  Where the lock cannot be taken (a read-only blog, an unsafe ``.nbpost``, no ``flock``) the
  build goes on without it; the outputs carry nbpost's mark either way (``marker``).
- **A killed build leaves nothing behind for long.** Each file is written to a temporary
  sibling ``.NAME.PID.tmp`` and renamed (``writer``), so a ``kill -9`` leaves at most one
  temporary per folder it was writing. The next build removes the temporaries of nbpost's own
  naming in its output folders and in ``.nbpost/``: only names of files nbpost writes there,
  and only stale ones (their process is gone, or, for output files, this build holds the lock
  that any other build writing them would hold). The snapshot that lets a build with nothing
  new skip everything (``snapshot``) is removed before the first file is written, so a killed
  build is always followed by a full one.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ...project.state import STATE_DIR, folder_problem, locked
from ..render.outputpaths import (
    ARCHIVE_DIR,
    CATEGORIES_DIR,
    FEED_FILES,
    FEEDS_DIR,
    MARKDOWN_INDEX,
    PAGE_FILE,
)

BUILD_LOCK = "build.lock"
OUTPUT_NAMES = frozenset([PAGE_FILE, *FEED_FILES.values(), MARKDOWN_INDEX])
# Written under the build lock (the write phase), so any temporary of theirs is stale to a
# build that holds it; the others are written without it (the cache while collecting, the
# sync record by sync and Jupyter saves), so only their dead processes' temporaries are.
# Written under the build lock (a killed build's are stale once the lock is held) ...
LOCKED_STATE_NAMES = frozenset(
    ["state.json", "state-base.json", "build-manifest.json", "build-store.bin"]
)
# ... and outside it (stale only once their process is gone).
OTHER_STATE_NAMES = frozenset(["cache.json", "sync.json", "walk.json"])
# ".NAME.PID.tmp" as nbpost's writers name them (an older mkstemp tail is matched too).
_TEMPORARY_RE = re.compile(r"\.(?P<name>.+)\.(?P<tag>[A-Za-z0-9_]{1,20})\.tmp")


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[bool]:
    """Hold the blog's build lock for the block (waiting for another build to finish);
    yield whether it is held."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locked(root, BUILD_LOCK))
        except OSError:  # read-only, unsafe .nbpost, or a file system without flock
            held = False
        else:
            held = True
        yield held


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (on Windows, assumed so: no safe probe)."""
    if os.name == "nt" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's live process, or not a pid at all: leave it
    return True


def _stale(tag: str, lock_held: bool) -> bool:
    if lock_held:
        return True
    return tag.isdigit() and int(tag) != os.getpid() and not process_alive(int(tag))


def clean_folder(folder: str | Path, names: frozenset[str], lock_held: bool) -> list[str]:
    """Remove stale temporaries of ``names`` in one folder; return the paths removed.

    ``lock_held``: no other process can be writing these names (the caller holds the lock
    every writer of them holds), so any such temporary is stale.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if name[:1] != "." or not name.endswith(".tmp"):
            continue
        match = _TEMPORARY_RE.fullmatch(name)
        if match is None or match["name"] not in names or not _stale(match["tag"], lock_held):
            continue
        with contextlib.suppress(OSError):
            if not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.path)
    return removed


def clean_temporaries(root: Path, out_dir: Path, registry: str, lock_held: bool) -> list[str]:
    """Remove the stale temporaries a killed build (or sync) left; return the paths removed.

    Looks in the output folder, its ``archive``, ``feeds`` and ``categories`` folders (and each
    category's), the registry's folder, and ``.nbpost/``.
    """
    names = OUTPUT_NAMES | {Path(registry).name}
    folders = [out_dir, out_dir / ARCHIVE_DIR, out_dir / FEEDS_DIR, out_dir / CATEGORIES_DIR]
    folders.append((out_dir / registry).parent)
    with contextlib.suppress(OSError):
        folders.extend(
            Path(entry.path)
            for entry in os.scandir(out_dir / CATEGORIES_DIR)
            if entry.is_dir(follow_symlinks=False)
        )
    removed: list[str] = []
    for folder in dict.fromkeys(folders):  # once each, in order
        removed += clean_folder(folder, names, lock_held)
    return removed + clean_state_temporaries(root, lock_held)


def clean_state_temporaries(root: Path, lock_held: bool = False) -> list[str]:
    """Remove the stale temporaries of nbpost's state files in ``.nbpost/`` (see
    ``clean_temporaries``); without the lock, only those of processes that are gone."""
    if folder_problem(root) is not None:  # never through a .nbpost symlinked out of the project
        return []
    state = root / STATE_DIR
    return clean_folder(state, LOCKED_STATE_NAMES, lock_held) + clean_folder(
        state, OTHER_STATE_NAMES, False
    )
