"""Quarto pages: one per category (with the items file its listing reads) and the category index.

Pandoc reads YAML metadata strings as Markdown, so titles and descriptions are Markdown-escaped
before they are YAML-quoted; links are relative to the page, so Quarto resolves them to the
rendered pages and copies the feed files it finds linked.
"""

from __future__ import annotations

import posixpath
import re

from . import marker
from .dates import iso_format
from .escape import (
    MARKDOWN_SPECIAL,
    html_attr,
    markdown_link_target,
    markdown_text,
    one_line,
    safe_colour,
    yaml_str,
)
from .layout import FEED_FILES, Layout, relative_link
from .model import Blog, Category, Post

GENERATED_NOTE = marker.GENERATED_NOTE  # carries nbpost's mark (see ``marker``)
# Quarto reads these listing items' documents itself (website-listing-read.ts); any other item
# (notebooks, external links) must carry its own fields.
DOCUMENT_SUFFIXES = (".qmd", ".md", ".rmd", ".Rmd")
FEED_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
# Listing item fields are HTML-escaped by Quarto's EJS templates and then read as Markdown:
# escape the Markdown punctuation here and leave & < > " ' to the template.
_LISTING_SPECIAL = re.compile(
    "([" + re.escape("".join(c for c in MARKDOWN_SPECIAL if c not in "&<>\"'")) + "])"
)


def count_text(count: int) -> str:
    """``1 post`` / ``N posts``."""
    return f"{count} post" if count == 1 else f"{count} posts"


def listing_text(text: str) -> str:
    """Escape a value for a Quarto listing item field (see ``_LISTING_SPECIAL``)."""
    return _LISTING_SPECIAL.sub(r"\\\1", one_line(text))


def page_dir(layout: Layout, relative: str) -> str:
    """The folder of a generated file, relative to the project root."""
    return posixpath.dirname(posixpath.normpath(posixpath.join(layout.output_dir, relative)))


def post_link(post: Post, from_dir: str) -> str:
    """Link from a page folder (relative to the root) to a post: its source, or its URL."""
    if post.external:
        return post.href
    return relative_link(from_dir, post.source)


def _yaml_list(values: list[str], indent: str) -> str:
    if not values:
        return " []\n"
    return "\n" + "".join(f"{indent}- {yaml_str(v)}\n" for v in values)


def _listing_item(post: Post, from_dir: str) -> str:
    path = post_link(post, from_dir)
    if not post.external and post.source.endswith(DOCUMENT_SUFFIXES):
        return f"- path: {yaml_str(path)}\n"
    # Notebooks and external items: Quarto does not read them, so the item carries the fields.
    lines = [f"- path: {yaml_str(post.href if not post.external else path)}\n"]
    lines.append(f"  title: {yaml_str(listing_text(post.title))}\n")
    if post.date is not None:
        lines.append(f"  date: {yaml_str(iso_format(post.date, post.date_text))}\n")
    if post.authors:
        lines.append("  author:" + _yaml_list([listing_text(a) for a in post.authors], "    "))
    if post.categories:
        lines.append(
            "  categories:" + _yaml_list([listing_text(c) for c in post.categories], "    ")
        )
    if post.description:
        lines.append(f"  description: {yaml_str(listing_text(post.description))}\n")
    if post.image:
        lines.append(f"  image: {yaml_str(post.image)}\n")
    return "".join(lines)


def render_items_file(
    category: Category, layout: Layout, cache: dict[tuple[int, str], str] | None = None
) -> str:
    """``categories/<slug>/posts.yml``: the listing's items, newest first.

    ``cache`` (shared across categories) keeps each post's item text: every category folder
    sits at the same depth, so a post's item is the same in all of them unless the post lives
    inside that very folder, which is why the key also holds the folder's parent.
    """
    from_dir = page_dir(layout, layout.category_items(category.slug))
    parent = posixpath.dirname(from_dir)
    pieces = []
    inside = from_dir + "/"
    for post in category.posts:
        if cache is not None and not post.source.startswith(inside):
            key = (id(post), parent)
            item = cache.get(key)
            if item is None:
                item = cache[key] = _listing_item(post, from_dir)
        else:  # a post inside this very folder links to itself differently
            item = _listing_item(post, from_dir)
        pieces.append(item)
    return f"# {GENERATED_NOTE}\n" + ("".join(pieces) or "[]\n")


def _feed_links(feeds: bool, prefix: str = "") -> str:
    if not feeds:
        return ""
    links = " · ".join(f"[{FEED_NAMES[kind]}]({prefix}{name})" for kind, name in FEED_FILES.items())
    return f"Feeds: {links}\n\n"


def _header_links(title: str, feeds: bool) -> str:
    if not feeds:
        return ""
    tags = "".join(
        f'<link rel="alternate" type="{FEED_TYPES[kind]}" title="{html_attr(title)} '
        f'({FEED_NAMES[kind]})" href="{name}">'
        for kind, name in FEED_FILES.items()
    )
    return f"include-in-header:\n  - text: {yaml_str(tags)}\n"


def render_category_page(
    blog: Blog, category: Category, layout: Layout, feeds: bool, home: str
) -> str:
    """``categories/<slug>/index.qmd``: label, description, count, listing, feeds, way back."""
    from_dir = page_dir(layout, layout.category_page(category.slug))
    title = markdown_text(category.label)
    front = [
        "---\n",
        f"# {GENERATED_NOTE}\n",
        f"title: {yaml_str(title)}\n",
    ]
    if category.description:
        front.append(f"description: {yaml_str(markdown_text(category.description))}\n")
    front += [
        "listing:\n",
        "  id: nbpost-category\n",
        f"  contents: {yaml_str('posts.yml')}\n",
        '  sort: "date desc"\n',
        "  type: default\n",
        "  categories: false\n",
        "  feed: false\n",
        "page-layout: full\n",
        _header_links(blog.config.title + ": " + category.label, feeds),
        "---\n\n",
    ]
    body = []
    if category.description:
        body.append(markdown_text(category.description) + "\n\n")
    body.append(f"**{count_text(category.count)}** in this category.\n\n")
    body.append(_feed_links(feeds))
    back = markdown_link_target(relative_link(from_dir, home))
    body.append(f"[All posts]({back}) · [All categories](../index.qmd)\n")
    return "".join(front) + "".join(body)


def render_categories_index(blog: Blog, layout: Layout, feeds: bool, home: str) -> str:
    """``categories/index.qmd``: every category with its count, description and colour."""
    from_dir = page_dir(layout, layout.categories_index)
    lines = [
        "---\n",
        f"# {GENERATED_NOTE}\n",
        'title: "Categories"\n',
        "---\n\n",
        f"{len(blog.categories)} categories across {count_text(len(blog.posts))}.\n\n",
    ]
    if feeds:
        lines.append(_feed_links(True, "../feeds/").replace("Feeds:", "Feeds of all posts:"))
    for category in blog.categories:
        target = markdown_link_target(f"{category.slug}/index.qmd")
        line = f"- [{markdown_text(category.label)}]({target}) ({category.count})"
        colour = safe_colour(category.colour)
        if colour:
            line = f'- <span style="color: {colour}" aria-hidden="true">●</span> ' + line[2:]
        if category.description:
            line += " — " + markdown_text(category.description)
        lines.append(line + "\n")
    back = markdown_link_target(relative_link(from_dir, home))
    lines.append(f"\n[All posts]({back})\n")
    return "".join(lines)
