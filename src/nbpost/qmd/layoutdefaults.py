"""The reader's last step: keep only the layout facts that differ from what the writer does.

The .qmd reader records every fact it sees (blank lines, fences, headers, markers...);
``drop_default_layout`` removes each one the writer would reproduce anyway, so a notebook
made from a plainly written post carries no ``nbpost`` metadata at all. It also adds the one
fact the writer needs from a reader: ``literal``, for text that shows chunk syntax inside a
fence or a comment (or leaves a comment open at the end), which the writer would otherwise
escape or close for Quarto (``nbpost.qmd.textcells``): as the author wrote it, it comes back.
"""

from __future__ import annotations

from typing import Any

from ..model import LAYOUT_KEY, Cell, Document
from . import cellopts, markers, textcells
from .layout import is_front_matter_cell, pack_gap, valid_fence
from .rawformats import mimetype_to_format
from .scan import format_marker
from .textcells import Executable

_LIFTED = frozenset(cellopts.LIFTED_METADATA_KEYS)


def drop_default_layout(doc: Document, executable: Executable | None = None) -> None:
    """Remove layout facts equal to the writer's defaults; drop empty layout dicts.

    ``executable`` says which chunk languages Quarto would run in this post
    (``textcells.executable_for``); by default, the kernel's.
    """
    language = doc.language
    if executable is None:
        executable = textcells.executable_for(language, False)
    cells = doc.cells
    previous: Cell | None = None
    previous_fm = False
    if cells and cells[0].layout.get("kernel_only"):
        cells.pop(0)  # front matter that held only the kernel: the writer adds it back
        previous_fm = True
        previous = Cell("raw", "")
    last = len(cells) - 1
    for position, cell in enumerate(cells):
        facts: dict[str, Any] = dict(cell.layout)
        is_fm = bool(facts.pop("front_matter", False))
        transformed = facts.pop("written_for_quarto", False)
        if (
            not is_fm
            and cell.cell_type != "code"
            and not transformed
            and textcells.may_need_care(cell.source)  # most text: no fence, no comment
        ):
            _mark_literal(cell, facts, language, executable, position == last)
        if position and cell.cell_type == "markdown" and len(facts) == 1 and "before" in facts:
            # most cells: markdown text read with nothing but the blank lines before it
            before = pack_gap(facts["before"])
            if before == (0 if previous is None else 1):
                cell.metadata.pop(LAYOUT_KEY, None)
            else:
                cell.metadata[LAYOUT_KEY] = {"before": before}
            previous, previous_fm = cell, False
            continue
        if is_fm:
            gap = pack_gap(facts.pop("fm_marker_before", []))
            if gap != 0:
                facts["fm_marker_before"] = gap
            if "marker_text" in facts and facts["marker_text"] == format_marker(
                cell.cell_type, markers.marker_data(cell, False, True), True
            ):
                facts.pop("marker_text")
        else:
            if position == 0 and is_front_matter_cell(cell):
                facts["not_front_matter"] = True
            _drop_cell_defaults(
                cell, facts, previous, language, previous_fm, executable, position == last
            )
        if facts:
            cell.metadata[LAYOUT_KEY] = facts
        else:
            cell.metadata.pop(LAYOUT_KEY, None)
        previous, previous_fm = cell, is_fm


def _mark_literal(
    cell: Cell, facts: dict[str, Any], language: str, executable: Executable, last: bool
) -> None:
    """Record ``literal`` when the writer would change this text as the .qmd holds it."""
    source = cell.source
    # text read from a .qmd never leaves a fence open (the reader refuses that); only a
    # comment open at the end of the post would get a closing line
    changes = textcells.text_needs_escape(source, language, executable)
    if not changes and "<!--" in source and not markers.is_fenced_raw(cell):
        changes = textcells.changes_text(source, language, executable, last)
    if changes:
        facts["literal"] = True


def _drop_cell_defaults(
    cell: Cell,
    facts: dict[str, Any],
    previous: Cell | None,
    language: str,
    previous_fm: bool,
    executable: Executable,
    last: bool,
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
        code = cell.cell_type == "code"
        form = None if code else markers.text_form(probe, language, executable, last)
        probe_data = markers.marker_data(probe, False, False, language, form)
        if facts.get("marker_text") == format_marker(cell.cell_type, probe_data, False):
            facts.pop("marker_text")
        probe.metadata[LAYOUT_KEY] = facts
        if not markers.needs_marker(probe, previous, False, previous_fm, language, probe_data):
            facts["marker"] = True
        if after is not None and not empty and pack_gap(after) != 1:
            facts["after_marker"] = pack_gap(after)
    if cell.cell_type == "code":
        _drop_chunk_defaults(cell, facts, language)
    elif cell.cell_type == "raw" and "raw_header" in facts:
        body = cell.source.split("\n") if cell.source else []
        if facts.get("fence") == valid_fence(None, body):
            facts.pop("fence")
        fmt = mimetype_to_format(cell.metadata.get("raw_mimetype"))
        if facts.get("raw_header") == "{=" + str(fmt) + "}":
            facts.pop("raw_header")
        if facts.get("close") == facts.get("fence", valid_fence(None, body)):
            facts.pop("close", None)


def _drop_chunk_defaults(cell: Cell, facts: dict[str, Any], language: str) -> None:
    if (
        "options" not in facts
        and not cell.metadata.keys() & _LIFTED
        and ("`" not in cell.source or "```" not in cell.source)
    ):
        # nothing for join_options to add, and no line of backticks: the writer's fence
        default_fence = "```"
    else:
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
