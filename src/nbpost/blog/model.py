"""What the collector hands to the output writers: posts, categories and the blog's settings.

Plain data, no I/O. ``nbpost.blog.read.collect`` builds a ``Blog``; each output module
(``pages``, ``feeds``, ``registry``, ``mdindex``...) turns it into files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import ERROR, WARNING, Problem, lines_of


@dataclass
class Post:
    """A post as listings see it: ``_quarto.yml`` < ``_metadata.yml`` < front matter, merged."""

    source: str  # path of the input file relative to the blog root, POSIX separators
    href: str  # site-absolute URL path of the rendered page, e.g. "/posts/2024-a/" or "/x.html"
    title: str
    description: str  # plain text (front matter description, else first paragraph, cut)
    authors: list[str]
    date: dt.datetime | None  # timezone-aware; None when undated or unparseable
    date_text: str | None  # the date as written
    categories: list[str]  # canonical labels, de-duplicated, in the post's order
    raw_categories: list[str]  # labels exactly as written (after metadata merge)
    draft: bool = False
    image: str | None = None
    date_modified: dt.datetime | None = None
    external: bool = False  # an inline listing item pointing outside the site (path: https://…)
    meta: dict[str, Any] = field(default_factory=dict)  # the merged metadata
    line_of: dict[str, int] = field(default_factory=dict)  # front matter key -> 1-based line


@dataclass
class Category:
    """One category: its canonical label, slug and the posts that carry it (newest first)."""

    key: str  # nbpost.slugs.category_key of the label
    label: str  # display spelling (registry label, else the most used spelling)
    slug: str
    posts: list[Post] = field(default_factory=list)
    description: str | None = None
    colour: str | None = None
    aliases: list[str] = field(default_factory=list)
    spellings: dict[str, int] = field(default_factory=dict)  # each spelling seen -> count

    @property
    def count(self) -> int:
        """How many (non-draft) posts carry this category."""
        return len(self.posts)


@dataclass
class BlogConfig:
    """Settings read from ``_quarto.yml`` (``website:`` and the ``nbpost:`` key)."""

    root: str  # absolute path of the blog (Quarto project) folder
    title: str = ""
    description: str = ""
    site_url: str | None = None  # website.site-url without a trailing slash
    language: str | None = None
    output_dir: str = "."  # where generated files go, relative to root
    date_order: str | None = None  # "dmy" or "mdy" when the blog says so
    include_drafts: bool = False
    options: dict[str, Any] = field(default_factory=dict)  # the raw `nbpost:` mapping
    date_format: str | None = None  # top-level `date-format` of _quarto.yml
    listing_pages: list[str] = field(default_factory=list)  # the blog's listing pages (sources)
    listing_date_format: str | None = None  # `date-format` of the first listing page's listing


@dataclass
class Blog:
    """A collected blog: posts newest first (undated last), categories sorted by label."""

    config: BlogConfig
    posts: list[Post] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors: posts skipped

    @property
    def warnings(self) -> list[str]:
        """The warnings as printed lines, ``PATH[:LINE]: message``."""
        return lines_of(self.problems, WARNING)

    @property
    def errors(self) -> list[str]:
        """The errors (posts or registry entries skipped) as printed lines."""
        return lines_of(self.problems, ERROR)
