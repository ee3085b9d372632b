"""What ``nbpost watch`` says: one line per event, starting with the local time, with every
path relative to the blog (``12:04:31 rebuilt: posts/harvest/index.qmd changed; 3 files
written; 120 posts, 14 categories``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .messages import collapsed, counted


def stamp() -> str:
    """The local time as ``HH:MM:SS``."""
    return time.strftime("%H:%M:%S")


def say(message: str) -> None:
    """Print ``HH:MM:SS MESSAGE`` on stderr, next to the watcher's other messages."""
    print(f"{stamp()} {message}", file=sys.stderr, flush=True)


def relative(root: Path, path: str | os.PathLike[str]) -> str:
    """A path as the blog sees it (POSIX, relative to the blog folder when inside it)."""
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive (Windows)
        return Path(absolute).as_posix()
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return Path(absolute).as_posix()
    return Path(rel).as_posix()


def changed_names(root: Path, paths: Iterable[str]) -> str:
    """The changed files for a message: up to three, then how many more."""
    names = sorted({relative(root, path) for path in paths})
    shown = ", ".join(names[:3])
    if len(names) > 3:
        shown += f" and {len(names) - 3} more"
    return shown


def build_summary(result: Any) -> str:
    """``3 files written; 120 posts, 14 categories`` (removals and feeds when there are any)."""
    parts = [counted(len(result.written), "file written", "files written")]
    if result.removed:
        parts.append(f"{len(result.removed)} removed")
    counts = [
        counted(result.posts, "post", "posts"),
        counted(result.categories, "category", "categories"),
    ]
    if result.feeds:
        counts.append(counted(result.feeds, "feed", "feeds"))
    return ", ".join(parts) + "; " + ", ".join(counts)


def report_build(result: Any, headline: str, quiet: bool) -> None:
    """A build's warnings and errors, one stamped line each, then ``headline; summary``."""
    for message in result.warnings:
        say(f"warning: {message}")
    for message in collapsed(result.errors):
        say(f"error: {message}")
    if not quiet:
        say(f"{headline}; {build_summary(result)}")
