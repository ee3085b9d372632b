"""Category chips on a post lead to the page that lists exactly that category's posts.

Headless Chromium runs quarto-cli's own ``quarto.js`` (copied from the reference folder at
test time) on pages rendered with Quarto's own title-block templates. Quarto alone links each
chip to a listing that contains the post, preferring the page the reader came from
(``findAndActivateCategories``): the control tests show that, on the same pages, so the
harness is known to reproduce it. With nbpost, each chip is a link to its category page and
stays the only link in the chip, for the mouse and the keyboard alike.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from quartosite import (
    install_quarto_js,
    page_path,
    prepare_templates,
    render_page,
    serve,
    write_listings,
)

from nbpost.blog.build import build_blog

pytestmark = [pytest.mark.browser, pytest.mark.pandoc]

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "quartoblog"
POST = "posts/2024-01-10-relative-image/index.qmd"  # categories: Python, Harvest
SPACED = "posts/2024-06-01-spaces/index.qmd"  # "Machine   Learning", "python"
NOTEBOOK = "posts/2024-04-01-bold-notebook/index.ipynb"  # scikit-learn, C++, Python
# The tests' own record of every link quarto.js adds to a chip (it fires before any cleanup).
RECORDER = """
window.__quartoLinks = [];
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType === 1 && node.tagName === "A"
          && (node.getAttribute("href") || "").includes("#category=")) {
        window.__quartoLinks.push(node.getAttribute("href"));
      }
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


def _build_site(
    pandoc: str, quarto_src: Path, blog: Path, site: Path, with_nbpost: bool
) -> dict[str, Any]:
    template = prepare_templates(quarto_src, site.parent / f"templates-{site.name}")
    install_quarto_js(quarto_src, site)
    registry = json.loads((blog / "categories.json").read_text(encoding="utf-8"))
    for source in registry["posts"]:
        render_page(
            pandoc, blog, source, site / page_path(source), template, with_nbpost=with_nbpost
        )
    for page in blog.glob("categories/*/index.qmd"):
        relative = page.relative_to(blog).as_posix()
        render_page(pandoc, blog, relative, site / page_path(relative), template, with_nbpost=False)
    links = "".join(
        f'<li><a href="/{page_path(source)}">{entry["title"]}</a></li>'
        for source, entry in registry["posts"].items()
    )
    (site / "blog.html").write_text(f"<html><body><ul>{links}</ul></body></html>", "utf-8")
    return registry


@pytest.fixture(scope="module")
def sites(
    tmp_path_factory: pytest.TempPathFactory, pandoc_path: str, quarto_src: Path
) -> Iterator[dict[str, Any]]:
    """The fixture blog built by nbpost, rendered twice: by "Quarto" alone and with nbpost."""
    root = tmp_path_factory.mktemp("category-links")
    blog = root / "blog"
    shutil.copytree(FIXTURE, blog)
    result = build_blog(blog, quiet=True)
    assert result.errors == [], result.errors
    registry: dict[str, Any] = {}
    for name, with_nbpost in (("quarto", False), ("nbpost", True)):
        registry = _build_site(pandoc_path, quarto_src, blog, root / name, with_nbpost)
    yield {"root": root, "registry": registry}


def _listings(site: Path, registry: dict[str, Any], category_pages_listed: bool) -> None:
    """listings.json: the blog's listing; optionally also a category page as a listing, as
    when category pages were Quarto listings (nbpost before this design, or any other)."""
    listings = {"/blog.html": ["/" + page_path(source) for source in registry["posts"]]}
    if category_pages_listed:
        python = [s for s, e in registry["posts"].items() if "Python" in e["categories"]]
        listings["/categories/python/index.html"] = ["/" + page_path(s) for s in python]
    write_listings(site, listings)


@pytest.fixture(scope="module")
def browser(chromium_path: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    pytest.importorskip("playwright", reason="playwright not installed: pip install playwright")
    from filterkit import root_conftest
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path,
            args=root_conftest(request.config).CHROMIUM_ARGS,
            headless=True,
        )
        try:
            yield launched
        finally:
            launched.close()


def _open_post(page: Any, base: str, source: str, via: str | None) -> None:
    """Open a post directly, or by clicking its link on ``via`` (then ``via`` is the referrer)."""
    if via is None:
        page.goto(f"{base}/{page_path(source)}")
    else:
        page.goto(f"{base}{via}")
        page.click(f'a[href="/{page_path(source)}"] >> nth=0')
        page.wait_for_url(f"**/{page_path(source)}")
    page.wait_for_load_state("networkidle")


