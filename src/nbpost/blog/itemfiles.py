"""Read a listing's ``.yml`` items file: a list of item mappings, or one mapping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import NbpostError
from ..textio import read_text
from .metadata import refers_to_itself


def read_item_file(path: Path) -> tuple[list[dict[str, Any]], str | None]:
    """The items of a file (non-mapping entries dropped) and a problem, if it is unreadable."""
    try:
        text = read_text(path)
        import yaml  # only blogs that list YAML item files pay for this path

        from ..frontmatter import QuartoYamlLoader

        data = yaml.load(text, Loader=QuartoYamlLoader)
        if "*" in text and refers_to_itself(data):
            raise NbpostError("a YAML alias refers to the value that contains it")
    except (NbpostError, OSError) as exc:
        return [], str(exc)
    except Exception as exc:  # yaml.YAMLError, reported like any other bad input
        return [], f"invalid YAML: {exc}"
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return [item for item in items if isinstance(item, dict)], None
