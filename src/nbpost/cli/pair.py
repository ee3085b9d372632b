"""``nbpost pair``: create the other side of a post and record the new pair as synced."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import ConversionError
from ..project.inputs import ignored_name
from ..project.walk import is_post_file, walk_posts
from .messages import EXIT_BAD_INPUT, EXIT_OK, error, report_failure, warning
from .options import add_command, add_output_options


def add_parser(subparsers: Any) -> None:
    """Register ``nbpost pair``."""
    parser = add_command(
        subparsers,
        "pair",
        "create X.ipynb for X.qmd/X.md (or X.qmd for X.ipynb) and pair them",
        "Create the other side of each file: a notebook for a .qmd/.md (in the "
        "notebook folder when _quarto.yml sets 'nbpost: notebook-dir:'), or a .qmd beside "
        "a notebook. A file that already has its other side is left alone and reported "
        "(use 'nbpost sync' for it): pair never overwrites. Folders are walked like "
        "'nbpost convert' walks them, skipping files Quarto never renders (names "
        "starting with '_' or '.', README.md, AGENTS.md...). A .md pairs only into a "
        "notebook folder (Quarto renders X.md and X.ipynb both). The new pair is recorded "
        "as synced.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--kernel", metavar="NAME", help="kernel for .qmd -> .ipynb")
    parser.add_argument(
        "--with-ids", action="store_true", help="write cell ids into the new .qmd (#| id: ...)"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be created; write nothing"
    )
    add_output_options(parser)
    parser.set_defaults(run=run)


RENDERED_TWICE = (
    "Quarto renders {md} and {nb} both, to the same {page} (it skips a notebook only beside a "
    ".qmd); rename {md} to {stem}.qmd, or keep notebooks in a folder Quarto does not render "
    "(nbpost: notebook-dir: _notebooks in _quarto.yml)"
)


def renders_twice(source: Path, target: Path) -> bool:
    """Whether pairing ``source`` with ``target`` would make Quarto render one page twice: a
    ``.md`` with a notebook beside it (``intermediateFiles`` in quarto-cli's
    ``src/execute/jupyter/jupyter.ts`` drops ``X.ipynb`` only for ``X.qmd``, ``X.py``...)."""
    return (
        source.suffix.lower() in (".md", ".markdown")
        and target.suffix.lower() == ".ipynb"
        and target.absolute().parent == source.absolute().parent
    )


def _inputs(paths: list[str]) -> tuple[list[tuple[Path, bool]], int]:
    """Files to pair, each flagged True when named explicitly; count missing inputs.

    Folders skip what Quarto never renders (``_`` partials, README.md...: project.inputs)."""
    found: list[tuple[Path, bool]] = []
    problems = 0
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend((p, False) for p in walk_posts(path) if not ignored_name(p.name))
        elif path.is_file() and is_post_file(path):
            found.append((path, True))
        elif path.is_file():
            error(f"{name}: not a .qmd, .md or .ipynb file")
            problems += 1
        else:
            error(f"{name}: no such file or folder")
            problems += 1
    return found, problems


def pair_one(source: Path, target: Path, args: argparse.Namespace) -> None:
    """Write ``target``, the other side of ``source``, and record the pair as synced."""
    # the converter and sync load when the subcommand runs (every subcommand builds this parser)
    from ..attachments import write_files
    from ..sync import (
        Pair,
        check_text_keeps_notebook,
        notebook_from_text,
        record_synced,
        text_from_notebook,
    )
    from ..sync.pairs import is_notebook
    from ..textio import read_input, write_atomic

    text = read_input(source)
    files: dict[str, str | bytes] = {}
    if is_notebook(source):
        result, files = text_from_notebook(text, None, source, target, with_ids=args.with_ids)
        check_text_keeps_notebook(text, result, source, target)
        pair = Pair(target, source)
    else:
        result, _ = notebook_from_text(text, None, source, kernel=args.kernel)
        pair = Pair(source, target)
    if target.exists():  # checked again just before writing: never overwrite
        raise ConversionError(f"not paired: {target} already exists", source)
    if args.dry_run:
        return
    write_files(target.parent, files)
    write_atomic(target, result)
    # the bytes read and written, never a re-read: an edit landing meanwhile stays unsynced
    source_bytes, target_bytes = text.encode("utf-8"), result.encode("utf-8")
    if pair.qmd == source:
        record_synced(pair, source_bytes, target_bytes)
    else:
        record_synced(pair, target_bytes, source_bytes)


def run(args: argparse.Namespace) -> int:
    """Pair every input; one line per problem; return the exit status."""
    from ..sync import find_pair, new_partner, text_can_pair  # loaded when pair runs (start-up)

    inputs, problems = _inputs(args.paths)
    made = 0
    twice: list[Path] = []
    for source, explicit in inputs:
        try:
            if not text_can_pair(source):
                if explicit:
                    error(
                        f"{source}: a .md file pairs with a notebook only inside a Quarto "
                        "project (a folder with _quarto.yml); rename it to .qmd to pair it"
                    )
                    problems += 1
                continue
            existing = find_pair(source)
            if existing is not None:
                if explicit:
                    other = existing.ipynb if existing.qmd == source else existing.qmd
                    error(f"{source}: already paired with {other}; use 'nbpost sync'")
                    problems += 1
                continue
            target = new_partner(source)
            if target.exists() and not explicit:
                continue  # e.g. X.md beside X.qmd, whose notebook was just made
            if renders_twice(source, target):
                if explicit:
                    md, nb, stem = source.name, target.name, source.stem
                    message = RENDERED_TWICE.format(md=md, nb=nb, page=f"{stem}.html", stem=stem)
                    error(f"{source}: not paired: {message}")
                    problems += 1
                else:
                    twice.append(source)
                continue
            pair_one(source, target, args)
        except Exception as exc:  # one bad input never stops the others
            report_failure(exc, source, args.debug)
            problems += 1
            continue
        made += 1
        if not args.quiet:
            verb = "Would pair" if args.dry_run else "Paired"
            print(f"{verb} {source} -> {target}", file=sys.stderr)
    if twice and not args.quiet:
        warning(
            f"{len(twice)} .md file(s) not paired, e.g. {twice[0]}: "
            + RENDERED_TWICE.format(md="X.md", nb="X.ipynb", page="X.html", stem="X")
        )
    if problems:
        if not args.quiet:
            warning(f"{problems} input(s) not paired")
        return EXIT_BAD_INPUT
    return EXIT_OK
