"""Pairing and sync of ``X.qmd``/``X.md`` with ``X.ipynb``: the API the CLI and Jupyter use.

``sync_paths(["posts"])`` syncs every pair under a folder and returns a ``SyncReport``;
``sync_pair(find_pair(path))`` syncs one pair. See docs/sync.md for the rules.
"""

from __future__ import annotations

from .batch import SyncReport, collect_pairs, sync_paths
from .convert import check_text_keeps_notebook, notebook_from_text, text_from_notebook
from .engine import SyncResult, sync_pair
from .pairs import Pair, find_pair, new_partner, notebook_dir, project_root, text_can_pair
from .record import RecordBook, SyncRecord, record_root, record_synced

__all__ = [
    "Pair",
    "RecordBook",
    "SyncRecord",
    "SyncReport",
    "SyncResult",
    "check_text_keeps_notebook",
    "collect_pairs",
    "find_pair",
    "new_partner",
    "notebook_dir",
    "notebook_from_text",
    "project_root",
    "record_root",
    "record_synced",
    "sync_pair",
    "sync_paths",
    "text_can_pair",
    "text_from_notebook",
]
