"""The ``nbpost-check-blog`` hook, run by the real pre-commit (``pre-commit try-repo``) in a
temporary git repository: it fails on an error-level finding and passes once it is fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from synchelpers import git, write
from test_precommit import pre_commit

POST = "---\ntitle: A\ndate: {date}\ndescription: d\n---\n\nText.\n"


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    pytest.importorskip("pre_commit", reason="pre-commit not installed: pip install pre-commit")
    root = tmp_path / "blog"
    write(root / "_quarto.yml", "project:\n  type: website\nwebsite:\n  title: T\n")
    write(root / ".gitignore", ".nbpost/\n")
    write(root / "index.qmd", "---\ntitle: Posts\nlisting:\n  contents: posts\n---\n")
    write(root / "posts" / "a.qmd", POST.format(date="2024-13-45"))
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "-m", "a post with a bad date", cwd=root)
    return root


def test_check_blog_hook_fails_on_an_error_and_passes_when_fixed(
    blog: Path, hook_repo: tuple[Path, str], pre_commit_home: Path
) -> None:
    repo, rev = hook_repo
    args = ("try-repo", str(repo), "nbpost-check-blog", "--ref", rev, "--all-files")
    failed = pre_commit(*args, cwd=blog, home=pre_commit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "posts/a.qmd:3: NB201 cannot read date '2024-13-45'" in failed.stdout

    write(blog / "posts" / "a.qmd", POST.format(date="2024-12-05"))
    git("add", "-A", cwd=blog)
    passed = pre_commit(*args, cwd=blog, home=pre_commit_home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "nbpost check" in passed.stdout
