"""The output writer: only changed bytes are written, atomically, inside the output folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from nbpost.blog.incremental.writer import OutputWriter
from nbpost.errors import NbpostError


def write(writer: OutputWriter, folder: str, name: str, payload: bytes) -> bool:
    """Write as a build does: only when the bytes differ; return whether it wrote."""
    path = writer.folder(folder) + "/" + name
    old = writer.existing(path)
    if old is not None and not os.path.islink(path) and Path(path).read_bytes() == payload:
        return False
    writer.replace(path, payload, old)
    return True


def test_new_changed_and_unchanged_files(tmp_path: Path) -> None:
    writer = OutputWriter(str(tmp_path))
    assert write(writer, "a/b", "f.txt", b"one")
    target = tmp_path / "a/b/f.txt"
    before = target.stat()
    assert not write(OutputWriter(str(tmp_path)), "a/b", "f.txt", b"one")
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert write(OutputWriter(str(tmp_path)), "a/b", "f.txt", b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in (tmp_path / "a/b").iterdir()] == ["f.txt"]  # no temporary left


def test_recorded_stat_is_the_file_as_written(tmp_path: Path) -> None:
    writer = OutputWriter(str(tmp_path))
    path = writer.folder("x") + "/f"
    recorded = writer.replace(path, b"hello", None)
    info = os.stat(path)
    assert recorded == [info.st_size, info.st_mtime_ns]


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    assert write(OutputWriter(str(tmp_path)), "", "f.txt", b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_symlinked_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep me")
    base = tmp_path / "out"
    base.mkdir()
    (base / "f.txt").symlink_to(outside)
    assert write(OutputWriter(str(base)), "", "f.txt", b"generated")
    assert outside.read_bytes() == b"keep me"
    assert not (base / "f.txt").is_symlink()


def test_a_symlinked_folder_must_stay_inside(tmp_path: Path) -> None:
    base = tmp_path / "out"
    (base / "real").mkdir(parents=True)
    (base / "inside").symlink_to(base / "real")
    (base / "escape").symlink_to(tmp_path)
    writer = OutputWriter(str(base))
    assert write(writer, "inside", "f.txt", b"x")
    assert (base / "real/f.txt").read_bytes() == b"x"
    with pytest.raises(NbpostError, match="leave the output folder"):
        writer.folder("escape/sub")
    for bad in ("..", "a/../..", "a/."):
        with pytest.raises(NbpostError):
            writer.folder(bad)
