"""Layout facts: what a .qmd holds that a notebook cannot, and the writer's defaults for them.

The reader records every fact; ``drop_default_layout`` then removes each one that equals
what the writer would do anyway, so a notebook made from a plainly written post carries no
``nbpost`` metadata at all. The writer validates every fact it reuses (a fence must still be
longer than the code's backtick lines, a chunk header must still name the kernel language),
so stale facts after an edit in Jupyter fall back to the defaults instead of breaking.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import yaml

from . import cellopts, kernels
from .frontmatter import CLOSE_RE, OPEN_RE, QuartoYamlLoader, find_front_matter, peek_yaml
from .model import LAYOUT_KEY, Cell, Document
from .qmd_scan import CHUNK_HEADER_RE, Chunk, backtick_fence_facts, format_marker, scan
from .rawformats import mimetype_to_format

Gap = int | list[str]

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
    """Return ``fence`` if no body line would close it, else the shortest safe backtick fence."""
    longest = 0
    # Lines of one or two backticks change nothing below; without "```" the loop finds no more.
    if "```" in "\n".join(body):
        for line in body:
            stripped = line.strip(" \t")
            if stripped and stripped == "`" * len(stripped):
                longest = max(longest, len(stripped))
    if isinstance(fence, str) and len(fence) > max(longest, 2) and fence == "`" * len(fence):
        return fence
    return "`" * max(3, longest + 1)


def header_matches(header: str, language: str) -> bool:
    """Whether a stored chunk header still opens a chunk in this language."""
    match = CHUNK_HEADER_RE.match(header)
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


def front_matter_mapping(
    source: str,
    known: tuple[str | None, dict] | None = None,
    keys: frozenset[str] | None = None,
) -> dict | None:
    """Parse text shaped as front matter: its mapping, or None when it is not front matter.

    Valid YAML that is not a mapping (``---``, a line, ``---`` is a heading in a notebook) is
    not front matter; invalid YAML raises FrontMatterError (a typo the author must see).
    ``known`` is a (block text, mapping) pair already parsed, reused when the text matches.
    """
    lines = yaml_block_lines(source)
    if lines is None:
        return None
    block = "\n".join(lines)
    if known is not None and known[0] == block:
        return known[1]
    try:
        if keys is not None:
            return peek_yaml("\n".join(lines[1:-1]), keys)
        data = yaml.load("\n".join(lines[1:-1]), Loader=QuartoYamlLoader)
    except yaml.YAMLError:
        from .frontmatter import parse_block

        return parse_block(block)  # raises FrontMatterError naming the line
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def is_yaml_block(source: str) -> bool:
    """Whether text is one ``---`` YAML block holding a mapping (the shape of front matter)."""
    try:
        return front_matter_mapping(source) is not None
    except Exception:
        return True  # front matter with a typo: reported when it is parsed


def starts_like_front_matter(source: str) -> bool:
    """Whether text placed first in a file would open a front matter block."""
    lines = trim_blank_lines(source.split("\n"))
    return len(lines) > 1 and bool(OPEN_RE.match(lines[0])) and bool(lines[1].strip())


def is_front_matter_cell(cell: Cell) -> bool:
    """Whether a first cell is the post's front matter."""
    if cell.cell_type not in ("raw", "markdown") or cell.layout.get("not_front_matter"):
        return False
    return is_yaml_block(cell.source)


# ----------------------------------------------------------------------- markers


def text_is_clean(source: str, language: str) -> bool:
    """Whether markdown text reads back as itself: no chunk, marker or unclosed fence in it."""
    return text_facts(source, language)[0]


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


def marker_data(
    cell: Cell, with_ids: bool, front_matter: bool = False, language: str = "python"
) -> dict[str, Any]:
    """What a marker must carry for this cell: its id (on request) and lifted metadata.

    A markdown or raw cell whose text would not read back as one cell (it shows chunk syntax
    at top level, or leaves a fence open, as a Jupyter cell may) also carries ``lines``: the
    reader then takes exactly that many lines as the cell without looking inside them.
    """
    data: dict[str, Any] = {}
    is_fenced_raw = cell.cell_type == "raw" and mimetype_to_format(
        cell.metadata.get("raw_mimetype")
    )
    # blank lines around the text change nothing the scanner sees, so ask of the source
    if (
        not front_matter
        and cell.cell_type != "code"
        and not is_fenced_raw
        and cell.source.strip()
        and not text_facts(cell.source, language)[0]
    ):
        data["lines"] = len(trim_blank_lines(cell.source.split("\n")))
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

        parsed = parse_marker(written, 0)
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
        return starts_like_front_matter(cell.source)
    if previous_is_front_matter:
        return False
    if previous.cell_type == "markdown":
        return True
    return (
        previous.cell_type == "raw"
        and mimetype_to_format(previous.metadata.get("raw_mimetype")) is None
    )


# ----------------------------------------------------------------------- kernel in the front matter


def kernel_lines(spec: dict[str, Any]) -> list[str]:
    """How nbpost writes a kernel into front matter: a known name, else the whole kernelspec."""
    name = spec.get("name")
    if isinstance(name, str) and name in kernels.KERNELS and kernels.KERNELS[name][0] == spec:
        return [f"jupyter: {name}"]
    dumped = yaml.safe_dump(
        {"jupyter": {"kernelspec": spec}}, sort_keys=False, allow_unicode=True, width=10**6
    )
    return dumped.rstrip("\n").split("\n")


