"""Shared blog fixtures: tiny Quarto blogs written into ``tmp_path``."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

BlogMaker = Callable[[dict[str, str | bytes]], Path]

QUARTO_YML = """\
project:
  type: website
website:
  title: "Test blog"
  site-url: https://example.com/
"""

LISTING_PAGE = """\
---
title: "Posts"
listing:
  contents: posts
  sort: "date desc"
  categories: true
---
"""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (text is dedented) below root and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def post(title: str | None = None, date: str | None = None, categories=None, **extra) -> str:
    """The text of a small .qmd post."""
    lines = ["---"]
    if title is not None:
        lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
    if date is not None:
        lines.append(f"date: {json.dumps(date, ensure_ascii=False)}")
    if categories is not None:
        lines.append(f"categories: {json.dumps(categories, ensure_ascii=False)}")
    for key, value in extra.items():
        lines.append(f"{key.replace('_', '-')}: {json.dumps(value, ensure_ascii=False)}")
    lines += ["---", "", "Some text for the first paragraph.", ""]
    return "\n".join(lines)


def notebook(front_matter: str, *, cell_type: str = "raw", body: str = "Text.") -> str:
    """The JSON of a small notebook whose front matter sits in a first raw/markdown cell."""
    fm_lines = textwrap.dedent(front_matter).strip("\n").split("\n")
    block = ["---", *fm_lines, "---"]
    source = [line + "\n" for line in block[:-1]] + [block[-1]]
    cells = [
        {"cell_type": cell_type, "metadata": {}, "source": source},
        {"cell_type": "markdown", "metadata": {}, "source": [body]},
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": ["print(1)"],
        },
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


@pytest.fixture
def make_blog(tmp_path: Path) -> BlogMaker:
    """Write a blog (``_quarto.yml`` and ``index.qmd`` listing ``posts`` unless given)."""

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "blog"
        defaults: dict[str, str | bytes] = {"_quarto.yml": QUARTO_YML, "index.qmd": LISTING_PAGE}
        defaults.update(files)
        return write_files(root, {k: v for k, v in defaults.items() if v is not None})

    return make


@pytest.fixture
def kit() -> SimpleNamespace:
    """Helpers that write post texts: ``kit.post(...)``, ``kit.notebook(...)``."""
    return SimpleNamespace(post=post, notebook=notebook, write_files=write_files)
