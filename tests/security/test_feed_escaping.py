"""Every feed field that carries user text reaches a feed reader as that text, never as markup.

Issue 11, item 3: RSS reads ``<description>`` as entity-encoded HTML, so a category label
``<img src=x onerror=alert(1)>`` in "Posts in the category {label}", a category description,
``website.description`` or a post description with a code span reached readers as markup. Each
field is parsed back with feedparser: where it reports HTML, the HTML holds no element and
reads as the plain text; where it reports plain text, that is the text (RSS, Atom, JSON Feed;
the blog's feeds and every category's).
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import pytest
from securitykit import LISTING_PAGE, write_files

from nbpost.blog.build import build_blog
from nbpost.blog.read.collect import collect_blog

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<b>bold</b> & co",
    "a &lt; b &amp; c",
    "]]> <!-- not a comment --> <![CDATA[x]]>",
    "Salt & Pepper",
    "x < y > z",
    "\"double\" and 'single' quotes",
]


class _Text(HTMLParser):
    """The text of an HTML fragment, refusing any element in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        raise AssertionError(f"markup reached the reader: <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        raise AssertionError(f"markup reached the reader: </{tag}>")

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"markup reached the reader: <!--{data}-->")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown(detail: Any) -> str:
    """What a reader shows for a feedparser value, read as the content type it reports."""
    if detail.type in ("text/html", "application/xhtml+xml"):
        parser = _Text()
        parser.feed(detail.value)
        parser.close()
        return "".join(parser.parts)
    assert detail.type == "text/plain", detail.type
    return detail.value


def hostile_blog(root: Path) -> Path:
    quarto = (
        "project:\n  type: website\nwebsite:\n"
        f"  title: {json.dumps('Blog <i>of</i> & ' + HOSTILE[0])}\n"
        f"  description: {json.dumps('About <script>alert(2)</script> &amp; more')}\n"
        "  site-url: https://example.org\n"
    )
    files: dict[str, str | bytes] = {"_quarto.yml": quarto, "index.qmd": LISTING_PAGE}
    registry = ["- label: described", f"  description: {json.dumps('Cat ' + HOSTILE[1])}"]
    files["_categories.yml"] = "\n".join(registry) + "\n"
    for number, text in enumerate(HOSTILE):
        labels = [text, "described"]
        front = [
            "---",
            f"title: {json.dumps(text)}",
            f"date: 2024-01-{number + 1:02d}",
            f"author: {json.dumps('Ann ' + text)}",
            f"categories: {json.dumps(labels)}",
            f"description: {json.dumps('Use `' + text + '` with care')}",
            "---",
            "",
            "Body.",
        ]
        files[f"posts/p{number}/index.qmd"] = "\n".join(front) + "\n"
    return write_files(root, files)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    root = hostile_blog(tmp_path_factory.mktemp("feeds") / "blog")
    result = build_blog(root, quiet=True)
    assert result.errors == [], result.errors
    return root, collect_blog(root)


def feed_folders(root: Path) -> list[Path]:
    return [root / "feeds", *sorted(p for p in (root / "categories").iterdir() if p.is_dir())]


def test_every_rss_field_reads_as_plain_text(built: tuple[Path, Any]) -> None:
    root, blog = built
    posts = {post.href: post for post in blog.posts}
    checked = 0
    for folder in feed_folders(root):
        feed = feedparser.parse((folder / "index.xml").read_bytes())
        assert not feed.bozo, (folder, feed.get("bozo_exception"))
        assert shown(feed.feed.title_detail).startswith(blog.config.title)
        subtitle = shown(feed.feed.subtitle_detail)
        assert subtitle in (blog.config.description, "Cat " + HOSTILE[1]) or (
            subtitle.startswith("Posts in the category ")
        ), subtitle
        for entry in feed.entries:
            post = posts[entry.link.removeprefix("https://example.org")]
            assert shown(entry.title_detail) == post.title
            assert shown(entry.summary_detail) == post.description
            assert [tag.term for tag in entry.tags] == post.categories
            assert [author.name for author in entry.authors] == post.authors
            checked += 1
    assert checked >= 2 * len(HOSTILE)


def test_category_label_in_its_feed_description_is_text(built: tuple[Path, Any]) -> None:
    root, blog = built
    for category in blog.categories:
        if category.label != HOSTILE[0]:
            continue
        feed = feedparser.parse((root / "categories" / category.slug / "index.xml").read_bytes())
        assert shown(feed.feed.subtitle_detail) == f"Posts in the category {HOSTILE[0]}"
        assert shown(feed.feed.title_detail).endswith(": " + HOSTILE[0])
        break
    else:
        raise AssertionError("no hostile category")


def test_every_atom_field_reads_as_plain_text(built: tuple[Path, Any]) -> None:
    root, blog = built
    posts = {post.href: post for post in blog.posts}
    for folder in feed_folders(root):
        feed = feedparser.parse((folder / "atom.xml").read_bytes())
        assert not feed.bozo
        assert feed.feed.title_detail.type == "text/plain"
        assert shown(feed.feed.title_detail).startswith(blog.config.title)
        for entry in feed.entries:
            post = posts[entry.link.removeprefix("https://example.org")]
            assert entry.title_detail.type == entry.summary_detail.type == "text/plain"
            assert shown(entry.title_detail) == post.title
            assert shown(entry.summary_detail) == post.description
            assert [tag.term for tag in entry.tags] == post.categories
            assert [tag.label for tag in entry.tags] == post.categories
            assert [author.name for author in entry.authors] == post.authors


def test_every_json_feed_field_is_the_text(built: tuple[Path, Any]) -> None:
    root, blog = built
    posts = {post.href: post for post in blog.posts}
    for folder in feed_folders(root):
        data = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
        assert data["title"].startswith(blog.config.title)
        for item in data["items"]:
            post = posts[item["url"].removeprefix("https://example.org")]
            assert item["title"] == post.title
            assert item["summary"] == item["content_text"] == post.description
            assert item["tags"] == post.categories
            assert [author["name"] for author in item["authors"]] == post.authors


def test_code_span_in_a_description_stays_text(built: tuple[Path, Any]) -> None:
    root, blog = built
    post = next(p for p in blog.posts if p.title == HOSTILE[0])
    assert post.description == f"Use {HOSTILE[0]} with care"
    feed = feedparser.parse((root / "feeds" / "index.xml").read_bytes())
    entry = next(e for e in feed.entries if shown(e.title_detail) == HOSTILE[0])
    assert shown(entry.summary_detail) == post.description


def test_plain_titles_stay_plain_in_rss(built: tuple[Path, Any]) -> None:
    # Only text a reader would take for HTML is escaped as HTML: "Salt & Pepper" stays
    # plain character data, which every reader shows as written.
    root, _blog = built
    text = (root / "feeds" / "index.xml").read_text(encoding="utf-8")
    assert "<title>Salt &amp; Pepper</title>" in text
    assert "<title>&amp;lt;img src=x onerror=alert(1)&amp;gt;</title>" in text
