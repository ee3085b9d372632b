"""``archive/index.qmd``: every post by year, newest first, undated posts last."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable
from functools import lru_cache

from ...slugs import category_key
from ..model import Blog, Post
from .datefmt import format_date
from .escape import markdown_link_target, markdown_text
from .memo import RenderMemo, composed
from .outputpaths import Layout, relative_link
from .pages import GENERATED_NOTE, count_text, page_dir, post_link

UNDATED = "Undated"


def year_of(post: Post) -> str:
    """The heading a post goes under: its year, or ``Undated``."""
    return f"{post.date.year:04d}" if post.date is not None else UNDATED


@lru_cache(maxsize=4096)
def _label_text(label: str) -> str:
    return markdown_text(label)  # labels repeat on every post line: escape each once


@lru_cache(maxsize=32768)
def _title_text(title: str) -> str:
    return markdown_text(title) or "Untitled"  # the archive and POSTS.md both need it


def post_line(
    post: Post,
    from_dir: str,
    category_links: dict[str, str],
    fragments: dict[str, str] | None = None,
    shown_date: Callable[[dt.datetime], str] | None = None,
) -> str:
    """One list item: date, linked title, linked categories (all escaped).

    ``fragments`` (one per page and ``category_links``) keeps each label's Markdown link;
    ``shown_date`` formats the date (ISO ``YYYY-MM-DD`` without it).
    """
    if post.date is None:
        date = "undated"
    elif shown_date is None:
        date = post.date.date().isoformat()
    else:
        date = markdown_text(shown_date(post.date))
    target = markdown_link_target(post_link(post, from_dir))
    line = f"- {date} · [{_title_text(post.title)}]({target})"
    if not post.categories:
        return line + "\n"
    if fragments is None:
        fragments = {}
    links = []
    for label in post.categories:
        link = fragments.get(label)
        if link is None:
            page = category_links.get(label) or category_links.get(category_key(label))
            link = fragments[label] = f"[{_label_text(label)}]({page})" if page is not None else ""
        if link:
            links.append(link)
    if links:
        line += " · " + ", ".join(links)
    return line + "\n"


def category_link_map(blog: Blog, from_dir: str, layout: Layout) -> dict[str, str]:
    """Label and category_key -> Markdown link target of the category page from ``from_dir``."""
    links: dict[str, str] = {}
    for category in blog.categories:
        page = posixpath.normpath(f"{layout.output_dir}/{layout.category_page(category.slug)}")
        links[category.key] = links[category.label] = markdown_link_target(
            relative_link(from_dir, page)
        )
    return links


def label_links(blog: Blog, links: dict[str, str]) -> dict[str, str]:
    """Each category label shown and its link (``links`` also holds the keys, and a key can
    be another spelling of a label: only labels tell a post's line what to show)."""
    return {category.label: links[category.key] for category in blog.categories}


def render_archive(
    blog: Blog, layout: Layout, date_format: str | None = None, memo: RenderMemo | None = None
) -> bytes:
    """The archive page, in UTF-8; dates shown by ``date-format`` (``datefmt``, Quarto's rules);
    ``memo`` keeps each post's line for the next build (``render.memo``)."""
    from_dir = page_dir(layout, layout.archive_page)
    links = category_link_map(blog, from_dir, layout)
    language = blog.config.language

    @lru_cache(maxsize=4096)
    def shown(date: dt.datetime) -> str:
        return format_date(date, date_format, language)

    lines = [
        "---\n",
        f"# {GENERATED_NOTE}\n",
        'title: "Archive"\n',
        "---\n\n",
        f"{count_text(len(blog.posts))}, newest first.\n",
    ]
    fragments: dict[str, str] = {}

    def make(post: Post) -> str:
        return post_line(post, from_dir, links, fragments, shown)

    context = ("archive", from_dir, date_format, language)
    frame = ("".join(lines), "", "")
    by_label = label_links(blog, links)
    return composed(
        memo, "archive", context, by_label, blog.posts, make, frame, year_of, _year_heading
    )


def _year_heading(year: str) -> str:
    anchor = "undated" if year == UNDATED else f"year-{year}"
    return f"\n## {year} {{#{anchor}}}\n\n"
