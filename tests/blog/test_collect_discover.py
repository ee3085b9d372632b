"""Globs, listing contents and the project walk (nbpost.blog.read.discover)."""

from __future__ import annotations

import pytest

from nbpost.blog.read.discover import collapse_pairs, glob_regex, listing_specs


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("posts/**", "posts/a/b/c.qmd", True),
        ("posts/**", "other/a.qmd", False),
        ("**/*.qmd", "a.qmd", True),
        ("**/*.qmd", "x/y/a.qmd", True),
        ("**/*.qmd", "x/y/a.md", False),
        ("posts/*/index.qmd", "posts/a/index.qmd", True),
        ("posts/*/index.qmd", "posts/a/b/index.qmd", False),
        ("**/**.qmd", "deep/er/x.qmd", True),
        ("blog/2024-??-*.qmd", "blog/2024-01-x.qmd", True),
        ("blog/2024-??-*.qmd", "blog/2024-1-x.qmd", False),
        ("{posts,til}/**", "til/a.md", True),
        ("{posts,til}/**", "notes/a.md", False),
        ("[ab]*.qmd", "b1.qmd", True),
        ("[!ab]*.qmd", "b1.qmd", False),
        ("a+b (1).qmd", "a+b (1).qmd", True),
    ],
)
def test_glob_regex(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).match(path)) is matches


def test_listing_specs_shapes() -> None:
    assert listing_specs(True) == [{}]
    assert listing_specs("grid") == [{}]
    assert listing_specs({"contents": "posts"}) == [{"contents": "posts"}]
    assert listing_specs([{"id": "a"}, "junk", {"id": "b"}]) == [{"id": "a"}, {"id": "b"}]
    assert listing_specs(False) == [] and listing_specs(None) == []


def test_collapse_pairs() -> None:
    docs = ["a/index.ipynb", "a/index.qmd", "b/x.ipynb", "c/y.ipynb", "c/y.md", "d/z.qmd"]
    assert collapse_pairs(docs) == ["a/index.qmd", "b/x.ipynb", "c/y.md", "d/z.qmd"]
