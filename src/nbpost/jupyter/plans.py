"""What a Jupyter save must write besides (or instead of) what it was asked to, checked first.

The rule (docs/jupyter.md, "What nbpost will never do"): a save replaces a file only when the
file holds nothing the user would lose. For a notebook loaded by nbpost (``views``) that means
the file is as that notebook last loaded or saved it; for any other client, that it is what
nbpost last recorded as synced (or holds nothing the other side lacks). A file that already
holds the new content is never rewritten. Otherwise the save is refused (``SaveRefused``, 409)
with one line naming the file, and nothing is written.

* saving ``X.ipynb`` rewrites its paired post ``X.qmd`` (Jupyter writes the notebook itself);
* saving a notebook model to ``X.qmd`` (a post opened as a notebook) writes the post and its
  notebook ``X.ipynb``, unless no cell changed (a kernel attached, outputs folded): then it
  writes nothing at all;
* saving ``X.qmd`` as text brings ``X.ipynb`` up to date when the notebook holds no edits the
  text lacks; the text itself is always saved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import ipynb
from ..errors import NbpostError
from ..sync import Pair, SyncRecord, record_root
from ..sync.record import digest
from . import views
from .pairing import (
    SaveRefused,
    holds_no_unsynced_edits,
    notebook_from_text,
    pair_of,
    paired_notebook,
    paired_text,
    read_bytes,
    text_from_notebook,
    view_only,
)

# Notebook metadata a kernel or the notebook UI sets: a save that changes only these (in a
# post opened as a notebook) writes nothing.
KERNEL_KEYS = frozenset({"kernelspec", "language_info"})
UI_CELL_KEYS = frozenset({"collapsed", "scrolled", "trusted", "jupyter", "execution"})


@dataclass
class TextSave:
    """The files one save must write beside (or instead of) what Jupyter writes, checked."""

    text_path: Path
    text: str | None  # None: the post stays as it is
    notebook_path: Path
    notebook_text: str | None = None  # None: Jupyter writes the notebook itself, or nothing
    extra_files: dict[Path, bytes] = field(default_factory=dict)
    text_before: bytes | None = None  # the post as checked (replaced only while it holds this)
    notebook_before: bytes | None = None
    view: views.View | None = None

    @property
    def pair(self) -> Pair:
        """The post and its notebook."""
        return Pair(self.text_path, self.notebook_path)

    @property
    def writes_nothing(self) -> bool:
        """A save that changed no cell: neither file is written."""
        return self.text is None and self.notebook_text is None


def _decode(data: bytes | None, path: Path) -> str | None:
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SaveRefused("is not valid UTF-8 text; nbpost leaves it as it is", path) from None


def without_trust(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook without the ``trusted`` flags Jupyter adds to code cells on loading (Jupyter
    removes them before saving a notebook; nbpost's writes must too)."""
    cells = []
    for cell in nb.get("cells", []):
        metadata = cell.get("metadata") if isinstance(cell, dict) else None
        if isinstance(metadata, dict) and "trusted" in metadata:
            cell = {**cell, "metadata": {k: v for k, v in metadata.items() if k != "trusted"}}
        cells.append(cell)
    return {**nb, "cells": cells}


def _refuse(path: Path, view: views.View | None, side: views.Side) -> SaveRefused:
    if view is not None and views.SAVED.get(view) is None and view.base(side) == views.UNSYNCED:
        return SaveRefused(
            "holds edits this notebook does not have; nothing was saved. Save this notebook "
            f"under another name, run 'nbpost sync {path.name}', then reload it",
            path,
        )
    return SaveRefused(
        "changed on disk since this notebook was loaded or last saved (another editor, or "
        "nbpost sync); nothing was saved, so that change is kept. Save this notebook under "
        "another name, then reload it",
        path,
    )


def _recorded(pair: Pair, side: str, current: bytes) -> bool:
    entry = SyncRecord.load(record_root(pair)).get(pair)
    recorded = None if entry is None else entry.qmd_sha256 if side == "qmd" else entry.ipynb_sha256
    return recorded == digest(current)


def plan_notebook_save(
    nb: dict[str, Any], notebook_path: Path, root: Path, view: views.View | None
) -> tuple[TextSave | None, str | None]:
    """What saving ``X.ipynb`` must also write (its post), or None when it has no post; and a
    problem worth a warning. Refuses when the post holds edits this save would overwrite."""
    found = paired_text(notebook_path, root)
    if found.pair is None:
        return None, found.problem
    text_path = found.pair.qmd
    text_before, notebook_before = read_bytes(text_path), read_bytes(notebook_path)
    old_text = _decode(text_before, text_path)
    text, files = text_from_notebook(without_trust(nb), text_path, old_text)
    pair = Pair(text_path, notebook_path)
    if view is not None and not views.may_replace(view, "ipynb", notebook_before):
        raise _refuse(notebook_path, view, "ipynb")
    if text_before is not None and text != old_text:
        if view is not None:
            allowed = views.may_replace(view, "qmd", text_before)
        else:
            allowed = holds_no_unsynced_edits("qmd", pair, text_before, notebook_before)
        if not allowed:
            raise _refuse(text_path, view, "qmd")
    plan = TextSave(text_path, None if text == old_text else text, notebook_path, None, files)
    plan.text_before, plan.notebook_before, plan.view = text_before, notebook_before, view
    return plan, found.problem


