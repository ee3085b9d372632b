"""A rebuild re-renders only the categories whose inputs changed, and still equals a clean build.

The last build's files of an unchanged category are kept when they are exactly as it left them
(size and mtime recorded in the manifest, and not modified within the racy window before the
manifest was written). ``settle`` stands in for the seconds that pass between two builds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from pathlib import Path

import pytest
from blogfactory import LISTING_PAGE, QUARTO_YML, post, write_files

from nbpost.blog.build import MANIFEST, build_blog
from nbpost.blog.render import pages

GENERATED_TOP = ("categories", "archive", "feeds", "POSTS.md", "categories.json", ".nbpost")
LABELS = ["Python", "R", "Go", "Data Viz", "Julia", "Rust"]


def sources() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"_quarto.yml": QUARTO_YML, "index.qmd": LISTING_PAGE}
    for number in range(12):
        labels = [LABELS[number % 6], LABELS[(number + 1) % 6]]
        date = f"2024-{number % 12 + 1:02d}-{number + 1:02d}" if number != 5 else None
        files[f"posts/p{number}/index.qmd"] = post(f"Post {number}", date, labels)
    return files


def settle(root: Path) -> None:
    """Make the last build look as if it ended a minute ago (its files are not racy)."""
    later = time.time_ns() + 60 * 10**9
    os.utime(root / MANIFEST, ns=(later, later))


def generated_tree(root: Path) -> dict[str, bytes]:
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {key: (root / key).read_bytes() for key in sorted(manifest)}


def clean_build(root: Path, target: Path) -> dict[str, bytes]:
    shutil.copytree(root, target, ignore=lambda d, names: [n for n in names if n in GENERATED_TOP])
    assert build_blog(target, quiet=True).errors == []
    return generated_tree(target)


@pytest.fixture
def rendered_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Labels of the category pages rendered from now on."""
    labels: list[str] = []
    real = pages.render_category_page

    def spy(blog, category, *args):
        labels.append(category.label)
        return real(blog, category, *args)

    monkeypatch.setattr(pages, "render_category_page", spy)
    return labels


def test_editing_one_post_renders_only_its_categories(tmp_path: Path, rendered_pages) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    assert sorted(rendered_pages) == sorted(LABELS)
    settle(root)
    rendered_pages.clear()
    write_files(root, {"posts/p3/index.qmd": post("Post 3, edited", "2024-04-04", ["Data Viz"])})
    result = build_blog(root, quiet=True)
    # p3 was in "Data Viz" and "Julia": both change, the others stand.
    assert sorted(rendered_pages) == ["Data Viz", "Julia"]
    assert all(
        key.startswith(("categories/data-viz/", "categories/julia/"))
        or not key.startswith("categories/")
        or key == "categories/index.qmd"
        for key in result.written
    ), result.written
    assert "categories/python/index.xml" in result.unchanged
    assert result.feeds == 3 * (1 + len(LABELS))
    assert generated_tree(root) == clean_build(root, tmp_path / "clean")


def test_right_after_a_build_kept_files_are_checked_by_content(
    tmp_path: Path, rendered_pages
) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    expected = generated_tree(root)
    rendered_pages.clear()
    # The build's files were written moments before its manifest: a change in the same
    # timestamp tick keeps size and mtime, so their bytes are compared instead.
    feed = root / "categories/rust/atom.xml"
    before = feed.stat()
    feed.write_bytes(feed.read_bytes().replace(b"Post", b"Tost"))
    os.utime(feed, ns=(before.st_atime_ns, before.st_mtime_ns))
    write_files(root, {"posts/p3/index.qmd": post("Post 3", "2024-04-04", ["Data Viz", "Julia"])})
    result = build_blog(root, quiet=True)  # p3's bytes changed, not what the outputs show
    assert rendered_pages == ["Rust"]  # only the category whose file changed
    assert result.written == ["categories/rust/atom.xml"]
    assert generated_tree(root) == expected
    rendered_pages.clear()
    before = feed.stat()
    feed.write_bytes(feed.read_bytes().replace(b"Post", b"Tost"))
    os.utime(feed, ns=(before.st_atime_ns, before.st_mtime_ns))
    write_files(root, {"posts/p3/index.qmd": post("Post 3 again", "2024-04-04", ["Julia"])})
    result = build_blog(root, quiet=True)
    assert sorted(rendered_pages) == ["Data Viz", "Julia", "Rust"]
    assert "categories/rust/atom.xml" in result.written
    assert generated_tree(root) == clean_build(root, tmp_path / "clean")


