"""The real pre-commit runs our hooks (``.pre-commit-hooks.yaml``) in a temporary repository.

pre-commit builds a virtualenv and pip-installs this package from a git copy of the working
tree, once per session (``pre_commit_home``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from synchelpers import GIT_ENV, POST, git, run_outputs, write


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the real pre-commit (from this interpreter's environment) in ``cwd``."""
    executable = shutil.which("pre-commit") or ""
    command = [executable] if executable else [sys.executable, "-m", "pre_commit"]
    return subprocess.run(
        [*command, *args],
        cwd=cwd,
        env={**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def blog_repo(tmp_path: Path, hook_repo: tuple[Path, str], run_cli) -> Path:
    """A git repository with a committed, synced pair and a config using both hooks."""
    pytest.importorskip("pre_commit", reason="pre-commit not installed: pip install pre-commit")
    repo, rev = hook_repo
    blog = tmp_path / "blog"
    write(blog / "_quarto.yml", "project:\n  type: website\n")
    write(blog / ".gitignore", ".nbpost/\n")
    write(blog / "posts" / "a" / "index.qmd", POST)
    write(blog / "README.md", "Not a post, and not paired.\n")
    assert run_cli("pair", blog / "posts" / "a" / "index.qmd").status == 0
    write(
        blog / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n"
        "    hooks:\n      - id: nbpost-sync\n      - id: nbpost-check\n",
    )
    git("init", "-q", cwd=blog)
    git("add", "-A", cwd=blog)
    git("commit", "-q", "-m", "a synced pair", cwd=blog)
    return blog


def test_hooks_pass_on_a_synced_repository(blog_repo: Path, pre_commit_home: Path) -> None:
    result = pre_commit("run", "--all-files", cwd=blog_repo, home=pre_commit_home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nbpost sync" in result.stdout and "nbpost check" in result.stdout


def test_check_hook_fails_on_drift_and_sync_hook_fixes_it(
    blog_repo: Path, pre_commit_home: Path
) -> None:
    post = blog_repo / "posts" / "a" / "index.qmd"
    notebook = post.with_suffix(".ipynb")
    run_outputs(notebook, {2: "1\n"})
    git("commit", "-q", "-am", "ran the notebook", cwd=blog_repo)
    before = notebook.read_bytes()
    write(post, POST.replace("Between.", "Between, edited."))
    git("add", str(post), cwd=blog_repo)

    check = pre_commit("run", "nbpost-check", cwd=blog_repo, home=pre_commit_home)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "out of sync" in check.stdout
    assert notebook.read_bytes() == before  # the check writes nothing

    fix = pre_commit("run", "nbpost-sync", cwd=blog_repo, home=pre_commit_home)
    assert fix.returncode == 1, fix.stdout + fix.stderr  # a fixer fails when it changed files
    assert "Between, edited." in notebook.read_text(encoding="utf-8")
    assert '"1\\n"' in notebook.read_text(encoding="utf-8")  # unchanged cell kept its output

    git("add", str(notebook), cwd=blog_repo)
    again = pre_commit("run", cwd=blog_repo, home=pre_commit_home)
    assert again.returncode == 0, again.stdout + again.stderr


def test_installed_hook_blocks_a_commit_until_the_notebook_is_staged(
    blog_repo: Path, pre_commit_home: Path
) -> None:
    installed = pre_commit("install", cwd=blog_repo, home=pre_commit_home)
    assert installed.returncode == 0, installed.stderr
    post = blog_repo / "posts" / "a" / "index.qmd"
    write(post, POST + "\nA new closing line.\n")
    git("add", str(post), cwd=blog_repo)
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(pre_commit_home)}

    def commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "commit", "-q", "-m", "edit"],
            cwd=blog_repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    first = commit()
    assert first.returncode != 0, first.stdout + first.stderr
    assert "A new closing line." in post.with_suffix(".ipynb").read_text(encoding="utf-8")
    git("add", "posts", cwd=blog_repo)
    second = commit()
    assert second.returncode == 0, second.stdout + second.stderr
    assert git("status", "--porcelain", cwd=blog_repo).strip() == ""


def test_build_hooks_check_and_refresh_committed_listings(
    tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path, run_cli
) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit not installed: pip install pre-commit")
    repo, rev = hook_repo
    blog = tmp_path / "listed"
    write(blog / "_quarto.yml", "project:\n  type: website\nwebsite:\n  title: Hooks\n")
    write(blog / ".gitignore", ".nbpost/\n")
    write(blog / "posts" / "a" / "index.qmd", "---\ntitle: First\ncategories: [Soil]\n---\n")
    write(
        blog / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n"
        "    hooks:\n      - id: nbpost-build\n      - id: nbpost-build-check\n",
    )
    assert run_cli("build", blog).status == 0
    git("init", "-q", cwd=blog)
    git("add", "-A", cwd=blog)
    git("commit", "-q", "-m", "posts and their listings", cwd=blog)
    assert pre_commit("run", "--all-files", cwd=blog, home=pre_commit_home).returncode == 0

    page = blog / "categories" / "soil" / "index.qmd"
    before = page.read_bytes()
    write(blog / "posts" / "a" / "index.qmd", "---\ntitle: First\ncategories: [Soil, Rain]\n---\n")
    git("add", "posts", cwd=blog)
    check = pre_commit("run", "nbpost-build-check", cwd=blog, home=pre_commit_home)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "would write categories/rain/index.qmd" in check.stdout
    assert not (blog / "categories" / "rain").exists()  # the check writes nothing
    assert page.read_bytes() == before

    fix = pre_commit("run", "nbpost-build", cwd=blog, home=pre_commit_home)
    assert fix.returncode == 1, fix.stdout + fix.stderr  # a fixer fails when it wrote files
    assert (blog / "categories" / "rain" / "index.qmd").is_file()
    git("add", "-A", cwd=blog)
    again = pre_commit("run", cwd=blog, home=pre_commit_home)
    assert again.returncode == 0, again.stdout + again.stderr
