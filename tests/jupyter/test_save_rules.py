"""The rule behind every Jupyter save (issue 10), over the REST API of a real server.

nbpost replaces a file only when it knows the file holds nothing the user would lose: it is
what this view last loaded or saved, or it equals the replacement. Otherwise the save answers
409 with one line naming the file, and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyterserver import JupyterServer, start, stop
from labclient import View

pytestmark = pytest.mark.jupyter

FROST = "2024-03-02-first-frost-dates"
R_POST = "2024-04-14-soil-moisture-in-r"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def pair(post: Path, run_cli: Callable[..., Any]) -> tuple[Path, Path]:
    """``nbpost pair`` the post's index.qmd; return (qmd, ipynb)."""
    result = run_cli("pair", post / "index.qmd")
    assert result.status == 0, result.err
    return post / "index.qmd", post / "index.ipynb"


def qmd_view(server: JupyterServer, qmd: Path) -> View:
    """A .qmd opened with Open With -> Notebook."""
    return View(server, server.api_path(qmd)).open()


def test_a_qmd_view_save_never_overwrites_edits_made_on_disk(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    for paired in (False, True):
        post = post_copy(FROST)
        qmd = post / "index.qmd"
        if paired:
            pair(post, run_cli)
        view = qmd_view(jupyter_server, qmd)
        with qmd.open("a", encoding="utf-8") as handle:  # another editor saves the post
            handle.write("\nWritten in another editor.\n")
        before = snapshot(post)
        view.add_line("Typed in the notebook view.")
        reply = view.save(overwrite=True)  # JupyterLab's "File Changed" -> Overwrite
        assert reply is not None and reply.status == 409, reply
        message = reply.body["message"]
        assert message.startswith(f"{jupyter_server.api_path(qmd)}: "), message
        assert "changed on disk" in message and "\n" not in message
        assert str(jupyter_server.root) not in message
        assert snapshot(post) == before, "a refused save wrote files"


def test_a_qmd_view_save_never_replaces_edits_held_in_the_notebook(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = pair(post_copy(FROST), run_cli)
    view = qmd_view(jupyter_server, qmd)
    data = json.loads(notebook.read_text(encoding="utf-8"))  # another tool adds a cell
    data["cells"].append(
        {"cell_type": "markdown", "id": "added", "metadata": {}, "source": "Added elsewhere."}
    )
    notebook.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    before = snapshot(qmd.parent)
    view.add_line("Typed in the notebook view.")
    reply = view.save()  # the .qmd did not change: JupyterLab sees nothing to warn about
    assert reply is not None and reply.status == 409, reply
    assert reply.body["message"].startswith(f"{jupyter_server.api_path(notebook)}: ")
    assert snapshot(qmd.parent) == before


def test_a_save_from_the_view_that_loaded_the_file_goes_through_again_and_again(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = pair(post_copy(FROST), run_cli)
    for target in (qmd, notebook):  # the post opened as a notebook, then its notebook
        view = View(jupyter_server, jupyter_server.api_path(target)).open()
        for number in range(3):
            view.add_line(f"Line {number} from {view.path}.")
            reply = view.save()
            assert reply is not None and reply.status == 200, reply
        assert run_cli("sync", "--check", qmd).status == 0
        text = qmd.read_text(encoding="utf-8")
        assert all(f"Line {n} from {view.path}." in text for n in range(3))


def _kernel_as_jupyterlab_sets_it(content: dict[str, Any]) -> None:
    """What JupyterLab writes into the metadata when the user picks Python 3."""
    content["metadata"]["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    content["metadata"]["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    }


@pytest.mark.parametrize("side", ["qmd", "ipynb"])
def test_choosing_a_kernel_never_rewrites_chunk_languages(
    side: str,
    jupyter_server: JupyterServer,
    post_copy: Callable[[str], Path],
    run_cli: Callable[..., Any],
) -> None:
    qmd, notebook = pair(post_copy(R_POST), run_cli)
    original = qmd.read_text(encoding="utf-8")
    assert "```{r}" in original and "jupyter:" not in original
    view = View(jupyter_server, jupyter_server.api_path(qmd if side == "qmd" else notebook)).open()
    _kernel_as_jupyterlab_sets_it(view.content)
    cell = next(c for c in view.content["cells"] if c["source"].startswith("The probe"))
    cell["source"] = cell["source"].replace("every hour", "every single hour")
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    assert qmd.read_text(encoding="utf-8") == original.replace("every hour", "every single hour")
    # The kernel is notebook metadata: the notebook keeps the one picked in JupyterLab.
    assert json.loads(notebook.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"] == (
        "python3"
    )
    assert run_cli("sync", "--check", qmd).status == 0
    assert run_cli("sync", qmd).status == 0
    assert qmd.read_text(encoding="utf-8") == original.replace("every hour", "every single hour")


JUPYTER_BLOCK = """---
title: "Kernel block"
jupyter:
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

Some text.

```{python}
1 + 1
```
"""


# The same kernel with its keys in an author's order (a notebook keeps them sorted).
JUPYTER_BLOCK_BY_HAND = JUPYTER_BLOCK.replace(
    "    display_name: Python 3\n    language: python\n    name: python3\n",
    "    name: python3\n    language: python\n    display_name: Python 3\n",
)


@pytest.mark.parametrize("block", [JUPYTER_BLOCK, JUPYTER_BLOCK_BY_HAND])
@pytest.mark.parametrize("side", ["qmd", "ipynb"])
def test_a_kernel_metadata_update_keeps_the_jupyter_block(
    side: str,
    block: str,
    jupyter_server: JupyterServer,
    post_copy: Callable[[str], Path],
    run_cli: Callable[..., Any],
) -> None:
    post = post_copy(FROST)
    qmd = post / "index.qmd"
    qmd.write_text(block, encoding="utf-8")
    _, notebook = pair(post, run_cli)
    view = View(jupyter_server, jupyter_server.api_path(qmd if side == "qmd" else notebook)).open()
    _kernel_as_jupyterlab_sets_it(view.content)
    view.cell("Some text.")  # present
    for cell in view.content["cells"]:
        if cell["source"] == "Some text.":
            cell["source"] = "Some more text."
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    assert qmd.read_text(encoding="utf-8") == block.replace("Some text.", "Some more text.")


def test_a_save_that_changes_no_cell_source_writes_nothing(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    for paired in (False, True):
        post = post_copy(FROST)
        qmd = post / "index.qmd"
        if paired:
            pair(post, run_cli)
        before = snapshot(post)
        record = jupyter_server.root / ".nbpost" / "sync.json"
        recorded = record.read_bytes() if record.exists() else None
        view = qmd_view(jupyter_server, qmd)
        # A kernel attached (JupyterLab rewrote kernelspec and language_info), outputs were
        # folded and scrolled, cells marked trusted: no cell source changed.
        _kernel_as_jupyterlab_sets_it(view.content)
        for cell in view.content["cells"]:
            if cell["cell_type"] == "code":
                cell["metadata"].update(collapsed=True, scrolled=True, trusted=True)
                cell["execution_count"] = None
        reply = view.save()
        assert reply is not None and reply.status == 200, reply
        assert snapshot(post) == before, "a save that changed no cell source wrote a file"
        assert (record.read_bytes() if record.exists() else None) == recorded


ATTACHED = {
    "cells": [
        {"cell_type": "raw", "id": "fm", "metadata": {}, "source": "---\ntitle: Pictures\n---"},
        {
            "cell_type": "markdown",
            "id": "pic",
            "metadata": {},
            "source": "A dot: ![dot](attachment:dot.png)",
            "attachments": {
                "dot.png": {
                    "image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8"
                    "BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
                }
            },
        },
        {"cell_type": "markdown", "id": "words", "metadata": {}, "source": "Some words."},
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "code",
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["2\n"]}],
            "source": "print(1 + 1)",
        },
    ],
    "metadata": {
        "kernelspec": {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_a_qmd_view_save_changes_only_what_the_user_changed(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    post = post_copy(FROST)
    (post / "index.qmd").unlink()
    notebook = post / "index.ipynb"
    notebook.write_text(nbformat.writes(nbformat.from_dict(ATTACHED)) + "\n", encoding="utf-8")
    assert run_cli("pair", notebook).status == 0  # writes index.qmd, the picture as a file
    qmd = post / "index.qmd"
    assert "index_files/attachments/" in qmd.read_text(encoding="utf-8")
    before = json.loads(notebook.read_text(encoding="utf-8"))

    view = qmd_view(jupyter_server, qmd)
    for cell in view.content["cells"]:
        if cell["source"] == "Some words.":
            cell["source"] = "Some other words."
    reply = view.save()
    assert reply is not None and reply.status == 200, reply
    after = json.loads(notebook.read_text(encoding="utf-8"))
    expected = json.loads(json.dumps(before))
    expected["cells"][2]["source"] = ["Some other words."]
    assert after == expected


BAD_QUOTE = '---\ntitle: "Unclosed\ndate: 2024-01-01\n---\n\nText.\n'


def test_an_invalid_post_opens_with_one_line_naming_it_relative_to_the_root(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path]
) -> None:
    qmd = post_copy(FROST) / "index.qmd"
    qmd.write_text(BAD_QUOTE, encoding="utf-8")
    reply = jupyter_server.get_contents(jupyter_server.api_path(qmd), type="notebook", content=1)
    assert reply.status == 400, reply.body
    message = reply.body["message"]
    assert message.startswith(f"{jupyter_server.api_path(qmd)}:2: invalid YAML"), message
    assert str(jupyter_server.root) not in message and "\n" not in message


HOOK = '''
def append_to_the_post(model, os_path, contents_manager, **kwargs):
    """An editor saves the post while Jupyter is saving its notebook."""
    from pathlib import Path
    if os_path.endswith(".ipynb"):
        post = Path(os_path).with_suffix(".qmd")
        with post.open("a", encoding="utf-8") as handle:
            handle.write("\\nSaved by an editor in between.\\n")

c.ContentsManager.post_save_hook = append_to_the_post
'''


def test_a_jupyter_save_records_the_bytes_it_wrote(
    examples_blog: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    import shutil

    root = tmp_path / "blog"
    shutil.copytree(examples_blog / "posts" / FROST, root / "post")
    (root / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    qmd, notebook = pair(root / "post", run_cli)
    home = tmp_path / "home"
    (home / "config").mkdir(parents=True)
    (home / "config" / "jupyter_server_config.py").write_text(HOOK, encoding="utf-8")
    server = start(root, home)
    try:
        view = View(server, "post/index.ipynb").open()
        view.add_line("Typed in Jupyter.")
        reply = view.save()
        assert reply is not None and reply.status == 200, reply
        assert "Saved by an editor in between." in qmd.read_text(encoding="utf-8")
        # The editor's save is not recorded as synced: sync sees it and carries it over.
        check = run_cli("sync", "--check", qmd)
        assert check.status == 1, check
        # The next notebook save from the same view must not overwrite it.
        view.add_line("Typed again.")
        again = view.save(overwrite=True)
        assert again is not None and again.status == 409, again
        assert "Saved by an editor in between." in qmd.read_text(encoding="utf-8")
    finally:
        stop(server)
    assert run_cli("sync", qmd).status == 0
    assert "Saved by an editor in between." in notebook.read_text(encoding="utf-8")


def test_the_view_stamp_never_reaches_a_file(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    qmd, notebook = pair(post_copy(FROST), run_cli)
    view = View(jupyter_server, jupyter_server.api_path(notebook)).open()
    assert "nbpost_view" in view.content["metadata"]  # what the browser holds
    for name in ("index.ipynb", "copy.ipynb", "copy.json"):  # Save, and Save As anywhere
        target = qmd.parent / name
        reply = jupyter_server.save(
            jupyter_server.api_path(target), {"type": "notebook", "content": view.content}
        )
        assert reply.status in (200, 201), reply.body
        assert "nbpost_view" not in target.read_text(encoding="utf-8")
    assert "nbpost_view" not in qmd.read_text(encoding="utf-8")
