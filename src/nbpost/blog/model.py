"""The blog as data: a post file's record, posts, categories and the blog's settings.

Plain data, no I/O. ``nbpost.blog.read.collect`` builds a ``Blog``; each output module
(``render.pages``, ``render.feeds``, ``render.registry``...) turns it into files;
``PostRecord`` is what ``nbpost.blog.read.reader`` reads from one post file.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import HasProblems, Problem


def _shared(value: Any) -> Any:
    """``value`` interned when it is exactly a string (see ``Post.as_row``)."""
    return sys.intern(value) if type(value) is str else value


@dataclass
class PostRecord:
    """What reading one post file gives (``blog.read.reader``), before any merging: the same
    record whether it comes from the file, another process or the metadata cache.

    ``meta`` is the front matter; ``lines`` the 1-based line of each top-level key in the file;
    ``heading`` and ``paragraph`` the fallbacks for a missing title and description. A file
    that cannot be read has ``error`` (and ``error_line`` when known) and nothing else.
    """

    meta: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    heading: str | None = None
    paragraph: str | None = None
    error: str | None = None
    error_line: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The record as the metadata cache stores it (``incremental.cache``)."""
        if self.error is not None:
            return {"error": self.error, "line": self.error_line}
        return {
            "meta": self.meta,
            "lines": self.lines,
            "heading": self.heading,
            "paragraph": self.paragraph,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PostRecord:
        """A record from the cache's JSON form (``as_json``)."""
        if "error" in data:
            return cls(error=data["error"], error_line=data.get("line"))
        return cls(data["meta"], data["lines"], data["heading"], data["paragraph"])


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

    def as_row(self) -> tuple[Any, ...]:
        """The post as a tuple of its fields, dates as ISO text and without ``meta``: pickled
        and loaded several times faster than the object (``incremental.store``). Nothing
        after collection reads ``meta`` (``tests/blog/test_patch_build.py`` checks), so
        ``from_row`` gives the post back with every other field equal."""
        row = list(self.__dict__.values())
        assert len(row) == 15, "a Post field added: update as_row and from_row"
        row[5] = self.date.isoformat() if self.date is not None else None
        row[11] = self.date_modified.isoformat() if self.date_modified is not None else None
        # Labels, authors and front matter keys recur across posts: shared (interned) strings
        # are written once and loaded as references, a third of the rows' load time on a
        # 10,000-post blog (measured 2026-12-07). Labels as written are most often the labels.
        row[4] = [_shared(author) for author in self.authors]
        row[7] = [_shared(label) for label in self.categories]
        raw = self.raw_categories
        row[8] = None if raw == self.categories else [_shared(label) for label in raw]
        row[13] = None  # meta
        row[14] = {_shared(key): line for key, line in self.line_of.items()}
        return tuple(row)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Post:
        """The post ``as_row`` gave (aware dates come back equal, with the same offset)."""
        post = cls(*row)
        post.meta = {}
        if post.raw_categories is None:
            post.raw_categories = list(post.categories)
        if post.date is not None:
            post.date = dt.datetime.fromisoformat(row[5])
        if post.date_modified is not None:
            post.date_modified = dt.datetime.fromisoformat(row[11])
        return post


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
class Blog(HasProblems):
    """A collected blog: posts newest first (undated last), categories sorted by label."""

    config: BlogConfig
    posts: list[Post] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors: posts skipped

    @cached_property
    def newest(self) -> dt.datetime | None:
        """The newest date or date-modified among the posts, or None: the feeds' date for
        undated entries, part of every fingerprint. Computed once, when first asked (after
        collection: ``posts`` no longer changes then); 2 ms on 10,000 posts."""
        return newest_date(self.posts)


def newest_date(posts: Iterable[Post]) -> dt.datetime | None:
    """The newest date or date-modified among the posts, or None."""
    dates = [d for post in posts for d in (post.date, post.date_modified) if d is not None]
    return max(dates) if dates else None
