"""YAML alias bombs, deep nesting and oversized YAML in every YAML nbpost reads.

Each gives one line naming the file and line, quickly and in little memory, and the rest of
the blog still builds (issue 11, item 2; limits in ``nbpost.yamlguard``, docs/security.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from securitykit import (
    assert_no_traceback,
    deadline,
    error_lines,
    good_blog,
    notebook,
    run_nbpost,
    write_files,
)

from nbpost.blog.build import build_blog
from nbpost.errors import FrontMatterError
from nbpost.frontmatter import parse_yaml, split
from nbpost.yamlguard import MAX_YAML_CHARS, MAX_YAML_DEPTH


def nested_bomb(last: str = "categories: *i") -> str:
    """Nine levels of nine aliases (9**9 strings once expanded) in about 400 bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join([*lines, last]) + "\n"


def string_bomb() -> str:
    """A 100 KB string referenced 1,000 times: the 124 KB post that wrote an 800 MB cache."""
    return f'big: &s "{"x" * 100_000}"\nmany: [{", ".join(["*s"] * 1000)}]\n'


def as_post(yaml_text: str, title: str = "Bomb") -> str:
    return f'---\ntitle: "{title}"\n{yaml_text}---\n\nText.\n'


BOMBS = {"nested": nested_bomb(), "string": string_bomb()}


def test_nested_bomb_is_small() -> None:
    assert len(as_post(nested_bomb())) < 450  # the 425-byte post


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_alias_bomb_in_a_post_is_one_line_and_the_blog_builds(tmp_path: Path, kind: str) -> None:
    files = good_blog()
    files["posts/bomb/index.qmd"] = as_post(BOMBS[kind])
    root = write_files(tmp_path / "blog", files)
    with deadline(30):
        result = build_blog(root, quiet=True)
    assert len(result.errors) == 1, result.errors
    assert result.errors[0].startswith(f"{root}/posts/bomb/index.qmd:")
    line = int(result.errors[0].split(":")[1])
    assert 3 <= line <= 12  # inside the front matter, at the value that expands
    assert "YAML aliases expand" in result.errors[0]
    assert result.posts == 2
    assert (root / "categories" / "python" / "index.qmd").is_file()
    assert (root / ".nbpost" / "cache.json").stat().st_size < 100_000


def test_alias_bomb_in_a_notebook_post(tmp_path: Path) -> None:
    files = good_blog()
    files["posts/nb/index.ipynb"] = notebook('title: "NB"\n' + nested_bomb())
    root = write_files(tmp_path / "blog", files)
    with deadline(30):
        result = build_blog(root, quiet=True)
    assert len(result.errors) == 1
    assert "posts/nb/index.ipynb:" in result.errors[0] and "YAML aliases" in result.errors[0]
    assert result.posts == 2


def test_categories_alias_bomb_stays_small_in_a_memory_limited_process(tmp_path: Path) -> None:
    # `categories: *i` once took a build to 6 GB: run it under a 1 GB address-space limit.
    files = good_blog()
    files["posts/bomb/index.qmd"] = as_post(nested_bomb("categories: *i"))
    root = write_files(tmp_path / "blog", files)
    run = run_nbpost("build", root, timeout=60, memory_bytes=1 << 30)
    assert_no_traceback(run.stderr)
    assert run.returncode == 2
    lines = error_lines(run.stderr)
    assert len(lines) == 1 and "posts/bomb/index.qmd:" in lines[0], run.stderr
    assert "2 posts" in run.stdout


def test_alias_bomb_in_quarto_yml_is_one_config_error(tmp_path: Path) -> None:
    files = good_blog()
    files["_quarto.yml"] = files["_quarto.yml"] + nested_bomb("extra: *i")
    root = write_files(tmp_path / "blog", files)
    run = run_nbpost("build", root, timeout=60, memory_bytes=1 << 30)
    assert_no_traceback(run.stderr)
    assert run.returncode == 2
    lines = error_lines(run.stderr)
    assert len(lines) == 1 and "_quarto.yml:" in lines[0] and "YAML aliases" in lines[0]
    assert not (root / "categories.json").exists()  # an unreadable config builds nothing


