"""Build a blog's listings: collect the posts, render every output, write only what changed.

Outputs (paths relative to ``<root>/<output-dir>``, see ``layout``): category pages and their
items files, the category index, the archive, ``POSTS.md``, ``categories.json`` and, when
``website.site-url`` is set, RSS/Atom/JSON feeds for the blog and for each category.

Files are written with ``write_if_changed``, so an unchanged output keeps its mtime and Quarto
does not re-render it. A manifest of what nbpost generated (``manifest``) lets a later build
remove outputs that no longer exist (a category that disappeared) without ever touching a file
it did not write: a stale file whose content was edited since is left in place with a warning,
and an existing file nbpost did not generate is never overwritten. The same manifest lets a
build with nothing new skip rendering altogether, and a build after an edit skip the
categories the edit left alone; a stat snapshot of every input (``state``) lets a build where
nothing changed skip reading altogether.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NbpostError
from ..project.paths import check_name
from ..project.state import folder_problem, remove_state
from .incremental.manifest import (
    MANIFEST,
    MANIFEST_FILE,
    Manifest,
    category_group,
    fingerprints,
    read_manifest,
    reusable_groups,
    still_intact,
    write_manifest,
)
from .model import Blog, Category
from .render.escape import inside, safe_colour
from .render.outputpaths import DEFAULT_REGISTRY, FEED_FILES, Layout, normalise_output_dir
from .render.pagesettings import home_page, page_date_format

if TYPE_CHECKING:
    from .incremental.snapshot import Snapshot

__all__ = ["MANIFEST", "BuildResult", "build_blog", "write_blog"]


@dataclass
class BuildResult:
    """What a build did: files written, unchanged and removed (root-relative), and problems."""

    root: str
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    posts: int = 0
    categories: int = 0
    feeds: int = 0  # feed files generated (0 without site-url)

    @property
    def ok(self) -> bool:
        """True when nothing was skipped."""
        return not self.errors


def feed_limit(options: dict[str, Any]) -> int | None:
    """``nbpost: feed-items`` (default 20 like Quarto; 0 or null means every post).

    ``config`` has checked the value; a number larger than any blog (``10**23``) means all.
    """
    from .render.feeds import DEFAULT_FEED_ITEMS

    value = options.get("feed-items", DEFAULT_FEED_ITEMS)
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NbpostError(f"nbpost.feed-items must be a whole number >= 0, not {value!r}")
    return min(value, sys.maxsize) or None


def _checked_categories(blog: Blog, result: BuildResult) -> list[Category]:
    """Categories with a safe, unique slug; unsafe colours dropped with a warning."""
    seen: dict[str, str] = {}
    checked: list[Category] = []
    for category in blog.categories:
        try:
            check_name(category.slug, what="category slug")
        except NbpostError as exc:
            result.errors.append(f"{category.label!r}: {exc.message}; no page or feed written")
            continue
        folded = category.slug.lower()  # one folder on case-insensitive file systems
        if folded in seen:
            result.errors.append(
                f"categories {seen[folded]!r} and {category.label!r} share the slug "
                f"{category.slug!r}; only the first gets a page"
            )
            continue
        seen[folded] = category.label
        colour = safe_colour(category.colour)
        if category.colour is not None and colour is None:
            result.warnings.append(
                f"category {category.label!r}: colour {category.colour!r} is not a hex colour "
                "or a colour name; ignored"
            )
            category = dataclasses.replace(category, colour=None)
        checked.append(category)
    return checked


def render_outputs(
    blog: Blog,
    layout: Layout,
    result: BuildResult,
    home: str | None,
    keep: AbstractSet[str] = frozenset(),
    groups: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Every output as ``{path relative to the output folder: text or bytes}``.

    The outputs of the categories whose group is in ``keep`` (``manifest.reusable_groups``)
    are left out: the files the last build wrote for them stand. ``groups`` receives, for
    every category rendered, its group name and the paths of its outputs.
    """
    from .render.archive import render_archive
    from .render.listinghtml import ListingHtml
    from .render.mdindex import render_markdown_index
    from .render.pages import render_categories_index, render_category_page
    from .render.registry import render_registry

    options = blog.config.options or {}
    feeds = bool(blog.config.site_url)
    outputs: dict[str, Any] = {}
    hrefs = {c.label: layout.category_href(c.slug) for c in blog.categories}
    listing = ListingHtml(hrefs, page_date_format(blog), blog.config.language)
    for category in blog.categories:
        if category_group(category.slug) in keep:
            continue
        page = layout.category_page(category.slug)
        outputs[page] = render_category_page(blog, category, layout, feeds, home, listing)
        if groups is not None:
            groups[category_group(category.slug)] = [page]
    outputs[layout.categories_index] = render_categories_index(blog, layout, feeds, home)
    outputs[layout.archive_page] = render_archive(blog, layout, page_date_format(blog))
    outputs[layout.markdown_index] = render_markdown_index(blog, layout)
    outputs[layout.registry] = render_registry(blog, layout, feeds, home)
    if feeds:
        feed_outputs = _render_all_feeds(blog, layout, feed_limit(options), keep, groups)
        result.feeds = len(FEED_FILES) * (1 + len(blog.categories))
        outputs.update(feed_outputs)
    return outputs


