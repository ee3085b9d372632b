"""Read what a new post must fit: the blog's main listing, its posts, categories and settings.

The blog is read with the build's own collector (``blog.read.collect``, drafts included, the
build cache reused but never written), so ``new`` sees exactly the posts and categories a
build would. Of several listing pages, the shallowest is the blog's main listing (ties: the
one listing the most posts): ``blog.qmd`` rather than ``blog/series/index.qmd``, ``all.qmd``
rather than ``til.qmd``.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import NbpostError
from ...frontmatter import split
from ...project.config import (
    METADATA_FILES,
    find_project_file,
    read_directory_metadata,
)
from ...textio import read_text
from ..incremental.cache import MetadataCache
from ..model import Blog, Post
from ..read.categories import labels_index
from ..read.collect import collect_blog
from ..read.discover import ProjectFiles, listing_specs, resolve_listing
from ..read.metadata import merge_configs
from ..read.settings import read_project
from .layout import SUFFIXES

_GLOB = re.compile(r"[*?\[{]")


@dataclass
class BlogFacts:
    """A blog as ``nbpost new`` needs it."""

    root: Path
    posts: list[Post]  # documents the main listing shows, newest first (drafts too)
    listing_page: str | None  # the main listing page, None when the blog has none
    listing: list[dict[str, Any]]  # that page's listing specs
    project_meta: dict[str, Any]
    date_order: str | None
    spellings: dict[str, str]  # category_key of every known label and alias -> label shown


def _ancestors(path: str) -> set[str]:
    found = {""}
    while path:
        path = posixpath.dirname(path)
        found.add(path)
    return found


def project_files(documents: list[str]) -> ProjectFiles:
    """A ``ProjectFiles`` holding just ``documents`` and their folders (to resolve contents)."""
    folders: set[str] = set()
    for document in documents:
        folders |= _ancestors(document)
    return ProjectFiles(documents=sorted(documents), folders=folders)


def page_listing(root: Path, page: str) -> list[dict[str, Any]]:
    """The listing specs in a listing page's front matter (none for an unreadable page)."""
    try:
        _, meta, _ = split(read_text(root / page), page)
    except (NbpostError, OSError):
        return []
    return listing_specs(meta.get("listing"))


def _main_listing(
    blog: Blog, root: Path, within: str
) -> tuple[str | None, list[dict[str, Any]], list[Post]]:
    documents = [p for p in blog.posts if posixpath.splitext(p.source)[1].lower() in SUFFIXES]
    pages = blog.config.listing_pages
    if within:  # the blog is a folder of a larger site: its own listing pages
        pages = [page for page in pages if page.startswith(within + "/")] or pages
    if not pages:
        return None, [], documents
    files = project_files([post.source for post in documents])
    best: tuple[tuple[int, int, int], str, list[dict[str, Any]], set[str]] | None = None
    for order, page in enumerate(pages):
        specs = page_listing(root, page) or [{}]
        listed = set(resolve_listing(page, specs, files).documents)
        rank = (page.count("/"), -len(listed), order)
        if best is None or rank < best[0]:
            best = (rank, page, specs, listed)
    assert best is not None
    _, page, specs, listed = best
    return page, specs, [post for post in documents if post.source in listed]


def contents_folder(page: str | None, specs: list[dict[str, Any]]) -> str | None:
    """The folder a listing's first ``contents`` entry names (``posts`` for ``posts/*.qmd``),
    for a blog with no posts yet; None when the listing names none."""
    if page is None:
        return None
    for spec in specs:
        contents = spec.get("contents")
        entries = contents if isinstance(contents, list) else [contents]
        for entry in entries:
            if not isinstance(entry, str) or not entry.strip() or entry.startswith("!"):
                continue
            text = entry.strip()
            base = "" if text.startswith("/") else posixpath.dirname(page)
            parts = []
            for part in text.strip("/").split("/"):
                if _GLOB.search(part) or posixpath.splitext(part)[1].lower() in SUFFIXES:
                    break
                parts.append(part)
            folder = posixpath.normpath(posixpath.join(base, *parts)) if parts else base
            return "" if folder == "." else folder
    return posixpath.dirname(page) or None


def inherited_meta(root: Path, folder: str, project_meta: dict[str, Any]) -> dict[str, Any]:
    """``_quarto.yml`` merged with the ``_metadata.yml`` files a post in ``folder`` gets."""
    levels = [project_meta]
    parts = [part for part in folder.split("/") if part]
    for depth in range(1, len(parts) + 1):  # Quarto skips the root's _metadata.yml here
        for name in METADATA_FILES:
            path = root.joinpath(*parts[:depth], name)
            if path.is_file():
                with contextlib.suppress(NbpostError, OSError):  # the build reports it
                    levels.append(read_directory_metadata(path, str(path)))
                break
    return merge_configs(*levels)


def project_of(folder: Path) -> Path:
    """The Quarto project ``folder`` is in: the nearest folder at or above it with
    ``_quarto.yml``, shown relative to the current folder when ``folder`` was. Raises
    ``NbpostError`` when there is none: a post made there by mistake (``nbpost new`` run in
    the wrong folder) would be no blog's post."""
    absolute = folder.absolute()
    for candidate in (absolute, *absolute.parents):
        if find_project_file(candidate) is not None:
            if candidate == absolute:
                return folder
            return candidate if folder.is_absolute() else Path(os.path.relpath(candidate))
    raise NbpostError(f"{folder}: no _quarto.yml here or above; give the blog's folder")


def read_blog(folder: Path) -> BlogFacts:
    """Collect the blog ``folder`` is (or is in) without writing, and pick out its main
    listing and known categories. A folder inside a larger site (``site/blog/``) has its
    project read, and the listing pages inside the folder preferred."""
    root = project_of(folder)
    within = folder.absolute().relative_to(root.absolute()).as_posix()
    within = "" if within == "." else within
    blog = collect_blog(root, drafts=True, cache=MetadataCache.load(root))
    page, specs, posts = _main_listing(blog, root, within)
    spellings: dict[str, str] = {}
    labels = {category.slug: category.label for category in blog.categories}
    for key, slug in labels_index(blog.categories).items():
        spellings[key] = labels[slug]
    return BlogFacts(
        root=root,
        posts=posts,
        listing_page=page,
        listing=specs,
        project_meta=read_project(root).meta,
        date_order=blog.config.date_order,
        spellings=spellings,
    )
