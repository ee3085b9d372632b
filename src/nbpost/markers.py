"""Cell markers: when the writer puts ``<!-- cell ... -->`` before a cell, and what it says.

A marker starts a cell the text alone would not start (two adjacent markdown cells, a raw
cell), carries what Quarto markdown has no syntax for (``tags``, an unusual
``raw_mimetype``, the id with ``--with-ids``) and tells the reader how to read a text cell
back exactly (``nbpost.textcells``: edge blank lines, escaped chunk syntax, a closing line,
a count of verbatim lines). Quarto and pandoc render a marker as nothing (quarto-cli#4195).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from . import cellopts, textcells
from .model import Cell
from .qmd_scan import Chunk, backtick_fence_facts, format_marker, scan
from .rawformats import mimetype_to_format
from .textcells import Executable, TextForm

# A line opening a chunk, a fence, a comment or a marker. Searched as "\n" + opener (plus a
# match at the start): a MULTILINE "^" makes the regex engine try every character, a leading
# newline lets it jump from line to line, about three times faster.
_BLOCK_OPENER_AT_START = re.compile(r"[ \t]*(?:```|~~~|<!--)")
_BLOCK_OPENER_AFTER_NEWLINE = re.compile(r"\n[ \t]*(?:```|~~~|<!--)")


def _has_block_opener(source: str) -> bool:
    """Whether a line of the text opens a chunk, a fence, a comment or a marker."""
    # one-character searches first: much quicker than searching for "```" in every text
    if (
        ("`" not in source or "```" not in source)
        and ("~" not in source or "~~~" not in source)
        and ("<" not in source or "<!--" not in source)
    ):
        return False
    return bool(_BLOCK_OPENER_AT_START.match(source) or _BLOCK_OPENER_AFTER_NEWLINE.search(source))


# A writer asks the same two questions of a cell (does it read back as itself, which chunk
# languages does it show); a small cache answers the second from the first scan.
@functools.lru_cache(maxsize=256)
def text_facts(source: str, language: str) -> tuple[bool, tuple[str, ...]]:
    """(whether the text reads back as itself, the chunk languages it shows), in one scan."""
    if not _has_block_opener(source):
        return True, ()  # no line opens a chunk, a fence, a comment or a marker
    quick = backtick_fence_facts(source, language)
    if quick is not None:
        return quick
    lines = source.split("\n")
    sentinel = ["```{" + language + "}", "```"]
    try:
        found = scan([*lines, *sentinel], 0)
    except Exception:
        return False, _plain_languages(lines)
    items = found.items
    if not items or not isinstance(items[-1], Chunk) or items[-1].open != len(lines):
        return False, _plain_languages(lines)  # something left open swallowed the sentinel
    clean = not any(not isinstance(item, Chunk) or item.language == language for item in items[:-1])
    return clean, tuple(found.languages[:-1])


def _plain_languages(lines: list[str]) -> tuple[str, ...]:
    try:
        return tuple(scan(lines, 0).languages)
    except Exception:
        return ()


def is_fenced_raw(cell: Cell) -> bool:
    """Whether a cell is written as a ```` ```{=format} ```` block (a raw cell with a format)."""
    return (
        cell.cell_type == "raw"
        and mimetype_to_format(cell.metadata.get("raw_mimetype")) is not None
    )


def text_form(
    cell: Cell, language: str, executable: Executable | None = None, last: bool = False
) -> TextForm:
    """How a text cell's source is written after its marker (``nbpost.textcells``)."""
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
        from .qmd_scan import parse_marker

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
        return False
    if cell.cell_type == "raw" or not cell.source.strip():
        return True
    if data is None:
        data = marker_data(cell, with_ids, False, language)
    if data:
        return True
    if previous is None:
        # text opening the file with a "---" line would be read as front matter
        from .layout import starts_like_front_matter

        return starts_like_front_matter(cell.source)
    if previous_is_front_matter:
        return False
    if previous.cell_type == "markdown":
        return True
    return previous.cell_type == "raw" and not is_fenced_raw(previous)
