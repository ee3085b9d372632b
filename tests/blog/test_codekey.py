"""The cache keys cover every module of nbpost, not a hand-kept list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nbpost.blog.incremental import codekey


@pytest.fixture
def package_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "nbpost"
    shutil.copytree(codekey.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.js"))
    monkeypatch.setattr(codekey, "PACKAGE", copy)
    for cached in (codekey.package_sources, codekey.code_digest, codekey.code_stamp):
        cached.cache_clear()
    yield copy
    for cached in (codekey.package_sources, codekey.code_digest, codekey.code_stamp):
        cached.cache_clear()


@pytest.mark.parametrize("module", ["blog/read/dates.py", "slugs.py", "blog/render/feeds.py"])
def test_editing_any_module_changes_the_output_key(package_copy: Path, module: str) -> None:
    before, stamp = codekey.code_digest(), codekey.code_stamp()
    with open(package_copy / module, "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
    for cached in (codekey.package_sources, codekey.code_digest, codekey.code_stamp):
        cached.cache_clear()
    assert codekey.code_digest() != before
    assert codekey.code_stamp() != stamp


def test_package_sources_reach_every_subpackage() -> None:
    names = {
        Path(path).relative_to(codekey.PACKAGE).as_posix() for path in codekey.package_sources()
    }
    assert {"slugs.py", "blog/read/dates.py", "blog/incremental/manifest.py"} <= names
