"""Replace a file only if it still holds what nbpost read: a compare-and-swap on the file system.

nbpost decides that a file may be replaced after reading it (it is what nbpost last wrote, or
holds nothing the other side lacks). An editor may save the file between that read and the
write; writing blindly would then lose the editor's save. ``replace_guarded`` reads the file
again right before the atomic rename and refuses when it changed, which leaves a window of
one read and one rename (microseconds, or a scheduler's time slice on a loaded machine)
instead of the whole save; and it reads the replaced file again after the rename, through a
handle kept open on it, at once and after a short pause (``LATE_WRITE_GRACE``), so that a
write into it within that window (an append), or by a writer that opened it before the
rename and wrote a moment after, is put back (``tests/jupyter/test_race.py`` lost an appended
line both ways under load). What remains is an editor that renames a whole new file into
place within the window, or one that keeps the file open and writes into it much later. A
file that must not exist yet is created with ``link``, which fails if anything appeared at its
name meanwhile, so creation has no window at all. No other editor takes nbpost's lock, so
this is as close as a file system without transactions allows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import BinaryIO

from ..errors import NbpostError
from ..textio import temporary_copy

# How long after the rename the replaced file is looked at again for a late write into it.
# tests/jupyter/test_race.py lost an appended line in about one run of fifteen on a loaded
# 2-core machine without it; it costs this much per file replaced (a save, a synced side).
LATE_WRITE_GRACE = 0.03


class ChangedMeanwhile(NbpostError):
    """A file changed between nbpost reading it and replacing it; it was left as it is."""


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def replace_guarded(path: str | Path, data: str | bytes, expected: bytes | None) -> bool:
    """Write ``data`` atomically, only while the file still holds ``expected`` (None: absent).

    Returns False when the file already holds ``data`` (nothing to write); raises
    ChangedMeanwhile, writing nothing, when it holds anything else than ``expected``, and
    also when a write into the file raced the rename, after putting that write back.
    """
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    current = _current(target)
    if current == payload:
        return False
    if current != expected:
        raise ChangedMeanwhile("changed on disk while nbpost was saving; left as it is", target)
    target.parent.mkdir(parents=True, exist_ok=True)
    absolute = os.path.abspath(target)
    old = None if current is None else _lstat(absolute)
    late = None
    with temporary_copy(absolute, payload, old) as (tmp, _):  # the old file's mode kept
        if expected is None:
            _create(tmp, target)
        else:
            late = _swap(tmp, target, expected)
    if late is not None:  # outside the block: the put-back writes its own temporary
        _put_back(target, late, payload)
        raise ChangedMeanwhile(
            "changed on disk while nbpost was saving; put back as it was", target
        )
    return True


def _swap(tmp: str, target: Path, expected: bytes) -> bytes | None:
    """Rename ``tmp`` over ``target`` if it still holds ``expected``; afterwards, read the
    replaced file once more through the handle kept on it, and return what it holds if that
    is no longer ``expected``: a write into it that raced the rename (an editor appending, a
    process descheduled between the last look and the rename on a loaded machine), for the
    caller to put back rather than lose."""
    try:
        before = open(target, "rb", buffering=0)  # noqa: SIM115 (open across the rename)
    except FileNotFoundError:
        raise ChangedMeanwhile(
            "removed on disk while nbpost was saving; left as it is", target
        ) from None
    with before:
        if before.read() != expected:  # the last look, right before the rename
            raise ChangedMeanwhile("changed on disk while nbpost was saving; left as it is", target)
        os.replace(tmp, target)
        before.seek(0)
        late = before.read()  # the replaced file, whatever was written into it meanwhile
        if late == expected:
            # A writer that opened the file before the rename may write a moment after it
            # (an append descheduled between its open and its write, on a loaded machine):
            # into the replaced file, out of sight. One more look after a pause catches it.
            time.sleep(LATE_WRITE_GRACE)
            before.seek(0)
            late = before.read()
            if late == expected:
                return None
        return _settled(before, late)


def _settled(handle: BinaryIO, data: bytes, pause: float = 0.01, tries: int = 20) -> bytes:
    """The file's bytes (first read: ``data``) once two reads a moment apart agree: a writer
    that truncates and writes in place may have been between the two."""
    for _ in range(tries):
        time.sleep(pause)
        handle.seek(0)
        again = handle.read()
        if again == data:
            break
        data = again
    return data


def _put_back(target: Path, late: bytes, payload: bytes) -> None:
    """Give ``target`` back the bytes written into it while nbpost replaced it (``late``),
    if it still holds what nbpost wrote; else keep them beside it, never drop them."""
    absolute = os.path.abspath(target)
    with temporary_copy(absolute, late, _lstat(absolute)) as (tmp, _):
        if _current(target) == payload:
            os.replace(tmp, target)
            return
    number = 1
    while True:  # a kept file of an earlier race stays as it is: the next free name
        kept = Path(f"{absolute}.nbpost-kept" + (f"-{number}" if number > 1 else ""))
        try:
            with temporary_copy(str(kept), late, None) as (tmp, _):
                _create(tmp, kept)
            return
        except ChangedMeanwhile:
            number += 1


def _create(tmp: str, target: Path) -> None:
    """Move ``tmp`` to ``target`` only if ``target`` does not exist."""
    try:
        os.link(tmp, target)  # fails if a file appeared at that name meanwhile
    except FileExistsError:
        raise ChangedMeanwhile(
            "appeared on disk while nbpost was saving; left as it is", target
        ) from None
    except OSError:  # a file system without hard links: check, then rename
        if target.exists():
            raise ChangedMeanwhile(
                "appeared on disk while nbpost was saving; left as it is", target
            ) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)


def _lstat(path: str) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
