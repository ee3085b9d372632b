"""Carry outputs from an existing notebook onto freshly converted cells.

The rule (shared with ``nbpost sync``): a new code cell takes the outputs and execution count
of an old code cell with the same id and the same source, else of the old cell with the same
source it lines up with in order, else of a moved one with the same source (``_match_cells``).
An edited cell gets none, so no stale output survives (the failure users report with
jupytext#1100); one edited where it stood keeps its id.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from .. import attachments
from ..errors import NbpostError
from ..model import LAYOUT_KEY, Cell, Document
from ..qmd.cellopts import LIFTED_METADATA_KEYS
from ..qmd.ids import assign_ids, is_assigned
from ..qmd.kernels import kernel_by_name, language_info_for
from ..qmd.layout import quarto_options_from_metadata
from .document import copy_json  # notebook JSON only: about four times quicker than deepcopy

# Cell metadata the text file decides; everything else is notebook-only and carried over.
TEXT_OWNED_KEYS = frozenset({LAYOUT_KEY, "raw_mimetype", *LIFTED_METADATA_KEYS})


def carry_outputs(new: Document, old: Document, attachments_folder: str | None = None) -> int:
    """Copy outputs and execution counts from ``old`` onto matching cells of ``new``.

    Also keeps each matched cell's notebook-only metadata (``collapsed``, ``scrolled``...) and,
    for any cell whose type and source are unchanged, its id and attachments; a cell edited
    where it stood keeps its id and metadata (``_keep_edited_cells``). With
    ``attachments_folder`` (where the text's attachment files are, ``<stem>_files/attachments``)
    a text cell whose ``attachment:`` links were written as links to those files gets its
    links and attachments back; a code cell whose metadata options the text holds as ``#|``
    lines gets its source back as the notebook had it. Returns how many code cells received
    outputs.
    """
    linked = _linked_sources(old, attachments_folder)  # id(old cell) -> source with file links
    matched = _match_cells(new, old, linked)
    carried = 0
    for position, match in sorted(matched.items()):
        cell = new.cells[position]
        if match.id:
            cell.id = match.id
        if linked.get(id(match)) == cell.source:
            cell.source = match.source  # as the notebook holds it (links, options: see above)
        for key, value in match.metadata.items():
            if key not in TEXT_OWNED_KEYS:
                cell.metadata.setdefault(key, copy_json(value))
        if match.attachments is not None and cell.attachments is None:
            cell.attachments = copy_json(match.attachments)
        if cell.cell_type == "code" and (match.outputs or match.execution_count is not None):
            cell.outputs = copy_json(match.outputs)
            cell.execution_count = match.execution_count
            carried += 1
    if len(matched) < len(new.cells):
        _keep_edited_cells(new, old, matched)
    for key, value in old.metadata.items():
        if key not in ("kernelspec", "nbpost"):
            new.metadata.setdefault(key, copy_json(value))
    _keep_language_info(new, old)
    _keep_kernel_absent(new, old)
    _unique_ids(new.cells)
    return carried


def _match_cells(new: Document, old: Document, linked: dict[int, str]) -> dict[int, Cell]:
    """Which old cell each new cell is, by its position in ``new`` (unchanged cells only).

    First the cells whose id and source are the old cell's; then the others aligned in order
    by type and source (``difflib``: of two cells with the same source, each finds its own,
    where taking the first unused one could give a cell its twin's id and outputs); then
    cells moved elsewhere, by source.
    """
    by_id: dict[str, Cell] = {c.id: c for c in old.cells if c.id}
    matched: dict[int, Cell] = {}
    used: set[int] = set()
    for position, cell in enumerate(new.cells):
        match = by_id.get(cell.id) if cell.id else None
        if (
            match is not None
            and id(match) not in used
            and match.cell_type == cell.cell_type
            and match.source == cell.source
        ):
            matched[position] = match
            used.add(id(match))
    if len(matched) == len(new.cells):
        return matched  # the usual case: no source hashed at all
    rest_new = [p for p in range(len(new.cells)) if p not in matched]
    rest_old = [c for c in old.cells if id(c) not in used]
    old_keys = [(c.cell_type, linked.get(id(c), c.source)) for c in rest_old]
    new_keys = [(new.cells[p].cell_type, new.cells[p].source) for p in rest_new]
    aligned = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for block in aligned.get_matching_blocks():
        for k in range(block.size):
            matched[rest_new[block.b + k]] = rest_old[block.a + k]
            used.add(id(rest_old[block.a + k]))
    moved = [p for p in rest_new if p not in matched]
    by_source = _by_source(old, linked) if moved else {}  # every source hashed: only if needed
    for position in moved:
        cell = new.cells[position]
        candidates = by_source.get((cell.cell_type, cell.source), [])
        match = next((c for c in candidates if id(c) not in used), None)
        if match is not None:
            matched[position] = match
            used.add(id(match))
    return matched


# Cell metadata about the last run of the code: stale once the code changed.
RUN_KEYS = frozenset({"execution", "ExecuteTime"})


def _keep_edited_cells(new: Document, old: Document, matched: dict[int, Cell]) -> None:
    """An edited cell that stands where it stood keeps its id and notebook-only metadata.

    Between two cells found again (or an end of the notebook), a run of new cells and the old
    cells left between their matches, as many and of the same types in order, are the same
    cells edited: each keeps the old one's id (a notebook's diff then shows a cell changed,
    not one removed and one added, and JupyterLab keeps what it hangs on the id) and its
    metadata but the text's and the last run's. Not its outputs: they no longer describe it.
    """
    at = {id(cell): index for index, cell in enumerate(old.cells)}
    taken = set(at[id(cell)] for cell in matched.values())
    anchors = [(p, at[id(c)]) for p, c in sorted(matched.items())]
    previous_new, previous_old = -1, -1
    for new_end, old_end in [*anchors, (len(new.cells), len(old.cells))]:
        if old_end > previous_old:  # not a cell moved before the last one found
            run = new.cells[previous_new + 1 : new_end]
            left = [old.cells[k] for k in range(previous_old + 1, old_end) if k not in taken]
            if run and len(run) == len(left):
                pairs = list(zip(run, left, strict=True))
                if all(cell.cell_type == was.cell_type for cell, was in pairs):
                    for cell, was in pairs:
                        _keep_identity(cell, was, new.language)
        previous_new, previous_old = new_end, max(previous_old, old_end)


def _keep_identity(cell: Cell, was: Cell, language: str) -> None:
    """Give an edited cell its old id (unless the text names one) and kept metadata."""
    if was.id and (cell.id is None or is_assigned(cell, language)):
        cell.id = was.id
    for key, value in was.metadata.items():
        if key not in TEXT_OWNED_KEYS and key not in RUN_KEYS:
            cell.metadata.setdefault(key, copy_json(value))


def _by_source(old: Document, linked: dict[int, str]) -> dict[tuple[str, str], list[Cell]]:
    """Old cells by (type, source), in order; a cell the text writes differently is also
    found by its source as the text holds it (``_linked_sources``)."""
    by_source: dict[tuple[str, str], list[Cell]] = defaultdict(list)
    for cell in old.cells:
        by_source[(cell.cell_type, cell.source)].append(cell)
    for cell in old.cells:
        if id(cell) in linked:
            by_source[(cell.cell_type, linked[id(cell)])].append(cell)
    return by_source


def _linked_sources(old: Document, folder: str | None) -> dict[int, str]:
    """``id()`` of each old cell the text writes differently -> its source as the text holds
    it: a text cell's ``attachment:`` links as links to the files ``attachments.extract``
    wrote into ``folder`` (named from the old ids), a code cell's Quarto options kept in
    its metadata (``{"echo": false}``) as ``#|`` lines above its source."""
    projected: dict[int, str] = {}
    language = old.language
    for cell in old.cells:
        if cell.cell_type == "code":
            options = quarto_options_from_metadata(cell, language)
            if options:
                projected[id(cell)] = "\n".join([*options, cell.source])
    if folder is None or not any(c.attachments for c in old.cells if c.cell_type != "code"):
        return projected
    copies = [
        Cell(c.cell_type, c.source, id=c.id, attachments=copy_json(c.attachments))
        for c in old.cells
    ]
    try:
        attachments.extract(Document(cells=copies), folder)
    except NbpostError:
        return projected
    for cell, twin in zip(old.cells, copies, strict=True):
        if cell.attachments and twin.source != cell.source:
            projected[id(cell)] = twin.source
    return projected


def _keep_kernel_absent(new: Document, old: Document) -> None:
    """A notebook without a kernelspec is Python; the text's implied kernel adds nothing."""
    if "kernelspec" not in old.metadata and new.kernelspec == kernel_by_name("python3"):
        new.metadata.pop("kernelspec", None)
        if "language_info" in old.metadata:
            # Python whatever it says (Quarto's jupyterFromJSON): the notebook's own record
            new.metadata["language_info"] = copy_json(old.metadata["language_info"])
            return
    info = new.metadata.get("language_info")
    if "language_info" not in old.metadata and info == language_info_for(
        new.kernelspec or kernel_by_name("python3")
    ):
        new.metadata.pop("language_info", None)


def _keep_language_info(new: Document, old: Document) -> None:
    """Keep what Jupyter recorded about the language (version, mimetype...) when it is the same.

    The text only implies ``language_info.name``; without this, converting a post onto its
    notebook would drop the ``version`` and ``codemirror_mode`` the kernel wrote there.
    """
    fresh, recorded = new.metadata.get("language_info"), old.metadata.get("language_info")
    if not isinstance(fresh, dict) or not isinstance(recorded, dict):
        return
    if new.kernelspec == old.kernelspec:
        # the same kernel: what it recorded stands, even where it names the language its own
        # way (SageMath kernels say "python"; .NET's F# kernel says "C#")
        new.metadata["language_info"] = copy_json(recorded)
    elif fresh.get("name") == recorded.get("name"):
        new.metadata["language_info"] = {**copy_json(recorded), **fresh}


def _unique_ids(cells: list[Cell]) -> None:
    seen: set[str] = set()
    for cell in cells:
        if cell.id in seen:
            cell.id = None
        elif cell.id:
            seen.add(cell.id)
    if any(cell.id is None for cell in cells):
        assign_ids(cells, "python")
