"""The end of an ``nbpost`` process (``cli._end``): the exit status, every byte written, the
``atexit`` functions run, and a thread still running waited for, as an ordinary exit does."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def _python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_status_the_buffered_output_and_the_exit_functions_survive(tmp_path: Path) -> None:
    done = _python(
        """
        import atexit, sys
        from nbpost.cli import _end
        atexit.register(lambda: open("ran", "w").write("yes"))
        sys.stdout.write("no newline, still buffered " * 1000)
        sys.stderr.write("a message")
        _end(3)
        """,
        tmp_path,
    )
    assert done.returncode == 3
    assert done.stdout == "no newline, still buffered " * 1000
    assert done.stderr == "a message"
    assert (tmp_path / "ran").read_text() == "yes"


def test_a_thread_still_running_is_waited_for(tmp_path: Path) -> None:
    done = _python(
        """
        import threading, time
        from nbpost.cli import _end
        def late():
            time.sleep(0.3)
            open("late", "w").write("written")
        threading.Thread(target=late).start()
        _end(5)
        """,
        tmp_path,
    )
    assert done.returncode == 5
    assert (tmp_path / "late").read_text() == "written"


def test_the_program_exits_with_the_status_of_its_command(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / "posts/a").mkdir(parents=True)
    (blog / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    (blog / "posts/a/index.qmd").write_text("---\ntitle: A\ncategories: [x]\n---\n", "utf-8")
    command = [sys.executable, "-m", "nbpost", "build"]
    done = subprocess.run([*command, str(blog)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("nbpost build: 1 post, 1 category, ")
    missing = subprocess.run([*command, str(tmp_path / "none")], capture_output=True, text=True)
    assert missing.returncode == 2 and "not a folder" in missing.stderr
    usage = subprocess.run([*command, "--frob"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 4 and usage.stdout == ""


def test_a_profiler_gets_to_write_its_results(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / "posts/a").mkdir(parents=True)
    (blog / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    (blog / "posts/a/index.qmd").write_text("---\ntitle: A\n---\n", "utf-8")
    profile = tmp_path / "build.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "nbpost", "build"]
    done = subprocess.run([*command, str(blog)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0  # written after nbpost returned


def _tiny_blog(root: Path) -> Path:
    (root / "posts" / "a").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: website\n", encoding="utf-8")
    post = "---\ntitle: A\ndate: 2024-01-02\ncategories: [x]\n---\n\nText.\n"
    (root / "posts" / "a" / "index.qmd").write_text(post, encoding="utf-8")
    return root


def test_the_program_keeps_what_a_build_made_until_it_ends(tmp_path: Path) -> None:
    """``nbpost`` (``cli.run``) ends with ``os._exit``: the build's blog and pieces are kept
    for it rather than freed one by one (``build_blog``'s ``keep``)."""
    blog = _tiny_blog(tmp_path / "blog")
    done = _python(
        f"""
        import atexit, sys
        from nbpost import cli
        from nbpost.cli import build
        atexit.register(lambda: print("kept", len(build.KEPT)))
        sys.argv = ["nbpost", "build", "-q", {str(blog)!r}]
        cli.run()
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 0


def test_main_in_a_process_that_goes_on_keeps_nothing(tmp_path: Path, run_cli) -> None:
    """Called as a library (tests, other tools), ``main`` frees what each build made."""
    from nbpost.cli import build

    blog = _tiny_blog(tmp_path / "blog")
    assert run_cli("build", "-q", blog).status == 0
    assert build.KEPT is None
