"""Markdown-cell attachments (images pasted in JupyterLab): never dropped on the way to a .qmd.

A .qmd cannot embed an attachment, so each one becomes a file beside the post (when the
caller can write files) or a ``data:`` URI (when converting text in memory), and the
``attachment:NAME`` links in the cell are rewritten to point at it.
"""

from __future__ import annotations

import base64
import re
from pathlib import PurePosixPath

from .model import Document

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _pick(bundle: dict) -> tuple[str, bytes] | None:
    for mimetype, data in bundle.items():
        text = "".join(data) if isinstance(data, list) else data
        if not isinstance(text, str):
            continue
        if mimetype.startswith("image/") and mimetype != "image/svg+xml":
            return mimetype, base64.b64decode(text)
        return mimetype, text.encode("utf-8")
    return None


def extract(doc: Document, folder: str | None) -> dict[str, bytes]:
    """Rewrite ``attachment:`` links; return files to write (relative path -> bytes).

    With ``folder`` (a relative POSIX path such as ``post_files/attachments``) links point to
    files there; without it the images are inlined as ``data:`` URIs.
    """
    files: dict[str, bytes] = {}
    for cell in doc.cells:
        if not cell.attachments:
            continue
        for name, bundle in cell.attachments.items():
            picked = _pick(bundle) if isinstance(bundle, dict) else None
            if picked is None:
                continue
            mimetype, payload = picked
            if folder is None:
                target = f"data:{mimetype};base64,{base64.b64encode(payload).decode('ascii')}"
            else:
                safe = _UNSAFE.sub("-", name).strip("-.") or "attachment"
                target = str(PurePosixPath(folder) / f"{cell.id or 'cell'}-{safe}")
                files[target] = payload
            cell.source = cell.source.replace(f"attachment:{name}", target)
        cell.attachments = None
    return files
