"""Collect a Quarto blog into a ``Blog``: which posts, their merged metadata, dates, categories.

The one public entry point is ``collect_blog``. Each input file is read exactly once (and not
at all when the metadata cache vouches for it); nothing here writes outside ``.nbpost/``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ERROR, WARNING, Problem
from ...project.config import PROJECT_FILES
from ..model import Blog, BlogConfig, Category, Post, PostRecord
from .categories import (
    DEFINITION_FILES,
    CategoryDefinitions,
    build_categories,
    read_category_definitions,
)
from .dates import parse_date
from .discover import ListingContents, ProjectFiles, excluded_folders, select_documents, walk_tree
from .facts import CollectFacts, CollectMemo
from .folders import FolderMetadata
from .hrefs import input_href
from .images import resolve_image
from .inputcheck import input_warnings
from .itemfiles import read_item_file
from .listingpages import is_listing_page, listing_date_format, listing_pages, resolve_listings
from .metadata import (
    author_names,
    category_labels,
    clean_text,
    plain_string,
    truthy,
)
from .records import RecordCache, RecordReader, StatLog
from .settings import ProjectSettings, read_project
from .text import inline_text, truncate

URL_PREFIXES = ("http://", "https://", "//", "mailto:")
# Item paths Quarto reads as documents (listItemFromMeta in website-listing-read.ts).
ITEM_DOCUMENT_SUFFIXES = (".qmd", ".md", ".rmd")
CLOCK_WORDS = ("today", "now", "last-modified")
_UNPARSED = object()


@dataclass
class CollectContext:
    """State shared while collecting one blog."""

    root: Path
    shown_root: str
    settings: ProjectSettings
    files: ProjectFiles
    cache: RecordCache | None
    forced: set[str]
    snapshot: StatLog | None = None
    records: dict[str, PostRecord] = field(default_factory=dict)
    mtimes: dict[str, float] = field(default_factory=dict)
    folders: FolderMetadata | None = None  # the _metadata.yml files, read first
    dates: dict[str, dt.datetime | None] = field(default_factory=dict)  # text -> parse_date
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        # posixpath.join(shown_root, rel) for the relative paths found by the walk, as a
        # prefix: a join per post and per message adds up on large blogs.
        self.shown_prefix = (
            "" if self.shown_root in ("", ".") else posixpath.join(self.shown_root, "")
        )

    def shown(self, rel: str) -> str:
        """A path as the user should see it: the blog folder as given, then the file."""
        if rel[:1] == "/":
            return rel  # as posixpath.join gives it (an inline listing item's "/page.html")
        return self.shown_prefix + rel

    def where(self, rel: str, line: int | None) -> tuple[str, int | None]:
        """A root-relative path and a line as a problem names them (no line 0)."""
        return self.shown(rel), line or None

    def report(self, kind: str, rel: str, line: int | None, message: str) -> None:
        """Add a problem about a root-relative path (``kind``: ``ERROR`` or ``WARNING``)."""
        self.problems.append(Problem(kind, *self.where(rel, line), message))  # type: ignore[arg-type]

    def warn(self, rel: str, message: str) -> None:
        """Add a warning about a root-relative path."""
        self.report(WARNING, rel, None, message)


def collect_blog(
    root: str | Path,
    *,
    drafts: bool = False,
    input_files: list[str] | None = None,
    cache: RecordCache | None = None,
    snapshot: StatLog | None = None,
    progress: bool = False,
    jobs: int | None = None,
    facts: CollectFacts | None = None,
    memo: CollectMemo | None = None,
) -> Blog:
    """Read a Quarto blog the way Quarto's listings do and return its posts and categories.

    ``drafts`` keeps draft posts. ``input_files`` (e.g. from ``QUARTO_PROJECT_INPUT_FILES``)
    names files known to have changed: they are re-read even when the cache vouches for them;
    every post is still collected, since listings need them all. ``cache`` (an
    ``incremental.cache.MetadataCache``) gives records read before and receives the new ones;
    the caller saves it.
    ``progress`` shows a bar on a terminal while a large blog is read.
    ``snapshot`` (``blog.incremental.snapshot``) receives the stat of every file read and folder
    walked. ``jobs``: processes that read new posts at once (``blog.read.parallel``; None: one
    per CPU when there are enough posts; 1: this process only). ``facts`` receives the
    records, files and listings seen (``nbpost check`` reads them); ``memo`` what a later build
    needs to patch re-read posts into this collection (``read.patch``).
    Raises ``ConfigError`` when ``_quarto.yml`` is invalid; broken posts go to ``Blog.errors``.
    """
    root_path = Path(root)
    shown_root = str(root)
    if snapshot is not None:
        for name in (*PROJECT_FILES, *DEFINITION_FILES):
            snapshot.stat(root_path, name)  # before reading: a later edit changes the stat
    settings = read_project(root_path, drafts=drafts)
    files = select_documents(_walk(root_path, settings, snapshot), settings.render)
    context = CollectContext(
        root=root_path,
        shown_root=shown_root,
        settings=settings,
        files=files,
        cache=cache,
        forced=relative_inputs(root_path, input_files or []),
        snapshot=snapshot,
    )
    _read_documents(context, jobs, progress)
    pages = listing_pages(context.records, files, settings.listing_pages, context.warn)
    settings.config.listing_pages = pages
    settings.config.listing_date_format = listing_date_format(context.records, pages)
    listings = resolve_listings(context.records, files, pages, context.warn)
    posts = _posts(context, listings, memo)
    definitions = read_category_definitions(root_path, shown_root if shown_root != "." else "")
    problems = list(context.problems)  # the collection's own, before the category table's
    blog = assemble_blog(context, posts, definitions)
    if memo is not None:
        memo.keep(posts, problems, files.metadata_files, settings.config, blog.posts)
        memo.keep_table(blog.categories, blog.problems[len(problems) :])
    if facts is not None:
        facts.keep(context.records, files, listings, settings)
    if cache is not None:
        cache.prune(set(files.documents))
    return blog


def _walk(root: Path, settings: ProjectSettings, snapshot: StatLog | None) -> ProjectFiles:
    """The project's tree; the snapshot walks (or vouches for the last walk) and records
    every folder."""
    excluded = excluded_folders(
        settings.quarto_output_dir, settings.config.output_dir, settings.notebook_dir
    )
    return snapshot.walk(root, excluded) if snapshot is not None else walk_tree(root, excluded)


def _read_documents(context: CollectContext, jobs: int | None, progress: bool) -> None:
    """Read the metadata files and every document's record (``RecordReader``)."""
    settings, files = context.settings, context.files
    # these lines name their file themselves
    warnings = input_warnings(settings, files, context.shown)
    context.problems += [Problem(WARNING, None, None, line) for line in warnings]
    context.folders = FolderMetadata.read(
        context.root, files.metadata_files, settings.meta, context.shown, context.snapshot
    )
    context.problems += context.folders.problems
    reader = RecordReader(
        context.root, context.shown, context.cache, context.forced, context.snapshot
    )
    reader.read_all(files.documents, jobs, progress)
    context.records, context.mtimes = reader.records, reader.mtimes


