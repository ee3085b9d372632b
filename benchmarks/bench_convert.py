"""Benchmark the converter against jupytext, side by side, in one run.

jupytext cannot read ``.qmd`` without the Quarto binary, so it reads the same text as R
Markdown (its closest pure-Python format: same ```` ```{python} ```` chunks and YAML header).

(a) in-process, every text post of the corpus: text -> notebook JSON -> text, nbpost
    (``qmd.parse`` + ``ipynb.dumps`` and back) against jupytext (``reads(fmt="Rmd")`` +
    ``writes(fmt="ipynb")`` and back); also the same without the JSON step (notebook objects
    only). Target: nbpost at least 10x faster.
(b) one whole process converting one post to ``.ipynb``: ``nbpost convert`` against
    ``jupytext --to ipynb`` on the same text. Target: at most a third of jupytext's time.
(c) batches of 100 and 1,000 posts converted in one process (``nbpost convert DIR
    --output-dir OUT``): time ratio (target <= 11) and peak RSS (target < 200 MB).
(d) in-process, every text converted onto its existing, executed notebook (the paired
    workflow's common case: outputs of unchanged cells kept), against jupytext reading the
    Rmd and combining it with the notebook's outputs as ``jupytext --update`` does; and
    (b') the same as one whole process. Targets as (a) and (b).

    python benchmarks/bench_convert.py [--corpus ../shared/corpus] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from nbpost import attachments, ipynb, qmd  # noqa: E402
from nbpost.ipynb.outputs import carry_outputs  # noqa: E402
from nbpost.project.walk import is_post_file  # noqa: E402
from nbpost.qmd import markers, textcells  # noqa: E402


def machine() -> str:
    """CPU model, core count and Python version, for the printed report."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def text_posts(corpus: Path) -> list[tuple[Path, str]]:
    """Every .qmd/.md post of the corpus with its text."""
    posts = []
    for path in sorted(corpus.rglob("*")):
        if path.suffix in (".qmd", ".md") and path.is_file() and is_post_file(path):
            posts.append((path, path.read_text(encoding="utf-8")))
    return posts


