"""The one conversion path: a post in either direction, in memory or onto its target file.

``nbpost convert``, ``nbpost.convert_file`` and ``nbpost.convert_text`` all come here. A
conversion onto an existing notebook keeps the outputs, ids and notebook-only metadata of
every unchanged cell (``nbpost.ipynb.outputs``). An existing target is replaced only when nbpost
wrote it (``nbpost.sync.overwrite``), and what was read and written is recorded in the sync
record that ``nbpost sync`` and JupyterLab saves keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import attachments, ipynb, qmd
from .errors import ConversionError, NbpostError
from .ipynb.outputs import carry_outputs
from .model import Document
from .qmd.layout import front_matter_error
from .sync.overwrite import may_replace, remember
from .sync.record import RecordBook
from .textio import read_input, write_atomic
from .titles import lift_title

Format = Literal["ipynb", "qmd"]


@dataclass
class Options:
    """How to convert: the choices ``nbpost convert`` offers."""

    to: Format
    kernel: str | None = None
    with_ids: bool = False
    title_from_heading: bool = False
    keep_outputs: bool = True  # over an existing notebook (``--no-outputs`` turns it off)
    force: bool = False  # replace a target nbpost did not write


@dataclass
class Converted:
    """A conversion's result: the text to write, attachment files beside it, and a note."""

    text: str
    files: dict[str, bytes]
    kept_outputs: int = 0
    note: str | None = None  # something the user should know about the result


def target_format(path: str | Path, to: Format | None = None) -> Format:
    """The format a file converts to: ``to`` if given, else the other one (like quarto convert)."""
    if to is not None:
        return to
    return "qmd" if Path(path).suffix.lower() == ".ipynb" else "ipynb"


def default_output(path: str | Path, to: Format) -> Path:
    """The output path beside the input, with the other extension."""
    return Path(path).with_suffix(".ipynb" if to == "ipynb" else ".qmd")


def read_document(path: str | Path) -> Document:
    """Read a .qmd/.md or .ipynb file into a Document."""
    source = Path(path)
    if source.suffix.lower() == ".ipynb":
        return ipynb.read(source)
    return qmd.parse(read_input(source), source)


def document_to_qmd(
    doc: Document, *, with_ids: bool = False, title_from_heading: bool = False
) -> str:
    """Write a Document as .qmd text (checking the front matter is valid YAML first)."""
    if title_from_heading:
        lift_title(doc)
    return qmd.emit(doc, with_ids=with_ids)  # raises FrontMatterError on invalid YAML


def convert_document(
    text: str,
    from_notebook: bool,
    options: Options,
    where: str | Path | None,
    target: Path | None = None,
    folder: str | None = None,
) -> Converted:
    """Convert text in either direction. ``target`` is where it goes (None: stdout or memory):
    an existing notebook there gives its outputs to unchanged cells, a text file there
    gets the attachments beside it in ``<stem>_files/attachments`` (else ``data:`` URIs,
    or files in ``folder`` when given)."""
    doc = ipynb.reads(text, where) if from_notebook else qmd.parse(text, where, options.kernel)
    if options.to == "ipynb":
        kept = 0
        old = old_notebook(target) if options.keep_outputs else None
        if old is not None:
            linked = attachments.folder_for(where) if isinstance(where, Path) else None
            kept = carry_outputs(doc, old, linked)
        return Converted(ipynb.dumps(ipynb.to_notebook(doc)), {}, kept)
    if folder is None and target is not None:
        folder = attachments.folder_for(target)
    files = attachments.extract(doc, folder)
    written = document_to_qmd(
        doc, with_ids=options.with_ids, title_from_heading=options.title_from_heading
    )
    note = None
    if from_notebook and (problem := front_matter_error(doc)) is not None:
        line = f" (line {problem.line})" if problem.line else ""
        note = f"the first cell is not front matter{line}, {problem.message}: kept as a raw cell"
    return Converted(written, files, note=note)


def old_notebook(target: Path | None) -> Document | None:
    """The notebook a conversion replaces, to carry its outputs; None when there is none or it
    cannot be read (then only ``force`` replaces it)."""
    if target is None or not target.exists():
        return None
    try:
        return ipynb.read(target)
    except NbpostError:
        return None


def convert_onto(
    source: Path, target: Path, options: Options, book: RecordBook | None = None
) -> tuple[Converted, bool]:
    """Convert ``source`` and write ``target`` (and attachments) unless that would lose the
    target's content; record the pair. Returns the result and whether the target was written
    (False: it already held the result).

    ``book`` is the sync records to record in (saved by the caller); without one the record
    is saved here.
    """
    if target.resolve() == source.resolve():
        raise ConversionError("output would overwrite the input", source)
    text = read_input(source)
    converted = convert_document(text, source.suffix.lower() == ".ipynb", options, source, target)
    records = book if book is not None else RecordBook()
    payload = converted.text.encode("utf-8")
    write = may_replace(source, target, payload, records, force=options.force)
    attachments.write_files(target.parent, converted.files)  # all checked before any is written
    if write:
        write_atomic(target, payload)
    remember(source, target, text.encode("utf-8"), payload, records)
    if book is None:
        records.save()
    return converted, write


def convert_text_onto(
    text: str, from_notebook: bool, options: Options, where: str | Path, target: Path
) -> Converted:
    """Convert text that has no file of its own (stdin) and write ``target`` and its
    attachments; with no source there is no pair to record."""
    converted = convert_document(text, from_notebook, options, where, target)
    attachments.write_files(target.parent, converted.files)  # all checked before any is written
    write_atomic(target, converted.text)
    return converted