def plan_text_save(
    nb: dict[str, Any], text_path: Path, root: Path, view: views.View | None
) -> TextSave:
    """What saving a notebook model to ``X.qmd`` writes: the verified text and ``X.ipynb``."""
    notebook_path = paired_notebook(text_path, root)
    text_before, notebook_before = read_bytes(text_path), read_bytes(notebook_path)
    old_text = _decode(text_before, text_path)
    clean = without_trust(nb)
    text, files = text_from_notebook(clean, text_path, old_text)
    notebook_text = ipynb.dumps(clean)
    plan = TextSave(text_path, text, notebook_path, notebook_text, files, text_before)
    plan.notebook_before, plan.view = notebook_before, view
    if notebook_before is None and view_only(text_path, notebook_path):
        plan.notebook_text = None  # outputs of a plain .md live in the open tab only
    if text == old_text:
        plan.text = None
        if plan.notebook_text is None or only_view_state_changed(clean, notebook_before):
            plan.notebook_text = None
            return plan  # a kernel attached, outputs were folded: nothing to write
    pair = Pair(text_path, notebook_path)
    if plan.text is not None and text_before is not None:
        allowed = (
            views.may_replace(view, "qmd", text_before)
            if view is not None
            else _recorded(pair, "qmd", text_before)
        )
        if not allowed:
            raise _refuse(text_path, view, "qmd")
    if notebook_before is not None and notebook_before != notebook_text.encode("utf-8"):
        allowed = (
            views.may_replace(view, "ipynb", notebook_before)
            if view is not None
            else holds_no_unsynced_edits("ipynb", pair, text_before, notebook_before)
        )
        if not allowed:
            raise _refuse(notebook_path, view, "ipynb")
    return plan


def only_view_state_changed(nb: dict[str, Any], notebook_before: bytes | None) -> bool:
    """Whether a notebook differs from the one on disk only in kernel and UI metadata (or, with
    no notebook on disk, holds no outputs): what merely looking at a post changes."""
    if notebook_before is None:
        return not any(
            cell.get("outputs") for cell in nb.get("cells", []) if isinstance(cell, dict)
        )
    try:  # both as a notebook file holds them (sources split in lines), then compared
        return _content(json.loads(ipynb.dumps(nb))) == _content(json.loads(notebook_before))
    except (ValueError, TypeError, AttributeError):
        return False


def _content(nb: dict[str, Any]) -> tuple[Any, ...]:
    """A notebook without kernel and UI metadata."""
    metadata = {k: v for k, v in nb.get("metadata", {}).items() if k not in KERNEL_KEYS}
    cells = [
        {**cell, "metadata": {k: v for k, v in cell["metadata"].items() if k not in UI_CELL_KEYS}}
        for cell in nb["cells"]
    ]
    rest = {k: v for k, v in nb.items() if k not in ("cells", "metadata")}
    return rest, metadata, cells


def plan_text_file_save(
    text: str, text_path: Path, root: Path
) -> tuple[TextSave | None, str | None]:
    """What saving a post as text must also write: (its paired notebook brought up to date, or
    None with the reason it is left as it is; None, None when the post has no notebook).

    The text itself is always saved: nothing is lost by saving the text alone.
    """
    found = pair_of(text_path, root)
    pair = found.pair
    if pair is None or not pair.ipynb.is_file():
        return None, found.problem
    text_before, notebook_before = read_bytes(text_path), read_bytes(pair.ipynb)
    name = pair.ipynb.name
    if not holds_no_unsynced_edits("ipynb", pair, text_before, notebook_before):
        return None, (
            f"{name} left as it is: it was changed since it was last in sync with "
            f"{text_path.name}; run 'nbpost sync' to settle the pair"
        )
    try:
        old = None if notebook_before is None else notebook_before.decode("utf-8")
        notebook_text = notebook_from_text(text, old, text_path, pair.ipynb)
    except (NbpostError, UnicodeDecodeError) as exc:
        return None, f"{name} left as it is until the post reads again: {exc}"
    plan = TextSave(text_path, None, pair.ipynb, notebook_text, {}, text_before, notebook_before)
    return plan, found.problem
