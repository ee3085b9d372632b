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
(a lost entry would later look like a conflict, both sides having changed since). A change is
applied only when the entry on disk is still the one this process based its decision on: an
entry another writer saved since is newer, and stays. Writers that read and replace a pair's
files hold the same lock (``project_lock``) from reading to recording, so no two of them
interleave on one pair.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..project.state import load_document, locked, read_state, save_document, stat_state
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
    removed: set[str] = field(default_factory=set)  # keys forgotten since loaded or saved
    # The entries as last read from disk: a change is saved only over the entry it was based on.
    seen: dict[str, Entry] = field(default_factory=dict, repr=False)
    _stamp: tuple[int, int, int] | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        """The record file."""
        return self.root / RECORD_FILE

    @classmethod
    def load(cls, root: Path) -> SyncRecord:
        """Read a record; a missing or unreadable one is empty (it is only a cache of hashes)."""
        record = cls(root.absolute())
        record._stamp = _stamp(record.root)
        record.entries = _read_entries(record.root)
        record.seen = dict(record.entries)
        return record

    def current(self, pair: Pair) -> Entry | None:
        """The pair's entry as it is on disk now (read again only when the file changed).

        Callers that hold ``project_lock`` get the entry no other writer can change until they
        release it; entries this record changed itself are kept as they are.
        """
        stamp = _stamp(self.root)
        if stamp != self._stamp:
            self._stamp = stamp
            fresh = _read_entries(self.root)
            for key in set(self.entries) | set(fresh):
                if key in self.changed or key in self.removed:
                    continue
                if key in fresh:
                    self.entries[key] = fresh[key]
                else:
                    self.entries.pop(key, None)
            mine = self.changed | self.removed  # their base stays what we read before
            seen = {key: entry for key, entry in fresh.items() if key not in mine}
            seen.update((key, entry) for key, entry in self.seen.items() if key in mine)
            self.seen = seen
        return self.get(pair)

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
        self.removed.discard(key)

    def forget(self, pair: Pair) -> Entry | None:
        """Drop a pair's entry (its files moved away); return what it held."""
        key = _key(self.root, pair.qmd)
        entry = self.entries.pop(key, None)
        self.changed.discard(key)
        self.removed.add(key)
        return entry

    def adopt(self, pair: Pair, entry: Entry) -> None:
        """Record a pair with the hashes of another entry (the same files under new names)."""
        key = _key(self.root, pair.qmd)
        self.entries[key] = Entry(_key(self.root, pair.ipynb), entry.qmd_sha256, entry.ipynb_sha256)
        self.changed.add(key)
        self.removed.discard(key)

    def save(self) -> bool:
        """Write this record's changes atomically; return whether the file was written.

        Under the project's lock, the record on disk is read again and only the entries put
        (or forgotten) here are applied to it, each only if the entry on disk is still the one
        read before: entries other processes saved meanwhile are kept, and are newer.
        """
        if not self.changed and not self.removed:
            return False
        with project_lock(self.root):  # never through a symlink out of the project
            entries = _read_entries(self.root)
            for key in self.changed:
                if entries.get(key) == self.seen.get(key):
                    entries[key] = self.entries[key]
                # else: another writer recorded this pair after we read it; theirs is newer
            for key in self.removed:
                if entries.get(key) == self.seen.get(key):
                    entries.pop(key, None)
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
            stored = read_state(self.root, RECORD_NAME)
            written = save_document(
                self.root, RECORD_NAME, data, _encode, stored[0] if stored else None
            )
            self._stamp = _stamp(self.root)
        self.entries = entries
        self.seen = dict(entries)
        self.changed.clear()
        self.removed.clear()
        return written


def _encode(data: dict[str, Any]) -> str:
    """The record as it is stored: indented and sorted, so that it diffs well."""
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def _stamp(root: Path) -> tuple[int, int, int] | None:
    """What tells a changed record file apart cheaply: inode, size and modification time."""
    stat = stat_state(root, RECORD_NAME)  # never through a symlink out of the project
    if stat is None:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _read_entries(root: Path) -> dict[str, Entry]:
    """The entries of a project's record; none when it is missing, unreadable, of another
    format, or reachable only through a symlink out of the project."""
    stored = load_document(root, RECORD_NAME, FORMAT, key="format")
    pairs = stored.data.get("pairs") if stored is not None and stored.current else None
    if not isinstance(pairs, dict):
        return {}
    return {
        key: Entry(value["ipynb"], value["qmd_sha256"], value["ipynb_sha256"])
        for key, value in pairs.items()
        if isinstance(value, dict)
        and all(isinstance(value.get(k), str) for k in ("ipynb", "qmd_sha256", "ipynb_sha256"))
    }


_HELD = threading.local()  # lock file path -> how deep this thread holds it


@contextlib.contextmanager
def project_lock(root: Path) -> Iterator[None]:
    """Hold the project's sync lock (``.nbpost/sync.lock`` under ``root``), re-entrantly.

    Every nbpost writer of a pair holds it from reading the files to recording them (``nbpost
    sync`` per pair, a Jupyter save for its whole check-write-record), so two of them never
    interleave on one pair. A thread that holds it may take it again (saving the record
    inside a save); ``flock`` itself would block on a second descriptor.
    """
    path = Path(root).absolute() / LOCK_FILE
    held: dict[Path, int] = getattr(_HELD, "depths", None) or {}
    _HELD.depths = held
    if held.get(path):
        held[path] += 1
        try:
            yield
        finally:
            held[path] -= 1
        return
    with locked(root, LOCK_NAME):  # never through a symlink out of the project
        held[path] = 1
        try:
            yield
        finally:
            del held[path]


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
    """Record that ``pair`` is in sync with these contents (read, update, write atomically).

    Pass the bytes that were written (or read and compared), never a re-read of the files: an
    editor's save landing in between would otherwise be recorded as synced.
    """
    root = record_root(pair)
    with project_lock(root):
        record = SyncRecord.load(root)
        record.put(pair, qmd_bytes, ipynb_bytes)
        record.save()


def move_entry(old: Pair, new: Pair) -> bool:
    """Move a pair's entry to its files' new names (a rename); return whether it had one."""
    old_root, new_root = record_root(old), record_root(new)
    with project_lock(old_root), project_lock(new_root):
        source = SyncRecord.load(old_root)
        entry = source.current(old)
        if entry is None:
            return False
        source.forget(old)
        target = source if new_root == old_root else SyncRecord.load(new_root)
        target.adopt(new, entry)
        source.save()
        if target is not source:
            target.save()
    return True
