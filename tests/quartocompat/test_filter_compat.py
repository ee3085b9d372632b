"""Items 5 and 11 (the filter's side): keywords where Quarto shows them, links under a site
path, the blog's feeds on its listing page. Pages are rendered with Quarto's title-block
templates through the Quarto stub (tests/quartocompat/quartosite.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from filterkit import json_meta, parse_head, run_pandoc
from quartosite import STUB, prepare_templates, render_page

pytestmark = pytest.mark.pandoc

SITE = "https://example.org/blog"
SPACED = "posts/2024-06-01-spaces/index.qmd"  # keywords: [soil, rain]
PLAIN = "posts/2024-02-20-metadata-image/index.qmd"  # no keywords


class TitleKeywords(HTMLParser):
    """The text of the title block's "Keywords" paragraph (title-metadata.html)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
        elif ("class", "keywords") in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def render_html(pandoc: str, quarto_src: Path, blog: Path, source: str, tmp: Path) -> str:
    template = prepare_templates(quarto_src, tmp / "templates")
    target = tmp / "page.html"
    render_page(pandoc, blog, source, target, template, with_nbpost=True)
    return target.read_text(encoding="utf-8")


def test_author_keywords_stay_where_quarto_shows_them(
    pandoc_path: str, quarto_src: Path, built_fixture: Path, tmp_path: Path
) -> None:
    """title-metadata.html shows `keywords`; the template writes their meta tag. The filter
    keeps them, adds no second keywords tag, and puts categories in JSON-LD only."""
    html = render_html(pandoc_path, quarto_src, built_fixture, SPACED, tmp_path)
    block = TitleKeywords()
    block.feed(html)
    # (Quarto fills the heading from its `labels`, which this harness does not set.)
    assert "".join(block.text).split() == ["soil,", "rain"]
    head = parse_head(html)
    assert head.named("keywords") == ["soil, rain"]
    (ld,) = head.json_ld()
    assert ld["keywords"] == ["soil", "rain", "Machine Learning", "Python"]


def test_a_post_without_keywords_gets_one_keywords_tag_of_its_categories(
    pandoc_path: str, quarto_src: Path, built_fixture: Path, tmp_path: Path
) -> None:
    html = render_html(pandoc_path, quarto_src, built_fixture, PLAIN, tmp_path)
    block = TitleKeywords()
    block.feed(html)
    assert block.text == []  # no "Keywords" block appears on the page
    assert parse_head(html).named("keywords") == ["Python"]


@pytest.mark.parametrize(("fmt", "prefix"), [("html", ""), ("gfm", "/blog")])
def test_links_under_a_site_path(pandoc_path: str, built_fixture: Path, fmt: str, prefix: str):
    """site-url https://example.org/blog: Quarto makes `/`-rooted links of HTML pages
    relative (website-resources.ts), so there hrefs stay project-rooted (a /blog in them would
    be doubled); outputs nobody rewrites get the site's path; `url` is always absolute."""
    from filterkit import Rendered

    env = {
        "NBPOST_FILTER": str(STUB.parents[2] / "_extensions/nbpost/nbpost.lua"),
        "STUB_FORMAT": fmt,
        "STUB_INPUT": str(built_fixture / SPACED),
        "STUB_PROJECT": str(built_fixture),
    }
    done = run_pandoc(
        pandoc_path,
        [SPACED, "-s", "-t", "json", "--lua-filter", str(STUB)],
        cwd=built_fixture,
        env=env,
    )
    links = json_meta(Rendered(done.stdout, done.stderr))["category-links"]
    assert [link["href"] for link in links] == [
        f"{prefix}/categories/machine-learning/",
        f"{prefix}/categories/python/",
    ]
    assert [link["url"] for link in links] == [
        f"{SITE}/categories/machine-learning/",
        f"{SITE}/categories/python/",
    ]
    assert links[1]["feed-urls"]["rss"] == f"{SITE}/categories/python/index.xml"


def test_the_blog_listing_page_advertises_the_blog_feeds(
    pandoc_path: str, quarto_src: Path, built_fixture: Path, tmp_path: Path
) -> None:
    """blog.qmd (a listing page the registry names) gets <link rel="alternate"> to
    feeds/index.xml, atom.xml and feed.json, absolute; the About page does not."""
    html = render_html(pandoc_path, quarto_src, built_fixture, "blog.qmd", tmp_path)
    assert [href for _, _, href in parse_head(html).alternates()] == [
        f"{SITE}/feeds/index.xml",
        f"{SITE}/feeds/atom.xml",
        f"{SITE}/feeds/feed.json",
    ]
    about = render_html(pandoc_path, quarto_src, built_fixture, "index.qmd", tmp_path)
    assert parse_head(about).alternates() == []
