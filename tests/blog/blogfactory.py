"""Build ``nbpost.blog.model.Blog`` objects directly, for output tests that need no collector."""

from __future__ import annotations

import datetime as dt
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
