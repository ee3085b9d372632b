"""Every post of the shared corpus through the filter to HTML, after `nbpost build` on a copy."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from filterkit import pandoc_args, parse_head, run_pandoc

pytestmark = [pytest.mark.corpus, pytest.mark.pandoc]

DOCUMENT_SUFFIXES = {".qmd": "markdown", ".md": "markdown", ".ipynb": "ipynb"}
# Two cores in CI; pandoc is one process per post, so a few threads keep both busy.
WORKERS = max(2, min(8, (os.cpu_count() or 2) * 2))


def project_of(path: Path, top: Path) -> Path:
    """The nearest folder holding _quarto.yml (the top of the copy when there is none)."""
    for folder in path.parents:
        if (folder / "_quarto.yml").is_file():
            return folder
        if folder == top:
            break
    return top


@pytest.fixture(scope="module")
def corpus_copy(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A writable copy of the corpus (the corpus itself is read-only)."""
    target = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(corpus_dir, target)
    return target


def test_every_corpus_post_renders_to_html(
    pandoc_path: str, corpus_copy: Path, run_cli: Callable[..., Any]
) -> None:
    """No pandoc error on any post; JSON-LD parses; registry-listed posts carry its labels."""
    projects = sorted(path.parent for path in corpus_copy.rglob("_quarto.yml"))
    registries: dict[Path, dict[str, Any]] = {}
    for project in projects:
        result = run_cli("build", project, "--quiet")
        assert result.status in (0, 1), result.err  # 1: some post skipped, reported
        registries[project] = json.loads((project / "categories.json").read_text("utf-8"))
    generated = ("categories", "archive", "feeds", "_site", ".nbpost")
    documents = sorted(
        path
        for path in corpus_copy.rglob("*")
        if path.suffix in DOCUMENT_SUFFIXES
        and path.is_file()
        and path.name != "POSTS.md"
        and not any(part in generated for part in path.relative_to(corpus_copy).parts)
    )
    assert len(documents) >= 600

    # Syntax highlighting is most of pandoc's time on these code-heavy posts and has nothing to
    # do with the filter: switch it off (the flag's name changed in pandoc 3.8).
    version = run_pandoc(pandoc_path, ["--version"], cwd=corpus_copy).stdout.split()[1]
    major, minor = (int(part) for part in version.split(".")[:2])
    no_highlight = (
        ["--syntax-highlighting=none"] if (major, minor) >= (3, 8) else ["--no-highlight"]
    )

    def run(path: Path) -> tuple[Path, Path, int, str, str]:
        project = project_of(path, corpus_copy)
        args = pandoc_args(path.relative_to(project), "html", reader=DOCUMENT_SUFFIXES[path.suffix])
        args += no_highlight
        done = run_pandoc(pandoc_path, args, cwd=project, check=False)
        return path, project, done.returncode, done.stdout, done.stderr

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(run, documents))

    failures = [f"{path}: {err.strip()[-300:]}" for path, _, code, _, err in results if code]
    assert failures == []
    checked = 0
    for path, project, _, out, _ in results:
        head = parse_head(out)
        blocks = head.json_ld()  # json.loads: every block must parse
        assert len(blocks) <= 1, path
        entry = (
            registries.get(project, {}).get("posts", {}).get(path.relative_to(project).as_posix())
        )
        if entry and entry["categories"]:
            assert head.properties("article:tag") == entry["categories"], path
            assert set(entry["categories"]) <= set(blocks[0]["keywords"]), path
            assert blocks[0].get("datePublished") == entry["date"], path
            checked += 1
    assert checked >= 300  # most corpus posts are listed with categories
