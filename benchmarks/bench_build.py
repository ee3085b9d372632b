"""Benchmark ``nbpost build`` on a synthetic blog against the floor for any Python tool.

The floor is the bare loop "read every post file and parse its front matter with libyaml"
(for a notebook: parse its JSON, then the YAML of its first cell). Measured in one run, each
round back to back (floor, cold build, no-change rebuild, ...), for ``--repeat`` rounds:

- the floor loop;
- a cold ``nbpost build`` in this process: the outputs, the metadata cache and the snapshot
  of the last build moved out of the blog first (as before a blog's first build); by
  default the posts are read by one process per CPU (``nbpost.blog.read.parallel``);
- the same with ``jobs=1`` (``nbpost build --jobs 1``): everything in one process;
- a no-change rebuild in this process, right after the cold build;
- a rebuild after editing one post, right after the cold build, and another in an editing
  session (the earlier builds' files out of the racy window, so the categories the edit
  leaves alone are not rendered again; informative);
- collecting alone (the reading half of a cold build);
- a cold and a no-change ``python -m nbpost build`` as whole processes, with peak RSS;
- one edit as a whole process: one post's title edited a few seconds after the last build
  (as a blogger saves, or ``quarto preview`` re-runs the pre-render step), then
  ``python -m nbpost build`` as a whole process: the first edit since a full build;
- the edit loop: the same post saved again a few seconds later (its next edit while writing
  it), then ``python -m nbpost build`` again: the build every later save of a post gets.

Nothing is deleted between the measurements, on purpose: on an ext4 file system without a
journal the kernel's inode allocator passes over every inode freed in the last one to six
minutes (``recently_deleted()`` in fs/ext4/ialloc.c, seen with ``perf``), so creating 1,900
files right after deleting 1,900 nearby costs it tenths of a second that a blog's first build
never pays. The moved outputs are deleted at the end, and one cold build right after deleting
its outputs is then timed on its own, for information.

Targets: cold build <= 2x floor, no-change rebuild <= 0.1x cold, one edit <= 0.15x cold (whole
processes both; the first edit since a full build and the edit loop each), peak memory < 300 MB. The
machine is shared and noisy: the best of the rounds is compared, and the range is printed.
The file system cache is warm for every measurement. For clean figures, do not delete
thousands of files on the same file system in the minutes before a run.

    python benchmarks/bench_build.py [--posts 10000] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from statistics import median

import yaml
from tqdm import tqdm

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth_blog import generate  # noqa: E402

GENERATED = ("categories", "archive", "feeds", "POSTS.md", "categories.json", ".nbpost")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TARGETS = {"cold": 2.0, "no-change": 0.1, "one-edit": 0.15, "memory-mb": 300}


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
    """Delete every generated output, the metadata cache and the build snapshot."""
    for name in GENERATED:
        path = root / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def move_aside(root: Path, trash: Path) -> None:
    """Move every generated output, the cache and the snapshot out of the blog, into ``trash``
    (deleted after the measurements; see the module docstring for why not now)."""
    trash.mkdir(parents=True)
    for name in GENERATED:
        path = root / name
        if path.exists():
            path.rename(trash / name)


def timed(function: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def build_in_process(root: Path, jobs: int | None = None) -> None:
    from nbpost.blog.build import build_blog

    result = build_blog(root, quiet=True, jobs=jobs)
    assert not result.errors, result.errors[:3]


def build_in_one_process(root: Path) -> None:
    build_in_process(root, jobs=1)


def collect_only(root: Path) -> None:
    from nbpost.blog.incremental.cache import MetadataCache
    from nbpost.blog.read.collect import collect_blog

    gc.disable()  # as build_blog does
    try:
        cache = MetadataCache.load(root)
        collect_blog(root, cache=cache)
        cache.save()
    finally:
        gc.enable()


def process_env() -> dict[str, str]:
    """The environment of a measured process: nbpost from this checkout, with its bytecode.

    An installed nbpost has its modules compiled (pip compiles them on install); a machine
    that sets ``PYTHONDONTWRITEBYTECODE`` would make every measured process compile them
    again (about 0.1 s), so the variable is dropped and ``compile_once`` runs first.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def compile_once() -> None:
    """Compile nbpost's modules into ``__pycache__``, as installing it does."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "src" / "nbpost")],
        check=True,
        env=process_env(),
    )


def build_process(root: Path) -> tuple[float, int]:
    """Run ``python -m nbpost build`` and return (seconds, peak RSS in bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "nbpost", "build", "--quiet", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=process_env(),
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    returncode = os.waitstatus_to_exitcode(status)
    if returncode not in (0, 1):
        raise SystemExit(f"nbpost build failed with status {returncode}")
    return elapsed, usage.ru_maxrss * 1024  # Linux reports KiB


def edit_one_post(root: Path, fraction: float = 1 / 3) -> Callable[[], None]:
    """Change one post's title in place; return a function that puts it back."""
    posts = sorted((root / "posts").glob("*/index.qmd"))
    path = posts[int(len(posts) * fraction)]
    original = path.read_bytes()
    path.write_bytes(original.replace(b"title:", b"title: Edited", 1))
    return lambda: path.write_bytes(original)


def edit_again(root: Path, fraction: float = 1 / 3) -> None:
    """Edit the title ``edit_one_post`` edited once more (its ``restore`` still applies)."""
    posts = sorted((root / "posts").glob("*/index.qmd"))
    path = posts[int(len(posts) * fraction)]
    text = path.read_bytes()
    assert b"title: Edited" in text, "edit_one_post edits first"
    path.write_bytes(text.replace(b"title: Edited", b"title: Edited again", 1))


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
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{load}\n"
        f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml: {libyaml})"
    )


