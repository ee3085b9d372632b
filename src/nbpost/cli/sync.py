"""``nbpost sync``: bring paired .qmd/.md and .ipynb files in step, keeping outputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import NbpostError
from .messages import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, error, report_error, warning

if TYPE_CHECKING:  # pragma: no cover
    from ..sync import Pair, SyncResult


def add_parser(subparsers: Any) -> None:
    """Register ``nbpost sync``."""
    parser = subparsers.add_parser(
        "sync",
        help="update the other side of each paired .qmd/.md and .ipynb",
        description="For each pair (X.qmd or X.md with X.ipynb beside it, or in the notebook "
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
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when any pair is out of sync",
    )
    parser.add_argument(
        "--pre-commit-mode",
        action="store_true",
        help="for the pre-commit hook: exit 1 when a file was written, and record only pairs "
        "already in sync (pre-commit may roll back a hook's fixes)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.set_defaults(run=run)


def collect_pairs(paths: list[str]) -> tuple[list[Pair], int]:
    """The pairs named by files or found under folders (each once), and missing inputs."""
    from ..sync import find_pair
    from ..walk import walk_posts

    pairs: list[Pair] = []
    seen: set[tuple[Path, Path]] = set()
    problems = 0
    for name in paths:
        path = Path(name)
        if path.is_dir():
            candidates: list[Path] = list(walk_posts(path))
        elif path.is_file():
            candidates = [path]
        else:
            error(f"{name}: no such file or folder")
            problems += 1
            continue
        for candidate in candidates:
            try:
                pair = find_pair(candidate)
            except (NbpostError, OSError) as exc:  # an invalid _quarto.yml
                report_error(exc)
                problems += 1
                continue
            if pair is None:
                continue  # not paired: nothing to sync (`nbpost pair` makes a pair)
            key = (pair.qmd.resolve(), pair.ipynb.resolve())
            if key not in seen:
                seen.add(key)
                pairs.append(pair)
    return pairs, problems


def describe(result: SyncResult, dry_run: bool) -> str | None:
    """One line saying what happened to a pair (None when nothing did)."""
    pair = result.pair
    if not result.written:
        return None
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
    from ..sync import RecordBook, sync_pair

    pairs, problems = collect_pairs(args.paths)
    dry_run = args.dry_run or args.check
    book = RecordBook()
    conflicts = out_of_sync = updated = 0
    for pair in pairs:
        try:
            result = sync_pair(
                pair,
                prefer=args.prefer,
                dry_run=dry_run,
                record=book.for_pair(pair),
                record_changes=not args.pre_commit_mode,
            )
        except (NbpostError, OSError) as exc:
            report_error(exc, args.debug)
            problems += 1
            continue
        if result.conflict:
            error(result.message)
            conflicts += 1
            continue
        line = describe(result, dry_run)
        if line is None:
            continue
        if args.check:
            print(f"out of sync: {pair.qmd} and {pair.ipynb}", file=sys.stderr)
            out_of_sync += 1
        else:
            updated += 1
            if not args.quiet:
                print(line, file=sys.stderr)
    if not dry_run:
        try:
            book.save()
        except OSError as exc:
            report_error(exc, args.debug)
            problems += 1
    if not args.quiet:
        summary = f"{len(pairs)} pair(s)"
        if args.check:
            summary += f", {out_of_sync} out of sync"
        else:
            summary += f", {updated} {'to update' if dry_run else 'updated'}"
        if conflicts:
            summary += f", {conflicts} in conflict"
        print(summary, file=sys.stderr)
    if problems:
        if not args.quiet:
            warning(f"{problems} input(s) not synced")
        return EXIT_BAD_INPUT
    changed_in_hook = args.pre_commit_mode and updated > 0
    return EXIT_CHECK_FAILED if conflicts or out_of_sync or changed_in_hook else EXIT_OK
