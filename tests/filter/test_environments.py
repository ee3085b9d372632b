"""Where the filter runs: Quarto (a stub `quarto` global) or plain pandoc; with or without a
registry, wherever it is configured to be. How it loads: test_loading.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filterkit import (
    FILTER,
    QUARTO_STUB,
    Rendered,
    json_meta,
    pandoc_args,
    parse_head,
    render,
    run_pandoc,
)

pytestmark = pytest.mark.pandoc

POST = "posts/2024-10-17-harvest-log/index.qmd"
LABELS = ["Python", "Harvest", "Data Visualisation"]
UNLISTED = """---
title: New post
date: 2025-02-03
categories: [Brand New, "Another one", Python]
---

Body.
"""


@pytest.fixture
def built_blog(examples_blog_copy: Path, run_cli: Callable[..., Any]) -> Path:
    """A copy of the example blog after `nbpost build`."""
    assert run_cli("build", examples_blog_copy, "--quiet").status == 0
    return examples_blog_copy


def stub_render(
    pandoc: str, source: Path, *, cwd: Path, project: Path, to: str = "html", fmt: str = "html"
) -> dict[str, Any]:
    """Render with the `quarto` stub in front of the filter; return the JSON metadata."""
    args = [str(source), "-f", "markdown", "-t", "json", "--lua-filter", str(QUARTO_STUB)]
    environment = {
        "NBPOST_FILTER": str(FILTER),
        "STUB_FORMAT": fmt,
        "STUB_INPUT": str(source),
        "STUB_PROJECT": str(project),
    }
    done = run_pandoc(pandoc, args, cwd=cwd, env=environment)
    assert "nbpost" not in done.stderr  # under Quarto, warnings go through quarto.log
    return json_meta(Rendered(done.stdout, done.stderr))


def test_quarto_path_uses_include_text(pandoc_path: str, built_blog: Path, tmp_path: Path) -> None:
    """Under Quarto: the head goes through quarto.doc.include_text, the project comes from
    quarto.project.directory (pandoc runs elsewhere), and header-includes stays untouched."""
    meta = stub_render(pandoc_path, built_blog / POST, cwd=tmp_path, project=built_blog)
    assert "header-includes" not in meta
    assert meta["stub-warnings"] == []
    include, chips = meta["stub-includes"]
    location, html = include.split("\n", 1)
    assert location == "in-header"
    assert chips.startswith("after-body\n<script>")  # the chip script (test_category_links)
    head = parse_head(html)
    assert head.properties("article:tag") == LABELS
    (ld,) = head.json_ld()
    assert ld["url"] == "https://example.org/blog/posts/2024-10-17-harvest-log/"
    assert ld["datePublished"] == "2024-10-17"
    assert meta["categories"] == LABELS
    assert [link["slug"] for link in meta["category-links"]] == [
        "python",
        "harvest",
        "data-visualisation",
    ]


def test_quarto_path_for_latex_sets_keywords(
    pandoc_path: str, built_blog: Path, tmp_path: Path
) -> None:
    """quarto.doc.is_format decides the output kind: LaTeX gets keywords, no head."""
    meta = stub_render(pandoc_path, built_blog / POST, cwd=tmp_path, project=built_blog, fmt="pdf")
    assert meta["stub-includes"] == []
    assert meta["keywords"] == LABELS


def test_quarto_path_warns_through_quarto_log(pandoc_path: str, tmp_path: Path) -> None:
    """No registry under Quarto: one warning, through quarto.log.warning."""
    post = tmp_path / "post.qmd"
    post.write_text(UNLISTED, encoding="utf-8")
    meta = stub_render(pandoc_path, post, cwd=tmp_path, project=tmp_path)
    (warning,) = meta["stub-warnings"]
    assert warning.startswith("nbpost: no registry at ")
    assert meta["category-links"][0]["href"] == "/categories/brand-new/"


def test_missing_registry_falls_back_with_one_warning(pandoc_path: str, tmp_path: Path) -> None:
    """Plain pandoc, no categories.json: built-in slug rules and exactly one warning."""
    (tmp_path / "post.qmd").write_text(UNLISTED, encoding="utf-8")
    result = render(pandoc_path, "post.qmd", to="json", cwd=tmp_path)
    assert len(result.warnings) == 1, result.err
    assert "no registry at" in result.warnings[0] and "categories.json" in result.warnings[0]
    links = json_meta(result)["category-links"]
    assert [(link["slug"], link["href"], link["feed"]) for link in links] == [
        ("brand-new", "/categories/brand-new/", "/categories/brand-new/index.xml"),
        ("another-one", "/categories/another-one/", "/categories/another-one/index.xml"),
        ("python", "/categories/python/", "/categories/python/index.xml"),
    ]


def test_unknown_categories_warn_once(pandoc_path: str, built_blog: Path) -> None:
    """A registry without two of the post's categories: one warning, the known one resolved."""
    (built_blog / "posts" / "new.qmd").write_text(UNLISTED, encoding="utf-8")
    result = render(pandoc_path, "posts/new.qmd", to="json", cwd=built_blog)
    assert len(result.warnings) == 1, result.err
    assert "Brand New" in result.warnings[0]
    links = json_meta(result)["category-links"]
    assert links[2]["description"] == "Posts with Python code."  # from the registry


