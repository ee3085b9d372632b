"""The one file walker (``nbpost.project.walk``): the blog's discovery, ``nbpost convert`` and
``nbpost sync`` on a folder skip what Quarto skips (``projectHiddenIgnoreGlob`` and
``engineIgnoreDirs`` in quarto-cli)."""

from __future__ import annotations

import json
from pathlib import Path

from nbpost.blog.read.discover import excluded_folders
from nbpost.project.walk import walk_posts, walk_project

POST = "---\ntitle: A post\n---\n\nText.\n\n```{python}\nx = 1\n```\n"
NOTEBOOK = {
    "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# Hi"]}],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}
# Where Quarto never looks for inputs: its output and freezer, drafts kept aside, engines'
# environments, hidden folders (quarto-cli src/project/project-context.ts, engine.ts).
SKIPPED = [
    "_site/posts/a/index.qmd",
    "_freeze/posts/a/index.qmd",
    "_drafts/later/index.qmd",
    "venv/lib/site-packages/pkg/demo.ipynb",
    "env/share/demo.ipynb",
    "renv/library/demo.md",
    "packrat/lib/demo.md",
    "node_modules/pkg/README2.md",
    "posts/a/.ipynb_checkpoints/index-checkpoint.ipynb",
    ".github/notes.md",
    "README.md",
    "posts/AGENTS.md",
]
KEPT = ["about.qmd", "posts/a/index.qmd", "posts/b/index.ipynb", "posts/c/notes.md"]


def _blog(root: Path) -> Path:
    (root / "_quarto.yml").parent.mkdir(parents=True, exist_ok=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\n")
    for rel in SKIPPED + KEPT:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(NOTEBOOK) if rel.endswith(".ipynb") else POST)
    return root


def test_convert_and_sync_walk_what_quarto_renders(tmp_path: Path) -> None:
    root = _blog(tmp_path)
    walked = sorted(p.relative_to(root).as_posix() for p in walk_posts(root))
    assert walked == KEPT


def test_the_blog_and_the_folder_walk_agree(tmp_path: Path) -> None:
    root = _blog(tmp_path)
    found = walk_project(root, excluded_folders("_site", "."))
    assert found.on_disk == sorted(p.relative_to(root).as_posix() for p in walk_posts(root))


def test_a_folder_named_on_the_command_line_is_walked_even_when_quarto_skips_it(
    tmp_path: Path,
) -> None:
    root = _blog(tmp_path)
    assert [p.name for p in walk_posts(root / "_drafts")] == ["index.qmd"]


def test_convert_on_a_folder_leaves_a_virtual_environment_alone(tmp_path: Path, run_cli) -> None:
    root = _blog(tmp_path)
    result = run_cli("convert", root, "--to", "ipynb")
    assert result.status == 0, result.err
    assert (root / "posts/a/index.ipynb").is_file()
    assert not (root / "_drafts/later/index.ipynb").exists()
    assert not (root / "renv/library/demo.ipynb").exists()
    assert not (root / "README.ipynb").exists()
    assert sorted(p.name for p in (root / "venv/lib/site-packages/pkg").iterdir()) == ["demo.ipynb"]


def test_sync_on_a_folder_leaves_a_virtual_environment_alone(tmp_path: Path, run_cli) -> None:
    root = _blog(tmp_path)
    env = root / "venv/lib/site-packages/pkg"
    (env / "demo.qmd").write_text(POST)  # a pair inside the environment
    before = (env / "demo.ipynb").read_bytes()
    result = run_cli("sync", root)
    assert result.status == 0, result.err
    assert (env / "demo.ipynb").read_bytes() == before
