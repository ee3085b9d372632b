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
import hashlib
import os
import stat
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NbpostError
from .escape import check_slug, inside, safe_colour
from .layout import DEFAULT_REGISTRY, FEED_FILES, Layout, normalise_output_dir
from .manifest import (
    MANIFEST,
    Manifest,
    category_group,
    fingerprints,
    read_manifest,
    remove_stale,
    reusable_groups,
    still_intact,
    write_manifest,
)
from .model import Blog, Category
from .pagesettings import home_page, page_date_format
from .progress import progress
from .writer import OutputWriter

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
    """``nbpost: feed-items`` (default 20 like Quarto; 0 or null means every post)."""
    from .feeds import DEFAULT_FEED_ITEMS

    value = options.get("feed-items", DEFAULT_FEED_ITEMS)
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise NbpostError(f"nbpost.feed-items must be a whole number >= 0, not {value!r}")
    return value or None


def _checked_categories(blog: Blog, result: BuildResult) -> list[Category]:
    """Categories with a safe, unique slug; unsafe colours dropped with a warning."""
    seen: dict[str, str] = {}
    checked: list[Category] = []
    for category in blog.categories:
        try:
            check_slug(category.slug)
        except NbpostError as exc:
            result.errors.append(f"{category.label!r}: {exc.message}; no page or feed written")
            continue
        if category.slug in seen:
            result.errors.append(
                f"categories {seen[category.slug]!r} and {category.label!r} share the slug "
                f"{category.slug!r}; only the first gets a page"
            )
            continue
        seen[category.slug] = category.label
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
    from .archive import render_archive
    from .listinghtml import ListingHtml
    from .mdindex import render_markdown_index
    from .pages import render_categories_index, render_category_page
    from .registry import render_registry

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
    from .feeds import (
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


def _looks_generated(path: Path) -> bool:
    """Whether an existing file carries nbpost's mark (a generated-file note or generator)."""
    try:
        with open(path, "rb") as handle:
            return b"nbpost" in handle.read(4096)
    except OSError:
        return False


def write_outputs(
    root: Path,
    out_dir: Path,
    outputs: dict[str, Any],
    result: BuildResult,
    previous: Manifest,
    quiet: bool = True,
    kept: dict[str, list[str]] | None = None,
    keys: dict[str, str] | None = None,
    dry_run: bool = False,
) -> Manifest:
    """Write the outputs that changed and remove stale generated files; return the manifest.

    ``kept`` (group -> keys, see ``render_outputs``) lists generated files left as they are;
    ``keys`` receives each written output's key (its path relative to the root). With
    ``dry_run`` nothing is created, written or removed: ``result`` lists what would be.
    """
    manifest = Manifest()
    for group_keys in (kept or {}).values():
        for key in group_keys:
            manifest.files[key] = previous.files[key]
            manifest.stats[key] = previous.stats[key]
            result.unchanged.append(key)
    root_prefix = str(root.resolve()) + "/"
    if not dry_run:
        out_dir.mkdir(parents=True, exist_ok=True)
    writer = OutputWriter(str(out_dir.resolve()), create=not dry_run)
    for relative, data in progress(
        sorted(outputs.items()), "nbpost build: writing", "file", not quiet
    ):
        payload = data.encode("utf-8") if isinstance(data, str) else data
        folder, _, name = relative.rpartition("/")
        try:
            if name in ("", ".", "..") or "\\" in name:
                raise NbpostError(f"output path {relative!r} is not a file name")
            # A symlink at the file itself is replaced (os.replace), never written through.
            target = writer.folder(folder) + "/" + name
        except NbpostError as exc:
            result.errors.append(str(exc))
            continue
        key = target[len(root_prefix) :] if target.startswith(root_prefix) else target
        old = writer.existing(target)
        if old is not None and key not in previous.files and not _looks_generated(Path(target)):
            result.errors.append(
                f"{key}: exists and was not generated by nbpost; left alone "
                "(move it away or set nbpost.output-dir)"
            )
            continue
        if keys is not None:
            keys[relative] = key
        digest = manifest.files[key] = hashlib.sha256(payload).hexdigest()
        if (
            old is not None
            and stat.S_ISREG(old.st_mode)
            and previous.vouches_for(key, digest, old.st_size, old.st_mtime_ns)
        ):
            # Same bytes as last time, and the file is as the last build left it: no need to
            # read it back to compare (an incremental build has thousands of these).
            manifest.stats[key] = [old.st_size, old.st_mtime_ns]
            result.unchanged.append(key)
            continue
        if dry_run:
            same = old is not None and writer.holds(target, payload, old)
            (result.unchanged if same else result.written).append(key)
            continue
        written, manifest.stats[key] = writer.write(target, payload, old)
        (result.written if written else result.unchanged).append(key)
    removed, warnings = remove_stale(root, previous, manifest.files, dry_run=dry_run)
    result.removed.extend(removed)
    result.warnings.extend(warnings)
    return manifest


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


def _write_blog(blog: Blog, quiet: bool, dry_run: bool = False) -> tuple[BuildResult, Manifest]:
    root = Path(blog.config.root)
    result = BuildResult(root=str(root), warnings=list(blog.warnings), errors=list(blog.errors))
    layout = layout_for(blog)
    out_dir = inside(root, layout.output_dir)
    stage = BuildResult(root=str(root))  # messages of the output stage, kept in the manifest
    blog = dataclasses.replace(blog, categories=_checked_categories(blog, stage))
    result.posts = len(blog.posts)
    result.categories = len(blog.categories)
    home = home_page(blog)
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
    manifest = write_outputs(
        root, out_dir, outputs, stage, previous, quiet, kept, keys, dry_run=dry_run
    )
    manifest.groups = _groups(group_digests, rendered, kept, keys)
    manifest.fingerprint = current
    manifest.feeds = stage.feeds
    manifest.warnings = [w for w in stage.warnings if "edited since" not in w]
    manifest.errors = list(stage.errors)
    if not dry_run:
        write_manifest(root, manifest)
    result.written, result.unchanged, result.removed = stage.written, stage.unchanged, stage.removed
    result.feeds = stage.feeds
    result.warnings += stage.warnings
    result.errors += stage.errors
    return result, manifest


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
    from .state import build_key, replay

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
    from .cache import MetadataCache
    from .collect import collect_blog

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
    from .collect import collect_blog  # the collector reads posts; imported when building
    from .state import Replay, Snapshot, discard_state, save_state

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
    result, manifest = _write_blog(blog, quiet)
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
