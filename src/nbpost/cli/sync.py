"""``nbpost sync``: bring paired .qmd/.md and .ipynb files in step, keeping outputs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from .messages import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, error, report_error, warning
from .options import add_command, add_flag, add_output_options

if TYPE_CHECKING:  # pragma: no cover
    from ..sync import SyncResult


def add_parser(subparsers: Any) -> None:
    """Register ``nbpost sync``."""
    parser = add_command(
        subparsers,
        "sync",
        "update the other side of each paired .qmd/.md and .ipynb",
        "For each pair (X.qmd or X.md with X.ipynb beside it, or in the notebook "
        "folder set by 'nbpost: notebook-dir:' in _quarto.yml), update the side that did not "
        "change since the last sync. Text edits rebuild the notebook's cells, keeping the "
        "outputs of unchanged cells; notebook edits rewrite the text. A pair where both "
        "sides changed is refused unless --prefer says which wins. Folders are walked like "
        "'nbpost convert' walks them. Files are never deleted; unchanged files are not "
        "rewritten. See docs/sync.md.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument(
        "--prefer",
        choices=("qmd", "ipynb"),
        help="when both sides changed, keep this one (qmd covers .md too)",
    )
    add_flag(parser, "--dry-run", "show what would change; write nothing")
    add_flag(parser, "--check", "write nothing; exit 1 when any pair is out of sync")
    add_flag(
        parser,
        "--pre-commit-mode",
        "for the pre-commit hook: exit 1 when a file was written, and record only pairs "
        "already in sync (pre-commit may roll back a hook's fixes)",
    )
    add_output_options(parser)
    parser.set_defaults(run=run)


def describe(result: SyncResult, dry_run: bool) -> str:
    """One line saying what happened to a pair (None when nothing did)."""
    pair = result.pair
    verb = "Would update" if dry_run else "Updated"
    if result.action == "update-ipynb":
        line = f"{verb} {pair.ipynb} from {pair.qmd}"
        if result.kept_outputs:
            line += f" (kept the outputs of {result.kept_outputs} unchanged cell(s))"
        return line
    others = [str(p) for p in result.written if p != pair.qmd]
    line = f"{verb} {pair.qmd} from {pair.ipynb}"
    if others:
        line += f" (and {', '.join(others)})"
    return line


def run(args: argparse.Namespace) -> int:
    """Sync every pair; one line per problem; return the exit status."""
    from ..sync import sync_paths  # loaded when the subcommand runs (start-up time)

    dry_run = args.dry_run or args.check
    report = sync_paths(
        args.paths,
        prefer=args.prefer,
        dry_run=dry_run,
        record_changes=not args.pre_commit_mode,
    )
    if not args.quiet and not args.pre_commit_mode:
        for path in report.unpaired:
            print(
                f"{path}: not paired ('nbpost pair {path}' creates the other side)", file=sys.stderr
            )
    for failure in report.failures:
        report_error(failure, args.debug)
    for result in report.conflicts:
        error(result.message)
    for result in report.changed:
        if args.check:
            print(f"out of sync: {result.pair.qmd} and {result.pair.ipynb}", file=sys.stderr)
        elif not args.quiet:
            print(describe(result, dry_run), file=sys.stderr)
    changed, conflicts, problems = report.changed, report.conflicts, len(report.failures)
    if not args.quiet:
        summary = f"{len(report.results)} pair(s)"
        if args.check:
            summary += f", {len(changed)} out of sync"
        else:
            summary += f", {len(changed)} {'to update' if dry_run else 'updated'}"
        if conflicts:
            summary += f", {len(conflicts)} in conflict"
        print(summary, file=sys.stderr)
    if problems:
        if not args.quiet:
            warning(f"{problems} input(s) not synced")
        return EXIT_BAD_INPUT
    failed = conflicts or (changed and (args.check or args.pre_commit_mode))
    return EXIT_CHECK_FAILED if failed else EXIT_OK
