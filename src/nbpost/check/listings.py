"""Listing rules: a listing without ``contents`` that lists other pages (NB701), a post no
listing shows (NB702), feeds wanted without ``website.site-url`` (NB703), and a generated
file edited by hand (NB704).

A listing without ``contents`` lists every document in its page's folder and below
(``website-listing-read.ts``), an about page included. Quarto writes a listing's feed only
with a ``site-url`` (``website-listing-feed.ts``), and so does ``nbpost build``. Generated
files are judged against the last build's manifest (``blog.incremental.manifest``) and nbpost's
mark (``blog.render.marker``): a file whose bytes differ from what the build wrote was edited.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from typing import Any

from ..blog.incremental.manifest import MANIFEST, read_manifest
from ..blog.read.discover import listing_specs, resolve_listing
from ..blog.read.listingpages import is_listing_page
from ..blog.read.metadata import truthy
from ..blog.render.marker import holds_marker, read_regular
from .findings import Finding
from .gather import CheckInput


def _meta(found: CheckInput, rel: str) -> dict[str, Any]:
    """A document's own front matter ({} when unknown or unreadable)."""
    record = found.facts.records.get(rel)
    return record.meta if record is not None else {}


def _specs(found: CheckInput, page: str) -> list[dict[str, Any]]:
    return listing_specs(_meta(found, page).get("listing"))


def _line(found: CheckInput, page: str, key: str = "listing") -> int | None:
    record = found.facts.records.get(page)
    return record.lines.get(key) if record is not None else None


def _not_posts(found: CheckInput, page: str, documents: list[str]) -> list[str]:
    """Documents a listing picks up that are not posts: pages beside it, or without a date."""
    folder = posixpath.dirname(page)
    odd = []
    for rel in documents:
        meta = _meta(found, rel)
        if posixpath.dirname(rel) == folder or "date" not in meta:
            odd.append(rel)
    return odd


def _listing_findings(found: CheckInput) -> list[Finding]:
    findings: list[Finding] = []
    for listing in found.facts.listings:
        if not listing.page:
            continue
        specs = _specs(found, listing.page) or [{}]
        if any(spec.get("contents") is None for spec in specs):
            odd = _not_posts(found, listing.page, listing.documents)
            if odd:
                named = ", ".join(odd[:3]) + (f" and {len(odd) - 3} more" if len(odd) > 3 else "")
                findings.append(
                    Finding(
                        "NB701",
                        found.shown(listing.page),
                        _line(found, listing.page),
                        f"listing has no contents, so it lists every page of its folder, {named} "
                        "included; give it contents (e.g. contents: posts)",
                    )
                )
        wants_feed = any(spec.get("feed") not in (None, False) for spec in specs)
        if wants_feed and not found.blog.config.site_url:
            findings.append(
                Finding(
                    "NB703",
                    found.shown(listing.page),
                    _line(found, listing.page),
                    "listing asks for a feed but _quarto.yml has no website.site-url, so "
                    "neither Quarto nor nbpost writes feeds",
                )
            )
    return findings


def _unlisted(found: CheckInput) -> list[Finding]:
    """Dated, published documents that no listing page shows (galleries included)."""
    files = found.facts.files
    pages = [rel for rel, record in found.facts.records.items() if is_listing_page(record)]
    if not pages:
        return []  # no listing page: nbpost lists posts/, Quarto lists nothing
    listed = set(pages)
    for page in pages:
        listed.update(resolve_listing(page, _specs(found, page) or [{}], files).documents)
    findings = []
    for rel, record in sorted(found.facts.records.items()):
        meta = record.meta
        if rel in listed or "date" not in meta or truthy(meta.get("draft")):
            continue
        findings.append(
            Finding("NB702", found.shown(rel), None, "no listing page shows this dated page")
        )
    return findings


def _edited_outputs(found: CheckInput) -> list[Finding]:
    found.watch.file(found.root, MANIFEST)
    manifest = read_manifest(found.root)
    findings = []
    for key, sha in sorted(manifest.files.items()):
        path = os.path.join(found.root, key)
        if not found.watch.file(found.root, key):
            continue  # removed: the next build writes it again
        stat = os.stat(path)
        if manifest.stats.get(key) == [stat.st_size, stat.st_mtime_ns]:
            continue  # as the build left it
        data = read_regular(path)
        if data is None or hashlib.sha256(data).hexdigest() == sha:
            continue
        then = (
            "the next build overwrites the edit"
            if holds_marker(data)
            else "the next build refuses to replace it"
        )
        findings.append(
            Finding("NB704", found.shown(key), None, f"generated file edited by hand; {then}")
        )
    return findings


def check_listings(found: CheckInput) -> list[Finding]:
    """NB701 to NB704."""
    return [*_listing_findings(found), *_unlisted(found), *_edited_outputs(found)]