def test_alias_bomb_in_metadata_yml_skips_only_its_folder(tmp_path: Path) -> None:
    files = good_blog()
    files["posts/sub/_metadata.yml"] = nested_bomb("tags: *i")
    files["posts/sub/one/index.qmd"] = as_post("", "Below the bomb")
    root = write_files(tmp_path / "blog", files)
    with deadline(30):
        result = build_blog(root, quiet=True)
    assert any("posts/sub/_metadata.yml:" in e and "YAML aliases" in e for e in result.errors)
    assert any("posts/sub/one/index.qmd: skipped because" in e for e in result.errors)
    assert result.posts == 2


def test_alias_bomb_in_categories_yml_and_an_items_file(tmp_path: Path) -> None:
    files = good_blog()
    files["_categories.yml"] = nested_bomb("python: {aliases: *i}")
    files["index.qmd"] = (
        '---\ntitle: "Posts"\nlisting:\n  - contents: posts\n  - contents: "items.yml"\n---\n'
    )
    files["items.yml"] = nested_bomb("title: A\npath: https://example.org/a")
    root = write_files(tmp_path / "blog", files)
    with deadline(30):
        result = build_blog(root, quiet=True)
    assert any("_categories.yml:" in e and "YAML aliases" in e for e in result.errors)
    assert any("items.yml:" in e and "YAML aliases" in e for e in result.errors)
    assert result.posts == 2


@pytest.mark.parametrize("kind", sorted(BOMBS))
def test_parse_yaml_for_the_converter_refuses_bombs(kind: str) -> None:
    text = as_post(BOMBS[kind])
    with deadline(10), pytest.raises(FrontMatterError) as caught:
        split(text, "post.qmd")
    assert caught.value.path == "post.qmd" and caught.value.line is not None
    assert caught.value.line >= 2
    with deadline(10), pytest.raises(FrontMatterError):
        parse_yaml(BOMBS[kind], "post.qmd", 2, keys=frozenset({"jupyter"}))


def test_convert_and_categories_commands_report_a_bomb_in_one_line(tmp_path: Path) -> None:
    files = good_blog()
    files["posts/bomb/index.qmd"] = as_post(nested_bomb())
    root = write_files(tmp_path / "blog", files)
    convert = run_nbpost("convert", root / "posts/bomb/index.qmd", timeout=60)
    assert_no_traceback(convert.stderr)
    assert convert.returncode == 2
    assert len(error_lines(convert.stderr)) == 1
    assert not (root / "posts/bomb/index.ipynb").exists()
    listing = run_nbpost("categories", root, "--json", timeout=60, memory_bytes=1 << 30)
    assert_no_traceback(listing.stderr)
    assert listing.returncode == 2
    assert [line for line in error_lines(listing.stderr) if "posts/bomb/index.qmd:" in line]
    assert json.loads(listing.stdout)["posts"] == 2


def test_deep_nesting_is_refused_with_its_line(tmp_path: Path) -> None:
    deep = "x: " + "[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5) + "\n"
    files = good_blog()
    files["posts/deep/index.qmd"] = as_post(deep)
    files["posts/deep-block/index.qmd"] = as_post(
        "x:\n" + "".join(" " * depth + "-\n" for depth in range(1, MAX_YAML_DEPTH + 10))
    )
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert len(result.errors) == 2, result.errors
    assert all("nested more than" in e for e in result.errors)
    assert result.posts == 2
    (root / "_quarto.yml").write_text(
        files["_quarto.yml"] + "nbpost:\n  listings: " + deep[3:], encoding="utf-8"
    )
    run = run_nbpost("build", root)
    assert run.returncode == 2 and "nested more than" in run.stderr
    assert_no_traceback(run.stderr)


def test_front_matter_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    files = good_blog()
    files["posts/huge/index.qmd"] = as_post(f'filler: "{"x" * (MAX_YAML_CHARS + 10)}"\n')
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert len(result.errors) == 1 and "posts/huge/index.qmd:2:" in result.errors[0]
    assert "nbpost reads at most" in result.errors[0]
    assert result.posts == 2


