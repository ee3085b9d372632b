"""The browser tests share the Jupyter server helpers of ``tests/jupyter``."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "jupyter"))
