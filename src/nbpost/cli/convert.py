"""``nbpost convert``: turn posts into notebooks and back (``nbpost.conversion`` converts; this
module parses the command line, prints the messages and chooses the exit status).

The converter is imported when the subcommand runs: every other subcommand builds this
parser too, and should not pay for loading it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from .messages import EXIT_BAD_INPUT, EXIT_OK, report_failure, warning
from .options import add_command, add_output_options

if TYPE_CHECKING:  # pragma: no cover
    from ..conversion import Options
    from ..sync.record import RecordBook
    from .convertjobs import Job

PROGRESS_THRESHOLD = 20  # files; below this a progress bar is noise


def add_parser(subparsers: Any) -> None:
    """Register ``nbpost convert``."""
    parser = add_command(
        subparsers,
        "convert",
        "convert .qmd/.md to .ipynb and back, losslessly",
        "Convert posts between Quarto markdown and Jupyter notebooks. The direction "
        "follows the input's extension (.ipynb -> .qmd, .qmd/.md -> .ipynb) unless --to is "
        "given. Folders are walked, skipping what Quarto skips (names starting with '_' or "
        "'.', venv/, renv/, node_modules/, README.md...). Outputs are written atomically; "
        "inputs are never overwritten.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, or - (stdin)")
    parser.add_argument("--to", choices=("ipynb", "qmd"), help="output format")
    parser.add_argument("-o", "--output", help="output file (- for stdout); one input only")
    parser.add_argument("--output-dir", metavar="DIR", help="write outputs under DIR")
    parser.add_argument("--kernel", metavar="NAME", help="kernel for .qmd -> .ipynb")
    parser.add_argument(
        "--with-ids", action="store_true", help="write cell ids into the .qmd (#| id: ...)"
    )
    parser.add_argument(
        "--title-from-heading",
        action="store_true",
        help="lift a notebook's leading heading into title: (as quarto convert does)",
    )
    parser.add_argument(
        "--no-outputs",
        action="store_true",
        help="write a clean notebook even over an existing one (default: keep the outputs of "
        "unchanged cells)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; check that every file comes back exactly through the other "
        "format (both sides of a pair), naming the first difference; exit 1 if one does not",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing output even when it holds changes nbpost did not write",
    )
    add_output_options(parser)
    parser.set_defaults(run=run)


def options_of(args: argparse.Namespace, to: str) -> Options:
    """The conversion options the command line asks for."""
    from ..conversion import Options  # loaded when the subcommand runs (start-up time)

    return Options(
        to,  # type: ignore[arg-type]
        kernel=args.kernel,
        with_ids=args.with_ids,
        title_from_heading=args.title_from_heading,
        keep_outputs=not args.no_outputs,
        force=args.force,
    )


def convert_one(job: Job, args: argparse.Namespace, book: RecordBook | None = None) -> str | None:
    """Run one job; return a message for the user (None for nothing to say).

    ``book`` holds the sync records: an existing target is replaced only when it is what
    nbpost last wrote for the pair (or with ``--force``), and what was read and written is
    recorded there (see ``nbpost.sync.overwrite``).
    """
    from ..conversion import (  # loaded when the subcommand runs (start-up time)
        convert_document,
        convert_onto,
        convert_text_onto,
    )

    options = options_of(args, job.to)
    if job.source is not None and job.target is not None:
        converted, written = convert_onto(job.source, job.target, options, book)
        if not written:
            return f"{job.target} was already up to date"
    else:
        from .convertjobs import read_job  # the converter's side: loaded when it runs

        text, from_notebook, where = read_job(job)
        if job.target is None:
            converted = convert_document(text, from_notebook, options, where)
            sys.stdout.write(converted.text)
            sys.stdout.flush()
        else:  # stdin to a file: no source to record a pair with
            converted = convert_text_onto(text, from_notebook, options, where, job.target)
    if converted.kept_outputs:
        return f"kept the outputs of {converted.kept_outputs} unchanged cell(s) from {job.target}"
    return converted.note


def run(args: argparse.Namespace) -> int:
    """Convert every input; report problems one line each; return the exit status."""
    # The converter's side, loaded when a conversion runs (start-up stays light).
    from .convert_check import run_check
    from .convertjobs import plan

    jobs, problems = plan(args)
    if args.check:
        return run_check(jobs, problems, args)
    progress = None
    if len(jobs) >= PROGRESS_THRESHOLD and sys.stderr.isatty() and not args.quiet:
        from tqdm import tqdm  # heavy: only for a long run on a terminal

        progress = tqdm(total=len(jobs), unit="file", file=sys.stderr, leave=False)
    from ..sync.record import RecordBook  # loaded when the subcommand runs (start-up time)

    book = RecordBook()
    for job in jobs:
        try:
            note = convert_one(job, args, book)
        except Exception as exc:  # one bad input never stops the others
            report_failure(exc, job.source or "<stdin>", args.debug)
            problems += 1
            note = None
        else:
            if not args.quiet and job.target is not None:
                print(f"Converted {job.source or '<stdin>'} -> {job.target}", file=sys.stderr)
                if note:
                    print(f"  {note}", file=sys.stderr)
        if progress is not None:
            progress.update(1)
    if progress is not None:
        progress.close()
    try:
        book.save()
    except OSError as exc:  # the outputs are written; only the record of them failed
        report_failure(exc, "the sync record", args.debug)
        problems += 1
    if problems:
        if not args.quiet:
            warning(f"{problems} input(s) not converted")
        return EXIT_BAD_INPUT
    return EXIT_OK
