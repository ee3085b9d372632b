"""Tests that hold nbpost to Quarto's behaviour (docs/quarto-compat.md), on the fixture blog
``tests/fixtures/quartoblog`` and on pages rendered with quarto-cli's own scripts."""

from __future__ import annotations

import sys
from pathlib import Path

# filterkit (pandoc and head helpers) lives with the filter tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "filter"))