def best_and_median(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Run ``run`` ``repeat`` times; return (best, median) wall time in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def clear_caches() -> None:
    """Forget the scans a conversion caches, so the next direction pays for its own."""
    markers.text_facts.cache_clear()
    textcells.scan_facts.cache_clear()


def nbpost_json_round_trip(texts: list[str]) -> None:
    """qmd text -> notebook JSON -> qmd text, with nbpost."""
    for text in texts:
        notebook = ipynb.dumps(ipynb.to_notebook(qmd.parse(text)))
        clear_caches()  # each direction pays for its own scans, as alone
        qmd.emit(ipynb.reads(notebook))


def nbpost_object_round_trip(texts: list[str]) -> None:
    """qmd text -> notebook object -> qmd text, with nbpost."""
    for text in texts:
        notebook = ipynb.to_notebook(qmd.parse(text))
        clear_caches()  # each direction pays for its own scans, as alone
        qmd.emit(ipynb.to_document(notebook))


def jupytext_json_round_trip(texts: list[str]) -> None:
    """Rmd text -> notebook JSON -> Rmd text, with jupytext."""
    import jupytext

    for text in texts:
        notebook = jupytext.writes(jupytext.reads(text, fmt="Rmd"), fmt="ipynb")
        jupytext.writes(jupytext.reads(notebook, fmt="ipynb"), fmt="Rmd")


def jupytext_object_round_trip(texts: list[str]) -> None:
    """Rmd text -> notebook object -> Rmd text, with jupytext."""
    import jupytext

    for text in texts:
        jupytext.writes(jupytext.reads(text, fmt="Rmd"), fmt="Rmd")


OUTPUT = {"output_type": "stream", "name": "stdout", "text": "a line of output\n"}


def with_outputs(notebook_json: str) -> str:
    """Notebook JSON whose code cells have run: an output and an execution count each."""
    import json

    data = json.loads(notebook_json)
    for number, cell in enumerate(c for c in data["cells"] if c["cell_type"] == "code"):
        cell["outputs"] = [dict(OUTPUT)]
        cell["execution_count"] = number + 1
    return json.dumps(data, indent=1)


def nbpost_onto_notebook(pairs: list[tuple[str, str]]) -> None:
    """qmd text converted onto its existing notebook (outputs kept), as JSON text, by nbpost."""
    folder = attachments.folder_for("post.qmd")
    for text, old in pairs:
        doc = qmd.parse(text)
        carry_outputs(doc, ipynb.reads(old), folder)
        ipynb.dumps(ipynb.to_notebook(doc))
        clear_caches()


def jupytext_onto_notebook(pairs: list[tuple[str, str]]) -> None:
    """The same with jupytext: the text read as Rmd, combined with the existing notebook's
    outputs (what ``jupytext --update`` does), written as JSON text."""
    import jupytext
    from jupytext.combine import combine_inputs_with_outputs

    for text, old in pairs:
        notebook = jupytext.reads(text, fmt="Rmd")
        combine_inputs_with_outputs(notebook, jupytext.reads(old, fmt="ipynb"), fmt="Rmd")
        jupytext.writes(notebook, fmt="ipynb")


def onto_notebooks(texts: list[str], repeat: int) -> None:
    """Part (d): re-conversion of each text onto its existing, executed notebook."""
    import jupytext

    ours = [(t, with_outputs(ipynb.dumps(ipynb.to_notebook(qmd.parse(t))))) for t in texts]
    theirs = [
        (t, with_outputs(jupytext.writes(jupytext.reads(t, fmt="Rmd"), fmt="ipynb"))) for t in texts
    ]
    our_best, our_median = best_and_median(lambda: nbpost_onto_notebook(ours), repeat)
    their_best, their_median = best_and_median(lambda: jupytext_onto_notebook(theirs), repeat)
    print(
        f"(d) in-process re-conversion of {len(texts)} texts onto their executed notebooks "
        f"(best / median of {repeat})"
    )
    print(f"      nbpost   {our_best:7.3f} s / {our_median:7.3f} s")
    print(f"      jupytext {their_best:7.3f} s / {their_median:7.3f} s")
    print(f"      jupytext/nbpost (medians) = {their_median / our_median:5.1f}x (target >= 10x)")


def jupytext_readable(texts: list[str]) -> list[str]:
    """The texts jupytext's Rmd reader accepts (it raises on some chunk headers)."""
    readable = []
    for text in texts:
        try:
            jupytext_json_round_trip([text])
        except Exception:  # any failure excludes the post from both sides of the comparison
            continue
        readable.append(text)
    return readable


def in_process(all_texts: list[str], repeat: int) -> list[str]:
    """Part (a): in-process round trips of every corpus text post jupytext can read."""
    texts = jupytext_readable(all_texts)
    if len(texts) < len(all_texts):
        print(
            f"    jupytext's Rmd reader fails on {len(all_texts) - len(texts)} of "
            f"{len(all_texts)} posts; both tools are timed on the other {len(texts)}"
        )

    print(
        f"(a) in-process round trip of {len(texts)} corpus text posts (best / median of {repeat})"
    )
    for label, ours, theirs in (
        ("text -> ipynb JSON -> text", nbpost_json_round_trip, jupytext_json_round_trip),
        ("text -> notebook object -> text", nbpost_object_round_trip, jupytext_object_round_trip),
    ):
        our_best, our_median = best_and_median(lambda f=ours: f(texts), repeat)
        their_best, their_median = best_and_median(lambda f=theirs: f(texts), repeat)
        print(f"    {label}:")
        print(f"      nbpost   {our_best:7.3f} s / {our_median:7.3f} s")
        print(f"      jupytext {their_best:7.3f} s / {their_median:7.3f} s")
        print(
            f"      jupytext/nbpost (medians) = {their_median / our_median:5.1f}x (target >= 10x)"
        )
    return texts


def run_process(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS in KiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {stderr}")
    return elapsed, usage.ru_maxrss


def one_process(post: Path, work: Path, repeat: int) -> None:
    """Part (b): one whole process converting one post."""
    qmd_copy = work / "post.qmd"
    rmd_copy = work / "post.Rmd"
    shutil.copyfile(post, qmd_copy)
    shutil.copyfile(post, rmd_copy)
    nbpost_exe = [sys.executable, "-m", "nbpost", "convert", "post.qmd", "-q"]
    jupytext_exe = [sys.executable, "-m", "jupytext", "--to", "ipynb", "--quiet", "post.Rmd"]
    ours = [run_process(nbpost_exe, work)[0] for _ in range(repeat)]
    theirs = [run_process(jupytext_exe, work)[0] for _ in range(repeat)]
    our_median, their_median = statistics.median(ours), statistics.median(theirs)
    print(
        f"(b) one process converting {post.name} ({post.stat().st_size} bytes) to .ipynb, "
        f"median of {repeat}"
    )
    print(f"      nbpost convert      {our_median:6.3f} s")
    print(f"      jupytext --to ipynb {their_median:6.3f} s")
    print(f"      nbpost/jupytext = {our_median / their_median:4.2f} (target <= 0.33)")
    onto_notebook_process(post, work, repeat)


def onto_notebook_process(post: Path, work: Path, repeat: int) -> None:
    """Part (b'): one process converting an edited post onto its executed notebook."""
    import json

    text = post.read_text(encoding="utf-8")
    for name in ("post.qmd", "post.Rmd"):
        (work / name).write_text(text, encoding="utf-8")
    run_process([sys.executable, "-m", "nbpost", "convert", "post.qmd", "-q", "--force"], work)
    run_process([sys.executable, "-m", "jupytext", "--to", "ipynb", "--quiet", "post.Rmd"], work)
    # the post was run (outputs), and the same paragraph is added before each conversion
    notebook = work / "post.ipynb"
    executed = with_outputs(notebook.read_text(encoding="utf-8"))
    ours, theirs = [], []
    for attempt in range(repeat):
        edited = text + f"\nAn edit, number {attempt}.\n"
        (work / "post.qmd").write_text(edited, encoding="utf-8")
        notebook.write_text(executed, encoding="utf-8")
        argv = [sys.executable, "-m", "nbpost", "convert", "post.qmd", "-q", "--force"]
        ours.append(run_process(argv, work)[0])
        kept = json.loads(notebook.read_text(encoding="utf-8"))
        assert any(c.get("outputs") for c in kept["cells"]), "outputs were not kept"
        (work / "post.Rmd").write_text(edited, encoding="utf-8")
        notebook.write_text(executed, encoding="utf-8")
        argv = [sys.executable, "-m", "jupytext", "--to", "ipynb", "--update", "--quiet"]
        theirs.append(run_process([*argv, "post.Rmd"], work)[0])
    our_median, their_median = statistics.median(ours), statistics.median(theirs)
    print(
        f"(b') one process converting the edited post onto its executed notebook, "
        f"median of {repeat}"
    )
    print(f"      nbpost convert (keeps outputs)     {our_median:6.3f} s")
    print(f"      jupytext --to ipynb --update       {their_median:6.3f} s")
    print(f"      nbpost/jupytext = {our_median / their_median:4.2f} (target <= 0.33)")


def batch(posts: list[Path], work: Path, repeat: int) -> None:
    """Part (c): batches of 100 and 1,000 posts in one process each."""
    results = {}
    for size in (100, 1000):
        folder = work / f"batch{size}"
        for index in range(size):
            source = posts[index % len(posts)]
            target = folder / f"{index:04d}" / f"post{source.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        runs = []
        for attempt in range(repeat):
            out = work / f"out{size}-{attempt}"
            runs.append(
                run_process(
                    [
                        sys.executable,
                        "-m",
                        "nbpost",
                        "convert",
                        str(folder),
                        "--output-dir",
                        str(out),
                        "-q",
                    ],
                    work,
                )
            )
            shutil.rmtree(out)
        results[size] = (statistics.median(t for t, _ in runs), max(m for _, m in runs))
    (t100, m100), (t1000, m1000) = results[100], results[1000]
    print(f"(c) batch conversion to .ipynb in one process, median of {repeat}")
    print(f"      100 posts   {t100:6.3f} s  peak RSS {m100 / 1024:5.1f} MB")
    print(f"      1,000 posts {t1000:6.3f} s  peak RSS {m1000 / 1024:5.1f} MB (target < 200 MB)")
    print(f"      1,000/100 = {t1000 / t100:4.1f}x (target <= 11)")


def main() -> None:
    """Run (a), (b) and (c) and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get("NBPOST_CORPUS", REPO.parent / "shared" / "corpus")),
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    posts = text_posts(args.corpus)
    if not posts:
        raise SystemExit(f"no text posts under {args.corpus}")
    try:
        import jupytext  # noqa: F401  (the peer this benchmark compares with)
    except ImportError:
        raise SystemExit("jupytext is not installed here: pip install -e '.[test]'") from None
    print(f"nbpost converter benchmark, {datetime.date.today()}, {machine()}")
    texts = in_process([text for _, text in posts], args.repeat)
    onto_notebooks(texts, args.repeat)
    # A typical post: the median size among posts with at least one Python chunk.
    with_chunks = sorted((p for p, t in posts if "```{python" in t), key=lambda p: p.stat().st_size)
    typical = with_chunks[len(with_chunks) // 2] if with_chunks else posts[0][0]
    with tempfile.TemporaryDirectory() as tmp:
        one_process(typical, Path(tmp), args.repeat)
        batch([p for p, _ in posts], Path(tmp), max(1, args.repeat // 2))


if __name__ == "__main__":
    main()
