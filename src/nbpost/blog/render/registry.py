"""``categories.json``: the registry the Quarto filter reads at render time (docs/blog-outputs.md).

UTF-8, 2-space indent, sorted keys, trailing newline; byte-identical for the same input.
Keys beyond the contract (``title``, ``feeds-built``, ``undated``...) are additions only.

``href`` values are project-rooted (``/categories/r/``): Quarto makes such links relative to
each page (``resolveResourceRefs``, ``website-resources.ts``), so a site served under a path
(``site-url: https://example.org/blog``) works, and a ``/blog`` in them would be doubled.
``url`` and ``feed-urls`` are the absolute addresses (site-url with its path), for places
nobody rewrites: feeds, JSON-LD, Markdown outputs, pages rendered by plain pandoc.
"""

from __future__ import annotations

import unicodedata
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any

from ...slugs import category_key, slugify
from ..model import Blog, Category, Post
from ..read.dates import iso_format
from .escape import (
    RawJSON,
    absolute_url,
    json_list,
    json_members_frame,
    json_raw_members,
    json_text,
)
from .marker import MARKER
from .memo import RenderMemo, composed, value_bytes
from .outputpaths import Layout

REGISTRY_VERSION = 1


def _absolute(site_url: str | None, hrefs: dict[str, str]) -> dict[str, str]:
    return {kind: absolute_url(site_url, href) for kind, href in hrefs.items()} if site_url else {}


def _category_entry(
    category: Category, layout: Layout, feeds: bool, site_url: str | None
) -> dict[str, Any]:
    href = layout.category_href(category.slug)
    feed_hrefs = layout.category_feed_hrefs(category.slug) if feeds else {}
    return {
        "label": category.label,
        "slug": category.slug,
        "key": category.key,
        "count": category.count,
        "href": href,
        "url": absolute_url(site_url, href) if site_url else None,
        "feeds": feed_hrefs,
        "feed-urls": _absolute(site_url, feed_hrefs),
        "description": category.description,
        "colour": category.colour,
        "aliases": list(category.aliases),
    }


def site_path(site_url: str | None) -> str:
    """The path the site is served under (``/blog/`` for ``https://example.org/blog``)."""
    from urllib.parse import urlsplit

    path = urlsplit(site_url).path if site_url else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


# Where a post entry sits in categories.json: {"posts": {"<source>": {...}}}.
_ENTRY_INDENT = "    "
_POSTS_MARK = RawJSON("\0posts\0")
_FIELD = ",\n" + _ENTRY_INDENT + "  "


def _post_json(post: Post, slug_of: dict[str, str], cache: dict[str, str]) -> RawJSON:
    """A post's entry in ``categories.json`` (title, categories, their slugs, date, href,
    draft), encoded as ``json_text`` would, fields in sorted order: the one place they are
    written.

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


def _categories_part(
    categories: list[Category],
    layout: Layout,
    feeds: bool,
    site_url: str | None,
    memo: RenderMemo | None,
) -> tuple[dict[str, str], list[dict[str, Any]], bytes]:
    """The registry's label map and category entries, and a digest of what they are made
    from; kept from the full build (``memo``) while that is the same: an edit seldom changes a
    category's label, slug, count or spellings, and 381 entries and 800 labels took 4 ms."""
    made_from = value_bytes((
        layout.output_dir, layout.registry, feeds, site_url,
        [(c.key, c.label, c.slug, c.count, c.description, c.colour, c.aliases, [*c.spellings])
         for c in categories],
    ))  # fmt: skip

    def make() -> tuple[dict[str, str], list[dict[str, Any]]]:
        entries = [_category_entry(c, layout, feeds, site_url) for c in categories]
        return label_map(categories), entries

    if memo is None:
        labels, entries = make()
    else:
        labels, entries = memo.whole("registry", "categories", made_from, (), make)
    return labels, entries, made_from


def registry_data(
    blog: Blog,
    layout: Layout,
    feeds: bool,
    *,
    home: str | None = None,
    memo: RenderMemo | None = None,
) -> tuple[dict[str, Any], bytes, bytes]:
    """The registry as a JSON-ready mapping whose ``posts`` member is a mark, that member as
    ``json_text`` writes it, in UTF-8, and a digest of everything but the posts (the frame's
    context); ``memo`` keeps each post's entry and the categories' part (``render.memo``)."""
    categories = sorted(blog.categories, key=lambda c: c.slug)
    site_url = blog.config.site_url
    labels, entries, made_from = _categories_part(categories, layout, feeds, site_url, memo)
    cache: dict[str, str] = {}  # label as written -> slug

    def make(post: Post) -> str:
        # The member line of the "posts" object, kept as plain text (it loads faster).
        return f"{_ENTRY_INDENT}{encode_basestring(post.source)}: {_post_json(post, labels, cache)}"

    # Inline listing items pointing elsewhere are never rendered: no entry. Members go in
    # key order (json_text's), so the posts are taken in that order.
    listed = sorted((post for post in blog.posts if not post.external), key=attrgetter("source"))
    # A post's entry shows its labels' slugs (``_post_json``), and nothing else of the rest.
    slugs = {category.label: category.slug for category in categories}
    members = composed(memo, "registry", "registry", slugs, listed, make, json_members_frame("  "))
    posts = members if listed else json_raw_members([], "  ").encode("utf-8")
    data = {
        "version": REGISTRY_VERSION,
        "generator": "nbpost",
        "marker": MARKER,  # nbpost's mark: a fresh clone recognises the file (``marker``)
        "title": blog.config.title or None,
        "site-url": blog.config.site_url,
        "output-dir": layout.output_dir,
        "site-path": site_path(blog.config.site_url),
        "feeds-built": feeds,
        "feeds": layout.blog_feed_hrefs() if feeds else {},
        "feed-urls": _absolute(blog.config.site_url, layout.blog_feed_hrefs()) if feeds else {},
        "pages": {
            "categories": layout.href("categories/"),
            "archive": layout.href("archive/"),
            "blog": page_path(home) if home else None,
        },
        "listing-pages": list(blog.config.listing_pages),
        "categories": entries,
        "labels": labels,
        "posts": _POSTS_MARK,  # ten thousand entries, each encoded once: put in after
    }
    # Everything but the posts: the settings above, and what the categories' part is made of.
    settings = {k: v for k, v in data.items() if k not in ("categories", "labels", "posts")}
    return data, posts, value_bytes(settings) + made_from


def page_path(source: str) -> str:
    """The project-rooted output path of a page (``blog.qmd`` -> ``/blog.html``)."""
    stem = source.rsplit(".", 1)[0]
    folder, _, name = stem.rpartition("/")
    return (
        f"/{folder}/" if name == "index" and folder else "/" if name == "index" else f"/{stem}.html"
    )


def render_registry(
    blog: Blog,
    layout: Layout,
    feeds: bool,
    home: str | None = None,
    memo: RenderMemo | None = None,
) -> bytes:
    """``categories.json``, in UTF-8."""
    data, posts, context = registry_data(blog, layout, feeds, home=home, memo=memo)
    # Everything but the posts (settings, ~400 categories, ~800 labels) rarely changes with
    # an edit: its text is kept, with a mark where the posts go. The mark holds NUL, which
    # json_text escapes in every string, so it cannot occur in the text otherwise.
    if memo is None:
        frame = json_text(data)
    else:
        frame = memo.whole("registry", "frame", context, (), lambda: json_text(data))
    before, _, after = frame.partition(_POSTS_MARK)
    return before.encode("utf-8") + posts + after.encode("utf-8")
