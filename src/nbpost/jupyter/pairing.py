"""Which files pair in Jupyter, and converting between them: plain functions, no Jupyter imports.

The contents manager (``contents.py``) only moves models and files; what a save must check and
write is planned in ``plans.py``; this module answers the questions both ask:

* which post pairs with a notebook and which notebook with a post (the rules of ``nbpost
  sync``), limited to the Jupyter server's root: a partner outside it (a ``notebook-dir`` of a
  ``_quarto.yml`` above the root) is not read or written, and an invalid ``notebook-dir``
  leaves only partners side by side (with a warning), so it never blocks a notebook save;
* the text of a notebook, verified to convert back to the same cells, and the notebook of a
  text with the outputs of unchanged cells;
* whether one side of a pair holds edits the other lacks.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import attachments, ipynb, sync
from ..errors import ConfigError, NbpostError
from ..project.paths import is_inside
from ..sync import Pair, SyncRecord, find_pair, new_partner
from ..sync.convert import TextLosesCells
from ..sync.pairs import TEXT_SUFFIXES, is_notebook, is_text, partner_candidates, text_can_pair
from ..sync.record import RECORD_FILE, digest, record_root


class SaveRefused(NbpostError):
    """A save that would lose content or overwrite unsynced edits; nothing was written."""

    def __init__(self, message: str, path: str | Path | None = None, status: int = 409):
        super().__init__(message, path)
        self.status = status


@dataclass(frozen=True)
class Found:
    """A pair found for a file (or None), and a problem worth a warning (or None)."""

    pair: Pair | None
    problem: str | None = None


def is_text_post(path: str | Path) -> bool:
    """Whether a path names a post nbpost can open as a notebook (.qmd or .md)."""
    return is_text(Path(path))


def _beside(path: Path) -> list[Path]:
    """The partners side by side (what pairs without reading ``_quarto.yml``)."""
    if is_notebook(path):
        return [path.with_suffix(suffix) for suffix in TEXT_SUFFIXES]
    return [path.with_suffix(".ipynb")] if is_text(path) else []


def _candidates(path: Path) -> tuple[list[Path], str | None]:
    """Where the other side of ``path`` may live; a config problem falls back to beside."""
    try:
        return partner_candidates(path), None
    except ConfigError as exc:
        return _beside(path), f"{exc}; only files side by side pair until it is fixed"


def pair_of(path: Path, root: Path) -> Found:
    """The pair an existing post or notebook belongs to, inside the server's ``root``."""
    problem = None
    try:
        pair = find_pair(path)
    except ConfigError as exc:
        problem = f"{exc}; only files side by side pair until it is fixed"
        pair = _existing_pair(path, _beside(path))
    if pair is not None and not (is_inside(pair.qmd, root) and is_inside(pair.ipynb, root)):
        outside = pair.ipynb if pair.qmd == path else pair.qmd
        return Found(None, f"{outside} pairs with {path.name} but is outside the server's root")
    return Found(pair, problem)


def _existing_pair(path: Path, candidates: list[Path]) -> Pair | None:
    partner = next((c for c in candidates if c.is_file()), None)
    if partner is None:
        return None
    if is_notebook(path):
        return Pair(partner, path) if text_can_pair(partner) else None
    return Pair(path, partner) if text_can_pair(path) else None


def paired_text(notebook_path: Path, root: Path) -> Found:
    """The post paired with a notebook (``X.qmd``, else ``X.md``), when one exists.

    A notebook saved for the first time has no pair yet for ``find_pair``; an existing post
    where it would pair still counts, so that its text is protected by the same checks.
    """
    if notebook_path.is_file():
        return pair_of(notebook_path, root)
    candidates, problem = _candidates(notebook_path)
    pair = _existing_pair(notebook_path, candidates)
    if pair is not None and not is_inside(pair.qmd, root):
        return Found(None, f"{pair.qmd} pairs with {notebook_path.name} but is outside the root")
    return Found(pair, problem)


def paired_notebook(text_path: Path, root: Path) -> Path:
    """The notebook paired with a post: the existing one, else where ``nbpost pair`` puts it.

    Raises ConfigError for an invalid ``notebook-dir`` and SaveRefused (403) when that place
    is outside the server's root: a post opened as a notebook stores its notebook there.
    """
    pair = find_pair(text_path)
    notebook = pair.ipynb if pair is not None else new_partner(text_path)
    if not is_inside(notebook, root):
        shown = Path(os.path.relpath(notebook, root)).as_posix()
        raise SaveRefused(
            f"its notebook belongs at {shown}, outside the folder this Jupyter server "
            "serves; start Jupyter in the project's folder to open it as a notebook",
            text_path,
            403,
        )
    return notebook


