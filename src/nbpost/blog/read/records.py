"""Every document's record, read once: from the metadata cache, from the file, or in parallel.

A record (``blog.model.PostRecord``) is what ``nbpost.blog.read.reader`` extracts from a post
(front matter, key lines, fallback title and description); the cache keeps its JSON form. A
file the cache vouches for by its stat is not opened; a known file whose stat changed is
hashed and parsed only if its bytes changed; a new file is read and parsed, by several
processes at once when there are many (``nbpost.blog.read.parallel``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ...project.walk import ProjectFiles
from ..model import PostRecord
from .parallel import map_in_processes, process_count
from .progress import progress as progress_bar
from .reader import read_post

READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
# The largest post the blog reads (a notebook's outputs make it big): reading one takes about
# three times its size in memory. GitHub refuses files over 100 MB, so no committed post is
# larger; a bigger file is reported and skipped instead of taking a build to gigabytes.
MAX_POST_BYTES = 100 * 1024 * 1024


class RecordCache(Protocol):
    """What reading needs of a record cache (``incremental.cache.MetadataCache`` is one):
    records by path, trusted by stat or by the bytes' ``digest``, in their JSON form."""

    parsed: int

    def has(self, rel: str) -> bool: ...
    def lookup(self, rel: str, stat: os.stat_result) -> dict[str, Any] | None: ...
    def lookup_bytes(self, rel: str, data_digest: str, size: int) -> dict[str, Any] | None: ...
    def store(self, rel: str, stat: os.stat_result, data_digest: str, record: Any) -> None: ...
    def prune(self, keep: set[str]) -> None: ...


class StatLog(Protocol):
    """What reading tells the build's snapshot (``incremental.snapshot.Snapshot`` is one):
    the stat of every file read, the folders walked, and whether dates follow the clock."""

    files: dict[str, list[int]]
    folders: dict[str, list[Any]]
    excluded: set[str]
    volatile: bool

    def record(self, rel: str, stat: os.stat_result) -> None: ...
    def stat(self, root: Path, rel: str) -> None: ...
    def walk(self, root: Path, excluded: set[str]) -> ProjectFiles: ...


def digest(data: bytes) -> str:
    """The content hash used to recognise unchanged bytes."""
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def read_new_post(path: str, shown: str) -> tuple[os.stat_result | None, PostRecord]:
    """Read and parse a post: (its stat, taken before reading, or None if unreadable; record)."""
    try:
        fd = os.open(path, READ_FLAGS)
        try:
            stat = os.fstat(fd)  # of the open file: no second path lookup
            if stat.st_size > MAX_POST_BYTES:
                return stat, _too_large_record(stat.st_size)
            data = _read_all(fd, stat.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, _unreadable_record(exc)
    return stat, read_post(data, shown)


def _too_large_record(size: int) -> PostRecord:
    """The record of a post over ``MAX_POST_BYTES``."""
    limit = MAX_POST_BYTES // (1024 * 1024)
    return PostRecord(error=f"{size / 1024 / 1024:,.0f} MB; nbpost reads posts up to {limit} MB")


def _unreadable_record(exc: OSError) -> PostRecord:
    """The record of a file that could not be read."""
    return PostRecord(error=f"cannot read: {exc.strerror}")


def _read_all(fd: int, size: int) -> bytes:
    """A whole file in one ``read`` when its size is known (no buffered file object needed)."""
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data  # a regular file reads short only at its end
    chunks = [data]  # it grew since the stat: read on to the end
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class RecordReader:
    """Reads the records of one blog's documents (paths relative to ``root``)."""

    root: Path
    shown: Callable[[str], str]  # a relative path as messages show it
    cache: RecordCache | None
    forced: set[str]  # known files to re-read even when the cache vouches for them
    snapshot: StatLog | None  # receives the stat of every file read
    records: dict[str, PostRecord] = field(default_factory=dict)
    mtimes: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.path_prefix = os.path.join(self.root, "")

    def read_all(self, documents: list[str], jobs: int | None, progress: bool) -> None:
        """Read every document's record; new files in ``jobs`` processes (see ``parallel``)."""
        cache = self.cache
        new = [rel for rel in documents if cache is None or not cache.has(rel)]
        processes = process_count(jobs, len(new))
        if processes == 1:
            for rel in progress_bar(documents, "nbpost build: reading", "post", progress):
                self.read_one(rel)
            return
        # Files the cache knows first (a stat each, mostly), then the new ones shared out.
        new_set = set(new)
        for rel in documents:
            if rel not in new_set:
                self.read_one(rel)
        prefix, shown = self.path_prefix, self.shown
        results = map_in_processes(
            lambda rel: read_new_post(prefix + rel, shown(rel)),
            new,
            processes,
            lambda share: progress_bar(share, "nbpost build: reading", "post", progress, processes),
        )
        for rel, (stat, record) in zip(new, results, strict=True):
            self.keep_new(rel, stat, record)

    def keep_new(self, rel: str, stat: os.stat_result | None, record: PostRecord) -> None:
        """Remember what ``read_new_post`` gave for a file the cache did not know."""
        if stat is None:
            self._keep_unreadable(rel, record)
            return
        self.records[rel] = record
        self.mtimes[rel] = stat.st_mtime
        if self.snapshot is not None:
            self.snapshot.record(rel, stat)
        if self.cache is not None:
            # A file read for the first time is not hashed: a digest pays off only when a
            # known file's stat changes (touch, checkout), and the cache adds it then.
            self.cache.parsed += 1
            self.cache.store(rel, stat, "", record.as_json())

    def _keep_unreadable(self, rel: str, record: PostRecord) -> None:
        self.records[rel] = record
        if self.snapshot is not None and rel not in self.snapshot.files:
            self.snapshot.stat(self.root, rel)  # a later chmod must be noticed

    def read_one(self, rel: str) -> None:
        """Read (or take from the cache) one document's record."""
        path = self.path_prefix + rel
        cache = self.cache
        if cache is None or not cache.has(rel):
            stat, record = read_new_post(path, self.shown(rel))
            self.keep_new(rel, stat, record)
            return
        try:
            stat = os.stat(path)
            self.mtimes[rel] = stat.st_mtime
            if self.snapshot is not None:
                self.snapshot.record(rel, stat)
            if rel not in self.forced:
                cached = cache.lookup(rel, stat)
                if cached is not None:
                    self.records[rel] = PostRecord.from_json(cached)
                    return
            if stat.st_size > MAX_POST_BYTES:
                too_large = _too_large_record(stat.st_size)
                cache.store(rel, stat, "", too_large.as_json())
                self.records[rel] = too_large
                return
            fd = os.open(path, READ_FLAGS)
            try:
                data = _read_all(fd, stat.st_size)
            finally:
                os.close(fd)
        except OSError as exc:
            self._keep_unreadable(rel, _unreadable_record(exc))
            return
        # A known file whose stat changed: hash it, and parse it only if its bytes changed.
        data_digest = digest(data)
        unchanged = cache.lookup_bytes(rel, data_digest, len(data))
        if unchanged is not None:
            cache.store(rel, stat, data_digest, unchanged)
            self.records[rel] = PostRecord.from_json(unchanged)
            return
        cache.parsed += 1
        record = read_post(data, self.shown(rel))
        cache.store(rel, stat, data_digest, record.as_json())
        self.records[rel] = record
