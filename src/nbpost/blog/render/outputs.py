"""Every output of a collected blog as ``{path: text}``: the one call a build makes to render.

``render_outputs`` loads the page, feed, archive, registry and index renderers when it runs,
not when this module is imported: a build where nothing changed imports this module (for
``layout_for`` and ``checked_categories``) but never renders.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import Any

from ...errors import ERROR, WARNING, NbpostError, Problem
from ...project.paths import check_name
from ..model import Blog, Category
from .escape import safe_colour
from .feeds import (
    DEFAULT_FEED_ITEMS,
    EPOCH,
    ItemCache,
    blog_feed_spec,
    category_feed_spec,
    render_feeds,
)
from .memo import RenderMemo
from .outputpaths import (
    DEFAULT_REGISTRY,
    FEED_FILES,
    Layout,
    category_group,
    normalise_output_dir,
)
from .pagesettings import page_date_format


def feed_limit(options: dict[str, Any]) -> int | None:
    """``nbpost: feed-items`` (default 20 like Quarto; 0 or null means every post).

    ``project.config`` has checked the value; a number larger than any blog (``10**23``) means all.
    """
    value = options.get("feed-items", DEFAULT_FEED_ITEMS)
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NbpostError(f"nbpost.feed-items must be a whole number >= 0, not {value!r}")
    return min(value, sys.maxsize) or None


def checked_categories(blog: Blog, problems: list[Problem]) -> list[Category]:
    """Categories with a safe, unique slug; unsafe colours dropped with a warning."""
    seen: dict[str, str] = {}
    checked: list[Category] = []
    for category in blog.categories:
        try:
            check_name(category.slug, what="category slug")
        except NbpostError as exc:
            message = f"{exc.message}; no page or feed written"
            problems.append(Problem(ERROR, repr(category.label), None, message))
            continue
        folded = category.slug.lower()  # one folder on case-insensitive file systems
        if folded in seen:
            problems.append(
                Problem(
                    ERROR,
                    None,
                    None,
                    f"categories {seen[folded]!r} and {category.label!r} share the slug "
                    f"{category.slug!r}; only the first gets a page",
                )
            )
            continue
        seen[folded] = category.label
        colour = safe_colour(category.colour)
        if category.colour is not None and colour is None:
            problems.append(
                Problem(
                    WARNING,
                    f"category {category.label!r}",
                    None,
                    f"colour {category.colour!r} is not a hex colour or a colour name; ignored",
                )
            )
            category = dataclasses.replace(category, colour=None)
        checked.append(category)
    return checked


def render_outputs(
    blog: Blog,
    layout: Layout,
    home: str | None,
    keep: AbstractSet[str] = frozenset(),
    groups: dict[str, list[str]] | None = None,
    memo: RenderMemo | None = None,
) -> dict[str, Any]:
    """Every output as ``{path relative to the output folder: text or bytes}``.

    The outputs of the categories whose group is in ``keep`` (``manifest.reusable_groups``)
    are left out: the files the last build wrote for them stand. ``groups`` receives, for
    every category rendered, its group name and the paths of its outputs. ``memo`` keeps the
    per-post pieces of the outputs that list every post (``render.memo``).
    """
    # Imported here, not at the top: a build where nothing changed never loads the renderers.
    from .archive import render_archive
    from .listinghtml import ListingHtml
    from .mdindex import render_markdown_index
    from .pages import render_categories_index, render_category_page
    from .registry import render_registry

    options = blog.config.options or {}
    feeds = bool(blog.config.site_url)
    outputs: dict[str, Any] = {}
    hrefs = {c.label: layout.category_href(c.slug) for c in blog.categories}
    listing = ListingHtml(hrefs, page_date_format(blog), blog.config.language)
    for category in blog.categories:
        if category_group(category.slug) in keep:
            continue
        page = layout.category_page(category.slug)
        outputs[page] = render_category_page(blog, category, layout, feeds, home, listing)
        if groups is not None:
            groups[category_group(category.slug)] = [page]
    outputs[layout.categories_index] = render_categories_index(blog, layout, feeds, home)
    outputs[layout.archive_page] = render_archive(blog, layout, page_date_format(blog), memo)
    outputs[layout.markdown_index] = render_markdown_index(blog, layout, memo)
    outputs[layout.registry] = render_registry(blog, layout, feeds, home, memo)
    if feeds:
        outputs.update(_render_all_feeds(blog, layout, feed_limit(options), keep, groups))
    return outputs


def feed_count(blog: Blog) -> int:
    """How many feed files a build of the blog generates (none without ``site-url``)."""
    return len(FEED_FILES) * (1 + len(blog.categories)) if blog.config.site_url else 0


def _render_all_feeds(
    blog: Blog,
    layout: Layout,
    limit: int | None,
    keep: AbstractSet[str],
    groups: dict[str, list[str]] | None,
) -> dict[str, Any]:
    """The feeds of the blog and of each category not in ``keep``."""

    outputs: dict[str, Any] = {}
    fallback = blog.newest or EPOCH  # Atom `updated` of undated entries
    items = ItemCache(blog.config.site_url or "", fallback)
    spec = blog_feed_spec(blog, layout.blog_feed_hrefs(), limit, fallback)
    for kind, data in render_feeds(spec, items).items():
        outputs[layout.blog_feed(kind)] = data
    for category in blog.categories:
        if category_group(category.slug) in keep:
            continue
        spec = category_feed_spec(
            blog,
            category,
            layout.category_href(category.slug),
            layout.category_feed_hrefs(category.slug),
            limit,
            fallback,
        )
        for kind, data in render_feeds(spec, items).items():
            path = layout.category_feed(category.slug, kind)
            outputs[path] = data
            if groups is not None:
                groups.setdefault(category_group(category.slug), []).append(path)
    return outputs


def layout_for(blog: Blog) -> Layout:
    """The output layout the blog's ``nbpost:`` options ask for."""
    options = blog.config.options or {}
    registry = options.get("registry", DEFAULT_REGISTRY)
    if not isinstance(registry, str) or not registry.strip():
        raise NbpostError(f"nbpost.registry must be a file name, not {registry!r}")
    registry = normalise_output_dir(registry)
    return Layout(output_dir=normalise_output_dir(blog.config.output_dir), registry=registry)


def no_feeds_warning(blog: Blog, root: Path) -> list[Problem]:
    """The warning that no feeds were built, when ``site-url`` is missing."""
    if blog.config.site_url:
        return []
    message = (
        "no website.site-url, so no feeds were built "
        "(feeds need absolute links); set website.site-url to get them"
    )
    return [Problem(WARNING, str(root / "_quarto.yml"), None, message)]
