"""Jupyter's own write of a notebook, during a save nbpost takes part in: noted and guarded.

A paired save records the exact bytes Jupyter wrote (the sync record's, ``written``), and
Jupyter writes a paired notebook only while it still holds the bytes the save's plan read
(``check_unchanged``): an editor that saved the ``.ipynb`` in between keeps its save, as for
every file nbpost writes (``sync.guarded``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import nbformat

from ..sync.guarded import ChangedMeanwhile

# The bytes Jupyter wrote per notebook (absolute path) during the current save.
_WRITTEN: ContextVar[dict[str, bytes] | None] = ContextVar("nbpost_written", default=None)
# A paired notebook's bytes as the save's plan read them (None: it did not exist).
_EXPECTED: ContextVar[dict[str, bytes | None] | None] = ContextVar("nbpost_expected", default=None)


def serialize(nb: Any, capture_validation_error: Any = None) -> str:
    """A notebook as Jupyter writes it (``nbformat.write``: a final newline added)."""
    text = nbformat.writes(
        nb, version=nbformat.NO_CONVERT, capture_validation_error=capture_validation_error
    )
    return text if text.endswith("\n") else text + "\n"


def note_written(os_path: str, text: str) -> None:
    """Remember the bytes Jupyter wrote for a notebook during the current save."""
    written = _WRITTEN.get()
    if written is not None:
        written[os.path.abspath(os_path)] = text.encode("utf-8")


def written(os_path: str | os.PathLike[str]) -> bytes | None:
    """The bytes Jupyter wrote for a notebook during the current save, if it wrote it."""
    return (_WRITTEN.get() or {}).get(os.path.abspath(os_path))


@contextlib.contextmanager
def capturing(expected: dict[str, bytes | None]) -> Iterator[None]:
    """Note what Jupyter writes meanwhile; guard its writes of the notebooks in ``expected``
    (absolute path -> the bytes the save's plan read)."""
    token, guard = _WRITTEN.set({}), _EXPECTED.set(expected)
    try:
        yield
    finally:
        _WRITTEN.reset(token)
        _EXPECTED.reset(guard)


def check_unchanged(os_path: str) -> None:
    """Raise ``ChangedMeanwhile`` when the current save guards this notebook and it no longer
    holds what the save's plan read (an editor saved it since).

    Checked right before Jupyter's own write, which then writes as Jupyter always does (in
    place, through a symlink, synced to disk, as its settings say): the window left is that
    write's own, as without nbpost, not the whole save's.
    """
    expected = _EXPECTED.get()
    key = os.path.abspath(os_path)
    if expected is None or key not in expected:
        return
    try:
        with open(os_path, "rb") as handle:
            current: bytes | None = handle.read()
    except FileNotFoundError:
        current = None
    if current != expected[key]:
        raise ChangedMeanwhile("changed on disk while nbpost was saving; left as it is", key)
