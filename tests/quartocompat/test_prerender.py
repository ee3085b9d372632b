"""Items 3, 4 and 9: `nbpost build` as Quarto's pre-render step, partial renders, preview.

What Quarto sets for a pre-render script is read from quarto-cli's
src/command/render/project.ts (renderProject, runScripts); preview from
src/project/serve/serve.ts (acquirePreviewLock) and website-utils.ts (projectDraftMode).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from nbpost.blog.build import build_blog

# Exactly what runScripts passes to every pre-render script (plus QUARTO_PROJECT_DIR, which
# `quarto render` puts in its own environment).
FULL_RENDER = {
    "QUARTO_PROJECT_OUTPUT_DIR": "_site",
    "QUARTO_PROJECT_RENDER_ALL": "1",
    "QUARTO_PROJECT_INPUT_FILES": "index.qmd\nblog.qmd",
    "QUARTO_PROJECT_SCRIPT_PROGRESS": "1",
    "QUARTO_PROJECT_SCRIPT_QUIET": "0",
}
BROKEN = "---\ntitle: [unclosed\n---\n\nText.\n"


def partial(*files: str) -> dict[str, str]:
    env = {k: v for k, v in FULL_RENDER.items() if k != "QUARTO_PROJECT_RENDER_ALL"}
    env["QUARTO_PROJECT_INPUT_FILES"] = "\n".join(files)
    env["QUARTO_PROJECT_SCRIPT_PROGRESS"] = "0"
    return env


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUARTO_")}
    env.update(extra)
    return env


def run(run_cli_process, blog: Path, env: dict[str, str], *args: str):
    """Run `nbpost build` as Quarto runs it: in the project folder, with only its env."""
    return run_cli_process("build", *args, cwd=blog, env=clean_env(env))


def test_pre_render_problems_are_warnings_and_exit_0(fixture_blog: Path, run_cli_process) -> None:
    """Quarto aborts the whole render when a pre-render script fails: one bad post must not."""
    (fixture_blog / "posts/broken").mkdir()
    (fixture_blog / "posts/broken/index.qmd").write_text(BROKEN, encoding="utf-8")
    result = run(run_cli_process, fixture_blog, FULL_RENDER)
    assert result.status == 0, result.err
    assert "nbpost: error" not in result.err
    assert "nbpost: warning: " in result.err and "posts/broken/index.qmd" in result.err
    assert "nbpost: strict: true" in result.err
    assert (fixture_blog / "categories.json").is_file()  # the rest is built
    # Outside Quarto the same build fails (CI, pre-commit).
    assert run_cli_process("build", fixture_blog, env=clean_env({})).status == 2


def test_strict_blogs_fail_the_render(fixture_blog: Path, run_cli_process) -> None:
    config = fixture_blog / "_quarto.yml"
    config.write_text(config.read_text("utf-8") + "  strict: true\n", encoding="utf-8")
    (fixture_blog / "posts/broken").mkdir()
    (fixture_blog / "posts/broken/index.qmd").write_text(BROKEN, encoding="utf-8")
    result = run(run_cli_process, fixture_blog, FULL_RENDER)
    assert result.status == 2
    assert "nbpost: error: " in result.err and "posts/broken/index.qmd" in result.err


def test_check_keeps_exit_1_under_quarto(fixture_blog: Path, run_cli_process) -> None:
    result = run(run_cli_process, fixture_blog, FULL_RENDER, "--check")
    assert result.status == 1 and "would write" in result.err
    assert not (fixture_blog / "categories.json").exists()


def test_input_files_may_come_in_a_file(fixture_blog: Path, run_cli_process, tmp_path) -> None:
    """QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES (quarto-cli#10828): the list is in that file."""
    from nbpost.cli import quartoenv

    listing = tmp_path / "inputs.txt"
    listing.write_text("posts/2024-01-10-relative-image/index.qmd\n", encoding="utf-8")
    env = partial()
    del env["QUARTO_PROJECT_INPUT_FILES"]
    env["QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES"] = str(listing)
    assert quartoenv.in_pre_render(env)
    assert quartoenv.input_files(env) == ["posts/2024-01-10-relative-image/index.qmd"]
    assert quartoenv.input_files(FULL_RENDER) is None  # a full render names no files
    assert build_blog(fixture_blog, quiet=True).errors == []
    result = run(run_cli_process, fixture_blog, env)
    assert result.status == 0, result.err
    assert "0 files written" in result.err


def test_a_partial_render_names_the_pages_it_leaves_stale(
    fixture_blog: Path, run_cli_process
) -> None:
    """Quarto re-renders a listing page only when a rendered file matches its contents globs
    (listingSupplementalFiles): `quarto render posts/x.qmd` renders no category page."""
    assert build_blog(fixture_blog, quiet=True).errors == []
    post = fixture_blog / "posts/2024-01-10-relative-image/index.qmd"
    post.write_text(post.read_text("utf-8").replace("A relative image", "Renamed"), "utf-8")
    result = run(
        run_cli_process, fixture_blog, partial("posts/2024-01-10-relative-image/index.qmd")
    )
    assert result.status == 0, result.err
    (line,) = [line for line in result.err.splitlines() if "partial render" in line]
    assert "categories/harvest/index.qmd" in line and "categories/python/index.qmd" in line
    assert "quarto render" in line
    # A full render renders them: nothing to say.
    post.write_text(post.read_text("utf-8").replace("Renamed", "Renamed again"), "utf-8")
    result = run(run_cli_process, fixture_blog, FULL_RENDER)
    assert "partial render" not in result.err


def test_category_pages_change_with_every_shown_field(fixture_blog: Path) -> None:
    """quarto preview renders an input file when it changes (watch.ts): a category page's
    text holds every field it shows, so an edit to a post changes the page's own file."""
    build_blog(fixture_blog, quiet=True)
    page = fixture_blog / "categories/harvest/index.qmd"
    before = page.read_text("utf-8")
    post = fixture_blog / "posts/2024-01-10-relative-image/index.qmd"
    post.write_text(post.read_text("utf-8").replace("date: 2024-01-10", "date: 2024-01-11"))
    build_blog(fixture_blog, quiet=True)
    assert page.read_text("utf-8") != before


def _draft_listed(blog: Path) -> bool:
    registry = json.loads((blog / "categories.json").read_text(encoding="utf-8"))
    return "posts/2024-05-15-draft/index.qmd" in registry["posts"]


@pytest.mark.parametrize(("mode", "listed"), [("visible", True), ("unlinked", False)])
def test_draft_mode(fixture_blog: Path, mode: str, listed: bool) -> None:
    """website.draft-mode: visible lists drafts (isDraftVisible); gone/unlinked leave them out."""
    config = fixture_blog / "_quarto.yml"
    config.write_text(config.read_text("utf-8").replace("draft-mode: gone", f"draft-mode: {mode}"))
    build_blog(fixture_blog, quiet=True)
    assert _draft_listed(fixture_blog) is listed
    assert (fixture_blog / "categories/drafts-only/index.qmd").exists() is listed


def test_website_drafts_compare_exact_paths(fixture_blog: Path) -> None:
    """isProjectDraft: `drafts.includes(path)`: a `/`-prefixed entry matches nothing."""
    config = fixture_blog / "_quarto.yml"
    drafts = "[posts/2024-06-01-spaces/index.qmd, /posts/2024-02-20-metadata-image/index.qmd]"
    text = config.read_text("utf-8").replace(
        "draft-mode: gone", f"draft-mode: gone\n  drafts: {drafts}"
    )
    config.write_text(text, encoding="utf-8")
    result = build_blog(fixture_blog, quiet=True)
    registry = json.loads((fixture_blog / "categories.json").read_text(encoding="utf-8"))
    assert "posts/2024-06-01-spaces/index.qmd" not in registry["posts"]
    assert "posts/2024-02-20-metadata-image/index.qmd" in registry["posts"]
    assert any(
        "'/posts/2024-02-20-metadata-image/index.qmd' matches no document" in w
        for w in result.warnings
    )


@pytest.mark.parametrize(("ours", "listed"), [(True, True), (False, False)])
def test_quarto_preview_shows_drafts(
    fixture_blog: Path, run_cli_process, ours: bool, listed: bool
) -> None:
    """Preview shows drafts (projectDraftMode). nbpost knows it runs for a preview when the
    process holding .quarto/preview/lock started it; another preview's lock does not count."""
    lock = fixture_blog / ".quarto/preview/lock"
    lock.parent.mkdir(parents=True)
    lock.write_text(str(os.getpid() if ours else 999_999_999), encoding="ascii")
    result = run(run_cli_process, fixture_blog, partial("posts/2024-05-15-draft/index.qmd"))
    assert result.status == 0, result.err
    assert _draft_listed(fixture_blog) is listed
    # Preview renders every input that changes: no advice to run a full render.
    assert ("partial render" in result.err) is (not ours)


def test_render_and_hand_build_share_the_snapshot(
    fixture_blog: Path, run_cli_process, tmp_path: Path
) -> None:
    """Quarto names the project by its absolute path (QUARTO_PROJECT_DIR) and runs the step
    in it: that build is the one `nbpost build` typed there makes, so each reuses the other's
    snapshot (they used to differ in key, and alternating them built in full every time)."""
    env = {**FULL_RENDER, "QUARTO_PROJECT_DIR": str(fixture_blog.resolve())}
    state = fixture_blog / ".nbpost" / "state.json"
    assert run_cli_process("build", cwd=fixture_blog, env=clean_env({})).status == 0
    by_hand = json.loads(state.read_text(encoding="utf-8"))["key"]
    rendered = run(run_cli_process, fixture_blog, env)
    assert rendered.status == 0, rendered.err
    assert "0 files written" in rendered.err
    assert json.loads(state.read_text(encoding="utf-8"))["key"] == by_hand
    # Named from elsewhere, the folder keeps its own name (and its own key).
    elsewhere = run_cli_process("build", cwd=fixture_blog.parent, env=clean_env(env))
    assert elsewhere.status == 0, elsewhere.err
    assert json.loads(state.read_text(encoding="utf-8"))["key"] != by_hand
