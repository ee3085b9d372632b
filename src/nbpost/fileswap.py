"""Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``), for files nbpost can
make again.

Why: ext4 (mounted with its default ``auto_da_alloc``) writes a file's data to disk before a
rename over another file returns, so that a crash cannot leave the new name empty. That costs
a build after an edit of a 10,000-post blog 15-20 ms for its three large outputs and its
state (10 ms against 3 for 8.5 MB, measured 2026-12-07 on the benchmark machine). Swapping
the new file with the old one is as atomic for readers (the name always holds the whole old
file or the whole new one) and is not a rename over a file, so nothing waits. The price: a
crash right after may leave the output empty, which the next build finds (its size is not
the one the snapshot recorded) and makes again. A user's own documents never take this path
(``nbpost.textio.replace_file``).

Python has no binding for ``renameat2``; it is called through ``ctypes``, imported on first
use. Elsewhere (macOS, Windows, a C library without it, a file system that refuses the flag)
``swap`` answers False and the caller renames as usual.
"""

from __future__ import annotations

import functools
import os
import stat as stat_module
import sys
from collections.abc import Callable
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """libc's ``renameat2``, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function: Any = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library older than glibc 2.28, or none
        return None
    path, fd = ctypes.c_char_p, ctypes.c_int
    function.argtypes = [fd, path, fd, path, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _exchange(first: str, second: str) -> bool:
    function = _renameat2()
    if function is None:
        return False
    flags = _RENAME_EXCHANGE
    return function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), flags) == 0


def swap_in(new: str, path: str) -> bool:
    """Put the regular file ``new`` at ``path`` in one step and remove what was there, when
    that is a regular file; False (nothing changed) when the platform cannot swap or ``path``
    holds anything else, and the caller renames."""
    if not _exchange(new, path):
        return False  # not swappable here (ENOSYS, EINVAL), or ``path`` is gone: rename
    try:
        was = os.lstat(new).st_mode  # ``new`` now names what was at ``path``
    except OSError:
        was = 0
    if not stat_module.S_ISREG(was):
        # A folder or a link came to ``path`` since its caller looked: put it back untouched;
        # the caller's rename then refuses or replaces it exactly as it would have.
        if not _exchange(new, path):
            raise OSError(f"{path} was moved to {new} and could not be put back")
        return False
    os.unlink(new)
    return True
