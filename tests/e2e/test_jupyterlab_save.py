"""End to end: edit a paired post in JupyterLab (headless Chromium), save, check the .qmd.

JupyterLab runs as a real ``jupyter lab`` process on a copy of the example blog, with nbpost's
extension loaded from the installed config; Debian's Chromium is driven by playwright.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyterserver import JupyterServer, start, stop
from labhelpers import (
    TIMEOUT_MS,
    dismiss_if_shown,
    open_with,
    root_conftest,
    wait_for_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.jupyter]

POST = "posts/2024-03-02-first-frost-dates"
EDIT = "Edited in JupyterLab: "


@pytest.fixture
def lab(
    examples_blog_copy: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> Iterator[JupyterServer]:
    """JupyterLab on a copy of the example blog whose first post is paired with a notebook."""
    pytest.importorskip("jupyterlab", reason="jupyterlab not installed: pip install jupyterlab")
    pytest.importorskip("playwright", reason="playwright not installed: pip install playwright")
    result = run_cli("pair", examples_blog_copy / POST / "index.qmd")
    assert result.status == 0, result.err
    server = start(examples_blog_copy, tmp_path / "lab-home", lab=True)
    try:
        yield server
    finally:
        stop(server)


def test_editing_a_post_in_jupyterlab_updates_the_qmd(
    lab: JupyterServer, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import sync_playwright

    chromium_args = root_conftest(request.config).CHROMIUM_ARGS
    qmd = lab.root / POST / "index.qmd"
    original = qmd.read_bytes()
    others = {p: p.read_bytes() for p in lab.root.rglob("*.qmd") if p != qmd}
    expected = original.replace(b"Every March", EDIT.encode() + b"Every March", 1)
    assert expected != original

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=chromium_args, headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{lab.url}lab/tree/{POST}/index.ipynb?token={lab.token}")
            cell = page.locator(".jp-MarkdownCell", has_text="Every March").first
            cell.wait_for(state="visible", timeout=TIMEOUT_MS)
            dismiss_if_shown(page, wait_ms=5000)
            cell.dblclick()  # a rendered markdown cell opens its editor on double click
            editor = cell.locator(".cm-content")
            editor.wait_for(state="visible", timeout=TIMEOUT_MS)
            editor.click()
            page.keyboard.press("Control+Home")
            page.keyboard.type(EDIT)
            dismiss_if_shown(page)
            page.keyboard.press("Control+s")
            saved = wait_for_file(qmd, expected)
            assert saved == expected, saved.decode("utf-8", "replace")
            # The .qmd is written before the server answers the save: wait for JupyterLab to
            # take the answer (the tab is no longer dirty), or the next Ctrl+S may come while
            # this save is still in flight and be dropped.
            dirty = page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
            dirty.wait_for(state="detached", timeout=TIMEOUT_MS)

            # Someone edits the .qmd in a text editor; the next notebook save must not
            # overwrite it, and JupyterLab must say why.
            edited_elsewhere = saved + b"\nWritten in a text editor.\n"
            qmd.write_bytes(edited_elsewhere)
            page.keyboard.type("More. ")
            dirty.wait_for(state="attached", timeout=TIMEOUT_MS)  # the typing reached the cell
            error = page.locator(
                ".jp-Dialog", has_text="changed on disk since this notebook was loaded"
            )
            # On a loaded machine JupyterLab sometimes drops a Ctrl+S pressed right after
            # typing (no save request reaches the server): press it again, as a person would.
            for attempt in range(3):
                page.keyboard.press("Control+s")
                try:
                    error.wait_for(state="visible", timeout=TIMEOUT_MS // 3)
                    break
                except Exception:
                    if attempt == 2:
                        raise
            assert "File Save Error" in error.inner_text()
            assert qmd.read_bytes() == edited_elsewhere
        except BaseException:
            shot = tmp_path / "jupyterlab-failure.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}\nserver log:\n{lab.log_text()[-4000:]}")
            raise
        finally:
            browser.close()
    assert {p: p.read_bytes() for p in others} == others, "another post changed"
    notebook_text = (lab.root / POST / "index.ipynb").read_text(encoding="utf-8")
    assert EDIT in notebook_text and "More. " not in notebook_text


QMD_POST = "posts/2024-10-17-harvest-log"


def test_a_qmd_opened_as_a_notebook_saves_both_files(
    lab: JupyterServer, chromium_path: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from playwright.sync_api import expect, sync_playwright

    chromium_args = root_conftest(request.config).CHROMIUM_ARGS
    qmd = lab.root / QMD_POST / "index.qmd"
    notebook = qmd.with_suffix(".ipynb")
    original = qmd.read_bytes()
    expected = original.replace(b"Weights are", EDIT.encode() + b"Weights are", 1)
    assert expected != original and not notebook.exists()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=chromium_args, headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{lab.url}lab/tree/{QMD_POST}?token={lab.token}")
            # nbpost's JupyterLab extension puts the Notebook viewer in "Open With" for .qmd.
            open_with(page, "index.qmd", "Notebook")
            cell = page.locator(".jp-MarkdownCell", has_text="Weights are in kilograms").first
            cell.wait_for(state="visible", timeout=TIMEOUT_MS)
            # Cells, not the text editor: the front matter cell and two code cells are there.
            expect(page.locator(".jp-Notebook .jp-CodeCell")).to_have_count(2)
            dismiss_if_shown(page, wait_ms=5000)
            cell.dblclick()
            editor = cell.locator(".cm-content")
            editor.wait_for(state="visible", timeout=TIMEOUT_MS)
            editor.click()
            page.keyboard.press("Control+Home")
            page.keyboard.type(EDIT)
            page.keyboard.press("Control+s")
            saved = wait_for_file(qmd, expected)
            assert saved == expected, saved.decode("utf-8", "replace")
        except BaseException:
            shot = tmp_path / "jupyterlab-qmd-failure.png"
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}\nserver log:\n{lab.log_text()[-4000:]}")
            raise
        finally:
            browser.close()
    assert EDIT in notebook.read_text(encoding="utf-8")
