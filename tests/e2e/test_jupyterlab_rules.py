"""Nothing a user wrote is lost in JupyterLab (issue 10), checked in headless Chromium.

One ``jupyter lab`` serves a copy of the example blog (plus a few posts written here) for the
whole module; each test opens its own browser page on its own post.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer, start, stop
from labhelpers import (
    TIMEOUT_MS,
    browser_page,
    choose_kernel,
    current_tab_dirty,
    dismiss_if_shown,
    dismiss_news,
    open_with,
    save_with_ctrl_s,
    wait_for_file,
    wait_for_kernel_metadata,
)

pytestmark = [pytest.mark.browser, pytest.mark.jupyter]

HARVEST = "posts/2024-10-17-harvest-log"
FROST = "posts/2024-03-02-first-frost-dates"
R_POST = "posts/2024-04-14-soil-moisture-in-r"
BLOCK_POST = "posts/kernel-block"
BAD_POST = "posts/bad-quote"
BLOCK = """---
title: "Kernel block"
jupyter:
  kernelspec:
    display_name: Python 3
    language: python
    name: python3
---

Some text in a post that names its kernel.

```{python}
1 + 1
```
"""


@pytest.fixture(scope="module")
def lab(examples_blog: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """JupyterLab on a copy of the example blog, the app exposed to the page's scripts."""
    pytest.importorskip("jupyterlab", reason="jupyterlab not installed: pip install jupyterlab")
    pytest.importorskip("playwright", reason="playwright not installed: pip install playwright")
    base = tmp_path_factory.mktemp("lab-rules")
    root = base / "blog"
    shutil.copytree(examples_blog, root, ignore=shutil.ignore_patterns("_site", ".nbpost"))
    (root / BLOCK_POST).mkdir()
    (root / BLOCK_POST / "index.qmd").write_text(BLOCK, encoding="utf-8")
    (root / BAD_POST).mkdir()
    (root / BAD_POST / "index.qmd").write_text(
        '---\ntitle: "An unclosed quote\ndate: 2024-01-01\n---\n\nText.\n', encoding="utf-8"
    )
    server = start(root, base / "home", lab=True, extra=("--LabApp.expose_app_in_browser=True",))
    try:
        yield server
    finally:
        stop(server)


def goto(page: Any, lab: JupyterServer, folder: str) -> None:
    """Open JupyterLab's file browser on a folder, in a fresh workspace (no tabs restored)."""
    page.goto(f"{lab.url}lab/tree/{folder}?reset&token={lab.token}")
    page.locator(".jp-DirListing-item").first.wait_for(state="visible", timeout=3 * TIMEOUT_MS)


def edit_markdown_cell(page: Any, starting: str, typed: str) -> None:
    """Double-click a rendered markdown cell and type at its start."""
    cell = page.locator(".jp-MarkdownCell", has_text=starting).first
    cell.wait_for(state="visible", timeout=TIMEOUT_MS)
    cell.dblclick()
    editor = cell.locator(".cm-content")
    editor.wait_for(state="visible", timeout=TIMEOUT_MS)
    editor.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type(typed)
    current_tab_dirty(page).wait_for(state="attached", timeout=TIMEOUT_MS)


