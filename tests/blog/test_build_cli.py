"""``nbpost build``: summary, exit codes, Quarto pre-render mode, --sync."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest
from blogfactory import LISTING_PAGE, QUARTO_YML, post, write_files


def small_blog(root: Path, **extra: str) -> Path:
    files = {
        "_quarto.yml": QUARTO_YML,
        "index.qmd": LISTING_PAGE,
        "posts/a/index.qmd": post("A", "2024-01-02", ["One", "Two"]),
        "posts/b/index.qmd": post("B", "2024-01-01", ["Two"]),
    }
    files.update(extra)
    return write_files(root, files)


def test_build_prints_a_summary(tmp_path: Path, run_cli) -> None:
    root = small_blog(tmp_path / "blog")
    result = run_cli("build", root)
    assert result.status == 0, result.err
    assert "2 posts, 2 categories" in result.out
    assert "9 feeds" in result.out
    assert "files written, 0 unchanged" in result.out
    again = run_cli("build", root)
    assert again.status == 0
    assert " 0 files written" in again.out
    quiet = run_cli("build", root, "--quiet")
    assert quiet.status == 0 and quiet.out == "" and quiet.err == ""


def test_bad_post_gives_status_2_and_one_line(tmp_path: Path, run_cli) -> None:
    root = small_blog(tmp_path / "blog", **{"posts/bad/index.qmd": "---\ntitle: [x\n---\n"})
    result = run_cli("build", root)
    assert result.status == 2
    errors = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(errors) == 1
    assert "posts/bad/index.qmd:" in errors[0]
    assert (root / "categories/one/index.qmd").is_file()


def test_missing_folder_and_non_project_give_status_3(tmp_path: Path, run_cli) -> None:
    result = run_cli("build", tmp_path / "nope")
    assert result.status == 2
    assert result.err.startswith("nbpost: error:") and "not a folder" in result.err
    (tmp_path / "empty").mkdir()
    result = run_cli("build", tmp_path / "empty")
    assert result.status == 2 and "_quarto.yml" in result.err


def test_no_site_url_warns_and_exits_0(tmp_path: Path, run_cli) -> None:
    root = small_blog(tmp_path / "blog", **{"_quarto.yml": "project:\n  type: website\n"})
    result = run_cli("build", root)
    assert result.status == 0
    assert len(result.err.splitlines()) == 1 and "site-url" in result.err
    assert "no feeds" in result.out


def test_pre_render_mode(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    root = small_blog(tmp_path / "blog")
    monkeypatch.chdir(root)
    monkeypatch.setenv("QUARTO_PROJECT_INPUT_FILES", "posts/a/index.qmd")
    monkeypatch.delenv("QUARTO_PROJECT_RENDER_ALL", raising=False)
    result = run_cli("build")  # Quarto runs the step in the project folder, without arguments
    assert result.status == 0, result.err
    assert result.out == ""  # quiet-ish: one summary line on stderr
    lines = result.err.strip().splitlines()
    # A partial render does not render the pages nbpost just wrote: it says so, once.
    assert len(lines) == 2 and "this partial render does not render them" in lines[0]
    assert lines[1].startswith("nbpost build: 2 posts")
    registry = json.loads((root / "categories.json").read_text(encoding="utf-8"))
    assert set(registry["posts"]) == {"posts/a/index.qmd", "posts/b/index.qmd"}  # all posts
    monkeypatch.delenv("QUARTO_PROJECT_INPUT_FILES")
    monkeypatch.setenv("QUARTO_PROJECT_RENDER_ALL", "1")
    monkeypatch.setenv("QUARTO_PROJECT_DIR", str(root))
    monkeypatch.chdir(tmp_path)
    result = run_cli("build")
    assert result.status == 0 and "0 files written" in result.err


def test_sync_flag(tmp_path: Path, run_cli) -> None:
    """--sync runs nbpost.sync.sync_paths first, or says clearly that it is missing."""
    root = small_blog(tmp_path / "blog")
    result = run_cli("build", root, "--sync")
    if importlib.util.find_spec("nbpost.sync") is None:
        assert result.status == 2
        assert "nbpost: error: --sync" in result.err
        assert not (root / "categories.json").exists()  # nothing half-done
    else:
        assert result.status == 0, result.err
        assert (root / "categories.json").is_file()


def test_build_as_a_process(tmp_path: Path, run_cli_process) -> None:
    root = small_blog(tmp_path / "blog")
    env_free = {k: v for k, v in os.environ.items() if not k.startswith("QUARTO_")}
    assert "QUARTO_PROJECT_INPUT_FILES" not in env_free
    result = run_cli_process("build", str(root))
    assert result.status == 0, result.err
    assert "nbpost build: 2 posts" in result.out


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_jobs_must_be_a_whole_number_of_at_least_one(tmp_path: Path, run_cli, value) -> None:
    root = small_blog(tmp_path / "blog")
    result = run_cli("build", root, "--jobs", value)
    assert result.status == 4  # a usage error (argparse)
    assert "--jobs" in result.err and "at least 1" in result.err
    assert not (root / "categories").exists()


def test_jobs_reaches_the_reader(tmp_path: Path, run_cli, monkeypatch) -> None:
    from nbpost.blog.read import records

    asked = []
    real = records.process_count

    def spy(jobs, items):
        asked.append(jobs)
        return real(jobs, items)

    monkeypatch.setattr(records, "process_count", spy)
    root = small_blog(tmp_path / "blog")
    assert run_cli("build", root, "-j", "3").status == 0
    assert run_cli("build", small_blog(tmp_path / "other"), "--jobs", "1").status == 0
    assert run_cli("build", small_blog(tmp_path / "third")).status == 0
    assert asked == [3, 1, None]
