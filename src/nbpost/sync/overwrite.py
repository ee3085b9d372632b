"""When ``nbpost convert`` may replace an existing output: the one notion of "nbpost wrote this".

``convert``, ``sync`` and Jupyter saves share the sync record (``.nbpost/sync.json``): each
remembers the bytes it read and wrote for a pair. An existing target is replaced only when
it is exactly what nbpost last wrote or recorded for that pair (so nothing in it would be
lost), or when the user says so (``--force``); a target that already holds the result is
left alone. Anything else (edited since, or never written by nbpost) is refused with one
line naming the file, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConversionError, NbpostError
from ..textio import decode_utf8
from .convert import text_from_notebook
from .pairs import Pair, is_notebook
from .record import RecordBook, digest


class TargetChanged(ConversionError):
    """The output file holds content nbpost did not write: replacing it could lose edits."""


def pair_of(source: Path, target: Path) -> Pair:
    """The pair a conversion writes: the notebook side and the text side, whichever is which."""
    return Pair(target, source) if is_notebook(source) else Pair(source, target)


def _nbpost_wrote(book: RecordBook, pair: Pair, target: Path, current: bytes) -> bool:
    """Whether ``current`` (the target's bytes) holds nothing nbpost did not record.

    True when it is the recorded side of the pair, or, for a notebook, when only its outputs
    and metadata changed since (its cells still say the recorded text): the rule by which
    ``nbpost sync`` lets the text win, keeping those outputs on unchanged cells.
    """
    entry = book.for_pair(pair).get(pair)
    if entry is None:
        return False
    if target != pair.ipynb:
        return entry.qmd_sha256 == digest(current)
    if entry.ipynb_sha256 == digest(current):
        return True
    try:
        projected, _ = text_from_notebook(decode_utf8(current, target), None, target, pair.qmd)
    except NbpostError:
        return False  # a notebook nbpost cannot read is not one it wrote
    return digest(projected.encode("utf-8")) == entry.qmd_sha256


def may_replace(
    source: Path, target: Path, result: bytes, book: RecordBook, force: bool = False
) -> bool:
    """Whether ``target`` may be written with ``result``; False when it already holds it.

    Raises TargetChanged when the target exists, differs from ``result``, and is not what
    the sync record says nbpost last wrote for the pair (unless ``force``).
    """
    try:
        current = target.read_bytes()
    except FileNotFoundError:
        return True
    if current == result:
        return False
    if force or _nbpost_wrote(book, pair_of(source, target), target, current):
        return True
    raise TargetChanged(
        f"not overwritten: it differs from what nbpost last wrote from {source.name} "
        f"(edited since, or not converted here before); 'nbpost sync {source}' settles "
        "the pair, --force replaces it",
        target,
    )


def remember(
    source: Path, target: Path, source_bytes: bytes, target_bytes: bytes, book: RecordBook
) -> None:
    """Record the bytes a conversion read and wrote, as sync and Jupyter saves record a pair."""
    pair = pair_of(source, target)
    qmd, notebook = (
        (target_bytes, source_bytes) if target == pair.qmd else (source_bytes, target_bytes)
    )
    book.for_pair(pair).put(pair, qmd, notebook)
