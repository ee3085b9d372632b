"""nbpost never follows a symlink out of the project for its ``.nbpost/`` state (issue 11, item 5).

A cloned repository may commit ``.nbpost`` as a symlink (to ``~/.ssh``, to a folder on
``sys.path``), or a symlink in place of one of its files, or a dangling ``sync.lock`` whose
target opening it would create. Every state file (cache.json, state.json, build-manifest.json,
sync.json, the locks) is read, written and locked through ``nbpost.project.state``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from securitykit import (
    assert_no_traceback,
    error_lines,
    good_blog,
    run_nbpost,
    tree,
    write_files,
)

from nbpost.blog.build import build_blog
from nbpost.project.state import locked, read_state, write_state

STATE_FILES = ("cache.json", "state.json", "build-manifest.json", "sync.json")


def pair_blog(root: Path) -> Path:
    """A blog whose first post has a paired notebook (made by ``nbpost pair``)."""
    write_files(root, good_blog())
    run = run_nbpost("pair", root / "posts/good-one/index.qmd")
    assert run.returncode == 0, run.stderr
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project holding one file that must stay as it is."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("untouched\n", encoding="utf-8")
    return folder


def test_symlinked_state_folder_receives_nothing(tmp_path: Path, outside: Path) -> None:
    root = write_files(tmp_path / "blog", good_blog())
    os.symlink(outside, root / ".nbpost")
    before = tree(outside)
    for _ in range(2):
        result = build_blog(root, quiet=True)
        assert result.errors == []
        assert any(".nbpost: a symlink that leads out of the project" in w for w in result.warnings)
    assert (root / "categories.json").is_file()
    assert tree(outside) == before
    assert os.path.islink(root / ".nbpost")  # left as the user made it


def test_symlinked_state_folder_and_sync(tmp_path: Path, outside: Path) -> None:
    root = pair_blog(tmp_path / "blog")
    shutil.rmtree(root / ".nbpost")
    os.symlink(outside, root / ".nbpost")
    before = tree(outside)
    qmd = root / "posts/good-one/index.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    run = run_nbpost("sync", root, "--prefer", "qmd")
    assert_no_traceback(run.stderr)
    lines = error_lines(run.stderr)
    assert lines and all(".nbpost" in line for line in lines), run.stderr
    assert run.returncode != 0
    assert tree(outside) == before


@pytest.mark.parametrize("name", STATE_FILES)
def test_a_symlinked_state_file_is_replaced_never_written_through(
    tmp_path: Path, outside: Path, name: str
) -> None:
    root = pair_blog(tmp_path / "blog")
    build_blog(root, quiet=True)
    target = outside / name
    target.write_text('{"planted": true}\n', encoding="utf-8")
    link = root / ".nbpost" / name
    link.unlink(missing_ok=True)
    os.symlink(target, link)
    before = tree(outside)
    qmd = root / "posts/good-one/index.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8").replace("Good one", "Good 1"), encoding="utf-8")
    assert build_blog(root, quiet=True).errors == []
    # A record read through a symlink is no record: the edited pair needs --prefer.
    sync = run_nbpost("sync", root, "--prefer", "qmd")
    assert sync.returncode == 0, sync.stderr
    assert tree(outside) == before
    # The planted file was never read as state, and the state file is a regular file now
    # wherever nbpost had something to write.
    assert read_state(root, name) is None or b"planted" not in read_state(root, name)[0]


@pytest.mark.parametrize("name", ["sync.lock", "build.lock"])
def test_a_dangling_lock_symlink_is_not_followed(tmp_path: Path, outside: Path, name: str) -> None:
    root = pair_blog(tmp_path / "blog")
    victim = outside / "created-by-nbpost"
    (root / ".nbpost" / name).unlink(missing_ok=True)
    os.symlink(victim, root / ".nbpost" / name)
    with locked(root, name):
        pass
    assert not victim.exists()
    assert not os.path.islink(root / ".nbpost" / name)
    qmd = root / "posts/good-one/index.qmd"
    qmd.write_text(qmd.read_text(encoding="utf-8") + "\nEdit.\n", encoding="utf-8")
    os.unlink(root / ".nbpost" / name)
    os.symlink(victim, root / ".nbpost" / name)
    assert run_nbpost("sync", root).returncode == 0
    assert build_blog(root, quiet=True).errors == []
    assert not victim.exists()


def test_state_folder_symlinked_inside_the_project_is_used(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", good_blog())
    (root / "_state").mkdir()
    os.symlink(root / "_state", root / ".nbpost")
    result = build_blog(root, quiet=True)
    assert result.errors == [] and result.warnings == []
    assert (root / "_state" / "build-manifest.json").is_file()


def test_write_state_refuses_an_unsafe_folder(tmp_path: Path, outside: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    os.symlink(outside, root / ".nbpost")
    with pytest.raises(OSError, match="leads out of the project"):
        write_state(root, "cache.json", b"{}")
    with pytest.raises(OSError, match="leads out of the project"), locked(root, "sync.lock"):
        pass
    assert read_state(root, "keep.txt") is None  # not read through the link either
    assert tree(outside) == {"keep.txt": b"untouched\n"}
    (root / ".nbpost").unlink()
    (root / ".nbpost").write_text("a file", encoding="utf-8")
    with pytest.raises(OSError, match="not a folder"):
        write_state(root, "cache.json", b"{}")
