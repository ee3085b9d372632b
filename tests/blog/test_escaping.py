"""Hostile titles and categories: no markup, no shortcode, no path outside the output folder."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import feedparser
import pytest
import yaml
from blogfactory import d, make_blog, make_post
from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost.blog.build import write_blog
from nbpost.blog.render.escape import (
    absolute_url,
    html_attr,
    inside,
    json_text,
    markdown_text,
    one_line,
    safe_colour,
    yaml_str,
)
from nbpost.errors import NbpostError
from nbpost.frontmatter import QuartoYamlLoader, split

NASTY = [
    "<script>alert(1)</script>",
    "a & b",
    '"quoted"',
    ": colon",
    "../../etc",
    "{{< include x >}}",
    "@cite",
    "*emph*",
    "😀 emoji",
    "it's -- done...",
    "$x$ maths",
    "[link](http://x)",
    "# heading",
    "- list",
    "a\\b",
    "<!-- c -->",
    "&amp;",
    "`code`",
    "x_y_z {.class}",
    "- item: value\n  other: 1",
]


def pandoc_run(pandoc: str, text: str, to: str) -> str:
    done = subprocess.run(
        [pandoc, "-f", "markdown", "-t", to, "--wrap=none", "-s"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


@pytest.fixture
def hostile(tmp_path: Path):
    posts = [
        make_post(
            f"posts/p{i:02d}/index.{'ipynb' if i % 3 == 0 else 'qmd'}",
            title,
            d(2024, 1, i + 1),
            [title, NASTY[(i + 1) % len(NASTY)]],
            description=f"About {title}",
            authors=[title],
        )
        for i, title in enumerate(NASTY)
    ]
    blog = make_blog(tmp_path / "site", posts, title="<b>Blog</b> & {{< include y >}}")
    result = write_blog(blog)
    return tmp_path / "site", result, blog


def test_every_written_path_stays_inside_the_output_folder(hostile) -> None:
    root, result, blog = hostile
    assert result.errors == []
    assert len(result.written) > 4 * len(blog.categories)
    for key in result.written:
        resolved = (root / key).resolve()
        assert root.resolve() in resolved.parents
    # Nothing appeared next to the blog folder (../../etc did not escape).
    assert sorted(p.name for p in root.parent.iterdir()) == ["site"]
    for path in root.rglob("*"):
        assert ".." not in path.relative_to(root).parts


def test_no_quarto_shortcode_survives_in_generated_sources(hostile) -> None:
    root, result, _ = hostile
    for key in result.written:
        if key.endswith((".qmd", ".md", ".yml")):
            text = (root / key).read_text(encoding="utf-8")
            assert "{{<" not in text, key


def test_yaml_outputs_round_trip_to_the_escaped_strings(hostile) -> None:
    root, _, blog = hostile
    for category in blog.categories:
        folder = root / "categories" / category.slug
        block, meta, _ = split((folder / "index.qmd").read_text(encoding="utf-8"))
        assert block is not None
        assert meta["title"] == markdown_text(category.label)
        inner = "\n".join(block.split("\n")[1:-1])
        assert yaml.safe_load(inner) == meta  # the YAML 1.1 reader agrees with Quarto's


def test_listing_html_reads_back_every_value_exactly(hostile) -> None:
    """The category pages' lists are HTML nbpost escapes itself: parsed back, each title,
    category and author is the text as written (one line), notebooks and text posts alike."""
    from html.parser import HTMLParser

    class Items(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.items: list[dict[str, list[str]]] = []
            self.field: str | None = None

        def handle_starttag(self, tag, attrs) -> None:
            css = dict(attrs).get("class") or ""
            if "quarto-post" in css.split():
                self.items.append({"title": [], "category": [], "author": []})
            for name in ("listing-title", "listing-category", "listing-author"):
                if name in css.split():
                    self.field = name.split("-", 1)[1]
                    self.items[-1][self.field].append("")

        def handle_endtag(self, tag) -> None:
            if (tag in ("h3", "div", "a") and self.field and tag != "a") or (
                tag == "a" and self.field == "category"
            ):
                self.field = None

        def handle_data(self, data) -> None:
            if self.field:
                self.items[-1][self.field][-1] += data

    root, _, blog = hostile
    for category in blog.categories:
        parser = Items()
        parser.feed((root / "categories" / category.slug / "index.qmd").read_text("utf-8"))
        assert len(parser.items) == category.count
        for item, post in zip(parser.items, category.posts, strict=True):
            assert item["title"] == [one_line(post.title)]
            assert item["category"] == [one_line(c) for c in post.categories]
            assert item["author"] == [", ".join(one_line(a) for a in post.authors)]


@pytest.mark.pandoc
def test_pandoc_renders_generated_pages_without_markup(hostile, pandoc_path: str) -> None:
    root, result, blog = hostile
    pages = [k for k in result.written if k.endswith((".qmd", ".md"))]
    assert "archive/index.qmd" in pages and "POSTS.md" in pages
    for key in pages:
        html = pandoc_run(pandoc_path, (root / key).read_text(encoding="utf-8"), "html")
        html = html.split("<body>", 1)[1]
        assert "<script" not in html, key
        assert "<em>" not in html and "<b>" not in html, key
        assert "data-cites" not in html and 'class="citation"' not in html, key
        assert "<code>" not in html and 'class="math' not in html, key
        assert 'href="http://x"' not in html, key
        assert "<h1" not in html.split("</header>")[-1] or key == "POSTS.md", key
    # The labels show literally: plain text of the category index has each label.
    plain = pandoc_run(
        pandoc_path, (root / "categories/index.qmd").read_text(encoding="utf-8"), "plain"
    )
    for category in blog.categories:
        assert " ".join(category.label.split()) in plain
    # A category page's title (pandoc reads YAML metadata as Markdown) stays literal.
    for category in blog.categories:
        page = (root / "categories" / category.slug / "index.qmd").read_text(encoding="utf-8")
        html = pandoc_run(pandoc_path, page, "html")
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        assert title is not None
        assert "<" not in title.group(1)


def test_json_and_xml_keep_exact_strings(hostile) -> None:
    root, _, blog = hostile
    registry = json.loads((root / "categories.json").read_text(encoding="utf-8"))
    assert {c["label"] for c in registry["categories"]} == {c.label for c in blog.categories}
    assert {p["title"] for p in registry["posts"].values()} == {p.title for p in blog.posts}
    feed = feedparser.parse((root / "feeds/atom.xml").read_bytes())
    assert not feed.bozo
    titles = {e.title for e in feed.entries}
    assert "<script>alert(1)</script>" in titles and "{{< include x >}}" in titles
    assert feed.feed.title == "<b>Blog</b> & {{< include y >}}"


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_yaml_str_round_trips(text: str) -> None:
    document = f"key: {yaml_str(text)}\n"
    assert yaml.safe_load(document) == {"key": text}
    assert yaml.load(document, QuartoYamlLoader) == {"key": text}


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_markdown_text_is_one_line_without_unescaped_specials(text: str) -> None:
    escaped = markdown_text(text)
    assert "\n" not in escaped
    assert re.search(r"(?<!\\)[<>*_`\[\]{}@$&]", escaped.replace("\\\\", "")) is None


def test_html_attr_escapes_quotes_tags_and_braces() -> None:
    value = html_attr('"><script>{{< x >}}@a')
    assert value == "&quot;&gt;&lt;script&gt;&#123;&#123;&lt; x &gt;&#125;&#125;&#64;a"


def test_unsafe_colours_are_dropped() -> None:
    assert safe_colour("#3366cc") == "#3366cc"
    assert safe_colour("teal") == "teal"
    assert safe_colour("red; background: url(x)") is None
    assert safe_colour('#fff" onload="x') is None


def test_inside_refuses_escapes(tmp_path: Path) -> None:
    assert inside(tmp_path, "a/b.txt") == (tmp_path / "a/b.txt").resolve()
    for bad in ("../x", "a/../../x", "/etc/passwd"):
        with pytest.raises(NbpostError):
            inside(tmp_path, bad)


def test_absolute_url_encodes_paths() -> None:
    assert absolute_url("https://e.org/b", "/categories/データ/") == (
        "https://e.org/b/categories/%E3%83%87%E3%83%BC%E3%82%BF/"
    )
    assert absolute_url("https://e.org", "/a b/") == "https://e.org/a%20b/"
    assert absolute_url("https://e.org", "https://other.org/x") == "https://other.org/x"


def test_unsafe_custom_slug_is_refused(tmp_path: Path) -> None:
    posts = [make_post("posts/a/index.qmd", "A", d(2024, 1, 1), ["Evil", "Fine"])]
    blog = make_blog(tmp_path / "site", posts, extra={"Evil": {"slug": "../../escape"}})
    result = write_blog(blog)
    assert "'Evil': category slug '../../escape' contains '..'; no page or feed written" in (
        result.errors
    )
    assert (tmp_path / "site/categories/fine/index.qmd").is_file()
    assert not (tmp_path / "escape").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_json_text_matches_the_standard_library(value) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert json_text(value) == expected
