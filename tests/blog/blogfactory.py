"""Build ``nbpost.blog.model.Blog`` objects directly, for output tests that need no collector."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from nbpost.blog.model import Blog, BlogConfig, Category, Post
from nbpost.slugs import category_key, slugify

UTC = dt.timezone.utc


def make_post(
    source: str,
    title: str,
    date: dt.datetime | None = None,
    categories: Sequence[str] = (),
    *,
    description: str = "",
    authors: Sequence[str] = (),
    href: str | None = None,
    external: bool = False,
    date_modified: dt.datetime | None = None,
    image: str | None = None,
) -> Post:
    """A post as the collector would hand it over."""
    if href is None:
        folder = source.rsplit("/", 1)[0]
        href = (
            f"/{folder}/"
            if source.endswith(("/index.qmd", "/index.ipynb"))
            else ("/" + source.rsplit(".", 1)[0] + ".html")
        )
    return Post(
        source=source,
        href=href,
        title=title,
        description=description,
        authors=list(authors),
        date=date,
        date_text=date.date().isoformat() if date else None,
        categories=list(categories),
        raw_categories=list(categories),
        external=external,
        date_modified=date_modified,
        image=image,
    )


def make_blog(
    root: Path,
    posts: Sequence[Post],
    *,
    site_url: str | None = "https://example.org/blog",
    title: str = "Test blog",
    output_dir: str = ".",
    extra: dict[str, dict] | None = None,
    options: dict | None = None,
) -> Blog:
    """A blog over ``posts`` (sorted newest first, undated last) with categories derived."""
    ordered = sorted(
        posts, key=lambda p: (p.date is None, -(p.date.timestamp() if p.date else 0), p.source)
    )
    by_key: dict[str, Category] = {}
    for post in ordered:
        for label in post.categories:
            key = category_key(label)
            category = by_key.get(key)
            if category is None:
                info = (extra or {}).get(label, {})
                category = Category(
                    key=key,
                    label=label,
                    slug=info.get("slug", slugify(label)),
                    description=info.get("description"),
                    colour=info.get("colour"),
                    aliases=list(info.get("aliases", [])),
                )
                by_key[key] = category
            category.posts.append(post)
            category.spellings[label] = category.spellings.get(label, 0) + 1
    config = BlogConfig(
        root=str(root),
        title=title,
        description="A blog for tests",
        site_url=site_url,
        language="en",
        output_dir=output_dir,
        options=dict(options or {}),
    )
    categories = sorted(by_key.values(), key=lambda c: (c.label.casefold(), c.label))
    return Blog(config=config, posts=list(ordered), categories=categories)


def d(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    """An aware UTC datetime."""
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


# --- Blogs on disk, for tests that run the collector too -------------------------------------

QUARTO_YML = """\
project:
  type: website
website:
  title: "Test blog"
  site-url: https://example.com/
"""

LISTING_PAGE = """\
---
title: "Posts"
listing:
  contents: posts
  sort: "date desc"
  categories: true
---
"""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write files below root and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def post(title: str | None, date: str | None, categories: list[str] | None = None, **extra) -> str:
    """The text of a small .qmd post."""
    lines = ["---"]
    if title is not None:
        lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
    if date is not None:
        lines.append(f"date: {json.dumps(date)}")
    if categories is not None:
        lines.append(f"categories: {json.dumps(categories, ensure_ascii=False)}")
    for key, value in extra.items():
        lines.append(f"{key.replace('_', '-')}: {json.dumps(value, ensure_ascii=False)}")
    lines += ["---", "", "Some text for the first paragraph.", ""]
    return "\n".join(lines)


def notebook(front_matter: str) -> str:
    """The JSON of a small notebook whose front matter sits in a first raw cell."""
    block = ["---", *front_matter.strip("\n").split("\n"), "---"]
    cells = [
        {
            "cell_type": "raw",
            "metadata": {},
            "source": [line + "\n" for line in block[:-1]] + ["---"],
        },
        {"cell_type": "markdown", "metadata": {}, "source": ["Text."]},
    ]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"
