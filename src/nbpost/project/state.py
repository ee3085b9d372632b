"""The one ``.nbpost/`` state folder of a project: opened, written and locked without following
a symlink out of the project.

``.nbpost/`` holds local state (the build's cache, manifest and snapshot, the sync record and
its lock). A cloned repository is untrusted (docs/security.md): it may commit ``.nbpost`` as a
symlink to ``~/.ssh`` or to a folder on ``sys.path``, or ``.nbpost/sync.lock`` as a dangling
symlink whose target opening it with ``O_CREAT`` would create. So:

- the folder must be a real folder, or a symlink that resolves inside the project; anything
  else is not used (reads find no state, writes raise ``StateFolderError``);
- state files are read with ``O_NOFOLLOW`` (a symlinked file reads as missing) and written to
  a temporary sibling (``.NAME.PID.tmp``, created with ``O_EXCL | O_NOFOLLOW``) swapped or
  renamed in (``textio.replace_regenerable``), which replaces a symlink instead of writing
  through it;
- a lock file is opened with ``O_NOFOLLOW``; a symlink in its place is removed (it is not
  nbpost's, and holds nothing) and a regular file made instead.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat as stat_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..textio import replace_regenerable
from .paths import is_inside

STATE_DIR = ".nbpost"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
_LOCK_FLAGS = os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC


class StateFolderError(OSError):
    """The project's ``.nbpost`` cannot be used safely (a symlink out of it, or not a folder)."""


def folder_problem(root: str | Path) -> str | None:
    """Why ``<root>/.nbpost`` must not be used, or None (also when it does not exist yet)."""
    path = os.path.join(root, STATE_DIR)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"{path}: {exc.strerror}"
    if stat_module.S_ISLNK(info.st_mode):
        if is_inside(path, root) and os.path.isdir(path):
            return None
        return (
            f"{path}: a symlink that leads out of the project; nbpost keeps no state there "
            "(remove it)"
        )
    if not stat_module.S_ISDIR(info.st_mode):
        return f"{path}: not a folder; nbpost keeps no state there (remove it)"
    return None


def state_path(root: str | Path, name: str) -> Path:
    """``<root>/.nbpost/<name>``, the path of a state file (``name`` is nbpost's own)."""
    return Path(root) / STATE_DIR / name


def _usable_folder(root: str | Path, create: bool) -> str:
    problem = folder_problem(root)
    path = os.path.join(root, STATE_DIR)
    if problem is not None:
        raise StateFolderError(errno.EPERM, problem.split(": ", 1)[1], path)
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(path)
        if folder_problem(root) is not None:  # made a symlink meanwhile
            raise StateFolderError(errno.EPERM, "changed while in use", path)
    return path


def read_state(root: str | Path, name: str) -> tuple[bytes, os.stat_result] | None:
    """The bytes and stat of ``<root>/.nbpost/<name>``; None when it is missing, unreadable, a
    symlink, or the folder is not safe to use."""
    if folder_problem(root) is not None:
        return None
    try:
        fd = os.open(state_path(root, name), _READ_FLAGS)
    except OSError:
        return None  # missing, or a symlink (ELOOP): no state
    try:
        info = os.fstat(fd)
        if not stat_module.S_ISREG(info.st_mode):
            return None
        # The whole file in one read of its size: one buffer, no joining. Read in 1 MiB
        # chunks and joined, the 14 MB build store of a 10,000-post blog took 11 ms instead
        # of 2 (measured 2026-12-07). What it grew by since the fstat is read after.
        chunks = [os.read(fd, max(info.st_size, 1 << 16))]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), info
    except OSError:
        return None
    finally:
        os.close(fd)


def stat_state(root: str | Path, name: str) -> os.stat_result | None:
    """The ``lstat`` of a state file, or None when it is missing or the folder is unsafe."""
    if folder_problem(root) is not None:
        return None
    try:
        return os.lstat(state_path(root, name))
    except OSError:
        return None


def write_state(root: str | Path, name: str, data: bytes | str) -> None:
    """Write ``<root>/.nbpost/<name>`` atomically (see the module docstring); raise
    ``StateFolderError`` when the folder is unsafe and ``OSError`` when the write fails."""
    folder = _usable_folder(root, create=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = os.path.join(folder, name)
    try:
        old: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        old = None
    replace_regenerable(target, payload, old)  # .NAME.PID.tmp, O_EXCL | O_NOFOLLOW, swapped in


def remove_state(root: str | Path, name: str) -> None:
    """Remove a state file if it is there (never following a symlink)."""
    if folder_problem(root) is not None:
        return
    with contextlib.suppress(OSError):
        os.unlink(state_path(root, name))


@contextlib.contextmanager
def locked(root: str | Path, name: str) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``<root>/.nbpost/<name>`` (made if needed) for the block.

    Where the platform has no ``flock`` (Windows) the block runs unlocked. Raises
    ``StateFolderError`` when the folder is not safe to use.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    folder = _usable_folder(root, create=True)
    path = os.path.join(folder, name)
    try:
        fd = os.open(path, _LOCK_FLAGS, 0o666)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.EMLINK):  # ELOOP: a symlink (EMLINK on BSD)
            raise
        os.unlink(path)  # a symlink in nbpost's own folder: never follow it, replace it
        fd = os.open(path, _LOCK_FLAGS | os.O_EXCL, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class StateDocument:
    """A JSON document read from ``.nbpost/``: its object, whether its format is current, and
    the bytes and stat it was read with (to skip a write that would change nothing)."""

    data: dict[str, Any]
    current: bool  # its format version is the one asked for
    raw: bytes
    stat: os.stat_result


def load_document(
    root: str | Path, name: str, version: object, key: str = "version"
) -> StateDocument | None:
    """The JSON object stored as ``<root>/.nbpost/<name>``, or None when there is none.

    Missing, unreadable or unsafe (see ``read_state``) reads as none. So does a damaged file
    (not JSON, or not an object), with a warning: it is local state nbpost rebuilds, never a
    reason for a run to fail. ``current`` tells whether its ``key`` holds ``version``.
    """
    stored = read_state(root, name)
    if stored is None:
        return None
    raw, info = stored
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        import logging  # only here: a build's start-up does not pay for the logging module

        logging.getLogger("nbpost.state").warning(
            "%s: damaged (not a JSON object); starting afresh", state_path(root, name)
        )
        return None
    return StateDocument(data, data.get(key) == version, raw, info)


def save_document(
    root: str | Path,
    name: str,
    document: dict[str, Any],
    encode: Callable[[dict[str, Any]], str] | None = None,
    previous: bytes | None = None,
) -> bool:
    """Write a JSON object as ``<root>/.nbpost/<name>`` (see ``write_state``); return whether
    it was written.

    ``encode`` turns it into text (default: compact JSON, ASCII, the encoder's quicker path
    where a lone surrogate cannot fail the write); the document carries its own format
    version. When ``previous`` (the bytes last read) equals the new text, nothing is written,
    so the file keeps its mtime. Raises as ``write_state`` does.
    """
    text = encode(document) if encode is not None else json.dumps(document, separators=(",", ":"))
    payload = text.encode("utf-8")
    if previous is not None and previous == payload:
        return False
    write_state(root, name, payload)
    return True
