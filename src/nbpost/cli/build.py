"""``nbpost build [BLOG_DIR]``: write a blog's category pages, archive, feeds and registry.

Also a Quarto ``pre-render`` step (``project: pre-render: nbpost build``; what Quarto sets is
in ``quartoenv``). Even for a partial render every post is collected (listings and feeds must
cover all posts); the files Quarto names are re-read even when the metadata cache vouches for
them. Only outputs whose content changed are written, so Quarto does not re-render pages
needlessly, and the step prints one summary line plus warnings. Quarto aborts the whole render
when a pre-render step fails, so there a skipped post or a file in the way is a warning and
the exit status 0, unless the blog sets ``nbpost: strict: true``; usage and configuration
errors still fail, and so does ``--check``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import NbpostError
from ..project.filetypes import GENERATED_INDEX, PROJECT_FILES
from . import quartoenv
from .messages import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    collapsed,
    counted,
    error,
    report_error,
    warning,
)
from .options import add_blog_dir, add_command, add_drafts, add_flag, add_jobs, add_output_options

if TYPE_CHECKING:  # the output side is imported only when building
    from ..blog.build import BuildResult


def add_parser(subparsers: Any) -> None:
    """Register the ``build`` subcommand."""
    parser = add_command(
        subparsers,
        "build",
        "write category pages, feeds, an archive and categories.json for a blog",
        "Read every post's front matter and write, under the blog's nbpost.output-dir: a "
        "Quarto page per category (with its items file), a category index, a year archive, "
        f"{GENERATED_INDEX}, categories.json and RSS/Atom/JSON feeds for the blog and each "
        "category (feeds need website.site-url). Unchanged files are not rewritten. Works as "
        "a Quarto pre-render step.",
    )
    add_blog_dir(parser, default=None)  # None: $QUARTO_PROJECT_DIR under Quarto, else "."
    add_drafts(parser)
    add_flag(parser, "--sync", "sync paired .qmd/.ipynb posts before building")
    add_jobs(parser)
    add_flag(
        parser,
        "--check",
        "write nothing; list the outputs a build would write or remove, and exit 1 if there "
        "are any (for CI: are the generated pages up to date?)",
    )
    add_output_options(parser)
    parser.set_defaults(run=run)


def quarto_input_files(environ: dict[str, str] | os._Environ[str]) -> list[str] | None:
    """The files a partial Quarto render names, or None for a full render / no Quarto."""
    return quartoenv.input_files(environ)


def in_quarto_pre_render(environ: dict[str, str] | os._Environ[str]) -> bool:
    """Whether Quarto runs this command as a pre-render step."""
    return quartoenv.in_pre_render(environ)


def _sync(root: Path, debug: bool) -> int:
    from ..sync import sync_paths  # imported here: only --sync needs the sync machinery

    try:
        outcome = sync_paths([root])
    except NbpostError as exc:
        report_error(exc, debug)
        return EXIT_CHECK_FAILED
    for line in outcome.errors:
        error(line)  # one line per broken pair or conflict; the build goes on
    return EXIT_CHECK_FAILED if outcome.errors else EXIT_OK


def summary(result: Any) -> str:
    """One line: posts, categories, files written/unchanged/removed, feeds."""
    parts = [
        counted(result.posts, "post", "posts"),
        counted(result.categories, "category", "categories"),
        counted(len(result.written), "file written", "files written"),
        f"{len(result.unchanged)} unchanged",
    ]
    if result.removed:
        parts.append(f"{len(result.removed)} removed")
    parts.append(counted(result.feeds, "feed", "feeds") if result.feeds else "no feeds")
    return "nbpost build: " + ", ".join(parts)


def report_problems(result: BuildResult) -> None:
    """Print a build's warnings and errors, one line each, on stderr."""
    for message in result.warnings:
        warning(message)
    for message in collapsed(result.errors):
        error(message)


def report(result: BuildResult, quiet: bool, stream: TextIO) -> None:
    """Print a build's warnings and errors (stderr), then its summary line unless quiet."""
    report_problems(result)
    if not quiet:
        print(summary(result), file=stream, flush=True)


# Set by ``nbpost.cli.run``, whose process ends right after the command (``cli._end``): what
# the build made is kept here rather than freed one by one (``build_blog``'s ``keep``). None
# when ``main`` is called in a process that goes on: it frees them.
KEPT: list[object] | None = None


