"""collect_blog over every blog of the shared corpus, checked against a simple independent reader.

The expectations below come from a deliberately plain re-implementation (pathlib globs,
PyYAML's BaseLoader, strptime), not from nbpost's modules, so a bug in one is unlikely to be
repeated in the other.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from nbpost.blog.read.collect import collect_blog

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NBPOST_CORPUS", REPO / "../shared/corpus"))
DOC_SUFFIXES = {".qmd", ".md", ".ipynb"}

pytestmark = pytest.mark.corpus


def blog_roots() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(path.parent for path in CORPUS.rglob("_quarto.yml"))


def skipped(rel: Path) -> bool:
    folders, name = rel.parts[:-1], rel.name
    if any(p.startswith(("_", ".")) or p.endswith("_files") for p in folders):
        return True
    return name.startswith(("_", ".")) or name.endswith(".html.md")


def front_matter(path: Path) -> dict | None:
    """Front matter with every scalar a string (BaseLoader); None when unreadable."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None
    if path.suffix == ".ipynb":
        cells = json.loads(text)["cells"]
        sources = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c["cell_type"] in ("raw", "markdown")
        ]
        text = next((s for s in sources if s.startswith("---")), "")
    match = re.match(r"\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return {}
    try:
        data = yaml.load(match.group(1), Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else {}


def documents(root: Path) -> list[Path]:
    found = [
        p
        for p in root.rglob("*")
        if p.suffix in DOC_SUFFIXES and p.is_file() and not skipped(p.relative_to(root))
    ]
    texts = {p.with_suffix("") for p in found if p.suffix in (".qmd", ".md")}
    return [p for p in found if not (p.suffix == ".ipynb" and p.with_suffix("") in texts)]


def listed_posts(root: Path, docs: list[Path]) -> set[Path]:
    doc_set = set(docs)
    pages = []
    for doc in docs:
        fm = front_matter(doc) or {}
        listing = fm.get("listing")
        if isinstance(listing, dict):
            if "template" not in listing:  # custom-template galleries are not blog listings
                pages.append((doc, listing.get("contents")))
        elif listing not in (None, "false"):
            pages.append((doc, None))
    if not pages:
        return {d for d in docs if d.relative_to(root).parts[0] == "posts"}
    posts: set[Path] = set()
    for page, contents in pages:
        here = page.parent
        entries = contents if isinstance(contents, list) else [contents]
        take: set[Path] = set()
        drop: set[Path] = set()
        for entry in entries:
            if entry is None:
                take |= {d for d in doc_set if here in d.parents}
                continue
            if not isinstance(entry, str):
                continue
            target = drop if entry.startswith("!") else take
            pattern = entry.lstrip("!")
            base = root if pattern.startswith("/") else here
            # pathlib wants ** as a whole component; "**.qmd" under rglob is the same set.
            pattern = re.sub(r"\*\*(?=[^/])", "*", pattern.lstrip("/"))
            if (base / pattern).is_dir():
                target |= {d for d in doc_set if (base / pattern) in d.parents}
            elif "/" in pattern:
                target |= {p for p in base.glob(pattern) if p in doc_set}
            else:
                target |= {p for p in base.rglob(pattern) if p in doc_set}
        posts |= (take - drop) - {page}
    return posts


def is_draft(root: Path, doc: Path, fm: dict, website_drafts: set[str]) -> bool:
    if fm.get("draft") == "true" or doc.relative_to(root).as_posix() in website_drafts:
        return True
    for folder in doc.relative_to(root).parents:
        if folder == Path("."):
            continue
        meta = root / folder / "_metadata.yml"
        if meta.is_file() and (yaml.safe_load(meta.read_text()) or {}).get("draft") is True:
            return True
    return False


def expected_date(value: str | None, path: Path) -> dt.date | None:
    if not value:
        return None
    if value == "last-modified":
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).date()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def as_labels(value) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item).strip() for item in items if isinstance(item, str) and item.strip()]


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("root", blog_roots(), ids=lambda p: str(p.relative_to(CORPUS)))
def test_collect_matches_an_independent_reading(root: Path) -> None:
    quarto = yaml.safe_load((root / "_quarto.yml").read_text()) or {}
    website_drafts = set((quarto.get("website") or {}).get("drafts") or [])
    docs = documents(root)
    expected: dict[str, dict] = {}
    for doc in sorted(listed_posts(root, docs)):
        fm = front_matter(doc)
        if fm is None or is_draft(root, doc, fm, website_drafts):
            continue
        expected[doc.relative_to(root).as_posix()] = fm

    blog = collect_blog(root)
    assert blog.errors == []
    assert sorted(p.source for p in blog.posts) == sorted(expected)

    # Category counts: labels grouped by lower-cased, space-collapsed spelling.
    counts: Counter[str] = Counter()
    for fm in expected.values():
        counts.update(
            {" ".join(label.lower().split()) for label in as_labels(fm.get("categories"))}
        )
    assert {c.key: c.count for c in blog.categories} == dict(counts)
    assert sum(c.count for c in blog.categories) == sum(len(p.categories) for p in blog.posts)

    # Dates: the same day as strptime reads it, newest first, undated last.
    for post in blog.posts:
        want = expected_date(expected[post.source].get("date"), root / post.source)
        assert (post.date.date() if post.date else None) == want, post.source
    dated = [p.date for p in blog.posts if p.date is not None]
    assert dated == sorted(dated, reverse=True)
    assert all(p.date is None for p in blog.posts[len(dated) :])


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
def test_corpus_totals_are_plausible() -> None:
    blogs = [collect_blog(root) for root in blog_roots()]
    assert len(blogs) >= 12
    assert sum(len(b.posts) for b in blogs) > 500
    assert sum(len(b.categories) for b in blogs) > 300
