"""The build snapshot (``.nbpost/state.json``): a build with nothing new reads no post, and any
change to an input, a folder, an output or a setting sends the build down the full path."""

from __future__ import annotations

import builtins
import json
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from blogfactory import LISTING_PAGE, QUARTO_YML, post, write_files

from nbpost.blog.build import MANIFEST, build_blog
from nbpost.blog.incremental import statcheck
from nbpost.blog.incremental.snapshot import BASE, STATE
from nbpost.blog.incremental.statcolumns import pack_folders, unpack_folders

GENERATED_TOP = ("categories", "archive", "feeds", "POSTS.md", "categories.json", ".nbpost")


def sources() -> dict[str, str | bytes]:
    return {
        "_quarto.yml": QUARTO_YML,
        "index.qmd": LISTING_PAGE,
        "posts/a/index.qmd": post("Alpha", "2024-01-05", ["Python"]),
        "posts/b/index.qmd": post("Beta", "2024-02-05", ["R"]),
        "posts/broken/index.qmd": "---\ntitle: [broken\n---\n",
    }


def settle(root: Path) -> None:
    """Pretend the snapshot was saved long after every stat in it (nothing is racy)."""
    path = root / STATE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["saved-at-ns"] = time.time_ns() + 10**12
    path.write_text(json.dumps(data), encoding="utf-8")


def outputs(root: Path) -> dict[str, bytes]:
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {key: (root / key).read_bytes() for key in sorted(manifest)}


def clean_outputs(root: Path, target: Path) -> dict[str, bytes]:
    shutil.copytree(root, target, ignore=lambda d, names: [n for n in names if n in GENERATED_TOP])
    build_blog(target, quiet=True)
    return outputs(target)


