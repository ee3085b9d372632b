"""Hostile titles and categories, rendered through the filter, opened in headless Chromium."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from filterkit import render, root_conftest

pytestmark = [pytest.mark.browser, pytest.mark.pandoc]

TITLE = "</script><script>alert('title')</script> \"quoted\" & <b>bold</b>\u2028end"
CATEGORIES = [
    "<script>alert(1)</script>",
    '"quoted"',
    "</script><script>alert(2)</script>",
    "' onload=alert(3) x='",
    'x" onmouseover="alert(4)',
    "<img src=x onerror=alert(5)>",
    "line\u2028sep\u2029para",
    "<!--",
]
# Labels collapse runs of whitespace (U+2028 and U+2029 are whitespace to Python and to the
# filter's category_key): the same one-line label everywhere. The title keeps its U+2028.
SHOWN = [" ".join(label.split()) for label in CATEGORIES]
SITE_YML = "project:\n  type: website\nwebsite:\n  title: t\n  site-url: https://example.org\n"


def write_post(folder: Path) -> None:
    """A post whose front matter holds the hostile values (JSON strings are valid YAML)."""
    post = folder / "posts" / "evil" / "index.qmd"
    post.parent.mkdir(parents=True)
    front = f"title: {json.dumps(TITLE)}\ndate: 2024-01-02\ncategories: {json.dumps(CATEGORIES)}"
    post.write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")


def open_in_chromium(
    html_file: Path, chromium_path: str, chromium_args: list[str]
) -> tuple[list[str], dict[str, Any]]:
    """Load the page; return the dialogs that fired and what the DOM holds."""
    pytest.importorskip("playwright", reason="playwright not installed: pip install playwright")
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=chromium_args, headless=True
        )
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(html_file.as_uri())
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)  # let any injected timer or handler run
            state = page.evaluate(
                """() => ({
                  scripts: [...document.scripts].map(s => [s.type, s.textContent]),
                  injected: document.querySelectorAll(
                    'img, b, [onload], [onerror], [onmouseover]').length,
                  tags: [...document.querySelectorAll('meta[property="article:tag"]')]
                    .map(m => m.content),
                  keywords: document.querySelector('meta[name="keywords"]').content,
                  titles: [...document.querySelectorAll('link[rel="alternate"]')]
                    .map(l => l.title),
                  ld: JSON.parse(document.querySelector(
                    'script[type="application/ld+json"]').textContent),
                })"""
            )
        finally:
            browser.close()
    return dialogs, state


def check(state: dict[str, Any], dialogs: list[str]) -> None:
    """Nothing ran, nothing was injected, every value reads back exactly."""
    assert dialogs == []
    assert state["injected"] == 0
    assert [kind for kind, _ in state["scripts"]] == ["application/ld+json"]
    assert state["tags"] == SHOWN
    assert state["keywords"] == ", ".join(SHOWN)
    rss = [title for title in state["titles"] if title.endswith(" (RSS)")]
    assert rss == [f"{label} (RSS)" for label in SHOWN]
    ld = state["ld"]
    assert ld["headline"] == TITLE
    assert ld["keywords"] == SHOWN
    assert ld["datePublished"] == "2024-01-02"


def test_hostile_values_from_the_registry(
    pandoc_path: str,
    chromium_path: str,
    tmp_path: Path,
    run_cli: Callable[..., Any],
    request: pytest.FixtureRequest,
) -> None:
    """Labels and title exactly as written in YAML (via categories.json): inert, exact."""
    (tmp_path / "_quarto.yml").write_text(SITE_YML, encoding="utf-8")
    write_post(tmp_path)
    assert run_cli("build", tmp_path, "--quiet").status == 0
    # The body is Markdown the author wrote; with raw HTML off only the filter's head can inject.
    out = render(
        pandoc_path, "posts/evil/index.qmd", to="html", cwd=tmp_path, reader="markdown-raw_html"
    )
    assert out.warnings == []
    assert "</script><script>" not in out.out.split("<body")[0].replace(
        '<script type="application/ld+json">', ""
    )
    page = tmp_path / "evil.html"
    page.write_text(out.out, encoding="utf-8")
    dialogs, state = open_in_chromium(
        page, chromium_path, root_conftest(request.config).CHROMIUM_ARGS
    )
    check(state, dialogs)
    assert state["ld"]["url"] == "https://example.org/posts/evil/"


def test_hostile_values_without_a_registry(
    pandoc_path: str, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The fallback reads the values back out of pandoc's parsed metadata: still inert, exact."""
    write_post(tmp_path)
    out = render(
        pandoc_path,
        "posts/evil/index.qmd",
        to="html",
        cwd=tmp_path,
        reader="markdown-raw_html",
    )
    assert len(out.warnings) == 1
    page = tmp_path / "evil.html"
    page.write_text(out.out, encoding="utf-8")
    dialogs, state = open_in_chromium(
        page, chromium_path, root_conftest(request.config).CHROMIUM_ARGS
    )
    check(state, dialogs)
