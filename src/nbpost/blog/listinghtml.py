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

from .datefmt import format_date
from .escape import html_attr
from .model import Post


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

    def item(self, post: Post) -> str:
        """One post's ``div.quarto-post`` (the same on every page)."""
        cached = self.items.get(id(post))
        if cached is None:
            cached = self.items[id(post)] = self._item(post)
        return cached

    def _link(self, post: Post, inner: str, css: str = "no-external") -> str:
        href = post.href if post.external else page_href(post.href)
        return f'<a href="{html_attr(href)}" class="{css}">{inner}</a>'

    def _item(self, post: Post) -> str:
        parts = ['<div class="quarto-post image-right">']
        if post.image:
            image = (
                '<p class="card-img-top"><img loading="lazy" '
                f'src="{html_attr(post.image)}" alt="" class="thumbnail-image card-img"></p>'
            )
            parts.append(f'<div class="thumbnail">{self._link(post, image)}</div>')
        parts.append('<div class="body">')
        title = html_attr(post.title) or "Untitled"
        parts.append(f'<h3 class="no-anchor listing-title">{self._link(post, title)}</h3>')
        chips = [
            f'<a class="listing-category" href="{html_attr(page_href(href))}">'
            f"{html_attr(label)}</a>"
            for label in post.categories
            if (href := self.category_hrefs.get(label)) is not None
        ]
        if chips:
            parts.append('<div class="listing-categories">' + "".join(chips) + "</div>")
        if post.description:
            description = self._link(post, html_attr(post.description))
            parts.append(f'<div class="delink listing-description">{description}</div>')
        parts.append('</div><div class="metadata">')
        meta = []
        if post.date is not None:
            shown = format_date(post.date, self.date_format, self.language)
            meta.append(f'<div class="listing-date">{html_attr(shown)}</div>')
        if post.authors:
            names = html_attr(", ".join(post.authors))
            meta.append(f'<div class="listing-author">{names}</div>')
        if meta:
            parts.append(self._link(post, "".join(meta)))
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
