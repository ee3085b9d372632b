"""Benchmark ``nbpost check`` on the synthetic blog of ``bench_build.py`` (10,000 posts).

Rows, each a whole ``python -m nbpost check`` process (start-up included, as a pre-commit
hook pays it), ``--repeat`` rounds, best and range printed:

- cold: no ``.nbpost/`` at all (no build cache, no check state), as on a fresh clone;
- cold after a build: the build's metadata cache is there (``nbpost build`` ran), the check's
  own state and body cache are not;
- no-change: run again with nothing changed (the stored result is replayed after a stat of
  every input);
- one post edited: after a no-change run, one post's title changed (everything re-checked
  from the caches: one post re-read).

The blog is made by ``synth_blog.generate`` (the same generator and seed as the build
benchmark). Target: the no-change run well under a second.

    python benchmarks/bench_check.py [--posts 10000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import machine, span  # noqa: E402
from synth_blog import generate  # noqa: E402

STATE = ".nbpost"


CPU: dict[str, list[float]] = {}


def run(command: str, root: Path, row: str = "") -> float:
    """Seconds taken by ``python -m nbpost <command> <root>`` as a whole process (its CPU
    time, user + system, is kept under ``row``: on a busy machine it is the steadier figure)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "nbpost", command, str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"nbpost {command} failed with status {status}")
    if row:
        CPU.setdefault(row, []).append(usage.ru_utime + usage.ru_stime)
    return elapsed


def forget_check(root: Path) -> None:
    """Remove the check's own state and body cache (the build's cache stays)."""
    for name in ("check-state.json", "check-cache.json"):
        (root / STATE / name).unlink(missing_ok=True)


def settle() -> None:
    """Wait out the racy window (files written within 2 s of a save are re-checked)."""
    time.sleep(2.2)


def edit_title(root: Path, counter: int) -> None:
    """Change one post's title (a different post each round would also do)."""
    post = next(iter(sorted((root / "posts").rglob("index.qmd"))))
    text = post.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines = [f'title: "Edited {counter}"' if line.startswith("title:") else line for line in lines]
    post.write_text("\n".join(lines), encoding="utf-8")


def one_round(root: Path, counter: int, rounds: dict[str, list[float]]) -> None:
    shutil.rmtree(root / STATE, ignore_errors=True)
    settle()
    rounds["cold"].append(run("check", root, "cold"))
    shutil.rmtree(root / STATE, ignore_errors=True)
    run("build", root)
    settle()
    rounds["cold after a build"].append(run("check", root, "cold after a build"))
    settle()
    rounds["no-change"].append(run("check", root, "no-change"))
    edit_title(root, counter)
    settle()
    rounds["one post edited"].append(run("check", root, "one post edited"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="make (or reuse) the blog here")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="nbpost-bench-check-"))
    root = base / "blog"
    if not (root / "_quarto.yml").is_file():
        generate(root, args.posts)
    print(f"nbpost check benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(machine())
    print(f"blog: {args.posts} posts, {args.repeat} rounds, load average {os.getloadavg()[0]:.1f}")
    rounds: dict[str, list[float]] = {
        "cold": [],
        "cold after a build": [],
        "no-change": [],
        "one post edited": [],
    }
    for counter in range(args.repeat):
        one_round(root, counter, rounds)
    for name, values in rounds.items():
        cpu = CPU.get(name, [0.0])
        print(f"check, {name + ', whole process:':32} {span(values)}   CPU {span(cpu)}")
    best = min(rounds["no-change"])
    print(f"  {'PASS' if best < 1.0 else 'FAIL'}  no-change check under a second ({best:.3f} s)")
    print(json.dumps({k: sorted(v) for k, v in rounds.items()}))
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
