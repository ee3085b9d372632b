"""``nbpost convert``'s jobs: which files the command line names and where each output goes."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import textio
from ..project.filetypes import NOTEBOOK_SUFFIX
from ..project.walk import walk_posts
from ..textio import check_size, decode_utf8, read_input
from .messages import EXIT_USAGE, error


@dataclass
class Job:
    """One conversion: an input file (or ``-``) and where its output goes."""

    source: Path | None  # None for stdin
    target: Path | None  # None for stdout
    to: str


def _expand(inputs: list[str], to: str | None) -> tuple[list[tuple[Path, Path | None]], int]:
    """Files to convert, each with the folder it was found under (None for a file input)."""

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
    """Where a job's output goes (None: stdout), as ``-o`` and ``--output-dir`` say."""
    from ..conversion import default_output  # loaded when the subcommand runs (start-up time)

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
    from ..conversion import target_format  # loaded when the subcommand runs (start-up time)

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
    if job.source is None:
        limit = textio.MAX_NOTEBOOK_BYTES  # read at call time: the limit is one setting
        data = sys.stdin.buffer.read(limit + 1)
        check_size(len(data), "<stdin>", limit)
        return decode_utf8(data, "<stdin>"), job.to == "qmd", "<stdin>"
    return read_input(job.source), job.source.suffix.lower() == ".ipynb", job.source
