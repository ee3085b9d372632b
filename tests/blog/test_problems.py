"""Problems are values (``nbpost.errors.Problem``): kind, path, line, message; never parsed."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest
from blogfactory import post

from nbpost.blog.build import build_blog
from nbpost.blog.incremental.snapshot import STATE
from nbpost.errors import ERROR, WARNING, FrontMatterError, Problem


def test_problem_prints_as_the_one_line_an_error_prints() -> None:
    assert str(Problem(WARNING, "posts/a.qmd", 3, "bad")) == "posts/a.qmd:3: bad"
    assert str(Problem(ERROR, "posts/a.qmd", None, "bad")) == "posts/a.qmd: bad"
    assert str(Problem(ERROR, None, None, "bad")) == "bad"
    error = FrontMatterError("invalid YAML", "p.qmd", 2)
    assert str(Problem.from_error(error)) == str(error)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Problem(ERROR, None, None, "x").message = "y"  # type: ignore[misc]


def _settle(root: Path) -> None:
    data = json.loads((root / STATE).read_text(encoding="utf-8"))
    data["saved-at-ns"] = time.time_ns() + 10**12  # nothing racy: the snapshot vouches
    (root / STATE).write_text(json.dumps(data), encoding="utf-8")


def test_a_warning_worded_like_a_stale_output_is_still_replayed(make_blog) -> None:
    # The build once dropped every warning containing "edited since" from what a build with
    # nothing new reports again; a post's own words must not decide that.
    root = make_blog({"posts/a/index.qmd": post("A", "edited since", ["x"])})
    first = build_blog(root, quiet=True)
    assert any("cannot read date 'edited since'" in line for line in first.warnings)
    _settle(root)
    again = build_blog(root, quiet=True)
    assert again.warnings == first.warnings


def test_a_stale_output_edited_since_is_reported_once(make_blog) -> None:
    root = make_blog(
        {
            "posts/a/index.qmd": post("A", "2024-01-05", ["gone"]),
            "posts/b/index.qmd": post("B", "2024-01-06", ["kept"]),
        }
    )
    build_blog(root, quiet=True)
    page = next((root / "categories").glob("gone*"))
    target = page / "index.qmd" if page.is_dir() else page
    target.write_text(target.read_text(encoding="utf-8") + "\nmine\n", encoding="utf-8")
    (root / "posts/a/index.qmd").write_text(post("A", "2024-01-05", ["kept"]), encoding="utf-8")
    second = build_blog(root, quiet=True)
    stale = [line for line in second.warnings if "edited since" in line]
    assert len(stale) == 1
    _settle(root)
    third = build_blog(root, quiet=True)
    assert not [line for line in third.warnings if "edited since" in line]
