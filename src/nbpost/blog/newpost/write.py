"""Create a planned post's files: never over anything, all or nothing, the pair recorded."""

from __future__ import annotations

import contextlib
import os
import posixpath
from pathlib import Path

from ...conversion import Options, convert_document
from ...project.paths import contained
from ...sync.pairs import Pair
from ...sync.record import record_synced
from ...textio import write_new
from .plan import NewPostError, Plan


def notebook_text(plan: Plan, root: Path) -> str:
    """The notebook of a planned post, made from its text by the converter."""
    where = contained(root, plan.relative, what="new post")
    options = Options(to="ipynb", kernel=plan.kernel)
    return convert_document(plan.text, False, options, where).text


def _made_folders(root: Path, relative: str) -> list[Path]:
    """Create the folders ``relative`` needs; return the ones created (deepest last)."""
    made: list[Path] = []
    parts = posixpath.dirname(relative).split("/") if posixpath.dirname(relative) else []
    for depth in range(1, len(parts) + 1):
        folder = contained(root, "/".join(parts[:depth]), what="post folder")
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
            made.append(folder)
    return made


def create(plan: Plan, root: Path) -> list[str]:
    """Write the post (and its notebook); return the files created, relative to ``root``.

    Nothing existing is replaced: a file that appeared since the plan was made stops the
    run, and whatever this run created is removed again.
    """
    files: list[tuple[str, bytes]] = []
    if plan.text_file is not None:
        files.append((plan.text_file, plan.text.encode("utf-8")))
    if plan.notebook is not None:
        files.append((plan.notebook, notebook_text(plan, root).encode("utf-8")))
    created: list[Path] = []
    folders: list[Path] = []
    try:
        for relative, payload in files:
            folders += _made_folders(root, relative)
            target = contained(root, relative, what="new post")
            try:
                write_new(target, payload)
            except FileExistsError:
                raise NewPostError(f"{relative} already exists; nothing written") from None
            created.append(target)
        if plan.text_file is not None and plan.notebook is not None:
            pair = Pair(root / plan.text_file, root / plan.notebook)
            record_synced(pair, files[0][1], files[1][1])
    except BaseException:
        for path in reversed(created):
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in reversed(folders):
            with contextlib.suppress(OSError):
                os.rmdir(folder)  # only if still empty
        raise
    return [relative for relative, _ in files]
