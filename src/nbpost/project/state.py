"""The one ``.nbpost/`` state folder of a project: opened, written and locked without following
a symlink out of the project.

``.nbpost/`` holds local state (the build's cache, manifest and snapshot, the sync record and
its lock). A cloned repository is untrusted (docs/security.md): it may commit ``.nbpost`` as a
symlink to ``~/.ssh`` or to a folder on ``sys.path``, or ``.nbpost/sync.lock`` as a dangling
symlink whose target opening it with ``O_CREAT`` would create. So:

- the folder must be a real folder, or a symlink that resolves inside the project; anything
  else is not used (reads find no state, writes raise ``StateFolderError``);
- state files are read with ``O_NOFOLLOW`` (a symlinked file reads as missing) and written to
  a temporary sibling (``.NAME.PID.tmp``, created with ``O_EXCL | O_NOFOLLOW``) renamed over
  the name, which replaces a symlink instead of writing through it;
- a lock file is opened with ``O_NOFOLLOW``; a symlink in its place is removed (it is not
  nbpost's, and holds nothing) and a regular file made instead.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat as stat_module
from collections.abc import Iterator
from pathlib import Path

from .paths import is_inside

STATE_DIR = ".nbpost"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
_WRITE_FLAGS = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
)
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
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), info
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
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temporary)  # left by a killed process that had this pid
    fd = os.open(temporary, _WRITE_FLAGS, 0o666)
    try:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


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
