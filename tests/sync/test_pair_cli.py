"""``nbpost pair``: both directions, never overwriting, folders, and the record it leaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synchelpers import POST, write

from nbpost import ipynb, qmd


def test_pair_qmd_creates_a_notebook_that_converts_back(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    result = run_cli("pair", post)
    assert result.status == 0, result.err
    notebook = post.with_suffix(".ipynb")
    assert f"Paired {post} -> {notebook}" in result.err
    text = qmd.emit(ipynb.to_document(ipynb.loads(notebook.read_text(encoding="utf-8"))))
    assert text == POST
    import nbformat

    nbformat.validate(nbformat.reads(notebook.read_text(encoding="utf-8"), as_version=4))
    assert run_cli("sync", "--check", tmp_path).status == 0


def test_pair_notebook_creates_text_and_keeps_the_notebook(
    examples_blog_copy: Path, run_cli
) -> None:
    notebook = examples_blog_copy / "posts" / "2024-05-20-cafe-queue" / "index.ipynb"
    before = notebook.read_bytes()
    result = run_cli("pair", notebook)
    assert result.status == 0, result.err
    text = notebook.with_suffix(".qmd").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Queueing for coffee"')
    assert "```{python}" in text and "#| label: fig-queue" in text
    assert notebook.read_bytes() == before
    record = json.loads((examples_blog_copy / ".nbpost" / "sync.json").read_text())
    key = "posts/2024-05-20-cafe-queue/index.qmd"
    assert record["pairs"][key]["ipynb"] == "posts/2024-05-20-cafe-queue/index.ipynb"


def test_pair_with_ids_writes_ids_and_sync_keeps_writing_them(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("pair", post).status == 0
    post.unlink()
    notebook = tmp_path / "post.ipynb"
    assert run_cli("pair", "--with-ids", notebook).status == 0
    assert '"id"' in post.read_text(encoding="utf-8")
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = "Edited in Jupyter."
    notebook.write_text(json.dumps(data), encoding="utf-8")
    assert run_cli("sync", notebook).status == 0
    text = post.read_text(encoding="utf-8")
    assert "Edited in Jupyter." in text and '"id"' in text


@pytest.mark.parametrize("name", ["post.qmd", "post.ipynb"])
def test_pair_refuses_to_overwrite_an_existing_other_side(
    pair_dir: Path, run_cli, name: str
) -> None:
    before = {p.name: p.read_bytes() for p in pair_dir.glob("post.*")}
    result = run_cli("pair", pair_dir / name)
    assert result.status == 2
    assert "already paired" in result.err and "nbpost sync" in result.err
    assert {p.name: p.read_bytes() for p in pair_dir.glob("post.*")} == before


def test_pair_dry_run_writes_nothing(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    result = run_cli("pair", "--dry-run", post)
    assert result.status == 0 and "Would pair" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.qmd"]


def test_pair_folder_skips_partials_and_existing_pairs(examples_blog_copy: Path, run_cli) -> None:
    posts = examples_blog_copy / "posts"
    first = run_cli("pair", posts)
    assert first.status == 0, first.err
    assert not (posts / "2024-07-01-writing-chunks" / "_plot-rules.ipynb").exists()
    for folder in sorted(p for p in posts.iterdir() if p.is_dir()):
        assert (folder / "index.qmd").is_file() and (folder / "index.ipynb").is_file()
    again = run_cli("pair", posts)
    assert again.status == 0 and "Paired" not in again.err


def test_pair_bad_input_is_one_line_and_others_are_paired(tmp_path: Path, run_cli) -> None:
    write(tmp_path / "bad.ipynb", b"{not json")
    write(tmp_path / "bad.qmd.txt", "not a post")
    good = write(tmp_path / "good.qmd", POST)
    result = run_cli("pair", tmp_path / "bad.ipynb", tmp_path / "bad.qmd.txt", good)
    assert result.status == 2
    assert result.err.count("nbpost: error:") == 2
    assert "bad.ipynb:1: invalid notebook JSON" in result.err
    assert not (tmp_path / "bad.qmd").exists()
    assert good.with_suffix(".ipynb").is_file()


def test_md_pairs_only_inside_a_quarto_project(tmp_path: Path, run_cli) -> None:
    from nbpost.sync import find_pair

    outside = tmp_path / "outside"
    notes = write(outside / "analysis.md", "# Notes\n\nNot the notebook's source.\n")
    notebook = write(outside / "analysis.ipynb", "{}")
    assert find_pair(notebook) is None and find_pair(notes) is None
    result = run_cli("pair", notes)
    assert result.status != 0
    assert "only inside a Quarto project" in result.err
    assert notebook.read_text() == "{}"

    # In a Quarto project a .md beside its notebook would be rendered twice to one page
    # (Quarto skips X.ipynb only beside X.qmd): refused, with the two ways out.
    blog = tmp_path / "blog"
    write(blog / "_quarto.yml", "project:\n  type: website\n")
    post = write(blog / "posts" / "a" / "index.md", POST)
    refused = run_cli("pair", post)
    assert refused.status != 0
    assert "Quarto renders index.md and index.ipynb both" in refused.err
    assert "index.qmd" in refused.err and "notebook-dir" in refused.err
    assert not post.with_suffix(".ipynb").exists()
    # With a notebook folder Quarto does not render, the .md pairs there.
    write(blog / "_quarto.yml", "project:\n  type: website\nnbpost:\n  notebook-dir: _nbs\n")
    assert run_cli("pair", post).status == 0
    pair = find_pair(post)
    assert pair is not None and pair.ipynb == blog / "_nbs" / "posts" / "a" / "index.ipynb"


def test_pair_notebook_with_a_pasted_image_writes_it_beside_the_text(
    tmp_path: Path, run_cli
) -> None:
    image = {"image/png": "iVBORw0KGgo="}  # base64 of the PNG signature
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "a",
                "metadata": {},
                "source": "![plot](attachment:x.png)",
                "attachments": {"x.png": image},
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    source = write(tmp_path / "post.ipynb", json.dumps(notebook))
    result = run_cli("pair", source)
    assert result.status == 0, result.err
    text = (tmp_path / "post.qmd").read_text(encoding="utf-8")
    files = list((tmp_path / "post_files" / "attachments").iterdir())
    assert len(files) == 1 and files[0].read_bytes() == b"\x89PNG\r\n\x1a\n"
    assert f"](post_files/attachments/{files[0].name})" in text
    assert run_cli("sync", "--check", tmp_path).status == 0