def span(values: list[float]) -> str:
    """``best s (best-worst)``."""
    return f"{min(values):7.3f} s  (range {min(values):.3f}-{max(values):.3f})"


def say(message: str) -> None:
    """Progress of a long run, on stderr when it is a terminal."""
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def print_against_cold(rounds: dict[str, list[float]], name: str, label: str) -> float:
    """Print a whole-process row with its ratio to the cold process (medians); return it."""
    ratios = [e / c for e, c in zip(rounds[name], rounds["cold process"], strict=True)]
    ratio = median(rounds[name]) / median(rounds["cold process"])
    print(
        f"{label:<38}{span(rounds[name])}   {ratio:5.3f}x cold process, medians "
        f"(rounds {min(ratios):.3f}-{max(ratios):.3f})"
    )
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000, help="posts in the synthetic blog")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (the best is compared)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic blog")
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = parser.parse_args(argv)

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="nbpost-bench-"))
    root = workdir / "blog"
    if not (root / "_quarto.yml").is_file():
        say(f"generating {args.posts} posts in {root} ...")
        generate(root, args.posts, args.seed)
        time.sleep(2.5)  # let the posts leave the racy window, as on any real blog
    size = sum(f.stat().st_size for f in (root / "posts").rglob("*") if f.is_file())
    print(f"nbpost build benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(machine())
    print(f"blog: {args.posts} posts, {size / 1e6:.0f} MB of post files, {args.repeat} rounds")

    floor_loop(root)  # warm the file system cache
    compile_once()
    for module in (
        "render.archive",
        "build",
        "read.collect",
        "render.feeds",
        "render.mdindex",
        "render.pages",
        "render.registry",
    ):
        importlib.import_module(f"nbpost.blog.{module}")  # imports are not what is measured

    rounds: dict[str, list[float]] = {}
    rss: list[int] = []

    # A progress bar on stderr when it is a terminal (the output on stdout stays clean),
    # without tqdm's monitor thread: nbpost reads posts in parallel only in a process that
    # runs no other thread.
    tqdm.monitor_interval = 0
    bar = tqdm(
        total=args.repeat * 11,
        desc="benchmark",
        unit="step",
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
    )

    def record(name: str, seconds: float) -> None:
        rounds.setdefault(name, []).append(seconds)
        bar.set_postfix_str(f"{name} {seconds:.3f} s", refresh=False)
        bar.update()

    moved = workdir / "moved"
    counter = iter(range(1_000_000))

    def from_scratch(function: Callable[[Path], object]) -> float:
        move_aside(root, moved / str(next(counter)))
        return timed(function, root)

    for _ in range(args.repeat):
        record("floor", timed(floor_loop, root))
        record("cold", from_scratch(build_in_process))
        record("cold, one process", from_scratch(build_in_one_process))
        record("no-change", timed(build_in_process, root))
        restore = edit_one_post(root)
        record("one edit", timed(build_in_process, root))
        restore()
        # An editing session: the outputs of the builds before are older than the racy
        # window, so the categories an edit leaves alone keep their files (not re-rendered).
        time.sleep(2.5)
        build_in_process(root)
        restore = edit_one_post(root, 2 / 3)
        record("one edit, later", timed(build_in_process, root))
        restore()
        record("collect", from_scratch(collect_only))
        move_aside(root, moved / str(next(counter)))
        elapsed, peak = build_process(root)
        record("cold process", elapsed)
        rss.append(peak)
        elapsed, peak = build_process(root)
        record("no-change process", elapsed)
        rss.append(peak)
        time.sleep(2.5)  # a blogger saves seconds after the last build, not within its tick
        restore = edit_one_post(root)
        elapsed, peak = build_process(root)
        record("one edit process", elapsed)
        rss.append(peak)
        time.sleep(2.5)
        edit_again(root)
        elapsed, peak = build_process(root)
        record("edit loop process", elapsed)
        rss.append(peak)
        restore()
    bar.close()

    move_aside(root, moved / str(next(counter)))
    tracemalloc.start()
    build_in_process(root)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    shutil.rmtree(moved)
    clean(root)
    after_deleting = timed(build_in_process, root)

    best = {name: min(values) for name, values in rounds.items()}
    floor, cold, rebuild = best["floor"], best["cold"], best["no-change"]
    cold_ratios = [c / f for c, f in zip(rounds["cold"], rounds["floor"], strict=True)]
    rebuild_ratios = [r / c for r, c in zip(rounds["no-change"], rounds["cold"], strict=True)]
    print(f"floor (read + libyaml front matter):  {span(rounds['floor'])}")
    print(
        f"cold build, in process:               {span(rounds['cold'])}   "
        f"{cold / floor:5.2f}x floor (rounds {min(cold_ratios):.2f}-{max(cold_ratios):.2f})"
    )
    print(f"  of which collecting:                {span(rounds['collect'])}")
    single = best["cold, one process"]
    single_ratios = [
        c / f for c, f in zip(rounds["cold, one process"], rounds["floor"], strict=True)
    ]
    print(
        f"cold build, --jobs 1 (one process):   {span(rounds['cold, one process'])}   "
        f"{single / floor:5.2f}x floor (rounds {min(single_ratios):.2f}-{max(single_ratios):.2f})"
    )
    print(
        f"no-change rebuild, in process:        {span(rounds['no-change'])}   "
        f"{rebuild / cold:5.3f}x cold (rounds {min(rebuild_ratios):.3f}-{max(rebuild_ratios):.3f})"
    )
    print(f"rebuild after editing one post:       {span(rounds['one edit'])}   (first after cold)")
    print(f"  the same later in an editing session: {span(rounds['one edit, later'])}")
    print(
        f"cold build, whole process:            {span(rounds['cold process'])}   "
        f"{best['cold process'] / floor:5.2f}x floor"
    )
    print(f"no-change rebuild, whole process:     {span(rounds['no-change process'])}")
    edit_ratio = print_against_cold(rounds, "one edit process", "one edit, whole process:")
    loop_ratio = print_against_cold(
        rounds, "edit loop process", "the edit loop (same post saved again):"
    )
    print(
        f"cold build right after deleting its outputs (once, informative): {after_deleting:.3f} s"
        f"   {after_deleting / floor:5.2f}x floor"
    )
    peak = max(rss)
    print(f"peak RSS of a build process:          {peak / 2**20:7.1f} MB")
    print(f"peak traced Python memory (build):    {traced_peak / 2**20:7.1f} MB")
    checks = [
        (f"cold build <= {TARGETS['cold']}x floor", cold <= TARGETS["cold"] * floor),
        (f"no-change rebuild <= {TARGETS['no-change']}x cold", rebuild <= 0.1 * cold),
        (
            f"one edit <= {TARGETS['one-edit']}x cold (whole processes, medians)",
            edit_ratio <= TARGETS["one-edit"],
        ),
        (
            f"the edit loop <= {TARGETS['one-edit']}x cold (whole processes, medians)",
            loop_ratio <= TARGETS["one-edit"],
        ),
        (f"peak memory < {TARGETS['memory-mb']} MB", peak < TARGETS["memory-mb"] * 2**20),
    ]
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
