"""The filter on every post of examples/blog, after `nbpost build`, to HTML, gfm, LaTeX and docx."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from filterkit import FILTER, json_meta, parse_head, render

pytestmark = pytest.mark.pandoc

SITE = "https://example.org/blog"
FEED_TYPES = {
    "rss": ("application/rss+xml", "RSS"),
    "atom": ("application/atom+xml", "Atom"),
    "json": ("application/feed+json", "JSON Feed"),
}
# Every post of the example blog, including the draft the registry leaves out.
POSTS = sorted(
    str(path.relative_to(Path(__file__).resolve().parents[2] / "examples" / "blog"))
    for path in (Path(__file__).resolve().parents[2] / "examples" / "blog" / "posts").glob(
        "*/index.*"
    )
)


@pytest.fixture
def built_blog(examples_blog_copy: Path, run_cli: Callable[..., Any]) -> Path:
    """A copy of the example blog after `nbpost build`."""
    result = run_cli("build", examples_blog_copy, "--quiet")
    assert result.status == 0, result.err
    return examples_blog_copy


def registry(blog: Path) -> dict[str, Any]:
    """The blog's categories.json."""
    return json.loads((blog / "categories.json").read_text(encoding="utf-8"))


def expected_links(blog: Path, source: str) -> list[dict[str, Any]]:
    """The registry's categories of one post, in the post's order."""
    data = registry(blog)
    by_slug = {c["slug"]: c for c in data["categories"]}
    post = data["posts"].get(source)
    if post is None:  # the draft: resolved through the label map
        text = (blog / source).read_text(encoding="utf-8")
        labels = yaml.safe_load(text.split("---")[1])["categories"]
        return [by_slug[data["labels"][label.lower()]] for label in labels]
    return [by_slug[slug] for slug in post["slugs"]]


def test_example_blog_is_what_the_tests_expect() -> None:
    """Seven dated posts plus one draft, one of them a notebook."""
    assert len(POSTS) == 8
    assert any(post.endswith(".ipynb") for post in POSTS)


@pytest.mark.parametrize("source", POSTS)
def test_html_head(pandoc_path: str, built_blog: Path, source: str) -> None:
    """Keywords, article:tag, feed links and JSON-LD match the registry."""
    result = render(pandoc_path, source, to="html", cwd=built_blog)
    head = parse_head(result.out)
    data = registry(built_blog)
    links = expected_links(built_blog, source)
    labels = [link["label"] for link in links]
    assert head.named("keywords") == [", ".join(labels)]
    assert head.properties("article:tag") == labels
    # Feed links are absolute (site-url with its /blog path): right wherever the page is.
    assert head.alternates() == [
        (FEED_TYPES[kind][0], f"{link['label']} ({FEED_TYPES[kind][1]})", link["feed-urls"][kind])
        for link in links
        for kind in ("rss", "atom", "json")
    ]
    (ld,) = head.json_ld()
    assert ld["@context"] == "https://schema.org"
    assert ld["@type"] == "BlogPosting"
    assert ld["keywords"] == labels
    post = data["posts"].get(source)
    if post is not None:
        assert ld["headline"] == post["title"]
        assert ld["datePublished"] == post["date"]
        assert ld["url"] == SITE + post["href"]
        assert result.warnings == []
    else:  # the draft is not in the registry: its own date rules, no URL
        assert ld["headline"] == "Compost heap temperatures (draft)"
        assert ld["datePublished"] == "2024-11-02"
        assert "url" not in ld


def test_html_watering_diagram_in_full(pandoc_path: str, built_blog: Path) -> None:
    """One post written out by hand, independent of the registry's contents."""
    source = "posts/2024-06-08-watering-diagram/index.qmd"
    head = parse_head(render(pandoc_path, source, to="html", cwd=built_blog).out)
    assert head.named("keywords") == ["Data Visualisation, データ, Python"]
    assert head.properties("article:tag") == ["Data Visualisation", "データ", "Python"]
    data = SITE + "/categories/%E3%83%87%E3%83%BC%E3%82%BF"
    assert [href for _, _, href in head.alternates()] == [
        SITE + "/categories/data-visualisation/index.xml",
        SITE + "/categories/data-visualisation/atom.xml",
        SITE + "/categories/data-visualisation/feed.json",
        data + "/index.xml",
        data + "/atom.xml",
        data + "/feed.json",
        SITE + "/categories/python/index.xml",
        SITE + "/categories/python/atom.xml",
        SITE + "/categories/python/feed.json",
    ]
    assert head.json_ld() == [
        {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": "A diagram of the watering rota",
            "datePublished": "2024-06-08",
            "keywords": ["Data Visualisation", "データ", "Python"],
            "url": "https://example.org/blog/posts/2024-06-08-watering-diagram/",
        }
    ]


def test_html_title_with_quotes_and_ampersand(pandoc_path: str, built_blog: Path) -> None:
    """`Tomatoes & "tidy"`: exact in JSON-LD (not smart quotes), escaped in the raw HTML."""
    source = "posts/2024-07-01-writing-chunks/index.qmd"
    html = render(pandoc_path, source, to="html", cwd=built_blog).out
    (ld,) = parse_head(html).json_ld()
    assert ld["headline"] == 'Tomatoes & "tidy" chunks: how this blog writes code'
    assert '\\u0026 \\"tidy\\"' in html  # & as \u0026 inside the script
    # "python" in the front matter is the registry's "Python": canonical label, one spelling.
    assert ld["keywords"] == ["Python", "Meta"]