def test_viewing_a_post_never_creates_or_changes_a_file(
    lab: JupyterServer, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    post = lab.root / HARVEST
    qmd = post / "index.qmd"
    before = qmd.read_bytes(), qmd.stat().st_mtime_ns
    with browser_page(lab, chromium_path, request, tmp_path / "view.png") as page:
        goto(page, lab, HARVEST)
        item = page.locator(".jp-DirListing-item", has_text="index.qmd").first
        item.dblclick()
        # A double click opens the text editor, not the Notebook viewer.
        page.locator(".jp-FileEditor").first.wait_for(state="visible", timeout=TIMEOUT_MS)
        assert page.locator(".jp-NotebookPanel").count() == 0
        open_with(page, "index.qmd", "Notebook")
        page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for(
            state="visible", timeout=TIMEOUT_MS
        )
        dismiss_news(page)
        wait_for_kernel_metadata(page)  # Python 3 attached and wrote its metadata
        assert current_tab_dirty(page).count() == 0, "the tab turned dirty as a kernel attached"
        # Even a save (what Ctrl+S and autosave run) of what was only looked at writes nothing.
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    visible = sorted(p.name for p in post.iterdir() if not p.name.startswith("."))
    assert visible == ["index.qmd"], "viewing the post created a file"
    assert (qmd.read_bytes(), qmd.stat().st_mtime_ns) == before


def test_a_save_from_a_post_view_never_overwrites_an_edit_made_on_disk(
    lab: JupyterServer, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    qmd = lab.root / FROST / "index.qmd"
    outside = qmd.read_bytes() + b"\nWritten in another editor.\n"
    with browser_page(lab, chromium_path, request, tmp_path / "disk.png") as page:
        goto(page, lab, FROST)
        open_with(page, "index.qmd", "Notebook")
        dismiss_if_shown(page, wait_ms=5000)
        edit_markdown_cell(page, "Every March", "Typed in the notebook view. ")
        qmd.write_bytes(outside)  # another editor saves the post meanwhile
        changed = page.locator(".jp-Dialog", has_text="File Changed")
        save_with_ctrl_s(page, changed)
        changed.get_by_role("button", name="Overwrite").click()  # JupyterLab's focused button
        error = page.locator(".jp-Dialog", has_text="File Save Error")
        error.wait_for(state="visible", timeout=TIMEOUT_MS)
        text = error.inner_text()
        assert f"{FROST}/index.qmd: changed on disk since this notebook was loaded" in text
        assert str(lab.root) not in text
    assert qmd.read_bytes() == outside
    assert not (qmd.parent / "index.ipynb").exists()


def test_choosing_a_kernel_never_rewrites_the_posts_chunks_or_kernel_block(
    lab: JupyterServer, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    r_qmd = lab.root / R_POST / "index.qmd"
    block_qmd = lab.root / BLOCK_POST / "index.qmd"
    r_original, block_original = r_qmd.read_bytes(), block_qmd.read_bytes()
    with browser_page(lab, chromium_path, request, tmp_path / "kernel.png") as page:
        # An R post, no R kernel installed: the user picks Python 3, edits one word, saves.
        goto(page, lab, R_POST)
        open_with(page, "index.qmd", "Notebook")
        choose_kernel(page, "Python 3 (ipykernel)")
        dismiss_news(page)
        wait_for_kernel_metadata(page)
        assert current_tab_dirty(page).count() == 0
        edit_markdown_cell(page, "The probe in bed three", "Wet: ")
        page.keyboard.press("Control+s")
        expected = r_original.replace(b"The probe in bed three", b"Wet: The probe in bed three")
        assert wait_for_file(r_qmd, expected) == expected  # {r} stays {r}, no jupyter: added
        current_tab_dirty(page).wait_for(state="detached", timeout=TIMEOUT_MS)

        # A post whose front matter names its kernel: the kernel's metadata update keeps it.
        goto(page, lab, BLOCK_POST)
        open_with(page, "index.qmd", "Notebook")
        wait_for_kernel_metadata(page)
        assert current_tab_dirty(page).count() == 0
        edit_markdown_cell(page, "Some text in a post", "Still: ")
        page.keyboard.press("Control+s")
        expected = block_original.replace(b"Some text in a post", b"Still: Some text in a post")
        assert wait_for_file(block_qmd, expected) == expected


def test_a_post_that_cannot_open_as_a_notebook_says_where_and_closes_cleanly(
    lab: JupyterServer, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    post = lab.root / BAD_POST
    with browser_page(lab, chromium_path, request, tmp_path / "bad.png") as page:
        goto(page, lab, BAD_POST)
        open_with(page, "index.qmd", "Notebook")
        error = page.locator(".jp-Dialog", has_text="File Load Error")
        error.wait_for(state="visible", timeout=TIMEOUT_MS)
        text = error.inner_text()
        assert f"{BAD_POST}/index.qmd:2: invalid YAML in front matter" in text, text
        assert str(lab.root) not in text
        error.get_by_role("button", name="Close").click()
        error.wait_for(state="detached", timeout=TIMEOUT_MS)
        tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="index.qmd")
        tabs.first.wait_for(state="detached", timeout=TIMEOUT_MS)
        assert page.locator(".jp-Dialog").count() == 0, "a dialog asks to save an empty notebook"
    assert sorted(p.name for p in post.iterdir() if not p.name.startswith(".")) == ["index.qmd"]
