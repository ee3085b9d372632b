"""What a check's result depends on beyond the build's snapshot, to tell when it still holds.

The build's ``Snapshot`` covers every input it read and every folder it walked. A check also
looks at files no build reads (images, notebooks of pairs, generated outputs, the sync
record) and at paths that must stay missing (an image that does not exist): ``Watch`` keeps
their stats, and ``unchanged`` tells whether all of them are as they were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _key(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


@dataclass
class Watch:
    """Stats of extra files (None: the path did not exist), keyed by root-relative path."""

    paths: dict[str, list[int] | None] = field(default_factory=dict)
    folders: dict[str, list[str] | None] = field(default_factory=dict)  # listing of a folder

    def file(self, root: Path, rel: str) -> bool:
        """Record a file's stat; return whether it exists."""
        key = _key(os.path.join(root, rel))
        self.paths[rel] = key
        return key is not None

    def folder(self, root: Path, rel: str) -> list[str]:
        """Record a folder's names; return them (empty when it is missing)."""
        try:
            names = sorted(os.listdir(os.path.join(root, rel)))
        except OSError:
            self.folders[rel] = None
            return []
        self.folders[rel] = names
        return names

    def as_json(self) -> dict[str, Any]:
        """The watch list as stored in the check's state."""
        return {"paths": self.paths, "folders": self.folders}


def unchanged(root: Path, stored: dict[str, Any], racy_from: int) -> bool:
    """Whether every watched path still has the stat (or absence) it had."""
    prefix = os.path.join(root, "")
    for rel, key in stored["paths"].items():
        now = _key(prefix + rel)
        if now != key or (key is not None and key[2] >= racy_from):
            return False
    for rel, names in stored["folders"].items():
        try:
            current: list[str] | None = sorted(os.listdir(prefix + rel))
        except OSError:
            current = None
        if current != names:
            return False
    return True
