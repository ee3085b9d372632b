"""Replace a file only if it still holds what nbpost read: a compare-and-swap on the file system.

nbpost decides that a file may be replaced after reading it (it is what nbpost last wrote, or
holds nothing the other side lacks). An editor may save the file between that read and the
write; writing blindly would then lose the editor's save. ``replace_guarded`` reads the file
again right before the atomic rename and refuses when it changed, which leaves a window of
one read and one rename (microseconds) instead of the whole save. A file that must not exist
yet is created with ``link``, which fails if anything appeared at its name meanwhile, so
creation has no window at all. No other editor takes nbpost's lock, so this is as close as a
file system without transactions allows.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import NbpostError
from ..textio import temporary_copy


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
    ChangedMeanwhile, writing nothing, when it holds anything else than ``expected``.
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
    with temporary_copy(absolute, payload, old) as (tmp, _):  # the old file's mode kept
        if expected is None:
            _create(tmp, target)
        else:
            if _current(target) != expected:  # the last look, right before the rename
                raise ChangedMeanwhile(
                    "changed on disk while nbpost was saving; left as it is", target
                )
            os.replace(tmp, target)
    return True


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
