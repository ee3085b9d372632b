"""Which pages are the blog's listing pages, and what each one lists.

A listing page is a rendered document whose front matter has ``listing:`` (or one named in
``nbpost: listings:``); galleries whose listings all use a custom ``template:`` are left out.
A listing page is never itself a post. Without any listing page, the posts are the documents
under ``posts/``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from ..model import PostRecord
from .discover import ListingContents, ProjectFiles, is_gallery, listing_specs, resolve_listing

Records = dict[str, PostRecord]


def is_listing_page(record: PostRecord | None) -> bool:
    """Whether a document record is a listing page (its front matter has ``listing:``)."""
    meta = record.meta if record else None
    return bool(meta and meta.get("listing") and not meta.get("nbpost-generated"))


def listing_pages(
    records: Records,
    files: ProjectFiles,
    explicit: list[str] | None,
    warn: Callable[[str, str], None],
) -> list[str]:
    """The blog's listing pages: ``nbpost: listings`` when given, else every listing page
    that is not a gallery. ``warn(path, message)`` reports a named page that does not exist."""
    if explicit is not None:
        for page in explicit:
            if page not in records:
                warn(page, "listing page named in nbpost listings is not a rendered document")
        return [page for page in explicit if page in records]
    pages = []
    for rel in files.documents:
        record = records.get(rel)
        if not is_listing_page(record):
            continue
        assert record is not None
        if is_gallery(listing_specs(record.meta["listing"])):
            continue
        pages.append(rel)
    return pages


def resolve_listings(
    records: Records, files: ProjectFiles, pages: list[str], warn: Callable[[str, str], None]
) -> list[ListingContents]:
    """What each listing page lists; a listing without ``contents`` is reported (Quarto then
    lists every page of its folder, about pages included)."""
    if not pages:
        posts = [rel for rel in files.documents if rel.startswith("posts/")]
        return [ListingContents(page="", documents=posts)]
    listings = []
    for page in pages:
        meta = records[page].meta
        specs = listing_specs(meta.get("listing")) or [{}]
        if any(spec.get("contents") is None for spec in specs):
            folder = posixpath.dirname(page) or "the project folder"
            warn(
                page,
                f"listing has no contents, so Quarto lists every page in {folder} (an about "
                "page too) and nbpost does the same; give it contents (e.g. contents: posts), "
                "or name the blog's listing pages under nbpost: listings: in _quarto.yml",
            )
        listings.append(resolve_listing(page, specs, files))
    return listings


def listing_date_format(records: Records, pages: list[str]) -> str | None:
    """The ``date-format`` of the first listing of the first listing page, else of that page
    (``website-listing-template.ts``: the listing's option, else the page's metadata)."""
    for page in pages:
        meta = records[page].meta
        for spec in listing_specs(meta.get("listing")):
            value = spec.get("date-format")
            if isinstance(value, str) and value.strip():
                return value.strip()
        value = meta.get("date-format")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