def _chips(page: Any) -> list[dict[str, Any]]:
    return page.evaluate(
        """() => [...document.querySelectorAll("header.quarto-title-block .quarto-category")]
          .map(chip => ({
            text: chip.textContent,
            links: [...chip.querySelectorAll("a")].map(a => a.getAttribute("href")),
          }))"""
    )


@pytest.mark.parametrize("via", [None, "/categories/python/index.html"])
def test_quarto_alone_links_chips_to_the_referring_or_first_listing(
    sites: dict[str, Any], browser: Any, via: str | None
) -> None:
    """Control: the harness reproduces quarto.js. From a category page that is a listing,
    "Harvest" leads to the Python page filtered by Harvest: posts in both categories."""
    site = sites["root"] / "quarto"
    _listings(site, sites["registry"], category_pages_listed=True)
    with serve(site) as base:
        page = browser.new_page()
        page.add_init_script(RECORDER)
        _open_post(page, base, POST, via)
        page.wait_for_function("document.querySelectorAll('.quarto-category a').length >= 2")
        listing = "/blog.html" if via is None else via
        assert _chips(page) == [
            {"text": "Python", "links": [f"{listing}#category=Python"]},
            {"text": "Harvest", "links": [f"{listing}#category=Harvest"]},
        ]


@pytest.mark.parametrize(
    ("source", "via", "category_pages_listed"),
    [
        (POST, None, False),  # nbpost's design: only the blog's listing is a listing
        (POST, "/blog.html", False),
        (POST, "/categories/python/index.html", True),  # the worst case for quarto.js
        (SPACED, "/categories/python/index.html", True),
        (NOTEBOOK, "/blog.html", True),
    ],
)
def test_every_chip_leads_to_its_category_page(
    sites: dict[str, Any], browser: Any, via: str | None, category_pages_listed: bool, source: str
) -> None:
    """Whatever listing quarto.js picks, each chip holds one link, to the category's page."""
    site, registry = sites["root"] / "nbpost", sites["registry"]
    _listings(site, registry, category_pages_listed)
    by_label = {c["label"]: c for c in registry["categories"]}
    labels = registry["posts"][source]["categories"]
    with serve(site) as base:
        page = browser.new_page()
        page.add_init_script(RECORDER)
        _open_post(page, base, source, via)
        # quarto.js did wrap every chip (so its code ran), and nbpost took the wrapper away.
        page.wait_for_function(f"window.__quartoLinks.length >= {len(labels)}")
        page.wait_for_timeout(100)
        assert _chips(page) == [
            {"text": label, "links": [by_label[label]["href"]]} for label in labels
        ]


@pytest.mark.parametrize("key", ["Enter", "click"])
def test_the_landing_page_lists_exactly_that_category(
    sites: dict[str, Any], browser: Any, key: str
) -> None:
    """Mouse or keyboard, from the page most likely to mislead quarto.js: the category page."""
    site, registry = sites["root"] / "nbpost", sites["registry"]
    _listings(site, registry, category_pages_listed=True)
    for label in registry["posts"][POST]["categories"]:
        expected = [
            entry["title"] for entry in registry["posts"].values() if label in entry["categories"]
        ]
        with serve(site) as base:
            page = browser.new_page()
            page.add_init_script(RECORDER)
            _open_post(page, base, POST, "/categories/python/index.html")
            page.wait_for_function("window.__quartoLinks.length >= 2")
            page.wait_for_timeout(100)
            chip = page.locator(".quarto-category a", has_text=label)
            if key == "click":
                chip.click()
            else:
                for _ in range(40):  # Tab through the page: the chip's first stop is its link
                    page.keyboard.press("Tab")
                    focused = page.evaluate("document.activeElement.textContent")
                    if focused == label:
                        break
                assert page.evaluate("document.activeElement.className") == "nbpost-category"
                page.keyboard.press("Enter")
            slug = next(c["slug"] for c in registry["categories"] if c["label"] == label)
            page.wait_for_url(f"**/categories/{slug}/")
            titles = page.evaluate(
                "() => [...document.querySelectorAll('.quarto-post .listing-title')]"
                ".map(h => h.textContent)"
            )
            assert sorted(titles) == sorted(expected)
            page.close()
