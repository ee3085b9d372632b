"""Sync one pair: find the side that changed since the last sync and update the other.

The rules (docs/sync.md):

- Neither side changed since the record → nothing to do.
- Only the text changed → rebuild the notebook from it, carrying outputs for unchanged cells.
- Only the notebook changed → rewrite the text from it.
- Both changed, or there is no record (a fresh clone) → if the notebook already says what the
  text says, just record them; if the notebook's text is what was last synced (only outputs
  or metadata changed, e.g. cells were run) the text wins and keeps those outputs; otherwise
  it is a conflict, settled only by ``prefer``. Modification times are never consulted: a git
  checkout resets them (the way jupytext#1100 lost notebooks).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..attachments import place
from ..textio import decode_utf8, read_input_bytes, write_if_changed
from .convert import check_text_keeps_notebook, notebook_from_text, text_from_notebook
from .guarded import ChangedMeanwhile, replace_guarded
from .pairs import Pair
from .record import Entry, SyncRecord, digest, project_lock, record_root

Side = Literal["qmd", "ipynb"]
Action = Literal["in-sync", "recorded", "update-ipynb", "update-qmd", "conflict"]


@dataclass
class SyncResult:
    """What syncing one pair did (or, on a dry run, would do)."""

    pair: Pair
    action: Action
    written: list[Path] = field(default_factory=list)  # would be written, on a dry run
    kept_outputs: int = 0  # code cells that kept their outputs (text -> notebook)
    message: str = ""

    @property
    def conflict(self) -> bool:
        """Both sides changed and nothing said which one wins."""
        return self.action == "conflict"

    @property
    def changed(self) -> bool:
        """Whether a file of the pair was (or would be) written."""
        return bool(self.written)


def _conflict(pair: Pair, recorded: bool) -> SyncResult:
    why = (
        "both changed since they were last synced" if recorded else "differ and have no sync record"
    )
    return SyncResult(
        pair,
        "conflict",
        message=f"{pair.qmd} and {pair.ipynb} {why}; keep one with --prefer qmd|ipynb",
    )


def _differs(path: Path, payload: str | bytes) -> bool:
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    try:
        return path.read_bytes() != data
    except OSError:
        return True


def sync_pair(
    pair: Pair,
    *,
    prefer: Side | None = None,
    dry_run: bool = False,
    record: SyncRecord | None = None,
    record_changes: bool = True,
) -> SyncResult:
    """Bring one pair in sync; return what happened (``conflict`` when both sides changed).

    Raises NbpostError (or OSError) for unreadable or invalid input, having written nothing.
    With ``dry_run`` nothing is written, the record included. A ``record`` passed in is
    updated but not saved (the caller saves it once); otherwise the pair's record is loaded
    and saved here. With ``record_changes=False`` only pairs found in sync are recorded: a
    pre-commit hook's fixes can be rolled back by pre-commit (when they clash with unstaged
    changes), and a record of rolled-back content would mislead the next sync.

    The pair is read, decided and written under the project's lock (a Jupyter save holds it
    too), and a file is replaced only while it still holds the bytes read here: a side that
    changes meanwhile (an editor's save) leaves the pair as it is, reported as a conflict.
    """
    root = record_root(pair)
    lock = contextlib.nullcontext() if dry_run else project_lock(root)
    with lock:
        book = SyncRecord.load(root) if record is None else record
        try:
            result = _sync_locked(pair, book, prefer, dry_run, record_changes)
        except ChangedMeanwhile as exc:
            return SyncResult(
                pair, "conflict", message=f"{exc}; run 'nbpost sync' again to settle the pair"
            )
        if record is None and not dry_run:
            book.save()
    return result


Converted = tuple[str, dict[str, str | bytes]] | None


def _decide(
    projected: str, qmd_text: str, entry: Entry | None, prefer: Side | None
) -> Side | Literal["conflict"] | None:
    """Which side wins when both changed (or there is no record): None when they agree."""
    if projected == qmd_text:
        return None  # they agree already: only the record is new
    if entry is not None and digest(projected.encode("utf-8")) == entry.qmd_sha256:
        return "qmd"  # the notebook's cells are as last synced: only outputs changed
    return prefer if prefer is not None else "conflict"


def _sync_locked(
    pair: Pair, book: SyncRecord, prefer: Side | None, dry_run: bool, record_changes: bool
) -> SyncResult:
    qmd_bytes = read_input_bytes(pair.qmd)  # over the size limit: refused, one line
    nb_bytes = read_input_bytes(pair.ipynb)
    qmd_text = decode_utf8(qmd_bytes, pair.qmd)
    nb_text = decode_utf8(nb_bytes, pair.ipynb)
    entry = book.current(pair)
    qmd_changed = entry is None or entry.qmd_sha256 != digest(qmd_bytes)
    nb_changed = entry is None or entry.ipynb_sha256 != digest(nb_bytes)
    if not qmd_changed and not nb_changed:
        return SyncResult(pair, "in-sync")

    converted: Converted = None  # the notebook as text, when deciding needed it
    if entry is not None and (not nb_changed or not qmd_changed):
        source: Side | None = "qmd" if not nb_changed else "ipynb"
    else:
        converted = text_from_notebook(nb_text, qmd_text, pair.ipynb, pair.qmd)
        decided = _decide(converted[0], qmd_text, entry, prefer)
        if decided == "conflict":
            return _conflict(pair, entry is not None)
        source = decided

    result = SyncResult(pair, "recorded")
    new_qmd, new_nb = qmd_bytes, nb_bytes
    if source == "qmd":
        notebook, kept = notebook_from_text(qmd_text, nb_text, pair.qmd, pair.ipynb)
        result = SyncResult(pair, "update-ipynb", kept_outputs=kept)
        new_nb = notebook.encode("utf-8")
        if new_nb != nb_bytes:
            result.written.append(pair.ipynb)
            if not dry_run:
                replace_guarded(pair.ipynb, new_nb, nb_bytes)
    elif source == "ipynb":
        text, files = converted or text_from_notebook(nb_text, qmd_text, pair.ipynb, pair.qmd)
        check_text_keeps_notebook(nb_text, text, pair.ipynb, pair.qmd, qmd_text)
        result = SyncResult(pair, "update-qmd")
        new_qmd = text.encode("utf-8")
        for target, payload in place(pair.qmd.parent, files).items():
            # write_if_changed compares before writing; a dry run only compares
            if _differs(target, payload) if dry_run else write_if_changed(target, payload):
                result.written.append(target)
        if new_qmd != qmd_bytes:
            result.written.append(pair.qmd)
            if not dry_run:
                replace_guarded(pair.qmd, new_qmd, qmd_bytes)
    if not result.written and source is not None:
        result.action = "recorded"  # nothing to write after all (e.g. only outputs changed)
    if not dry_run and (record_changes or not result.written):
        book.put(pair, new_qmd, new_nb)
    return result
