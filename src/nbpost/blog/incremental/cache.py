"""A per-file cache of what the reader extracts, so a rebuild without changes parses nothing.

Stored in ``<blog>/.nbpost/cache.json`` (safe to delete; add ``.nbpost/`` to ``.gitignore``).
An entry is keyed by the file's path relative to the blog and trusted while its size,
``mtime_ns`` and inode are unchanged. When only the stat changed (a checkout, ``touch``), the
file is read and its SHA-1 digest compared (not a security use), so the YAML is parsed again
only if the bytes differ. A cold build does not hash what it reads (about a fifth of a cold
build's reading time): an entry gets its digest the first time its file is read again, so the
second and later touches of a file are verified without parsing.

Like git's index, an entry whose mtime is not clearly older than the moment the cache was
written is "racy" (a same-size edit within the file system's timestamp resolution would keep
size and mtime) and is verified by its digest instead of trusted.
"""

from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path
from typing import Any

from ...project.state import load_document, save_document
from ...textio import write_atomic

CACHE_DIR = ".nbpost"  # nbpost.project.state.STATE_DIR
CACHE_FILE = "cache.json"
FORMAT_VERSION = 3  # bump whenever the reader's record changes shape or meaning
RACY_MARGIN_NS = 2_000_000_000  # coarse file systems (FAT, some network mounts) keep 2 s


def json_exact(value: Any) -> bool:
    """Whether JSON gives this value back unchanged (string keys, finite numbers, no tuples)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return True
    if kind is float:
        return math.isfinite(value)
    # Loops rather than all(generator): this runs on every value of every post's record.
    if kind is list:
        for item in value:  # noqa: SIM110 - a plain loop is measurably faster than all()
            if type(item) is not str and not json_exact(item):
                return False
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) is not str and not json_exact(item)):
                return False
        return True
    return False


def default_path(root: str | Path) -> Path:
    """Where a blog's cache lives: ``<root>/.nbpost/cache.json``."""
    return Path(root) / CACHE_DIR / CACHE_FILE


def _well_formed(entry: Any) -> bool:
    """Whether a stored entry has the fields ``lookup`` reads (the file may be damaged)."""
    return (
        type(entry) is dict
        and type(entry.get("size")) is int
        and type(entry.get("mtime")) is int
        and type(entry.get("ino", 0)) is int
        and type(entry.get("digest")) is str
        and type(entry.get("record")) is dict
    )


class MetadataCache:
    """Per-file reader records, keyed by POSIX path relative to the blog root."""

    def __init__(self, path: str | Path | None = None, entries: dict[str, Any] | None = None):
        self.path = Path(path) if path is not None else None
        self.entries: dict[str, dict[str, Any]] = entries or {}
        self.saved_at_ns = 0
        self.dirty = False
        self.hits = 0  # records reused without reading the file
        self.verified = 0  # files read, bytes unchanged, record reused without parsing
        self.parsed = 0  # files parsed
        self.root: Path | None = None  # the blog whose .nbpost/ holds it (set by ``load``)

    @classmethod
    def load(cls, root: str | Path) -> MetadataCache:
        """Load a blog's cache; a missing, unreadable or outdated file gives an empty cache."""
        cache = cls(default_path(root))
        cache.root = Path(root)
        stored = load_document(root, CACHE_FILE, FORMAT_VERSION)  # never through a symlink
        if stored is None or not stored.current:
            return cache
        data = stored.data
        if isinstance(data.get("entries"), dict) and type(data.get("saved-at-ns", 0)) is int:
            cache.entries = {k: e for k, e in data["entries"].items() if _well_formed(e)}
            cache.saved_at_ns = data.get("saved-at-ns", 0)
        return cache

    def lookup(self, rel: str, stat: os.stat_result) -> dict[str, Any] | None:
        """The record of a file whose size and mtime match, unless the entry is racy."""
        entry = self.entries.get(rel)
        if (
            entry is None
            or entry["mtime"] != stat.st_mtime_ns
            or entry["size"] != stat.st_size
            or entry.get("ino", stat.st_ino) != stat.st_ino
        ):
            return None
        if stat.st_mtime_ns >= self.saved_at_ns - RACY_MARGIN_NS:
            return None
        self.hits += 1
        return entry["record"]

    def lookup_bytes(self, rel: str, data_digest: str, size: int) -> dict[str, Any] | None:
        """The record of a file whose bytes (read already) are unchanged."""
        entry = self.entries.get(rel)
        if entry is None or entry["size"] != size or not entry["digest"]:
            return None
        if entry["digest"] != data_digest:
            return None
        self.verified += 1
        return entry["record"]

    def has(self, rel: str) -> bool:
        """Whether a file has an entry (so a changed stat is worth a digest)."""
        return rel in self.entries

    def store(self, rel: str, stat: os.stat_result, data_digest: str, record: Any) -> None:
        """Remember a record (records that JSON cannot hold exactly are not kept).

        ``data_digest`` may be "" (not computed): the entry is then trusted by its stat only.
        """
        entry = {
            "size": stat.st_size,
            "mtime": stat.st_mtime_ns,
            "ino": stat.st_ino,
            "digest": data_digest,
            "record": record,
        }
        if self.entries.get(rel) == entry:
            return
        if not json_exact(record):
            self.entries.pop(rel, None)
            return
        self.entries[rel] = entry
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        """Forget files that no longer exist (renamed or deleted)."""
        for rel in [rel for rel in self.entries if rel not in keep]:
            del self.entries[rel]
            self.dirty = True

    def save(self) -> bool:
        """Write the cache when it changed; return whether it was written."""
        if self.path is None:
            return False
        racy = any(
            entry["mtime"] >= self.saved_at_ns - RACY_MARGIN_NS for entry in self.entries.values()
        )
        if not self.dirty and not racy:
            return False
        self.saved_at_ns = time.time_ns()
        payload: dict[str, Any] = {
            "version": FORMAT_VERSION,
            "saved-at-ns": self.saved_at_ns,
            "entries": self.entries,
        }
        try:
            if self.root is not None:
                save_document(self.root, CACHE_FILE, payload)  # never through a symlink out
            else:
                # ASCII: the encoder's quicker path, and a lone surrogate cannot fail the write.
                write_atomic(self.path, json.dumps(payload, separators=(",", ":")))
        except OSError:
            return False  # a read-only blog still builds, only without a cache
        self.dirty = False
        return True
