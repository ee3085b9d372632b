"""The filter finds a category however pandoc hands it the label: NFC or NFD (issue 11, item 6).

nbpost reads labels as NFC (``metadata.clean_text``); pandoc keeps a label as written, and the
filter has no Unicode tables, so ``categories.json`` maps the NFD key of every non-ASCII
spelling too. A post the registry does not list yet (so the filter looks its labels up)
written with a combining accent gets the category's real slug, not a second one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filterkit import json_meta, render

pytestmark = pytest.mark.pandoc


@pytest.fixture
def built_blog(examples_blog_copy: Path, run_cli: Callable[..., Any]) -> Path:
    """A copy of the example blog after `nbpost build`."""
    assert run_cli("build", examples_blog_copy, "--quiet").status == 0
    return examples_blog_copy


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_an_unlisted_post_finds_a_category_in_either_spelling(
    pandoc_path: str, built_blog: Path, form: str
) -> None:
    label = unicodedata.normalize(form, "Café culture")
    post = f'---\ntitle: New\ndate: 2025-01-01\ncategories: ["{label}", "データ"]\n---\n\nBody.\n'
    (built_blog / "posts" / "new.qmd").write_text(post, encoding="utf-8")
    result = render(pandoc_path, "posts/new.qmd", to="json", cwd=built_blog)
    assert result.warnings == [], result.err
    links = json_meta(result)["category-links"]
    assert [link["slug"] for link in links] == ["cafe", "データ"]
    assert links[0]["label"] == "Café culture"  # the canonical (NFC) label
