"""What the last build generated: ``<root>/.nbpost/build-manifest.json``.

For each generated file (path relative to the project root): its SHA-256, size and mtime. This
lets a build

- remove only files nbpost generated, and only while they still hold what nbpost wrote;
- skip rendering entirely when nothing that feeds the outputs changed: the manifest keeps a
  fingerprint of the collected blog (plus nbpost's version and output code); when it matches
  and every generated file still has the size and mtime recorded, there is nothing to do.
  The messages the output stage produced are kept too and reported again;
- skip rendering a category's outputs (page, items file, feeds) when what they are made from
  is unchanged (``groups``: a digest per category of its label, description, posts and the
  blog-wide settings, with the files it produced) and those files are as the last build left
  them (``reusable_groups``): an edit to one post re-renders only its categories and the
  blog-wide outputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_module
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import WARNING, NbpostError, Problem
from ...project.state import load_document, read_state, save_document
from ..render.escape import inside
from ..render.marker import holds_marker, read_regular
from .cache import RACY_MARGIN_NS  # one racy window for every stat-trusting check

MANIFEST_FILE = "build-manifest.json"
MANIFEST = ".nbpost/" + MANIFEST_FILE
MANIFEST_VERSION = 2

# The racy window where the manifest file's own mtime shows that the file system keeps
# sub-second times. Both sides of the comparison are mtimes of that file system (its clock,
# not the machine's), so the window need only outlast its timestamp tick, as 2 s outlasts
# FAT's: a file changed after the manifest was written, in the tick the build wrote it in,
# keeps its size and mtime. Linux stamps files from a clock that moves once per scheduler
# tick (10 ms at most), exFAT keeps 10 ms: twice that. File systems that keep whole seconds
# (FAT, ext4's small inodes, some network mounts) keep the full window. Measured 2026-12-08 on
# the 10,000-post benchmark blog: the first build after a full one read and hashed 1,512
# category files (about 30 MB, 30-45 ms), which the full build had written within 2 s of its
# manifest; with 0.1 s, 809 of them; with 0.02 s, 180 (6 ms).
FINE_RACY_MARGIN_NS = 20_000_000


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
    groups: dict[str, list[Any]] = field(default_factory=dict)  # name -> [digest, [keys]]

    @property
    def newest_trusted(self) -> int:
        """The newest mtime at which a file's stat alone vouches for it: older than the
        manifest file by the racy window (``FINE_RACY_MARGIN_NS``)."""
        fine = self.written_ns % 1_000_000_000 != 0
        # never longer than RACY_MARGIN_NS, the one setting of the window (tests shorten it)
        margin = min(RACY_MARGIN_NS, FINE_RACY_MARGIN_NS) if fine else RACY_MARGIN_NS
        return self.written_ns - margin

    def vouches_for(self, key: str, digest: str, size: int, mtime_ns: int) -> bool:
        """Whether a file is exactly as the last build left it, by its digest and stat.

        A file modified within the racy margin before the manifest was written is not vouched
        for (an edit in the same timestamp tick keeps size and mtime): it is read instead.
        """
        return (
            self.files.get(key) == digest
            and self.stats.get(key) == [size, mtime_ns]
            and mtime_ns < self.newest_trusted
        )


def read_manifest(root: Path) -> Manifest:
    """The previous build's manifest, or an empty one."""
    stored = load_document(root, MANIFEST_FILE, MANIFEST_VERSION)  # never through a symlink
    if stored is None:
        return Manifest()
    data = stored.data
    written_ns = stored.stat.st_mtime_ns
    if not isinstance(data.get("files"), dict):
        return Manifest()
    files = {str(k): str(v) for k, v in data["files"].items()}
    if not stored.current:
        return Manifest(files=files)  # still good for removing stale files
    try:
        return Manifest(
            files=files,
            stats={str(k): [int(n) for n in v] for k, v in data.get("stats", {}).items()},
            fingerprint=data.get("fingerprint"),
            feeds=int(data.get("feeds", 0)),
            warnings=[str(m) for m in data.get("warnings", [])],
            errors=[str(m) for m in data.get("errors", [])],
            written_ns=written_ns,
            groups=_groups(data.get("groups")),
        )
    except (ValueError, TypeError, AttributeError):  # damaged: trust none of its stats
        return Manifest(files=files)


def _groups(data: Any) -> dict[str, list[Any]]:
    """The ``groups`` of a manifest, keeping only well-formed entries (it may be edited)."""
    if not isinstance(data, dict):
        return {}
    return {
        str(name): [entry[0], [str(key) for key in entry[1]]]
        for name, entry in data.items()
        if isinstance(entry, list)
        and len(entry) == 2
        and isinstance(entry[0], str)
        and isinstance(entry[1], list)
    }


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
        "groups": manifest.groups,
    }
    stored = read_state(root, MANIFEST_FILE)
    # Only when its content changed; never through a symlink out of the project. Compact
    # JSON from the C encoder (state no one reads by eye): indented, the 10,000-post blog's
    # manifest took a build after an edit ~15 ms to write. Sorted keys: equal content gives
    # equal bytes, whatever order the files were written in.
    save_document(root, MANIFEST_FILE, data, _compact_sorted, stored[0] if stored else None)


