"""What a conversion guarantees, as one comparison that the tests, ``--check`` and the Jupyter
integration all use.

``.ipynb -> .qmd -> .ipynb`` keeps every cell's type and exact source (every byte: edge
blank lines, whitespace-only lines, CRLF), the ``tags`` and ``slideshow`` metadata, raw cell
formats, the kernelspec, and (with ``with_ids``) every cell id. Attachments become files
beside the post, so a cell's ``attachment:`` links point to them afterwards; outputs,
execution counts, ids, attachments and the other notebook-only metadata come back through
the paired (existing) notebook, which ``nbpost sync`` and ``nbpost convert`` keep.

``.qmd -> .ipynb -> .qmd`` gives back the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import attachments, ipynb, qmd
from .model import Cell, Document
from .qmd.cellopts import LIFTED_METADATA_KEYS
from .qmd.kernels import kernel_by_name
from .qmd.layout import quarto_options_from_metadata


def _source(cell: Cell, language: str) -> str:
    if cell.cell_type != "code":
        return cell.source
    # A Quarto option kept in cell metadata ({"echo": false}) is written as a `#|` line, where
    # Quarto gives it priority anyway: compare the options in effect.
    extra = quarto_options_from_metadata(cell, language)
    return "\n".join([*extra, cell.source]) if extra else cell.source


def cell_summary(doc: Document, with_ids: bool = False) -> list[dict[str, Any]]:
    """The parts of each cell a .qmd round trip must keep."""
    summary = []
    language = doc.language
    for cell in doc.cells:
        kept = {k: cell.metadata[k] for k in LIFTED_METADATA_KEYS if k in cell.metadata}
        if cell.cell_type == "raw" and cell.metadata.get("raw_mimetype"):
            kept["raw_mimetype"] = cell.metadata["raw_mimetype"]
        entry: dict[str, Any] = {
            "type": cell.cell_type,
            "source": _source(cell, language),
            "metadata": kept,
        }
        if with_ids and cell.id is not None:
            entry["id"] = cell.id
        summary.append(entry)
    return summary


def notebook_summary(doc: Document, with_ids: bool = False) -> dict[str, Any]:
    """Cells plus kernelspec: what ipynb -> qmd -> ipynb must reproduce."""
    # A notebook without a kernelspec is read as Python, as Jupyter and Quarto read it.
    kernelspec = doc.kernelspec or kernel_by_name("python3")
    return {"kernelspec": kernelspec, "cells": cell_summary(doc, with_ids)}


@dataclass(frozen=True)
class Difference:
    """The first place where a round trip changed a notebook: ``cell`` is 1-based (None for
    the kernelspec), ``kind`` the original cell type, ``what`` a short description."""

    cell: int | None
    kind: str
    what: str

    def __str__(self) -> str:
        if self.cell is None:
            return self.what
        return f"cell {self.cell} ({self.kind}): {self.what}"


def first_difference(before: dict[str, Any], after: dict[str, Any]) -> Difference | None:
    """Where two notebook summaries first differ, described for a person; None if equal."""
    old, new = before["cells"], after["cells"]
    for number, (was, now) in enumerate(zip(old, new, strict=False), 1):
        if was != now:
            return Difference(number, was["type"], describe(was, now))
    if len(old) != len(new):
        number = min(len(old), len(new)) + 1
        if len(old) > len(new):
            return Difference(number, old[number - 1]["type"], "cell lost")
        return Difference(number, new[number - 1]["type"], "a cell appeared that was not there")
    if before["kernelspec"] != after["kernelspec"]:
        return Difference(None, "", "kernelspec changed")
    return None


def describe(was: dict[str, Any], now: dict[str, Any]) -> str:
    """A short description of how one cell's summary changed."""
    if was["type"] != now["type"]:
        return f"became a {now['type']} cell"
    if was["source"] != now["source"]:
        return describe_text(was["source"], now["source"])
    if was["metadata"] != now["metadata"]:
        keys = sorted(set(was["metadata"]) ^ set(now["metadata"])) or sorted(
            k for k in was["metadata"] if was["metadata"][k] != now["metadata"].get(k)
        )
        return f"metadata {', '.join(keys)} changed"
    return "id changed"


def describe_text(was: str, now: str) -> str:
    """How a cell's source changed, in the words a person would use."""
    if "\r" in was and was.replace("\r\n", "\n") == now:
        return "CRLF line ends became LF"
    old, new = was.split("\n"), now.split("\n")
    for edge, step in (("leading", 1), ("trailing", -1)):
        lost = _edge_blank(old[::step]) - _edge_blank(new[::step])
        if lost and was.strip() == now.strip():
            lines = "blank lines" if abs(lost) > 1 else "blank line"
            return f"{edge} {lines} {'dropped' if lost > 0 else 'added'}"
    for number, (a, b) in enumerate(zip(old, new, strict=False), 1):
        if a != b:
            if not a.strip() and not b.strip():
                return f"whitespace-only line {number} changed"
            return f"line {number} changed: {a[:40]!r} became {b[:40]!r}"
    if len(old) > len(new):
        return f"{len(old) - len(new)} line(s) lost at the end"
    return f"{len(new) - len(old)} line(s) added at the end"


def _edge_blank(lines: list[str]) -> int:
    count = 0
    for line in lines:
        if line.strip():
            break
        count += 1
    return count


def notebook_difference(
    text: str, path: str | Path | None = None, with_ids: bool = True
) -> Difference | None:
    """The first way notebook text does not survive ipynb -> qmd -> ipynb (None: it does).

    Attachments are compared as the text writes them (links to files beside the post).
    """
    original = ipynb.reads(text, path)
    attachments.extract(original, attachments.folder_for("post"))
    written = ipynb.reads(text, path)
    attachments.extract(written, attachments.folder_for("post"))
    again = qmd.parse(qmd.emit(written, with_ids=with_ids), path)
    for cell, was in zip(again.cells, original.cells, strict=False):
        if was.id is None:
            cell.id = None  # a notebook older than nbformat 4.5 had no ids to keep
    return first_difference(notebook_summary(original, with_ids), notebook_summary(again, with_ids))


def notebook_round_trips(text: str, path: str | Path | None = None, with_ids: bool = True) -> bool:
    """Whether notebook text survives ipynb -> qmd -> ipynb (see the module docstring)."""
    return notebook_difference(text, path, with_ids) is None


def text_difference(text: str, path: str | Path | None = None) -> str | None:
    """How .qmd text fails to come back byte for byte through a notebook (None: it does)."""
    doc = qmd.parse(text, path)
    again = qmd.emit(ipynb.reads(ipynb.dumps(ipynb.to_notebook(doc))))
    if again == text:
        return None
    old, new = text.split("\n"), again.split("\n")
    for number, (a, b) in enumerate(zip(old, new, strict=False), 1):
        if a != b:
            return f"line {number} changed: {a[:40]!r} became {b[:40]!r}"
    return "lines lost at the end" if len(old) > len(new) else "lines added at the end"


def round_trip_difference(
    text: str, *, source_is_notebook: bool, path: str | Path | None = None
) -> str | None:
    """How a file fails to come back through the other format, in a few words; None when it
    comes back as the guarantee says. What ``convert --check`` reports."""
    if source_is_notebook:
        difference = notebook_difference(text, path)
        return None if difference is None else str(difference)
    return text_difference(text, path)
