"""What the Jupyter integration decides, as plain functions over text: no Jupyter imports here.

The contents manager (``contents.py``) only moves models and files; every rule about a post
and its paired notebook lives here so it can be tested without a server:

* a notebook saved as ``X.ipynb`` rewrites ``X.qmd`` (or ``X.md``) beside it;
* a ``.qmd`` opened as a notebook is converted by nbpost, with outputs carried from ``X.ipynb``;
* before any ``.qmd`` is written, the new text is parsed back and must hold the same cells,
  and a save that would empty a non-empty post is refused (jupyterlab-quarto#14);
* a ``.qmd`` edited on disk since the notebook was last written is never overwritten by a
  notebook save (the both-sides conflict of jupytext#1100): the save is refused instead;
* a ``.qmd`` saved as text (JupyterLab's text editor) brings its paired notebook up to date,
  keeping the outputs of unchanged cells, unless the notebook holds edits the text lacks or
  the text cannot be read as a post yet: then only the text is saved, and ``nbpost sync``
  settles the pair later. A text save is never refused: nothing is lost either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import ipynb, qmd, sync
from ..errors import NbpostError
from ..roundtrip import notebook_summary
from ..sync import Pair, SyncRecord, find_pair, new_partner
from ..sync.convert import TextLosesCells
from ..sync.pairs import is_text, partner_candidates
from ..sync.record import digest, record_root


class SaveRefused(NbpostError):
    """A save that would lose content or overwrite unsynced edits; nothing was written."""

    def __init__(self, message: str, path: str | Path | None = None, status: int = 409):
        super().__init__(message, path)
        self.status = status


@dataclass
class TextSave:
    """The files one notebook save must write beside (or instead of) the notebook."""

    text_path: Path
    text: str
    notebook_path: Path
    notebook_text: str | None = None  # None: the contents manager writes the notebook itself
    extra_files: dict[Path, bytes] = field(default_factory=dict)


def is_text_post(path: str | Path) -> bool:
    """Whether a path names a post nbpost can open as a notebook (.qmd or .md)."""
    return is_text(Path(path))


def paired_text(notebook_path: Path) -> Path | None:
    """The post paired with a notebook (``X.qmd``, else ``X.md``), when one exists.

    A notebook saved for the first time has no pair yet for ``find_pair``; an existing post
    where it would pair still counts, so that its text is protected by the same checks.
    """
    if notebook_path.is_file():
        pair = find_pair(notebook_path)
        return pair.qmd if pair is not None else None
    return next((p for p in partner_candidates(notebook_path) if p.is_file()), None)


def paired_notebook(text_path: Path) -> Path:
    """The notebook paired with a post: the existing one, else where ``nbpost pair`` puts it."""
    pair = find_pair(text_path)
    return pair.ipynb if pair is not None else new_partner(text_path)


def notebook_from_text(text: str, old_notebook: str | None, path: Path) -> str:
    """Notebook JSON text for a post, with outputs of unchanged cells from its old notebook."""
    notebook_text, _ = sync.notebook_from_text(text, old_notebook, path, paired_notebook(path))
    return notebook_text


def text_from_notebook(
    nb: dict[str, Any], text_path: Path, old_text: str | None
) -> tuple[str, dict[Path, bytes]]:
    """The post's text for notebook data, verified to keep every cell; raise SaveRefused if not.

    Returns the text and the attachment files to write beside it.
    """
    try:
        ipynb.check(nb, text_path)
    except NbpostError as exc:
        message = f"not a notebook nbpost can save: {exc.message}"
        raise SaveRefused(message, text_path, 400) from None
    if not nb["cells"] and old_text and old_text.strip():
        raise SaveRefused(
            "refusing to save a notebook with no cells over a non-empty post", text_path
        )
    notebook_text = ipynb.dumps(nb)
    try:
        text, files = sync.text_from_notebook(notebook_text, old_text, text_path, text_path)
    except NbpostError as exc:
        raise SaveRefused(f"cannot write the post: {exc.message}", text_path, 422) from None
    if old_text and old_text.strip() and not text.strip():
        raise SaveRefused("refusing to replace a non-empty post with an empty one", text_path)
    try:  # the text is read back: a text nbpost cannot read, or that loses cells, is refused
        sync.check_text_keeps_notebook(notebook_text, text, text_path, text_path)
    except TextLosesCells as exc:
        raise SaveRefused(
            f"refusing to save: the text would not convert back to the same cells "
            f"(first difference at cell {exc.cell}); the post is unchanged",
            text_path,
            422,
        ) from None
    except NbpostError as exc:
        raise SaveRefused(f"cannot write the post: {exc.message}", text_path, 422) from None
    payloads = {
        text_path.parent / name: data.encode("utf-8") if isinstance(data, str) else data
        for name, data in files.items()
    }
    return text, payloads


def has_no_unsynced_edits(side: str, pair: Pair, text: str | None, notebook: str | None) -> bool:
    """Whether one side of a pair (``side``: "qmd" or "ipynb") holds no edits the other lacks:
    unchanged since the last sync (by the sync record), or both holding the same cells.

    ``text`` and ``notebook`` are the two files as they are on disk (None: missing).
    """
    current = text if side == "qmd" else notebook
    entry = SyncRecord.load(record_root(pair)).get(pair)
    if entry is not None and current is not None:
        recorded = entry.qmd_sha256 if side == "qmd" else entry.ipynb_sha256
        if recorded == digest(current.encode("utf-8")):
            return True
    if text is None or notebook is None:
        return False
    try:
        old = ipynb.to_document(ipynb.loads(notebook, pair.ipynb))
        current_doc = qmd.parse(text, pair.qmd)
    except NbpostError:
        return False
    return notebook_summary(current_doc) == notebook_summary(old)


def plan_notebook_save(
    nb: dict[str, Any], notebook_path: Path, old_notebook: str | None
) -> TextSave | None:
    """What saving ``X.ipynb`` must also write: its paired post, or None when it has none.

    Refuses (SaveRefused) when the post was edited since the notebook was last written, so a
    notebook save never overwrites work done in the text file.
    """
    text_path = paired_text(notebook_path)
    if text_path is None:
        return None
    old_text = _read_text(text_path)
    text, files = text_from_notebook(nb, text_path, old_text)
    if (
        old_text is not None
        and old_text != text
        and not has_no_unsynced_edits("qmd", Pair(text_path, notebook_path), old_text, old_notebook)
    ):
        raise SaveRefused(
            f"{text_path.name} was edited outside this notebook since they were last in sync; "
            "nothing was saved, so those edits are kept. Save this notebook under another "
            f"name, then run 'nbpost sync {text_path.name}' and reopen it",
            notebook_path,
        )
    return TextSave(text_path, text, notebook_path, None, files)


def plan_text_file_save(text: str, text_path: Path) -> tuple[TextSave | None, str | None]:
    """What saving a post as text must also write: (its paired notebook brought up to date,
    or None with the reason it is left as it is; None, None when the post has no notebook)."""
    pair = find_pair(text_path)
    if pair is None or not pair.ipynb.is_file():
        return None, None
    try:
        old_notebook = _read_text(pair.ipynb)
    except NbpostError as exc:
        return None, f"{pair.ipynb.name} left as it is: {exc.message}"
    if old_notebook is None:
        return None, None
    if not has_no_unsynced_edits("ipynb", pair, read_optional(text_path), old_notebook):
        return None, (
            f"{pair.ipynb.name} left as it is: it was changed since it was last in sync with "
            f"{text_path.name}; run 'nbpost sync' to settle the pair"
        )
    try:
        notebook_text, _ = sync.notebook_from_text(text, old_notebook, text_path, pair.ipynb)
    except NbpostError as exc:
        return None, f"{pair.ipynb.name} left as it is until the post reads again: {exc}"
    return TextSave(text_path, text, pair.ipynb, notebook_text), None


def plan_text_save(nb: dict[str, Any], text_path: Path) -> TextSave:
    """What saving a notebook model to ``X.qmd`` writes: the verified text and ``X.ipynb``."""
    old_text = _read_text(text_path)
    text, files = text_from_notebook(nb, text_path, old_text)
    notebook_text = ipynb.dumps(nb)
    return TextSave(text_path, text, paired_notebook(text_path), notebook_text, files)


def _read_text(path: Path) -> str | None:
    from ..textio import read_text

    try:
        return read_text(path)
    except FileNotFoundError:
        return None


def read_optional(path: Path) -> str | None:
    """A file's text, or None when there is no readable text (missing, a folder, not UTF-8):
    nothing to carry over or compare."""
    from ..textio import read_text

    try:
        return read_text(path)
    except (FileNotFoundError, IsADirectoryError, NbpostError):
        return None
