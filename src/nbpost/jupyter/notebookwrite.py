"""Jupyter's own write of a notebook, during a save nbpost takes part in: noted and guarded.

A paired save records the exact bytes Jupyter wrote (the sync record's, ``written``), and
Jupyter's write of a paired notebook replaces it only while it still holds the bytes the
save's plan read (``write_guarded``): an editor that saved the ``.ipynb`` in between keeps its
save, as for every file nbpost writes (``sync.guarded``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import nbformat

from ..sync.guarded import replace_guarded

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


def write_guarded(os_path: str, text: str) -> bool:
    """Write a notebook Jupyter saves, if the current save guards it, only while it still
    holds what the plan read (``ChangedMeanwhile`` otherwise); False when not guarded (Jupyter
    then writes it itself)."""
    expected = _EXPECTED.get()
    key = os.path.abspath(os_path)
    if expected is None or key not in expected:
        return False
    replace_guarded(os_path, text, expected[key])
    return True
