"""Text decoding and atomic file writes: the only places that touch bytes on disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import EncodingError, NbpostError

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


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a file through a temporary sibling and a rename, so readers never see half a file."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        if target.exists():
            # Keep the permissions the user gave the file we replace.
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


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
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.link(tmp, target)  # unlike a rename, a hard link never replaces an existing file
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
