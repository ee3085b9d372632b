"""Where every generated file goes, and the site-absolute href each one is served at.

All paths are relative to ``<root>/<output-dir>`` and use POSIX separators; hrefs are
site-absolute (``/`` + output-dir prefix). ``categories.json`` records these hrefs, so the
Quarto filter never rebuilds a path on its own.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache

from ...errors import ConfigError
from ...project.filetypes import GENERATED_INDEX, REGISTRY_FILE
from ...project.paths import check_name

CATEGORIES_DIR = "categories"
FEEDS_DIR = "feeds"
ARCHIVE_DIR = "archive"
FEED_FILES = {"rss": "index.xml", "atom": "atom.xml", "json": "feed.json"}
PAGE_FILE = "index.qmd"
MARKDOWN_INDEX = GENERATED_INDEX  # never an input: the walk skips it (nbpost.project)
DEFAULT_REGISTRY = REGISTRY_FILE


def normalise_output_dir(output_dir: str) -> str:
    """Return output-dir as a clean relative POSIX path ("." for the root); refuse escapes."""
    text = (output_dir or ".").replace("\\", "/").strip()
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise ConfigError(f"nbpost.output-dir must be relative to the project: {output_dir!r}")
    clean = posixpath.normpath(text)
    if clean == ".." or clean.startswith("../"):
        raise ConfigError(f"nbpost.output-dir must stay inside the project: {output_dir!r}")
    return clean


@dataclass(frozen=True)
class Layout:
    """The generated file layout for one output folder."""

    output_dir: str = "."  # relative to the project root, normalised
    registry: str = DEFAULT_REGISTRY  # relative to output_dir

    @property
    def prefix(self) -> str:
        """The href prefix of the output folder: "" for the root, else "/dir"."""
        return "" if self.output_dir == "." else "/" + self.output_dir

    def href(self, relative: str) -> str:
        """Site-absolute href of a path relative to the output folder."""
        return f"{self.prefix}/{relative}"

    def category_dir(self, slug: str) -> str:
        """Folder of one category (relative to the output folder)."""
        return f"{CATEGORIES_DIR}/{check_name(slug, what='category slug')}"

    def category_page(self, slug: str) -> str:
        """The category's Quarto page."""
        return f"{self.category_dir(slug)}/{PAGE_FILE}"

    def category_feed(self, slug: str, kind: str) -> str:
        """One of the category's feeds (kind: rss, atom or json)."""
        return f"{self.category_dir(slug)}/{FEED_FILES[kind]}"

    def blog_feed(self, kind: str) -> str:
        """One of the feeds of all posts."""
        return f"{FEEDS_DIR}/{FEED_FILES[kind]}"

    def category_href(self, slug: str) -> str:
        """Site-absolute href of the category page (ends with /)."""
        return self.href(self.category_dir(slug) + "/")

    def category_feed_hrefs(self, slug: str) -> dict[str, str]:
        """Site-absolute hrefs of the category's three feeds."""
        return {kind: self.href(self.category_feed(slug, kind)) for kind in FEED_FILES}

    def blog_feed_hrefs(self) -> dict[str, str]:
        """Site-absolute hrefs of the three feeds of all posts."""
        return {kind: self.href(self.blog_feed(kind)) for kind in FEED_FILES}

    categories_index = f"{CATEGORIES_DIR}/{PAGE_FILE}"
    archive_page = f"{ARCHIVE_DIR}/{PAGE_FILE}"
    markdown_index = MARKDOWN_INDEX


@lru_cache(maxsize=256)
def _parts(folder: str) -> tuple[str, ...]:
    return tuple(part for part in posixpath.normpath(folder or ".").split("/") if part != ".")


def relative_link(from_dir: str, to_path: str) -> str:
    """POSIX relative path from a folder to a file, both relative to the same root.

    ``posixpath.relpath`` makes both paths absolute against the working directory on every
    call; with tens of thousands of links per build this string version is much cheaper.
    """
    base = _parts(from_dir)
    target = [part for part in to_path.split("/") if part not in ("", ".")]
    common = 0
    for mine, theirs in zip(base, target, strict=False):
        if mine != theirs:
            break
        common += 1
    if ".." in base[common:] or ".." in target:  # not normalised: take the slow, exact road
        return posixpath.relpath(to_path, from_dir or ".")
    pieces = [".."] * (len(base) - common) + target[common:]
    return "/".join(pieces) or "."


def category_group(slug: str) -> str:
    """The group name of a category's outputs (page, items file, feeds) in the manifest."""
    return "category:" + slug
