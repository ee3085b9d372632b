"""What the last build generated: ``<root>/.nbpost/build-manifest.json``.

For each generated file (path relative to the project root): its SHA-256, size and mtime. This
lets a build

- remove only files nbpost generated, and only while they still hold what nbpost wrote;
- skip rendering entirely when nothing that feeds the outputs changed: the manifest keeps a
  fingerprint of the collected blog (plus nbpost's version and output code); when it matches
  and every generated file still has the size and mtime recorded, there is nothing to do.
  The messages the output stage produced are kept too and reported again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import NbpostError
from ..textio import write_if_changed
from .cache import RACY_MARGIN_NS  # one racy window for every stat-trusting check
from .escape import inside, json_text
from .model import Blog

MANIFEST = ".nbpost/build-manifest.json"
MANIFEST_VERSION = 2
# The modules whose code shapes the outputs: editing one invalidates the fingerprint.
OUTPUT_MODULES = (
    "archive",
    "build",
    "escape",
    "feeds",
    "layout",
    "manifest",
    "mdindex",
    "pages",
    "registry",
)


@dataclass
class Manifest:
    """The generated files of one build and what is needed to trust them next time."""

    files: dict[str, str] = field(default_factory=dict)  # key -> sha256
    stats: dict[str, list[int]] = field(default_factory=dict)  # key -> [size, mtime_ns]
    fingerprint: str | None = None
    feeds: int = 0
    warnings: list[str] = field(default_factory=list)  # output-stage messages, replayed
    errors: list[str] = field(default_factory=list)
    written_ns: int = 0  # mtime of the manifest file read (0: none, or just made)

    def vouches_for(self, key: str, digest: str, size: int, mtime_ns: int) -> bool:
        """Whether a file is exactly as the last build left it, by its digest and stat.

        A file modified within the racy margin before the manifest was written is not vouched
        for (an edit in the same timestamp tick keeps size and mtime): it is read instead.
        """
        return (
            self.files.get(key) == digest
            and self.stats.get(key) == [size, mtime_ns]
            and mtime_ns < self.written_ns - RACY_MARGIN_NS
        )


def read_manifest(root: Path) -> Manifest:
    """The previous build's manifest, or an empty one."""
    try:
        with open(root / MANIFEST, "rb") as handle:
            written_ns = os.fstat(handle.fileno()).st_mtime_ns
            data = json.loads(handle.read())
    except (OSError, ValueError):
        return Manifest()
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return Manifest()
    files = {str(k): str(v) for k, v in data["files"].items()}
    if data.get("version") != MANIFEST_VERSION:
        return Manifest(files=files)  # still good for removing stale files
    return Manifest(
        files=files,
        stats={str(k): list(v) for k, v in data.get("stats", {}).items()},
        fingerprint=data.get("fingerprint"),
        feeds=int(data.get("feeds", 0)),
        warnings=[str(m) for m in data.get("warnings", [])],
        errors=[str(m) for m in data.get("errors", [])],
        written_ns=written_ns,
    )


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Write the manifest (only when its content changed)."""
    data = {
        "version": MANIFEST_VERSION,
        "generator": "nbpost",
        "fingerprint": manifest.fingerprint,
        "feeds": manifest.feeds,
        "files": manifest.files,
        "stats": manifest.stats,
        "warnings": manifest.warnings,
        "errors": manifest.errors,
    }
    write_if_changed(root / MANIFEST, json_text(data))


def file_stat(path: Path) -> list[int] | None:
    """[size, mtime_ns] of a file, or None when it is missing."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def still_intact(root: Path, manifest: Manifest) -> bool:
    """Whether every generated file still has the size and mtime recorded."""
    if not manifest.files or manifest.stats.keys() != manifest.files.keys():
        return False
    return all(file_stat(root / key) == stat for key, stat in manifest.stats.items())


def _code_digest() -> bytes:
    here = Path(__file__).parent
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for name in OUTPUT_MODULES:
        try:
            digest.update((here / f"{name}.py").read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.digest()


def fingerprint(blog: Blog, home: str) -> str:
    """A digest of everything the outputs are made from (never of build time)."""
    config = blog.config
    posts = [
        (
            p.source, p.href, p.title, p.description, tuple(p.authors), p.date, p.date_text,
            tuple(p.categories), p.draft, p.image, p.date_modified, p.external,
        )
        for p in blog.posts
    ]  # fmt: skip
    categories = [
        (
            c.key, c.label, c.slug, c.description, c.colour, tuple(c.aliases),
            tuple(sorted(c.spellings.items())), tuple(id_of(p) for p in c.posts),
        )
        for c in blog.categories
    ]  # fmt: skip
    settings = (
        config.title,
        config.description,
        config.site_url,
        config.language,
        config.output_dir,
        json.dumps(config.options, sort_keys=True, default=str),
        home,
    )
    payload = pickle.dumps((settings, posts, categories), protocol=5)
    return hashlib.blake2b(_code_digest() + payload, digest_size=20).hexdigest()


def id_of(post: Any) -> str:
    """A post's identity inside a category (its source and href)."""
    return f"{post.source}\0{post.href}"


def remove_stale(root: Path, previous: Manifest, current: dict[str, str]) -> tuple[list, list]:
    """Delete files the last build generated that this one did not, if still untouched.

    Returns (removed keys, warnings). A file edited since it was generated is left in place.
    """
    removed: list[str] = []
    warnings: list[str] = []
    resolved_root = root.resolve()
    for key in sorted(set(previous.files) - set(current)):
        try:
            path = inside(root, key)
        except NbpostError:
            continue  # a manifest edited by hand: never follow it out of the project
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != previous.files[key]:
            warnings.append(f"{key}: no longer generated but edited since; left in place")
            continue
        path.unlink()
        removed.append(key)
        parent = path.parent
        while parent != resolved_root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()  # only folders the removal emptied
            parent = parent.parent
    return removed, warnings