def _render_all_feeds(
    blog: Blog,
    layout: Layout,
    limit: int | None,
    keep: AbstractSet[str],
    groups: dict[str, list[str]] | None,
) -> dict[str, Any]:
    from .render.feeds import (
        EPOCH,
        ItemCache,
        blog_feed_spec,
        category_feed_spec,
        newest_date,
        render_feeds,
    )

    outputs: dict[str, Any] = {}
    fallback = newest_date(blog.posts) or EPOCH  # Atom `updated` of undated entries
    items = ItemCache(blog.config.site_url or "", fallback)
    spec = blog_feed_spec(blog, layout.blog_feed_hrefs(), limit, fallback)
    for kind, data in render_feeds(spec, items).items():
        outputs[layout.blog_feed(kind)] = data
    for category in blog.categories:
        if category_group(category.slug) in keep:
            continue
        spec = category_feed_spec(
            blog,
            category,
            layout.category_href(category.slug),
            layout.category_feed_hrefs(category.slug),
            limit,
            fallback,
        )
        for kind, data in render_feeds(spec, items).items():
            path = layout.category_feed(category.slug, kind)
            outputs[path] = data
            if groups is not None:
                groups.setdefault(category_group(category.slug), []).append(path)
    return outputs


def _groups(
    digests: dict[str, str],
    rendered: dict[str, list[str]],
    kept: dict[str, list[str]],
    keys: dict[str, str],
) -> dict[str, list[Any]]:
    """Each category's group for the manifest: [digest, keys of its files], when all were
    written (or kept) without trouble."""
    groups: dict[str, list[Any]] = {name: [digests[name], kept[name]] for name in kept}
    for name, relatives in rendered.items():
        if all(relative in keys for relative in relatives):
            groups[name] = [digests[name], sorted(keys[relative] for relative in relatives)]
    return groups


def layout_for(blog: Blog) -> Layout:
    """The output layout the blog's ``nbpost:`` options ask for."""
    options = blog.config.options or {}
    registry = options.get("registry", DEFAULT_REGISTRY)
    if not isinstance(registry, str) or not registry.strip():
        raise NbpostError(f"nbpost.registry must be a file name, not {registry!r}")
    registry = normalise_output_dir(registry)
    return Layout(output_dir=normalise_output_dir(blog.config.output_dir), registry=registry)


def write_blog(blog: Blog, *, quiet: bool = True) -> BuildResult:
    """Render and write every output of an already collected blog."""
    return _write_blog(blog, quiet)[0]


def _write_blog(
    blog: Blog, quiet: bool, dry_run: bool = False, lock_held: bool = False
) -> tuple[BuildResult, Manifest]:
    """Render and write (``dry_run``: only list) the outputs; ``lock_held``: this process
    holds the build lock (``writeguard``)."""
    from .incremental.snapshot import discard_state
    from .incremental.writeguard import clean_temporaries
    from .incremental.writeout import (
        write_outputs,
    )  # the output side: not imported when nothing changed

    root = Path(blog.config.root)
    result = BuildResult(root=str(root), warnings=list(blog.warnings), errors=list(blog.errors))
    layout = layout_for(blog)
    out_dir = inside(root, layout.output_dir)
    stage = BuildResult(root=str(root))  # messages of the output stage, kept in the manifest
    state_problem = folder_problem(root)  # a .nbpost symlinked out of the project: not used
    if state_problem is not None:
        result.warnings.append(state_problem)
    blog = dataclasses.replace(blog, categories=_checked_categories(blog, stage))
    result.posts = len(blog.posts)
    result.categories = len(blog.categories)
    home = home_page(blog)
    if not dry_run:  # what a killed build left: never for long, never another process's
        clean_temporaries(root, out_dir, layout.registry, lock_held)
    previous = read_manifest(root)
    current, group_digests = fingerprints(blog, home)
    # Output-stage errors (a user's file in the way) may be gone now: then look again.
    if current == previous.fingerprint and not previous.errors and still_intact(root, previous):
        # Nothing that shapes the outputs changed and no output was touched: nothing to do.
        result.unchanged = sorted(previous.files)
        result.feeds = previous.feeds
        result.warnings += previous.warnings
        result.errors += previous.errors
        return result, previous
    if not blog.config.site_url:
        stage.warnings.append(
            f"{root / '_quarto.yml'}: no website.site-url, so no feeds were built "
            "(feeds need absolute links); set website.site-url to get them"
        )
    kept = reusable_groups(root, previous, group_digests)
    rendered: dict[str, list[str]] = {}
    outputs = render_outputs(blog, layout, stage, home, kept.keys(), rendered)
    keys: dict[str, str] = {}
    if not dry_run:
        discard_state(root)  # a build killed from here on is followed by a full one
    manifest = write_outputs(
        root, out_dir, outputs, stage, previous, quiet, kept, keys, dry_run=dry_run
    )
    manifest.groups = _groups(group_digests, rendered, kept, keys)
    manifest.fingerprint = current
    manifest.feeds = stage.feeds
    manifest.warnings = [w for w in stage.warnings if "edited since" not in w]
    manifest.errors = list(stage.errors)
    if not dry_run and state_problem is None:
        _save_manifest(root, manifest, stage)
    result.written, result.unchanged, result.removed = stage.written, stage.unchanged, stage.removed
    result.feeds = stage.feeds
    result.warnings += stage.warnings
    result.errors += stage.errors
    return result, manifest


