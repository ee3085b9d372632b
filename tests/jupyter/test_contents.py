"""nbpost's server extension, through the REST API of a real Jupyter server."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer

from nbpost.api import qmd_to_notebook

pytestmark = pytest.mark.jupyter

FROST = "2024-03-02-first-frost-dates"
HARVEST = "2024-10-17-harvest-log"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def paired(post: Path, run_cli: Callable[..., Any]) -> tuple[Path, Path]:
    """Pair a post's index.qmd with a new index.ipynb, as a user would with ``nbpost pair``."""
    qmd = post / "index.qmd"
    result = run_cli("pair", qmd)
    assert result.status == 0, result.err
    assert (post / "index.ipynb").is_file()
    return qmd, post / "index.ipynb"


def notebook_model(server: JupyterServer, path: Path) -> dict[str, Any]:
    """GET a file as a notebook model, asserting success."""
    reply = server.get_contents(server.api_path(path), type="notebook", content=1)
    assert reply.status == 200, reply.body
    assert reply.body["type"] == "notebook"
    return reply.body


def cell_starting(content: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The cell whose source starts with ``prefix``."""
    return next(c for c in content["cells"] if c["source"].startswith(prefix))


def test_extension_is_loaded_by_the_installed_config(jupyter_server: JupyterServer) -> None:
    shipped = Path(__file__).resolve().parents[2] / "jupyter-config/jupyter_server_config.d"
    installed = Path(sys.prefix) / "etc/jupyter/jupyter_server_config.d/nbpost.json"
    assert installed.is_file(), "reinstall nbpost: pip install -e '.[test]'"
    assert json.loads(installed.read_text()) == json.loads((shipped / "nbpost.json").read_text())
    assert json.loads(installed.read_text())["ServerApp"]["jpserver_extensions"] == {
        "nbpost.jupyter": True
    }
    # Nothing on the command line names nbpost: the config file alone enabled it.
    assert "nbpost" not in " ".join(map(str, jupyter_server.process.args))
    log = jupyter_server.log_text()
    assert "nbpost.jupyter | extension was successfully loaded" in log, log
    assert "nbpost: pairing .qmd/.md posts with notebooks" in log


def test_saving_a_paired_notebook_rewrites_the_qmd(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    original = qmd.read_text(encoding="utf-8")
    model = notebook_model(jupyter_server, notebook)
    cell = cell_starting(model["content"], "Every March")
    cell["source"] = cell["source"].replace("Every March", "Every April")
    reply = jupyter_server.save(
        jupyter_server.api_path(notebook), {"type": "notebook", "content": model["content"]}
    )
    assert reply.status == 200, reply.body
    expected = original.replace("Every March", "Every April", 1)
    assert expected != original
    assert qmd.read_bytes() == expected.encode("utf-8")
    assert "Every April" in notebook.read_text(encoding="utf-8")
    # The save recorded the pair as synced, so nbpost sync sees nothing to do.
    assert run_cli("sync", "--check", qmd).status == 0


def test_an_unchanged_save_does_not_touch_the_qmd(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    os.utime(qmd, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = qmd.read_bytes()
    model = notebook_model(jupyter_server, notebook)
    reply = jupyter_server.save(
        jupyter_server.api_path(notebook), {"type": "notebook", "content": model["content"]}
    )
    assert reply.status == 200, reply.body
    assert qmd.read_bytes() == before
    assert qmd.stat().st_mtime_ns == 1_000_000_000_000_000_000


def test_opening_a_qmd_as_a_notebook_carries_outputs_of_unchanged_cells(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(HARVEST), run_cli)
    # Give every code cell of the notebook an output, as if it had been run...
    data = json.loads(notebook.read_text(encoding="utf-8"))
    codes = [c for c in data["cells"] if c["cell_type"] == "code"]
    assert len(codes) >= 2
    for number, cell in enumerate(codes, 1):
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [f"run {number}\n"]}]
        cell["execution_count"] = number
    notebook.write_text(json.dumps(data), encoding="utf-8")
    # ...then edit the second code cell in the text file.
    text = qmd.read_text(encoding="utf-8")
    second = (
        codes[1]["source"] if isinstance(codes[1]["source"], str) else "".join(codes[1]["source"])
    )
    edited = text.replace(second, second + "\n# edited", 1)
    assert edited != text
    qmd.write_text(edited, encoding="utf-8")
    before = snapshot(qmd.parent)

    model = notebook_model(jupyter_server, qmd)
    assert model["format"] == "json"
    content = model["content"]
    expected = qmd_to_notebook(edited, path=str(qmd))
    assert [(c["cell_type"], c["source"]) for c in content["cells"]] == [
        (c.cell_type, c.source) for c in expected.cells
    ]
    got_codes = [c for c in content["cells"] if c["cell_type"] == "code"]
    assert got_codes[0]["outputs"][0]["text"] == "run 1\n"
    assert got_codes[0]["execution_count"] == 1
    assert got_codes[1]["source"].endswith("# edited")
    assert got_codes[1]["outputs"] == [] and got_codes[1]["execution_count"] is None
    assert snapshot(qmd.parent) == before, "opening must not write anything"


def test_a_plain_get_of_a_qmd_still_returns_the_text(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    qmd = post_copy(FROST) / "index.qmd"
    for params in ({}, {"type": "file"}, {"type": "file", "format": "text"}):
        reply = jupyter_server.get_contents(jupyter_server.api_path(qmd), content=1, **params)
        assert reply.status == 200, reply.body
        assert reply.body["type"] == "file"
        assert reply.body["content"] == qmd.read_text(encoding="utf-8")


def test_saving_a_notebook_to_a_qmd_writes_both_files_with_outputs(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    post = post_copy(FROST)
    qmd, notebook = post / "index.qmd", post / "index.ipynb"
    original = qmd.read_text(encoding="utf-8")
    assert not notebook.exists()
    content = notebook_model(jupyter_server, qmd)["content"]
    cell = cell_starting(content, "Every March")
    cell["source"] = cell["source"].replace("by the shed", "by the water butt")
    code = cell_starting(content, "#| label: rule-of-thumb")
    output = {"output_type": "stream", "name": "stdout", "text": "Plant out after day 128\n"}
    code["outputs"] = [output]
    code["execution_count"] = 3

    reply = jupyter_server.save(
        jupyter_server.api_path(qmd), {"type": "notebook", "content": content}
    )
    assert reply.status == 200, reply.body
    assert reply.body["type"] == "notebook" and reply.body["path"].endswith("index.qmd")
    assert qmd.read_bytes() == original.replace("by the shed", "by the water butt", 1).encode()
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    saved_code = next(c for c in saved["cells"] if c.get("id") == code["id"])
    assert "".join(saved_code["outputs"][0]["text"]) == "Plant out after day 128\n"
    assert saved_code["execution_count"] == 3
    assert run_cli("sync", "--check", qmd).status == 0

    # Reopening the post shows the output again (carried from the notebook just written).
    again = notebook_model(jupyter_server, qmd)["content"]
    assert cell_starting(again, "#| label: rule-of-thumb")["outputs"][0]["text"] == output["text"]


def test_a_save_that_would_empty_the_post_is_refused(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    before = snapshot(qmd.parent)
    content = notebook_model(jupyter_server, qmd)["content"]
    content["cells"] = []
    for target in (qmd, notebook):
        reply = jupyter_server.save(
            jupyter_server.api_path(target), {"type": "notebook", "content": content}
        )
        assert reply.status == 409, reply.body
        assert "non-empty post" in reply.body["message"]
        assert snapshot(qmd.parent) == before, f"a refused save to {target.name} wrote files"
    assert "nbpost" in jupyter_server.log_text()


def test_a_save_the_text_cannot_hold_is_refused(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    before = snapshot(qmd.parent)
    content = notebook_model(jupyter_server, qmd)["content"]
    assert content["cells"][0]["source"].startswith("---\ntitle:")
    content["cells"][0]["source"] = "---\ntitle: [unclosed\n---"
    for target in (qmd, notebook):
        reply = jupyter_server.save(
            jupyter_server.api_path(target), {"type": "notebook", "content": content}
        )
        assert reply.status == 422, reply.body
        assert "invalid YAML" in reply.body["message"]
        assert snapshot(qmd.parent) == before


def test_a_notebook_save_never_overwrites_edits_made_to_the_qmd(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    model = notebook_model(jupyter_server, notebook)
    with qmd.open("a", encoding="utf-8") as handle:
        handle.write("\nA paragraph written in a text editor.\n")
    before = snapshot(qmd.parent)
    cell_starting(model["content"], "Every March")["source"] += " More."
    reply = jupyter_server.save(
        jupyter_server.api_path(notebook), {"type": "notebook", "content": model["content"]}
    )
    assert reply.status == 409, reply.body
    assert "index.qmd: changed on disk since this notebook was loaded" in reply.body["message"]
    assert snapshot(qmd.parent) == before


def test_an_unpaired_notebook_saves_as_usual(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    post = post_copy("2024-05-20-cafe-queue")
    notebook = post / "index.ipynb"
    model = notebook_model(jupyter_server, notebook)
    model["content"]["cells"][1]["source"] += " Edited."
    reply = jupyter_server.save(
        jupyter_server.api_path(notebook), {"type": "notebook", "content": model["content"]}
    )
    assert reply.status == 200, reply.body
    assert "Edited." in notebook.read_text(encoding="utf-8")
    assert sorted(p.name for p in post.iterdir() if not p.name.startswith(".")) == ["index.ipynb"]


def test_nbpost_works_beside_jupytexts_extension(
    examples_blog: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    pytest.importorskip("jupytext", reason="jupytext not installed: pip install jupytext")
    from jupyterserver import start, stop

    root = tmp_path / "blog"
    post = root / "posts" / FROST
    post.mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    qmd = post / "index.qmd"
    qmd.write_bytes((examples_blog / "posts" / FROST / "index.qmd").read_bytes())
    original = qmd.read_text(encoding="utf-8")
    server = start(root, tmp_path / "home", extensions={"jupyterlab_jupytext": True})
    try:
        assert "Jupytext Server Extension" in server.log_text()
        content = notebook_model(server, qmd)["content"]
        assert [c["source"] for c in content["cells"]] == [
            c.source for c in qmd_to_notebook(original, path=str(qmd)).cells
        ]
        cell_starting(content, "Every March")["source"] += " Both extensions."
        reply = server.save(server.api_path(qmd), {"type": "notebook", "content": content})
        assert reply.status == 200, reply.body
    finally:
        stop(server)
    assert "Both extensions." in qmd.read_text(encoding="utf-8")
    assert (post / "index.ipynb").is_file()
    assert run_cli("sync", "--check", qmd).status == 0


def test_a_synchronous_contents_manager_gets_the_same_behaviour(
    examples_blog: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    from jupyterserver import start, stop

    root = tmp_path / "blog"
    shutil.copytree(examples_blog / "posts" / FROST, root / "post")
    (root / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    qmd, notebook = paired(root / "post", run_cli)
    original = qmd.read_text(encoding="utf-8")
    manager = "jupyter_server.services.contents.filemanager.FileContentsManager"
    server = start(
        root, tmp_path / "home", extra=(f"--ServerApp.contents_manager_class={manager}",)
    )
    try:
        assert "(NbpostFileContentsManager on " in server.log_text()
        content = notebook_model(server, qmd)["content"]
        cell = cell_starting(content, "Every March")
        cell["source"] = "Synchronous. " + cell["source"]
        reply = server.save(server.api_path(notebook), {"type": "notebook", "content": content})
        assert reply.status == 200, reply.body
        content["cells"] = []
        refused = server.save(server.api_path(qmd), {"type": "notebook", "content": content})
        assert refused.status == 409, refused.body
        # A rename takes the notebook and the record along here too.
        moved = server.request("PATCH", "api/contents/post/index.qmd", {"path": "post/moved.qmd"})
        assert moved.status == 200, moved.body
        assert (root / "post" / "moved.ipynb").is_file() and not notebook.exists()
        qmd = root / "post" / "moved.qmd"
    finally:
        stop(server)
    assert qmd.read_text(encoding="utf-8") == original.replace(
        "Every March", "Synchronous. Every March", 1
    )
    assert run_cli("sync", "--check", qmd).status == 0


def _run_every_code_cell(notebook: Path) -> None:
    """Give each code cell an output, as running the notebook would (cells stay the same)."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    for number, cell in enumerate((c for c in data["cells"] if c["cell_type"] == "code"), 1):
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [f"run {number}\n"]}]
        cell["execution_count"] = number
    notebook.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _save_text(server: JupyterServer, path: Path, text: str) -> Any:
    return server.save(server.api_path(path), {"type": "file", "format": "text", "content": text})


