"""Items 10 and 11 (the pages' side): escaping in the post lists, the way back to the blog,
descriptions, dates, labels and links under a site path, on the fixture blog."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from listingparse import listing_items

from nbpost.blog.build import build_blog
from nbpost.frontmatter import split

SITE = "https://example.org/blog"
BOLD = "<b>Bold</b> move & a \\ backslash"
GUEST = "Guest <i>post</i> & more"


@pytest.mark.pandoc
def test_notebook_and_external_items_never_become_markup(
    built_fixture: Path, pandoc_path: str
) -> None:
    """Quarto's listing template inserts item fields raw (lodash `<%= %>`) and categories in a
    raw HTML block; nbpost's lists are HTML it escapes itself: rendered by pandoc, no value
    becomes an element, and each reads back exactly (`scikit-learn`, not `scikit\\-learn`)."""
    for name in ("python", "scikit-learn", "guest", "machine-learning"):
        source = (built_fixture / "categories" / name / "index.qmd").read_text("utf-8")
        html = subprocess.run(
            [pandoc_path, "-f", "markdown", "-t", "html"],
            input=source,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        for tag in ("<b>", "<i>", "<script", "<em>"):
            assert tag not in html, (name, tag)
        for item in listing_items(html):
            assert "\\" not in "".join(item.categories)
    items = {
        item.title: item for item in listing_items(built_fixture / "categories/python/index.qmd")
    }
    assert items[BOLD].categories == ["scikit-learn", "C++", "Python"]
    assert items[BOLD].description == "Plots alert(1) and stars"  # plain text, as Quarto's
    guest = listing_items(built_fixture / "categories/guest/index.qmd")
    assert [item.title for item in guest] == [GUEST]
    assert guest[0].href == "https://other.example/guest"


def test_all_posts_leads_to_the_blog_listing(built_fixture: Path, fixture_blog: Path) -> None:
    """The root index.qmd is this blog's About page; its listing is blog.qmd."""
    for page in ("categories/python/index.qmd", "categories/index.qmd"):
        assert "[All posts](../../blog.qmd)" in (built_fixture / page).read_text("utf-8") or (
            "[All posts](../blog.qmd)" in (built_fixture / page).read_text("utf-8")
        )
    registry = json.loads((built_fixture / "categories.json").read_text(encoding="utf-8"))
    assert registry["pages"]["blog"] == "/blog.html"
    # No listing page at all: the root index page; without one, no "All posts" link.
    (fixture_blog / "blog.qmd").unlink()
    (fixture_blog / "posts/index.qmd").unlink()
    build_blog(fixture_blog, quiet=True)
    assert "[All posts](../../index.qmd)" in (
        fixture_blog / "categories/python/index.qmd"
    ).read_text("utf-8")
    (fixture_blog / "index.qmd").unlink()
    build_blog(fixture_blog, quiet=True)
    assert "All posts" not in (fixture_blog / "categories/python/index.qmd").read_text("utf-8")


def test_a_category_description_shows_once(fixture_blog: Path) -> None:
    """Quarto's title block shows `description`; the body does not repeat it."""
    (fixture_blog / "_categories.yml").write_text(
        "- label: Python\n  description: Snakes and their charming ways.\n", encoding="utf-8"
    )
    build_blog(fixture_blog, quiet=True)
    text = (fixture_blog / "categories/python/index.qmd").read_text("utf-8")
    _, meta, body = split(text)
    assert meta["description"] == "Snakes and their charming ways\\."
    assert "charming" not in body