@pytest.mark.parametrize("source", POSTS)
def test_category_links_metadata(pandoc_path: str, built_blog: Path, source: str) -> None:
    """`categories` holds canonical labels; `category-links` label/slug/href/feed/description.

    Plain pandoc rewrites no link, so hrefs carry the site's path (/blog); under Quarto, HTML
    keeps them project-rooted (Quarto makes them relative to each page)."""
    meta = json_meta(render(pandoc_path, source, to="json", cwd=built_blog))
    links = expected_links(built_blog, source)
    assert meta["categories"] == [link["label"] for link in links]
    got = meta["category-links"]
    assert [item["label"] for item in got] == [link["label"] for link in links]
    assert [item["slug"] for item in got] == [link["slug"] for link in links]
    assert [item["href"] for item in got] == ["/blog" + link["href"] for link in links]
    assert [item["url"] for item in got] == [link["url"] for link in links]
    assert [item["feed"] for item in got] == ["/blog" + link["feeds"]["rss"] for link in links]
    assert [item["feeds"] for item in got] == [
        {kind: "/blog" + href for kind, href in link["feeds"].items()} for link in links
    ]
    assert [item["feed-urls"] for item in got] == [link["feed-urls"] for link in links]
    assert [item.get("description") for item in got] == [link["description"] for link in links]


def test_notebook_post_gets_its_categories_from_the_registry(
    pandoc_path: str, built_blog: Path
) -> None:
    """Pandoc reads a notebook's front matter cell as raw text: the registry supplies it."""
    meta = json_meta(
        render(pandoc_path, "posts/2024-05-20-cafe-queue/index.ipynb", to="json", cwd=built_blog)
    )
    assert meta["categories"] == ["Café culture", "Python"]
    cafe = meta["category-links"][0]
    assert cafe["slug"] == "cafe"  # the custom slug from _categories.yml
    assert cafe["href"] == "/blog/categories/cafe/"
    assert cafe["url"] == "https://example.org/blog/categories/cafe/"
    assert cafe["description"] == "Notes from the café across the road from the plot."


@pytest.mark.parametrize("source", POSTS)
def test_gfm_category_line(pandoc_path: str, built_blog: Path, source: str) -> None:
    """gfm with `category-line: true`: a visible line of absolute links; no keywords added to
    the Markdown's front matter (readers see it)."""
    options = built_blog / "line.yml"
    options.write_text("nbpost:\n  category-line: true\n", encoding="utf-8")
    out = render(
        pandoc_path,
        source,
        to="gfm",
        cwd=built_blog,
        extra=["--wrap=none", "--metadata-file", str(options)],
    ).out
    links = expected_links(built_blog, source)
    line = "Categories: " + ", ".join(f"[{link['label']}]({link['url']})" for link in links)
    assert out.rstrip().endswith(line)
    front = yaml.safe_load(out.split("---")[1])
    assert "keywords" not in front


def test_gfm_without_the_option_has_no_category_line(pandoc_path: str, built_blog: Path) -> None:
    """The line is opt-in."""
    out = render(
        pandoc_path, "posts/2024-03-02-first-frost-dates/index.qmd", to="gfm", cwd=built_blog
    ).out
    assert "Categories:" not in out


@pytest.mark.parametrize("source", POSTS)
def test_latex_keywords(pandoc_path: str, built_blog: Path, source: str) -> None:
    """LaTeX/PDF: the labels become hyperref's pdfkeywords."""
    out = render(pandoc_path, source, to="latex", cwd=built_blog).out
    labels = [link["label"] for link in expected_links(built_blog, source)]
    match = re.search(r"pdfkeywords=\{(.*)\},", out)
    assert match is not None
    assert match.group(1) == ", ".join(labels)
    assert "<meta" not in out and "ld+json" not in out


def test_docx_keywords(pandoc_path: str, built_blog: Path, tmp_path: Path) -> None:
    """Word: the labels land in the document properties (docProps/core.xml)."""
    target = tmp_path / "post.docx"
    render(
        pandoc_path,
        "posts/2024-10-17-harvest-log/index.qmd",
        to="docx",
        cwd=built_blog,
        extra=["-o", str(target)],
    )
    with zipfile.ZipFile(target) as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert "<cp:keywords>Python, Harvest, Data Visualisation</cp:keywords>" in core


def test_example_extension_is_the_root_extension(repo_root: Path) -> None:
    """examples/blog/_extensions/nbpost is a byte-identical copy of _extensions/nbpost."""
    root = repo_root / "_extensions" / "nbpost"
    copy = repo_root / "examples" / "blog" / "_extensions" / "nbpost"

    def files(folder: Path) -> list[str]:
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

    names = files(root)
    assert "lib/slugs.lua" in names  # the walk reaches the filter's parts
    assert files(copy) == names
    for name in names:
        assert (copy / name).read_bytes() == (root / name).read_bytes(), (
            f"examples/blog/_extensions/nbpost/{name} differs: rm -r examples/blog/_extensions/"
            "nbpost && cp -r _extensions/nbpost examples/blog/_extensions/"
        )
    assert root / "nbpost.lua" == FILTER
