"""The layout facts a notebook may carry under ``metadata.nbpost``, and their checks.

A notebook read from disk is untrusted, and its ``nbpost`` metadata is only a hint written
by an earlier conversion: ``clean`` keeps each fact the writer knows whose value has the
right type and shape, and drops the others, so the writer falls back to the plain form
(``metadata.nbpost.newline: 5`` once crashed ``convert``). It runs where a notebook is read
(``ipynb.to_document``); facts made by the .qmd reader need no check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .scan import parse_marker

# Longest gap (blank lines) or option block a fact may describe; more is not a layout fact.
MAX_LINES = 10_000


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


def _line(value: Any) -> bool:
    """One line of text: nothing a writer reusing it could turn into several lines (a "\\r"
    may end it: a file with mixed line ends keeps it there)."""
    return isinstance(value, str) and "\n" not in value and "\r" not in value[:-1]


def _gap(value: Any) -> bool:
    """A count of blank lines, or the blank lines themselves (whitespace-only text)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return 0 <= value <= MAX_LINES
    return (
        isinstance(value, list)
        and len(value) <= MAX_LINES
        and all(_line(item) and not item.strip() for item in value)
    )


def _fence(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 3 and value == value[0] * len(value)


def _indent(value: Any) -> bool:
    return _line(value) and not value.strip()


def _lines(value: Any) -> bool:
    return isinstance(value, list) and len(value) <= MAX_LINES and all(map(_line, value))


def _newline(value: Any) -> bool:
    return value in ("\n", "\r\n")


def _marker_text(value: Any) -> bool:
    if not _line(value) or len(value) > MAX_LINES:
        return False
    try:
        return parse_marker(value, 0) is not None
    except Exception:  # a marker too deep to reuse: the writer writes a fresh one
        return False


DOCUMENT_FACTS: dict[str, Callable[[Any], bool]] = {
    "bom": _flag,
    "newline": _newline,
    "final_newline": _flag,
    "trailing": _gap,
    "kernel_lines": _lines,
}

CELL_FACTS: dict[str, Callable[[Any], bool]] = {
    "before": _gap,
    "after_marker": _gap,
    "fm_marker_before": _gap,
    "marker": _flag,
    "marker_text": _marker_text,
    "marker_id": _flag,
    "not_front_matter": _flag,
    "fence": _fence,
    "header": _line,
    "close": _line,
    "indent": _indent,
    "indent_raw": _flag,
    "options": _lines,
    "one_blank_line": _flag,
    "raw_header": _line,
    "literal": _flag,
}


def clean(metadata: dict[str, Any], known: dict[str, Callable[[Any], bool]], key: str) -> None:
    """Keep only the well-formed facts under ``metadata[key]`` (in place); drop it if none."""
    facts = metadata.get(key)
    if facts is None:
        return
    if isinstance(facts, dict):
        kept = {
            name: value for name, value in facts.items() if name in known and known[name](value)
        }
        if kept:
            metadata[key] = kept
            return
    del metadata[key]
