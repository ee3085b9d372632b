"""Saves from Jupyter, an editor and an ``nbpost sync`` loop at the same time lose no line.

The reported race (issue 10, item 14): a Jupyter save recorded a re-read of the files, so an
editor's save landing between the write and the record was taken as synced, and the next
notebook save overwrote it (47 of 179 outside edits lost in 20 s). Here three actors run at
once on one pair, for a fixed number of rounds rather than a fixed time (a loaded machine then
only runs slower, it does not test less):

* JupyterLab, played by ``labclient.View`` on the paired ``index.ipynb``: it adds a line,
  checks the file's hash as JupyterLab does, saves, and reloads whenever the file changed on
  disk or the server refused the save (what a user does after either dialog);
* an editor that appends a line to ``index.qmd`` now and then;
* ``nbpost sync`` run again and again in its own process.

At the end every line the editor wrote, and every line of a save the server accepted, must
still be in one of the two files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer
from labclient import View

pytestmark = pytest.mark.jupyter

EDITOR_LINES = 60
SAVES = 60
SAVES_AFTER = 5  # saves that go through once the editor stopped and sync caught up
AFTER_SECONDS = 180  # how long they may take on a loaded machine


def _editor(qmd: Path, written: list[str], stop: threading.Event) -> None:
    for number in range(EDITOR_LINES):
        if stop.is_set():
            return
        line = f"Editor line {number}."
        with qmd.open("a", encoding="utf-8") as handle:  # an append never clobbers others
            handle.write(f"\n{line}\n")
        written.append(line)
        time.sleep(0.03 + (number % 5) * 0.02)


def _sync_loop(post: Path, stop: threading.Event, runs: list[int]) -> None:
    while not stop.is_set():
        completed = subprocess.run(
            [sys.executable, "-m", "nbpost", "sync", "-q", str(post)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        runs.append(completed.returncode)


def _jupyter(
    server: JupyterServer,
    path: str,
    editing: threading.Thread,
    accepted: list[str],
    refused: list[str],
) -> int:
    """Save ``SAVES`` times while the editor works, then until ``SAVES_AFTER`` saves went
    through after it stopped (sync has caught up by then); return how many did."""
    view = View(server, path).open()
    number = after = 0
    deadline = None
    while number < SAVES or editing.is_alive() or after < SAVES_AFTER:
        if not editing.is_alive():
            deadline = deadline or time.monotonic() + AFTER_SECONDS
            if time.monotonic() > deadline:
                break
        number += 1
        line = f"Jupyter line {number}."
        view.add_line(line)
        reply = view.save()
        if reply is not None and reply.status == 200:
            accepted.append(line)
            after += 0 if editing.is_alive() else 1
        else:
            if reply is not None:
                assert reply.status == 409, reply  # refused with a message, never an error
                refused.append(line)
            time.sleep(0.05)  # a person reads the dialog
            view.open()  # the "File Changed" dialog's Revert, or after the error dialog
    return after


def test_jupyter_saves_an_editor_and_a_sync_loop_lose_no_line(
    jupyter_server: JupyterServer, post_copy: Callable[[str], Path], run_cli: Callable[..., Any]
) -> None:
    post = post_copy("2024-03-02-first-frost-dates")
    qmd, notebook = post / "index.qmd", post / "index.ipynb"
    assert run_cli("pair", qmd).status == 0
    written: list[str] = []
    accepted: list[str] = []
    refused: list[str] = []
    runs: list[int] = []
    stop = threading.Event()
    actors = [
        threading.Thread(target=_editor, args=(qmd, written, stop)),
        threading.Thread(target=_sync_loop, args=(post, stop, runs)),
    ]
    for actor in actors:
        actor.start()
    try:
        path = jupyter_server.api_path(notebook)
        after = _jupyter(jupyter_server, path, actors[0], accepted, refused)
    finally:
        stop.set()
        for actor in actors:
            actor.join(timeout=300)
    # Let sync settle what is left (a conflict here is not a loss: both files are kept).
    run_cli("sync", post)
    files = qmd.read_text(encoding="utf-8") + notebook.read_text(encoding="utf-8")
    lost_editor = [line for line in written if line not in files]
    lost_jupyter = [line for line in accepted if line not in files]
    print(
        f"editor {len(written)} lines, jupyter {len(accepted)} saved / {len(refused)} refused, "
        f"sync runs {len(runs)}"
    )
    assert len(written) == EDITOR_LINES and len(runs) >= 3
    assert after >= SAVES_AFTER, "saves from Jupyter did not go through once the editor stopped"
    assert not lost_editor, f"{len(lost_editor)} of {len(written)} editor lines lost"
    assert not lost_jupyter, f"{len(lost_jupyter)} of {len(accepted)} saved lines lost"


def test_an_outside_save_of_the_notebook_during_a_paired_save_is_kept(
    examples_blog: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    """Jupyter's own write of a paired notebook happens only while the notebook holds what the
    save's plan read: an editor saving the .ipynb after that (here, while the post was being
    written) keeps its save, and the Jupyter save is refused (409) instead of overwriting it."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from tornado.web import HTTPError

    from nbpost.jupyter import logic
    from nbpost.jupyter.contents import nbpost_class

    root = tmp_path / "blog"
    shutil.copytree(examples_blog / "posts" / "2024-03-02-first-frost-dates", root / "post")
    (root / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    assert run_cli("pair", root / "post" / "index.qmd").status == 0
    notebook = root / "post" / "index.ipynb"
    manager = nbpost_class(FileContentsManager)(root_dir=str(root))
    model = manager.get("post/index.ipynb", content=True, type="notebook")
    model["content"]["cells"][1]["source"] += "\nA line typed in JupyterLab."
    outside = json.loads(notebook.read_text(encoding="utf-8"))
    outside["cells"][1]["source"] = ["Saved by another editor."]
    real_write_first = logic.NbpostLogic._write_first

    def write_first_then_an_outside_save(self: Any, save: Any) -> None:
        real_write_first(self, save)
        notebook.write_text(json.dumps(outside, indent=1) + "\n", encoding="utf-8")

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(logic.NbpostLogic, "_write_first", write_first_then_an_outside_save)
    try:
        with pytest.raises(HTTPError) as refused:
            manager.save({"type": "notebook", "content": model["content"]}, "post/index.ipynb")
    finally:
        monkeypatch.undo()
    assert refused.value.status_code == 409
    assert "Saved by another editor." in notebook.read_text(encoding="utf-8")
    text = (root / "post" / "index.qmd").read_text(encoding="utf-8")
    assert "A line typed in JupyterLab." in text  # the post written first keeps the tab's line
