"""The blog's settings from ``_quarto.yml``: site title and URL, drafts, and nbpost's options.

``nbpost.project.config`` reads and parses the file; this module checks the ``nbpost:``
options a build uses (``output-dir``, ``registry``, ``feed-items``, ``date-order``,
``listings``) and fills the public ``BlogConfig``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ConfigError
from ...project.config import (
    NOTEBOOK_DIR_KEY,
    exact_paths,
    key_line,
    notebook_dir_lenient,
    read_quarto_config,
)
from ...project.filetypes import GENERATED_FOLDERS, REGISTRY_FILE
from ...project.paths import UnsafePathError, check_relative
from ..model import BlogConfig
from .dates import DATE_ORDERS
from .metadata import path_set, plain_string

DRAFTS_VISIBLE = ("visible", "preview")


@dataclass
class ProjectSettings:
    """What collection needs from ``_quarto.yml`` beyond the public ``BlogConfig``."""

    config: BlogConfig
    meta: dict[str, Any] = field(default_factory=dict)  # the whole parsed _quarto.yml
    drafts: set[str] = field(default_factory=set)  # website.drafts, project-relative paths
    quarto_output_dir: str = "_site"  # project.output-dir: never an input folder
    listing_pages: list[str] | None = None  # nbpost.listings: explicit listing pages
    render: list[str] | None = None  # project.render: which inputs Quarto renders
    notebook_dir: str | None = None  # nbpost.notebook-dir: paired notebooks, never posts
    draft_mode: str = "gone"  # website.draft-mode (website-utils.ts projectDraftMode)


def read_project(root: Path, *, drafts: bool = False) -> ProjectSettings:
    """Read ``root/_quarto.yml`` into settings; a blog without one gets empty settings."""
    config = BlogConfig(root=str(root), include_drafts=drafts)
    quarto = read_quarto_config(root)
    if quarto is None:
        return ProjectSettings(config=config)
    shown, text, meta = quarto.shown, quarto.text, quarto.meta
    website, project, options = quarto.website, quarto.project, quarto.options
    config.title = plain_string(website.get("title")) or plain_string(meta.get("title")) or ""
    config.description = plain_string(website.get("description")) or ""
    site_url = plain_string(website.get("site-url"))
    config.site_url = site_url.rstrip("/") if site_url else None
    config.language = plain_string(meta.get("lang"))
    config.options = options
    config.output_dir = _output_dir(options, shown, text)
    _check_output_options(options, shown, text)
    order = options.get("date-order")
    if order is not None:
        order = str(order).strip().lower()
        if order not in DATE_ORDERS:
            raise ConfigError(
                f"nbpost date-order must be one of {', '.join(DATE_ORDERS)}, not '{order}'",
                shown,
                key_line(text, "date-order"),
            )
        config.date_order = order
    listings = options.get("listings")
    listing_pages = None
    if listings is not None:
        listing_pages = sorted(path_set(listings if isinstance(listings, list) else [listings]))
    draft_list = website.get("drafts")
    quarto_output = plain_string(project.get("output-dir")) or "_site"
    draft_mode = (plain_string(website.get("draft-mode")) or "gone").lower()
    # website-utils.ts isDraftVisible: "visible" and "preview" show drafts.
    if draft_mode in DRAFTS_VISIBLE:
        config.include_drafts = True
    config.date_format = plain_string(meta.get("date-format"))
    return ProjectSettings(
        config=config,
        meta=meta,
        drafts=set(exact_paths(draft_list)),
        quarto_output_dir=quarto_output.strip("/").removeprefix("./") or "_site",
        listing_pages=listing_pages,
        render=quarto.render,
        notebook_dir=notebook_dir_lenient(options.get(NOTEBOOK_DIR_KEY)),
        draft_mode=draft_mode,
    )


def _output_dir(options: dict[str, Any], shown: str, text: str) -> str:
    """``nbpost: output-dir``, checked like every path from config (``project.paths``)."""
    value = options.get("output-dir", ".")
    try:
        if not isinstance(value, str):
            raise UnsafePathError(f"nbpost output-dir must be a folder name, not {value!r}")
        clean = value.strip().rstrip("/") or "."  # "/x" stays absolute, and is refused
        check_relative(clean, what="nbpost output-dir")
    except UnsafePathError as exc:
        raise ConfigError(exc.message, shown, key_line(text, "output-dir")) from None
    return clean


def _check_output_options(options: dict[str, Any], shown: str, text: str) -> None:
    """Refuse a ``registry`` that could name a project input or another output, and a
    ``feed-items`` that is not a whole number."""
    registry = options.get("registry", REGISTRY_FILE)
    problem = None
    if not isinstance(registry, str):
        problem = f"nbpost registry must be a file name, not {registry!r}"
    else:
        try:
            parts = check_relative(registry.strip(), what="nbpost registry").parts
        except UnsafePathError as exc:
            problem = exc.message
        else:
            if not parts or not parts[-1].endswith(".json"):
                # never a post, _quarto.yml, _metadata.yml or any other Quarto input
                problem = f"nbpost registry must name a .json file, not {registry!r}"
            elif parts[0] in GENERATED_FOLDERS or any(p.startswith(".") for p in parts):
                problem = f"nbpost registry {registry!r} would be inside nbpost's own folders"
    if problem is not None:
        raise ConfigError(problem, shown, key_line(text, "registry"))
    items = options.get("feed-items")
    if items is not None and items is not False and (type(items) is not int or items < 0):
        raise ConfigError(
            f"nbpost feed-items must be a whole number >= 0, not {items!r}",
            shown,
            key_line(text, "feed-items"),
        )
