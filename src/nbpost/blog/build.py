"""Build a blog's listings: collect the posts, render every output, write only what changed.

Outputs (paths relative to ``<root>/<output-dir>``, see ``layout``): category pages and their
items files, the category index, the archive, ``POSTS.md``, ``categories.json`` and, when
``website.site-url`` is set, RSS/Atom/JSON feeds for the blog and for each category.

Files are written with ``write_if_changed``, so an unchanged output keeps its mtime and Quarto
does not re-render it. A manifest of what nbpost generated (``.nbpost/build-manifest.json``,
path -> SHA-256) lets a later build remove outputs that no longer exist (a category that
disappeared) without ever touching a file it did not write: a stale file whose content was
edited since is left in place with a warning, and an existing file nbpost did not generate is
never overwritten.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NbpostError
from ..textio import write_if_changed
from .escape import check_slug, inside, json_text, safe_colour
from .layout import DEFAULT_REGISTRY, Layout, normalise_output_dir
from .model import Blog, Category

MANIFEST = ".nbpost/build-manifest.json"
MANIFEST_VERSION = 1
HOME_PAGES = ("index.qmd", "index.md", "index.ipynb", "index.Rmd")
PROGRESS_MIN_FILES = 200  # below this a build is too quick for a progress bar to help


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


def render_outputs(blog: Blog, layout: Layout, result: BuildResult, home: str) -> dict[str, Any]:
    """Every output as ``{path relative to the output folder: text or bytes}``."""
    from .archive import render_archive
    from .mdindex import render_markdown_index
    from .pages import render_categories_index, render_category_page, render_items_file
    from .registry import render_registry

    options = blog.config.options or {}
    feeds = bool(blog.config.site_url)
    outputs: dict[str, Any] = {}
    for category in blog.categories:
        outputs[layout.category_page(category.slug)] = render_category_page(
            blog, category, layout, feeds, home
        )
        outputs[layout.category_items(category.slug)] = render_items_file(category, layout)
    outputs[layout.categories_index] = render_categories_index(blog, layout, feeds, home)
    outputs[layout.archive_page] = render_archive(blog, layout)
    outputs[layout.markdown_index] = render_markdown_index(blog, layout)
    outputs[layout.registry] = render_registry(blog, layout, feeds)
    if feeds:
        feed_outputs = _render_all_feeds(blog, layout, feed_limit(options))
        result.feeds = len(feed_outputs)
        outputs.update(feed_outputs)
    return outputs


def _render_all_feeds(blog: Blog, layout: Layout, limit: int | None) -> dict[str, Any]:
    from .feeds import blog_feed_spec, category_feed_spec, render_feeds

    site = blog.config.site_url or ""
    outputs: dict[str, Any] = {}
    spec = blog_feed_spec(blog, layout.blog_feed_hrefs(), limit)
    for kind, data in render_feeds(spec, site).items():
        outputs[layout.blog_feed(kind)] = data
    for category in blog.categories:
        spec = category_feed_spec(
            blog,
            category,
            layout.category_href(category.slug),
            layout.category_feed_hrefs(category.slug),
            limit,
        )
        for kind, data in render_feeds(spec, site).items():
            outputs[layout.category_feed(category.slug, kind)] = data
    return outputs


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(root: Path) -> dict[str, str]:
    """The previous build's generated files (root-relative path -> SHA-256), or {}."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _looks_generated(path: Path) -> bool:
    """Whether an existing file carries nbpost's mark (a generated-file note or generator)."""
    try:
        with open(path, "rb") as handle:
            return b"nbpost" in handle.read(4096)
    except OSError:
        return False


def _progress(items: list[tuple[str, Any]], quiet: bool) -> Iterable[tuple[str, Any]]:
    if quiet or len(items) < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return items
    from tqdm import tqdm  # imported only for long builds on a terminal

    return tqdm(items, desc="nbpost build", unit="file", delay=1.0, file=sys.stderr, leave=False)


def write_outputs(
    root: Path, out_dir: Path, outputs: dict[str, Any], result: BuildResult, quiet: bool = True
) -> None:
    """Write the outputs that changed, remove stale generated files, update the manifest."""
    previous = read_manifest(root)
    manifest: dict[str, str] = {}
    resolved_root = root.resolve()
    for relative, data in _progress(sorted(outputs.items()), quiet):
        payload = data.encode("utf-8") if isinstance(data, str) else data
        try:
            target = inside(out_dir, relative)
        except NbpostError as exc:
            result.errors.append(str(exc))
            continue
        key = target.relative_to(resolved_root).as_posix()
        if key not in previous and target.exists() and not _looks_generated(target):
            result.errors.append(
                f"{key}: exists and was not generated by nbpost; left alone "
                "(move it away or set nbpost.output-dir)"
            )
            continue
        manifest[key] = _digest(payload)
        (result.written if write_if_changed(target, payload) else result.unchanged).append(key)
    _remove_stale(root, previous, manifest, result)
    write_if_changed(
        root / MANIFEST,
        json_text({"version": MANIFEST_VERSION, "generator": "nbpost", "files": manifest}),
    )


def _remove_stale(
    root: Path, previous: dict[str, str], current: dict[str, str], result: BuildResult
) -> None:
    for key in sorted(set(previous) - set(current)):
        try:
            path = inside(root, key)
        except NbpostError:
            continue  # a manifest edited by hand: never follow it out of the project
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if _digest(data) != previous[key]:
            result.warnings.append(f"{key}: no longer generated but edited since; left in place")
            continue
        path.unlink()
        result.removed.append(key)
        parent = path.parent
        while parent != root.resolve() and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()  # only folders the removal emptied
            parent = parent.parent


def _home_page(root: Path) -> str:
    for name in HOME_PAGES:
        if (root / name).is_file():
            return name
    return "."


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
    root = Path(blog.config.root)
    result = BuildResult(root=str(root), warnings=list(blog.warnings), errors=list(blog.errors))
    layout = layout_for(blog)
    blog = dataclasses.replace(blog, categories=_checked_categories(blog, result))
    if not blog.config.site_url:
        result.warnings.append(
            f"{root / '_quarto.yml'}: no website.site-url, so no feeds were built "
            "(feeds need absolute links); set website.site-url to get them"
        )
    result.posts = len(blog.posts)
    result.categories = len(blog.categories)
    out_dir = inside(root, layout.output_dir)
    outputs = render_outputs(blog, layout, result, _home_page(root))
    write_outputs(root, out_dir, outputs, result, quiet=quiet)
    return result


def build_blog(
    root: str | os.PathLike[str],
    *,
    drafts: bool = False,
    input_files: list[str] | None = None,
    quiet: bool = False,
) -> BuildResult:
    """Collect the blog at ``root`` and write all its listing outputs; see the module docstring."""
    from .collect import collect_blog  # the collector reads posts; imported when building

    blog = collect_blog(Path(root), drafts=drafts, input_files=input_files, cache=True)
    return write_blog(blog, quiet=quiet)
