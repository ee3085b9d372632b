"""A progress bar on stderr for long builds on a terminal (tqdm, imported only then)."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
PROGRESS_MIN_ITEMS = 200  # below this a build is too quick for a progress bar to help
PROGRESS_DELAY = 1.0  # seconds before the bar shows: a quick build stays silent


def progress(items: Sequence[Item], desc: str, unit: str, enabled: bool) -> Iterable[Item]:
    """``items``, wrapped in a bar when enabled, long enough and stderr is a terminal."""
    if not enabled or len(items) < PROGRESS_MIN_ITEMS or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, delay=PROGRESS_DELAY, file=sys.stderr, leave=False)
