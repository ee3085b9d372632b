"""Pairing and sync of ``X.qmd``/``X.md`` with ``X.ipynb``: the API the CLI and Jupyter use.

>>> from nbpost.sync import find_pair, sync_pair  # doctest: +SKIP
>>> result = sync_pair(find_pair(Path("posts/a/index.qmd")))  # doctest: +SKIP
"""

from __future__ import annotations

from .convert import notebook_from_text, text_from_notebook
from .engine import SyncResult, sync_pair
from .pairs import Pair, find_pair, new_partner, notebook_dir, project_root
from .record import RecordBook, SyncRecord, record_root, record_synced

__all__ = [
    "Pair",
    "RecordBook",
    "SyncRecord",
    "SyncResult",
    "find_pair",
    "new_partner",
    "notebook_dir",
    "notebook_from_text",
    "project_root",
    "record_root",
    "record_synced",
    "sync_pair",
    "text_from_notebook",
]
