"""A progress bar on stderr for long builds on a terminal (tqdm, imported only then)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
PROGRESS_MIN_ITEMS = 200  # below this a build is too quick for a progress bar to help
PROGRESS_DELAY = 1.0  # seconds before the bar shows: a quick build stays silent


def progress(
    items: Sequence[Item], desc: str, unit: str, enabled: bool, scale: int = 1
) -> Iterable[Item]:
    """``items``, wrapped in a bar when enabled, long enough and stderr is a terminal.

    ``scale``: each item stands for this many (one share of work split between processes,
    the others advancing at the same pace).
    """
    if not enabled or len(items) * scale < PROGRESS_MIN_ITEMS or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    class Bar(tqdm):
        # No monitor thread: it would outlive the bar, and a process with a second thread
        # no longer reads posts in parallel (nbpost.blog.read.parallel.can_fork).
        monitor_interval = 0

    return Bar(
        items,
        desc=desc,
        unit=unit,
        unit_scale=scale if scale > 1 else False,
        delay=PROGRESS_DELAY,
        file=sys.stderr,
        leave=False,
    )
