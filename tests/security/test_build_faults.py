"""A build that is killed, races another, runs out of disk or meets a bad value loses nothing.

Issue 10, item 9 (kill -9, two builds at once, a full disk, ``rm -rf .nbpost``: the next build
exits 0 and rewrites only what changed) and issue 11, item 4 (each trigger gives one line
naming the file, the other posts still build, nothing is half-written, the manifest stays
true, and ``nbpost watch`` keeps watching).

How a full disk is simulated, twice over: a real subprocess under ``RLIMIT_FSIZE`` (the kernel
refuses every write past the limit with EFBIG, no privileges or loop devices needed), and an
in-process wrapper around ``os.write`` that fails with ENOSPC once a byte budget is spent, so
the exact errno and the failures of the cache, manifest and snapshot writes are covered too.
A read-only folder is simulated the same way (EACCES and EROFS from ``os.open``/``os.mkdir``):
the tests run as root, whom permission bits do not stop.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from securitykit import (
    QUARTO_YML,
    assert_no_traceback,
    error_lines,
    good_blog,
    post,
    run_nbpost,
    tree,
    write_files,
)

from nbpost.blog.build import MANIFEST, build_blog

GENERATED = ("categories", "archive", "feeds", "POSTS.md", "categories.json", ".nbpost")


def many_posts(posts: int = 300, categories: int = 60) -> dict[str, str | bytes]:
    files = good_blog()
    for number in range(posts):
        labels = [f"topic {number % categories}", f"theme {number % 7}"]
        files[f"posts/p{number:04d}/index.qmd"] = post(f"Post {number}", "2024-01-02", labels)
    return files


def clear_outputs(root: Path) -> None:
    for name in GENERATED:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def outputs(root: Path) -> dict[str, bytes]:
    """Every generated file below ``root`` (not the state in .nbpost/), with its bytes."""
    found = tree(root)
    return {
        key: data
        for key, data in found.items()
        if key.split("/")[0] in GENERATED and not key.startswith(".nbpost/")
    }


def temporaries(root: Path) -> list[str]:
    return [key for key in tree(root) if key.rsplit("/", 1)[-1].endswith(".tmp")]


def reference(tmp_path: Path, files: dict[str, str | bytes]) -> dict[str, bytes]:
    """The outputs of one clean build of ``files``."""
    root = write_files(tmp_path / "reference", files)
    assert build_blog(root, quiet=True).errors == []
    return outputs(root)


def manifest_is_true(root: Path) -> None:
    """Every file the manifest lists exists and holds exactly the bytes it records."""
    path = root / MANIFEST
    if not path.exists():
        return
    for key, digest in json.loads(path.read_text(encoding="utf-8"))["files"].items():
        assert hashlib.sha256((root / key).read_bytes()).hexdigest() == digest, key


def nbpost_process(*argv: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nbpost", *map(str, argv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# --- kill -9, two builds at once, rm -rf .nbpost -----------------------------------------


def build_writing(root: Path) -> subprocess.Popen[str]:
    """A cold ``nbpost build`` of ``root`` in another process, once it has begun writing (its
    first output folder exists) or ended."""
    clear_outputs(root)
    process = nbpost_process("build", root, "--jobs", "1", "--quiet")
    deadline = time.monotonic() + 60
    while not (root / "categories").exists() and process.poll() is None:
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.0005)
    return process


def write_window(root: Path) -> float:
    """Seconds from the first output folder appearing to the end of one whole build of ``root``.

    The kills below are timed inside this window, measured on this machine, so a faster build
    (or a slower machine) still has most of its builds killed mid-way instead of after the end.
    """
    process = build_writing(root)
    started = time.monotonic()
    process.communicate(timeout=60)
    assert process.returncode == 0
    return time.monotonic() - started


def test_kill_9_during_the_write_phase_then_the_next_build_is_clean(tmp_path: Path) -> None:
    files = many_posts()
    expected = reference(tmp_path, files)
    root = write_files(tmp_path / "blog", files)
    window = write_window(root)
    rng = random.Random(11)
    killed = trials = 0
    while killed < 6 and trials < 30:
        trials += 1
        process = build_writing(root)
        time.sleep(rng.uniform(0, 0.8 * window))  # somewhere in the write phase
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.communicate(timeout=60)
        result = build_blog(root, quiet=True)
        assert result.errors == [], result.errors
        assert temporaries(root) == []
        assert outputs(root) == expected
        manifest_is_true(root)
        assert build_blog(root, quiet=True, check=True).written == []
    assert killed >= 6, f"{killed} of {trials} builds were killed mid-way: the test proves little"


def test_temporaries_of_a_killed_build_are_cleaned_only_when_stale(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", good_blog())
    build_blog(root, quiet=True)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = 2**22 + 12345  # above Linux's default pid_max: no such process
        planted = {
            f"categories/python/.index.qmd.{dead}.tmp": True,  # a dead build's
            f".nbpost/.cache.json.{dead}.tmp": True,
            f".nbpost/.build-store.bin.{dead}.tmp": True,  # the largest state file
            f".nbpost/.walk.json.{dead}.tmp": True,
            f".nbpost/.sync.json.{dead}.tmp": True,  # a dead sync's
            f".nbpost/.sync.json.{sleeper.pid}.tmp": False,  # a live sync's: kept
            f"posts/good-one/.index.qmd.{dead}.tmp": False,  # not in an output folder
            f"categories/python/.notes.txt.{dead}.tmp": False,  # not a name nbpost writes
        }
        for name in planted:
            (root / name).write_text("partial", encoding="utf-8")
        (root / "posts/good-one/index.qmd").touch()  # something to build
        assert build_blog(root, quiet=True).errors == []
        for name, removed in planted.items():
            assert (root / name).exists() != removed, name
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_replay_removes_what_a_build_killed_while_saving_its_state_left(
    tmp_path: Path, short_racy_window: int
) -> None:
    """Killed while it wrote its build store (after its outputs and snapshot), a build leaves a
    temporary the next builds would never clean: they replay its result and write nothing.
    The kill test above hit that now and then; a replay now removes dead processes'
    temporaries in .nbpost/ (and keeps a live one's)."""
    root = write_files(tmp_path / "blog", good_blog())
    time.sleep(0.1)
    assert build_blog(root, quiet=True).errors == []
    time.sleep(0.1)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = 2**22 + 54321  # above Linux's default pid_max: no such process
        planted = {
            f".nbpost/.build-store.bin.{dead}.tmp": True,
            f".nbpost/.state.json.{dead}.tmp": True,
            f".nbpost/.cache.json.{dead}.tmp": True,
            f".nbpost/.build-store.bin.{sleeper.pid}.tmp": False,  # a live build's: kept
        }
        for name in planted:
            (root / name).write_bytes(b"partial")
        again = build_blog(root, quiet=True)
        assert again.written == [] and again.unchanged  # a replay of the last result
        for name, removed in planted.items():
            assert (root / name).exists() != removed, name
    finally:
        sleeper.kill()
        sleeper.wait()


def test_two_builds_at_once_both_succeed(tmp_path: Path) -> None:
    files = many_posts(200)
    expected = reference(tmp_path, files)
    root = write_files(tmp_path / "blog", files)
    for _trial in range(3):
        clear_outputs(root)
        first = nbpost_process("build", root, "--jobs", "1")
        second = nbpost_process("build", root, "--jobs", "1")
        for process in (first, second):
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err
            assert err == "" and "nbpost build:" in out
        assert outputs(root) == expected
        assert temporaries(root) == []
        manifest_is_true(root)
        assert build_blog(root, quiet=True).written == []


def test_rm_rf_nbpost_then_build_and_check(tmp_path: Path) -> None:
    files = many_posts(50)
    root = write_files(tmp_path / "blog", files)
    assert run_nbpost("build", root).returncode == 0
    before = outputs(root)
    shutil.rmtree(root / ".nbpost")
    check = run_nbpost("build", "--check", root)
    assert check.returncode == 0 and "up to date" in check.stdout, check
    build = run_nbpost("build", root)
    assert build.returncode == 0 and "0 files written" in build.stdout, build
    assert outputs(root) == before


# --- a full disk, a read-only folder --------------------------------------------------------


def test_a_full_disk_in_a_real_process_fails_file_by_file(tmp_path: Path) -> None:
    files = many_posts(40, 8)
    expected = reference(tmp_path, files)
    root = write_files(tmp_path / "blog", files)
    run = run_nbpost("build", root, file_size_bytes=3000)
    assert_no_traceback(run.stderr)
    assert run.returncode == 2
    lines = error_lines(run.stderr)
    assert lines and all("cannot write: File too large" in line for line in lines), run.stderr
    failed = [line.split("nbpost: error: ", 1)[1].split(":", 1)[0] for line in lines]
    assert "categories.json" in failed and "feeds/index.xml" in failed
    # Nothing half-written: every output is either complete or absent, and no temporary.
    for key, data in outputs(root).items():
        assert data == expected[key], key
    for key in failed:
        assert not (root / key).exists() or key.endswith("build-manifest.json"), key
    assert temporaries(root) == []
    manifest_is_true(root)
    # With room again, the next build completes what is missing.
    run = run_nbpost("build", root)
    assert run.returncode == 0, run.stderr
    assert outputs(root) == expected
    manifest_is_true(root)


@pytest.mark.parametrize("budget", [0, 5_000, 60_000])
def test_enospc_mid_build_then_recovery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    files = many_posts(60, 10)
    expected = reference(tmp_path, files)
    root = write_files(tmp_path / "blog", files)
    if budget:  # a blog already built, then an edit when the disk fills up
        build_blog(root, quiet=True)
        files["posts/p0001/index.qmd"] = post("Renamed", "2024-01-02", ["topic 1", "new one"])
        write_files(root, files)
        expected = reference(tmp_path / "again", files)
    left = [budget]
    real_write = os.write

    def write(fd: int, data: bytes) -> int:
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if target.startswith(str(root)):
            if len(data) > left[0]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            left[0] -= len(data)
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", write)
    result = build_blog(root, quiet=True)
    monkeypatch.undo()
    assert result.errors and all("No space left on device" in e for e in result.errors)
    assert temporaries(root) == []
    manifest_is_true(root)
    result = build_blog(root, quiet=True)
    assert result.errors == []
    assert outputs(root) == expected
    manifest_is_true(root)


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_read_only_folder_fails_its_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    files = many_posts(30, 5)
    expected = reference(tmp_path, files)
    root = write_files(tmp_path / "blog", files)
    build_blog(root, quiet=True)
    files["posts/p0000/index.qmd"] = post("Changed", "2024-01-02", ["topic 0", "theme 0"])
    write_files(root, files)
    expected = reference(tmp_path / "again", files)
    locked_folder = str(root / "categories" / "topic-0")
    real_open = os.open

    def open_(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if str(path).startswith(locked_folder) and flags & os.O_CREAT:
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    result = build_blog(root, quiet=True)
    monkeypatch.undo()
    assert result.errors and all(e.startswith("categories/topic-0/") for e in result.errors)
    assert all(os.strerror(code) in e for e in result.errors)
    ok = {k: v for k, v in outputs(root).items() if not k.startswith("categories/topic-0/")}
    assert ok == {k: v for k, v in expected.items() if not k.startswith("categories/topic-0/")}
    manifest_is_true(root)
    assert build_blog(root, quiet=True).errors == []
    assert outputs(root) == expected


# --- bad values: one line each, the rest still builds ---------------------------------------


def test_impossible_timestamp_in_a_post(tmp_path: Path, run_cli) -> None:
    files = good_blog()
    files["posts/bad/index.qmd"] = '---\ntitle: "Bad"\ndate: !!timestamp 2024-13-45\n---\n'
    root = write_files(tmp_path / "blog", files)
    result = run_cli("build", root)
    assert result.status == 2
    assert result.err.splitlines() == [
        f"nbpost: error: {root}/posts/bad/index.qmd:3: invalid YAML in front matter: cannot "
        "read '2024-13-45' as !!timestamp (month must be in 1..12)"
    ]
    assert "2 posts" in result.out


def test_impossible_timestamp_in_metadata_yml_skips_its_folder(tmp_path: Path, run_cli) -> None:
    files = good_blog()
    files["posts/sub/_metadata.yml"] = "date: !!timestamp 2024-13-45\n"
    files["posts/sub/one/index.qmd"] = post("Below", "2024-01-01")
    root = write_files(tmp_path / "blog", files)
    result = run_cli("build", root)
    assert result.status == 2
    assert f"{root}/posts/sub/_metadata.yml:1: invalid YAML: cannot read" in result.err
    assert "2 posts" in result.out


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("date: !!timestamp 2024-13-45", "_quarto.yml:7: invalid YAML: cannot read '2024-13-45'"),
        ('nbpost:\n  output-dir: "\\0"', "_quarto.yml:8: nbpost output-dir '\\x00' holds a"),
        ("nbpost:\n  feed-items: many", "_quarto.yml:8: nbpost feed-items must be a whole"),
        ("nbpost:\n  output-dir: " + "x/" * 300, "_quarto.yml:8: nbpost output-dir is longer"),
    ],
)
def test_bad_config_values_are_one_line(tmp_path: Path, run_cli, option: str, message: str) -> None:
    files = good_blog()
    files["_quarto.yml"] = QUARTO_YML + option + "\n"
    root = write_files(tmp_path / "blog", files)
    result = run_cli("build", root)
    assert result.status == 2
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nbpost: error: ") and message in lines[0]
    assert not (root / "categories.json").exists()