def test_saving_a_post_as_text_brings_its_notebook_up_to_date(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    _run_every_code_cell(notebook)  # outputs only: the notebook holds no edit the text lacks
    edited = qmd.read_text(encoding="utf-8").replace("Every March", "Every April", 1)
    reply = _save_text(jupyter_server, qmd, edited)
    assert reply.status == 200, reply.body
    assert reply.body["type"] == "file"
    assert qmd.read_text(encoding="utf-8") == edited
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in saved["cells"]]
    assert any(s.startswith("Every April") for s in sources)
    assert not any("Every March" in s for s in sources)
    codes = [c for c in saved["cells"] if c["cell_type"] == "code"]
    assert codes and all(c["outputs"] for c in codes), "unchanged cells keep their outputs"
    assert run_cli("sync", "--check", qmd).status == 0  # recorded as in step
    # Opening the notebook shows the new text, with the outputs.
    content = notebook_model(jupyter_server, notebook)["content"]
    assert cell_starting(content, "Every April")


def test_a_text_save_leaves_a_notebook_edited_elsewhere_alone(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    data = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in data["cells"] if "".join(c["source"]).startswith("Every March"))
    cell["source"] = "Edited in another tool. " + "".join(cell["source"])
    notebook.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    before = notebook.read_bytes()
    edited = qmd.read_text(encoding="utf-8") + "\nA closing line.\n"
    reply = _save_text(jupyter_server, qmd, edited)
    assert reply.status == 200, reply.body  # the text is saved: nothing is lost either way
    assert qmd.read_text(encoding="utf-8") == edited
    assert notebook.read_bytes() == before
    assert "index.ipynb left as it is: it was changed since" in jupyter_server.log_text()
    conflict = run_cli("sync", "--check", qmd)
    assert conflict.status != 0 and "index.ipynb" in conflict.err


