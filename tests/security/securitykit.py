"""Helpers for the security tests: small hostile blogs, a deadline, and "nothing outside" checks."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

QUARTO_YML = """\
project:
  type: website
website:
  title: "Test blog"
  description: "A blog for tests"
  site-url: https://example.com/
"""

LISTING_PAGE = """\
---
title: "Posts"
listing:
  contents: posts
---
"""


def post(title: str, date: str = "2024-01-02", categories: list[str] | None = None) -> str:
    """A plain, valid post."""
    labels = json.dumps(categories if categories is not None else ["python"])
    return f'---\ntitle: "{title}"\ndate: {date}\ncategories: {labels}\n---\n\nSome text.\n'


def notebook(front_matter: str) -> str:
    """A notebook whose first raw cell holds ``front_matter`` as a ``---`` block."""
    block = ["---", *front_matter.strip("\n").split("\n"), "---"]
    cells = [
        {
            "cell_type": "raw",
            "metadata": {},
            "source": [line + "\n" for line in block[:-1]] + ["---"],
        },
        {"cell_type": "markdown", "metadata": {}, "source": ["Text."]},
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1) + "\n"  # as nbformat writes it


def good_blog() -> dict[str, str | bytes]:
    """Two good posts, a listing page and a ``_quarto.yml`` with a site-url."""
    return {
        "_quarto.yml": QUARTO_YML,
        "index.qmd": LISTING_PAGE,
        "posts/good-one/index.qmd": post("Good one", "2024-01-02", ["python"]),
        "posts/good-two/index.qmd": post("Good two", "2024-02-03", ["r"]),
    }


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) below ``root``; return ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every regular file below ``folder`` with its bytes (symlinks not followed)."""
    found = {}
    for current, _folders, names in os.walk(folder):
        for name in names:
            path = Path(current) / name
            if path.is_file() and not path.is_symlink():
                found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


class Deadline(Exception):
    """Raised in the test when the code under test ran past its deadline (a hang)."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail with ``Deadline`` instead of hanging when the block runs longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise Deadline(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_nbpost(
    *argv: str | os.PathLike[str],
    cwd: Path | None = None,
    timeout: float = 60,
    memory_bytes: int | None = None,
    file_size_bytes: int | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m nbpost ARGV`` in a subprocess, optionally under an address-space limit and a
    file-size limit (``RLIMIT_FSIZE``: a write past it fails with EFBIG, SIGXFSZ ignored)."""

    def limits() -> None:
        import resource

        if memory_bytes is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        if file_size_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_bytes, file_size_bytes))

    return subprocess.run(
        [sys.executable, "-m", "nbpost", *(os.fspath(arg) for arg in argv)],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
        preexec_fn=limits,
    )


def error_lines(stderr: str) -> list[str]:
    """The ``nbpost: error:`` lines of a run's stderr."""
    return [line for line in stderr.splitlines() if line.startswith("nbpost: error:")]


def assert_no_traceback(stderr: str) -> None:
    """A run printed no Python traceback."""
    assert "Traceback (most recent call last)" not in stderr, stderr
