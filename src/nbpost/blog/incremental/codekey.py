"""nbpost's own code as part of a cache key: a build by other code must not trust old results.

Every module of the package counts (a date rule in ``blog/read/dates.py`` shapes the outputs
as much as a renderer does), so no hand-kept list can miss one. Both keys are computed once
per process.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from ... import __version__

PACKAGE = Path(__file__).resolve().parent.parent.parent


@functools.cache
def package_sources() -> tuple[str, ...]:
    """The paths of every ``.py`` file of the nbpost package, sorted."""
    found: list[str] = []
    for folder, subfolders, files in os.walk(PACKAGE):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        found.extend(os.path.join(folder, name) for name in files if name.endswith(".py"))
    return tuple(sorted(found))


@functools.cache
def code_digest() -> bytes:
    """A digest of nbpost's version and the source of every module (about 5 ms, once)."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in package_sources():
        digest.update(os.path.relpath(path, PACKAGE).encode() + b"\0")
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
    return digest.digest()


@functools.cache
def code_stamp() -> str:
    """The name, size and mtime of every module: the cheap key of the no-change path."""
    parts: list[str] = []
    for path in package_sources():
        try:
            stat = os.stat(path)
        except OSError:
            continue
        parts.append(f"{os.path.relpath(path, PACKAGE)}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\0".join(parts)
