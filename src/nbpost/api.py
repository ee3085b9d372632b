"""The public Python API: text-level converters and file-level helpers.

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
from typing import Any, Literal

from . import attachments, ipynb, qmd
from .model import Document
from .textio import read_input

Format = Literal["ipynb", "qmd"]
TEXT_SUFFIXES = (".qmd", ".md", ".markdown", ".rmd")


def qmd_to_notebook(text: str, *, kernel: str | None = None, path: str | None = None) -> Any:
    """Convert .qmd text to an ``nbformat.NotebookNode`` (nbformat 4.5, with cell ids)."""
    import nbformat

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
    data = ipynb.loads(nb, path) if isinstance(nb, str) else dict(nb)
    if not isinstance(nb, str):
        ipynb.check(data, path)
    doc = ipynb.to_document(data)
    attachments.extract(doc, None)
    return document_to_qmd(doc, with_ids=with_ids, title_from_heading=title_from_heading)


def document_to_qmd(
    doc: Document, *, with_ids: bool = False, title_from_heading: bool = False
) -> str:
    """Write a Document as .qmd text (checking the front matter is valid YAML first)."""
    if title_from_heading:
        from .titles import lift_title

        lift_title(doc)
    return qmd.emit(doc, with_ids=with_ids)  # raises FrontMatterError on invalid YAML


def read_document(path: str | Path) -> Document:
    """Read a .qmd/.md or .ipynb file into a Document."""
    source = Path(path)
    if source.suffix.lower() == ".ipynb":
        return ipynb.read(source)
    return qmd.parse(read_input(source), source)


def target_format(path: str | Path, to: Format | None = None) -> Format:
    """The format a file converts to: ``to`` if given, else the other one (like quarto convert)."""
    if to is not None:
        return to
    return "qmd" if Path(path).suffix.lower() == ".ipynb" else "ipynb"


def default_output(path: str | Path, to: Format) -> Path:
    """The output path beside the input, with the other extension."""
    return Path(path).with_suffix(".ipynb" if to == "ipynb" else ".qmd")


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
    if source_is_notebook:
        doc = ipynb.to_document(ipynb.loads(text, path))
    else:
        doc = qmd.parse(text, path, kernel)
    if to == "ipynb":
        return ipynb.dumps(ipynb.to_notebook(doc)), {}
    files = attachments.extract(doc, attachments_folder)
    return document_to_qmd(doc, with_ids=with_ids, title_from_heading=title_from_heading), files


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
    from .conversion import Options, convert_onto

    source = Path(source)
    fmt = target_format(source, to)
    target = Path(output) if output is not None else default_output(source, fmt)
    options = Options(
        fmt, kernel=kernel, with_ids=with_ids, title_from_heading=title_from_heading, force=force
    )
    convert_onto(source, target, options)
    return target


def round_trip_difference(
    text: str, *, source_is_notebook: bool, path: str | Path | None = None
) -> str | None:
    """How a file fails to come back through the other format, in a few words; None when it
    comes back as the guarantee says (``nbpost.roundtrip``). Used by ``convert --check``."""
    from .roundtrip import notebook_difference, text_difference

    if source_is_notebook:
        difference = notebook_difference(text, path)
        return None if difference is None else str(difference)
    return text_difference(text, path)


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
