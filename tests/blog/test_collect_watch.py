"""``nbpost watch``: a real subprocess rebuilds the registry after a post is edited."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from nbpost.cli.watch import ChangeFilter


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _registry_text(root: Path) -> str:
    path = root / "categories.json"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def test_watch_rebuilds_after_an_edit_and_stops_on_ctrl_c(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a.qmd": kit.post("First title", "2024-01-01", ["x"]),
            "posts/b.qmd": kit.post("Bad date", "the 32nd of Smarch", ["x"]),
        }
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "nbpost", "watch", str(root), "--debounce", "100"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    # stderr is read as it comes, so that Ctrl+C is sent once a build has reported, not in
    # the middle of one (which exits with status 130, "interrupted", as it should).
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr), daemon=True)
    reader.start()

    def summaries() -> int:
        return sum("; 2 posts, " in line for line in list(lines))

    try:
        assert _wait_for(lambda: summaries() >= 1, 30), "no first build"
        assert "First title" in _registry_text(root)
        # The watcher starts after the first build; on a loaded machine an edit made before it
        # watches is not seen, so edit again (new bytes each time) until a rebuild shows it.
        for attempt in range(6):
            text = kit.post("Second title", "2024-01-01", ["x", "y"]) + "\n" * attempt
            (root / "posts/a.qmd").write_text(text)
            if _wait_for(lambda: "Second title" in _registry_text(root), 5):
                break
        assert "Second title" in _registry_text(root), "no rebuild"
        assert _wait_for(lambda: summaries() >= 2, 30), "the rebuild did not report"
        settled = summaries()  # an edit seen twice may start one more build: let it finish
        while True:
            time.sleep(0.5)
            if summaries() == settled:
                break
            settled = summaries()
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        reader.join(timeout=10)
    err = "".join(lines)
    assert process.returncode == 0, err
    assert "stopped watching" in err
    # Every build reports its warnings and one summary line.
    assert err.count("cannot read date 'the 32nd of Smarch'") >= 2, err
    assert err.count("; 2 posts, ") >= 2, err
    assert '"y"' in _registry_text(root) or "/categories/y/" in _registry_text(root)


def test_change_filter_ignores_outputs_and_hidden_folders(tmp_path: Path) -> None:
    keep = ChangeFilter(tmp_path, {"categories", "archive", "feeds", "_site"})
    change = None
    assert keep(change, str(tmp_path / "posts/a.qmd"))
    assert keep(change, str(tmp_path / "posts/_metadata.yml"))
    assert keep(change, str(tmp_path / "_quarto.yml"))
    assert keep(change, str(tmp_path / "posts/nb.ipynb"))
    assert not keep(change, str(tmp_path / "categories/x/index.qmd"))
    assert not keep(change, str(tmp_path / "categories.json"))
    assert not keep(change, str(tmp_path / "POSTS.md"))
    assert not keep(change, str(tmp_path / ".nbpost/cache.json"))
    assert not keep(change, str(tmp_path / "_site/posts/a.md"))
    assert not keep(change, str(tmp_path / "posts/.ipynb_checkpoints/a-checkpoint.ipynb"))
    assert not keep(change, str(tmp_path / "posts/a_files/figure.png"))
    assert not keep(change, str(tmp_path / "posts/image.png"))
    assert not keep(change, "/elsewhere/a.qmd")
