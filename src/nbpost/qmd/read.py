"""Quarto markdown (.qmd / .md) text <-> Document, byte for byte.

Reading splits the text into cells: the front matter (a raw cell holding the ``---`` block
verbatim), code cells for chunks in the kernel language, raw cells introduced by a
``<!-- cell raw -->`` marker, and markdown cells for the text between them. Everything a
notebook cannot hold (blank lines between cells, fence length, chunk header attributes,
indentation, CRLF, a BOM, a missing final newline) goes into layout metadata under
``model.LAYOUT_KEY``, and only where it differs from what the writer does by default, so
``emit(parse(text)) == text`` for every input and the notebook stays clean. The writer,
``emit``, lives in ``qmd.write`` and is re-exported here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConversionError, FrontMatterError
from ..frontmatter import find_front_matter, parse_yaml
from ..model import LAYOUT_KEY, Cell, Document
from . import frontkernel, ids, kernels, layout, layoutdefaults, quickread, textcells
from .rawformats import format_to_mimetype
from .scan import PLAIN_LANGUAGE_RE, RAW_HEADER_RE, Chunk, Marker, scan
from .write import BOM, emit, knitr


def split_lines(text: str) -> tuple[list[str], dict[str, Any]]:
    """Split text into lines, returning the file-level layout facts (BOM, CRLF, final newline)."""
    facts: dict[str, Any] = {}
    if text.startswith(BOM):
        facts["bom"] = True
        text = text[1:]
    newline = "\n"
    # "\r" first: a one-character search is much quicker than "\r\n" and rules out most files
    if "\r" in text and "\r\n" in text and text.count("\r\n") == text.count("\n"):
        newline = "\r\n"
        facts["newline"] = "\r\n"
    if text.endswith(newline):
        lines = text.split(newline)
        lines.pop()  # the empty text after the final newline (no copy of the text without it)
        return lines, facts
    if not text:
        return [], facts  # nothing to end with a newline: the writer writes nothing either
    facts["final_newline"] = False
    return text.split(newline), facts


def parse(text: str, path: str | Path | None = None, kernel: str | None = None) -> Document:
    """Parse .qmd/.md text into a Document (``kernel`` overrides the kernel choice)."""
    found = quickread.scan_text(text)
    if found is not None:
        doc = _parse_quick(found, path, kernel)
        if doc is not None:
            return doc
    return _parse_lines(text, path, kernel)


def _parse_quick(
    found: quickread.QuickScan, path: str | Path | None, kernel: str | None
) -> Document | None:
    """``_parse_lines`` for text ``quickread`` could scan: the same steps on positions in
    the text. None for a kernel language that is not a plain word (the full reader then
    looks for its chunks by their exact name)."""
    meta: dict[str, Any] = {}
    if found.front_matter is not None:
        meta = parse_yaml(found.inner, path, 2, keys=kernels.FRONT_MATTER_KEYS)
    spec = kernels.kernelspec_from_meta(meta, found.languages, kernel)
    language = kernels.kernel_language(spec, found.languages)
    if not PLAIN_LANGUAGE_RE.match(language):
        return None
    info = None
    if kernel is None:
        spec, info = frontkernel.notebook_kernelspec(found.front_matter, spec)
    executable = textcells.executable_for(language, knitr(meta, language))
    cells, trailing = quickread.read_cells(found, language)
    if found.front_matter is not None:
        fm = front_matter_cell(found.front_matter, meta, spec, found.languages)
        cells.insert(0, fm)
    return _document(
        cells, trailing, found.facts, (spec, info), found.front_matter, language, executable
    )


def _parse_lines(text: str, path: str | Path | None, kernel: str | None) -> Document:
    """Parse text line by line: every input (``parse`` tries ``quickread`` first)."""
    lines, file_facts = split_lines(text)
    span = find_front_matter(lines, path)
    body_start = 0
    front_matter: str | None = None
    meta: dict[str, Any] = {}
    if span is not None:
        front_matter = "\n".join(lines[: span.end + 1])
        # checks the whole block; builds only what chooses the kernel (doc.meta parses lazily)
        inner = "\n".join(lines[1 : span.end])
        meta = parse_yaml(inner, path, 2, keys=kernels.FRONT_MATTER_KEYS)
        body_start = span.end + 1
    found = scan(lines, body_start, path)
    spec = kernels.kernelspec_from_meta(meta, found.languages, kernel)
    language = kernels.kernel_language(spec, found.languages)
    if not PLAIN_LANGUAGE_RE.match(language):  # C#, C++17, Wolfram Language: a second look
        found = scan(lines, body_start, path, language)
    info = None
    if kernel is None:
        spec, info = frontkernel.notebook_kernelspec(front_matter, spec)

    builder = _CellBuilder(
        lines, language, textcells.executable_for(language, knitr(meta, language)), path
    )
    if front_matter is not None:
        builder.cells.append(front_matter_cell(front_matter, meta, spec, found.languages))
    cursor = body_start
    for item in found.items:
        if isinstance(item, Chunk):
            if item.language != language:
                continue  # another language's chunk: text, kept inside the markdown
            builder.text(cursor, item.open)
            builder.chunk(item)
            cursor = item.close + 1
        else:
            builder.text(cursor, item.line)
            builder.marker(item, path)
            cursor = item.line + 1
    builder.text(cursor, len(lines))
    cells, executable = builder.finish(), builder.executable
    return _document(
        cells, builder.trailing, file_facts, (spec, info), front_matter, language, executable
    )


def _document(
    cells: list[Cell],
    trailing: list[str],
    file_facts: dict[str, Any],
    kernel: tuple[dict[str, Any], dict[str, str] | None],
    front_matter: str | None,
    language: str,
    executable: textcells.Executable,
) -> Document:
    """The Document of the cells read: notebook metadata, ids, and only non-default layout.

    ``kernel`` is the kernelspec and, for one nbpost completed for Quarto, the
    ``language_info`` that goes with it (``frontkernel.notebook_kernelspec``)."""
    spec, info = kernel
    metadata: dict[str, Any] = {
        "kernelspec": spec,
        "language_info": info or kernels.language_info_for(spec),
    }
    doc_layout = dict(file_facts)
    if cells and "kernel_lines" in cells[0].layout:
        doc_layout["kernel_lines"] = cells[0].layout.pop("kernel_lines")
    if trailing != []:
        doc_layout["trailing"] = layout.pack_gap(trailing)
    if doc_layout:
        metadata[LAYOUT_KEY] = doc_layout
    doc = Document(cells=cells, metadata=metadata, front_matter=front_matter)
    ids.assign_ids(doc.cells, language)
    layoutdefaults.drop_default_layout(doc, executable)
    return doc


def front_matter_cell(
    block: str, meta: dict[str, Any], spec: dict[str, Any], languages: list[str]
) -> Cell:
    """The front matter raw cell, lifting a ``jupyter:`` key nbpost itself wrote."""
    source, as_written = frontkernel.strip_written_kernel(block, meta, spec, languages)
    facts: dict[str, Any] = {"front_matter": True}
    if as_written is not None:
        facts["kernel_lines"] = as_written  # the document's fact (``_document``)
    if source is None:
        facts["kernel_only"] = True  # the block held only the kernel: no cell, like Quarto
        source = ""
    cell = Cell("raw", source)
    cell.metadata[LAYOUT_KEY] = facts
    return cell


class _CellBuilder:
    """Turns the scanned pieces of a .qmd into cells, remembering the blank lines around them."""

    def __init__(
        self,
        lines: list[str],
        language: str,
        executable: textcells.Executable,
        path: str | Path | None = None,
    ):
        self.lines = lines
        self.path = path  # for errors
        self.language = language
        self.executable = executable
        self.cells: list[Cell] = []
        self.gap: list[str] = []  # blank lines since the last cell ended
        self.open_marker: tuple[Marker, list[str]] | None = None  # marker and the gap before it
        self.trailing: list[str] = []

    # A cell records: before (gap before it or its marker), marker facts, and its own facts.
    def _new_cell(self, cell: Cell, facts: dict[str, Any], empty: bool = False) -> None:
        if self.open_marker is not None:
            marker, before = self.open_marker
            self.open_marker = None
            facts["before"] = before
            facts["marker"] = True
            facts["marker_text"] = self.lines[marker.line]
            if not empty:
                facts["after_marker"] = self.gap
                self.gap = []
            _apply_marker_data(cell, marker.data, facts)
            self._read_text_form(cell, marker.data, facts)
        else:
            facts["before"] = self.gap
            self.gap = []
        cell.metadata[LAYOUT_KEY] = facts
        self.cells.append(cell)

    def _read_text_form(self, cell: Cell, data: dict[str, Any], facts: dict[str, Any]) -> None:
        """Undo what the writer did to a text cell's lines (``nbpost.qmd.textcells``)."""
        if cell.cell_type == "code" or not (data.keys() & textcells.TEXT_KEYS):
            return
        if data.keys() & {"escaped", "close"}:
            facts["written_for_quarto"] = True  # escaped or closed by nbpost: not literal
        lines = cell.source.split("\n") if cell.source else []
        if "fence" in facts:  # a fenced raw block: its lines are kept whole, edges included
            if data.get("escaped") is True:
                cell.source = "\n".join(textcells.unescape(lines, self.language))
            return
        cell.source = textcells.read_text(lines, data, self.language)

    def text(self, start: int, end: int) -> None:
        """Add the text lines ``start:end`` (markdown, or the body of an open raw marker)."""
        self._text_lines(self.lines[start:end])

    def _text_lines(self, lines: list[str]) -> None:
        first = 0
        while first < len(lines) and not lines[first].strip():
            first += 1
        if first == len(lines):
            self.gap.extend(lines)
            return
        self.gap.extend(lines[:first])
        self._no_code_marker()  # text after a code marker: no chunk follows it
        verbatim = self.open_marker[0].data.get("lines") if self.open_marker else None
        if isinstance(verbatim, int) and verbatim > 0 and self.open_marker is not None:
            cell_type = self.open_marker[0].cell_type
            end = first + verbatim
            close = self.open_marker[0].data.get("close")
            if isinstance(close, str) and end < len(lines) and lines[end] == close:
                end += 1  # the closing line written after the cell for Quarto
            content = lines[first:end]
            self._new_cell(Cell(cell_type, "\n".join(content)), {})  # type: ignore[arg-type]
            self._text_lines(lines[end:])
            return
        last = len(lines)
        while not lines[last - 1].strip():
            last -= 1
        content = lines[first:last]
        if self.open_marker is not None and self.open_marker[0].cell_type == "raw":
            content = self._raw_cell(content)
            if not content:
                self.gap.extend(lines[last:])
                return
            # text after a fenced raw block is a new markdown cell
            self.gap.extend(_leading_blank(content))
            content = content[len(_leading_blank(content)) :]
        self._new_cell(Cell("markdown", "\n".join(content)), {})
        self.gap = list(lines[last:])

    def _raw_cell(self, content: list[str]) -> list[str]:
        """Make a raw cell from text after ``<!-- cell raw -->``; return any text left over."""
        head = content[0]
        fence = head[: len(head) - len(head.lstrip("`"))]
        match = RAW_HEADER_RE.match(head[len(fence) :]) if len(fence) >= 3 else None
        if match is None:
            self._new_cell(Cell("raw", "\n".join(content)), {})
            return []
        close = next(
            (i for i in range(1, len(content)) if content[i].rstrip(" \t\r") == fence), None
        )
        if close is None:
            self._new_cell(Cell("raw", "\n".join(content)), {})
            return []
        body = content[1:close]
        cell = Cell("raw", "\n".join(body))
        fmt = match.group(1)
        cell.metadata["raw_mimetype"] = format_to_mimetype(fmt)
        facts: dict[str, Any] = {"fence": fence, "raw_header": head[len(fence) :]}
        facts["close"] = content[close]
        self._new_cell(cell, facts)
        return content[close + 1 :]

    def chunk(self, chunk: Chunk) -> None:
        """Add a code cell for a chunk in the kernel language."""
        # a code marker is this chunk's; another marker right before it is an empty cell
        marked = self.open_marker is not None and self.open_marker[0].cell_type == "code"
        if not marked:
            self._close_open_marker()
        cell, facts = quickread.chunk_cell(
            self.lines[chunk.open + 1 : chunk.close],
            chunk.indent,
            chunk.fence,
            chunk.header,
            self.lines[chunk.close],
            self.language,
            lift=not marked,
        )
        self._new_cell(cell, facts)

    def marker(self, marker: Marker, path: str | Path | None) -> None:
        """Remember a marker: it opens the next cell (an empty one if nothing follows)."""
        if marker.front_matter:
            if (
                not self.cells
                or not self.cells[0].layout.get("front_matter")
                or len(self.cells) > 1
            ):
                raise ConversionError(
                    "a front matter cell marker must follow the front matter", path, marker.line + 1
                )
            facts = self.cells[0].metadata[LAYOUT_KEY]
            facts["fm_marker_before"] = self.gap
            facts["marker_text"] = self.lines[marker.line]
            if marker.cell_type == "markdown":
                self.cells[0].cell_type = "markdown"
            _apply_marker_data(self.cells[0], marker.data, facts)
            if marker.data.keys() & {"lead", "trail"}:  # edge lines of the notebook's cell
                source = self.cells[0].source
                edges: dict[str, Any] = {
                    k: marker.data[k] for k in ("lead", "trail") if k in marker.data
                }
                self.cells[0].source = textcells.read_text(source.split("\n"), edges, "")
            self.gap = []
            return
        self._close_open_marker()
        self.open_marker = (marker, self.gap)
        self.gap = []

    def _no_code_marker(self) -> None:
        """Refuse an open code marker: it belongs to the chunk right after it and nothing
        else (an empty code cell is an empty chunk, never a marker alone)."""
        if self.open_marker is not None and self.open_marker[0].cell_type == "code":
            line = self.open_marker[0].line + 1
            message = "a code cell marker must be followed by its chunk"
            raise ConversionError(message, self.path, line)

    def _close_open_marker(self) -> None:
        if self.open_marker is not None:
            self._no_code_marker()
            cell_type = self.open_marker[0].cell_type
            self._new_cell(Cell(cell_type, ""), {"empty": True}, empty=True)  # type: ignore[arg-type]

    def finish(self) -> list[Cell]:
        """Close any open marker and return the cells."""
        self._close_open_marker()
        self.trailing = self.gap
        return self.cells


def _leading_blank(lines: list[str]) -> list[str]:
    count = 0
    while count < len(lines) and not lines[count].strip():
        count += 1
    return lines[:count]


def _apply_marker_data(cell: Cell, data: dict[str, Any], facts: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in textcells.TEXT_KEYS:
            continue  # a reading instruction, not metadata
        if key == "id" and isinstance(value, str):
            cell.id = value
            facts["marker_id"] = True
        else:
            cell.metadata[key] = value


def check_round_trip(text: str, path: str | Path | None = None) -> Document:
    """Parse text and make sure writing it back gives the same text; raise otherwise."""
    doc = parse(text, path)
    again = emit(doc)
    if again != text:
        line = next(
            (
                n + 1
                for n, (a, b) in enumerate(zip(text.splitlines(), again.splitlines(), strict=False))
                if a != b
            ),
            None,
        )
        raise ConversionError("does not convert back to the same text", path, line)
    return doc


__all__ = ["FrontMatterError", "check_round_trip", "emit", "parse", "split_lines"]