def relative_inputs(root: Path, input_files: list[str]) -> set[str]:
    """The files Quarto names (absolute, or relative to the blog) relative to the blog."""
    resolved_root = root.resolve()
    relative = set()
    for name in input_files:
        path = Path(name)
        absolute = path if path.is_absolute() else resolved_root / path
        try:
            relative.add(absolute.resolve().relative_to(resolved_root).as_posix())
        except (ValueError, OSError):
            continue
    return relative


def _posts(
    context: CollectContext, listings: list[ListingContents], memo: CollectMemo | None
) -> list[Post]:
    """Every post the listings list, in their order; ``memo`` gets each document post's place
    and problems."""
    posts: list[Post] = []
    seen: set[str] = set()
    spans = memo.spans if memo is not None else {}
    for listing in listings:
        for rel in listing.documents:
            if rel in seen or is_listing_page(context.records.get(rel)):
                continue  # a listing page is the blog's page, never one of its posts
            seen.add(rel)
            start = len(context.problems)
            post = document_post(context, rel, {})
            if post is not None:
                spans[rel] = (len(posts), start, len(context.problems))
                posts.append(post)
        for item_file in listing.item_files:
            if item_file in seen:
                continue
            seen.add(item_file)
            for item in _read_item_file(context, item_file):
                _add_item(context, item, item_file, listing.page, posts, seen)
        for item in listing.inline_items:
            _add_item(context, item, listing.page, listing.page, posts, seen)
    if any(listing.item_files or listing.inline_items for listing in listings):
        spans.clear()  # items may name (and move) posts: a build after an edit reads afresh
    return posts


def _read_item_file(context: CollectContext, rel: str) -> list[dict[str, Any]]:
    if context.snapshot is not None:
        context.snapshot.stat(context.root, rel)
    items, problem = read_item_file(context.root / rel, context.shown(rel))
    if problem:
        context.problems.append(problem)
    return items


def _add_item(
    context: CollectContext,
    item: dict[str, Any],
    origin: str,
    page: str,
    posts: list[Post],
    seen: set[str],
) -> None:
    """A listing item: a document it names (read, then overridden by the item's fields, as
    ``listItemFromMeta`` does), else an item made of its own fields. A relative ``path`` that
    names a document is relative to the file holding the item; any other relative value
    (``path``, ``image``) is resolved by the listing page's HTML, so against its folder."""
    path = plain_string(item.get("path")) or plain_string(item.get("href"))
    page_dir = posixpath.dirname(page)
    if path and not path.startswith(URL_PREFIXES) and path.lower().endswith(ITEM_DOCUMENT_SUFFIXES):
        base = "" if path.startswith("/") else posixpath.dirname(origin)
        rel = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        if rel in context.records:
            if rel in seen:
                posts[:] = [post for post in posts if post.source != rel]
            seen.add(rel)
            post = document_post(context, rel, item, page_dir)
            if post is not None:
                posts.append(post)
            return
    key = path or f"{origin}#{len(posts)}"
    if key in seen:
        return
    seen.add(key)
    external = bool(path and path.startswith(URL_PREFIXES))
    href = path or ""
    if path and not external:
        href = input_href(posixpath.normpath(posixpath.join(page_dir, path)).lstrip("/"))
    post = _make_post(context, key, href, dict(item), None, None, origin, page_dir)
    post.external = external
    posts.append(post)


