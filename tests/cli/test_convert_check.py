"""``nbpost convert --check``: the same comparison the round-trip guarantee is stated in,
naming the first difference, over both sides of every pair, writing nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

POST = "---\ntitle: A post\n---\n\nSome text.\n\n```{python}\nx = 1\n```\n"


def notebook(*cells: dict[str, Any]) -> str:
    return json.dumps(
        {
            "cells": [{"id": f"c{n}", "metadata": {}, **cell} for n, cell in enumerate(cells)],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def markdown(source: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "source": source}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_check_passes_notebooks_with_edge_blank_lines_and_chunk_syntax(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    write(
        tmp_path / "nb.ipynb",
        notebook(
            {"cell_type": "raw", "source": "---\ntitle: x\n---\n"},
            markdown("\nBy similar triangles..."),
            markdown("## Managing Expectations\n\n...\n\n"),
            markdown(":::\n            "),
            markdown("Write:\n\n```{python}\n1 + 1\n```"),
            markdown("```\nleft open"),
        ),
    )
    before = snapshot(tmp_path)
    result = run_cli("convert", "--check", tmp_path / "nb.ipynb")
    assert result.status == 0, result.err
    assert "1 file(s) round-trip without loss" in result.err
    assert snapshot(tmp_path) == before


def test_check_names_the_first_differing_cell_and_what_changed(
    tmp_path: Path, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbpost.qmd import textcells

    # A writer that trims edge blank lines (nbpost before it kept them in the marker): the
    # check must see the loss, as the guarantee states it.
    real = textcells.text_form

    def trimming(source: str, *args: Any, **kwargs: Any) -> textcells.TextForm:
        form = real(source, *args, **kwargs)
        form.data.pop("lead", None)
        form.data.pop("trail", None)
        return form

    monkeypatch.setattr(textcells, "text_form", trimming)
    nb = write(tmp_path / "nb.ipynb", notebook(markdown("Fine."), markdown("\nBy similar")))
    result = run_cli("convert", "--check", nb)
    assert result.status == 1
    assert (
        f"would not round-trip: {nb}: cell 2 (markdown): leading blank line dropped" in result.err
    )


def test_a_code_cell_starting_with_its_own_tags_line_round_trips(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    # A code cell whose own source starts with a `#| tags:` line (and no tags in its
    # metadata): the line stays in the source, under a `<!-- cell code -->` marker.
    code = {"cell_type": "code", "source": "#| tags: [a]\nx = 1", "outputs": []}
    nb = write(tmp_path / "nb.ipynb", notebook({**code, "execution_count": None}))
    result = run_cli("convert", "--check", nb)
    assert result.status == 0, result.err
    assert run_cli("convert", nb).status == 0
    text = (tmp_path / "nb.qmd").read_text()
    assert "<!-- cell code -->\n\n```{python}\n#| tags: [a]\nx = 1\n```" in text


def test_check_in_a_folder_of_pairs_checks_both_sides(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    for name in ("a", "b"):
        write(tmp_path / name / "index.qmd", POST)
        assert run_cli("convert", tmp_path / name / "index.qmd").status == 0
    before = snapshot(tmp_path)
    result = run_cli("convert", "--check", tmp_path)
    assert result.status == 0, result.err
    assert "choose a direction" not in result.err
    assert "4 file(s) round-trip without loss" in result.err
    assert snapshot(tmp_path) == before


def test_check_reports_bad_input_in_one_line_and_checks_the_rest(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    write(tmp_path / "bad.ipynb", '{"hello": 1}')
    write(tmp_path / "ok.qmd", POST)
    result = run_cli("convert", "--check", tmp_path)
    assert result.status == 2
    lines = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(lines) == 1 and "bad.ipynb: not a Jupyter notebook" in lines[0]
