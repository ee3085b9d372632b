"""``nbpost watch BLOG_DIR``: rebuild listings, feeds and the registry whenever a post changes.

``quarto preview`` runs the ``pre-render`` step before each render it does (its renders go
through ``renderProject``, ``src/project/serve/serve.ts``), so with the step configured a
preview keeps the pages fresh by itself; this command is for editing without a preview, or
with a blog that does not configure the step. File events come from ``watchfiles`` (a Rust
``notify`` binding: no polling loop written by hand), grouped by its debounce so that a save
burst builds once.
Each build reports its warnings, the posts it skipped and a summary line, and ``--sync`` keeps
pairs in step first (``cli.watchsync``); every message starts with the local time and names
paths relative to the blog (``cli.watchlog``), on stderr.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..errors import NbpostError, one_line
from ..project.filetypes import (
    DOCUMENT_SUFFIXES,
    GENERATED_INDEX,
    REGISTRY_FILE,
    YAML_SUFFIXES,
    suffix_of,
)
from ..project.inputs import ignored_folder
from .messages import EXIT_BAD_INPUT, EXIT_OK
from .options import (
    add_blog_dir,
    add_command,
    add_drafts,
    add_flag,
    add_output_options,
    blog_folder,
)
from .watchlog import changed_names, report_build, say

WATCHED_SUFFIXES = frozenset([*DOCUMENT_SUFFIXES, *YAML_SUFFIXES])
GENERATED_NAMES = (REGISTRY_FILE, GENERATED_INDEX)


def add_parser(subparsers: Any) -> None:
    """Register the ``watch`` subcommand."""
    parser = add_command(
        subparsers,
        "watch",
        "rebuild a blog's category pages, feeds and registry when its posts change",
        "Build the blog once, then rebuild whenever a post, _metadata.yml, _quarto.yml or "
        "_categories.yml changes. Stop with Ctrl-C. (quarto preview runs the pre-render step "
        "itself before each render.)",
    )
    add_blog_dir(parser)
    add_drafts(parser)
    parser.add_argument(
        "--debounce",
        type=int,
        default=300,
        metavar="MS",
        help="wait this long for a burst of changes to settle (default: 300 ms)",
    )
    add_flag(parser, "--poll", "poll instead of using file system events")
    add_flag(
        parser,
        "--sync",
        "keep paired .qmd/.md and .ipynb files in step before each rebuild, with the rules of "
        "'nbpost sync' (a pair changed on both sides is refused and reported)",
    )
    add_output_options(parser, debug=False)
    parser.set_defaults(run=run)


class ChangeFilter:
    """Decide which file events deserve a rebuild: sources and configuration, not outputs."""

    def __init__(self, root: Path, generated: set[str]):
        self.root = root.resolve()
        self.generated = generated  # folders (relative, POSIX) that nbpost itself writes

    def __call__(self, change: Any, path: str) -> bool:
        """True when a change to ``path`` should trigger a build."""
        try:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return False
        parts = rel.split("/")
        name = parts[-1]
        if suffix_of(name) not in WATCHED_SUFFIXES or name.startswith("."):
            return False
        if any(ignored_folder(part) for part in parts[:-1]):  # Quarto's skip rules
            return False
        if name in GENERATED_NAMES:
            return False
        return not any(rel == g or rel.startswith(g + "/") for g in self.generated)


def _generated_folders(root: Path) -> set[str]:
    # Imported here: the blog reader loads only when ``watch`` runs (start-up stays cheap).
    from ..blog.read.discover import excluded_folders
    from ..blog.read.settings import read_project

    try:
        settings = read_project(root)
    except NbpostError:
        return excluded_folders("_site", ".")
    return excluded_folders(settings.quarto_output_dir, settings.config.output_dir)


def _build(args: argparse.Namespace, headline: str) -> bool:
    """Build once (in the blog's folder) and report: warnings, skipped posts, one summary line.

    Returns whether the build went through without errors; a failed build keeps the watch
    going (the next save may fix it).
    """
    from ..blog.build import build_blog  # the output side; imported only when watching

    try:
        result = build_blog(".", drafts=args.drafts, quiet=True)
    except Exception as exc:  # a bug must not end the watch: say so in one line, go on
        say(f"error: {one_line(exc)}")
        return False
    report_build(result, headline, args.quiet)
    return not result.errors


def run(args: argparse.Namespace) -> int:
    """Build once, then rebuild on every change until interrupted."""
    root = blog_folder(args.blog_dir)
    if root is None:
        return EXIT_BAD_INPUT
    import logging

    from watchfiles import watch  # imported here: `nbpost --help` stays cheap

    # watchfiles logs its own Ctrl-C notice; the watch says "stopped watching" itself.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)

    os.chdir(root)  # messages name paths relative to the blog, and builds see it as "."
    here = Path(".")
    from .watchsync import PairSyncer  # loaded when watching, not at every start-up

    syncer = PairSyncer(here, args.quiet) if args.sync else None
    if syncer is not None:
        syncer.sync_all()
    _build(args, "built the blog")
    if not args.quiet:
        say(f"watching {args.blog_dir} (Ctrl-C to stop)")
    watch_filter = ChangeFilter(here, _generated_folders(here))
    for changes in watch(
        here,
        watch_filter=watch_filter,
        debounce=args.debounce,
        force_polling=args.poll or None,
        raise_interrupt=False,
    ):
        paths = {path for _change, path in changes}
        if syncer is not None:
            paths -= syncer.own_echoes(paths)
            if not paths:
                continue  # only the sync's own writes: already built
            syncer.sync(paths)
        _build(args, f"rebuilt: {changed_names(here, paths)} changed")
    if not args.quiet:
        say("stopped watching")
    return EXIT_OK
