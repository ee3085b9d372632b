"""``nbpost new --notebook``: the pair is made by the converter and recorded as in sync."""

from __future__ import annotations

import json
from pathlib import Path

from nbpost.frontmatter import split
from nbpost.sync.pairs import find_pair
from nbpost.sync.record import SyncRecord, record_root

from .blogs import categorised_blog, post, simple_blog, write

DATE = "2026-03-04"


def test_notebook_pair_is_in_sync_for_nbpost_sync(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    result = run_cli("new", "Pair: one", str(root), "--date", DATE, "--notebook")
    assert result.status == 0, result.err
    notebook = root / "posts/pair-one/index.ipynb"
    assert result.out.strip() == str(notebook)  # the file to open next
    qmd = root / "posts/pair-one/index.qmd"
    pair = find_pair(qmd)
    assert pair is not None and pair.ipynb == notebook
    assert SyncRecord.load(record_root(pair)).current(pair) is not None
    check = run_cli("sync", "--check", str(qmd))
    assert check.status == 0, check.err + check.out
    nb = json.loads(notebook.read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    source = "".join(nb["cells"][0]["source"])
    assert split(source + "\n")[1]["title"] == "Pair: one"
    # a second sync still has nothing to do, and an edit on one side is carried over
    qmd.write_text(qmd.read_text("utf-8") + "More text.\n", "utf-8")
    assert run_cli("sync", str(qmd)).status == 0
    assert "More text." in notebook.read_text("utf-8")


def test_kernel_option_and_the_blogs_usual_kernel(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    result = run_cli("new", "In R", str(root), "--date", DATE, "--notebook", "--kernel", "ir")
    assert result.status == 0, result.err
    nb = json.loads((root / "posts/in-r/index.ipynb").read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "ir"
    _, meta, _ = split((root / "posts/in-r/index.qmd").read_text("utf-8"))
    assert meta["jupyter"] == "ir"  # what Quarto runs the .qmd with
    assert run_cli("sync", "--check", str(root / "posts/in-r/index.qmd")).status == 0
    # a blog whose posts say `jupyter: julia-1.10` gets that kernel by default
    julia = simple_blog(
        tmp_path / "julia",
        posts={
            f"posts/p{n}/index.qmd": post(f"P{n}", f"2024-01-0{n}", extra="jupyter: julia-1.10\n")
            for n in (1, 2)
        },
    )
    result = run_cli("new", "Jl", str(julia), "--date", DATE, "--notebook")
    nb = json.loads((julia / "posts/jl/index.ipynb").read_text("utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "julia-1.10"


def test_notebook_goes_to_the_configured_notebook_folder(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    config = root / "_quarto.yml"
    config.write_text(config.read_text("utf-8") + "nbpost:\n  notebook-dir: notebooks\n")
    result = run_cli("new", "Mirrored", str(root), "--date", DATE, "--notebook")
    assert result.status == 0, result.err
    notebook = root / "notebooks/posts/mirrored/index.ipynb"
    assert result.out.strip() == str(notebook) and notebook.is_file()
    assert run_cli("sync", "--check", str(root / "posts/mirrored/index.qmd")).status == 0


def test_notebook_blog_gets_a_notebook_post_and_a_pair_on_request(tmp_path, run_cli) -> None:
    cell = {"cell_type": "raw", "metadata": {}, "source": ["---\n", "title: N\n", "---"]}
    nb = {
        "cells": [cell],
        "metadata": {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    root = simple_blog(
        tmp_path / "blog", posts={f"posts/n{n}/index.ipynb": json.dumps(nb) for n in (1, 2)}
    )
    result = run_cli("new", "Only", str(root), "--date", DATE)
    assert result.out.strip() == str(root / "posts/only/index.ipynb")
    assert not (root / "posts/only/index.qmd").exists()
    made = json.loads((root / "posts/only/index.ipynb").read_text("utf-8"))
    assert made["metadata"]["kernelspec"]["name"] == "ir"
    result = run_cli("new", "Both", str(root), "--date", DATE, "--notebook")
    assert (root / "posts/both/index.qmd").is_file()
    assert run_cli("sync", "--check", str(root / "posts/both/index.qmd")).status == 0


def test_a_notebook_that_appears_meanwhile_is_kept_and_the_text_removed(
    tmp_path: Path, monkeypatch
) -> None:
    from nbpost.blog import newpost
    from nbpost.blog.newpost import write as writer

    root = categorised_blog(tmp_path / "blog")
    plan = newpost.make_plan(
        newpost.read_blog(root),
        newpost.Request(
            title="Race", when=__import__("datetime").datetime(2026, 3, 4), notebook=True
        ),
    )
    real = writer.notebook_text

    def racing(plan, root):  # someone saves the notebook between plan and write
        text = real(plan, root)
        write(root, {"posts/race/index.ipynb": "theirs"})
        return text

    monkeypatch.setattr(writer, "notebook_text", racing)
    try:
        writer.create(plan, root)
    except newpost.NewPostError as exc:
        assert "already exists" in str(exc)
    else:
        raise AssertionError("the racing notebook was overwritten")
    assert (root / "posts/race/index.ipynb").read_text("utf-8") == "theirs"
    assert not (root / "posts/race/index.qmd").exists()


def test_md_blog_pairs_through_a_qmd(tmp_path: Path, run_cli) -> None:
    """X.md beside X.ipynb renders twice in Quarto: the pair's text side is X.qmd."""
    root = simple_blog(
        tmp_path / "blog",
        posts={f"posts/2024-01-0{n}-p{n}.md": post(f"P{n}", f"2024-01-0{n}") for n in (1, 2)},
    )
    result = run_cli("new", "Nb", str(root), "--date", DATE, "--notebook")
    assert result.status == 0, result.err
    assert (root / "posts/2026-03-04-nb.qmd").is_file()
    assert (root / "posts/2026-03-04-nb.ipynb").is_file()
    assert not (root / "posts/2026-03-04-nb.md").exists()
    assert run_cli("sync", "--check", str(root / "posts/2026-03-04-nb.qmd")).status == 0
