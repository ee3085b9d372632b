"""An incremental build after any sequence of edits writes exactly what a clean build writes.

A small blog (text posts, Markdown, a notebook, a sub-folder with its own ``_metadata.yml``,
a ``_categories.yml``, a listing page) goes through seeded random edits: a title, a date,
categories, the draft flag, the first paragraph, a deleted post, a new post, a renamed folder, a
``_metadata.yml`` change and a ``_categories.yml`` change. After each edit the same blog is
built again, incrementally (the cache, the snapshot, the manifest and its reused category
files all in play), and a fresh copy of its sources is built from scratch; every output file
must be byte-identical, and the results must report the same problems.

The racy window (2 s, for coarse file systems) is shrunk to 50 ms so that the incremental
paths are taken at all in a quick test; the test waits longer than that between steps.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from pathlib import Path

import pytest

from nbpost.blog.build import build_blog

QUARTO_YML = """\
project:
  type: website
website:
  title: "Equivalence"
  site-url: https://example.org/
"""
LISTING = '---\ntitle: "Posts"\nlisting:\n  contents: posts\n  categories: true\n---\n'
LABELS = ["python", "Python", "data", "R", "machine learning", "ML", "notes", "garden"]
SOURCES_ONLY = ("posts", "_quarto.yml", "_categories.yml", "index.qmd")
PAUSE = 0.08  # longer than the shrunk racy window, and than the kernel's timestamp tick


def _post(
    title: str, date: str, categories: list[str], draft: bool, suffix: str, body: str = ""
) -> str:
    lines = ["---", f"title: {json.dumps(title)}", f"date: {date}"]
    if categories:
        lines.append(f"categories: {json.dumps(categories)}")
    if draft:
        lines.append("draft: true")
    lines += ["---", "", f"The first paragraph of {title}.{body}", ""]
    text = "\n".join(lines)
    if suffix != ".ipynb":
        return text
    front, _, body = text.partition("---\n\n")
    cells = [
        {"cell_type": "raw", "metadata": {}, "source": front + "---"},
        {"cell_type": "markdown", "metadata": {}, "source": body},
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


class Blog:
    """The blog's sources as a model, written to disk as they change."""

    def __init__(self, root: Path, rng: random.Random):
        self.root = root
        self.rng = rng
        self.posts: dict[str, dict] = {}  # folder -> fields
        self.counter = 0
        self.metadata = "author: Ann\n"
        self.registry = '- label: "machine learning"\n  aliases: [ML]\n  colour: "#336699"\n'
        root.mkdir()
        (root / "_quarto.yml").write_text(QUARTO_YML, encoding="utf-8")
        (root / "index.qmd").write_text(LISTING, encoding="utf-8")
        (root / "posts/notes").mkdir(parents=True)
        self._write_config()
        for _ in range(10):
            self.add()

    def _write_config(self) -> None:
        (self.root / "posts/notes/_metadata.yml").write_text(self.metadata, encoding="utf-8")
        (self.root / "_categories.yml").write_text(self.registry, encoding="utf-8")

    def _path(self, folder: str) -> Path:
        return self.root / folder / ("index" + self.posts[folder]["suffix"])

    def _write(self, folder: str) -> None:
        fields = self.posts[folder]
        self._path(folder).parent.mkdir(parents=True, exist_ok=True)
        self._path(folder).write_text(_post(**fields), encoding="utf-8")

    def _date(self) -> str:
        return f"2024-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    def add(self) -> str:
        self.counter += 1
        base = "posts/notes" if self.rng.random() < 0.3 else "posts"
        folder = f"{base}/p{self.counter:03d}"
        self.posts[folder] = {
            "title": f"Post {self.counter}",
            "date": self._date(),
            "categories": self.rng.sample(LABELS, self.rng.randint(0, 3)),
            "draft": self.rng.random() < 0.1,
            "suffix": self.rng.choice([".qmd", ".qmd", ".md", ".ipynb"]),
        }
        self._write(folder)
        return f"add {folder}"

    def edit(self) -> str:
        folder = self.rng.choice(sorted(self.posts))
        fields = self.posts[folder]
        what = self.rng.choice(["title", "date", "categories", "draft", "body"])
        if what == "title":
            fields["title"] = fields["title"] + self.rng.choice([" again", "!", " & more"])
        elif what == "date":
            fields["date"] = self._date()
        elif what == "body":  # the description (its first paragraph) changes, nothing else
            fields["body"] = fields.get("body", "") + self.rng.choice([" More.", " *Mark*."])
        elif what == "categories":
            fields["categories"] = self.rng.sample(LABELS, self.rng.randint(0, 3))
        else:
            fields["draft"] = not fields["draft"]
        self._write(folder)
        return f"{what} of {folder}"

    def delete(self) -> str:
        folder = self.rng.choice(sorted(self.posts))
        shutil.rmtree(self.root / folder)
        del self.posts[folder]
        return f"delete {folder}"

    def rename(self) -> str:
        folder = self.rng.choice(sorted(self.posts))
        self.counter += 1
        new = f"{folder.rpartition('/')[0]}/renamed{self.counter:03d}"
        (self.root / folder).rename(self.root / new)
        self.posts[new] = self.posts.pop(folder)
        return f"rename {folder} -> {new}"

    def change_metadata(self) -> str:
        self.metadata = self.rng.choice(
            ["author: Ann\n", "author: Bo\n", "author: Bo\ncategories: [notes]\n", "draft: false\n"]
        )
        self._write_config()
        return "posts/notes/_metadata.yml"

    def change_registry(self) -> str:
        self.registry = self.rng.choice(
            [
                '- label: "machine learning"\n  aliases: [ML]\n  colour: "#336699"\n',
                '- label: "Machine Learning"\n  aliases: [ML, ml]\n',
                "- label: data\n  description: Numbers\n  slug: numbers\n",
                "",
            ]
        )
        self._write_config()
        return "_categories.yml"

    def step(self) -> str:
        actions = [self.edit] * 6 + [self.add, self.delete, self.rename]
        actions += [self.change_metadata, self.change_registry]
        if len(self.posts) < 4:
            actions = [self.add]
        return self.rng.choice(actions)()