def view_only(text_path: Path, notebook_path: Path) -> bool:
    """Whether a post opened as a notebook is a view of its text alone: a plain ``.md`` with no
    notebook yet. Quarto never executes a ``.md``, and ``X.ipynb`` beside ``X.md`` would be a
    second input of the blog (only ``X.qmd`` hides it: ``intermediateFiles`` in quarto-cli's
    ``src/execute/jupyter/jupyter.ts``), so no save creates one; ``nbpost pair`` does on request.
    """
    return text_path.suffix.lower() == ".md" and not notebook_path.exists()


def record_inside(pair: Pair, root: Path) -> bool:
    """Whether the pair's sync record (and its lock) live inside the server's root."""
    return is_inside(record_root(pair) / RECORD_FILE, root)


def notebook_from_text(text: str, old_notebook: str | None, path: Path, notebook: Path) -> str:
    """Notebook JSON text for a post, with outputs of unchanged cells from its old notebook."""
    notebook_text, _ = sync.notebook_from_text(text, old_notebook, path, notebook)
    return notebook_text


def text_from_notebook(
    nb: dict[str, Any], text_path: Path, old_text: str | None
) -> tuple[str, dict[Path, bytes]]:
    """The post's text for notebook data, verified to keep every cell; raise SaveRefused if not.

    Returns the text and the attachment files to write beside it.
    """
    try:
        ipynb.check(nb, text_path)
        notebook_text = ipynb.dumps(nb)
    except NbpostError as exc:
        raise SaveRefused(
            f"not a notebook nbpost can save: {exc.message}", text_path, 400
        ) from None
    if not nb["cells"] and old_text and old_text.strip():
        raise SaveRefused(
            "refusing to save a notebook with no cells over a non-empty post", text_path
        )
    try:
        text, files = sync.text_from_notebook(notebook_text, old_text, text_path, text_path)
    except NbpostError as exc:
        raise SaveRefused(f"cannot write the post: {exc.message}", text_path, 422) from None
    if old_text and old_text.strip() and not text.strip():
        raise SaveRefused("refusing to replace a non-empty post with an empty one", text_path)
    try:  # the text is read back: a text nbpost cannot read, or that loses cells, is refused
        sync.check_text_keeps_notebook(notebook_text, text, text_path, text_path, old_text)
    except TextLosesCells as exc:
        raise SaveRefused(
            f"refusing to save: the text would not convert back to the same cells "
            f"(first difference at cell {exc.cell}); the post is unchanged",
            text_path,
            422,
        ) from None
    except NbpostError as exc:
        raise SaveRefused(f"cannot write the post: {exc.message}", text_path, 422) from None
    try:  # every path checked to stay in the post's folder (``attachments.place``)
        placed = attachments.place(text_path.parent, files)
    except NbpostError as exc:
        raise SaveRefused(f"cannot write the post: {exc.message}", text_path, 403) from None
    payloads = {
        target: data.encode("utf-8") if isinstance(data, str) else data
        for target, data in placed.items()
    }
    return text, payloads


def in_step(pair: Pair, text: bytes | None, notebook: bytes | None) -> bool:
    """Whether the two files hold the same post: the notebook's cells are the text's (read
    with the text's kernel, pasted images as the files the text links to)."""
    if text is None or notebook is None:
        return False
    try:
        post = text.decode("utf-8")
        sync.check_text_keeps_notebook(notebook.decode("utf-8"), post, pair.ipynb, pair.qmd, post)
    except (NbpostError, ValueError, RecursionError):
        return False
    return True


def holds_no_unsynced_edits(
    side: str, pair: Pair, text: bytes | None, notebook: bytes | None
) -> bool:
    """Whether one side of a pair (``side``: "qmd" or "ipynb") holds no edits the other lacks:
    unchanged since the last sync (by the sync record), or the pair is in step.

    ``text`` and ``notebook`` are the two files as they are on disk (None: missing).
    """
    current = text if side == "qmd" else notebook
    if current is None:
        return True
    entry = SyncRecord.load(record_root(pair)).get(pair)
    if entry is not None:
        recorded = entry.qmd_sha256 if side == "qmd" else entry.ipynb_sha256
        if recorded == digest(current):
            return True
    return in_step(pair, text, notebook)


def read_bytes(path: Path) -> bytes | None:
    """A file's bytes, or None when it does not exist (or is a folder)."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def decode_optional(data: bytes | None) -> str | None:
    """Bytes as UTF-8 text, or None when there are none or they are not UTF-8."""
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
