"""``nbpost convert``: turn posts into notebooks and back."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..project.filetypes import NOTEBOOK_SUFFIX
from .messages import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, error, report_failure, warning
from .options import add_command, add_output_options

if TYPE_CHECKING:  # pragma: no cover
    from ..conversion import Options
    from ..sync.record import RecordBook

PROGRESS_THRESHOLD = 20  # files; below this a progress bar is noise


@dataclass
class Job:
    """One conversion: an input file (or ``-``) and where its output goes."""

    source: Path | None  # None for stdin
    target: Path | None  # None for stdout
    to: str


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


def _expand(inputs: list[str], to: str | None) -> tuple[list[tuple[Path, Path | None]], int]:
    """Files to convert, each with the folder it was found under (None for a file input)."""
    from ..project.walk import walk_posts

    found: list[tuple[Path, Path | None]] = []
    problems = 0
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            for post in walk_posts(path):
                if to is not None and (post.suffix.lower() == NOTEBOOK_SUFFIX) == (to == "ipynb"):
                    continue  # already in the wanted format
                found.append((post, path))
        elif path.exists():
            found.append((path, None))
        else:
            error(f"{name}: no such file or folder")
            problems += 1
    return found, problems


def _target(source: Path, folder: Path | None, to: str, args: argparse.Namespace) -> Path | None:
    from ..api import default_output

    if args.output == "-":
        return None
    if args.output:
        return Path(args.output)
    output = default_output(source, to)  # type: ignore[arg-type]
    if args.output_dir:
        base = folder if folder is not None else Path.cwd()
        try:
            relative = output.resolve().relative_to(base.resolve())
        except ValueError:
            relative = Path(output.name)
        return Path(args.output_dir) / relative
    return output


def plan(args: argparse.Namespace) -> tuple[list[Job], int]:
    """Turn the command line into jobs; count the inputs that cannot be converted."""
    from ..api import target_format

    if "-" in args.inputs:
        if len(args.inputs) > 1 or not args.to:
            raise SystemExit(_usage("reading stdin (-) needs --to and no other input"))
        target = None if args.output in (None, "-") else Path(args.output)
        return [Job(None, target, args.to)], 0
    found, problems = _expand(args.inputs, args.to)
    if args.output and len(found) != 1:
        raise SystemExit(_usage("-o/--output takes exactly one input file"))
    jobs = []
    for source, folder in found:
        to = target_format(source, args.to)
        jobs.append(Job(source, _target(source, folder, to, args), to))
    if args.check:
        return jobs, problems  # nothing is written: every file is checked, both sides of a pair
    inputs = {job.source.resolve() for job in jobs if job.source is not None}
    safe_jobs = []
    for job in jobs:
        if (
            job.target is not None
            and job.source is not None
            and (job.target.resolve() == job.source.resolve())
        ):
            error(f"{job.source}: not converted: the output would overwrite the input")
            problems += 1
        elif job.target is not None and job.target.resolve() in inputs:
            error(
                f"{job.source}: not converted: its output {job.target} is also an input; "
                "choose a direction with --to"
            )
            problems += 1
        else:
            safe_jobs.append(job)
    return safe_jobs, problems


def _usage(message: str) -> int:
    error(message)
    return EXIT_USAGE


def read_job(job: Job) -> tuple[str, bool, str | Path]:
    """(the input text, whether it is a notebook, the name errors give it)."""
    from ..textio import MAX_NOTEBOOK_BYTES, check_size, decode_utf8, read_input

    if job.source is None:
        data = sys.stdin.buffer.read(MAX_NOTEBOOK_BYTES + 1)
        check_size(len(data), "<stdin>", MAX_NOTEBOOK_BYTES)
        return decode_utf8(data, "<stdin>"), job.to == "qmd", "<stdin>"
    return read_input(job.source), job.source.suffix.lower() == ".ipynb", job.source


def options_of(args: argparse.Namespace, to: str) -> Options:
    """The conversion options the command line asks for."""
    from ..conversion import Options

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
    from ..conversion import convert_document, convert_onto

    options = options_of(args, job.to)
    if job.source is not None and job.target is not None:
        converted, written = convert_onto(job.source, job.target, options, book)
        if not written:
            return f"{job.target} was already up to date"
    else:
        text, from_notebook, where = read_job(job)
        converted = convert_document(text, from_notebook, options, where, job.target)
        if job.target is None:
            sys.stdout.write(converted.text)
            sys.stdout.flush()
        else:  # stdin to a file: no source to record a pair with
            from .. import attachments
            from ..textio import write_atomic

            attachments.write_files(job.target.parent, converted.files)
            write_atomic(job.target, converted.text)
    if converted.kept_outputs:
        return f"kept the outputs of {converted.kept_outputs} unchanged cell(s) from {job.target}"
    return converted.note


def run(args: argparse.Namespace) -> int:
    """Convert every input; report problems one line each; return the exit status."""
    jobs, problems = plan(args)
    if args.check:
        from .convert_check import run_check

        return run_check(jobs, problems, args)
    progress = None
    if len(jobs) >= PROGRESS_THRESHOLD and sys.stderr.isatty() and not args.quiet:
        from tqdm import tqdm

        progress = tqdm(total=len(jobs), unit="file", file=sys.stderr, leave=False)
    from ..sync.record import RecordBook

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
