"""What a plain ipynb -> qmd -> ipynb round trip keeps, as one comparable summary.

A .qmd keeps every cell's type and source, the ``tags`` and ``slideshow`` metadata, raw cell
formats, the kernelspec, and (with ``with_ids``) every cell id. It does not keep outputs,
execution counts, UI state (``collapsed``, ``scrolled``, ``jupyter``), execution timings or
editor metadata: those live in the paired notebook, which ``nbpost sync`` preserves.
Markdown and raw cell sources lose leading and trailing blank lines (Jupyter does not show
them, and a .qmd keeps blank lines between cells as layout).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import ipynb, qmd
from .cellopts import LIFTED_METADATA_KEYS
from .layout import quarto_options_from_metadata, trim_blank_lines
from .model import Document


def cell_summary(doc: Document, with_ids: bool = False) -> list[dict[str, Any]]:
    """The parts of each cell a .qmd round trip must keep."""
    summary = []
    for cell in doc.cells:
        source = cell.source.replace("\r\n", "\n")
        if cell.cell_type == "code":
            # A Quarto option kept in cell metadata ({"echo": false}) is written as a `#|` line,
            # where Quarto gives it priority anyway; compare the options in effect.
            language = doc.language
            extra = quarto_options_from_metadata(cell, language)
            source = "\n".join([*extra, source]) if extra else source
        else:
            source = "\n".join(trim_blank_lines(source.split("\n")))
        kept = {k: cell.metadata[k] for k in LIFTED_METADATA_KEYS if k in cell.metadata}
        if cell.cell_type == "raw" and cell.metadata.get("raw_mimetype"):
            kept["raw_mimetype"] = cell.metadata["raw_mimetype"]
        entry: dict[str, Any] = {"type": cell.cell_type, "source": source, "metadata": kept}
        if with_ids and cell.id is not None:
            entry["id"] = cell.id
        summary.append(entry)
    return summary


def notebook_summary(doc: Document, with_ids: bool = False) -> dict[str, Any]:
    """Cells plus kernelspec: what ipynb -> qmd -> ipynb must reproduce."""
    from .kernels import kernel_by_name

    # A notebook without a kernelspec is read as Python, as Jupyter and Quarto read it.
    kernelspec = doc.kernelspec or kernel_by_name("python3")
    return {"kernelspec": kernelspec, "cells": cell_summary(doc, with_ids)}


def notebook_round_trips(text: str, path: str | Path | None = None, with_ids: bool = True) -> bool:
    """Whether notebook text survives ipynb -> qmd -> ipynb (see the module docstring)."""
    original = ipynb.to_document(ipynb.loads(text, path))
    before = notebook_summary(original, with_ids)
    qmd_text = qmd.emit(ipynb.to_document(ipynb.loads(text, path)), with_ids=with_ids)
    again = qmd.parse(qmd_text, path)
    for cell, was in zip(again.cells, original.cells, strict=False):
        if was.id is None:
            cell.id = None  # a notebook older than nbformat 4.5 had no ids to keep
    return notebook_summary(again, with_ids) == before