def document_post(
    context: CollectContext, rel: str, overrides: dict[str, Any], page_dir: str = ""
) -> Post | None:
    """A document's post (its record merged down its folders, ``overrides`` last), or None
    with the error reported when it cannot be one."""
    record = context.records.get(rel)
    if record is None:
        return None
    if record.error is not None:
        context.report(ERROR, rel, record.error_line, record.error)
        return None
    assert context.folders is not None  # read before any post
    broken = context.folders.broken(rel)
    if broken is not None:
        context.report(ERROR, rel, None, f"skipped because {broken}")
        return None
    meta = context.folders.merged(rel, record.meta)
    image_base = posixpath.dirname(rel)
    if overrides:
        meta.update({key: value for key, value in overrides.items() if key != "path"})
        if "image" in overrides:
            image_base = page_dir  # the item's own image: the listing page resolves it
    mtime = context.mtimes.get(rel)
    return _make_post(context, rel, input_href(rel), meta, record, mtime, rel, image_base)


def _make_post(
    context: CollectContext,
    source: str,
    href: str,
    meta: dict[str, Any],
    record: PostRecord | None,
    mtime: float | None,
    origin: str,
    image_base: str,
) -> Post:
    lines = record.lines if record else {}
    heading = record.heading if record else None
    title = plain_string(meta.get("title")) or (clean_text(heading) if heading else "")
    description = plain_string(meta.get("description")) or plain_string(meta.get("abstract"))
    if description:
        description = inline_text(description)
    elif record is not None and record.paragraph:
        description = truncate(clean_text(record.paragraph))
    date_text = plain_string(meta.get("date"))
    date = _date(context, date_text, mtime) if date_text else None
    if date_text and date is None:
        context.report(WARNING, origin, lines.get("date"), f"cannot read date '{date_text}'")
    modified_text = plain_string(meta.get("date-modified"))
    date_modified = _date(context, modified_text, mtime) if modified_text else None
    if modified_text and date_modified is None:
        context.report(
            WARNING, origin, lines.get("date-modified"), f"cannot read date '{modified_text}'"
        )
    if context.snapshot is not None and _clock_dates(date_text, modified_text):
        context.snapshot.volatile = True
    draft = truthy(meta.get("draft")) or source in context.settings.drafts
    authors = author_names(meta.get("author") if "author" in meta else meta.get("authors"))
    return Post(
        source=source,
        href=href,
        title=title,
        description=description or "",
        authors=authors,
        date=date,
        date_text=date_text,
        categories=[],
        raw_categories=category_labels(meta.get("categories")),
        draft=draft,
        image=resolve_image(meta.get("image"), image_base),
        date_modified=date_modified,
        meta=meta,
        line_of=dict(lines),
    )


def _date(context: CollectContext, text: str, mtime: float | None) -> dt.datetime | None:
    """``parse_date`` of a front matter date, parsed once per distinct text and blog."""
    known = context.dates.get(text, _UNPARSED)
    if known is not _UNPARSED:
        return known  # type: ignore[return-value]
    date = parse_date(text, order=context.settings.config.date_order, mtime=mtime)
    if text.lower() not in CLOCK_WORDS:  # these depend on the file or the clock
        context.dates[text] = date
    return date


def _clock_dates(*texts: str | None) -> bool:
    """Whether a date is read from the clock (``today``, ``now``), not from the files."""
    return any(text is not None and text.lower() in ("today", "now") for text in texts)


def in_blog(post: Post, config: BlogConfig) -> bool:
    """Whether the blog lists the post: drafts only when they are kept."""
    return config.include_drafts or not post.draft


def sort_key(post: Post) -> tuple[bool, float, str]:
    """Blog order: newest first, undated last, then by source (a total order: sources are
    unique, so any way of sorting by it gives one order)."""
    timestamp = post.date.timestamp() if post.date is not None else 0.0
    return (post.date is None, -timestamp, post.source)


def assemble_blog(
    context: CollectContext,
    posts: list[Post],
    definitions: CategoryDefinitions | None,
    kept: list[Post] | None = None,
    table: tuple[list[Category], list[Problem]] | None = None,
) -> Blog:
    """The blog: drafts dropped (unless kept), posts sorted, the category table made from
    ``definitions``; ``kept`` and ``table`` (with its problems): already made (``read.patch``)."""
    config = context.settings.config
    if kept is None:
        kept = [post for post in posts if in_blog(post, config)]
        kept.sort(key=sort_key)

    def where(post: Post, key: str) -> tuple[str, int | None]:
        return context.where(post.source, post.line_of.get(key))

    if table is None:
        assert definitions is not None, "the category table or the definitions to make it"
        table = build_categories(kept, definitions, where)
    categories, problems = table[0], [*context.problems, *table[1]]
    return Blog(config=config, posts=kept, categories=categories, problems=problems)
