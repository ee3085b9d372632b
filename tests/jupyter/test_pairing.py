"""The save rules of the Jupyter integration, without a server (``nbpost.jupyter.pairing``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nbpost import sync
from nbpost.api import notebook_to_qmd
from nbpost.jupyter import pairing, plans

NB: dict[str, Any] = {
    "cells": [
        {"cell_type": "raw", "id": "fm", "metadata": {}, "source": "---\ntitle: T\n---"},
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "Some *text*."},
        {
            "cell_type": "code",
            "id": "c",
            "metadata": {},
            "source": "1 + 1",
            "outputs": [],
            "execution_count": None,
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_a_text_that_loses_a_cell_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sync.text_from_notebook

    def drops_last_cell(notebook_text: str, *args: Any, **kwargs: Any) -> Any:
        data = json.loads(notebook_text)
        data["cells"] = data["cells"][:-1]
        return real(json.dumps(data), *args, **kwargs)

    # A converter bug that drops a cell (the jupyterlab-quarto#14 kind) must be caught.
    monkeypatch.setattr(sync, "text_from_notebook", drops_last_cell)
    with pytest.raises(pairing.SaveRefused) as caught:
        pairing.text_from_notebook(NB, tmp_path / "a.qmd", "old text\n")
    assert caught.value.status == 422
    assert "first difference at cell 3" in str(caught.value)


def test_a_faithful_text_is_accepted(tmp_path: Path) -> None:
    text, files = pairing.text_from_notebook(NB, tmp_path / "a.qmd", None)
    assert text == notebook_to_qmd(json.dumps(NB, sort_keys=True))  # as a notebook file holds it
    assert text.startswith("---\ntitle: T\n")
    assert text.endswith("---\n\nSome *text*.\n\n```{python}\n1 + 1\n```\n")
    assert files == {}


@pytest.mark.parametrize("old", ["x\n", "---\ntitle: T\n---\n"])
def test_no_cells_over_a_post_is_refused(tmp_path: Path, old: str) -> None:
    with pytest.raises(pairing.SaveRefused, match="non-empty post"):
        pairing.text_from_notebook({**NB, "cells": []}, tmp_path / "a.qmd", old)


def test_no_cells_for_a_new_post_is_fine(tmp_path: Path) -> None:
    text, _ = pairing.text_from_notebook({**NB, "cells": []}, tmp_path / "a.qmd", None)
    assert text.strip() == "" or text.startswith("---")


def test_a_new_notebook_beside_a_different_post_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.qmd").write_text("Another post.\n", encoding="utf-8")
    with pytest.raises(pairing.SaveRefused, match="changed on disk since this notebook"):
        plans.plan_notebook_save(NB, tmp_path / "a.ipynb", tmp_path, None)
    assert (tmp_path / "a.qmd").read_text(encoding="utf-8") == "Another post.\n"
    assert not (tmp_path / "a.ipynb").exists()


def test_an_unpaired_notebook_needs_nothing(tmp_path: Path) -> None:
    assert plans.plan_notebook_save(NB, tmp_path / "a.ipynb", tmp_path, None) == (None, None)


def test_a_md_outside_a_quarto_project_is_not_a_notebooks_post(tmp_path: Path) -> None:
    notes = tmp_path / "analysis.md"
    notes.write_text("# Notes exported from the notebook\n", encoding="utf-8")
    notebook = tmp_path / "analysis.ipynb"
    assert pairing.paired_text(notebook, tmp_path).pair is None  # saved for the first time
    notebook.write_text(json.dumps(NB), encoding="utf-8")
    assert pairing.paired_text(notebook, tmp_path).pair is None
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    found = pairing.paired_text(notebook, tmp_path).pair
    assert found is not None and found.qmd == notes
