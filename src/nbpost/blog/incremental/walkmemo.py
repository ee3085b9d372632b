"""The last build's walk of the project, so a build after an edit need not list every folder.

Stored in ``<blog>/.nbpost/walk.json`` (safe to delete), written after a full build that
walked: the tree ``walk_tree`` found (documents on disk, item files, ``_metadata.yml`` files,
folders, shadows, warnings) and, per folder, ``[ctime_ns, signature]`` as the snapshot keeps
them (``incremental.snapshot``). On a large blog listing ten thousand folders is a fifth of a
build after one post was edited, while a stat of each is a twentieth of that.

The tree is reused when every folder is as it was: its ctime unchanged and not racy (the
snapshot's rule), or, listed again, the same signature with no symlink and no unprintable name
among the entries that count (the two cases where the walk's outcome depends on more than
names). The memo vouches for itself folder by folder, so it is keyed only by what shapes the
walk: nbpost's code and options (the build key) and the excluded folders.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from ...project.state import load_document, remove_state, save_document
from ...project.walk import ProjectFiles, list_folder
from .cache import RACY_MARGIN_NS

WALK_FILE = "walk.json"
WALK_VERSION = 1


def load_walk(root: Path, key: str) -> dict[str, Any] | None:
    """The stored walk of this blog for this build key, or None."""
    stored = load_document(root, WALK_FILE, WALK_VERSION)  # never through a symlink out
    if stored is None or not stored.current or stored.data.get("key") != key:
        return None
    return stored.data


def reuse_walk(
    memo: dict[str, Any], root: Path, excluded: set[str], folders: dict[str, list[Any]]
) -> tuple[ProjectFiles, bool] | None:
    """The stored tree when no folder changed (see the module docstring), with whether any
    folder had to be listed again; ``folders`` receives each folder's snapshot entry."""
    try:
        if set(memo["excluded"]) != excluded:
            return None
        racy_from = int(memo["saved-at-ns"]) - RACY_MARGIN_NS
        prefix = os.path.join(root, "")
        relisted = False
        for rel, (ctime, signature) in memo["folders"].items():
            try:
                now = os.stat(prefix + rel).st_ctime_ns  # before listing, as the walk does
            except OSError:
                return None
            if now != ctime or ctime >= racy_from:
                if list_folder(root, rel, excluded, plain=True) != signature:
                    return None
                relisted = True
            folders[rel] = [now, signature]
        tree = memo["tree"]
        found = ProjectFiles(
            item_files=[str(rel) for rel in tree["item_files"]],
            metadata_files={str(k): str(v) for k, v in tree["metadata_files"].items()},
            folders={str(rel) for rel in tree["folders"]},
            on_disk=[str(rel) for rel in tree["on_disk"]],
            warnings=[str(line) for line in tree["warnings"]],
            shadows=[str(rel) for rel in tree["shadows"]],
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # damaged or from another version: walk
    return found, relisted


def save_walk(
    root: Path, key: str, excluded: set[str], folders: dict[str, list[Any]], tree: ProjectFiles
) -> None:
    """Store a walk (``tree`` as ``walk_tree`` gave it, ``folders`` as the snapshot has them)."""
    data = {
        "version": WALK_VERSION,
        "generator": "nbpost",
        "key": key,
        "saved-at-ns": time.time_ns(),
        "excluded": sorted(excluded),
        "folders": folders,
        "tree": {
            "item_files": tree.item_files,
            "metadata_files": tree.metadata_files,
            "folders": sorted(tree.folders),
            "on_disk": tree.on_disk,
            "warnings": tree.warnings,
            "shadows": tree.shadows,
        },
    }
    try:
        save_document(root, WALK_FILE, data)
    except OSError:
        with contextlib.suppress(OSError):
            remove_state(root, WALK_FILE)  # a read-only blog walks every time