def test_a_text_save_mid_edit_leaves_the_notebook_until_the_post_reads_again(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = paired(post_copy(FROST), run_cli)
    before = notebook.read_bytes()
    original = qmd.read_text(encoding="utf-8")
    unfinished = original + "\n```{python}\nx = (\n"
    assert _save_text(jupyter_server, qmd, unfinished).status == 200
    assert qmd.read_text(encoding="utf-8") == unfinished
    assert notebook.read_bytes() == before
    assert "left as it is until the post reads again" in jupyter_server.log_text()
    finished = original + "\n```{python}\nx = (1, 2)\n```\n"
    assert _save_text(jupyter_server, qmd, finished).status == 200
    assert '"x = (1, 2)"' in notebook.read_text(encoding="utf-8")
    assert run_cli("sync", "--check", qmd).status == 0


def test_a_post_whose_notebook_kernelspec_has_no_language_opens_and_saves_as_it_was(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    # A notebook saved without a kernelspec language (quarto-cli#12374): its .qmd holds the
    # kernelspec completed for Quarto; opened in JupyterLab it is the notebook's own again.
    post = post_copy(FROST)
    qmd = post / "index.qmd"
    notebook = {
        "cells": [
            {"cell_type": "raw", "id": "fm", "metadata": {}, "source": "---\ntitle: K\n---"},
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "code",
                "metadata": {},
                "outputs": [],
                "source": "print('hi')",
            },
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (post / "index.ipynb").unlink(missing_ok=True)
    qmd.unlink()
    source = post / "k.ipynb"
    source.write_text(json.dumps(notebook), encoding="utf-8")
    assert run_cli("convert", source, "-o", qmd).status == 0
    source.unlink()
    text = qmd.read_text(encoding="utf-8")
    assert "    language: python\n" in text and "# nbpost: the notebook's kernelspec" in text

    model = notebook_model(jupyter_server, qmd)
    content = model["content"]
    assert content["metadata"]["kernelspec"] == notebook["metadata"]["kernelspec"]
    assert content["metadata"]["language_info"]["name"] == "python"
    reply = jupyter_server.save(
        jupyter_server.api_path(qmd), {"type": "notebook", "content": content}
    )
    assert reply.status == 200, reply.body
    assert qmd.read_text(encoding="utf-8") == text  # an unchanged save: the same text
    cell_starting(content, "print")["source"] = "print('hello')"
    reply = jupyter_server.save(
        jupyter_server.api_path(qmd), {"type": "notebook", "content": content}
    )
    assert reply.status == 200, reply.body
    assert qmd.read_text(encoding="utf-8") == text.replace("print('hi')", "print('hello')")
