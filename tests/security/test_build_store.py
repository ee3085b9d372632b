"""The build store (``.nbpost/build-store.bin``) is pickled, so it is never loaded unless this
user's key signed it (``nbpost.blog.incremental.store``, docs/security.md).

A cloned repository may commit a ``.nbpost/`` folder: a store planted there that would run
code when unpickled must be ignored (the build then collects the blog afresh), as must a
store signed under another key, a damaged one, and a key that other users could read or
replace.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from nbpost.blog.build import build_blog
from nbpost.blog.incremental import store

QUARTO_YML = "project:\n  type: website\nwebsite:\n  title: Store\n"


class _Planted:
    """Unpickling it creates a file: the proof that a store was loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, short_racy_window: int) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "blog"
    for n in range(3):
        folder = root / "posts" / f"p{n}"
        folder.mkdir(parents=True)
        (folder / "index.qmd").write_text(
            f"---\ntitle: Post {n}\ndate: 2024-01-0{n + 1}\ncategories: [a]\n---\n", "utf-8"
        )
    (root / "_quarto.yml").write_text(QUARTO_YML, encoding="utf-8")
    time.sleep(0.1)
    assert build_blog(root, quiet=True).ok
    return root


def _edit_and_build(root: Path, attempts: list[bool]) -> bool:
    """Edit a post, build, and say whether the build patched it in."""
    time.sleep(0.1)
    post = root / "posts/p1/index.qmd"
    post.write_text(post.read_text("utf-8").replace("Post 1", "Post one"), "utf-8")
    time.sleep(0.1)
    attempts.clear()
    result = build_blog(root, quiet=True)
    assert result.ok
    assert "Post one" in (root / "archive/index.qmd").read_text("utf-8")
    return attempts == [True]


def test_a_store_signed_here_is_used(patch_attempts: list[bool], blog: Path) -> None:
    assert (blog / ".nbpost" / store.STORE_FILE).is_file()
    assert _edit_and_build(blog, patch_attempts)


def test_a_planted_store_is_never_unpickled(
    patch_attempts: list[bool], blog: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    assert pickle.loads(payload) is None and marker.exists()  # the payload works...
    marker.unlink()
    planted = store.MAGIC + os.urandom(32) + payload
    (blog / ".nbpost" / store.STORE_FILE).write_bytes(planted)
    assert not _edit_and_build(blog, patch_attempts)
    assert not marker.exists()  # ...and was never loaded


def test_a_store_signed_under_another_key_is_ignored(
    patch_attempts: list[bool], blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert not _edit_and_build(blog, patch_attempts)
    assert _edit_and_build(blog, patch_attempts)  # the full build stored it again, under this key


def _signed_end(data: bytes) -> int:
    head = len(store.MAGIC)
    return head + 40 + int.from_bytes(data[head + 32 : head + 40], "little")


@pytest.mark.parametrize(
    "where",
    ["the last text byte", "the first text byte", "the signed part", "the length", "cut short"],
)
def test_a_damaged_store_is_ignored(patch_attempts: list[bool], blog: Path, where: str) -> None:
    """The signed part (HMAC) and the texts after it (CRC-32 and lengths in the signed part)
    are both checked."""
    path = blog / ".nbpost" / store.STORE_FILE
    data = bytearray(path.read_bytes())
    end = _signed_end(bytes(data))
    assert 0 < end < len(data)  # texts follow the signed part
    at = {
        "the last text byte": -1,
        "the first text byte": end,
        "the signed part": end - 5,
        "the length": len(store.MAGIC) + 32,
    }.get(where)
    if at is None:
        del data[end + 10 :]
    else:
        data[at] ^= 1
    path.write_bytes(bytes(data))
    assert not _edit_and_build(blog, patch_attempts)


def test_saving_leaves_the_memo_in_memory_whole(blog: Path) -> None:
    """The texts are taken out of the memo to be written after the signed part, then put
    back: a process that keeps building (``watch``) still has them."""
    loaded = store.load_store(blog)
    assert loaded is not None
    before = {kind: pieces.text for kind, pieces in loaded.rendered.kinds.items()}
    assert any(isinstance(text, bytes) and text for text in before.values())
    assert store.save_store(blog, loaded)
    assert {kind: pieces.text for kind, pieces in loaded.rendered.kinds.items()} == before
    again = store.load_store(blog)
    assert {kind: pieces.text for kind, pieces in again.rendered.kinds.items()} == before


@pytest.mark.parametrize("what", ["key readable by others", "folder writable by others"])
def test_a_key_others_could_read_or_replace_is_not_used(
    patch_attempts: list[bool], blog: Path, tmp_path: Path, what: str
) -> None:
    key = store.key_path()
    assert key.is_relative_to(tmp_path)
    if what == "key readable by others":
        key.chmod(0o644)
    else:
        key.parent.chmod(0o777)
    assert not _edit_and_build(blog, patch_attempts)
    assert not (blog / ".nbpost" / store.STORE_FILE).exists()  # nothing stored without a key
