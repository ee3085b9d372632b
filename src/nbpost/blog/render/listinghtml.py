"""A category's posts as static HTML in the markup of Quarto's default listing.

nbpost's category pages are ordinary pages, not Quarto listings:

- Quarto's ``quarto.js`` links a post's category chips to a listing that contains the post,
  preferring the page the reader came from (``findAndActivateCategories``): were category
  pages listings, a chip on a post reached from ``/categories/python/`` would lead to that
  page filtered by another category. Pages that are not listings never appear in
  ``listings.json``.
- Quarto re-renders a listing page in a partial render only when a rendered file matches one
  of its ``contents`` globs relative to its own folder (``listingSupplementalFiles`` in
  ``website-listing.ts``), which posts outside ``categories/<slug>/`` never do. A page whose
  text holds every field it shows changes whenever one of them changes, so ``quarto
  preview`` (which renders any input file that changes) keeps it fresh.
- Quarto's listing template inserts item fields without escaping (lodash ``<%= %>``) and
  puts categories in a raw HTML block; here every value is HTML-escaped by nbpost.

The markup reuses Quarto's class names (``quarto-post``, ``listing-title``...): the
``quarto-listing.css`` rules are part of every page's Bootstrap bundle
(``listingSassBundle`` in ``website-listing.ts``), so the page looks like the blog's own
default listing. Links and images are project-rooted (``/posts/a/index.html``); Quarto makes
them relative to the page (``resolveResourceRefs`` in ``website-resources.ts``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..model import Post
from .datefmt import format_date
from .escape import html_attr

# What html_attr changes: a value without any of these (most titles, every date) is already
# escaped, so the common case skips eight replacements and a regex (measured: a fifth of a
# 10,000-post build's rendering time went to escaping the lists otherwise).
_NEEDS_ESCAPE = re.compile(r"[&<>\"'{}@]|[^\S ]|  |^ | $")  # [^\S ]: whitespace but a space


def html_text(text: str) -> str:
    """``html_attr`` of a value (element text or a double-quoted attribute), quicker."""
    return html_attr(text) if _NEEDS_ESCAPE.search(text) else text


def page_href(href: str) -> str:
    """The ``.html`` file of a page href (``/posts/a/`` -> ``/posts/a/index.html``)."""
    return href + "index.html" if href.endswith("/") else href


class ListingHtml:
    """Each post's listing item, rendered once and shared by every category page it is on."""

    def __init__(
        self,
        category_hrefs: dict[str, str],
        date_format: str | None,
        language: str | None,
    ):
        self.category_hrefs = category_hrefs  # canonical label -> category page href
        self.date_format = date_format
        self.language = language
        self.items: dict[int, str] = {}
        self.chips: dict[str, str] = {}  # label -> its chip (labels recur across posts)
        self.shown_date = lru_cache(maxsize=8192)(self._shown_date)

    def _shown_date(self, value: dt.datetime) -> str:
        return html_text(format_date(value, self.date_format, self.language))

    def _chip(self, label: str) -> str:
        chip = self.chips.get(label)
        if chip is None:
            href = self.category_hrefs.get(label)
            chip = self.chips[label] = (
                f'<a class="listing-category" href="{html_text(page_href(href))}">'
                f"{html_text(label)}</a>"
                if href is not None
                else ""
            )
        return chip

    def item(self, post: Post) -> str:
        """One post's ``div.quarto-post`` (the same on every page)."""
        cached = self.items.get(id(post))
        if cached is None:
            cached = self.items[id(post)] = self._item(post)
        return cached

    def _item(self, post: Post) -> str:
        href = html_text(post.href if post.external else page_href(post.href))
        opening = f'<a href="{href}" class="no-external">'
        parts = ['<div class="quarto-post image-right">']
        if post.image:
            parts.append(
                f'<div class="thumbnail">{opening}<p class="card-img-top"><img loading="lazy" '
                f'src="{html_text(post.image)}" alt="" class="thumbnail-image card-img"></p>'
                "</a></div>"
            )
        title = html_text(post.title) or "Untitled"
        parts.append(
            f'<div class="body"><h3 class="no-anchor listing-title">{opening}{title}</a></h3>'
        )
        chips = "".join(self._chip(label) for label in post.categories)
        if chips:
            parts.append(f'<div class="listing-categories">{chips}</div>')
        if post.description:  # not a link (Quarto's is): a fifth smaller, the same to read
            parts.append(f'<div class="listing-description">{html_text(post.description)}</div>')
        parts.append('</div><div class="metadata">')
        meta = ""
        if post.date is not None:
            meta = f'<div class="listing-date">{self.shown_date(post.date)}</div>'
        if post.authors:
            meta += f'<div class="listing-author">{html_text(", ".join(post.authors))}</div>'
        parts.append(meta)
        parts.append("</div></div>")
        return "".join(parts)

    def listing(self, posts: list[Post], listing_id: str) -> str:
        """The whole listing as a raw HTML block of a Quarto page."""
        items = "\n".join(self.item(post) for post in posts)
        return (
            "```{=html}\n"
            f'<div id="listing-{listing_id}" class="quarto-listing '
            'quarto-listing-container-default">\n<div class="list quarto-listing-default">\n'
            f"{items}\n</div>\n</div>\n```\n"
        )
