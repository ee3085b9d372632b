"""A plain ``.md`` post opened as a notebook, over the REST API of a real server.

Quarto never executes a ``.md`` file, so a notebook beside it holds nothing Quarto uses, and
in a blog it would become a second input (a duplicate post). Opening such a post with
Open With -> Notebook is a view of its text: saves write the ``.md`` when a cell source
changed and never create ``X.ipynb``. A notebook the user made on purpose (``nbpost pair``)
(``nbpost convert``) is kept up to date as for a ``.qmd``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer
from labclient import View

pytestmark = pytest.mark.jupyter

NOTES = """---
title: Field notes
---

Rain today.

```{python}
print(1 + 1)
```
"""


def _md_post(post_copy: Callable[[str], Path]) -> Path:
    post = post_copy("2024-03-02-first-frost-dates")
    (post / "index.qmd").unlink()
    notes = post / "index.md"
    notes.write_text(NOTES, encoding="utf-8")
    return notes


def _run_cells(view: View) -> None:
    """What running every code cell leaves in the model: outputs and execution counts."""
    for number, cell in enumerate(view.content["cells"], 1):
        if cell["cell_type"] == "code":
            cell["execution_count"] = number
            cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": ["2\n"]}]


def test_opening_a_md_post_as_a_notebook_never_creates_its_notebook(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    notes = _md_post(post_copy)
    view = View(jupyter_server, jupyter_server.api_path(notes)).open()
    _run_cells(view)  # a kernel attached and the cells ran: autosave follows
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    assert not notes.with_suffix(".ipynb").exists(), "opening a .md created a notebook"
    assert notes.read_text(encoding="utf-8") == NOTES

    view.add_line("Typed in the notebook view.")
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    assert "Typed in the notebook view." in notes.read_text(encoding="utf-8")
    assert not notes.with_suffix(".ipynb").exists(), "saving a .md view created a notebook"
    view.add_line("And a second line.")  # the view's next save goes through as well
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    assert "And a second line." in notes.read_text(encoding="utf-8")
    assert sorted(p.name for p in notes.parent.iterdir()) == ["index.md"]


def test_a_md_post_paired_on_purpose_keeps_its_notebook_up_to_date(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    notes = _md_post(post_copy)
    result = run_cli("convert", notes)  # the user made the notebook on purpose
    assert result.status == 0, result.err
    view = View(jupyter_server, jupyter_server.api_path(notes)).open()
    view.add_line("Typed in the notebook view.")
    _run_cells(view)
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    notebook = notes.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert "Typed in the notebook view." in notebook and '"2\\n"' in notebook