@pytest.mark.parametrize(
    ("listing", "project", "option", "shown"),
    [
        ("DD/MM/YYYY", None, None, "10/01/2024"),  # the blog listing's date-format
        (None, "long", None, "January 10, 2024"),  # else _quarto.yml's
        (None, None, None, "Jan 10, 2024"),  # else Quarto's listing default, medium
        ("DD/MM/YYYY", None, "iso", "2024-01-10"),  # nbpost: date-format wins
        (None, "[Day] D [of] MMMM", None, "Day 10 of January"),
    ],
)
def test_archive_and_category_pages_honour_date_format(
    fixture_blog: Path, listing: str | None, project: str | None, option: str | None, shown: str
) -> None:
    page = fixture_blog / "blog.qmd"
    text = page.read_text("utf-8").replace('  date-format: "DD/MM/YYYY"\n', "")
    if listing:
        text = text.replace(
            '  sort: "date desc"\n', f'  sort: "date desc"\n  date-format: "{listing}"\n'
        )
    page.write_text(text, encoding="utf-8")
    config = fixture_blog / "_quarto.yml"
    extra = (f'date-format: "{project}"\n' if project else "") + (
        f'  date-format: "{option}"\n' if option else ""
    )
    config.write_text(config.read_text("utf-8").replace("nbpost:\n", "nbpost:\n") + "", "utf-8")
    if project:
        config.write_text(f'date-format: "{project}"\n' + config.read_text("utf-8"), "utf-8")
    if option:
        config.write_text(config.read_text("utf-8") + f'  date-format: "{option}"\n', "utf-8")
    del extra
    assert build_blog(fixture_blog, quiet=True).errors == []
    archive = (fixture_blog / "archive/index.qmd").read_text("utf-8")
    escaped = shown.replace("-", "\\-").replace(".", "\\.")
    assert f"- {escaped} · [A relative image]" in archive
    items = listing_items(fixture_blog / "categories/harvest/index.qmd")
    assert items[-1].title == "A relative image" and items[-1].date == shown


def test_labels_collapse_runs_of_spaces_everywhere(built_fixture: Path) -> None:
    """`Machine   Learning` is `Machine Learning` in feeds, pages and the registry."""
    rss = ET.parse(built_fixture / "feeds/index.xml").getroot()
    labels = {c.text for c in rss.iter("category")}
    assert "Machine Learning" in labels and not [t for t in labels if "  " in (t or "")]
    atom = feedparser.parse((built_fixture / "feeds/atom.xml").read_bytes())
    assert not [t.term for e in atom.entries for t in e.tags if "  " in t.term]
    feed = json.loads((built_fixture / "feeds/feed.json").read_text("utf-8"))
    assert not [t for item in feed["items"] for t in item.get("tags", []) if "  " in t]
    registry = json.loads((built_fixture / "categories.json").read_text("utf-8"))
    assert "Machine Learning" in [c["label"] for c in registry["categories"]]
    items = listing_items(built_fixture / "categories/machine-learning/index.qmd")
    assert all("  " not in label for item in items for label in item.categories)


def test_registry_keeps_the_site_path(built_fixture: Path) -> None:
    """hrefs are project-rooted (what Quarto pages link with); urls carry /blog."""
    registry = json.loads((built_fixture / "categories.json").read_text("utf-8"))
    assert registry["site-path"] == "/blog/"
    python = next(c for c in registry["categories"] if c["slug"] == "python")
    assert python["href"] == "/categories/python/"
    assert python["url"] == f"{SITE}/categories/python/"
    assert python["feed-urls"]["rss"] == f"{SITE}/categories/python/index.xml"
    assert registry["feed-urls"]["json"] == f"{SITE}/feeds/feed.json"


def test_post_lists_use_the_classes_of_quartos_listing_template(
    built_fixture: Path, quarto_src: Path
) -> None:
    """The markup reuses item-default.ejs.md's class names, which quarto-listing.scss styles
    on every page (listingSassBundle): the list looks like the blog's own listing."""
    import re

    listing = quarto_src / "src/resources/projects/website/listing"
    template = (listing / "item-default.ejs.md").read_text("utf-8")
    template += (listing / "listing-default.ejs.md").read_text("utf-8")
    page = (built_fixture / "categories/python/index.qmd").read_text("utf-8")
    used = {c for attr in re.findall(r'class="([^"]+)"', page) for c in attr.split()}
    own = {"quarto-listing", "quarto-listing-container-default", "listing-category"}
    # listing.utilities.img: imageSrc in website-listing-read.ts (not in the reference folder)
    own |= {"card-img-top", "thumbnail-image", "card-img"}
    assert ".image-<%= imageAlign %>" in template  # image-right: the default type's align
    own.add("image-right")
    quarto = {c for c in used - own if c not in template}
    assert quarto == set(), quarto
    assert "quarto-post" in used and "listing-title" in used