def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file opened from now on."""
    opened: list[str] = []
    real_open = builtins.open

    def spy(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    real_os_open = os.open

    def spy_os(path, *args, **kwargs):
        opened.append(str(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(os, "open", spy_os)
    return opened


def test_no_change_build_reads_no_post_and_repeats_the_result(tmp_path, monkeypatch) -> None:
    root = write_files(tmp_path / "blog", sources())
    first = build_blog(root, quiet=True)
    settle(root)
    opened = reads(monkeypatch)
    second = build_blog(root, quiet=True)
    monkeypatch.undo()
    assert [name for name in opened if name.endswith((".qmd", ".yml", "cache.json"))] == []
    assert second.written == [] and second.removed == []
    assert sorted(second.unchanged) == sorted(first.written)
    assert (second.posts, second.categories, second.feeds) == (
        first.posts,
        first.categories,
        first.feeds,
    )
    assert second.warnings == first.warnings
    assert second.errors == first.errors and any("broken" in e for e in second.errors)


def test_right_after_a_build_the_root_is_listed_again_not_rebuilt(tmp_path, monkeypatch) -> None:
    # The build itself writes POSTS.md and categories.json next to the posts: the root folder
    # changed, so it is listed again; its inputs did not change, so nothing is read.
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    settle(root)
    base = json.loads((root / BASE).read_text(encoding="utf-8"))
    folders = unpack_folders(base["folders"])
    folders[""][0] -= 1  # as if the root had been written to since
    base["folders"] = pack_folders(folders)
    (root / BASE).write_text(json.dumps(base), encoding="utf-8")
    opened = reads(monkeypatch)
    build_blog(root, quiet=True)
    monkeypatch.undo()
    assert [name for name in opened if name.endswith(".qmd")] == []


def _edit_same_size_same_mtime(root: Path) -> None:
    path = root / "posts/a/index.qmd"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Alpha", "Gamma"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


CHANGES = {
    "add a post in a new folder": lambda root: write_files(
        root, {"posts/c/index.qmd": post("Gamma", "2024-03-01", ["New"])}
    ),
    "add a post next to another": lambda root: write_files(
        root, {"posts/a/extra.qmd": post("Extra", "2024-03-02", ["Python"])}
    ),
    "edit a post": lambda root: write_files(
        root, {"posts/a/index.qmd": post("Alpha 2", "2024-01-06", ["Python", "Go"])}
    ),
    "same size, same mtime": _edit_same_size_same_mtime,
    "rename a post folder": lambda root: (root / "posts/b").rename(root / "posts/bb"),
    "delete a post": lambda root: shutil.rmtree(root / "posts/b"),
    "fix the broken post": lambda root: write_files(
        root, {"posts/broken/index.qmd": post("Fixed", "2024-04-01", ["R"])}
    ),
    "add _metadata.yml": lambda root: write_files(root, {"posts/_metadata.yml": "author: Ann\n"}),
    "add _categories.yml": lambda root: write_files(
        root, {"_categories.yml": "- label: Python\n  description: Snakes.\n"}
    ),
    "edit _quarto.yml": lambda root: write_files(
        root, {"_quarto.yml": QUARTO_YML.replace("Test blog", "Other title")}
    ),
    "delete an output": lambda root: (root / "categories/python/index.xml").unlink(),
    "edit an output": lambda root: (root / "feeds/atom.xml").write_text(
        (root / "feeds/atom.xml").read_text(encoding="utf-8") + "<!-- an edit -->\n",
        encoding="utf-8",
    ),
}


@pytest.mark.parametrize("forked", [False, True], ids=["one process", "folders forked"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_gives_what_a_clean_build_gives(tmp_path, monkeypatch, change, forked) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    build_blog(root, quiet=True)
    settle(root)
    CHANGES[change](root)
    checks: list[int] = []
    if forked:  # the check a 10,000-post blog gets: made by a forked process
        monkeypatch.setattr(statcheck, "PARALLEL_MIN_FOLDERS", 1)
        real = statcheck.map_in_processes

        def counted(function, items, processes):
            checks.append(processes)
            return real(function, items, processes)

        monkeypatch.setattr(statcheck, "map_in_processes", counted)
    result = build_blog(root, quiet=True)
    assert checks == ([2] if forked else []), change
    assert outputs(root) == clean_outputs(root, tmp_path / "clean"), change
    assert result.written or result.removed, change


def test_a_forked_folder_check_that_fails_is_done_here(tmp_path, monkeypatch) -> None:
    # the worker fails: its share (the stat checks) is checked in this process, and a post added
    # next to another (seen only through its folder) is still found
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    settle(root)
    CHANGES["add a post next to another"](root)
    monkeypatch.setattr(statcheck, "PARALLEL_MIN_FOLDERS", 1)
    here = os.getpid()
    real = statcheck._folders_unchanged

    def only_here(*args):
        if os.getpid() != here:
            raise RuntimeError("the worker fails")
        return real(*args)

    monkeypatch.setattr(statcheck, "_folders_unchanged", only_here)
    result = build_blog(root, quiet=True)
    assert result.written
    assert outputs(root) == clean_outputs(root, tmp_path / "clean")


def test_a_build_in_the_racy_window_checks_again(tmp_path) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)  # the snapshot is saved right after the posts were written
    _edit_same_size_same_mtime(root)
    build_blog(root, quiet=True)
    assert b"Gamma" in (root / "categories.json").read_bytes()


def test_clock_dates_keep_no_snapshot(tmp_path) -> None:
    files = sources()
    files["posts/today/index.qmd"] = post("Today", "today", ["Python"])
    root = write_files(tmp_path / "blog", files)
    build_blog(root, quiet=True)
    assert not (root / STATE).exists()


def test_named_input_files_are_read_again(tmp_path, monkeypatch) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    settle(root)
    opened = reads(monkeypatch)
    build_blog(root, quiet=True, input_files=[str(root / "posts/a/index.qmd")])
    monkeypatch.undo()
    assert any(name.endswith("posts/a/index.qmd") for name in opened)


def test_other_options_or_paths_do_not_reuse_the_snapshot(tmp_path, monkeypatch) -> None:
    files = sources()
    files["posts/d/index.qmd"] = post("Draft", "2024-05-01", ["Python"], draft=True)
    root = write_files(tmp_path / "blog", files)
    plain = build_blog(root, quiet=True)
    settle(root)
    with_drafts = build_blog(root, quiet=True, drafts=True)
    assert with_drafts.posts == plain.posts + 1
    monkeypatch.chdir(tmp_path)
    relative = build_blog(Path("blog"), quiet=True, drafts=True)
    assert any(e.startswith("blog/posts/broken") for e in relative.errors)


def test_a_corrupt_snapshot_is_ignored(tmp_path) -> None:
    root = write_files(tmp_path / "blog", sources())
    first = build_blog(root, quiet=True)
    (root / STATE).write_text("{not json", encoding="utf-8")
    second = build_blog(root, quiet=True)
    assert second.posts == first.posts and second.written == []


def test_an_unreadable_post_is_noticed_once_readable(tmp_path, monkeypatch) -> None:
    root = write_files(tmp_path / "blog", sources())
    locked = root / "posts/a/index.qmd"
    real_open = builtins.open

    real_os_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path) == str(locked):  # what a mode of 000 does to anyone but root
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    def refuse_os(path, *args, **kwargs):
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(os, "open", refuse_os)
    first = build_blog(root, quiet=True)
    monkeypatch.undo()
    assert any("cannot read" in e for e in first.errors)
    settle(root)
    locked.chmod(0o600)  # the fix: only the file's ctime tells
    second = build_blog(root, quiet=True)
    assert not any("cannot read" in e for e in second.errors)
    assert second.posts == first.posts + 1


def test_a_build_with_a_file_in_the_way_drops_the_snapshot(tmp_path) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    assert (root / STATE).is_file()
    page = root / "categories/python/index.qmd"
    page.unlink()
    page.write_text("---\ntitle: Mine\n---\n", encoding="utf-8")  # no nbpost mark
    shutil.rmtree(root / ".nbpost")
    (root / "posts/b/index.qmd").write_text(post("Beta 2", "2024-02-05", ["R"]), encoding="utf-8")
    result = build_blog(root, quiet=True)
    assert any("not generated by nbpost" in e for e in result.errors)
    assert not (root / STATE).exists()
    page.unlink()  # the user moves their file away: the next build must see it
    again = build_blog(root, quiet=True)
    assert "categories/python/index.qmd" in again.written


def test_random_changes_between_settled_builds_equal_clean_builds(tmp_path) -> None:
    rng = random.Random(20261201)
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    counter = 0
    for number in range(6):
        settle(root)
        for _ in range(rng.randint(1, 3)):
            counter += 1
            posts = sorted(p for p in (root / "posts").iterdir() if p.name != "broken")
            action = rng.choice(["add", "edit", "rename", "delete", "touch", "output"])
            if action == "add" or not posts:
                label = rng.choice(["Python", "R", "Go", "Data Viz"])
                write_files(
                    root, {f"posts/n{counter}/index.qmd": post(f"N{counter}", None, [label])}
                )
            elif action == "edit":
                target = rng.choice(posts) / "index.qmd"
                write_files(
                    root, {str(target.relative_to(root)): post(f"E{counter}", "2024-06-01")}
                )
            elif action == "rename":
                target = rng.choice(posts)
                target.rename(target.with_name(f"{target.name}-r{counter}"))
            elif action == "delete":
                shutil.rmtree(rng.choice(posts))
            elif action == "touch":
                os.utime(rng.choice(posts) / "index.qmd")
            else:
                (root / "categories.json").unlink()
        build_blog(root, quiet=True)
        assert outputs(root) == clean_outputs(root, tmp_path / f"clean-{number}"), number
