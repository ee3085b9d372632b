"""A Jupyter save of a paired notebook writes its attachments only inside the post's folder.

The cell id and attachment name come from the notebook being saved; they once named the file
written beside the post (``"id": "/tmp/pwn/evil"`` wrote ``/tmp/pwn/evil-x.pth``). The files
are named by ``nbpost.attachments``, the same helper ``convert`` and ``sync`` use.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer

pytestmark = pytest.mark.jupyter

PNG = b"\x89PNG\r\n\x1a\n-saved"


@pytest.mark.parametrize(
    ("cell_id", "metadata_id", "name"),
    [
        ("/tmp/pwn/evil", None, "x.pth"),
        ("../../../up", None, "x.pth"),
        (None, "/tmp/pwn/colab", "../../../x.pth"),
        ("cell-2", None, "/abs/y.pth"),
    ],
)
def test_a_notebook_save_keeps_attachments_inside_the_post_folder(
    jupyter_server: JupyterServer,
    post_copy: Callable[[str], Path],
    run_cli: Callable[..., Any],
    cell_id: str | None,
    metadata_id: str | None,
    name: str,
) -> None:
    post = post_copy("2024-03-02-first-frost-dates")
    assert run_cli("pair", post / "index.qmd").status == 0
    notebook = post / "index.ipynb"
    reply = jupyter_server.get_contents(
        jupyter_server.api_path(notebook), type="notebook", content=1
    )
    content = reply.body["content"]
    cell = {
        "cell_type": "markdown",
        "metadata": {"id": metadata_id} if metadata_id else {},
        "source": f"![pasted](attachment:{name})",
        "attachments": {name: {"image/png": base64.b64encode(PNG).decode("ascii")}},
    }
    if cell_id is not None:
        cell["id"] = cell_id
    content["cells"].append(cell)
    before = {p for p in jupyter_server.root.parent.rglob("*") if p.is_file()}
    reply = jupyter_server.save(
        jupyter_server.api_path(notebook), {"type": "notebook", "content": content}
    )
    assert reply.status == 200, reply.body
    new = {p for p in jupyter_server.root.parent.rglob("*") if p.is_file()} - before
    attachments = [p for p in new if p.read_bytes() == PNG]
    assert len(attachments) == 1
    assert attachments[0].parent == post / "index_files" / "attachments"
    assert not attachments[0].name.startswith((".", "-"))
    assert all(post in p.parents or p.name == "sync.json" for p in new), sorted(map(str, new))
    assert not Path("/tmp/pwn").exists() and not Path("/abs").exists()
    text = (post / "index.qmd").read_text(encoding="utf-8")
    assert f"](index_files/attachments/{attachments[0].name})" in text
