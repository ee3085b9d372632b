"""Quarto pages: one per category (a static listing of its posts) and the category index.

Pandoc reads YAML metadata strings as Markdown, so titles and descriptions are Markdown-escaped
before they are YAML-quoted; the list of posts is HTML that nbpost escapes itself
(``listinghtml``); links to other pages are relative to the page, so Quarto resolves them to
the rendered pages and copies the feed files it finds linked.
"""

from __future__ import annotations

import posixpath

from ..model import Blog, Category, Post
from . import marker
from .escape import html_attr, markdown_link_target, markdown_text, safe_colour, yaml_str
from .listinghtml import ListingHtml
from .outputpaths import FEED_FILES, Layout, relative_link

GENERATED_NOTE = marker.GENERATED_NOTE  # carries nbpost's mark (see ``marker``)
FEED_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
FEED_TYPES = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}


def count_text(count: int) -> str:
    """``1 post`` / ``N posts``."""
    return f"{count} post" if count == 1 else f"{count} posts"


def page_dir(layout: Layout, relative: str) -> str:
    """The folder of a generated file, relative to the project root."""
    return posixpath.dirname(posixpath.normpath(posixpath.join(layout.output_dir, relative)))


def post_link(post: Post, from_dir: str) -> str:
    """Link from a page folder (relative to the root) to a post: its source, or its URL."""
    if post.external:
        return post.href
    return relative_link(from_dir, post.source)


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


def _back_links(from_dir: str, home: str | None, categories: str | None) -> str:
    links = []
    if home:
        links.append(f"[All posts]({markdown_link_target(relative_link(from_dir, home))})")
    if categories:
        links.append(f"[All categories]({markdown_link_target(categories)})")
    return " · ".join(links) + "\n" if links else ""


def render_category_page(
    blog: Blog,
    category: Category,
    layout: Layout,
    feeds: bool,
    home: str | None,
    listing: ListingHtml,
) -> str:
    """``categories/<slug>/index.qmd``: label, description (in the title block only), count,
    feeds, every post of the category (``listinghtml``) and the way back."""
    from_dir = page_dir(layout, layout.category_page(category.slug))
    front = [
        "---\n",
        f"# {GENERATED_NOTE}\n",
        f"title: {yaml_str(markdown_text(category.label))}\n",
    ]
    if category.description:
        front.append(f"description: {yaml_str(markdown_text(category.description))}\n")
    front += [
        "nbpost-generated: true\n",
        "page-layout: full\n",
        _header_links(blog.config.title + ": " + category.label, feeds),
        "---\n\n",
    ]
    body = [
        f"**{count_text(category.count)}** in this category.",
        " " + _feed_links(feeds).strip() if feeds else "",
        "\n\n",
        listing.listing(category.posts, "nbpost-category"),
        "\n",
        _back_links(from_dir, home, "../index.qmd"),
    ]
    return "".join(front) + "".join(body)


def render_categories_index(blog: Blog, layout: Layout, feeds: bool, home: str | None) -> str:
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
    back = _back_links(from_dir, home, None)
    if back:
        lines.append("\n" + back)
    return "".join(lines)
