"""nbpost's one atomic writer (``nbpost.textio``): temporaries a killed process leaves are
cleaned by the next run, new files follow the umask, threads can write at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nbpost.blog.incremental.writeguard import clean_folder, clean_temporaries
from nbpost.blog.incremental.writer import OutputWriter
from nbpost.textio import replace_file, temporary_name, write_atomic

_KILLED_WRITE = """
import os, signal, sys
from nbpost import textio
def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)  # killed between writing the temporary and renaming
textio.os.replace = die
textio.write_atomic(sys.argv[1], b"new")
"""


def _killed_write(target: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _KILLED_WRITE, str(target)], check=False)
    assert done.returncode == -signal.SIGKILL


def test_a_killed_write_leaves_a_temporary_the_next_run_removes(tmp_path: Path) -> None:
    out = tmp_path / "_site-nbpost"
    out.mkdir()
    (out / "index.html").write_bytes(b"old")
    _killed_write(out / "index.html")
    left = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".index.html.")
    assert (out / "index.html").read_bytes() == b"old"  # the reader never saw half a file
    removed = clean_folder(out, frozenset(["index.html"]), lock_held=False)
    assert [Path(p).name for p in removed] == left
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]


def test_a_killed_state_write_is_cleaned_by_the_next_build(tmp_path: Path) -> None:
    state = tmp_path / ".nbpost"
    state.mkdir()
    _killed_write(state / "cache.json")
    assert [p.name for p in state.iterdir() if p.name.endswith(".tmp")]
    out = tmp_path / "out"
    out.mkdir()
    clean_temporaries(tmp_path, out, "categories.json", lock_held=False)
    assert list(state.iterdir()) == []


def test_the_temporary_is_named_name_pid_tmp(tmp_path: Path) -> None:
    target = str(tmp_path / "feed.xml")
    assert temporary_name(target) == str(tmp_path / f".feed.xml.{os.getpid()}.tmp")


def test_a_new_file_follows_the_umask_and_the_umask_is_never_touched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", lambda *a: pytest.fail("the umask was toggled"))
        write_atomic(tmp_path / "new.txt", "x")
        OutputWriter(str(tmp_path)).replace(str(tmp_path / "out.html"), b"x", None)
    finally:
        monkeypatch.undo()
        os.umask(previous)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "out.html").stat().st_mode & 0o777 == 0o640


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "post.qmd"
    target.write_text("old")
    target.chmod(0o600)
    write_atomic(target, "new")
    assert target.read_text() == "new" and target.stat().st_mode & 0o777 == 0o600


def test_a_symlink_in_the_way_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    link = tmp_path / "out.html"
    link.symlink_to(outside)
    replace_file(str(link), b"new", os.lstat(link))
    assert outside.read_text() == "keep" and not link.is_symlink()
    assert link.read_text() == "new"


def test_threads_writing_at_once(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    payloads = [f"thread {n}\n".encode() * 2000 for n in range(8)]

    def work(n: int) -> None:
        try:
            for round_ in range(40):
                write_atomic(tmp_path / "shared.txt", payloads[n])  # one file, every thread
                write_atomic(tmp_path / f"own-{n}.txt", payloads[n] + bytes([round_]))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (tmp_path / "shared.txt").read_bytes() in payloads  # whole, never interleaved
    assert all((tmp_path / f"own-{n}.txt").read_bytes()[-1] == 39 for n in range(8))
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
