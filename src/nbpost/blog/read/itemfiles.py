"""Read a listing's ``.yml`` items file: a list of item mappings, or one mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import NbpostError
from ...project.config import parse_items_yaml
from ...textio import read_text


def read_item_file(path: Path, shown: str) -> tuple[list[dict[str, Any]], str | None]:
    """The items of a file (non-mapping entries dropped) and, when it cannot be read, one line
    naming it (``shown``) and the line at fault: not UTF-8, invalid YAML, or over nbpost's YAML
    limits (``nbpost.yamlguard``: an alias bomb, deep nesting, a huge file)."""
    try:
        data = parse_items_yaml(read_text(path), shown)
    except NbpostError as exc:
        return [], str(exc)
    except OSError as exc:
        return [], f"{shown}: cannot read: {exc.strerror}"
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return [item for item in items if isinstance(item, dict)], None
