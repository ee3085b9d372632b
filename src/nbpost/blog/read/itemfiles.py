"""Read a listing's ``.yml`` items file: a list of item mappings, or one mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import ERROR, NbpostError, Problem
from ...project.config import parse_items_yaml
from ...textio import read_text


def read_item_file(path: Path, shown: str) -> tuple[list[dict[str, Any]], Problem | None]:
    """The items of a file (non-mapping entries dropped) and, when it cannot be read, the
    problem naming it (``shown``) and the line at fault: not UTF-8, invalid YAML, or over
    nbpost's YAML limits (``nbpost.yamlguard``: an alias bomb, deep nesting, a huge file)."""
    try:
        data = parse_items_yaml(read_text(path), shown)
    except NbpostError as exc:
        return [], Problem.from_error(exc)
    except OSError as exc:
        return [], Problem(ERROR, shown, None, f"cannot read: {exc.strerror}")
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return [item for item in items if isinstance(item, dict)], None
