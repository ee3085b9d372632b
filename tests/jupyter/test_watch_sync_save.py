"""``nbpost watch --sync`` beside a real Jupyter server: a notebook saved from Jupyter reaches
its ``.qmd``, outputs kept, without a conflict and without a loop of rebuilds."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyterserver import JupyterServer, start, stop

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "cli"))
import test_watch_sync as watchkit  # the watcher and the blog of the CLI tests

paired_blog = watchkit.paired_blog  # the same fixture: a blog with one synced pair


@pytest.fixture
def server(paired_blog: Path, tmp_path: Path) -> Iterator[JupyterServer]:
    pytest.importorskip("jupyter_server", reason="pip install nbpost[jupyter]")
    running = start(paired_blog, tmp_path / "home")
    try:
        yield running
    finally:
        stop(running)


def test_a_notebook_saved_in_jupyter_updates_its_qmd_under_watch_sync(
    paired_blog: Path, server: JupyterServer
) -> None:
    qmd = paired_blog / "posts/harvest/index.qmd"
    ipynb = paired_blog / "posts/harvest/index.ipynb"
    watcher = watchkit.Watcher(paired_blog)
    try:
        assert watcher.wait(lambda: watcher.seen("watching"), 60), watcher.lines
        mark = len(watcher.lines)
        for attempt in range(6):
            model = server.get_contents("posts/harvest/index.ipynb").body
            model["content"]["cells"][1]["source"] = "Saved in Jupyter." + " " * attempt
            saved = server.save("posts/harvest/index.ipynb", {"type": "notebook", **model})
            assert saved.status == 200, saved.body
            if watcher.wait(lambda: watcher.seen("rebuilt:", mark), 6):
                break
        assert watcher.wait(lambda: "Saved in Jupyter." in qmd.read_text(encoding="utf-8"))
        watcher.settle()
        after = watcher.lines[mark:]
        assert not any("conflict:" in line or "error:" in line for line in after), after
        assert sum("rebuilt:" in line for line in after) <= 2, after  # no loop
        code = [c for c in json.loads(ipynb.read_text())["cells"] if c["cell_type"] == "code"]
        assert "".join(code[0]["outputs"][0]["text"]) == "a kept output\n"
        assert watcher.stop() == 0
    finally:
        if watcher.process.poll() is None:
            watcher.stop()
