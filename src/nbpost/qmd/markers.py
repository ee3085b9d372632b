"""Cell markers: when the writer puts ``<!-- cell ... -->`` before a cell, and what it says.

A marker starts a cell the text alone would not start (two adjacent markdown cells, a raw
cell), says that a chunk's option lines are all its source's own (``<!-- cell code -->``
before a notebook cell whose source starts with ``#| id: foo`` or ``#| tags: [a]``),
carries what Quarto markdown has no syntax for (``tags``, an unusual ``raw_mimetype``, the
id with ``--with-ids``) and tells the reader how to read a text cell back exactly
(``nbpost.qmd.textcells``: edge blank lines, escaped chunk syntax, a closing line, a count of
verbatim lines). Quarto and pandoc render a marker as nothing (quarto-cli#4195).
"""

from __future__ import annotations

from typing import Any

from ..model import Cell
from . import cellopts, textcells
from .layout import starts_like_front_matter
from .rawformats import mimetype_to_format
from .scan import format_marker, parse_marker
from .textcells import Executable, TextForm, text_facts

__all__ = ["marker_data", "marker_line", "needs_marker", "text_facts", "text_form"]


def is_fenced_raw(cell: Cell) -> bool:
    """Whether a cell is written as a ```` ```{=format} ```` block (a raw cell with a format)."""
    return (
        cell.cell_type == "raw"
        and mimetype_to_format(cell.metadata.get("raw_mimetype")) is not None
    )


def text_form(
    cell: Cell, language: str, executable: Executable | None = None, last: bool = False
) -> TextForm:
    """How a text cell's source is written after its marker (``nbpost.qmd.textcells``)."""
    if executable is None:
        executable = textcells.executable_for(language, False)
    literal = cell.layout.get("literal") is True
    if is_fenced_raw(cell):
        return textcells.block_form(cell.source, language, executable, literal=literal)
    return textcells.text_form(
        cell.source,
        language,
        executable,
        literal=literal,
        raw=cell.cell_type == "raw",
        last=last,
    )


def keeps_options(cell: Cell, language: str) -> bool:
    """Whether a code cell's source holds option lines the reader would lift out of it
    (``#| id:``, ``#| tags:``, ``#| slideshow:`` of the notebook's author): they are written as
    they are, under a ``<!-- cell code -->`` marker, and the cell's own id and metadata go in
    the marker."""
    source = cell.source
    if cell.cell_type != "code" or not source.startswith(cellopts.comment_chars(language)):
        return False  # most chunks have no option line at all
    if "id:" not in source and "tags:" not in source and "slideshow:" not in source:
        return False  # an option line's key is followed by ":" at once (cellopts._KEY_RE)
    lines = source.split("\n")
    wanted = {k: cell.metadata[k] for k in cellopts.LIFTED_METADATA_KEYS if k in cell.metadata}
    written = cellopts.join_options(lines, None, wanted, language, cell.layout.get("options"))
    again = cellopts.split_options(written, language)
    # would the chunk written without a marker read back as this cell?
    if again.cell_id is not None or again.metadata != wanted or again.source_lines != lines:
        return True
    # It would with a key written twice (the cell's own line, then its metadata's), but Quarto
    # refuses such a chunk: js-yaml's "duplicated mapping key" (partitionCellOptions in
    # src/core/lib/partition-cell-options.ts reads the block without its `json` option). A
    # .qmd's author may have written one: that block is a layout fact, written back as it was.
    return again.repeated and again.block != cell.layout.get("options")


def marker_data(
    cell: Cell,
    with_ids: bool,
    front_matter: bool = False,
    language: str = "python",
    form: TextForm | None = None,
) -> dict[str, Any]:
    """What a marker must carry for this cell: how to read its text, its id (on request) and
    lifted metadata. ``form`` is the cell's ``text_form`` when the caller has it already."""
    data: dict[str, Any] = {}
    if front_matter:
        lead, _, trail = textcells.split_edges(cell.source)
        if lead:
            data["lead"] = textcells.pack(lead)
        if trail:
            data["trail"] = textcells.pack(trail)
    elif cell.cell_type != "code":
        data.update((form or text_form(cell, language)).data)
    if cell.id and (with_ids or cell.layout.get("marker_id")):
        data["id"] = cell.id
    for key in cellopts.LIFTED_METADATA_KEYS:
        if key in cell.metadata:
            data[key] = cell.metadata[key]
    mimetype = cell.metadata.get("raw_mimetype")
    if cell.cell_type == "raw" and mimetype and mimetype_to_format(mimetype) is None:
        data["raw_mimetype"] = mimetype
    return data


def marker_line(
    cell: Cell,
    with_ids: bool,
    front_matter: bool = False,
    language: str = "python",
    data: dict[str, Any] | None = None,
) -> str:
    """The marker line for a cell: as the author wrote it while it still says the same.

    ``data`` is the cell's ``marker_data`` when the caller has it already (it scans the text).
    """
    if data is None:
        data = marker_data(cell, with_ids, front_matter, language)
    written = cell.layout.get("marker_text")
    if isinstance(written, str):
        try:
            parsed = parse_marker(written, 0)
        except Exception:  # checked when the notebook was read; never reuse a bad one
            parsed = None
        if (
            parsed is not None
            and parsed.data == data
            and parsed.front_matter == front_matter
            and parsed.cell_type == cell.cell_type
        ):
            return written
    return format_marker(cell.cell_type, data, front_matter)


def needs_marker(
    cell: Cell,
    previous: Cell | None,
    with_ids: bool,
    previous_is_front_matter: bool = False,
    language: str = "python",
    data: dict[str, Any] | None = None,
) -> bool:
    """Whether the writer puts a ``<!-- cell -->`` marker before this cell.

    ``data`` is the cell's ``marker_data`` when the caller has it already (it scans the text).
    """
    if cell.layout.get("marker"):
        return True
    if cell.cell_type == "code":
        return keeps_options(cell, language)
    # "not source.strip()" without copying the text: isspace stops at its first letter
    if cell.cell_type == "raw" or not cell.source or cell.source.isspace():
        return True
    if data is None:
        data = marker_data(cell, with_ids, False, language)
    if data:
        return True
    if previous is None:
        # text opening the file with a "---" line would be read as front matter
        return starts_like_front_matter(cell.source)
    if previous_is_front_matter:
        return False
    if previous.cell_type == "markdown":
        return True
    return previous.cell_type == "raw" and not is_fenced_raw(previous)
