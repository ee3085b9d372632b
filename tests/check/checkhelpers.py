"""Helpers for the ``nbpost check`` tests: tiny blogs on disk and their findings."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from nbpost.check.findings import Finding
from nbpost.check.runner import check_blog

QUARTO_YML = """\
project:
  type: website
website:
  title: "Test blog"
  site-url: https://example.com/
"""

LISTING = """\
---
title: "Posts"
listing:
  contents: posts
---
"""


def post(title: str | None = "A post", date: str | None = "2024-01-02", **fields) -> str:
    """A ``.qmd`` post; ``categories`` and other fields are written as JSON (valid YAML)."""
    lines = ["---"]
    if title is not None:
        lines.append(f"title: {json.dumps(title)}")
    if date is not None:
        lines.append(f"date: {json.dumps(date)}")
    fields.setdefault("description", "What it is about.")
    for key, value in fields.items():
        if value is not None:
            lines.append(f"{key.replace('_', '-')}: {json.dumps(value)}")
    return "\n".join([*lines, "---", "", "Some text.", ""])


def make_blog(root: Path, files: dict[str, str | bytes], *, listing: bool = True) -> Path:
    """Write a blog: ``_quarto.yml`` and an ``index.qmd`` listing unless given, then ``files``."""
    defaults: dict[str, str | bytes] = {"_quarto.yml": QUARTO_YML}
    if listing:
        defaults["index.qmd"] = LISTING
    for rel, content in {**defaults, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def findings(root: Path, *codes: str) -> list[Finding]:
    """The findings of a full check (no stored result), only ``codes`` when given."""
    found = check_blog(root, str(root), reuse=False)
    return [f for f in found if not codes or f.code in codes]


def lines(root: Path, *codes: str) -> list[str]:
    """``findings`` as the lines the command prints."""
    return [f.text() for f in findings(root, *codes)]
