"""``build_blog`` over a copy of every blog in the shared corpus."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from nbpost.blog.build import build_blog

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NBPOST_CORPUS", REPO / "../shared/corpus"))

pytestmark = pytest.mark.corpus


def blog_roots() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(path.parent for path in CORPUS.rglob("_quarto.yml"))


def test_corpus_is_there() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (set NBPOST_CORPUS)")
    assert len(blog_roots()) >= 12


@pytest.mark.parametrize(
    "source", blog_roots(), ids=lambda p: str(p.relative_to(CORPUS)) if CORPUS.is_dir() else ""
)
def test_build_runs_on_corpus_blog(source: Path, tmp_path: Path) -> None:
    root = tmp_path / "blog"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("_site", "_freeze"))
    result = build_blog(root, quiet=True)
    # Only the collector may report skipped posts; writing never fails.
    assert not [e for e in result.errors if "output" in e or "not generated" in e], result.errors
    assert result.written, "nothing written"
    resolved = root.resolve()
    for key in result.written:
        assert resolved in (root / key).resolve().parents

    registry = json.loads((root / "categories.json").read_text(encoding="utf-8"))
    assert len(registry["categories"]) == result.categories
    # Each category's count equals the posts that carry its slug (external items aside).
    listed: dict[str, int] = {}
    for entry in registry["posts"].values():
        for slug in entry["slugs"]:
            listed[slug] = listed.get(slug, 0) + 1
    for category in registry["categories"]:
        assert listed.get(category["slug"], 0) <= category["count"]
        assert (root / "categories" / category["slug"] / "index.qmd").is_file()

    # The archive lists every post once, dated ones newest first.
    archive = (root / "archive/index.qmd").read_text(encoding="utf-8")
    dates = re.findall(r"^- (\d{4}-\d{2}-\d{2}) · ", archive, re.M)
    assert dates == sorted(dates, reverse=True)
    assert len(re.findall(r"^- ", archive, re.M)) == result.posts

    if registry["site-url"]:
        assert result.feeds == 3 * (1 + result.categories)
        for name in ("feeds/index.xml", "feeds/atom.xml"):
            feed = feedparser.parse((root / name).read_bytes())
            assert not feed.bozo, (name, feed.get("bozo_exception"))
            titled = sum(1 for e in registry["posts"].values() if e["title"])
            assert min(20, titled) <= len(feed.entries) <= 20
    else:
        assert result.feeds == 0

    again = build_blog(root, quiet=True)
    assert again.written == []
