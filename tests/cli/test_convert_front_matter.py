"""A notebook's first raw cell that is not valid YAML (issue 12 item 8).

``nbpost convert`` writes it as a raw cell (it may hold anything: jupytext's own test set has
one) and says so; a post kept in sync, whose front matter got a YAML typo in Jupyter, is
not rewritten without its front matter: sync refuses, naming the notebook and the line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

INVALID = "---\ntitle: a: b\n---"


def notebook(first: str) -> str:
    return json.dumps(
        {
            "cells": [
                {"cell_type": "raw", "id": "fm", "metadata": {}, "source": first},
                {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "Text."},
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def test_convert_keeps_an_invalid_yaml_first_cell_as_a_raw_cell_and_says_so(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    source = tmp_path / "nb.ipynb"
    source.write_text(notebook(INVALID))
    result = run_cli("convert", source)
    assert result.status == 0, result.err
    text = (tmp_path / "nb.qmd").read_text()
    assert text.startswith("<!-- cell raw -->\n\n---\ntitle: a: b\n---\n")
    assert "the first cell is not front matter (line 2)" in result.err
    assert "kept as a raw cell" in result.err and "<input>" not in result.err
    assert run_cli("convert", "--check", source).status == 0


def test_sync_refuses_to_drop_the_front_matter_of_a_post_over_a_yaml_typo(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = tmp_path / "post.qmd"
    post.write_text("---\ntitle: Fine\n---\n\nText.\n")
    assert run_cli("pair", post).status == 0
    notebook_path = tmp_path / "post.ipynb"
    data = json.loads(notebook_path.read_text())
    data["cells"][0]["source"] = INVALID
    notebook_path.write_text(json.dumps(data))
    result = run_cli("sync", tmp_path)
    assert result.status == 2
    lines = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(lines) == 1 and "post.ipynb" in lines[0] and "invalid YAML" in lines[0]
    assert post.read_text() == "---\ntitle: Fine\n---\n\nText.\n"
