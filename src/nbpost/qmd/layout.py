"""Layout facts: what a .qmd holds that a notebook cannot, and the writer's defaults for them.

The reader records every fact; ``drop_default_layout`` then removes each one that equals
what the writer would do anyway, so a notebook made from a plainly written post carries no
``nbpost`` metadata at all. The writer validates every fact it reuses (a fence must still be
longer than the code's backtick lines, a chunk header must still name the kernel language),
so stale facts after an edit in Jupyter fall back to the defaults instead of breaking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from ..errors import FrontMatterError
from ..frontmatter import CLOSE_RE, OPEN_RE, find_front_matter, load_yaml, parse_block, peek_yaml
from ..model import Cell, Document
from ..yamlguard import YamlLimitError, check_text
from . import cellopts
from .scan import header_pattern

Gap = int | list[str]

# Quarto's kJupyterCellOptionKeys: options it reads from cell metadata when rendering a
# notebook. Found in a notebook's cell metadata, they are written as `#|` lines.
QUARTO_OPTION_KEYS = (
    "eval",
    "echo",
    "warning",
    "error",
    "output",
    "include",
    "label",
    "classes",
    "panel",
    "column",
    "fig-cap",
    "fig-subcap",
    "fig-scap",
    "fig-cap-location",
    "tbl-cap-location",
    "cap-location",
    "fig-column",
    "tbl-column",
    "fig-link",
    "fig-align",
    "fig-alt",
    "fig-env",
    "fig-pos",
    "lst-label",
    "lst-cap",
    "out-width",
    "out-height",
    "code-fold",
    "code-line-numbers",
    "code-summary",
    "code-overflow",
    "html-table-processing",
    "layout-align",
    "layout-valign",
    "layout-ncol",
    "layout-nrow",
    "layout",
    "tbl-cap",
    "tbl-colwidths",
)
_QUARTO_OPTION_SET = frozenset(QUARTO_OPTION_KEYS)


def pack_gap(lines: list[str]) -> Gap:
    """Store blank lines compactly: a count when all are empty, else the lines themselves."""
    return list(lines) if any(lines) else len(lines)  # any(): some line is not ""


def unpack_gap(value: Any) -> list[str]:
    """Inverse of ``pack_gap`` (tolerates junk from an edited notebook)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [""] * max(0, min(value, 10_000))
    if isinstance(value, list) and all(isinstance(v, str) and not v.strip() for v in value):
        return list(value)
    return [""]


def trim_blank_lines(lines: list[str]) -> list[str]:
    """Drop leading and trailing blank (whitespace-only) lines."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def valid_fence(fence: Any, body: list[str]) -> str:
    """Return ``fence`` if no body line would close it, else the shortest safe backtick fence.

    The fence nbpost picks itself is also longer than any body line that starts with
    backticks and a brace: knitr starts a new chunk at such a line when its backticks are as
    many as the open chunk's (``group_indices`` in knitr's R/parser.R). A fence the author
    wrote is kept as long as no line closes it.
    """
    closing = opening = 0
    # Lines of one or two backticks change nothing below; without "```" the loop finds no more.
    if "```" in "\n".join(body):
        for line in body:
            stripped = line.strip(" \t\r")  # as the scanner finds a closing line
            ticks = len(stripped) - len(stripped.lstrip("`"))
            if ticks and ticks == len(stripped):
                closing = max(closing, ticks)
            elif ticks and stripped[ticks] == "{":
                opening = max(opening, ticks)
    if isinstance(fence, str) and len(fence) > max(closing, 2) and fence == "`" * len(fence):
        return fence
    return "`" * max(3, closing + 1, opening + 1)


@dataclass(frozen=True, slots=True)
class ChunkFrame:
    """How a chunk is framed in the text: its opening line, the indent of its body (when the
    body lines get it) and its closing line, each from the cell's facts while they hold."""

    opening: str
    body_indent: str
    close: str


def chunk_frame(cell: Cell, language: str, body: list[str]) -> ChunkFrame:
    """The frame for a code cell whose option and source lines are ``body`` (not indented):
    the stored fence, header, indent and closing line where still valid, else the defaults."""
    facts = cell.layout
    fence = valid_fence(facts.get("fence"), body)
    header = facts.get("header")
    if not header or not header_matches(header, language):
        header = "{" + language + "}"
    indent = facts.get("indent") or cell.metadata.get("md-indent") or ""
    if not isinstance(indent, str) or indent.strip():
        indent = ""
    close = facts.get("close")
    if not isinstance(close, str) or close.strip() != fence:
        close = indent + fence
    body_indent = indent if indent and not facts.get("indent_raw") else ""
    return ChunkFrame(indent + fence + header, body_indent, close)


def header_matches(header: str, language: str) -> bool:
    """Whether a stored chunk header still opens a chunk in this language."""
    match = header_pattern(language).match(header)
    return bool(match) and match.group(1).lower() == language  # type: ignore[union-attr]


