"""Files nbpost can make again are swapped in (``nbpost.fileswap``, ``textio.replace_regenerable``):
atomic for readers, never through a link, nothing lost when something else stands at the name,
and a plain rename where the platform cannot swap. A user's documents are always renamed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from nbpost import fileswap, textio
from nbpost.blog.incremental.writer import OutputWriter
from nbpost.project.state import write_state


def _can_swap(folder: Path) -> bool:
    """Whether this platform and file system swap two names (Linux ext4, tmpfs, btrfs...)."""
    first, second = folder / "probe-a", folder / "probe-b"
    first.write_text("a")
    second.write_text("b")
    swapped = fileswap._exchange(str(first), str(second))
    first.unlink()
    second.unlink()
    return swapped


@pytest.fixture
def swapping(tmp_path: Path) -> Path:
    if not _can_swap(tmp_path):
        pytest.skip(f"renameat2(RENAME_EXCHANGE) is not available here ({sys.platform})")
    return tmp_path


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    answers: list[bool] = []
    real = fileswap.swap_in

    def spy(new: str, path: str) -> bool:
        answers.append(real(new, path))
        return answers[-1]

    monkeypatch.setattr(textio, "swap_in", spy)
    return answers


def test_an_output_is_swapped_in_keeping_its_mode_and_leaving_no_temporary(
    swapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _spy(monkeypatch)
    target = swapping / "archive.html"
    target.write_bytes(b"old" * 1000)
    target.chmod(0o640)
    old_inode = target.stat().st_ino
    info = OutputWriter(str(swapping)).replace(str(target), b"new", os.lstat(target))
    assert answers == [True]
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o640
    assert target.stat().st_ino != old_inode and info == [3, target.stat().st_mtime_ns]
    assert sorted(p.name for p in swapping.iterdir()) == ["archive.html"]


def test_a_state_file_is_swapped_in(swapping: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = _spy(monkeypatch)
    write_state(swapping, "state.json", b"{}")
    write_state(swapping, "state.json", b'{"a":1}')
    assert answers == [True]  # the first write made the file: nothing to swap
    assert (swapping / ".nbpost" / "state.json").read_bytes() == b'{"a":1}'
    assert os.listdir(swapping / ".nbpost") == ["state.json"]


def test_a_link_in_the_way_is_replaced_not_written_through(
    swapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _spy(monkeypatch)
    outside = swapping / "outside.txt"
    outside.write_text("keep")
    link = swapping / "feed.xml"
    link.symlink_to(outside)
    textio.replace_regenerable(str(link), b"new", os.lstat(link))
    assert answers == []  # only a regular file is swapped out; a link is renamed over
    assert outside.read_text() == "keep" and not link.is_symlink() and link.read_text() == "new"


def test_a_folder_that_came_meanwhile_is_put_back_untouched(
    swapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller saw a file; a folder stands there when the swap runs: it goes back, and the
    rename then refuses, as it would have without the swap."""
    answers = _spy(monkeypatch)
    target = swapping / "page.html"
    target.write_text("file")
    seen = os.lstat(target)
    target.unlink()
    target.mkdir()
    (target / "mine.txt").write_text("a user's file")
    with pytest.raises(IsADirectoryError):
        textio.replace_regenerable(str(target), b"new", seen)
    assert answers == [False]
    assert (target / "mine.txt").read_text() == "a user's file"
    assert sorted(p.name for p in swapping.iterdir()) == ["page.html"]


def test_a_name_gone_meanwhile_is_made_by_a_rename(
    swapping: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _spy(monkeypatch)
    target = swapping / "index.xml"
    target.write_text("old")
    seen = os.lstat(target)
    target.unlink()
    textio.replace_regenerable(str(target), b"new", seen)
    assert answers == [False] and target.read_bytes() == b"new"


def test_without_renameat2_the_file_is_renamed_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fileswap, "_renameat2", lambda: None)
    target = tmp_path / "categories.json"
    target.write_text("old")
    textio.replace_regenerable(str(target), b"new", os.lstat(target))
    assert target.read_bytes() == b"new" and sorted(os.listdir(tmp_path)) == ["categories.json"]


def test_a_users_document_is_renamed_over_never_swapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash right after a swap may leave the new file empty: fine for what a build makes
    again, not for a post or notebook (``write_atomic``), whose rename ext4 protects."""
    monkeypatch.setattr(textio, "swap_in", lambda *a: pytest.fail("a document was swapped"))
    post = tmp_path / "index.qmd"
    post.write_text("old")
    textio.write_atomic(post, "new")
    assert post.read_text() == "new"