def _save_manifest(root: Path, manifest: Manifest, stage: BuildResult) -> None:
    """Write the manifest; when that fails (a full disk), say so and remove the last one,
    which no longer tells the truth. The outputs stand: the next build checks them."""
    try:
        write_manifest(root, manifest)
    except OSError as exc:
        stage.errors.append(f"{root / MANIFEST}: cannot write: {exc.strerror or exc}")
        remove_state(root, MANIFEST_FILE)


def build_blog(
    root: str | os.PathLike[str],
    *,
    drafts: bool = False,
    input_files: list[str] | None = None,
    quiet: bool = False,
    jobs: int | None = None,
    check: bool = False,
) -> BuildResult:
    """Collect the blog at ``root`` and write all its listing outputs; see the module docstring.

    When nothing was added, edited or removed since the last build (``state``), the last
    result is returned without reading a post. ``jobs``: processes that read new posts at
    once (see ``collect_blog``). ``check`` writes nothing at all (outputs, cache, manifest,
    snapshot): the result's ``written`` and ``removed`` list what a build would write and
    remove.
    """
    from .incremental.snapshot import build_key, replay

    root_path = Path(root)
    key = build_key(str(root), drafts)
    last = replay(root_path, str(root), drafts, input_files)
    if last is not None:
        return BuildResult(
            root=str(root_path),
            unchanged=last.outputs,
            warnings=last.warnings,
            errors=last.errors,
            posts=last.posts,
            categories=last.categories,
            feeds=last.feeds,
        )
    # A build allocates hundreds of thousands of small, long-lived objects and frees none
    # until it ends: the cyclic collector would walk them again and again for nothing. It is
    # switched back on only once they are freed (when _full_build returns): re-enabled while
    # they live, its next pass would walk them all once more.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if check:
            return _check_build(root_path, drafts, input_files, jobs)
        return _full_build(root_path, key, drafts, input_files, quiet, jobs)
    finally:
        if gc_was_enabled:
            gc.enable()


def _check_build(
    root_path: Path, drafts: bool, input_files: list[str] | None, jobs: int | None
) -> BuildResult:
    """What a full build would write and remove, writing nothing (see ``build_blog``)."""
    from .incremental.cache import MetadataCache
    from .read.collect import collect_blog  # the collector reads posts; imported when building

    # A cache that is used but not saved (only a cache collect_blog loads itself is saved).
    cache = MetadataCache.load(root_path)
    blog = collect_blog(root_path, drafts=drafts, input_files=input_files, cache=cache, jobs=jobs)
    return _write_blog(blog, quiet=True, dry_run=True)[0]


def _full_build(
    root_path: Path,
    key: str,
    drafts: bool,
    input_files: list[str] | None,
    quiet: bool,
    jobs: int | None,
) -> BuildResult:
    """Collect, render and write everything, then save the snapshot (see ``build_blog``)."""
    from .incremental.snapshot import Snapshot
    from .incremental.writeguard import build_lock
    from .read.collect import collect_blog  # the collector reads posts; imported when building

    snapshot = Snapshot()
    blog = collect_blog(
        root_path,
        drafts=drafts,
        input_files=input_files,
        cache=True,
        snapshot=snapshot,
        progress=not quiet,
        jobs=jobs,
    )
    # Another build of this blog writing now finishes first; this one then finds its files.
    with build_lock(root_path) as lock_held:
        result, manifest = _write_blog(blog, quiet, lock_held=lock_held)
        return _finish(root_path, key, snapshot, blog, result, manifest)


def _finish(
    root_path: Path,
    key: str,
    snapshot: Snapshot,
    blog: Blog,
    result: BuildResult,
    manifest: Manifest,
) -> BuildResult:
    """Save the snapshot of a full build when it may vouch for the next one."""
    from .incremental.snapshot import Replay, discard_state, save_state

    summary = Replay(
        posts=result.posts,
        categories=result.categories,
        feeds=result.feeds,
        outputs=[],
        warnings=[w for w in result.warnings if "edited since" not in w],
        errors=list(result.errors),
    )
    outputs = {k: v for k, v in manifest.stats.items() if k in manifest.files}
    # Output-stage errors (a user's file in the way) depend on folders no snapshot covers.
    output_errors = result.errors[len(blog.errors) :]
    if outputs.keys() == manifest.files.keys() and not output_errors:
        save_state(root_path, key, snapshot, outputs, MANIFEST, summary)
    else:
        discard_state(root_path)  # an older snapshot must not vouch for this build
    return result
