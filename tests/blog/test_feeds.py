"""Feeds (blog.render.feeds via write_blog): parsed back with feedparser, every field checked."""

from __future__ import annotations

import calendar
import html
import json
from pathlib import Path

import feedparser
import pytest
from blogfactory import d, make_blog, make_post

from nbpost.blog.build import write_blog

SITE = "https://example.org/blog"


def shown(detail) -> str:
    """What a reader shows for a feedparser value: HTML (no tags in it) read as HTML."""
    if detail.type == "text/html":
        assert "<" not in detail.value, detail.value
        return html.unescape(detail.value)
    return detail.value


def sample_posts():
    return [
        make_post(
            "posts/2024-10-17-notes/index.qmd",
            "Notes & <thoughts>",
            d(2024, 10, 17),
            ["Machine Learning", "dbt"],
            description='What I learned, "quoted".',
            authors=["A. Writer", "B. Other"],
            date_modified=d(2024, 11, 1),
        ),
        make_post(
            "posts/2023-05-01-nb/index.ipynb",
            "A notebook post",
            d(2023, 5, 1, 15),
            ["Machine Learning"],
            description="Plots.",
            authors=["A. Writer"],
            image="posts/2023-05-01-nb/cover.png",
        ),
        make_post("posts/undated/index.qmd", "Undated thoughts", None, ["dbt"], description="?"),
    ]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    blog = make_blog(tmp_path, sample_posts(), title="My blog")
    result = write_blog(blog)
    assert result.errors == [] and result.warnings == []
    assert result.feeds == 9  # 3 for the blog, 3 for each of 2 categories
    return tmp_path


def utc_seconds(struct) -> int:
    return calendar.timegm(struct)


