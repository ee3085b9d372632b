"""Both directions of a sync, as pure text functions (no file I/O).

Text -> notebook rebuilds every cell from the text and lets ``nbpost.ipynb.outputs.carry_outputs``
(the rule ``nbpost convert`` uses onto an existing notebook) bring back outputs, execution
counts, ids and notebook-only metadata for the cells whose source did not change; a cell
whose pasted image became a file link in the text gets the embedded attachment back.

Notebook -> text keeps the text's kernel: the chunk languages and the ``jupyter:`` block are
the post's, and picking another kernel in JupyterLab (notebook metadata) never rewrites them.
Only an edit of the kernel keys (``jupyter:``, ``engine:``) in the front matter cell does.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from .. import attachments, ipynb, qmd
from ..errors import ConversionError, NbpostError, NotebookError
from ..frontmatter import find_front_matter
from ..ipynb.outputs import carry_outputs
from ..model import Document
from ..qmd import kernels
from ..qmd.layout import front_matter_error, front_matter_mapping
from ..roundtrip import notebook_summary

# A .qmd written with --with-ids carries ids as `#| id:` lines or in cell markers; a rewrite
# keeps that choice so syncing never adds or strips ids the user chose.
_IDS_RE = re.compile(r'(?m)^\s*\S{1,3}\|\s*id\s*:|^<!-- .*"id": ')


def notebook_from_text(
    qmd_text: str,
    old_notebook: str | None,
    path: str | Path | None = None,
    notebook_path: str | Path | None = None,
    kernel: str | None = None,
) -> tuple[str, int]:
    """Notebook JSON text built from .qmd text, keeping what ``old_notebook`` may keep.

    Returns the text and how many code cells kept their outputs. ``path`` names the text
    file in errors, ``notebook_path`` the old notebook (defaults to ``path``); ``kernel``
    overrides the kernel the text implies, as ``nbpost convert --kernel`` does.
    """
    doc = qmd.parse(qmd_text, path, kernel)
    kept = 0
    if old_notebook is not None:
        old = ipynb.reads(old_notebook, notebook_path or path)
        # with the folder, a cell whose pasted image became a file link gets it back embedded
        folder = attachments.folder_for(path) if path is not None else None
        kept = carry_outputs(doc, old, folder)
    return ipynb.dumps(ipynb.to_notebook(doc)), kept


_KERNEL_KEYS = ("jupyter", "engine")


def _kernel_keys(doc: Document) -> dict[str, Any]:
    """The front matter cell's kernel keys (``jupyter:``, ``engine:``), as written."""
    cell = ipynb.front_matter_cell(doc)
    if cell is None:
        return {}
    meta = front_matter_mapping(cell.source) or {}
    return {key: meta[key] for key in _KERNEL_KEYS if key in meta}


def keep_text_kernel(doc: Document, old_text: str, qmd_path: str | Path | None) -> None:
    """Give a notebook the kernel its text says, so writing it keeps the chunk languages.

    The kernel the text implies stays unless the notebook's front matter cell changed the
    kernel keys (then those decide, read as Quarto reads a post). A text that no longer reads
    leaves the notebook's own kernel.
    """
    try:
        old = qmd.parse(old_text, qmd_path)
    except NbpostError:
        return
    keys = _kernel_keys(doc)
    if keys == _kernel_keys(old):
        spec = old.kernelspec
    else:
        spec = kernels.kernelspec_from_meta(keys, [old.language])
    doc.metadata["kernelspec"] = copy.deepcopy(spec)
    doc.metadata["language_info"] = kernels.language_info_for(spec)


def notebook_document(
    notebook_text: str,
    old_text: str | None,
    path: str | Path | None = None,
    qmd_path: str | Path | None = None,
) -> Document:
    """A notebook as the Document its text is written from (with the text's kernel)."""
    doc = ipynb.reads(notebook_text, path)
    if old_text is not None:
        if not isinstance(doc.metadata.get("kernelspec", {}), dict):
            raise NotebookError("notebook metadata 'kernelspec' must be a mapping", path)
        keep_text_kernel(doc, old_text, qmd_path or path)
    return doc


def text_from_notebook(
    notebook_text: str,
    old_text: str | None = None,
    path: str | Path | None = None,
    qmd_path: str | Path | None = None,
    with_ids: bool | None = None,
) -> tuple[str, dict[str, str | bytes]]:
    """The .qmd text of a notebook, plus attachment files to write beside it.

    ``old_text`` is the text file being replaced: when it holds cell ids, the new text does
    too (``with_ids`` decides instead when given), and its kernel stays (``keep_text_kernel``).
    Attachments go to ``<stem>_files/attachments/`` beside ``qmd_path`` (inlined as ``data:``
    URIs when no path is given), as ``nbpost convert`` does.

    When the text being replaced has front matter and the notebook's first cell is shaped as
    front matter but is not valid YAML (a typo made in Jupyter), this raises that
    FrontMatterError rather than write the post without its front matter: ``nbpost
    convert`` writes such a cell as a raw cell, but a post being kept in sync keeps its
    front matter.
    """
    doc = notebook_document(notebook_text, old_text, path, qmd_path)
    problem = front_matter_error(doc) if old_text and old_text.startswith("---") else None
    if problem is not None and _has_front_matter(old_text or ""):
        raise problem.with_path(path) if path is not None else problem
    folder = attachments.folder_for(qmd_path) if qmd_path is not None else None
    files: dict[str, str | bytes] = dict(attachments.extract(doc, folder))
    if with_ids is None:
        with_ids = bool(old_text and _IDS_RE.search(old_text))
    return qmd.emit(doc, with_ids=with_ids), files  # raises FrontMatterError on invalid YAML


def _has_front_matter(text: str) -> bool:
    try:
        return find_front_matter(text.split("\n")) is not None
    except NbpostError:
        return True  # opened and never closed: the post meant to have one


class TextLosesCells(ConversionError):
    """The text made from a notebook would not give back its cells; ``cell`` is the first
    that differs (1-based)."""

    def __init__(self, message: str, path: str | Path | None, cell: int):
        super().__init__(message, path)
        self.cell = cell


def check_text_keeps_notebook(
    notebook_text: str,
    text: str,
    notebook_path: Path,
    qmd_path: Path,
    old_text: str | None = None,
) -> None:
    """Raise TextLosesCells unless ``text`` gives back the notebook's cells and kernel.

    The cells are compared as ``text_from_notebook`` writes them: attachment links point to
    the files written beside the text, and the kernel is the one ``old_text`` (the text being
    replaced) keeps.
    """
    notebook = notebook_document(notebook_text, old_text, notebook_path, qmd_path)
    attachments.extract(notebook, attachments.folder_for(qmd_path))
    expected = notebook_summary(notebook)
    got = notebook_summary(qmd.parse(text, qmd_path))
    if got != expected:
        cell = _first_difference(got["cells"], expected["cells"])
        raise TextLosesCells(
            f"not written: the notebook would not survive as text in {qmd_path} "
            f"(first difference at cell {cell})",
            notebook_path,
            cell,
        )


def _first_difference(got: list[Any], expected: list[Any]) -> int:
    for number, (mine, theirs) in enumerate(zip(got, expected, strict=False), 1):
        if mine != theirs:
            return number
    return min(len(got), len(expected)) + 1
