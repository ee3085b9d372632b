"""Markdown-cell attachments (images pasted in JupyterLab): never dropped on the way to a .qmd.

A .qmd cannot embed an attachment, so each one becomes a file beside the post (when the
caller can write files) or a ``data:`` URI (when converting text in memory), and the
``attachment:NAME`` links in the cell are rewritten to point at it.

The file name is made from the cell id and the attachment name, both taken from the notebook
and so untrusted (docs/security.md): both go through ``project.paths.safe_component`` and the
files are written only through ``write_files``, which keeps every one inside its folder.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from .errors import NotebookError
from .model import Document
from .project.paths import check_relative, contained, safe_component
from .textio import write_if_changed

# Characters a link target in Markdown may hold without quoting (pandoc reads a space or a
# parenthesis as the end of the link), beyond what safe_component already removes.
_NOT_LINK_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def folder_for(post: str | Path) -> str:
    """Where a post's attachments go, relative to its folder: ``<stem>_files/attachments``."""
    stem = safe_component(Path(post).stem, fallback="post")
    return f"{stem}_files/attachments"


def _pick(bundle: dict, where: str) -> tuple[str, bytes] | None:
    for mimetype, data in bundle.items():
        text = "".join(data) if isinstance(data, list) else data
        if not isinstance(text, str):
            continue
        if mimetype.startswith("image/") and mimetype != "image/svg+xml":
            try:
                return mimetype, base64.b64decode(text)
            except (binascii.Error, ValueError):
                raise NotebookError(f"{where} is not valid base64") from None
        return mimetype, text.encode("utf-8")
    return None


def file_name(cell_id: str | None, name: str) -> str:
    """A safe, link-friendly file name for attachment ``name`` of the cell ``cell_id``."""
    raw = f"{cell_id or 'cell'}-{name}"
    return safe_component(_NOT_LINK_SAFE.sub("-", raw), fallback="attachment")


def _unused(name: str, payload: bytes, files: dict[str, bytes], folder: str) -> str:
    """``folder/name``, numbered (``x-2.png``) when another payload already took that name."""
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    candidate, number = name, 1
    while files.get(f"{folder}/{candidate}", payload) != payload:
        number += 1
        candidate = f"{stem}-{number}{dot}{suffix}"
    return f"{folder}/{candidate}"


def extract(doc: Document, folder: str | None) -> dict[str, bytes]:
    """Rewrite ``attachment:`` links; return files to write (relative path -> bytes).

    With ``folder`` (a relative POSIX path such as ``post_files/attachments``) links point to
    files there; without it the images are inlined as ``data:`` URIs.
    """
    if folder is not None:
        folder = check_relative(folder, what="attachment folder").as_posix()
    files: dict[str, bytes] = {}
    for number, cell in enumerate(doc.cells, 1):
        if not cell.attachments or cell.cell_type == "code":
            continue  # nbformat allows attachments on markdown and raw cells only
        for name, bundle in cell.attachments.items():
            where = f"cell {number}: attachment {name!r}"
            picked = _pick(bundle, where) if isinstance(bundle, dict) else None
            if picked is None:
                continue
            mimetype, payload = picked
            if folder is None:
                target = f"data:{mimetype};base64,{base64.b64encode(payload).decode('ascii')}"
            else:
                target = _unused(file_name(cell.id, name), payload, files, folder)
                files[target] = payload
            cell.source = cell.source.replace(f"attachment:{name}", target)
        cell.attachments = None
    return files


def write_files(base: str | Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write attachment files below ``base``; return the paths that changed.

    Every path is checked first (``project.paths.contained``: no ``..``, nothing absolute, no
    symlink leading out of ``base``), so one bad path writes nothing at all.
    """
    placed = place(base, files)
    return [target for target, payload in placed.items() if write_if_changed(target, payload)]


def place(base: str | Path, files: Mapping[str, str | bytes]) -> dict[Path, str | bytes]:
    """The checked paths below ``base`` for ``files`` (for callers that write them later)."""
    return {
        contained(base, PurePosixPath(relative), what="attachment path"): payload
        for relative, payload in files.items()
    }
