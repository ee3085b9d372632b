"""A build after an edit reuses the last build's walk only while no folder changed.

Listing ten thousand folders is a fifth of a build after one edit on a large blog
(``incremental.walkmemo``). These tests replace the walk with one that counts its calls, so
they fail when the memo is not used where it may be, or used where a folder changed.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from nbpost.blog.build import build_blog
from nbpost.blog.incremental import snapshot

PAUSE = 0.08  # longer than the shrunk racy window

QUARTO_YML = (
    'project:\n  type: website\nwebsite:\n  title: "Memo"\n  site-url: https://example.org/\n'
)
LISTING = '---\ntitle: "Posts"\nlisting:\n  contents: posts\n---\n'


def _post(title: str, day: int, categories: str = "[a, b]") -> str:
    return (
        f'---\ntitle: "{title}"\ndate: 2024-01-{day:02d}\ncategories: {categories}\n---\n\nText.\n'
    )


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch, short_racy_window: int) -> list[str]:
    """Shrink the racy window, and count the full walks of the project."""
    calls: list[str] = []
    real = snapshot.walk_tree

    def counted(root, excluded, folders=None):  # type: ignore[no-untyped-def]
        calls.append(str(root))
        return real(root, excluded, folders)

    monkeypatch.setattr(snapshot, "walk_tree", counted)
    return calls


def _blog(root: Path) -> Path:
    root.mkdir()
    (root / "_quarto.yml").write_text(QUARTO_YML)
    (root / "index.qmd").write_text(LISTING)
    for number in range(1, 6):
        folder = root / "posts" / f"p{number}"
        folder.mkdir(parents=True)
        (folder / "index.qmd").write_text(_post(f"Post {number}", number))
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".nbpost" not in path.parts
    }


def _clean_build(source: Path, target: Path) -> dict[str, bytes]:
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".nbpost"))
    build_blog(target, quiet=True)
    return _outputs(target)


def _settle() -> None:
    time.sleep(PAUSE)


def test_an_edited_post_reuses_the_last_walk(tmp_path: Path, walks: list[str]) -> None:
    root = _blog(tmp_path / "blog")
    build_blog(root, quiet=True)
    assert len(walks) == 1
    _settle()
    post = root / "posts" / "p3" / "index.qmd"
    with open(post, "r+") as handle:  # in place, as most editors save: the folder is unchanged
        handle.write(_post("Edited title", 3, "[a, c]"))
        handle.truncate()
    _settle()
    result = build_blog(root, quiet=True)
    assert len(walks) == 1, "the edit build listed the project again"
    assert result.written
    assert _outputs(root) == _clean_build(root, tmp_path / "clean")


def test_a_post_saved_by_rename_lists_only_its_folder(tmp_path: Path, walks: list[str]) -> None:
    root = _blog(tmp_path / "blog")
    build_blog(root, quiet=True)
    _settle()
    post = root / "posts" / "p2" / "index.qmd"
    temporary = post.with_name("index.qmd.tmp")
    temporary.write_text(_post("Renamed into place", 2))
    os.replace(temporary, post)
    _settle()
    build_blog(root, quiet=True)
    assert len(walks) == 1
    assert _outputs(root) == _clean_build(root, tmp_path / "clean")


def test_a_new_post_walks_the_project_again(tmp_path: Path, walks: list[str]) -> None:
    root = _blog(tmp_path / "blog")
    build_blog(root, quiet=True)
    _settle()
    folder = root / "posts" / "p9"
    folder.mkdir()
    (folder / "index.qmd").write_text(_post("New", 9))
    _settle()
    result = build_blog(root, quiet=True)
    assert len(walks) == 2
    assert result.posts == 6
    assert _outputs(root) == _clean_build(root, tmp_path / "clean")


def test_a_symlink_in_a_changed_folder_walks_again(tmp_path: Path, walks: list[str]) -> None:
    root = _blog(tmp_path / "blog")
    sources = root / "_sources"  # inside the blog (followed), in a folder Quarto skips
    sources.mkdir()
    (sources / "one.qmd").write_text(_post("One", 7))
    (root / "posts" / "p1" / "index.qmd").unlink()
    (root / "posts" / "p1" / "index.qmd").symlink_to("../../_sources/one.qmd")
    build_blog(root, quiet=True)
    _settle()
    # The same name, now a symlink to another file: the folder's signature is unchanged.
    other = sources / "other.qmd"
    other.write_text(_post("Other", 8))
    link = root / "posts" / "p1" / "index.qmd"
    link.unlink()
    link.symlink_to("../../_sources/other.qmd")  # relative: the clean copy follows it too
    _settle()
    build_blog(root, quiet=True)
    assert len(walks) == 2
    assert _outputs(root) == _clean_build(root, tmp_path / "clean")
