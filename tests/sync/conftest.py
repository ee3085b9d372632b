"""Fixtures for the sync tests: small pairs on disk and a pre-commit hook repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from synchelpers import HOOK_REPO_SKIP, POST, git, write


@pytest.fixture
def pair_dir(tmp_path: Path, run_cli) -> Path:
    """A project folder with post.qmd paired (by ``nbpost pair``) with post.ipynb."""
    write(tmp_path / "_quarto.yml", "project:\n  type: website\n")
    write(tmp_path / "post.qmd", POST)
    result = run_cli("pair", tmp_path / "post.qmd")
    assert result.status == 0, result.err
    return tmp_path


@pytest.fixture(scope="session")
def hook_repo(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this working tree's package, and its commit, for pre-commit."""
    if shutil.which("git") is None:
        pytest.skip("git not installed: apt-get install git")
    target = tmp_path_factory.mktemp("hook-repo") / "nbpost"
    shutil.copytree(repo_root, target, ignore=HOOK_REPO_SKIP)
    git("init", "-q", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "-m", "hooks under test", cwd=target)
    return target, git("rev-parse", "HEAD", cwd=target).strip()


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the session, so the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")
