"""What an open notebook was loaded from: the baseline a save from it may replace.

JupyterLab's save request carries the notebook but not which version of the files it was made
from, and JupyterLab only checks the file it opened (its "File Changed" dialog, with Overwrite
one click away). A paired save replaces two files, so nbpost needs the baseline of both.

When nbpost serves a notebook of a pair (a ``.qmd`` opened as a notebook, or a paired
``.ipynb``), it stamps the notebook metadata with a view id and the SHA-256 of both files as
read (``nbpost_view``). JupyterLab keeps unknown metadata and sends it back with every save;
the save takes the stamp out again (it never reaches a file) and replaces a file only when it
still holds what that view last loaded or saved. What each view saved is kept in memory, so
after a server restart a tab that had saved before is only trusted with files as it loaded
them: its next save is refused with a message to reload, and nothing is lost.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

VIEW_KEY = "nbpost_view"
# The base of a partner that held edits the loaded notebook lacks: matches no file, so a save
# from that view never replaces it.
UNSYNCED = "unsynced"
Side = Literal["qmd", "ipynb"]
_MAX_VIEWS = 4096  # views remembered; the oldest are dropped (a dropped view falls back)


def digest(data: bytes | None) -> str | None:
    """The SHA-256 of a file's bytes, None for a missing file."""
    return None if data is None else hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class View:
    """One opened notebook: its id and the digests of both files when it was loaded."""

    id: str
    qmd: str | None
    ipynb: str | None

    def base(self, side: Side) -> str | None:
        """The digest of one side as the view loaded it (None: it did not exist)."""
        return self.qmd if side == "qmd" else self.ipynb


def stamp(
    metadata: dict[str, Any],
    qmd: str | None,
    ipynb: str | None,
    unsynced: Side | None = None,
) -> None:
    """Mark a notebook model as loaded from the post and notebook with these digests (None:
    the file did not exist).

    ``unsynced`` names the partner file when it held edits the loaded notebook lacks (it is
    then never replaced by a save from this view).
    """
    bases = {"qmd": qmd, "ipynb": ipynb}
    if unsynced is not None and bases[unsynced] is not None:
        bases[unsynced] = UNSYNCED
    metadata[VIEW_KEY] = {"id": secrets.token_hex(8), **bases}


def take(content: Any) -> View | None:
    """Remove the stamp from a notebook model being saved; None when there is none (or it is
    not one nbpost made, which then counts as no stamp)."""
    if not isinstance(content, dict) or not isinstance(content.get("metadata"), dict):
        return None
    value = content["metadata"].pop(VIEW_KEY, None)
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return None
    qmd, ipynb = value.get("qmd"), value.get("ipynb")
    if not all(item is None or isinstance(item, str) for item in (qmd, ipynb)):
        return None
    return View(value["id"], qmd, ipynb)


class _Saved:
    """Per view id, the digests of both files after its last save (bounded, thread-safe)."""

    def __init__(self) -> None:
        self._views: OrderedDict[str, dict[str, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, view: View) -> dict[str, str | None] | None:
        with self._lock:
            return self._views.get(view.id)

    def put(self, view: View, qmd: bytes | None, ipynb: bytes | None) -> None:
        with self._lock:
            self._views[view.id] = {"qmd": digest(qmd), "ipynb": digest(ipynb)}
            self._views.move_to_end(view.id)
            while len(self._views) > _MAX_VIEWS:
                self._views.popitem(last=False)


SAVED = _Saved()


def may_replace(view: View, side: Side, current: bytes | None) -> bool:
    """Whether a save from ``view`` may replace one side that now holds ``current``.

    True when the file is as this view last saved it, or (for a view that has not saved in
    this server's lifetime) as it loaded it, or when it does not exist at all.
    """
    if current is None:
        return True
    last = SAVED.get(view)
    expected = last[side] if last is not None else view.base(side)
    return digest(current) == expected


def remember(view: View | None, qmd: bytes | None, ipynb: bytes | None) -> None:
    """Note both files as a view's save left them (the baseline of its next save)."""
    if view is not None:
        SAVED.put(view, qmd, ipynb)
