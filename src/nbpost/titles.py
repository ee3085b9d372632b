"""Opt-in: lift a notebook's leading heading into ``title:`` (what ``quarto convert`` always does).

Off by default because it rewrites the post (quarto-cli#12525: a round trip stripped an
``{.unnumbered}`` heading into the title).
"""

from __future__ import annotations

import re

import yaml

from .frontmatter import load_yaml
from .model import Cell, Document
from .qmd.layout import is_front_matter_cell, trim_blank_lines
from .yamlguard import YamlLimitError, check_text

_ATX = re.compile(r"#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*(?:\{[^}]*\})?[ \t]*\Z")


def lift_title(doc: Document) -> bool:
    """Move the first markdown cell's leading heading into the front matter title."""
    front = doc.cells[0] if doc.cells and is_front_matter_cell(doc.cells[0]) else None
    if front is not None:
        lines = trim_blank_lines(front.source.split("\n"))
        text = "\n".join(lines[1:-1])
        try:  # within nbpost's YAML limits (size, nesting, aliases)
            check_text(text)
            data = load_yaml(text) or {}
        except (yaml.YAMLError, YamlLimitError, RecursionError):
            return False  # front matter nbpost cannot read: the post is left as it is
        if isinstance(data, dict) and "title" in data:
            return False
    for cell in doc.cells[1 if front else 0 :]:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.split("\n")
        match = _ATX.match(lines[0]) if lines else None
        if not match or not match.group(1):
            return False
        title = yaml.safe_dump({"title": match.group(1)}, allow_unicode=True, width=10**6)
        cell.source = "\n".join(trim_blank_lines(lines[1:]))
        if front is None:
            doc.cells.insert(0, Cell("raw", "---\n" + title + "---"))
        else:
            body = trim_blank_lines(front.source.split("\n"))
            front.source = "\n".join([*body[:-1], title.rstrip("\n"), body[-1]])
        return True
    return False
