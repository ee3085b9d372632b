"""Item 1: relative images resolved as Quarto resolves them, in category pages and feeds.

Quarto: a post's `image` is relative to the post's folder (listingItemHref in
website-listing-read.ts); a `_metadata.yml` value naming a file next to it is rebased onto the
post (toInputRelativePaths, project-shared.ts); an inline listing item's `image` is resolved by
the listing page's HTML, so against the page's folder; feeds make images absolute.
"""

from __future__ import annotations

import json
from pathlib import Path

from listingparse import listing_items

from nbpost.blog.build import build_blog
from nbpost.blog.read.images import resolve_image

SITE = "https://example.org/blog"
EXPECTED = {
    "A relative image": "/posts/2024-01-10-relative-image/featured.png",
    "An image from _metadata.yml": "/posts/banner.png",
    "Spaced out": "/posts/banner.png",
    "<b>Bold</b> move & a \\ backslash": "/posts/2024-04-01-bold-notebook/plot.png",
    "Guest <i>post</i> & more": "/thumbs/guest.png",
}


def _images(blog: Path) -> dict[str, str | None]:
    found = {}
    for page in blog.glob("categories/*/index.qmd"):
        for item in listing_items(page):
            found[item.title] = item.image
    return found


def test_category_pages_show_the_images_quarto_shows(built_fixture: Path) -> None:
    images = _images(built_fixture)
    for title, image in EXPECTED.items():
        assert images[title] == image, title
        assert (built_fixture / image.lstrip("/")).is_file()  # it is the file the post meant


def test_json_feed_images_are_absolute_under_the_site_path(built_fixture: Path) -> None:
    feed = json.loads((built_fixture / "feeds/feed.json").read_text(encoding="utf-8"))
    images = {item["title"]: item.get("image") for item in feed["items"]}
    for title, image in EXPECTED.items():
        assert images[title] == SITE + image


def test_a_metadata_image_missing_beside_metadata_is_relative_to_the_post(
    fixture_blog: Path,
) -> None:
    """toInputRelativePaths rebases only values naming an existing file."""
    (fixture_blog / "posts/banner.png").unlink()
    build_blog(fixture_blog, quiet=True)
    images = _images(fixture_blog)
    assert images["An image from _metadata.yml"] == "/posts/2024-02-20-metadata-image/banner.png"
    assert images["A relative image"] == "/posts/2024-01-10-relative-image/featured.png"


def test_resolve_image() -> None:
    assert resolve_image("pic.png", "posts/a") == "/posts/a/pic.png"
    assert resolve_image("../shared/pic.png", "posts/a") == "/posts/shared/pic.png"
    assert resolve_image("./pic.png", "") == "/pic.png"
    assert resolve_image("/img/pic.png", "posts/a") == "/img/pic.png"
    assert resolve_image("https://cdn.example/p.png", "posts/a") == "https://cdn.example/p.png"
    assert resolve_image("data:image/png;base64,AAAA", "posts/a").startswith("data:")
    assert resolve_image(True, "posts/a") is None


def test_metadata_images_outside_the_project_are_not_rebased(tmp_path: Path) -> None:
    """An existence check only, through nbpost.project.paths: `../` or a symlink leading out of
    the project is never followed."""
    from nbpost.blog.read.images import rebase_metadata_image

    project = tmp_path / "project"
    (project / "posts").mkdir(parents=True)
    (tmp_path / "outside.png").write_bytes(b"x")
    (project / "posts" / "link.png").symlink_to(tmp_path / "outside.png")
    assert rebase_metadata_image({"image": "../../outside.png"}, str(project), "posts") == {
        "image": "../../outside.png"
    }
    assert rebase_metadata_image({"image": "link.png"}, str(project), "posts") == {
        "image": "link.png"
    }
    (project / "posts" / "real.png").write_bytes(b"x")
    assert rebase_metadata_image({"image": "real.png"}, str(project), "posts") == {
        "image": "/posts/real.png"
    }
