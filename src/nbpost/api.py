"""The public Python API: text-level converters and file-level helpers.

Each function is a thin face over the one conversion path (``nbpost.conversion``) and the
round-trip guarantee (``nbpost.roundtrip``); nothing inside nbpost calls this module.

>>> text = "---\\ntitle: Hi\\n---\\n\\nSome *text*.\\n\\n```{python}\\n1 + 1\\n```\\n"
>>> nb = qmd_to_notebook(text)
>>> [cell.cell_type for cell in nb.cells]
['raw', 'markdown', 'code']
>>> notebook_to_qmd(nb) == text
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import attachments, ipynb, qmd
from .conversion import (
    Format,
    Options,
    convert_document,
    convert_onto,
    default_output,
    document_to_qmd,
    read_document,
    target_format,
)
from .roundtrip import round_trip_difference


def qmd_to_notebook(text: str, *, kernel: str | None = None, path: str | None = None) -> Any:
    """Convert .qmd text to an ``nbformat.NotebookNode`` (nbformat 4.5, with cell ids)."""
    import nbformat  # heavy: loaded only by the caller who wants a NotebookNode

    return nbformat.from_dict(ipynb.to_notebook(qmd.parse(text, path, kernel)))


def notebook_to_qmd(
    nb: Mapping[str, Any] | str,
    *,
    with_ids: bool = False,
    title_from_heading: bool = False,
    path: str | None = None,
) -> str:
    """Convert a notebook (a NotebookNode, a dict, or JSON text) to .qmd text.

    Attachments are inlined as ``data:`` URIs here; ``convert_file`` writes them as files.
    """
    if isinstance(nb, str):
        doc = ipynb.reads(nb, path)
    else:
        data = dict(nb)
        ipynb.check(data, path)
        doc = ipynb.to_document(data)  # copies: the caller keeps its notebook
    attachments.extract(doc, None)
    return document_to_qmd(doc, with_ids=with_ids, title_from_heading=title_from_heading)


def convert_text(
    text: str,
    *,
    source_is_notebook: bool,
    to: Format,
    path: str | Path | None = None,
    kernel: str | None = None,
    with_ids: bool = False,
    title_from_heading: bool = False,
    attachments_folder: str | None = None,
) -> tuple[str, dict[str, bytes]]:
    """Convert text in either direction; return the output text and files to write beside it."""
    options = Options(to, kernel=kernel, with_ids=with_ids, title_from_heading=title_from_heading)
    converted = convert_document(text, source_is_notebook, options, path, folder=attachments_folder)
    return converted.text, converted.files


def convert_file(
    source: str | Path,
    output: str | Path | None = None,
    *,
    to: Format | None = None,
    kernel: str | None = None,
    with_ids: bool = False,
    title_from_heading: bool = False,
    force: bool = False,
) -> Path:
    """Convert one file, writing the output atomically; return the output path.

    The output defaults to the input's path with the other extension. The input is never
    overwritten, and an existing output only when nbpost wrote it (``force`` overrides); onto
    an existing notebook, unchanged cells keep their outputs. As ``nbpost convert`` does.
    """
    source = Path(source)
    fmt = target_format(source, to)
    target = Path(output) if output is not None else default_output(source, fmt)
    options = Options(
        fmt, kernel=kernel, with_ids=with_ids, title_from_heading=title_from_heading, force=force
    )
    convert_onto(source, target, options)
    return target


def round_trips(text: str, *, source_is_notebook: bool, path: str | Path | None = None) -> bool:
    """Whether a file converts to the other format and back without loss (for ``--check``)."""
    return round_trip_difference(text, source_is_notebook=source_is_notebook, path=path) is None


__all__ = [
    "convert_file",
    "convert_text",
    "document_to_qmd",
    "notebook_to_qmd",
    "qmd_to_notebook",
    "read_document",
    "round_trip_difference",
    "round_trips",
]