def test_a_file_trusted_by_its_stat_is_not_read(
    tmp_path: Path, rendered_pages, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    settle(root)
    rendered_pages.clear()
    opened: list[str] = []
    real_open = open

    def spy(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    write_files(root, {"posts/p3/index.qmd": post("Post 3, edited", "2024-04-04", ["Julia"])})
    build_blog(root, quiet=True)
    assert sorted(rendered_pages) == ["Data Viz", "Julia"]
    assert not [path for path in opened if "/categories/python/" in path]


def test_outputs_the_snapshot_just_found_unchanged_are_not_looked_up_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reusable_groups`` and ``still_intact`` take the sizes and mtimes the build just found
    (``seen``) instead of a second lstat per output; a file seen otherwise is looked up."""
    from nbpost.blog.incremental import manifest as manifest_module

    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    settle(root)
    previous = manifest_module.read_manifest(root)
    digests = {name: entry[0] for name, entry in previous.groups.items()}
    seen = {key: list(stat) for key, stat in previous.stats.items()}
    looked_up: list[str] = []
    real_lstat = os.lstat

    def spy(path: str) -> os.stat_result:
        looked_up.append(str(path))
        return real_lstat(path)

    monkeypatch.setattr(manifest_module.os, "lstat", spy)
    assert manifest_module.reusable_groups(root, previous, digests, seen).keys() == digests.keys()
    assert manifest_module.still_intact(root, previous, seen)  # nothing to do: the same check
    assert looked_up == []
    key = sorted(previous.groups["category:python"][1])[0]
    seen[key] = [seen[key][0] + 1, seen[key][1]]  # seen otherwise: looked up, and still fine
    assert manifest_module.reusable_groups(root, previous, digests, seen).keys() == digests.keys()
    assert looked_up == [os.path.join(root, key)]


def test_a_setting_or_the_newest_date_renders_every_category(
    tmp_path: Path, rendered_pages
) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    settle(root)
    rendered_pages.clear()
    # A newer post changes the blog's newest date, which undated entries' Atom `updated`
    # takes in every feed.
    write_files(root, {"posts/new/index.qmd": post("Newest", "2025-01-01", ["Python"])})
    build_blog(root, quiet=True)
    assert sorted(rendered_pages) == sorted(LABELS)
    assert generated_tree(root) == clean_build(root, tmp_path / "clean-1")
    settle(root)
    rendered_pages.clear()
    quarto = (root / "_quarto.yml").read_text(encoding="utf-8")
    (root / "_quarto.yml").write_text(quarto.replace("title:", "title: Renamed", 1))
    build_blog(root, quiet=True)
    assert sorted(rendered_pages) == sorted(LABELS)
    assert generated_tree(root) == clean_build(root, tmp_path / "clean-2")


def test_a_kept_category_file_touched_by_hand_is_rendered_again(
    tmp_path: Path, rendered_pages
) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    expected = generated_tree(root)
    settle(root)
    rendered_pages.clear()
    feed = root / "categories/rust/atom.xml"
    feed.write_bytes(feed.read_bytes().replace(b"Post", b"Tost"))  # same size, new mtime
    (root / "categories/go/feed.json").unlink()
    write_files(root, {"posts/p3/index.qmd": post("Post 3", "2024-04-04", ["Data Viz", "Julia"])})
    result = build_blog(root, quiet=True)  # p3 unchanged in substance; its bytes differ
    assert sorted(rendered_pages) == ["Go", "Rust"]
    assert sorted(result.written) == ["categories/go/feed.json", "categories/rust/atom.xml"]
    assert generated_tree(root) == expected


def test_random_changes_between_settled_builds_equal_clean_builds(tmp_path: Path) -> None:
    rng = random.Random(1205)
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    for number in range(12):
        settle(root)
        for step in range(rng.randint(1, 3)):
            posts = sorted(p for p in (root / "posts").iterdir())
            action = rng.choice(["add", "edit", "retitle", "redate", "rename", "delete"])
            target = rng.choice(posts)
            labels = rng.sample([*LABELS, "Haskell"], rng.randint(0, 3))
            if action == "add" or len(posts) < 3:
                name = f"posts/n{number}-{step}/index.qmd"
                write_files(root, {name: post(f"New {number}", "2023-05-05", labels)})
            elif action == "edit":
                text = post(f"Edited {number}", "2024-06-01", labels)
                (target / "index.qmd").write_text(text, encoding="utf-8")
            elif action in ("retitle", "redate"):
                text = (target / "index.qmd").read_text(encoding="utf-8")
                if action == "retitle":
                    text = text.replace("title: ", f"title: R{number} ", 1)
                else:
                    text = text.replace("date: 2024", "date: 2021", 1)
                (target / "index.qmd").write_text(text, encoding="utf-8")
            elif action == "rename":
                target.rename(target.with_name(f"{target.name}-r{number}"))
            else:
                shutil.rmtree(target)
        result = build_blog(root, quiet=True)
        assert result.errors == [], result.errors
        assert generated_tree(root) == clean_build(root, tmp_path / f"clean-{number}"), number


def test_the_racy_window_outlasts_the_file_systems_timestamp_tick() -> None:
    from nbpost.blog.incremental.manifest import Manifest

    fine = 1_796_700_000_123_456_789  # a file system that keeps sub-second times
    assert Manifest(written_ns=fine).newest_trusted == fine - 20_000_000
    coarse = 1_796_700_002_000_000_000  # one that keeps whole seconds (FAT keeps two)
    assert Manifest(written_ns=coarse).newest_trusted == coarse - 2_000_000_000


@pytest.mark.parametrize(
    ("after", "whole_seconds"),
    [(15_000_000, False), (1_500_000_000, True)],
    ids=["sub-second times, 15 ms after", "whole seconds, 1.5 s after"],
)
def test_a_kept_file_changed_in_its_tick_after_the_manifest_is_rendered_again(
    tmp_path: Path, rendered_pages: list[str], after: int, whole_seconds: bool
) -> None:
    # A kept category file written shortly before the manifest (within a tick of the file
    # system's timestamps) and changed since without its size or mtime changing: its stat
    # cannot tell, so its bytes are compared.
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    expected = generated_tree(root)
    feed = root / "categories/rust/atom.xml"
    written = feed.stat().st_mtime_ns
    manifest_time = written + after
    if whole_seconds:
        written = written // 10**9 * 10**9
        manifest_time = written + 10**9  # the next whole second
    feed.write_bytes(feed.read_bytes().replace(b"Post", b"Tost"))  # same size
    os.utime(feed, ns=(written, written))
    os.utime(root / MANIFEST, ns=(manifest_time, manifest_time))
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    manifest["stats"]["categories/rust/atom.xml"][1] = written
    (root / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    os.utime(root / MANIFEST, ns=(manifest_time, manifest_time))
    rendered_pages.clear()
    write_files(root, {"posts/p3/index.qmd": post("Post 3", "2024-04-04", ["Data Viz", "Julia"])})
    build_blog(root, quiet=True)
    assert "Rust" in rendered_pages
    assert generated_tree(root) == expected
