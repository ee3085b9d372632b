"""Front matter text for a new post: YAML any title survives, written in the blog's quoting.

PyYAML's emitter picks the quoting a value needs (``: `` and ``#`` inside, a leading ``-``,
``[``, ``*``, ``yes``/``null``/``2024`` that would read back as another type, non-ASCII);
the blog's own habit (``title: "..."`` or ``'...'``) is applied on top when it is safe. Every
value is read back with the project's loader before it is used, so what is written is what
Quarto and nbpost read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from ...frontmatter import load_yaml

PLAIN, DOUBLE, SINGLE = "", '"', "'"


def _dump(value: Any, style: str | None) -> str:
    text = yaml.safe_dump(
        value,
        default_style=style,
        default_flow_style=True,
        allow_unicode=True,
        width=1_000_000,  # one line: a wrapped title reads back with its breaks folded
        sort_keys=False,
    )
    return text.removesuffix("\n...\n").rstrip("\n")


def scalar(value: str, quote: str = PLAIN, *, as_is: bool = False) -> str:
    """A string as one line of YAML in the preferred quoting (plain only where it is safe).

    ``as_is`` allows a plain value PyYAML would quote by YAML 1.1 rules but Quarto's YAML 1.2
    reads as written (a date: ``date: 2024-10-17``, as Quarto's own templates write it)."""
    if as_is and not quote and _reads_back(value, value):
        return value
    for style in (quote or None, DOUBLE):
        text = _dump(value, style)
        if "\n" not in text and _reads_back(text, value):
            return text
    return json.dumps(value)  # JSON strings are YAML double-quoted scalars


def _reads_back(text: str, value: Any) -> bool:
    try:
        return bool(load_yaml(f"x: {text}\n") == {"x": value})
    except yaml.YAMLError:
        return False


def flow_list(items: Sequence[str], quote: str = PLAIN) -> str:
    """``[a, "b: c"]``: a list on one line."""
    return "[" + ", ".join(_flow_item(item, quote) for item in items) + "]"


def _flow_item(item: str, quote: str) -> str:
    text = scalar(item, quote)
    if text[:1] not in "\"'" and any(char in text for char in ",[]{}"):
        return scalar(item, DOUBLE)  # plain is safe in a block, not inside [ ]
    return text


def block_list(items: Sequence[str], quote: str = PLAIN, indent: str = "  ") -> str:
    """The items as ``- item`` lines (after a newline), for ``key:`` to precede."""
    return "".join(f"\n{indent}- {scalar(item, quote)}" for item in items)


def structure(value: Any) -> str:
    """Any YAML value (an author with affiliations) after ``key:``, in block style."""
    if isinstance(value, str):
        return scalar(value)
    text = yaml.safe_dump(
        value, default_flow_style=False, allow_unicode=True, sort_keys=False, width=1_000_000
    )
    return "\n" + "\n".join("  " + line for line in text.rstrip("\n").split("\n"))


def front_matter(lines: Sequence[tuple[str, str]]) -> str:
    """The ``---`` block for ``(key, text after 'key:')`` pairs; checked by reading it back."""
    body = "".join(
        f"{key}:{text if text.startswith(chr(10)) else ' ' + text}\n" for key, text in lines
    )
    load_yaml(body)  # raises on a bug here rather than writing a post Quarto cannot read
    return f"---\n{body}---\n"
