"""Renames and moves through Jupyter keep both sides of a pair valid (issue 10, item 5)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer, start, stop
from labclient import View

from nbpost.api import qmd_to_notebook
from nbpost.sync.record import RECORD_FILE

pytestmark = pytest.mark.jupyter

FROST = "2024-03-02-first-frost-dates"


def rename(server: JupyterServer, old: Path, new: Path) -> Any:
    """PATCH /api/contents/OLD {"path": NEW}: what JupyterLab's rename and drag-and-drop send."""
    return server.request(
        "PATCH", f"api/contents/{server.api_path(old)}", {"path": server.api_path(new)}
    )


def recorded(root: Path) -> dict[str, Any]:
    record = root / RECORD_FILE
    return json.loads(record.read_text(encoding="utf-8"))["pairs"] if record.exists() else {}


def test_a_notebook_renamed_to_qmd_becomes_a_post_beside_its_notebook(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    post = post_copy(FROST)
    text = (post / "index.qmd").read_text(encoding="utf-8")
    (post / "index.qmd").unlink()
    # A new notebook (JupyterLab's "New Notebook"), with cells and an output...
    reply = jupyter_server.request(
        "POST", f"api/contents/{jupyter_server.api_path(post)}", {"type": "notebook"}
    )
    assert reply.status == 201, reply.body
    untitled = post / reply.body["name"]
    nb = json.loads(json.dumps(qmd_to_notebook(text)))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "day 128\n"}]
    code["execution_count"] = 1
    saved = jupyter_server.save(
        jupyter_server.api_path(untitled), {"type": "notebook", "content": nb}
    )
    assert saved.status == 200, saved.body
    # ...renamed to index.qmd in the first-save "Rename file" dialog.
    reply = rename(jupyter_server, untitled, post / "index.qmd")
    assert reply.status == 200, reply.body
    assert (post / "index.qmd").read_text(encoding="utf-8") == text  # text, not notebook JSON
    notebook = json.loads((post / "index.ipynb").read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in notebook["cells"]), "the outputs were kept"
    assert not untitled.exists()
    assert run_cli("sync", "--check", post / "index.qmd").status == 0
    # The tab now shows index.qmd with the Notebook viewer; its next save goes through.
    view = View(jupyter_server, jupyter_server.api_path(post / "index.qmd")).open()
    view.add_line("After the rename.")
    again = view.save()
    assert again is not None and again.status == 200, again
    assert "After the rename." in (post / "index.qmd").read_text(encoding="utf-8")


def test_a_post_renamed_to_ipynb_is_refused(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    post = post_copy(FROST)
    before = (post / "index.qmd").read_bytes()
    reply = rename(jupyter_server, post / "index.qmd", post / "index.ipynb")
    assert reply.status == 400, reply.body
    assert reply.body["message"].startswith(f"{jupyter_server.api_path(post / 'index.qmd')}: ")
    assert (post / "index.qmd").read_bytes() == before and not (post / "index.ipynb").exists()


@pytest.mark.parametrize("side", ["index.qmd", "index.ipynb"])
def test_renaming_one_side_of_a_pair_takes_its_partner_and_record_along(
    side: str,
    jupyter_server: JupyterServer,
    post_copy: Callable[[str], Path],
    run_cli: Callable[..., Any],
) -> None:
    post = post_copy(FROST)
    assert run_cli("pair", post / "index.qmd").status == 0
    files = {name: (post / name).read_bytes() for name in ("index.qmd", "index.ipynb")}
    elsewhere = post.parent / f"{post.name}-moved"
    elsewhere.mkdir()
    reply = rename(jupyter_server, post / side, elsewhere / side.replace("index", "renamed"))
    assert reply.status == 200, reply.body
    assert (elsewhere / "renamed.qmd").read_bytes() == files["index.qmd"]
    assert (elsewhere / "renamed.ipynb").read_bytes() == files["index.ipynb"]
    assert not (post / "index.qmd").exists() and not (post / "index.ipynb").exists()
    key = jupyter_server.api_path(elsewhere / "renamed.qmd")
    assert key in recorded(jupyter_server.root)
    assert jupyter_server.api_path(post / "index.qmd") not in recorded(jupyter_server.root)
    assert run_cli("sync", "--check", elsewhere / "renamed.qmd").status == 0


def test_moving_a_post_to_a_place_its_notebook_cannot_follow_is_refused(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    post = post_copy(FROST)
    assert run_cli("pair", post / "index.qmd").status == 0
    other = post_copy("2024-10-17-harvest-log")
    (other / "index.qmd").rename(other / "kept.qmd")
    (other / "index.ipynb").write_text('{"cells": []}', encoding="utf-8")  # another notebook
    before = {p.name: p.read_bytes() for p in (*post.iterdir(), *other.iterdir()) if p.is_file()}
    reply = rename(jupyter_server, post / "index.qmd", other / "index.qmd")
    assert reply.status == 409, reply.body
    assert "would overwrite" in reply.body["message"]
    after = {p.name: p.read_bytes() for p in (*post.iterdir(), *other.iterdir()) if p.is_file()}
    assert after == before


def test_a_folder_move_takes_mirrored_notebooks_and_records_along(
    examples_blog: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    root = tmp_path / "blog"
    shutil.copytree(examples_blog / "posts" / FROST, root / "posts" / "a")
    (root / "_quarto.yml").write_text(
        "project:\n  type: website\nnbpost:\n  notebook-dir: notebooks\n", encoding="utf-8"
    )
    assert run_cli("pair", root / "posts" / "a" / "index.qmd").status == 0
    mirrored = root / "notebooks" / "posts" / "a" / "index.ipynb"
    assert mirrored.is_file()
    server = start(root, tmp_path / "home")
    try:
        reply = rename(server, root / "posts" / "a", root / "posts" / "b")
        assert reply.status == 200, reply.body
    finally:
        stop(server)
    assert (root / "posts" / "b" / "index.qmd").is_file()
    assert (root / "notebooks" / "posts" / "b" / "index.ipynb").is_file()
    assert not mirrored.exists()
    assert list(recorded(root)) == ["posts/b/index.qmd"]
    assert run_cli("sync", "--check", root / "posts" / "b" / "index.qmd").status == 0