def test_listed_post_has_no_warning(pandoc_path: str, built_blog: Path) -> None:
    """The normal case is quiet."""
    assert render(pandoc_path, POST, to="html", cwd=built_blog).warnings == []


def test_registry_path_from_metadata(pandoc_path: str, built_blog: Path, tmp_path: Path) -> None:
    """`nbpost: output-dir/registry` move the registry; an absolute registry path works too."""
    moved = built_blog / "site-data" / "reg.json"
    moved.parent.mkdir()
    (built_blog / "categories.json").rename(moved)
    assert len(render(pandoc_path, POST, to="html", cwd=built_blog).warnings) == 1
    for options in (
        "nbpost:\n  output-dir: site-data\n  registry: reg.json\n",
        f"nbpost:\n  registry: {json.dumps(str(moved))}\n",
    ):
        settings = tmp_path / "settings.yml"
        settings.write_text(options, encoding="utf-8")
        result = render(
            pandoc_path, POST, to="html", cwd=built_blog, extra=["--metadata-file", str(settings)]
        )
        assert result.warnings == [], options
        (ld,) = parse_head(result.out).json_ld()
        assert ld["url"].endswith("/posts/2024-10-17-harvest-log/")


def test_project_dir_from_environment(pandoc_path: str, built_blog: Path, tmp_path: Path) -> None:
    """QUARTO_PROJECT_DIR names the project when pandoc runs from another folder."""
    args = pandoc_args(built_blog / POST, "html")
    lost = run_pandoc(pandoc_path, args, cwd=tmp_path)
    assert "no registry" in lost.stderr
    found = run_pandoc(pandoc_path, args, cwd=tmp_path, env={"QUARTO_PROJECT_DIR": str(built_blog)})
    assert "nbpost" not in found.stderr
    (ld,) = parse_head(found.stdout).json_ld()
    assert ld["url"] == "https://example.org/blog/posts/2024-10-17-harvest-log/"


def test_broken_registry_is_an_error(pandoc_path: str, built_blog: Path) -> None:
    """A registry that is not JSON stops the render with one line naming it."""
    (built_blog / "categories.json").write_text("{not json", encoding="utf-8")
    done = run_pandoc(pandoc_path, pandoc_args(POST, "html"), cwd=built_blog, check=False)
    assert done.returncode != 0
    assert "categories.json: not valid JSON" in done.stderr


def test_existing_header_includes_are_kept(pandoc_path: str, built_blog: Path) -> None:
    """Plain pandoc: the head is appended to header-includes, not written over it."""
    settings = built_blog / "head.yml"
    settings.write_text(
        'header-includes: |\n  ```{=html}\n  <meta name="mine" content="kept">\n  ```\n',
        encoding="utf-8",
    )
    out = render(
        pandoc_path, POST, to="html", cwd=built_blog, extra=["--metadata-file", str(settings)]
    ).out
    head = parse_head(out)
    assert head.named("mine") == ["kept"]
    assert head.properties("article:tag") == LABELS


def test_pages_without_categories_are_left_alone(pandoc_path: str, built_blog: Path) -> None:
    """about.qmd: no categories, not a post: no head tags, no warning."""
    result = render(pandoc_path, "about.qmd", to="html", cwd=built_blog, reader="markdown")
    assert result.warnings == []
    assert parse_head(result.out).json_ld() == []


def test_json_ld_authors_and_raw_escapes(pandoc_path: str, tmp_path: Path) -> None:
    """Authors in every front matter shape; `<`, `>`, `&`, U+2028/9 escaped in the raw text."""
    (tmp_path / "post.qmd").write_text(
        "---\n"
        'title: "A <b> & \\u2028 \\u2029 title"\n'
        "author:\n"
        "  - Ann Writer\n"
        "  - name: Bo Li\n"
        "  - name: {given: Cy, family: Dee}\n"
        "  - name: {literal: Ed & Co}\n"
        "date: 10/17/2024\n"
        "categories: x\n"
        "---\n",
        encoding="utf-8",
    )
    out = render(pandoc_path, "post.qmd", to="html", cwd=tmp_path, reader="markdown-raw_html").out
    (ld,) = parse_head(out).json_ld()
    assert [person["name"] for person in ld["author"]] == [
        "Ann Writer",
        "Bo Li",
        "Cy Dee",
        "Ed & Co",
    ]
    assert all(person["@type"] == "Person" for person in ld["author"])
    assert ld["headline"] == "A <b> & \u2028 \u2029 title"
    assert ld["datePublished"] == "2024-10-17"
    script = out.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in script
    for escaped in ("\\u003cb\\u003e", "\\u0026", "\\u2028", "\\u2029"):
        assert escaped in script
