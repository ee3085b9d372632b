"""The ``qmd`` nbconvert exporter: from the command line and from a running server."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer

from nbpost.api import notebook_to_qmd

pytestmark = pytest.mark.jupyter


def nbconvert(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``jupyter nbconvert`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_nbconvert_to_qmd_gives_back_the_original_post(
    examples_blog: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    original = examples_blog / "posts/2024-03-02-first-frost-dates/index.qmd"
    post = tmp_path / "post.qmd"
    shutil.copyfile(original, post)
    assert run_cli("pair", post).status == 0
    post.rename(tmp_path / "original.qmd")

    completed = nbconvert("--to", "qmd", "post.ipynb", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "post.qmd").read_bytes() == original.read_bytes()


def test_nbconvert_to_qmd_uses_nbposts_converter(examples_blog: Path, tmp_path: Path) -> None:
    source = examples_blog / "posts/2024-05-20-cafe-queue/index.ipynb"
    notebook = tmp_path / "cafe.ipynb"
    shutil.copyfile(source, notebook)
    completed = nbconvert("--to", "qmd", notebook.name, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    text = (tmp_path / "cafe.qmd").read_text(encoding="utf-8")
    assert text == notebook_to_qmd(source.read_text(encoding="utf-8"))
    assert text.startswith('---\ntitle: "Queueing for coffee"')
    assert "```{python}\n#| label: queue-counts\n" in text


def test_attachments_become_files(tmp_path: Path) -> None:
    png = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5E"
        "rkJggg=="
    )
    cell = {
        "cell_type": "markdown",
        "id": "pic",
        "metadata": {},
        "source": "![dot](attachment:dot.png)",
        "attachments": {"dot.png": {"image/png": png}},
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "a.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    completed = nbconvert("--to", "qmd", "a.ipynb", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    text = (tmp_path / "a.qmd").read_text(encoding="utf-8")
    assert "![dot](a_files/attachments/pic-dot.png)" in text
    assert (tmp_path / "a_files/attachments/pic-dot.png").read_bytes().startswith(b"\x89PNG")


def test_the_server_lists_and_runs_the_exporter(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    listing = jupyter_server.request("GET", "api/nbconvert")
    assert listing.status == 200, listing.body
    # JupyterLab's "Save and Export Notebook As" menu shows every format listed here.
    assert listing.body["qmd"] == {"output_mimetype": "text/markdown"}

    notebook = post_copy("2024-05-20-cafe-queue") / "index.ipynb"
    reply = jupyter_server.request("GET", f"nbconvert/qmd/{jupyter_server.api_path(notebook)}")
    assert reply.status == 200, reply.body
    assert reply.body == notebook_to_qmd(notebook.read_text(encoding="utf-8"))


def test_exporting_a_post_opened_as_a_notebook_downloads_its_content(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    # "Save and Export Notebook As -> Qmd" on a .qmd opened with Open With -> Notebook.
    qmd = post_copy("2024-03-02-first-frost-dates") / "index.qmd"
    api = jupyter_server.api_path(qmd)
    reply = jupyter_server.request("GET", f"nbconvert/qmd/{api}", download="true")
    assert reply.status == 200, reply.body
    assert reply.body == qmd.read_text(encoding="utf-8")
    html = jupyter_server.request("GET", f"nbconvert/html/{api}")
    assert html.status == 200 and "Every March" in html.body
    assert "was never awaited" not in jupyter_server.log_text()
    assert sorted(p.name for p in qmd.parent.iterdir()) == ["index.qmd"], "export wrote a file"
    # An export is not a notebook open for editing: it carries no stamp of nbpost's.
    notebook = jupyter_server.request("GET", f"nbconvert/notebook/{api}")
    assert notebook.status == 200 and "nbpost_view" not in json.dumps(notebook.body)