def _files(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` but the .nbpost state."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.relative_to(root).as_posix().startswith(".nbpost/")
    }


def _clean_copy(source: Path, target: Path) -> Path:
    """A copy of the blog's sources only (no outputs, no state), as in a fresh clone."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir()
    for name in SOURCES_ONLY:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.is_file():
            shutil.copy2(path, target / name)
    return target


def _problems(result) -> list[str]:
    lines = [*result.errors, *result.warnings]
    return sorted(m.replace("incremental/", "").replace("clean/", "") for m in lines)


# More seeds for a long run: NBPOST_EQUIVALENCE_SEEDS=40
SEEDS = range(1, 1 + int(os.environ.get("NBPOST_EQUIVALENCE_SEEDS", "3")))


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_builds_match_clean_builds(
    tmp_path: Path, seed: int, short_racy_window, patch_attempts: list[bool]
):
    rng = random.Random(seed)
    blog = Blog(tmp_path / "incremental", rng)
    build_blog(blog.root, quiet=True)
    history: list[str] = []
    for _ in range(30):
        time.sleep(PAUSE)
        history.append(blog.step())
        time.sleep(PAUSE)
        incremental = build_blog(blog.root, quiet=True)
        clean_root = _clean_copy(blog.root, tmp_path / "clean")
        clean = build_blog(clean_root, quiet=True)
        got, expected = _files(blog.root), _files(clean_root)
        assert sorted(got) == sorted(expected), history
        for rel, data in expected.items():
            assert got[rel] == data, (rel, history)
        assert (incremental.posts, incremental.categories) == (clean.posts, clean.categories)
        assert _problems(incremental) == _problems(clean), history
    # Edits of one post's front matter are most steps: the builds after them patch.
    assert patch_attempts.count(True) >= 5, (patch_attempts, history)
