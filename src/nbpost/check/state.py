"""The last check's findings, reported again while nothing they depend on changed.

Stored in ``<blog>/.nbpost/check-state.json`` (safe to delete): the stat snapshot the build's
collector took (every input read, every folder walked: ``blog.incremental.snapshot``), the
check's own watch list (``watch``: images, notebooks, generated files, the sync record), the
moment the first future date passes, and the findings. A run whose every stat still matches,
before that moment, prints the stored findings without reading a post: that is what keeps a
pre-commit hook on a 10,000-post blog well under a second. Racy stats (changed within the
file system's timestamp resolution of the save) send the run down the full path.

This module is imported on every run, so it imports nothing heavy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from ..blog.incremental.cache import RACY_MARGIN_NS
from ..blog.incremental.snapshot import build_key
from ..blog.incremental.statcheck import inputs_unchanged
from ..project.state import read_state, write_state
from .findings import Finding
from .watch import unchanged

STATE_FILE = "check-state.json"
STATE_VERSION = 2  # 2: the snapshot as columns (blog.incremental.statcolumns)


def check_key(shown_root: str) -> str:
    """What the findings depend on besides the files: nbpost's code (the build's and the
    check rules'), Python, and the blog folder as given (messages name files through it)."""
    digest = hashlib.blake2b(build_key(shown_root, True).encode(), digest_size=16)
    for entry in sorted(os.scandir(Path(__file__).parent), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            stat = entry.stat()
            digest.update(f"{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def replay(root: Path, shown_root: str) -> list[Finding] | None:
    """The last check's findings when nothing they depend on changed since; else None."""
    stored = read_state(root, STATE_FILE)
    if stored is None:
        return None
    try:
        data = json.loads(stored[0])
        if data.get("version") != STATE_VERSION or data.get("key") != check_key(shown_root):
            return None
        if time.time_ns() >= int(data["valid-until-ns"]):
            return None  # a future date has passed (NB203 changes)
        saved_at = int(data["saved-at-ns"])
        if not inputs_unchanged(root, data["snapshot"], saved_at):
            return None
        if not unchanged(root, data["watch"], saved_at - RACY_MARGIN_NS):
            return None
        return [Finding(f[0], f[1], f[2], f[3]) for f in data["findings"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None  # damaged or from another version: check normally


def save(
    root: Path,
    shown_root: str,
    snapshot: dict[str, Any],
    watch: dict[str, Any],
    valid_until_ns: int,
    findings: list[Finding],
) -> None:
    """Store a full check's result for the next run (a read-only blog simply keeps none)."""
    data = {
        "version": STATE_VERSION,
        "generator": "nbpost",
        "key": check_key(shown_root),
        "saved-at-ns": time.time_ns(),
        "valid-until-ns": valid_until_ns,
        "snapshot": snapshot,
        "watch": watch,
        "findings": [[f.code, f.path, f.line, f.message] for f in findings],
    }
    with contextlib.suppress(OSError):
        write_state(root, STATE_FILE, json.dumps(data, separators=(",", ":")))
