"""Tests that hold nbpost to Quarto's behaviour (docs/quarto-compat.md), on the fixture blog
``tests/fixtures/quartoblog`` and on pages rendered with quarto-cli's own scripts."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

# filterkit (pandoc and head helpers) and listingparse live with the filter and blog tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "filter"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "blog"))  # listingparse

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "quartoblog"


@pytest.fixture
def fixture_blog(tmp_path: Path) -> Path:
    """A writable copy of ``tests/fixtures/quartoblog`` (nothing built yet)."""
    target = tmp_path / "blog"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture(scope="module")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture blog after one ``nbpost build`` (read-only for the tests sharing it)."""
    from nbpost.blog.build import build_blog

    target = tmp_path_factory.mktemp("built") / "blog"
    shutil.copytree(FIXTURE, target)
    result = build_blog(target, quiet=True)
    assert result.errors == [], result.errors
    return target
