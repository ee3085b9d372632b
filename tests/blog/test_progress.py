"""The progress bar: on a terminal, for large builds only, on stderr."""

from __future__ import annotations

import io

import pytest

from nbpost.blog.read import progress as progress_module
from nbpost.blog.read.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_on_a_terminal_for_long_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(progress_module, "PROGRESS_DELAY", 0.0)
    items = list(range(500))
    assert list(progress(items, "nbpost build: reading", "post", True)) == items
    assert "nbpost build: reading" in terminal.getvalue()
    assert "/500" in terminal.getvalue()


@pytest.mark.parametrize(
    ("count", "enabled", "tty"), [(500, False, True), (50, True, True), (500, True, False)]
)
def test_no_bar_when_quiet_short_or_not_a_terminal(monkeypatch, count, enabled, tty) -> None:
    stream = Terminal() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    monkeypatch.setattr(progress_module, "PROGRESS_DELAY", 0.0)
    items = list(range(count))
    assert progress(items, "x", "post", enabled) is items
    assert stream.getvalue() == ""


def test_a_share_of_split_work_counts_for_all_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(progress_module, "PROGRESS_DELAY", 0.0)
    share = list(range(150))  # one of two shares of 300 posts: long enough for a bar
    assert list(progress(share, "nbpost build: reading", "post", True, scale=2)) == share
    assert "/300" in terminal.getvalue()  # the bar counts all 300
    assert progress(share, "x", "post", True) is share  # 150 alone: too short