def test_ordinary_aliases_still_work(tmp_path: Path) -> None:
    files = good_blog()
    files["posts/_metadata.yml"] = "shared: &tags [python, data]\n"
    files["posts/aliased/index.qmd"] = (
        '---\ntitle: "Aliased"\ndate: 2024-03-04\nlabels: &l [python, "machine learning"]\n'
        "categories: *l\n---\n\nText.\n"
    )
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert result.errors == []
    registry = json.loads((root / "categories.json").read_text(encoding="utf-8"))
    entry = registry["posts"]["posts/aliased/index.qmd"]
    assert entry["categories"] == ["python", "machine learning"]


def test_55_mb_of_front_matter_builds_in_little_memory(tmp_path: Path) -> None:
    # Once 1.16 GB of memory; refused after reading it, under a 400 MB address-space limit.
    files = good_blog()
    root = write_files(tmp_path / "blog", files)
    big = root / "posts/big/index.qmd"
    big.parent.mkdir()
    with big.open("w", encoding="utf-8") as handle:
        handle.write('---\ntitle: "Big"\n')
        line = f'k: "{"x" * 90}"\n'
        handle.write(line * (55_000_000 // len(line)))
        handle.write("---\n\nBody.\n")
    run = run_nbpost("build", root, timeout=120, memory_bytes=400 << 20)
    assert_no_traceback(run.stderr)
    lines = error_lines(run.stderr)
    assert len(lines) == 1
    assert lines[0].startswith(f"nbpost: error: {root}/posts/big/index.qmd:2: YAML of 54,9")
    assert lines[0].endswith("characters; nbpost reads at most 1,048,576")
    assert "2 posts" in run.stdout


def test_a_post_over_the_size_limit_is_one_line(tmp_path: Path) -> None:
    files = good_blog()
    root = write_files(tmp_path / "blog", files)
    huge = root / "posts/huge/index.ipynb"
    huge.parent.mkdir()
    with huge.open("wb") as handle:  # sparse: 101 MB on paper, nothing on disk
        handle.truncate(101 * 1024 * 1024)
    result = build_blog(root, quiet=True)
    assert result.errors == [
        f"{root}/posts/huge/index.ipynb: 101 MB; nbpost reads posts up to 100 MB"
    ]
    assert result.posts == 2


def option_bomb() -> str:
    """A ``#| tags:`` option (lifted into the notebook cell) whose aliases expand to 9**9."""
    lines = ["#| tags:", '#|   - &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"#|   - &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines)


def test_a_hostile_cell_option_block_is_refused_cleanly(tmp_path: Path) -> None:
    """A ``#|`` block over the YAML limits is not read as options: it stays in the cell's
    source exactly as written (as invalid YAML there does), quickly and in little memory."""
    text = f"---\ntitle: T\n---\n\n```{{python}}\n{option_bomb()}\n1 + 1\n```\n"
    post = tmp_path / "post.qmd"
    post.write_text(text, encoding="utf-8")
    result = run_nbpost("convert", post, timeout=60, memory_bytes=1 << 30)
    assert_no_traceback(result.stderr)
    assert result.returncode == 0, result.stderr
    [code] = [
        c
        for c in json.loads((tmp_path / "post.ipynb").read_text())["cells"]
        if c["cell_type"] == "code"
    ]
    assert "tags" not in code["metadata"]
    assert "".join(code["source"]).startswith(option_bomb())
    back = run_nbpost("convert", tmp_path / "post.ipynb", "-o", tmp_path / "back.qmd", timeout=60)
    assert back.returncode == 0, back.stderr
    assert (tmp_path / "back.qmd").read_text(encoding="utf-8") == text


def test_a_hostile_raw_cell_or_heading_lift_is_refused_cleanly() -> None:
    """A notebook's first raw cell holding a bomb is not front matter: it is kept as a raw
    cell, and ``--title-from-heading`` gives the post front matter of its own."""
    from nbpost.api import notebook_to_qmd
    from nbpost.qmd.layout import front_matter_mapping

    raw = f"---\n{nested_bomb()}---"
    nb = {
        "cells": [
            {"cell_type": "raw", "id": "fm", "metadata": {}, "source": raw},
            {"cell_type": "markdown", "id": "h", "metadata": {}, "source": "# Heading"},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    with deadline(10):
        assert front_matter_mapping(raw) is None
        text = notebook_to_qmd(nb, title_from_heading=True)
    assert raw in text and text.startswith("---\ntitle: Heading\n---\n")