def yaml_block_lines(source: str) -> list[str] | None:
    """The lines of text that is exactly one ``---`` YAML block, else None."""
    lines = source.split("\n")
    if source[:1].isspace() or source[-1:].isspace():
        lines = trim_blank_lines(lines)  # else neither end can be a blank line
    if len(lines) < 3 or not OPEN_RE.match(lines[0]) or not CLOSE_RE.match(lines[-1]):
        return None
    try:
        span = find_front_matter(lines)
    except Exception:
        return None
    if span is None or span.end != len(lines) - 1:
        return None
    return lines


def _plain_block_parts(source: str) -> tuple[str, str] | None:
    """(block, YAML text inside it) for the common shape of front matter, found without
    splitting lines: ``---``, a first line that is not blank, no line inside that starts
    like a closing delimiter, and ``---`` or ``...`` as the last line, nothing around it.

    That is exactly what ``yaml_block_lines`` accepts without trimming edge lines (its
    ``find_front_matter`` then closes the block on the last line), and the block is the
    source itself. None: not that shape, ask ``yaml_block_lines``.
    """
    last = source.rfind("\n")
    if not source.startswith("---\n") or last < 4 or source[last + 1 :] not in ("---", "..."):
        return None
    inner = source[4:last]
    first_end = inner.find("\n")
    first = inner if first_end < 0 else inner[:first_end]
    if not first.strip() or inner.startswith(("---", "...")):
        return None
    if "\n---" in inner or "\n..." in inner:
        return None  # a line inside may close the block: find_front_matter decides
    return source, inner


def front_matter_mapping(
    source: str,
    known: tuple[str | None, dict] | None = None,
    keys: frozenset[str] | None = None,
) -> dict | None:
    """Parse text shaped as front matter: its mapping, or None when it is not front matter.

    Valid YAML that is not a mapping (``---``, a line, ``---`` is a heading in a notebook) is
    not front matter, and neither is text that is not valid YAML: a notebook's raw cell may
    hold anything (jupytext's test notebooks have one), and it is written as a raw cell.
    ``known`` is a (block text, mapping) pair already parsed, reused when the text matches.
    """
    parts = _plain_block_parts(source)
    if parts is None:
        lines = yaml_block_lines(source)
        if lines is None:
            return None
        parts = "\n".join(lines), "\n".join(lines[1:-1])
    block, text = parts
    if known is not None and known[0] == block:
        return known[1]
    try:  # within nbpost's YAML limits (size, nesting, aliases), else not front matter
        check_text(text)
        if keys is not None:
            return peek_yaml(text, keys)
        data = load_yaml(text)
    except (yaml.YAMLError, YamlLimitError, RecursionError, ValueError):
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def front_matter_error(doc: Document) -> FrontMatterError | None:
    """Why a document's first cell, shaped as front matter, is not: its YAML error (None when
    it is front matter, or not shaped as one). Such a cell is written as a raw cell."""
    cell = doc.cells[0] if doc.cells else None
    if cell is None or cell.cell_type == "code" or cell.layout.get("not_front_matter"):
        return None
    lines = yaml_block_lines(cell.source)
    if lines is None or front_matter_mapping(cell.source) is not None:
        return None
    try:
        parse_block("\n".join(lines))
    except FrontMatterError as exc:
        return exc
    return None  # valid YAML that is not a mapping: not front matter, and not an error


def is_yaml_block(source: str) -> bool:
    """Whether text is one ``---`` YAML block holding a mapping (the shape of front matter)."""
    return front_matter_mapping(source) is not None


def starts_like_front_matter(source: str) -> bool:
    """Whether text placed first in a file would open a front matter block."""
    if "---" not in source:
        return False  # no line can open one (most text: no need to split it)
    lines = trim_blank_lines(source.split("\n"))
    return len(lines) > 1 and bool(OPEN_RE.match(lines[0])) and bool(lines[1].strip())


def is_front_matter_cell(cell: Cell) -> bool:
    """Whether a first cell is the post's front matter."""
    if cell.cell_type not in ("raw", "markdown") or cell.layout.get("not_front_matter"):
        return False
    return is_yaml_block(cell.source)


def quarto_options_from_metadata(cell: Cell, language: str) -> list[str]:
    """``#|`` lines for Quarto options a notebook keeps in cell metadata (``{"echo": false}``)."""
    if not cell.metadata.keys() & _QUARTO_OPTION_SET:
        return []  # most cells: nothing to write, no need to look at the source
    lines: list[str] = []
    source = cell.source.split("\n")
    present = {
        entry.key
        for entry in cellopts.parse_entries(
            source[: cellopts.option_block_length(source, language)], language, frozenset()
        )
    }
    prefix = cellopts.COMMENT_CHARS.get(language, "#")
    for key in QUARTO_OPTION_KEYS:
        if key in cell.metadata and key not in present:
            lines.extend(cellopts.format_option(key, cell.metadata[key], prefix))
    return lines
