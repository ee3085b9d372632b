"""What a collection saw besides the posts: for tools that look at the whole blog (check), and
for the next build, which patches the posts it re-reads into this one (``read.patch``)."""

from __future__ import annotations

import marshal
from array import array
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from ...errors import Problem
from ..model import BlogConfig, Category, Post, PostRecord
from .discover import ListingContents, ProjectFiles


@dataclass
class CollectFacts:
    """Every document's record, the files walked, and what each listing page lists."""

    records: dict[str, PostRecord] = field(default_factory=dict)
    files: ProjectFiles = field(default_factory=ProjectFiles)
    listings: list[ListingContents] = field(default_factory=list)
    settings: Any = None  # the project's ProjectSettings

    def keep(
        self,
        records: dict[str, PostRecord],
        files: ProjectFiles,
        listings: list[ListingContents],
        settings: Any,
    ) -> None:
        """Remember what one collection saw."""
        self.records, self.files, self.listings, self.settings = records, files, listings, settings


@dataclass
class CollectMemo:
    """What a build needs to redo a collection with a few posts re-read (``read.patch``).

    ``posts`` are every post in the order collection made them (drafts too, before sorting);
    ``order`` lists the indices in ``posts`` of the blog's posts (drafts left out unless
    kept), in blog order. ``spans`` gives, for each post that may be patched (a document its
    listing lists, not named by any listing item), its index in ``posts`` and the slice of
    ``problems`` it reported. ``problems`` are the collection's own, before the category table's.
    """

    posts: list[Post] = field(default_factory=list)
    spans: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # rel -> index, slice
    problems: list[Problem] = field(default_factory=list)
    metadata_files: dict[str, str] = field(default_factory=dict)  # folder -> _metadata.yml
    listing_pages: list[str] = field(default_factory=list)
    listing_date_format: str | None = None
    order: array[int] = field(default_factory=lambda: array("q"))  # the blog's posts, sorted
    # The category table (``categories.build_categories``): each category's fields with its
    # members as indices in ``posts``, and the problems the table reported.
    table: list[tuple[Any, ...]] = field(default_factory=list)
    table_problems: list[Problem] = field(default_factory=list)

    def keep(
        self,
        posts: list[Post],
        problems: list[Problem],
        metadata_files: dict[str, str],
        config: BlogConfig,
        kept: list[Post],
    ) -> None:
        """Remember a full collection: its posts and problems, the ``_metadata.yml`` files,
        the listing pages (``config``) and the blog's posts (``kept``, in blog
        order)."""
        self.posts, self.problems = list(posts), problems
        self.metadata_files = dict(metadata_files)
        self.listing_pages = list(config.listing_pages)
        self.listing_date_format = config.listing_date_format
        place = {id(post): index for index, post in enumerate(self.posts)}
        self.order = array("q", [place[id(post)] for post in kept])

    def keep_table(self, categories: list[Category], problems: list[Problem]) -> None:
        """Remember the category table a full collection made (after ``keep``)."""
        place = {id(post): index for index, post in enumerate(self.posts)}
        self.table = []
        for c in categories:
            members = array("q", [place[id(post)] for post in c.posts])
            self.table.append(
                (c.key, c.label, c.slug, c.description, c.colour, c.aliases, c.spellings, members)
            )
        self.table_problems = list(problems)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        # Rows of plain values (Post.as_row) through marshal: three times as quick to write as
        # pickle, which looks every value up in its memo, and quicker to read.
        state["posts"] = marshal.dumps([post.as_row() for post in self.posts])
        # Columns load several times faster than ten thousand small tuples.
        state["spans"] = (list(self.spans), array("q", chain.from_iterable(self.spans.values())))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["posts"] = [Post.from_row(row) for row in marshal.loads(state["posts"])]
        sources, numbers = state["spans"]
        triples = zip(numbers[0::3], numbers[1::3], numbers[2::3], strict=True)
        state["spans"] = dict(zip(sources, triples, strict=True))
        self.__dict__.update(state)
