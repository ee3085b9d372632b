"""Reading posts and notebooks as bytes or text, and nbpost's one atomic file writer.

Every file nbpost writes goes through ``replace_file`` (posts, notebooks), or, when nbpost can
make it again, ``replace_regenerable`` (the blog's outputs through ``OutputWriter``, the
``.nbpost/`` state through ``nbpost.project.state``).
"""

from __future__ import annotations

import contextlib
import os
import stat as stat_module
import threading
from collections.abc import Iterator
from pathlib import Path

from .errors import EncodingError, NbpostError
from .fileswap import swap_in

BOM = "\ufeff"

# The largest inputs the converter reads (docs/security.md). Converting takes about three
# times a notebook's size in memory (a 200 MB notebook reached 623 MB), and a post or
# notebook a blog publishes stays far below these (GitHub refuses files over 100 MB).
MAX_NOTEBOOK_BYTES = 100 * 2**20
MAX_TEXT_BYTES = 20 * 2**20


class InputTooLarge(NbpostError):
    """An input over the size nbpost converts."""


def input_limit(path: str | Path) -> int:
    """The size limit for a post or notebook, by its suffix."""
    return MAX_NOTEBOOK_BYTES if str(path).lower().endswith(".ipynb") else MAX_TEXT_BYTES


def check_size(size: int, path: str | Path | None, limit: int) -> None:
    """Raise InputTooLarge when ``size`` bytes exceed ``limit``."""
    if size > limit:
        raise InputTooLarge(f"{_size(size)} is over the {_size(limit)} nbpost converts", path)


def _size(count: int) -> str:
    return f"{count / 2**20:.0f} MB" if count >= 2**20 else f"{count} bytes"


def read_input_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """A post's or notebook's bytes, refused (InputTooLarge) over its size limit."""
    limit = input_limit(path) if limit is None else limit
    with open(path, "rb") as handle:
        check_size(os.fstat(handle.fileno()).st_size, path, limit)
        data = handle.read(limit + 1)  # a file that grew since the stat is still bounded
    check_size(len(data), path, limit)
    return data


def read_input(path: str | Path, limit: int | None = None) -> str:
    """A post's or notebook's text (``read_text`` with the converter's size limit)."""
    return decode_utf8(read_input_bytes(path, limit), path)


def decode_utf8(data: bytes, path: str | Path | None = None) -> str:
    """Decode UTF-8 bytes, raising an error that names the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise EncodingError(
            f"not valid UTF-8 (byte 0x{bad} at offset {exc.start})", path, line
        ) from None


def read_text(path: str | Path) -> str:
    """Read a UTF-8 file exactly as stored (no newline translation, BOM kept)."""
    with open(path, "rb") as handle:
        return decode_utf8(handle.read(), path)


# Temporaries are named ``.NAME.PID.tmp`` so that the next build can tell a killed process's
# leftovers from a live writer's (``blog/incremental/writeguard.py``). They are opened with
# ``O_EXCL | O_NOFOLLOW``: never through a symlink planted in their place.
_TEMP_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
# Threads of one process share the pid in a temporary's name: one of these locks (chosen by
# the name's hash) keeps two threads from writing the same temporary at once. A fixed stripe
# of locks rather than one per file keeps a 10,000-file build's memory flat.
_TEMP_LOCKS = tuple(threading.Lock() for _ in range(64))


def temporary_name(path: str) -> str:
    """The temporary sibling ``.NAME.PID.tmp`` a write to ``path`` goes through."""
    folder, _, name = path.rpartition(os.sep)
    return f"{folder}{os.sep}.{name}.{os.getpid()}.tmp" if folder else f".{name}.{os.getpid()}.tmp"


def write_all(fd: int, payload: bytes) -> None:
    """Write every byte of ``payload`` to an open file descriptor."""
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


@contextlib.contextmanager
def temporary_copy(
    path: str, payload: bytes, old: os.stat_result | None
) -> Iterator[tuple[str, os.stat_result]]:
    """Write ``payload`` to the temporary sibling of ``path`` and yield (its name, its stat) for
    the caller to rename into place; it is removed if the block raises.

    ``old`` is the ``lstat`` of what is at ``path`` (None when nothing is): a regular file
    keeps its permission bits, a new file gets ``0o666`` less the umask (``os.open`` applies
    it: nothing reads or changes the process-wide umask, which would race with other
    threads). A temporary of the same name left by a killed process that had this pid is
    removed first.
    """
    temporary = temporary_name(path)
    with _TEMP_LOCKS[hash(temporary) % len(_TEMP_LOCKS)]:
        try:
            fd = os.open(temporary, _TEMP_FLAGS, 0o666)
        except FileExistsError:  # no thread of ours holds it (the lock): a dead process's
            os.unlink(temporary)
            fd = os.open(temporary, _TEMP_FLAGS, 0o666)
        try:
            try:
                write_all(fd, payload)
                if old is not None and stat_module.S_ISREG(old.st_mode):
                    os.fchmod(fd, stat_module.S_IMODE(old.st_mode))  # keep the user's mode
                info = os.fstat(fd)
            finally:
                os.close(fd)
            yield temporary, info
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def replace_file(path: str, payload: bytes, old: os.stat_result | None) -> os.stat_result:
    """Write ``payload`` to ``path`` through its temporary sibling renamed over it (a symlink
    there is replaced, never written through); ``old`` as for ``temporary_copy``. Returns the
    new file's stat."""
    with temporary_copy(path, payload, old) as (temporary, info):
        os.replace(temporary, path)
    return info


def replace_regenerable(path: str, payload: bytes, old: os.stat_result | None) -> os.stat_result:
    """``replace_file`` for a file nbpost can make again (a listing output, its own state): a
    regular file there is swapped out in one step where Linux can (``nbpost.fileswap``),
    which ext4 does without first writing the new data to disk. Returns the new file's stat."""
    with temporary_copy(path, payload, old) as (temporary, info):
        if old is None or not stat_module.S_ISREG(old.st_mode) or not swap_in(temporary, path):
            os.replace(temporary, path)
    return info


def write_atomic(path: str | Path, data: str | bytes) -> os.stat_result:
    """Write a file through a temporary sibling and a rename, so readers never see half a file;
    return its stat (see ``replace_file``: a replaced file keeps its mode)."""
    target = os.path.abspath(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    os.makedirs(os.path.dirname(target), exist_ok=True)
    try:
        old: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        old = None
    return replace_file(target, payload, old)


def write_if_changed(path: str | Path, data: str | bytes) -> bool:
    """Write atomically only when the content differs; return whether the file was written."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if target.read_bytes() == payload:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    write_atomic(target, payload)
    return True


def write_new(path: str | Path, data: str | bytes) -> None:
    """Create a file that must not exist yet, atomically: readers never see half of it, and a
    file that appears meanwhile is never replaced (``FileExistsError``)."""
    target = os.path.abspath(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with temporary_copy(target, payload, None) as (temporary, _info):
        os.link(temporary, target)  # unlike a rename, a hard link never replaces a file
        os.unlink(temporary)