def test_a_huge_feed_items_means_every_post(tmp_path: Path, run_cli) -> None:
    files = good_blog()
    files["_quarto.yml"] = QUARTO_YML + "nbpost:\n  feed-items: 99999999999999999999999\n"
    root = write_files(tmp_path / "blog", files)
    result = run_cli("build", root)
    assert (result.status, result.err) == (0, "")
    feed = json.loads((root / "feeds/feed.json").read_text(encoding="utf-8"))
    assert len(feed["items"]) == 2


def test_a_300_character_custom_slug_is_refused_and_the_rest_builds(
    tmp_path: Path, run_cli
) -> None:
    files = good_blog()
    files["_categories.yml"] = f"- label: python\n  slug: {'s' * 300}\n"
    root = write_files(tmp_path / "blog", files)
    result = run_cli("build", root)
    assert result.status == 2
    assert result.err.splitlines() == [
        f"nbpost: error: {root}/_categories.yml:2: slug '{'s' * 300}' for 'python' is longer "
        "than 200 bytes"
    ]
    assert (root / "categories/python/feed.json").is_file()  # its natural slug
    manifest_is_true(root)
    assert (root / "feeds/feed.json").is_file()


# --- watch keeps watching -------------------------------------------------------------------


TRIGGERS = {
    "posts/bad/index.qmd": '---\ntitle: "Bad"\ndate: !!timestamp 2024-13-45\n---\n',
    "posts/bomb/index.qmd": (
        '---\ntitle: "Bomb"\na: &a ["x","x","x","x","x","x","x","x","x"]\n'
        + "".join(
            f"{n}: &{n} [" + ",".join([f"*{p}"] * 9) + "]\n"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "categories: *i\n---\n"
    ),
    "_quarto.yml": QUARTO_YML + "nbpost:\n  feed-items: 99999999999999999999999\n",
    "posts/sub/_metadata.yml": "date: !!timestamp 2024-13-45\n",
}


def test_watch_keeps_watching_after_each_bad_input(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", good_blog())
    (root / "posts/sub/one").mkdir(parents=True)
    (root / "posts/sub/one/index.qmd").write_text(post("Sub", "2024-03-03"), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "nbpost", "watch", str(root), "--debounce", "50"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True)
    reader.start()

    def seen(text: str, after: int = 0) -> bool:
        return any(text in line for line in list(lines)[after:])

    def wait(text: str, after: int, timeout: float = 30) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if seen(text, after):
                return True
            time.sleep(0.05)
        return False

    def change(files: dict[str, str], expect: str) -> None:
        """Write files until a build reports ``expect``: the watcher starts watching only
        after its first build, so an edit made just before may go unseen (new bytes each try).
        """
        mark = len(lines)
        for attempt in range(8):
            write_files(root, {name: text + "\n" * attempt for name, text in files.items()})
            if wait(expect, mark, timeout=4):
                break
        assert wait(" posts, ", mark), (files, lines[mark:])
        assert process.poll() is None, lines

    try:
        assert wait(" watching ", 0), lines
        for name, text in TRIGGERS.items():
            change({name: text}, name if name != "_quarto.yml" else " posts, ")
        assert not any("Traceback" in line for line in lines), lines
        # and it still builds once the inputs are fixed
        (root / "posts/bomb/index.qmd").unlink()
        (root / "posts/sub/_metadata.yml").unlink()
        change({"posts/bad/index.qmd": post("Fixed", "2024-05-05")}, "; 4 posts, ")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)


def test_unreadable_or_undecodable_config_files_are_one_line(tmp_path: Path, run_cli) -> None:
    files = good_blog()
    files["_categories.yml"] = "- label: caf\xe9\n"
    files["posts/sub/one/index.qmd"] = post("Below", "2024-01-01")
    root = write_files(tmp_path / "blog", files)
    (root / "_categories.yml").write_bytes(b"- label: caf\xe9\n")  # Latin-1, not UTF-8
    os.symlink(root / "posts/sub/missing.yml", root / "posts/sub/_metadata.yml")  # dangling
    result = run_cli("build", root)
    assert result.status == 2
    errors = [line for line in result.err.splitlines() if "error" in line]
    assert errors == [
        f"nbpost: error: {root}/posts/sub/_metadata.yml: cannot read: No such file or directory",
        f"nbpost: error: {root}/posts/sub/one/index.qmd: skipped because {root}/posts/sub/"
        "_metadata.yml: cannot read: No such file or directory",
        f"nbpost: error: {root}/_categories.yml:1: not valid UTF-8 (byte 0xe9 at offset 12)",
    ]
    assert "2 posts" in result.out


def test_posts_skipped_for_a_broken_metadata_file_are_counted_not_listed(
    tmp_path: Path, run_cli
) -> None:
    # Every post below a broken _metadata.yml is skipped: its own line names the file and the
    # line, the first three posts are named, and one line counts the others (a blog of 2,000
    # posts printed 2,000 lines).
    files = good_blog()
    for number in range(7):
        files[f"posts/sub/p{number}/index.qmd"] = post(f"Below {number}", "2024-01-01")
    files["posts/sub/_metadata.yml"] = "categories: [oops\n"
    root = write_files(tmp_path / "blog", files)
    for args in (("build", root), ("build", root)):  # built, then the problems replayed
        result = run_cli(*args)
        assert result.status == 2
        errors = [line for line in result.err.splitlines() if "error" in line]
        reason = f"{root}/posts/sub/_metadata.yml:1: invalid YAML"
        assert errors[0].startswith(f"nbpost: error: {reason}")
        assert [line.split(": skipped")[0] for line in errors[1:4]] == [
            f"nbpost: error: {root}/posts/sub/p{number}/index.qmd" for number in range(3)
        ]
        assert errors[4].startswith(f"nbpost: error: 4 more posts skipped because {reason}")
        assert len(errors) == 5