def test_rss_blog_feed_fields(built: Path) -> None:
    feed = feedparser.parse((built / "feeds/index.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == "My blog"
    assert feed.feed.link == SITE + "/"
    assert feed.feed.language == "en"
    assert feed.feed.generator == "nbpost"
    assert [shown(e.title_detail) for e in feed.entries] == [
        "Notes & <thoughts>",
        "A notebook post",
        "Undated thoughts",
    ]
    first, second, undated = feed.entries
    assert first.link == SITE + "/posts/2024-10-17-notes/"
    assert first.id == SITE + "/posts/2024-10-17-notes/"
    assert first.summary == 'What I learned, "quoted".'
    assert [t.term for t in first.tags] == ["Machine Learning", "dbt"]
    assert utc_seconds(first.published_parsed) == int(d(2024, 10, 17).timestamp())
    assert utc_seconds(second.published_parsed) == int(d(2023, 5, 1, 15).timestamp())
    # dc:creator, one per author (RSS <author> needs an e-mail address).
    assert first.author in ("A. Writer", "B. Other")
    assert "published_parsed" not in undated  # no invented date
    # lastBuildDate is the newest date in the feed (date-modified here), never the clock.
    assert utc_seconds(feed.feed.updated_parsed) == int(d(2024, 11, 1).timestamp())


def test_atom_blog_feed_fields(built: Path) -> None:
    feed = feedparser.parse((built / "feeds/atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "My blog"
    assert feed.feed.id == SITE + "/"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": SITE + "/feeds/atom.xml", "alternate": SITE + "/"}
    assert utc_seconds(feed.feed.updated_parsed) == int(d(2024, 11, 1).timestamp())
    first, second, undated = feed.entries
    assert first.id == SITE + "/posts/2024-10-17-notes/"
    assert first.title == "Notes & <thoughts>"
    assert first.link == SITE + "/posts/2024-10-17-notes/"
    assert [a.name for a in first.authors] == ["A. Writer", "B. Other"]
    assert [t.term for t in first.tags] == ["Machine Learning", "dbt"]
    assert first.summary == 'What I learned, "quoted".'
    assert utc_seconds(first.published_parsed) == int(d(2024, 10, 17).timestamp())
    assert utc_seconds(first.updated_parsed) == int(d(2024, 11, 1).timestamp())
    assert utc_seconds(second.updated_parsed) == int(d(2023, 5, 1, 15).timestamp())
    # Atom requires `updated`: an undated entry takes the newest date of the blog.
    assert "published_parsed" not in undated
    assert utc_seconds(undated.updated_parsed) == int(d(2024, 11, 1).timestamp())


def test_category_feeds(built: Path) -> None:
    rss = feedparser.parse((built / "categories/dbt/index.xml").read_bytes())
    atom = feedparser.parse((built / "categories/dbt/atom.xml").read_bytes())
    for feed in (rss, atom):
        assert not feed.bozo
        assert feed.feed.title == "My blog: dbt"
        assert feed.feed.link == SITE + "/categories/dbt/"
        titles = [shown(e.title_detail) for e in feed.entries]
        assert titles == ["Notes & <thoughts>", "Undated thoughts"]
        assert all("dbt" in [t.term for t in e.tags] for e in feed.entries)
    self_links = [link.href for link in atom.feed.links if link.rel == "self"]
    assert self_links == [SITE + "/categories/dbt/atom.xml"]
    ml = feedparser.parse((built / "categories/machine-learning/atom.xml").read_bytes())
    assert [e.id for e in ml.entries] == [
        SITE + "/posts/2024-10-17-notes/",
        SITE + "/posts/2023-05-01-nb/",
    ]


def test_json_feed(built: Path) -> None:
    data = json.loads((built / "feeds/feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "My blog"
    assert data["home_page_url"] == SITE + "/"
    assert data["feed_url"] == SITE + "/feeds/feed.json"
    first, second, undated = data["items"]
    assert first["id"] == first["url"] == SITE + "/posts/2024-10-17-notes/"
    assert first["title"] == "Notes & <thoughts>"
    assert first["date_published"] == "2024-10-17T00:00:00+00:00"
    assert first["date_modified"] == "2024-11-01T00:00:00+00:00"
    assert first["authors"] == [{"name": "A. Writer"}, {"name": "B. Other"}]
    assert first["tags"] == ["Machine Learning", "dbt"]
    assert second["image"] == SITE + "/posts/2023-05-01-nb/cover.png"
    assert "date_published" not in undated
    assert all("content_text" in item for item in data["items"])
    category = json.loads((built / "categories/dbt/feed.json").read_text(encoding="utf-8"))
    assert category["feed_url"] == SITE + "/categories/dbt/feed.json"
    assert [item["title"] for item in category["items"]] == [
        "Notes & <thoughts>",
        "Undated thoughts",
    ]
    # JSON Feed 1.1 requirements: string ids, one content field per item, known top-level keys
    # (and extensions, whose names start with "_": nbpost's mark is one).
    allowed = {"version", "title", "home_page_url", "feed_url", "description", "language", "items"}
    assert {key for key in data if not key.startswith("_")} <= allowed
    assert set(data) - allowed == {"_nbpost"} and isinstance(data["_nbpost"], dict)
    for item in data["items"]:
        assert isinstance(item["id"], str)
        assert "content_text" in item or "content_html" in item


def test_feeds_are_byte_identical_across_builds(tmp_path: Path) -> None:
    first = tmp_path / "one"
    second = tmp_path / "two"
    for root in (first, second):
        write_blog(make_blog(root, sample_posts(), title="My blog"))
    for name in ("feeds/index.xml", "feeds/atom.xml", "feeds/feed.json", "categories/dbt/atom.xml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_no_site_url_warns_once_and_builds_the_rest(tmp_path: Path) -> None:
    result = write_blog(make_blog(tmp_path, sample_posts(), site_url=None))
    assert result.feeds == 0
    assert len([w for w in result.warnings if "site-url" in w]) == 1
    assert not (tmp_path / "feeds").exists()
    assert not list(tmp_path.glob("categories/*/*.xml"))
    assert (tmp_path / "categories/dbt/index.qmd").is_file()
    registry = json.loads((tmp_path / "categories.json").read_text(encoding="utf-8"))
    assert registry["site-url"] is None
    assert registry["feeds"] == {}
    assert all(c["feeds"] == {} for c in registry["categories"])


def test_feed_items_limit(tmp_path: Path) -> None:
    posts = [
        make_post(f"posts/p{i:02d}/index.qmd", f"Post {i}", d(2024, 1, i + 1), ["x"])
        for i in range(25)
    ]
    write_blog(make_blog(tmp_path / "default", posts))
    write_blog(make_blog(tmp_path / "three", posts, options={"feed-items": 3}))
    write_blog(make_blog(tmp_path / "all", posts, options={"feed-items": 0}))
    count = lambda root: len(feedparser.parse((root / "feeds/atom.xml").read_bytes()).entries)  # noqa: E731
    assert count(tmp_path / "default") == 20  # Quarto's default
    assert count(tmp_path / "three") == 3
    assert count(tmp_path / "all") == 25
    newest = feedparser.parse((tmp_path / "three/feeds/atom.xml").read_bytes()).entries[0]
    assert newest.title == "Post 24"


def test_all_undated_blog_uses_a_fixed_atom_date(tmp_path: Path) -> None:
    posts = [make_post("posts/a/index.qmd", "A", None, ["x"])]
    write_blog(make_blog(tmp_path, posts))
    feed = feedparser.parse((tmp_path / "feeds/atom.xml").read_bytes())
    assert not feed.bozo
    assert utc_seconds(feed.entries[0].updated_parsed) == 0  # 1970-01-01, not the clock


def test_control_characters_do_not_break_xml(tmp_path: Path) -> None:
    posts = [make_post("posts/a/index.qmd", "Bell\x07 title", d(2024, 1, 1), ["x\x0b"])]
    result = write_blog(make_blog(tmp_path, posts))
    assert result.errors == []
    feed = feedparser.parse((tmp_path / "feeds/index.xml").read_bytes())
    assert not feed.bozo
    assert feed.entries[0].title == "Bell title"


def test_rss_items_carry_the_image_as_media_rss(tmp_path: Path) -> None:
    """Quarto's RSS items give the listing image as <media:content> (feed/item.ejs.md in
    quarto-cli); the type follows the extension, and a post without an image has none."""
    posts = sample_posts()
    posts.append(
        make_post(
            "posts/photo/index.qmd", "Photo", d(2022, 1, 1), ["dbt"], image="posts/photo/a b.JPG"
        )
    )
    posts.append(
        make_post("posts/odd/index.qmd", "Odd", d(2021, 1, 1), ["dbt"], image="posts/odd/pic")
    )
    write_blog(make_blog(tmp_path, posts, title="My blog"))
    feed = feedparser.parse((tmp_path / "feeds/index.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    media = {entry.title: entry.get("media_content") for entry in feed.entries}
    assert media["A notebook post"] == [
        {"url": SITE + "/posts/2023-05-01-nb/cover.png", "medium": "image", "type": "image/png"}
    ]
    assert media["Photo"] == [
        {"url": SITE + "/posts/photo/a%20b.JPG", "medium": "image", "type": "image/jpeg"}
    ]
    assert media["Odd"] == [{"url": SITE + "/posts/odd/pic", "medium": "image"}]
    assert media["Undated thoughts"] is None
    category = feedparser.parse((tmp_path / "categories/dbt/index.xml").read_bytes())
    assert [[m.get("type") for m in e.get("media_content", [])] for e in category.entries] == [
        [], ["image/jpeg"], [None], [],
    ]  # fmt: skip
