"""``categories.json``: the registry the Quarto filter reads at render time (see REGISTRY.md).

UTF-8, 2-space indent, sorted keys, trailing newline; byte-identical for the same input.
Keys beyond the contract (``title``, ``feeds-built``, ``undated``...) are additions only.
"""

from __future__ import annotations

import unicodedata
from json.encoder import encode_basestring
from typing import Any

from ..slugs import category_key, slugify
from .dates import iso_format
from .escape import RawJSON, json_list, json_text
from .layout import Layout
from .marker import MARKER
from .model import Blog, Category, Post

REGISTRY_VERSION = 1


def _category_entry(category: Category, layout: Layout, feeds: bool) -> dict[str, Any]:
    return {
        "label": category.label,
        "slug": category.slug,
        "key": category.key,
        "count": category.count,
        "href": layout.category_href(category.slug),
        "feeds": layout.category_feed_hrefs(category.slug) if feeds else {},
        "description": category.description,
        "colour": category.colour,
        "aliases": list(category.aliases),
    }


def _post_entry(post: Post, slug_of: dict[str, str]) -> dict[str, Any]:
    return {
        "title": post.title,
        "categories": list(post.categories),
        "slugs": [slug_of.get(category_key(label)) or slugify(label) for label in post.categories],
        "date": iso_format(post.date, post.date_text) if post.date is not None else None,
        "href": post.href,
        "draft": post.draft,
    }


# Where a post entry sits in categories.json: {"posts": {"<source>": {...}}}.
_ENTRY_INDENT = "    "
_FIELD = ",\n" + _ENTRY_INDENT + "  "


def _post_json(post: Post, slug_of: dict[str, str], cache: dict[str, str]) -> RawJSON:
    """``_post_entry`` encoded as ``json_text`` would, with fields in sorted order.

    Ten thousand posts make most of the file; a template is several times faster than the
    generic encoder (the tests compare the file with the standard library's output).
    """
    date = iso_format(post.date, post.date_text) if post.date is not None else None
    slugs = [cache.get(label) or _slug(label, slug_of, cache) for label in post.categories]
    return RawJSON(
        "{\n" + _ENTRY_INDENT + '  "categories": '
        + json_list(post.categories, _ENTRY_INDENT + "  ")
        + _FIELD + '"date": ' + (encode_basestring(date) if date is not None else "null")
        + _FIELD + '"draft": ' + ("true" if post.draft else "false")
        + _FIELD + '"href": ' + encode_basestring(post.href)
        + _FIELD + '"slugs": ' + json_list(slugs, _ENTRY_INDENT + "  ")
        + _FIELD + '"title": ' + encode_basestring(post.title)
        + "\n" + _ENTRY_INDENT + "}"
    )  # fmt: skip


def _slug(label: str, slug_of: dict[str, str], cache: dict[str, str]) -> str:
    slug = cache[label] = slug_of.get(category_key(label)) or slugify(label)
    return slug


def label_map(categories: list[Category]) -> dict[str, str]:
    """category_key of every label, spelling and alias -> slug.

    Labels are NFC (``metadata.clean_text``); pandoc hands the Quarto filter a label as
    written, so each also gets its NFD key: a post that spells "Café" with a combining accent
    finds its category by the filter's plain lookup (the filter has no Unicode tables).
    """
    labels: dict[str, str] = {}
    for category in categories:
        for spelling in (category.label, *category.spellings, *category.aliases):
            labels.setdefault(category_key(spelling), category.slug)
            if not spelling.isascii():
                labels.setdefault(
                    category_key(unicodedata.normalize("NFD", spelling)), category.slug
                )
        labels[category.key] = category.slug
    return labels


def registry_data(
    blog: Blog, layout: Layout, feeds: bool, *, encoded: bool = False
) -> dict[str, Any]:
    """The registry as a JSON-ready mapping (``encoded``: post entries as ``RawJSON``)."""
    categories = sorted(blog.categories, key=lambda c: c.slug)
    labels = label_map(categories)
    cache: dict[str, str] = {}  # label as written -> slug
    posts = {
        post.source: _post_json(post, labels, cache) if encoded else _post_entry(post, labels)
        for post in blog.posts
        if not post.external  # inline listing items pointing elsewhere are never rendered
    }
    return {
        "version": REGISTRY_VERSION,
        "generator": "nbpost",
        "marker": MARKER,  # nbpost's mark: a fresh clone recognises the file (``marker``)
        "title": blog.config.title or None,
        "site-url": blog.config.site_url,
        "output-dir": layout.output_dir,
        "feeds-built": feeds,
        "feeds": layout.blog_feed_hrefs() if feeds else {},
        "pages": {
            "categories": layout.href("categories/"),
            "archive": layout.href("archive/"),
        },
        "categories": [_category_entry(c, layout, feeds) for c in categories],
        "labels": labels,
        "posts": posts,
    }


def render_registry(blog: Blog, layout: Layout, feeds: bool) -> str:
    """The text of ``categories.json``."""
    return json_text(registry_data(blog, layout, feeds, encoded=True))