def run(args: argparse.Namespace) -> int:
    """Build the blog and report what was written."""
    environ = os.environ
    pre_render = in_quarto_pre_render(environ)
    blog_dir = args.blog_dir or quartoenv.project_dir(environ) or "."
    root = Path(blog_dir)
    if not root.is_dir():
        error(f"{blog_dir}: not a folder")
        return EXIT_BAD_INPUT
    if not any((root / name).is_file() for name in PROJECT_FILES):
        error(f"{blog_dir}: no _quarto.yml here; BLOG_DIR must be a Quarto project folder")
        return EXIT_BAD_INPUT
    if args.check and args.sync:
        error("--check writes nothing, so it cannot be combined with --sync")
        return EXIT_USAGE
    status = EXIT_OK
    if args.sync:
        status = _sync(root, args.debug)
        if status == EXIT_BAD_INPUT:
            return status
    from ..blog.build import build_blog  # imported here to keep `nbpost --help` cheap

    input_files = quarto_input_files(environ) if pre_render else None
    preview = pre_render and quartoenv.in_preview(root)
    try:
        result = build_blog(
            root,
            drafts=args.drafts or preview,  # quarto preview shows drafts (website-utils.ts)
            input_files=input_files,
            quiet=args.quiet or pre_render,
            jobs=args.jobs,
            check=args.check,
            keep=KEPT,
        )
    except NbpostError as exc:
        report_error(exc, args.debug)
        return EXIT_BAD_INPUT
    stream = sys.stderr if pre_render else sys.stdout
    if args.check:
        return check_report(result, args.quiet, stream)
    if pre_render:
        if not (preview or quartoenv.render_all(environ)):
            _warn_unrendered_pages(result)
        if result.errors and not _strict(root):
            return _lenient_report(result, args.quiet, stream, status)
    report(result, args.quiet, stream)
    if result.errors:
        status = EXIT_BAD_INPUT  # a post or setting it could not use, or an output in the way
    return status


def _strict(root: Path) -> bool:
    """``nbpost: strict: true``: problems fail a Quarto render too (default: warnings)."""
    # Imported here: only a pre-render step with problems needs the blog's settings.
    from ..blog.read.metadata import truthy
    from ..blog.read.settings import read_project

    try:
        return truthy(read_project(root).config.options.get("strict"))
    except NbpostError:
        return True


def _lenient_report(result: BuildResult, quiet: bool, stream: TextIO, status: int) -> int:
    """As a pre-render step: every problem is a warning, so one bad post does not abort the
    render of the whole site (Quarto stops on a non-zero exit)."""
    for message in result.warnings:
        warning(message)
    for message in collapsed(result.errors):
        warning(message)
    warning(
        f"{len(result.errors)} of the problems above would make `nbpost build` fail; as a "
        "Quarto pre-render step they are warnings (set nbpost: strict: true to fail the render)"
    )
    if not quiet:
        print(summary(result), file=stream, flush=True)
    return status


def _warn_unrendered_pages(result: BuildResult) -> None:
    """A partial ``quarto render FILE`` renders only the files it names (and listing pages
    whose contents globs match them, ``listingSupplementalFiles``): pages nbpost just
    rewrote stay stale in the site until a full render."""
    pages = sorted(key for key in result.written if key.endswith(".qmd"))  # not POSTS.md
    if not pages:
        return
    shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
    folders = " ".join(sorted({key.split("/", 1)[0] for key in pages}))
    warning(
        f"{shown} changed, but this partial render does not render them: run `quarto render` "
        f"(or `quarto render {folders}`) to update them in the site"
    )


def check_report(result: BuildResult, quiet: bool, stream: TextIO) -> int:
    """Print what ``--check`` found (each file a build would change, then a summary line);
    return the exit status: 0 exactly when it reports nothing to do (no file a build would
    write or remove, no broken input)."""
    report_problems(result)
    for key in sorted(result.written):
        print(f"would write {key}", file=stream)
    for key in sorted(result.removed):
        print(f"would remove {key}", file=stream)
    changes = len(result.written) + len(result.removed)
    if not quiet:
        line = (
            f"nbpost build --check: {len(result.written)} files would be written, "
            f"{len(result.removed)} removed, {len(result.unchanged)} up to date"
            if changes
            else f"nbpost build --check: all {len(result.unchanged)} files up to date"
        )
        if result.errors:
            line += f"; {len(result.errors)} error(s) above"
        print(line, file=stream, flush=True)
    if result.errors:
        return EXIT_BAD_INPUT
    return EXIT_CHECK_FAILED if changes else EXIT_OK
