"""Helpers for the JupyterLab browser tests: Chromium, JupyterLab's dialogs and file browser.

Every wait is for a state (a dialog visible, a tab clean, a file holding given bytes), never a
fixed sleep, so a loaded machine makes the tests slower, not flaky.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "jupyter"))
from jupyterserver import JupyterServer

TIMEOUT_MS = 30_000


def root_conftest(config: pytest.Config) -> Any:
    """tests/conftest.py as loaded by pytest (its module name is not unique across folders)."""
    wanted = Path(__file__).resolve().parent.parent / "conftest.py"
    for plugin in config.pluginmanager.get_plugins():
        if Path(getattr(plugin, "__file__", "") or ".").resolve() == wanted:
            return plugin
    raise LookupError(wanted)


@contextlib.contextmanager
def browser_page(
    server: JupyterServer, chromium_path: str, request: pytest.FixtureRequest, shot: Path
) -> Iterator[Any]:
    """A Chromium page; on failure a screenshot and the server log's tail are printed."""
    from playwright.sync_api import sync_playwright

    chromium_args = root_conftest(request.config).CHROMIUM_ARGS
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=chromium_args, headless=True
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            yield page
        except BaseException:
            page.screenshot(path=str(shot))
            print(f"screenshot: {shot}\nserver log:\n{server.log_text()[-4000:]}")
            raise
        finally:
            browser.close()


def dismiss_if_shown(page: Any, wait_ms: int = 0) -> None:
    """Close the kernel-selection dialog and the news notification when they appear.

    The kernel dialog shows when the notebook's kernel is not installed; the news question
    ("Would you like to get notified about official Jupyter news?") on a fresh profile.
    """
    news = page.get_by_text("official Jupyter news")
    if wait_ms:
        try:
            news.or_(page.locator(".jp-Dialog")).first.wait_for(state="visible", timeout=wait_ms)
        except Exception:  # neither appeared: nothing to dismiss
            return
    dialog = page.locator(".jp-Dialog")
    if dialog.count() and dialog.first.is_visible():
        for label in ("No Kernel", "Select", "Cancel"):
            button = dialog.get_by_role("button", name=label, exact=True)
            if button.count():
                button.first.click()
                break
    dismiss_news(page)


def dismiss_news(page: Any) -> None:
    """Answer JupyterLab's news question, when it shows, so it covers nothing."""
    news = page.get_by_text("official Jupyter news")
    if news.count() and news.first.is_visible():
        toast = page.locator(".jp-toast-container, .Toastify").filter(has=news).first
        toast.get_by_role("button", name="No", exact=True).click()
        news.first.wait_for(state="hidden", timeout=5000)


def choose_kernel(page: Any, label: str) -> None:
    """Pick a kernel in the "Select Kernel" dialog JupyterLab shows for a missing kernel."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    dialog.wait_for(state="visible", timeout=TIMEOUT_MS)
    dialog.locator("select").select_option(label=label)
    dialog.locator(".jp-Dialog-button.jp-mod-accept").click()  # "Select"
    dialog.wait_for(state="detached", timeout=TIMEOUT_MS)


def wait_for_file(path: Path, expected: bytes, seconds: float = 20) -> bytes:
    """Poll a file until it holds ``expected`` (or the time is up); return what it holds."""
    deadline = time.monotonic() + seconds
    data = path.read_bytes()
    while data != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        data = path.read_bytes()
    return data


def open_with(page: Any, name: str, viewer: str) -> None:
    """Right-click a file in the file browser and pick Open With -> ``viewer``."""
    item = page.locator(".jp-DirListing-item", has_text=name).first
    item.wait_for(state="visible", timeout=TIMEOUT_MS)
    item.click(button="right")
    page.locator(".lm-Menu-item", has_text="Open With").first.hover()
    entry = page.locator(".lm-Menu-item", has_text=re.compile(f"^{re.escape(viewer)}$")).first
    entry.wait_for(state="visible", timeout=TIMEOUT_MS)
    entry.click()


def current_tab_dirty(page: Any) -> Any:
    """The current tab when it shows unsaved changes (a locator; count 0 when clean)."""
    return page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")


def wait_for_kernel_metadata(page: Any) -> None:
    """Wait until the kernel that attached has written its language into the notebook.

    Needs ``--LabApp.expose_app_in_browser=True``: the model is read from ``jupyterapp``.
    """
    page.wait_for_function(
        """() => {
            const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            const model = widget && widget.context && widget.context.model;
            const info = model && model.getMetadata && model.getMetadata("language_info");
            return Boolean(info && info.version);
        }""",
        timeout=3 * TIMEOUT_MS,
    )


def save_with_ctrl_s(page: Any, until: Any) -> None:
    """Press Ctrl+S until ``until`` (a locator) shows: a loaded browser may drop a keypress."""
    for attempt in range(3):
        page.keyboard.press("Control+s")
        try:
            until.wait_for(state="visible", timeout=TIMEOUT_MS // 3)
            return
        except Exception:
            if attempt == 2:
                raise
