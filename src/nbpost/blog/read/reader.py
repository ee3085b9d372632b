"""Read one post file's bytes into a ``PostRecord``: front matter, key lines, fallbacks.

The one reader of posts for the blog: a ``.qmd``/``.md`` file's front matter is its leading
``---`` block (``frontmatter.split``), a notebook's is the cell
``frontmatter.notebook_front_matter_index`` names (Quarto's rule, shared with the converter).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import NbpostError, NotebookError
from ...frontmatter import notebook_front_matter_index, split
from ...textio import decode_utf8
from ..model import PostRecord
from .fastyaml import parse_front_matter
from .text import first_heading, first_paragraph

TOP_KEY_RE = re.compile(r"([A-Za-z0-9_][^:#]*?)[ \t]*:(?:[ \t]|$)")
# The common case, found without splitting the whole file into lines: an opening "---" line
# not followed by a blank line, then the block, then a closing "---" or "..." line.
FAST_BLOCK_RE = re.compile(
    r"---[ \t]*\n(?![ \t]*\n)(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL
)
NOTEBOOK_KEY_RE = re.compile(r'(?m)^[ \t]*"([A-Za-z0-9_][^:#"\\\n]*?)[ \t]*:(?:[ \t]|\\n|")')
NOTEBOOK_FENCE_RE = re.compile(r'(?m)^[ \t]*"---')


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def key_lines(block: str, first_line: int = 1) -> dict[str, int]:
    """Map each top-level key of a front matter block to its 1-based line in the file."""
    lines: dict[str, int] = {}
    for number, line in enumerate(block.split("\n"), first_line):
        if line and line[0] not in " \t#-[{" and ":" in line:
            match = TOP_KEY_RE.match(line)
            if match:
                lines.setdefault(match.group(1).strip("'\""), number)
    return lines


def split_front_matter(text: str, shown: str) -> tuple[str | None, dict[str, Any], str]:
    """Like ``nbpost.frontmatter.split`` (same results), without splitting long bodies."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" not in text[:4096]:
        match = FAST_BLOCK_RE.match(text)
        if match and "\r" not in match.group(0):
            inner = match.group(1)
            meta = parse_front_matter(inner, shown, 2)
            return "---\n" + inner + "\n---", meta, text[match.end() :]
    return split(text, shown)


def _record(meta: dict[str, Any], lines: dict[str, int], body: str) -> PostRecord:
    """The record of a readable post; the fallbacks only where the front matter lacks them."""
    heading = first_heading(body) if "title" not in meta else None
    paragraph = None
    if "description" not in meta and "abstract" not in meta:
        paragraph = first_paragraph(body)
    return PostRecord(meta, lines, heading, paragraph)


def read_text_post(data: bytes, shown: str) -> PostRecord:
    """Read a ``.qmd``/``.md`` post's bytes."""
    try:
        text = decode_utf8(data, shown)
        block, meta, body = split_front_matter(text, shown)
    except NbpostError as exc:
        return PostRecord(error=exc.message, error_line=exc.line)
    return _record(meta, key_lines(block) if block else {}, body)


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    if isinstance(source, list):
        return "".join(str(piece) for piece in source)
    return str(source)


def _text_cell(cell: object) -> tuple[str, str]:
    """A cell as (type, source) for a raw or markdown cell, else ("", "") (no text needed)."""
    if isinstance(cell, dict) and cell.get("cell_type") in ("raw", "markdown"):
        return cell["cell_type"], _source(cell)
    return "", ""


def read_notebook_post(data: bytes, shown: str) -> PostRecord:
    """Read an ``.ipynb`` post: front matter from the cell ``notebook_front_matter_index`` names."""
    try:
        text = decode_utf8(data, shown)
        try:
            notebook = json.loads(text)
        except json.JSONDecodeError as exc:
            raise NotebookError.invalid_json(exc, shown) from None
        except RecursionError:  # "[[[[..." 5,000 deep: the decoder recurses per level
            raise NotebookError("invalid notebook JSON: nested too deeply", shown, 1) from None
        cells = notebook.get("cells") if isinstance(notebook, dict) else None
        if not isinstance(cells, list):
            raise NotebookError("not a notebook: no 'cells' list", shown, 1)
        texts = [_text_cell(cell) for cell in cells]
        front = notebook_front_matter_index(texts)
        meta: dict[str, Any] = {}
        block: str | None = None
        body_parts: list[str] = []
        for index, (cell_type, source) in enumerate(texts):
            if index == front:
                try:
                    block, meta, rest = split_front_matter(source.lstrip(), shown)
                except NbpostError as exc:
                    raise exc.__class__(
                        exc.message, shown, _notebook_line(text, exc.line)
                    ) from None
                if cell_type == "markdown" and rest.strip():
                    body_parts.append(rest)
            elif cell_type == "markdown":
                body_parts.append(source)
    except NbpostError as exc:
        return PostRecord(error=exc.message, error_line=exc.line)
    return _record(meta, _notebook_key_lines(text) if block else {}, "\n\n".join(body_parts))


def _notebook_line(text: str, line_in_cell: int | None) -> int | None:
    """Map a line of the front matter cell to a line of the JSON (one source line per line)."""
    fence = NOTEBOOK_FENCE_RE.search(text)
    if fence is None:
        return None
    return _line_at(text, fence.start()) + (line_in_cell or 1) - 1


def _notebook_key_lines(text: str) -> dict[str, int]:
    """Lines of the front matter keys inside the notebook JSON, searched up to the closing fence."""
    opening = NOTEBOOK_FENCE_RE.search(text)
    if opening is None:
        return {}
    closing = NOTEBOOK_FENCE_RE.search(text, opening.end())
    end = closing.start() if closing else len(text)
    lines: dict[str, int] = {}
    first = _line_at(text, opening.start())
    for match in NOTEBOOK_KEY_RE.finditer(text, opening.end(), end):
        lines.setdefault(match.group(1).strip("'\""), _line_at(text, match.start()))
    if not lines:
        return {}
    return {key: max(line, first) for key, line in lines.items()}


def read_post(data: bytes, shown: str) -> PostRecord:
    """Read a post's bytes into a record, choosing the reader by the file name."""
    if shown.lower().endswith(".ipynb"):
        return read_notebook_post(data, shown)
    return read_text_post(data, shown)
