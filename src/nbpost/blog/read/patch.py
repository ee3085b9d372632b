"""A collection redone with a few posts re-read: the build after an edit (``blog.build``).

The last full build kept what it collected (``facts.CollectMemo``). When the build snapshot
shows that only some of its posts' files changed (no file added, removed or renamed, no
setting, ``_metadata.yml`` or listing page changed), those posts are read again and put in
their places, and the blog is assembled exactly as a full collection assembles it (drafts,
order, the category table and its warnings), without opening the other posts or their cached
records. Whatever this cannot vouch for returns None, and the build collects the whole blog.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Collection
from pathlib import Path

from ...errors import Problem
from ...project.walk import ProjectFiles
from ..model import Blog, BlogConfig, Category, Post
from .categories import read_category_definitions
from .collect import CollectContext, assemble_blog, document_post, in_blog, sort_key
from .facts import CollectMemo
from .folders import FolderMetadata
from .listingpages import is_listing_page
from .records import RecordReader, StatLog
from .settings import read_project


def patch_blog(
    root: Path,
    drafts: bool,
    memo: CollectMemo,
    changed: Collection[str],
    snapshot: StatLog,
) -> Blog | None:
    """The blog ``memo``'s collection gives with the posts in ``changed`` read again, or None
    when one of them is not a plain post of that collection (or no longer reads as one)."""
    spans = memo.spans
    if any(rel not in spans or rel in memo.listing_pages for rel in changed):
        return None
    shown_root = str(root)
    settings = read_project(root, drafts=drafts)  # unchanged since (the snapshot vouches)
    settings.config.listing_pages = list(memo.listing_pages)
    settings.config.listing_date_format = memo.listing_date_format
    context = CollectContext(
        root=root,
        shown_root=shown_root,
        settings=settings,
        files=ProjectFiles(),
        cache=None,
        forced=set(),
        snapshot=snapshot,
    )
    # Unchanged too: its problems are among the memo's, reported where a full build has them.
    context.folders = FolderMetadata.read(root, memo.metadata_files, settings.meta, context.shown)
    reader = RecordReader(root, context.shown, None, set(), snapshot)
    ordered = sorted(changed, key=lambda rel: spans[rel][1])
    reader.read_all(ordered, 1, False)
    context.records, context.mtimes = reader.records, reader.mtimes
    posts = list(memo.posts)
    problems: list[Problem] = []
    taken = 0  # memo.problems[:taken] are placed
    for rel in ordered:
        if is_listing_page(reader.records.get(rel)):
            return None  # it became a listing page: the listings change
        index, start, end = spans[rel]
        context.problems = []
        post = document_post(context, rel, {})
        if post is None:
            return None  # it no longer reads: a full collection drops it from its place
        posts[index] = post
        problems += memo.problems[taken:start]
        problems += context.problems
        taken = end
    context.problems = problems + memo.problems[taken:]
    changed_at = {spans[rel][0] for rel in ordered}
    kept = _blog_order(memo, posts, changed_at, settings.config)
    table = _same_table(memo, posts, changed_at, settings.config)
    if table is not None:
        return assemble_blog(context, posts, None, kept, table)
    definitions = read_category_definitions(root, shown_root if shown_root != "." else "")
    return assemble_blog(context, posts, definitions, kept)


def _same_table(
    memo: CollectMemo, posts: list[Post], changed: set[int], config: BlogConfig
) -> tuple[list[Category], list[Problem]] | None:
    """The last full build's category table with the re-read posts in their places, when
    the table is sure to be the same: each re-read post in or out of the blog as before and,
    when in it, in the same place (same sort key), with the same labels written on the same
    line (a warning may name it). Else None: the table is made again."""
    for index in changed:
        old, new = memo.posts[index], posts[index]
        shown = in_blog(old, config)
        if shown != in_blog(new, config):
            return None
        if shown and (
            sort_key(old) != sort_key(new)
            or old.raw_categories != new.raw_categories
            or old.line_of.get("categories") != new.line_of.get("categories")
        ):
            return None
    for index in changed:
        if in_blog(posts[index], config):  # as build_categories labels the blog's posts
            posts[index].categories = list(memo.posts[index].categories)
    categories = [
        Category(key, label, slug, [posts[i] for i in members], text, colour, [*aliases], {**seen})
        for key, label, slug, text, colour, aliases, seen, members in memo.table
    ]
    return categories, list(memo.table_problems)


def _blog_order(
    memo: CollectMemo, posts: list[Post], changed: set[int], config: BlogConfig
) -> list[Post]:
    """The blog's posts in blog order, as a full collection sorts them: the last full
    build's order without the posts read again, then each of those (unless a draft left out)
    put in its place. The same list a sort gives: the order is total (``sort_key``)."""
    kept = [posts[index] for index in memo.order if index not in changed]
    for index in sorted(changed):
        post = posts[index]
        if in_blog(post, config):
            insort(kept, post, key=sort_key)
    return kept


def touched_labels(memo: CollectMemo, blog: Blog, sources: Collection[str]) -> set[str]:
    """The category labels the posts of ``sources`` (read again) carry in ``blog``, and
    carried in the full build ``memo`` kept (``render.memo.RenderMemo.untouched``)."""
    labels = {label for rel in sources for label in memo.posts[memo.spans[rel][0]].categories}
    labels.update(
        label for post in blog.posts if post.source in sources for label in post.categories
    )
    return labels
