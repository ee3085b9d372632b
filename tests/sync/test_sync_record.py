"""The sync record under concurrent writers: no process drops another's entries."""

from __future__ import annotations

import json
import multiprocessing
import sys
from pathlib import Path

import pytest

from nbpost.sync.pairs import Pair
from nbpost.sync.record import RECORD_FILE, SyncRecord, record_synced


def make_pair(root: Path, name: str) -> Pair:
    return Pair(root / f"{name}.qmd", root / f"{name}.ipynb")


def recorded(root: Path) -> dict[str, dict[str, str]]:
    return json.loads((root / RECORD_FILE).read_text(encoding="utf-8"))["pairs"]


def test_interleaved_records_keep_each_others_entries(tmp_path: Path) -> None:
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n")
    first = SyncRecord.load(tmp_path)
    second = SyncRecord.load(tmp_path)  # loaded before the first one saves
    first.put(make_pair(tmp_path, "a"), b"text a", b"notebook a")
    second.put(make_pair(tmp_path, "b"), b"text b", b"notebook b")
    assert first.save() and second.save()
    assert sorted(recorded(tmp_path)) == ["a.qmd", "b.qmd"]
    # Saving again with nothing new changes nothing, and a later change of one entry keeps
    # the other process's entry as it is now.
    assert not second.save()
    first.put(make_pair(tmp_path, "a"), b"text a2", b"notebook a2")
    assert first.save()
    entries = recorded(tmp_path)
    assert sorted(entries) == ["a.qmd", "b.qmd"]
    assert entries["b.qmd"]["qmd_sha256"] == SyncRecord.load(tmp_path).entries["b.qmd"].qmd_sha256
    assert sorted(first.entries) == ["a.qmd", "b.qmd"]  # it sees the other entry now


def _record_many(root: str, prefix: str, count: int) -> None:
    for number in range(count):
        pair = make_pair(Path(root), f"{prefix}{number}")
        record_synced(pair, f"text {prefix}{number}".encode(), b"notebook")


@pytest.mark.skipif(sys.platform == "win32", reason="the record is locked with flock (POSIX)")
def test_processes_recording_at_once_lose_nothing(tmp_path: Path) -> None:
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n")
    context = multiprocessing.get_context("spawn")  # no fork of the test process
    workers = [
        context.Process(target=_record_many, args=(str(tmp_path), prefix, 40))
        for prefix in ("x", "y", "z")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    entries = recorded(tmp_path)
    assert len(entries) == 120
    assert entries["y17.qmd"]["ipynb"] == "y17.ipynb"
