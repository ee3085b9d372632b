"""Read a blog's ``_quarto.yml``: the project metadata, ``website:`` settings and ``nbpost:``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..blog.model import BlogConfig
from ..blog.read.dates import DATE_ORDERS
from ..blog.read.discover import GENERATED_FOLDERS
from ..blog.read.metadata import path_set, plain_string
from ..errors import ConfigError, NbpostError
from ..frontmatter import load_yaml, parse_yaml, yaml_problem
from ..textio import read_text
from ..yamlguard import YamlLimitError, check_text
from .inputs import render_patterns
from .paths import UnsafePathError, check_relative

DRAFTS_VISIBLE = ("visible", "preview")

PROJECT_FILES = ("_quarto.yml", "_quarto.yaml")
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")


def find_project_file(root: Path) -> Path | None:
    """The ``_quarto.yml`` (or ``.yaml``) of a project folder, or None."""
    for name in PROJECT_FILES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def parse_config_text(text: str, path: str) -> dict[str, Any]:
    """Parse a YAML configuration file (``_quarto.yml``, ``_metadata.yml``, ``_categories.yml``)."""
    try:
        data = parse_yaml(text, path)
    except NbpostError as exc:
        message = exc.message.replace(" in front matter", "").replace("front matter", "the file")
        raise ConfigError(" ".join(message.split()), path, exc.line) from None
    return data


def parse_items_yaml(text: str, shown: str) -> Any:
    """Parse a listing's items file (a list or a mapping of items) within nbpost's YAML limits."""
    try:
        check_text(text)
        return load_yaml(text)
    except YamlLimitError as exc:
        raise ConfigError(exc.message, shown, exc.line + 1) from None
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        raise ConfigError(f"invalid YAML: {problem}", shown, line + 1) from None


def key_line(text: str, key: str) -> int | None:
    """The 1-based line of the first ``key:`` in YAML text (any indentation), or None."""
    match = re.search(rf"(?m)^[ \t]*{re.escape(key)}[ \t]*:", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


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
    project_file = find_project_file(root)
    if project_file is None:
        return ProjectSettings(config=config)
    shown = str(project_file)
    try:
        text = read_text(project_file)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", shown) from None
    meta = parse_config_text(text, shown)
    website = _mapping(meta.get("website"))
    project = _mapping(meta.get("project"))
    options = _mapping(meta.get("nbpost"))
    if meta.get("nbpost") is not None and not isinstance(meta.get("nbpost"), dict):
        raise ConfigError("'nbpost' must be a mapping of options", shown, key_line(text, "nbpost"))
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
        drafts=set(_exact_paths(draft_list)),
        quarto_output_dir=quarto_output.strip("/").removeprefix("./") or "_site",
        listing_pages=listing_pages,
        render=render_patterns(project.get("render")),
        notebook_dir=_notebook_dir(options.get("notebook-dir")),
        draft_mode=draft_mode,
    )


def _exact_paths(value: Any) -> list[str]:
    """``website.drafts`` as Quarto compares it: exact project-relative paths
    (``isProjectDraft`` in ``website-utils.ts``: ``drafts.includes(path)``)."""
    items = value if isinstance(value, list) else [value]
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def _notebook_dir(value: Any) -> str | None:
    """The notebook folder as a clean relative path (sync.pairs checks it strictly)."""
    if not isinstance(value, str) or not value.strip():
        return None
    clean = value.strip().replace("\\", "/").strip("/")
    return None if _escapes_root(clean) else clean


def _escapes_root(relative: str) -> bool:
    parts = Path(relative.strip()).parts
    return Path(relative.strip()).is_absolute() or ".." in parts


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


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
    registry = options.get("registry", "categories.json")
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


def read_directory_metadata(path: Path, shown: str) -> dict[str, Any]:
    """Parse one ``_metadata.yml``."""
    return parse_config_text(read_text(path), shown)
