"""Generate a synthetic Quarto blog whose posts look like the real ones in the shared corpus.

The shape comes from the corpus when it is there (``../shared/corpus`` or ``$NBPOST_CORPUS``):
the posts ``collect_blog`` finds give the file kinds and their sizes, the number of categories
per post, the category labels with their frequencies, and the ways dates are written. Without
the corpus a built-in summary of the same measurements is used. Output is deterministic for a
given seed.

    python benchmarks/synth_blog.py OUT_DIR --posts 10000 [--seed 1]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("NBPOST_CORPUS", REPO / "../shared/corpus"))

# Measured on the corpus (578 posts in 15 blogs), used when the corpus is missing.
FALLBACK_KINDS = {".qmd": 0.62, ".md": 0.25, ".ipynb": 0.13}
FALLBACK_SIZES = {
    ".qmd": [900, 1500, 2200, 3500, 6000, 12600, 35000],
    ".md": [2500, 4500, 6800, 9000, 12000, 18800, 56000],
    ".ipynb": [6000, 15000, 30000, 60000, 110000, 210000, 900000],
}
FALLBACK_CATEGORY_COUNTS = {0: 49, 1: 91, 2: 123, 3: 153, 4: 69, 5: 42, 6: 26, 7: 11, 8: 7}
FALLBACK_DATE_SHAPES = {"iso": 546, None: 12, "mdy": 16, "iso-unpadded": 2, "mdy-dash": 1}
FALLBACK_LABELS = [
    "python", "R", "machine learning", "data science", "Quarto", "tidymodels", "deep learning",
    "visualization", "news", "statistics", "tutorial", "NLP", "mlops", "Julia", "tips",
    "Data Visualisation", "pandas", "jax", "LLMs", "computer vision", "teaching", "packages",
]  # fmt: skip

WORDS = [
    "data",
    "model",
    "post",
    "code",
    "plot",
    "result",
    "figure",
    "value",
    "table",
    "analysis",
    "sample",
    "train",
    "test",
    "python",
    "feature",
    "error",
    "loss",
    "note",
    "example",
    "function",
    "package",
    "blog",
    "week",
    "value",
    "chart",
    "series",
    "mean",
]


@dataclass
class Profile:
    """What a synthetic post is drawn from."""

    kinds: dict[str, float]
    sizes: dict[str, list[int]]
    category_counts: dict[int, int]
    date_shapes: dict[str | None, int]
    labels: list[str]
    label_weights: list[int] = field(default_factory=list)


def _date_shape(text: str | None) -> str | None:
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        return "iso"
    if text[:4].isdigit() and "-" in text:
        return "iso-unpadded"
    if "/" in text:
        return "mdy"
    if "-" in text:
        return "mdy-dash"
    return "iso"


def corpus_profile() -> Profile | None:
    """Measure the corpus with the collector; None when the corpus is not there."""
    if not CORPUS.is_dir():
        return None
    sys.path.insert(0, str(REPO / "src"))
    from nbpost.blog.read.collect import collect_blog

    kinds: dict[str, int] = {}
    sizes: dict[str, list[int]] = {}
    counts: dict[int, int] = {}
    shapes: dict[str | None, int] = {}
    labels: dict[str, int] = {}
    for config in sorted(CORPUS.rglob("_quarto.yml")):
        blog = collect_blog(config.parent)
        for post in blog.posts:
            if post.external:
                continue
            suffix = Path(post.source).suffix
            kinds[suffix] = kinds.get(suffix, 0) + 1
            sizes.setdefault(suffix, []).append((config.parent / post.source).stat().st_size)
            counts[len(post.categories)] = counts.get(len(post.categories), 0) + 1
            shape = _date_shape(post.date_text)
            shapes[shape] = shapes.get(shape, 0) + 1
            for label in post.categories:
                labels[label] = labels.get(label, 0) + 1
    total = sum(kinds.values())
    ranked = sorted(labels.items(), key=lambda item: (-item[1], item[0]))
    return Profile(
        kinds={k: v / total for k, v in sorted(kinds.items())},
        sizes={k: sorted(v) for k, v in sorted(sizes.items())},
        category_counts=dict(sorted(counts.items())),
        date_shapes=shapes,
        labels=[label for label, _ in ranked],
        label_weights=[count for _, count in ranked],
    )


def fallback_profile() -> Profile:
    """The built-in summary of the corpus."""
    return Profile(
        kinds=FALLBACK_KINDS,
        sizes=FALLBACK_SIZES,
        category_counts=FALLBACK_CATEGORY_COUNTS,
        date_shapes=FALLBACK_DATE_SHAPES,
        labels=FALLBACK_LABELS,
        label_weights=[max(1, 40 - 2 * i) for i in range(len(FALLBACK_LABELS))],
    )


def _format_date(day: dt.date, shape: str | None) -> str | None:
    if shape is None:
        return None
    if shape == "mdy":
        return f"{day.month}/{day.day}/{day.year}"
    if shape == "mdy-dash":
        return f"{day.month:02d}-{day.day:02d}-{day.year}"
    if shape == "iso-unpadded":
        return f"{day.year}-{day.month}-{day.day:02d}"
    return day.isoformat()


def _filler(rng: random.Random, size: int) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.15:
            block = (
                "```{python}\n"
                + "\n".join(f"x{i} = {rng.randint(0, 999)}" for i in range(rng.randint(2, 8)))
                + "\n```\n"
            )
        elif rng.random() < 0.1:
            block = "## " + " ".join(rng.choices(WORDS, k=4)).capitalize() + "\n"
        else:
            block = " ".join(rng.choices(WORDS, k=rng.randint(20, 80))).capitalize() + ".\n"
        parts.append(block)
        length += len(block) + 1
    return "\n".join(parts)


def _front_matter(title: str, date: str | None, categories: list[str], rng: random.Random) -> str:
    lines = [
        f"title: {json.dumps(title)}",
        f"author: {json.dumps('Author ' + str(rng.randint(1, 5)))}",
    ]
    if date is not None:
        lines.append(f'date: "{date}"')
    if categories:
        lines.append("categories: " + json.dumps(categories, ensure_ascii=False))
    lines.append(f"description: {json.dumps(' '.join(rng.choices(WORDS, k=12)))}")
    return "\n".join(lines)


def _notebook(front: str, body: str, size: int, rng: random.Random) -> str:
    raw = ["---\n", *[line + "\n" for line in front.split("\n")], "---"]
    cells: list[dict] = [
        {"cell_type": "raw", "metadata": {}, "source": raw},
        {"cell_type": "markdown", "metadata": {}, "source": [body]},
    ]
    pad = max(0, size - len(body) - 600)
    png = base64.b64encode(rng.randbytes(pad * 3 // 4)).decode("ascii") if pad else ""
    outputs = [{"output_type": "display_data", "metadata": {}, "data": {"image/png": png}}]
    cells.append(
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "c1",
            "metadata": {},
            "outputs": outputs if pad else [],
            "source": ["plot()"],
        }
    )
    for index, cell in enumerate(cells):
        cell.setdefault("id", f"cell-{index}")
    meta = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    return json.dumps(
        {"cells": cells, "metadata": meta, "nbformat": 4, "nbformat_minor": 5}, indent=1
    )


def generate(out: Path, posts: int, seed: int = 1, profile: Profile | None = None) -> Path:
    """Write a blog of ``posts`` posts to ``out`` and return it."""
    rng = random.Random(seed)
    profile = profile or corpus_profile() or fallback_profile()
    out.mkdir(parents=True, exist_ok=True)
    (out / "_quarto.yml").write_text(
        'project:\n  type: website\nwebsite:\n  title: "Synthetic blog"\n'
        "  site-url: https://example.org\n",
        encoding="utf-8",
    )
    (out / "index.qmd").write_text(
        '---\ntitle: "Posts"\nlisting:\n  contents: posts\n  sort: "date desc"\n'
        "  categories: true\n---\n",
        encoding="utf-8",
    )
    kinds = list(profile.kinds)
    kind_weights = [profile.kinds[k] for k in kinds]
    counts = list(profile.category_counts)
    count_weights = [profile.category_counts[c] for c in counts]
    shapes = list(profile.date_shapes)
    shape_weights = [profile.date_shapes[s] for s in shapes]
    start = dt.date(2012, 1, 1)
    for number in range(posts):
        kind = rng.choices(kinds, kind_weights)[0]
        size = rng.choice(profile.sizes[kind])
        n_categories = min(rng.choices(counts, count_weights)[0], len(profile.labels))
        chosen: list[str] = []
        while len(chosen) < n_categories:
            label = rng.choices(profile.labels, profile.label_weights or None)[0]
            if label not in chosen:
                chosen.append(label)
        day = start + dt.timedelta(days=rng.randint(0, 4700))
        date = _format_date(day, rng.choices(shapes, shape_weights)[0])
        title = " ".join(rng.choices(WORDS, k=rng.randint(3, 8))).capitalize() + f" {number}"
        front = _front_matter(title, date, chosen, rng)
        folder = out / "posts" / f"{day.isoformat()}-post-{number:05d}"
        folder.mkdir(parents=True, exist_ok=True)
        if kind == ".ipynb":
            body = _filler(rng, min(size, 3000))
            text = _notebook(front, body, size, rng)
        else:
            text = f"---\n{front}\n---\n\n" + _filler(rng, max(0, size - len(front) - 10))
        (folder / f"index{kind}").write_text(text, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic blog."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.out, args.posts, args.seed)
    print(f"wrote {args.posts} posts to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
