"""Benchmark ``nbpost build`` on a synthetic blog against the floor for any Python tool.

The floor is the bare loop "read every post file and parse its front matter with libyaml"
(for a notebook: parse its JSON, then the YAML of its first cell). Measured, in one run:

- the floor loop;
- a cold ``nbpost build`` in this process (outputs and metadata cache deleted first);
- a cold ``nbpost build`` as a whole process (``python -m nbpost build``), with its peak RSS;
- a no-change rebuild in this process.

Targets: cold build <= 2x floor, no-change rebuild <= 0.1x cold, peak memory < 300 MB.
The file system cache is warm for every measurement (each is repeated; medians are printed).

    python benchmarks/bench_build.py [--posts 10000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth_blog import generate  # noqa: E402

GENERATED = ("categories", "archive", "feeds", "POSTS.md", "categories.json", ".nbpost")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def floor_loop(root: Path) -> int:
    """Read every post and parse its front matter with libyaml; return the number parsed."""
    parsed = 0
    for dirpath, _dirs, files in os.walk(root / "posts"):
        for name in files:
            path = os.path.join(dirpath, name)
            if name.endswith((".qmd", ".md")):
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8")
            elif name.endswith(".ipynb"):
                with open(path, "rb") as handle:
                    cells = json.loads(handle.read())["cells"]
                source = cells[0]["source"] if cells else ""
                text = "".join(source) if isinstance(source, list) else source
            else:
                continue
            match = FRONT_MATTER.match(text)
            if match:
                yaml.load(match.group(1), Loader=LOADER)
                parsed += 1
    return parsed


def clean(root: Path) -> None:
    """Delete every generated output and the metadata cache."""
    for name in GENERATED:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def build_in_process(root: Path) -> None:
    from nbpost.blog.build import build_blog

    result = build_blog(root, quiet=True)
    assert not result.errors, result.errors[:3]


def collect_only(root: Path) -> None:
    from nbpost.blog.collect import collect_blog

    collect_blog(root, cache=True)


def build_process(root: Path) -> tuple[float, int]:
    """Run ``python -m nbpost build`` and return (seconds, peak RSS in bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "nbpost", "build", "--quiet", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"nbpost build failed with status {process.returncode}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    libyaml = "yes" if hasattr(yaml, "CSafeLoader") else "no"
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml: {libyaml})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = parser.parse_args(argv)

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="nbpost-bench-"))
    root = workdir / "blog"
    if not (root / "_quarto.yml").is_file():
        print(f"generating {args.posts} posts in {root} ...", flush=True)
        generate(root, args.posts, args.seed)
    size = sum(f.stat().st_size for f in (root / "posts").rglob("*") if f.is_file())
    print(machine())
    print(f"blog: {args.posts} posts, {size / 1e6:.0f} MB of post files")

    floor_loop(root)  # warm the file system cache
    floors, colds, processes, rebuilds, rss = [], [], [], [], []
    collect_colds, collect_warms = [], []
    for _ in range(args.repeat):
        floors.append(timed(floor_loop, root))
        clean(root)
        collect_colds.append(timed(collect_only, root))
        collect_warms.append(timed(collect_only, root))
        clean(root)
        colds.append(timed(build_in_process, root))
        rebuilds.append(timed(build_in_process, root))
        clean(root)
        elapsed, peak = build_process(root)
        processes.append(elapsed)
        rss.append(peak)

    clean(root)
    tracemalloc.start()
    build_in_process(root)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    floor = statistics.median(floors)
    cold = statistics.median(colds)
    process = statistics.median(processes)
    rebuild = statistics.median(rebuilds)
    peak = max(rss)
    print(f"floor (read + libyaml front matter): {floor:7.3f} s")
    print(f"cold build, in process:              {cold:7.3f} s   {cold / floor:5.2f}x floor")
    print(f"cold build, whole process:           {process:7.3f} s   {process / floor:5.2f}x floor")
    print(f"no-change rebuild, in process:       {rebuild:7.3f} s   {rebuild / cold:5.3f}x cold")
    collect_cold = statistics.median(collect_colds)
    collect_warm = statistics.median(collect_warms)
    print(
        f"  of which collecting (cold cache):  {collect_cold:7.3f} s   "
        f"{collect_cold / floor:5.2f}x floor"
    )
    print(
        f"  of which collecting (warm cache):  {collect_warm:7.3f} s   "
        f"{collect_warm / cold:5.3f}x cold"
    )
    print(f"  so writing outputs, cold:          {cold - collect_cold:7.3f} s")
    print(f"  so writing outputs, no change:     {rebuild - collect_warm:7.3f} s")
    print(f"peak RSS of the build process:       {peak / 2**20:7.1f} MB")
    print(f"peak traced Python memory (build):   {traced_peak / 2**20:7.1f} MB")
    checks = [
        ("cold build <= 2x floor", cold <= 2 * floor),
        ("no-change rebuild <= 0.1x cold", rebuild <= 0.1 * cold),
        ("peak memory < 300 MB", peak < 300 * 2**20),
    ]
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
