"""``nbpost watch --sync``: a real watch process keeps pairs in step while it rebuilds.

Edits on either side reach the other (outputs kept), an edit on both sides is refused and
reported with nothing lost, the sync's own writes do not start an endless loop of rebuilds,
and every message starts with the local time and names paths relative to the blog.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

QUARTO_YML = "project:\n  type: website\nwebsite:\n  title: Blog\n  site-url: https://e.org/\n"
FRONT = '---\ntitle: "Harvest"\ndate: 2024-05-01\ncategories: [garden]\n---\n'
STAMPED = re.compile(
    r"^\d\d:\d\d:\d\d (built|rebuilt|synced|conflict|warning|error|watching|stopped)"
)


def _notebook(body: str) -> str:
    cells = [
        {"cell_type": "raw", "metadata": {}, "source": FRONT.rstrip("\n")},
        {"cell_type": "markdown", "metadata": {}, "source": body},
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": "a kept output\n"}],
            "source": "print('a kept output')",
        },
    ]
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return json.dumps({"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5})


class Watcher:
    """A running ``nbpost watch --sync`` and the lines it printed on stderr."""

    def __init__(self, root: Path):
        self.root = root
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "nbpost", "watch", str(root), "--sync", "--debounce", "300"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        stream = self.process.stderr
        assert stream is not None
        self.reader = threading.Thread(target=lambda: self.lines.extend(stream), daemon=True)
        self.reader.start()

    def wait(self, predicate: Callable[[], bool], timeout: float = 30) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if predicate():
                return True
            time.sleep(0.05)
        return False

    def seen(self, text: str, after: int = 0) -> bool:
        return any(text in line for line in list(self.lines)[after:])

    def settle(self, quiet_for: float = 2.0) -> None:
        """Wait until nothing new is printed for ``quiet_for`` seconds."""
        count = len(self.lines)
        while True:
            time.sleep(quiet_for)
            if len(self.lines) == count:
                return
            count = len(self.lines)

    def edit_until(self, path: Path, make: Callable[[int], str], expect: str) -> int:
        """Write ``path`` until a line with ``expect`` follows (the watcher starts watching
        after its first build: an edit made before may go unseen); return the mark."""
        mark = len(self.lines)
        for attempt in range(6):
            path.write_text(make(attempt), encoding="utf-8")
            if self.wait(lambda: self.seen(expect, mark), 6):
                return mark
        raise AssertionError(f"no {expect!r} after editing {path}: {self.lines[mark:]}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        return self.process.returncode


@pytest.fixture
def paired_blog(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    (root / "posts/harvest").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO_YML, encoding="utf-8")
    notebook = root / "posts/harvest/index.ipynb"
    notebook.write_text(_notebook("The first words."), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "nbpost", "pair", str(notebook)], check=True, capture_output=True
    )
    assert (root / "posts/harvest/index.qmd").is_file()
    return root


@pytest.fixture
def watcher(paired_blog: Path) -> Iterator[Watcher]:
    running = Watcher(paired_blog)
    try:
        assert running.wait(lambda: running.seen("watching"), 60), running.lines
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_watch_sync_carries_edits_both_ways_and_keeps_outputs(watcher: Watcher) -> None:
    root = watcher.root
    qmd, ipynb = root / "posts/harvest/index.qmd", root / "posts/harvest/index.ipynb"
    original = qmd.read_text(encoding="utf-8")
    watcher.edit_until(
        qmd,
        lambda n: original.replace("The first words.", "Words from the editor." + " " * n),
        "synced: posts/harvest/index.ipynb updated from posts/harvest/index.qmd",
    )
    assert watcher.wait(lambda: "Words from the editor." in ipynb.read_text(encoding="utf-8"))
    code = [cell for cell in _cells(ipynb) if cell["cell_type"] == "code"]
    assert "".join(code[0]["outputs"][0]["text"]) == "a kept output\n"  # outputs kept
    watcher.settle()

    def jupyter_save(n: int) -> str:
        data = json.loads(ipynb.read_text(encoding="utf-8"))
        data["cells"][1]["source"] = "Words from Jupyter." + " " * n
        return json.dumps(data, indent=1)

    mark = watcher.edit_until(
        ipynb,
        jupyter_save,
        "synced: posts/harvest/index.qmd updated from posts/harvest/index.ipynb",
    )
    assert "Words from Jupyter." in qmd.read_text(encoding="utf-8")
    # The sync's own write raises events; they must not loop: a few builds, then silence.
    watcher.settle()
    after = watcher.lines[mark:]
    assert sum("synced:" in line for line in after) == 1, after
    assert sum("rebuilt:" in line for line in after) == 1, after  # not again for its echo
    assert watcher.stop() == 0
    # Every message: local time first, paths relative to the blog.
    for line in watcher.lines:
        assert STAMPED.match(line), line
        assert str(root) not in line or "watching" in line, line
    assert any(
        re.match(r"^\d\d:\d\d:\d\d rebuilt: posts/harvest/index\.(qmd|ipynb) changed; ", line)
        for line in watcher.lines
    ), watcher.lines


def test_watch_sync_refuses_an_edit_on_both_sides_and_loses_nothing(watcher: Watcher) -> None:
    root = watcher.root
    qmd, ipynb = root / "posts/harvest/index.qmd", root / "posts/harvest/index.ipynb"
    mark = len(watcher.lines)
    for attempt in range(6):
        # An outside tool (a git checkout, a second editor) rewrites both sides at once.
        text = qmd.read_text(encoding="utf-8").replace("The first words.", "Text side.")
        data = json.loads(ipynb.read_text(encoding="utf-8"))
        data["cells"][1]["source"] = "Notebook side." + " " * attempt
        qmd_bytes = (text + "\n" * attempt).encode()
        ipynb_bytes = json.dumps(data).encode()
        qmd.write_bytes(qmd_bytes)
        ipynb.write_bytes(ipynb_bytes)
        if watcher.wait(lambda: watcher.seen("conflict:", mark), 6):
            break
    conflict = [line for line in watcher.lines[mark:] if "conflict:" in line]
    assert conflict, watcher.lines[mark:]
    assert re.match(
        r"^\d\d:\d\d:\d\d conflict: posts/harvest/index\.qmd and posts/harvest/index\.ipynb "
        r"both changed since they were last synced; neither was written",
        conflict[0],
    ), conflict
    watcher.settle()
    assert qmd.read_bytes() == qmd_bytes  # nothing lost on either side
    assert ipynb.read_bytes() == ipynb_bytes
    assert not watcher.seen("synced:", mark), watcher.lines[mark:]
    assert watcher.stop() == 0
    # `nbpost sync` refuses the pair the same way, and --prefer settles it
    refused = subprocess.run(
        [sys.executable, "-m", "nbpost", "sync", str(qmd)], capture_output=True, text=True
    )
    assert refused.returncode == 1 and "both changed" in refused.stderr


def test_watch_sync_reports_a_broken_notebook_in_one_line_and_keeps_watching(
    watcher: Watcher,
) -> None:
    root = watcher.root
    qmd, ipynb = root / "posts/harvest/index.qmd", root / "posts/harvest/index.ipynb"
    qmd_before = qmd.read_bytes()
    mark = watcher.edit_until(ipynb, lambda n: '{"cells": [' + " " * n, "error:")
    errors = [line for line in watcher.lines[mark:] if " error: " in line]
    assert re.match(r"^\d\d:\d\d:\d\d error: posts/harvest/index\.ipynb\b", errors[0]), errors
    assert qmd.read_bytes() == qmd_before  # the text side is left alone
    # still watching: a repaired notebook syncs again
    watcher.edit_until(
        ipynb, lambda n: _notebook("Repaired." + " " * n), "synced: posts/harvest/index.qmd"
    )
    assert "Repaired." in qmd.read_text(encoding="utf-8")
    watcher.settle()  # Ctrl-C in the middle of a build exits 130 ("interrupted")
    assert watcher.stop() == 0
