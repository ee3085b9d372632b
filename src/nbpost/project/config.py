"""Read a project's ``_quarto.yml`` and ``_metadata.yml``: the only reader of those files.

This layer parses the files (within nbpost's YAML limits) and gives their sections; what the
blog makes of its ``nbpost:`` options lives in ``nbpost.blog.read.settings``, and where a
paired notebook lives in ``nbpost.sync.pairs`` (from ``notebook_dir_option``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import ConfigError, NbpostError
from ..frontmatter import load_yaml, parse_yaml, yaml_problem
from ..textio import read_text
from ..yamlguard import YamlLimitError, check_text
from .filetypes import METADATA_FILES, PROJECT_FILES
from .inputs import render_patterns

NOTEBOOK_DIR_KEY = "notebook-dir"
__all__ = ["METADATA_FILES", "PROJECT_FILES"]  # re-exported from nbpost.project.filetypes


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
class QuartoConfig:
    """A project's parsed ``_quarto.yml``, with the sections nbpost reads."""

    shown: str  # the file's path as messages name it
    text: str
    meta: dict[str, Any]  # the whole parsed file
    project: dict[str, Any] = field(default_factory=dict)  # project: (output-dir, render)
    website: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # nbpost: (checked to be a mapping)

    @property
    def render(self) -> list[str] | None:
        """``project.render``: which inputs Quarto renders (None: all of them)."""
        return render_patterns(self.project.get("render"))


def read_quarto_config(root: Path) -> QuartoConfig | None:
    """Read ``root/_quarto.yml`` (or ``.yaml``); None when the folder has none.

    Raises ``ConfigError`` naming the file (and line) when it cannot be read, is not valid
    YAML within nbpost's limits, or has an ``nbpost:`` key that is not a mapping.
    """
    project_file = find_project_file(root)
    if project_file is None:
        return None
    shown = str(project_file)
    try:
        text = read_text(project_file)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", shown) from None
    meta = parse_config_text(text, shown)
    if meta.get("nbpost") is not None and not isinstance(meta.get("nbpost"), dict):
        raise ConfigError("'nbpost' must be a mapping of options", shown, key_line(text, "nbpost"))
    return QuartoConfig(
        shown,
        text,
        meta,
        project=_mapping(meta.get("project")),
        website=_mapping(meta.get("website")),
        options=_mapping(meta.get("nbpost")),
    )


def find_project_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path``'s folder holding ``_quarto.yml``, or None."""
    folder = Path(path).absolute().parent
    for candidate in (folder, *folder.parents):
        if any((candidate / name).is_file() for name in PROJECT_FILES):
            return candidate
    return None


def notebook_dir_option(root: Path) -> str | None:
    """``nbpost: notebook-dir`` of the project at ``root`` as written, checked strictly (a
    folder inside the project), or None; raises ``ConfigError`` for a bad value."""
    config = find_project_file(root)
    if config is None:
        return None
    stat = config.stat()
    return _notebook_dir_setting(str(config), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _notebook_dir_setting(config: str, mtime_ns: int, size: int) -> str | None:
    # Keyed by mtime and size so that a long-running Jupyter server sees an edited config.
    text = read_text(config)
    meta = parse_config_text(text, config)
    options = meta.get("nbpost")
    if options is None:
        return None
    if not isinstance(options, dict):
        raise ConfigError("'nbpost' must be a mapping of options", config, key_line(text, "nbpost"))
    value = options.get(NOTEBOOK_DIR_KEY)
    if value is None:
        return None
    line = key_line(text, NOTEBOOK_DIR_KEY)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"nbpost {NOTEBOOK_DIR_KEY} must be a folder name", config, line)
    relative = Path(value)
    if relative.is_absolute() or ".." in relative.parts:
        raise ConfigError(
            f"nbpost {NOTEBOOK_DIR_KEY} must be a folder inside the project", config, line
        )
    return value


def notebook_dir_lenient(value: Any) -> str | None:
    """A ``notebook-dir`` value as a clean relative path, or None when it is unusable (the
    build skips that folder's notebooks; ``nbpost sync`` reports the value instead)."""
    if not isinstance(value, str) or not value.strip():
        return None
    clean = value.strip().replace("\\", "/").strip("/")
    parts = Path(clean).parts
    return None if Path(clean).is_absolute() or ".." in parts else clean


def exact_paths(value: Any) -> list[str]:
    """A list of paths as Quarto compares them (``website.drafts``: exact project-relative
    paths, ``isProjectDraft`` in ``website-utils.ts``: ``drafts.includes(path)``)."""
    items = value if isinstance(value, list) else [value]
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def read_directory_metadata(path: Path, shown: str) -> dict[str, Any]:
    """Parse one ``_metadata.yml``."""
    return parse_config_text(read_text(path), shown)
