"""``nbpost build --check``: lists what a build would write or remove, and writes nothing."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

from blogfactory import LISTING_PAGE, QUARTO_YML, post, write_files

from nbpost.blog.build import build_blog


def sources() -> dict[str, str | bytes]:
    return {
        "_quarto.yml": QUARTO_YML,
        "index.qmd": LISTING_PAGE,
        "posts/a/index.qmd": post("Alpha", "2024-01-05", ["Python", "Go"]),
        "posts/b/index.qmd": post("Beta", "2024-02-05", ["R"]),
        "posts/c/index.qmd": post("Gamma", None, ["Go"]),
    }


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below root with its bytes and mtime: a check must change neither."""
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_fresh_blog_would_get_every_output_and_nothing_is_written(
    tmp_path: Path, run_cli
) -> None:
    root = write_files(tmp_path / "blog", sources())
    before = tree(root)
    result = run_cli("build", "--check", root)
    assert result.status == 1
    lines = result.out.splitlines()
    assert "would write categories/python/index.qmd" in lines
    assert "would write feeds/atom.xml" in lines
    assert lines[-1].startswith("nbpost build --check: ")
    assert tree(root) == before  # no outputs, no .nbpost cache, manifest or snapshot
    built = build_blog(root, quiet=True)
    assert sorted(line.split(" ", 2)[2] for line in lines[:-1]) == sorted(built.written)


def test_an_up_to_date_blog_passes_and_stays_untouched(tmp_path: Path, run_cli) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    before = tree(root)
    result = run_cli("build", "--check", root)
    assert result.status == 0, result.out
    assert result.out.startswith("nbpost build --check: all ") and "up to date" in result.out
    # Also on the full path (the snapshot gone), which reads every post.
    os.unlink(root / ".nbpost" / "state.json")
    before.pop(".nbpost/state.json")
    assert run_cli("build", "--check", "--quiet", root).status == 0
    assert tree(root) == before


def test_check_lists_exactly_what_the_build_then_writes_and_removes(tmp_path: Path) -> None:
    rng = random.Random(7)
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    removals = 0
    for number in range(8):
        action = rng.choice(["add", "retitle", "delete", "touch-output"])
        posts = sorted(p for p in (root / "posts").iterdir())
        if action == "add" or len(posts) < 2:
            label = rng.choice(["Python", "R", "Go", "Julia"])
            write_files(root, {f"posts/n{number}/index.qmd": post(f"N{number}", None, [label])})
        elif action == "retitle":
            target = rng.choice(posts) / "index.qmd"
            text = target.read_text(encoding="utf-8")
            target.write_text(text.replace("title: ", f"title: T{number} ", 1), encoding="utf-8")
        elif action == "delete":
            shutil.rmtree(rng.choice(posts))
        else:
            archive = root / "archive" / "index.qmd"  # edited, nbpost's mark kept
            archive.write_text(archive.read_text("utf-8") + "edited by hand\n", "utf-8")
        before = tree(root)
        check = build_blog(root, quiet=True, check=True)
        assert tree(root) == before, number
        built = build_blog(root, quiet=True)
        assert sorted(check.written) == sorted(built.written), (number, action)
        assert sorted(check.removed) == sorted(built.removed), (number, action)
        assert check.errors == built.errors == []
        removals += len(built.removed)
    assert removals, "no step removed a file: pick another seed"


def test_check_cannot_be_combined_with_sync(tmp_path: Path, run_cli) -> None:
    root = write_files(tmp_path / "blog", sources())
    result = run_cli("build", "--check", "--sync", root)
    assert result.status == 4
    assert "--check" in result.err and "--sync" in result.err
