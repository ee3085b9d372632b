"""``nbpost check [BLOG_DIR]``: lint a blog as a whole; one line per finding, exit 1 on errors.

Only ``nbpost.check.state`` is imported before the stored result has been tried: a run with
nothing changed then costs a few thousand ``stat`` calls, which a pre-commit hook can afford.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import NbpostError
from .messages import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, counted, error
from .options import add_blog_dir, blog_folder


def add_parser(subparsers: Any) -> None:
    """Register the ``check`` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="find problems in a blog: categories, dates, links, pairs, listings",
        description="Check a Quarto blog as a whole and print one line per finding, "
        "'path:line: CODE message' (codes in docs/check.md). Exits 1 when any finding is an "
        "error, else 0. A run with nothing changed since the last one reads no post.",
    )
    add_blog_dir(parser)
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODE",
        help="report only these codes or prefixes (NB1, NB201; repeat or comma-separate)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODE",
        help="do not report these codes or prefixes",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes (category spellings, _categories.yml aliases, pairing "
        "orphaned notebooks) and report what changed",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="check everything again, ignoring the last run"
    )
    parser.set_defaults(run=run)


def _codes(values: list[str]) -> list[str]:
    """``--select NB1,NB2 --select NB5`` -> ``["NB1", "NB2", "NB5"]``."""
    return [code.strip().upper() for value in values for code in value.split(",") if code.strip()]


def _orphans_paired(root: Path, notebooks: list[Path]) -> list[str]:
    """``nbpost pair`` for each orphaned notebook: one line per text file written."""
    from ..sync.pairs import find_pair, new_partner
    from .pair import pair_one

    options = argparse.Namespace(with_ids=False, kernel=None, dry_run=False)
    lines = []
    for notebook in notebooks:
        if find_pair(notebook) is not None:
            continue
        target = new_partner(notebook)
        try:
            pair_one(notebook, target, options)
        except Exception as exc:  # one orphan never stops the others
            error(f"{notebook}: NB502 not fixed: {exc}")
            continue
        lines.append(f"{target}: NB502 written from {notebook} and paired")
    return lines


def _fix(root: Path, shown_root: str, select: list[str], ignore: list[str]) -> None:
    """Apply the safe fixes and print what changed on stderr."""
    from ..check.findings import chosen
    from ..check.fixes import apply_fixes
    from ..check.gather import gather
    from ..check.pairs import orphan_notebooks

    found = gather(root, shown_root)
    report = apply_fixes(found, select, ignore)
    changed = list(report.changed)
    if chosen("NB502", select, ignore):
        changed.extend(_orphans_paired(root, orphan_notebooks(found)))
    for line in changed:
        print(f"fixed {line}", file=sys.stderr)
    for line in report.refused:
        error(line)


def run(args: argparse.Namespace) -> int:
    """Check the blog (after fixing, with ``--fix``) and print the findings."""
    from ..check.findings import chosen, sort_key
    from ..check.state import replay

    root = blog_folder(args.blog_dir)
    if root is None:
        return EXIT_BAD_INPUT
    shown_root = args.blog_dir
    select, ignore = _codes(args.select), _codes(args.ignore)
    findings = None if (args.fix or args.no_cache) else replay(root, shown_root)
    if findings is None:
        from ..check.runner import check_blog  # the full run: the collector and the rules

        if args.fix:
            try:
                _fix(root, shown_root, select, ignore)
            except NbpostError as exc:  # an invalid _quarto.yml: the check reports it (NB001)
                error(f"nothing fixed: {exc}")
        findings = check_blog(root, shown_root, reuse=False)
    shown = sorted((f for f in findings if chosen(f.code, select, ignore)), key=sort_key)
    if args.json:
        json.dump([f.as_json() for f in shown], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for finding in shown:
            print(finding.text())
        errors = sum(f.severity == "error" for f in shown)
        if shown:
            found = counted(len(shown), "finding", "findings")
            print(f"{found} ({counted(errors, 'error', 'errors')})", file=sys.stderr)
    return EXIT_CHECK_FAILED if any(f.severity == "error" for f in shown) else EXIT_OK
