"""Text decoding and atomic file writes: the only places that touch bytes on disk."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import EncodingError

BOM = "\ufeff"


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