def _compact_sorted(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def still_intact(
    root: Path, manifest: Manifest, seen: Mapping[str, list[int]] | None = None
) -> bool:
    """Whether every generated file is as the manifest's build left it (see ``_untouched``;
    ``seen`` as for ``reusable_groups``)."""
    if not manifest.files or manifest.stats.keys() != manifest.files.keys():
        return False
    newest_trusted = manifest.newest_trusted
    return all(_untouched(root, key, manifest, newest_trusted, seen) for key in manifest.files)


def manifest_groups(
    digests: dict[str, str],
    rendered: dict[str, list[str]],
    kept: dict[str, list[str]],
    keys: dict[str, str],
) -> dict[str, list[Any]]:
    """Each category's group for the manifest: [digest, keys of its files], when all were
    written (or kept) without trouble."""
    groups: dict[str, list[Any]] = {name: [digests[name], kept[name]] for name in kept}
    for name, relatives in rendered.items():
        if all(relative in keys for relative in relatives):
            groups[name] = [digests[name], sorted(keys[relative] for relative in relatives)]
    return groups


def reusable_groups(
    root: Path,
    previous: Manifest,
    digests: dict[str, str],
    seen: Mapping[str, list[int]] | None = None,
) -> dict[str, list[str]]:
    """The groups whose outputs the last build made from the same inputs and that are still as
    it left them: name -> output keys.

    A file is as the last build left it when its size and mtime are the recorded ones; like
    git's index, a file modified within the racy window before the manifest was written (as
    every file of the build that wrote it is) could have been changed again in the same
    timestamp tick, so its bytes are compared with the recorded SHA-256 instead. ``seen``: the
    ``[size, mtime]`` this build found each output to have a moment ago (the snapshot's check,
    ``snapshot.replay``), not looked up again.
    """
    if previous.errors or not previous.groups:
        return {}
    newest_trusted = previous.newest_trusted
    kept = {}
    for name, digest in digests.items():
        entry = previous.groups.get(name)
        if entry is None or entry[0] != digest:
            continue
        keys = entry[1]
        if keys and all(_untouched(root, key, previous, newest_trusted, seen) for key in keys):
            kept[name] = keys
    return kept


def _untouched(
    root: Path,
    key: str,
    previous: Manifest,
    newest_trusted: int,
    seen: Mapping[str, list[int]] | None,
) -> bool:
    recorded = previous.stats.get(key)
    digest = previous.files.get(key)
    if digest is None or recorded is None:
        return False
    if seen is not None and seen.get(key) == recorded and recorded[1] < newest_trusted:
        return True  # a regular file of that size and mtime a moment ago, written long before
    # A plain string: a build after an edit checks ~1,500 category files, and pathlib's
    # joining cost more than the lstat itself.
    path = os.path.join(root, key)
    try:
        info = os.lstat(path)
        if not stat_module.S_ISREG(info.st_mode) or [info.st_size, info.st_mtime_ns] != recorded:
            return False
        if info.st_mtime_ns < newest_trusted:
            return True
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest() == digest
    except OSError:
        return False


def remove_stale(
    root: Path,
    previous: Manifest,
    current: Collection[str],
    dry_run: bool = False,
    own_folders: tuple[str, ...] = (),
) -> tuple[list[str], list[Problem]]:
    """Delete files the last build generated that this one does not (``current``: the keys it
    makes), if still untouched.

    Returns (removed keys, warnings). A file is deleted only when it holds exactly the bytes
    recorded and carries nbpost's mark (``marker``) or lies in one of nbpost's own folders
    (``own_folders``, root-relative prefixes ending in "/": an earlier version's outputs there
    carry no mark): a manifest that names a user's file (a damaged or planted ``.nbpost/``)
    never deletes it. A file edited since it was generated is
    left in place. ``dry_run`` deletes nothing and returns the keys that would be removed.
    Another build removing the same file at the same moment is not an error.
    """
    removed: list[str] = []
    warnings: list[Problem] = []
    resolved_root = root.resolve()
    for key in sorted(set(previous.files) - set(current)):
        try:
            path = inside(root, key)
        except NbpostError:
            continue  # a manifest edited by hand: never follow it out of the project
        data = read_regular(str(path))
        if data is None:
            continue  # gone already, or not a regular file: nothing of nbpost's to remove
        kept = _why_kept(key, data, previous.files[key], own_folders)
        if kept is None and not dry_run:
            kept = _remove(path, key, resolved_root)
        if kept is not None:
            warnings.append(kept)
            continue
        removed.append(key)
    return removed, warnings


def _why_kept(key: str, data: bytes, recorded: str, own_folders: tuple[str, ...]) -> Problem | None:
    """Why a stale generated file must stay (edited since, or no nbpost mark), or None."""
    if hashlib.sha256(data).hexdigest() != recorded:
        # said once: the next build no longer knows the file (it is not in this manifest)
        message = "no longer generated but edited since; left in place"
        return Problem(WARNING, key, None, message, replay=False)
    if not holds_marker(data) and not key.startswith(own_folders):
        message = "no longer generated but carries no nbpost mark; left in place"
        return Problem(WARNING, key, None, message)
    return None


def _remove(path: Path, key: str, root: Path) -> Problem | None:
    """Delete a stale file and the folders it leaves empty; the problem when it cannot go."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass  # another build removed it
    except OSError as exc:
        message = f"no longer generated, but cannot remove: {exc.strerror}"
        return Problem(WARNING, key, None, message)
    _remove_empty_folders(path.parent, root)
    return None


def _remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while a removal emptied them."""
    while folder != root:
        try:
            folder.rmdir()  # fails unless empty: only folders the removal emptied go
        except OSError:
            return
        folder = folder.parent
