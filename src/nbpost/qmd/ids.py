"""Cell ids: deterministic, and readable where a chunk has a ``#| label``.

The same file always gives the same ids (a short hash of the cell's type and source), so
converting twice gives the same notebook; a labelled chunk gets Quarto's readable id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..model import Cell
from . import cellopts


def label_id(cell: Cell, language: str) -> str | None:
    """A readable cell id from a chunk's ``#| label`` (Quarto's jupyterAutoIdentifier rules)."""
    if cell.cell_type != "code":
        return None
    source = cell.source
    # an option line starts with the language's comment characters ("#|", "--|"): most
    # chunks have none, and need no splitting to say so
    if not source.startswith(cellopts.comment_chars(language)):
        return None
    lines = source.split("\n")
    count = cellopts.option_block_length(lines, language)
    if not count:
        return None
    for entry in cellopts.parse_entries(lines[:count], language, frozenset({"label"})):
        if entry.key == "label" and entry.parsed and isinstance(entry.value, str):
            text = unicodedata.normalize("NFKD", entry.value).encode("ascii", "ignore").decode()
            text = re.sub(r"\s+", "-", text.strip())
            text = re.sub(r"[^A-Za-z0-9_-]", "", text)
            text = re.sub(r"^[^A-Za-z]+", "", text)[:64]
            return text or None
    return None


def base_id(cell: Cell, language: str) -> str:
    """The id ``assign_ids`` starts from: a label's, else a short hash of type and source."""
    base = label_id(cell, language)
    if base is None:
        # the same digest as of f"{type}\n{source}", without copying the source first
        hashed = hashlib.sha1(f"{cell.cell_type}\n".encode())
        hashed.update(cell.source.encode())
        base = hashed.hexdigest()[:8]
    return base


def is_assigned(cell: Cell, language: str) -> bool:
    """Whether a cell's id is one ``assign_ids`` would give it (not one its text names)."""
    if not cell.id:
        return False
    base = base_id(cell, language)
    return cell.id == base or cell.id.startswith(base[:60] + "-")


def assign_ids(cells: list[Cell], language: str) -> None:
    """Give every cell without an id a deterministic one (readable from a label if any)."""
    used = {cell.id for cell in cells if cell.id}
    for cell in cells:
        if cell.id:
            continue
        base = base_id(cell, language)
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base[:60]}-{number}"
        cell.id = candidate
        used.add(candidate)
