"""The ``.nbpost/`` JSON documents (``nbpost.project.state``): versioned, a damaged file reads
as none with a warning, never read or written through a symlink out of the project."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from nbpost.blog.incremental.cache import MetadataCache
from nbpost.blog.incremental.manifest import read_manifest
from nbpost.project.state import load_document, read_state, save_document, write_state
from nbpost.sync.record import _read_entries


def test_a_document_round_trips_with_its_version(tmp_path: Path) -> None:
    assert save_document(tmp_path, "x.json", {"version": 3, "a": [1, "é"]})
    loaded = load_document(tmp_path, "x.json", 3)
    assert loaded is not None and loaded.current and loaded.data["a"] == [1, "é"]
    other = load_document(tmp_path, "x.json", 4)
    assert other is not None and not other.current


def test_an_unchanged_document_is_not_rewritten(tmp_path: Path) -> None:
    save_document(tmp_path, "x.json", {"version": 1})
    loaded = load_document(tmp_path, "x.json", 1)
    assert loaded is not None
    assert not save_document(tmp_path, "x.json", {"version": 1}, previous=loaded.raw)
    assert save_document(tmp_path, "x.json", {"version": 2}, previous=loaded.raw)


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b"[" * 100000])
def test_a_damaged_document_reads_as_none_with_a_warning(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / ".nbpost").mkdir()
    for name in ("cache.json", "build-manifest.json", "sync.json"):
        (tmp_path / ".nbpost" / name).write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="nbpost.state"):
        assert load_document(tmp_path, "cache.json", 3) is None
        assert MetadataCache.load(tmp_path).entries == {}
        assert read_manifest(tmp_path).files == {}
        assert _read_entries(tmp_path) == {}
    assert "cache.json: damaged" in caplog.text and "sync.json: damaged" in caplog.text


def test_a_symlinked_document_is_not_read_and_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"version": 1, "secret": True}))
    project = tmp_path / "blog"
    (project / ".nbpost").mkdir(parents=True)
    (project / ".nbpost" / "x.json").symlink_to(outside)
    assert load_document(project, "x.json", 1) is None
    save_document(project, "x.json", {"version": 1})
    assert json.loads(outside.read_text())["secret"] is True
    assert not (project / ".nbpost" / "x.json").is_symlink()


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 65_537, 3_000_001])
def test_a_state_file_is_read_whole_at_any_size(tmp_path: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    write_state(tmp_path, "blob.bin", data)
    stored = read_state(tmp_path, "blob.bin")
    assert stored is not None and stored[0] == data and stored[1].st_size == size


def test_what_a_state_file_grew_by_after_its_stat_is_read_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_state(tmp_path, "blob.bin", b"a" * 100_000)
    real_fstat = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        with open(tmp_path / ".nbpost" / "blob.bin", "ab") as grown:
            grown.write(b"b" * 70_000)  # written by another process after the stat
        return info

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    stored = read_state(tmp_path, "blob.bin")
    monkeypatch.undo()
    assert stored is not None and stored[0] == b"a" * 100_000 + b"b" * 70_000
