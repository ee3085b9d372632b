"""Where a notebook's front matter is: one rule (Quarto's) for the blog reader and the converter."""

from __future__ import annotations

import json

import pytest

from nbpost import ipynb, qmd
from nbpost.blog.read.reader import read_post
from nbpost.frontmatter import notebook_front_matter_index, opens_front_matter


def _notebook(*cells: tuple[str, str]) -> dict:
    return {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": source}
            | ({"outputs": [], "execution_count": None} if kind == "code" else {})
            for kind, source in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_front_matter_is_the_first_raw_or_markdown_cell_opening_a_block_like_quarto() -> None:
    # quarto-cli src/core/jupyter/jupyter-fixups.ts fixupFrontMatter: a heading cell before
    # the YAML cell does not stop the search
    cells = [("markdown", "# Hello"), ("raw", "---\ntitle: From raw\n---")]
    assert notebook_front_matter_index(cells) == 1
    assert notebook_front_matter_index([("code", "---\na: 1\n---"), *cells]) == 2
    assert notebook_front_matter_index([("markdown", "text"), ("markdown", "more")]) is None


@pytest.mark.parametrize(
    ("text", "opens"),
    [
        ("---\ntitle: A\n---", True),
        ("\n\n  ---\ntitle: A\n...\nbody", True),  # trimLeft first; "..." closes
        ("---\n\ntitle: A\n---", False),  # a blank second line
        ("---\n---\ntitle: A\n---", False),  # a delimiter as second line
        ("---\ntitle: A\n", False),  # never closed
        ("# ---\ntitle: A\n---", False),
    ],
)
def test_opens_front_matter_follows_partition_yaml_front_matter(text: str, opens: bool) -> None:
    assert opens_front_matter(text) is opens


def test_blog_reader_and_converter_agree_on_a_heading_before_the_yaml_cell() -> None:
    notebook = _notebook(("markdown", "# Hello"), ("raw", "---\ntitle: From raw\n---"))
    record = read_post(json.dumps(notebook).encode(), "post.ipynb")
    assert record.meta == {"title": "From raw"}  # Quarto's listing title
    doc = ipynb.to_document(notebook)
    # The converter asks the same rule; the cell is second, so it stays in place as a raw
    # cell rather than becoming the text's leading front matter (no output changes).
    assert ipynb.front_matter_cell(doc) is None
    text = qmd.emit(doc)
    assert "---\ntitle: From raw\n---" in text
    assert not text.startswith("---")


def test_converter_front_matter_cell_is_the_first_cell_the_rule_names() -> None:
    doc = ipynb.to_document(_notebook(("raw", "---\ntitle: A\n---"), ("markdown", "# Hi")))
    assert ipynb.front_matter_cell(doc) is doc.cells[0]


def test_blog_reader_skips_an_unclosed_block_like_quarto() -> None:
    notebook = _notebook(("markdown", "---\ntitle: Not closed"), ("raw", "---\ntitle: B\n---"))
    assert read_post(json.dumps(notebook).encode(), "post.ipynb").meta == {"title": "B"}
