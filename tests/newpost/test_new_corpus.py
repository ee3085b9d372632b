"""``nbpost new`` on copies of the corpus blogs: each one's layout, date format and author.

The expectations were read off each blog's own newest posts (paths, ``date:`` lines and
``author:`` lines as written in ``../shared/corpus``), not from nbpost's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nbpost.frontmatter import split

pytestmark = pytest.mark.corpus

DATE = "2026-03-04"

# blog -> (new post's path, its date line, its author line or None when none is written)
EXPECTED = {
    # posts/<slug>/index.qmd, date: "2023-12-05", author: "Aadyant Khatri" in every post
    "Aadyant12__ML-blog": (
        "posts/a-new-post/index.qmd",
        'date: "2026-03-04"',
        "author: Aadyant Khatri",
    ),
    # posts/<slug>/index.ipynb (notebook posts), author in _quarto.yml and repeated in posts
    "An65011065__ML-Blogs": ("posts/a-new-post/index.ipynb", None, "author: Anweshan Adhikari"),
    # posts/20250307_what_is_mcp/index.qmd: yyyymmdd_ prefix, words joined by "_"; date: 2025-03-07
    "DayuanJiang__japanese_blog": ("posts/20260304_a_new_post/index.qmd", "date: 2026-03-04", None),
    # post/<slug>/index.qmd (the newest posts; older ones are index.md); date: '2026-08-05'
    "EmilHvitfeldt__emilhvitfeldt.com": ("post/a-new-post/index.qmd", "date: '2026-03-04'", None),
    # posts/<folder>/<name>.qmd; date: "9/9/2025" (month first, unpadded)
    "JuliaHealth__juliahealth.github.io/JuliaHealthBlog": (
        "posts/a-new-post/a-new-post.qmd",
        'date: "3/4/2026"',
        "author: Kosuri Lakshmi Indu",
    ),
    # posts/2026-03-05-vibe-working/index.ipynb
    "chrwittm__chrwittm.github.io": (
        "posts/2026-03-04-a-new-post/index.ipynb",
        None,
        "author: Christian Wittmann",
    ),
    # blog/2023-10-21.qmd, blog/2023-03-12.qmd: flat, named by the date alone, in blog/
    "cscheid__cscheid-quarto-website": ("blog/2026-03-04.qmd", "date: 2026-03-04", None),
    # posts/31-hello-quarto/index.qmd: a numbered series; the author comes from _quarto.yml
    "mine-cetinkaya-rundel__quarto-tip-a-day": (
        "posts/32-a-new-post/index.qmd",
        'date: "2026-03-04"',
        None,
    ),
    # posts/2026-08-07_coming-from-ggplot2/index.qmd; author as a list of name/orcid
    "schochastics__quarto-blog": (
        "posts/2026-03-04_a-new-post/index.qmd",
        "date: '2026-03-04'",
        "author:",
    ),
    # posts/2026-06-28-cleaning-isaf-dataset-rigour.md: flat .md files
    "strickvl__mlops-dot-systems": (
        "posts/2026-03-04-a-new-post.md",
        'date: "2026-03-04"',
        "author: Alex Strick van Linschoten",
    ),
}


def _copy(corpus_dir: Path, blog: str, tmp_path: Path) -> Path:
    top = blog.split("/")[0]
    shutil.copytree(corpus_dir / top, tmp_path / top)
    return tmp_path / blog


@pytest.mark.parametrize("blog", sorted(EXPECTED))
def test_new_follows_each_corpus_blogs_layout_date_format_and_author(
    blog: str, corpus_dir: Path, tmp_path: Path, run_cli
) -> None:
    root = _copy(corpus_dir, blog, tmp_path)
    path, date_line, author_line = EXPECTED[blog]
    result = run_cli("new", "A new post", str(root), "--date", DATE)
    assert result.status == 0, result.err
    assert result.out.strip().splitlines()[-1] == str(root / path)
    created = root / path
    assert created.is_file()
    if created.suffix == ".ipynb":
        import json

        first = json.loads(created.read_text("utf-8"))["cells"][0]
        text = "".join(first["source"]) + "\n"
    else:
        text = created.read_text("utf-8")
    block, meta, _ = split(text)
    assert block is not None and meta["title"] == "A new post" and meta["draft"] is True
    lines = block.splitlines()
    if date_line is not None:
        assert date_line in lines
    if author_line is None:
        assert not any(line.startswith("author:") for line in lines)
    else:
        assert author_line in lines


def test_schochastics_author_keeps_its_structure(corpus_dir: Path, tmp_path: Path, run_cli):
    root = _copy(corpus_dir, "schochastics__quarto-blog", tmp_path)
    result = run_cli("new", "Structured", str(root), "--date", DATE)
    _, meta, _ = split(Path(result.out.strip()).read_text("utf-8"))
    assert meta["author"][0]["name"] == "David Schoch"
    assert meta["author"][0]["orcid"] == "0000-0003-2952-4812"


def test_new_post_is_built_into_the_corpus_blog(corpus_dir: Path, tmp_path: Path, run_cli):
    """A published new post with a hostile title is in the build's feed, title intact."""
    import feedparser

    from nbpost.blog.build import build_blog

    root = _copy(corpus_dir, "chrwittm__chrwittm.github.io", tmp_path)
    (root / "_quarto.yml").write_text(
        (root / "_quarto.yml").read_text("utf-8") + "\nnbpost:\n  site-url: https://example.org\n",
        "utf-8",
    )
    title = 'Yes: "quoted" #1 - [x] ü'
    result = run_cli("new", title, str(root), "--date", "2027-01-02", "--publish", "-c", "python")
    assert result.status == 0, result.err
    build_blog(root, quiet=True)
    feeds = list((root / "feeds").rglob("*.xml")) if (root / "feeds").is_dir() else []
    assert feeds, sorted(p.name for p in root.iterdir())
    entries = [entry.title for feed in feeds for entry in feedparser.parse(str(feed)).entries]
    assert title in entries
