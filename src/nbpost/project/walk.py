"""Find the posts under a folder the way Quarto would: skip build output and hidden folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

SKIP_DIRS = frozenset({"_site", "_freeze", ".ipynb_checkpoints", "node_modules", "__pycache__"})
TEXT_SUFFIXES = (".qmd", ".md")
NOTEBOOK_SUFFIX = ".ipynb"


def is_post_file(path: Path) -> bool:
    """Whether a file is something nbpost converts (.qmd, .md, .ipynb)."""
    return path.suffix.lower() in (*TEXT_SUFFIXES, NOTEBOOK_SUFFIX)


def walk_posts(folder: str | Path) -> Iterator[Path]:
    """Yield .qmd/.md/.ipynb files below a folder in sorted order, skipping build folders.

    Skipped: ``_site``, ``_freeze``, ``.ipynb_checkpoints`` (some repositories commit copies of
    posts there), hidden folders and ``*_files`` folders (rendered figures).
    """
    root = Path(folder)
    for current, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if d not in SKIP_DIRS and not d.startswith(".") and not d.endswith("_files")
        )
        for name in sorted(files):
            path = Path(current) / name
            if not name.startswith(".") and is_post_file(path):
                yield path
