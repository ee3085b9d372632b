"""The sync record: the SHA-256 of both sides of each pair as they were when last synced.

Stored in ``<project>/.nbpost/sync.json`` (the project is the nearest folder holding
``_quarto.yml``; a pair outside any project keeps its record in its own folder). Content
hashes, not modification times, decide which side changed: a git checkout or a copy resets
times, and jupytext's mtime rule is how paired notebooks got overwritten (jupytext#1100).
The record is local state like the build cache beside it: ``.nbpost/`` belongs in
``.gitignore``, and a fresh clone without a record still syncs (see ``engine``).

Several processes may sync pairs of one project at once (a Jupyter server saving notebooks
while ``nbpost sync`` or a pre-commit hook runs): saving re-reads the record under a lock and
writes it with only this process's changes applied, so no process drops another's entries
(a lost entry would later look like a conflict, both sides having changed since).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..statedir import locked, read_state, write_state
from .pairs import Pair, project_root

RECORD_NAME = "sync.json"
LOCK_NAME = "sync.lock"
RECORD_FILE = Path(".nbpost") / RECORD_NAME
LOCK_FILE = Path(".nbpost") / LOCK_NAME
FORMAT = 1


def digest(data: bytes) -> str:
    """The SHA-256 of some bytes, as hex."""
    return hashlib.sha256(data).hexdigest()


def record_root(pair: Pair) -> Path:
    """The folder whose ``.nbpost/sync.json`` records ``pair``."""
    return project_root(pair.qmd) or pair.qmd.absolute().parent


def _key(root: Path, path: Path) -> str:
    absolute = path.absolute()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


@dataclass
class Entry:
    """What one pair looked like at its last sync."""

    ipynb: str  # the notebook's path, relative to the record's root
    qmd_sha256: str
    ipynb_sha256: str


@dataclass
class SyncRecord:
    """One project's record, keyed by the text file's root-relative path."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)  # keys put since loaded or saved

    @property
    def path(self) -> Path:
        """The record file."""
        return self.root / RECORD_FILE

    @classmethod
    def load(cls, root: Path) -> SyncRecord:
        """Read a record; a missing or unreadable one is empty (it is only a cache of hashes)."""
        record = cls(root.absolute())
        record.entries = _read_entries(record.root)
        return record

    def get(self, pair: Pair) -> Entry | None:
        """The entry for a pair (None when unknown or recorded with another notebook)."""
        entry = self.entries.get(_key(self.root, pair.qmd))
        if entry is None or entry.ipynb != _key(self.root, pair.ipynb):
            return None
        return entry

    def put(self, pair: Pair, qmd_bytes: bytes, ipynb_bytes: bytes) -> None:
        """Remember both sides of a pair as synced."""
        key = _key(self.root, pair.qmd)
        self.entries[key] = Entry(
            _key(self.root, pair.ipynb), digest(qmd_bytes), digest(ipynb_bytes)
        )
        self.changed.add(key)

    def save(self) -> bool:
        """Write this record's changes atomically; return whether the file was written.

        Under the project's lock, the record on disk is read again and only the entries put
        here are applied to it, so entries other processes saved meanwhile are kept.
        """
        if not self.changed:
            return False
        with locked(self.root, LOCK_NAME):  # never through a symlink out of the project
            entries = _read_entries(self.root)
            for key in self.changed:
                entries[key] = self.entries[key]
            data = {
                "format": FORMAT,
                "pairs": {
                    key: {
                        "ipynb": entry.ipynb,
                        "qmd_sha256": entry.qmd_sha256,
                        "ipynb_sha256": entry.ipynb_sha256,
                    }
                    for key, entry in sorted(entries.items())
                },
            }
            payload = (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8")
            stored = read_state(self.root, RECORD_NAME)
            written = stored is None or stored[0] != payload
            if written:
                write_state(self.root, RECORD_NAME, payload)
        self.entries = entries
        self.changed.clear()
        return written


def _read_entries(root: Path) -> dict[str, Entry]:
    """The entries of a project's record; none when it is missing, unreadable, of another
    format, or reachable only through a symlink out of the project."""
    stored = read_state(root, RECORD_NAME)
    try:
        data: Any = json.loads(stored[0]) if stored is not None else None
    except (ValueError, RecursionError):
        return {}
    pairs = data.get("pairs") if isinstance(data, dict) else None
    if not isinstance(pairs, dict) or data.get("format") != FORMAT:
        return {}
    return {
        key: Entry(value["ipynb"], value["qmd_sha256"], value["ipynb_sha256"])
        for key, value in pairs.items()
        if isinstance(value, dict)
        and all(isinstance(value.get(k), str) for k in ("ipynb", "qmd_sha256", "ipynb_sha256"))
    }


class RecordBook:
    """Records of several projects, loaded once and saved together (for a CLI run)."""

    def __init__(self) -> None:
        self._records: dict[Path, SyncRecord] = {}

    def for_pair(self, pair: Pair) -> SyncRecord:
        """The record that holds ``pair`` (loaded on first use)."""
        root = record_root(pair)
        record = self._records.get(root)
        if record is None:
            record = self._records[root] = SyncRecord.load(root)
        return record

    def save(self) -> None:
        """Save every record that was loaded (unchanged ones are not rewritten)."""
        for record in self._records.values():
            record.save()


def record_synced(pair: Pair, qmd_bytes: bytes, ipynb_bytes: bytes) -> None:
    """Record that ``pair`` is in sync with these contents (read, update, write atomically)."""
    record = SyncRecord.load(record_root(pair))
    record.put(pair, qmd_bytes, ipynb_bytes)
    record.save()
