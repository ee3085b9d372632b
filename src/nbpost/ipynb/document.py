"""Jupyter notebook JSON <-> Document, without importing nbformat on the hot path.

nbformat costs most of a second to import (it loads jsonschema), which a pre-commit hook or a
``pre-render`` step pays on every run, so notebooks are read and written here with the json
module. ``dumps`` writes exactly what ``nbformat.writes`` writes (tested), and ``check``
enforces the parts of the nbformat 4 schema a converter relies on; the test suite validates
every notebook we write with ``nbformat.validate``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from ..errors import NotebookError
from ..frontmatter import notebook_front_matter_index
from ..model import LAYOUT_KEY, Cell, Document
from ..qmd import layoutfacts
from ..qmd.ids import assign_ids
from ..qmd.layout import is_front_matter_cell
from ..textio import read_input
from . import check as notebook_check
from .jsonwrite import notebook_text

CELL_TYPES = notebook_check.CELL_TYPES


def loads(text: str, path: str | Path | None = None) -> dict[str, Any]:
    """Parse notebook JSON text and check it (``notebook_check``); raise NotebookError."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError.invalid_json(exc, path) from None
    except RecursionError:
        raise NotebookError(
            f"JSON nested more than {notebook_check.MAX_DEPTH} levels deep", path
        ) from None
    check(data, path, strings=notebook_check.may_hold_surrogates(text))
    return data


check = notebook_check.check


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars); anything else goes to copy.deepcopy.

    About four times quicker than ``copy.deepcopy``, which keeps a memo of every object for
    shared and cyclic references that notebook JSON cannot hold.
    """
    kind = type(value)
    if kind is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if kind is list:
        return [copy_json(item) for item in value]
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    return copy.deepcopy(value)


usable_id = notebook_check.usable_id


def _same(value: Any) -> Any:
    return value


def reads(text: str, path: str | Path | None = None) -> Document:
    """Parse and check notebook JSON text (``loads``) into a Document."""
    # the data was parsed here and is not seen elsewhere: the Document takes its values
    # as they are, not copies (a third of to_document's time on the corpus's converted
    # posts with an output per code cell, 4.9 -> 3.4 ms)
    return to_document(loads(text, path), owned=True)


def to_document(data: dict[str, Any], *, owned: bool = False) -> Document:
    """Turn checked notebook JSON into a Document (outputs and attachments kept as they are).

    The Document holds copies of the data's values, unless ``owned`` says the caller gives
    the data away (it is not used again, so nothing is shared with it).
    """
    copy = _same if owned else copy_json
    metadata = copy(data.get("metadata", {}))
    if LAYOUT_KEY in metadata:
        layoutfacts.clean(metadata, layoutfacts.DOCUMENT_FACTS, LAYOUT_KEY)
    cells: list[Cell] = []
    for raw in data["cells"]:
        # kept as it is, CRLF included (notebooks saved on Windows carry it in their strings):
        # the .qmd then holds those lines with their CR, and gives them back
        source = _text(raw.get("source", ""))
        raw_metadata = raw.get("metadata")
        cell_metadata = copy(raw_metadata) if raw_metadata else {}
        if LAYOUT_KEY in cell_metadata:
            layoutfacts.clean(cell_metadata, layoutfacts.CELL_FACTS, LAYOUT_KEY)
        # Colab keeps its ids in metadata; an id nbformat 4.5 would refuse is not used
        cell_id = usable_id(raw.get("id")) or (
            usable_id(cell_metadata["id"]) if "id" in cell_metadata else None
        )
        cell = Cell(raw["cell_type"], source, cell_metadata, cell_id)
        if cell.cell_type == "code":
            cell.outputs = copy(raw.get("outputs", []))
            count = raw.get("execution_count")
            cell.execution_count = count if isinstance(count, int) else None
        if raw.get("attachments") is not None and cell.cell_type != "code":
            cell.attachments = copy(raw["attachments"])  # kept even empty, as written
        cells.append(cell)
    minor = data.get("nbformat_minor", 5)
    return Document(cells=cells, metadata=metadata, nbformat_minor=minor if minor > 5 else 5)


def to_notebook(doc: Document) -> dict[str, Any]:
    """Turn a Document into nbformat 4.5 notebook JSON data (every cell has an id)."""
    if any(not cell.id for cell in doc.cells):
        assign_ids(doc.cells, doc.language)
    cells = []
    for cell in doc.cells:
        entry: dict[str, Any] = {
            "cell_type": cell.cell_type,
            "id": cell.id,
            "metadata": cell.metadata,
            "source": cell.source,
        }
        if cell.cell_type == "code":
            entry["execution_count"] = cell.execution_count
            entry["outputs"] = cell.outputs
        elif cell.attachments is not None and cell.cell_type in ("markdown", "raw"):
            entry["attachments"] = cell.attachments
        cells.append(entry)
    return {
        "cells": cells,
        "metadata": doc.metadata,
        "nbformat": 4,
        "nbformat_minor": doc.nbformat_minor,
    }


def dumps(data: dict[str, Any]) -> str:
    """Serialise notebook JSON exactly as ``nbformat.writes`` does, with a final newline."""
    return notebook_text(data)


def read(path: str | Path) -> Document:
    """Read a .ipynb file into a Document."""
    return reads(read_input(path), path)


def front_matter_cell(doc: Document) -> Cell | None:
    """The notebook's front matter cell when the converter writes it as the ``.qmd``'s own.

    Where the front matter is, ``frontmatter.notebook_front_matter_index`` decides (Quarto's
    rule). Conversion keeps every cell in place, so only a first cell that is exactly one YAML
    mapping becomes the text's front matter; one further down stays where it is (Quarto reads
    a YAML block anywhere in a ``.qmd`` too).
    """
    if notebook_front_matter_index((cell.cell_type, cell.source) for cell in doc.cells) != 0:
        return None
    return doc.cells[0] if is_front_matter_cell(doc.cells[0]) else None