def _languages_in(cells: list[Cell], language: str) -> Iterator[str]:
    """The chunk languages of a document in order, found lazily: readers only need the first
    known one, so the markdown after the first code cell is rarely scanned."""
    for cell in cells:
        if cell.cell_type == "code":
            yield language
        elif "{" in cell.source:  # no chunk header without a brace
            yield from text_facts(cell.source, language)[1]


def strip_written_kernel(
    block: str, meta: dict[str, Any], spec: dict[str, Any], languages: list[str]
) -> str | None:
    """Remove a trailing ``jupyter:`` entry nbpost wrote itself; None if nothing else is left."""
    if "jupyter" not in meta or kernels.inferred_kernel_is(meta, languages, spec):
        return block
    lines = block.split("\n")
    written = kernel_lines(spec)
    start = len(lines) - 1 - len(written)
    if start < 1 or lines[start : len(lines) - 1] != written:
        return block
    rest = lines[:start] + lines[-1:]
    if len(rest) == 2:
        return None
    return "\n".join(rest)


def add_written_kernel(
    source: str | None, doc: Document, language: str, meta: dict[str, Any] | None = None
) -> str | None:
    """Add the kernel to front matter when a reader could not infer it from the post."""
    spec = doc.kernelspec
    block = source
    if source is not None and (source[:1].isspace() or source[-1:].isspace()):
        block = "\n".join(trim_blank_lines(source.split("\n")))
    if meta is None:
        meta = {}
        if block is not None:
            from .frontmatter import parse_block

            meta = parse_block(block)
    if "jupyter" in meta:
        return block
    if not spec:
        return block
    if kernels.inferred_kernel_is(meta, _languages_in(doc.cells, language), spec):
        return block
    written = kernel_lines(spec)
    if block is None:
        return "\n".join(["---", *written, "---"])
    lines = block.split("\n")
    return "\n".join(lines[:-1] + written + lines[-1:])


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


# ----------------------------------------------------------------------- defaults


def drop_default_layout(doc: Document) -> None:
    """Remove layout facts equal to the writer's defaults; drop empty layout dicts."""
    language = doc.language
    cells = doc.cells
    previous: Cell | None = None
    previous_fm = False
    if cells and cells[0].layout.get("kernel_only"):
        cells.pop(0)  # front matter that held only the kernel: the writer adds it back
        previous_fm = True
        previous = Cell("raw", "")
    for position, cell in enumerate(cells):
        facts: dict[str, Any] = dict(cell.layout)
        if position and cell.cell_type == "markdown" and len(facts) == 1 and "before" in facts:
            # most cells: markdown text read with nothing but the blank lines before it
            before = pack_gap(facts["before"])
            if before == (0 if previous is None else 1):
                cell.metadata.pop(LAYOUT_KEY, None)
            else:
                cell.metadata[LAYOUT_KEY] = {"before": before}
            previous, previous_fm = cell, False
            continue
        is_fm = bool(facts.pop("front_matter", False))
        if is_fm:
            gap = pack_gap(facts.pop("fm_marker_before", []))
            if gap != 0:
                facts["fm_marker_before"] = gap
            if "marker_text" in facts and facts["marker_text"] == format_marker(
                cell.cell_type, marker_data(cell, False, True), True
            ):
                facts.pop("marker_text")
        else:
            if position == 0 and is_front_matter_cell(cell):
                facts["not_front_matter"] = True
            _drop_cell_defaults(cell, facts, previous, language, previous_fm)
        if facts:
            cell.metadata[LAYOUT_KEY] = facts
        else:
            cell.metadata.pop(LAYOUT_KEY, None)
        previous, previous_fm = cell, is_fm


def _drop_cell_defaults(
    cell: Cell, facts: dict[str, Any], previous: Cell | None, language: str, previous_fm: bool
) -> None:
    before = pack_gap(facts.get("before", []))
    if before == (0 if previous is None else 1):
        facts.pop("before", None)
    else:
        facts["before"] = before
    had_marker = facts.pop("marker", False)
    after = facts.pop("after_marker", None)
    empty = facts.pop("empty", False)
    if had_marker:
        probe = Cell(cell.cell_type, cell.source, {**cell.metadata, LAYOUT_KEY: facts}, cell.id)
        probe_data = marker_data(probe, False, False, language)
        if facts.get("marker_text") == format_marker(cell.cell_type, probe_data, False):
            facts.pop("marker_text")
        probe.metadata[LAYOUT_KEY] = facts
        if not needs_marker(probe, previous, False, previous_fm, language, probe_data):
            facts["marker"] = True
        if after is not None and not empty and pack_gap(after) != 1:
            facts["after_marker"] = pack_gap(after)
    if cell.cell_type == "code":
        body = cell.source.split("\n") if cell.source else []
        if facts.get("one_blank_line"):
            body = [""]
        full = cellopts.join_options(
            body, cell.id, cell.metadata, language, facts.get("options"), False
        )
        default_fence = valid_fence(None, full)
        if facts.get("fence") == default_fence:
            facts.pop("fence")
        if facts.get("header") == "{" + language + "}":
            facts.pop("header")
        fence = facts.get("fence", default_fence)
        if facts.get("close") == facts.get("indent", "") + fence:
            facts.pop("close")
    elif cell.cell_type == "raw" and "raw_header" in facts:
        body = cell.source.split("\n") if cell.source else []
        if facts.get("fence") == valid_fence(None, body):
            facts.pop("fence")
        fmt = mimetype_to_format(cell.metadata.get("raw_mimetype"))
        if facts.get("raw_header") == "{=" + str(fmt) + "}":
            facts.pop("raw_header")
        if facts.get("close") == facts.get("fence", valid_fence(None, body)):
            facts.pop("close", None)
