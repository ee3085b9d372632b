"""``nbpost convert --check``: the round-trip guarantee, checked file by file, writing nothing.

Each file is converted to the other format and back in memory and compared as the guarantee
is stated (``nbpost.roundtrip``): a notebook cell by cell, exact sources included, a text
file byte for byte. A failure names the first difference (``cell 3 (markdown): leading blank
line dropped``). In a folder both sides of a pair are checked, each in its own direction.
"""

from __future__ import annotations

import argparse
import sys

from .convertjobs import Job, read_job
from .messages import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, report_failure, warning


def check_one(job: Job) -> str | None:
    """How one input fails to round-trip (None: it does)."""
    from ..roundtrip import round_trip_difference  # loaded when --check runs (start-up time)

    text, from_notebook, where = read_job(job)
    return round_trip_difference(text, source_is_notebook=from_notebook, path=where)


def run_check(jobs: list[Job], problems: int, args: argparse.Namespace) -> int:
    """Check every job; one line per file that would not round-trip; the exit status."""
    failed: list[str] = []
    for job in jobs:
        where = job.source or "<stdin>"
        try:
            difference = check_one(job)
        except Exception as exc:  # one bad input never stops the others
            report_failure(exc, where, args.debug)
            problems += 1
            continue
        if difference is not None:
            failed.append(f"would not round-trip: {where}: {difference}")
    for line in failed:
        print(line, file=sys.stderr)
    if problems:
        if not args.quiet:
            warning(f"{problems} input(s) not checked")
        return EXIT_BAD_INPUT
    if not failed and not args.quiet:
        print(f"{len(jobs)} file(s) round-trip without loss", file=sys.stderr)
    return EXIT_CHECK_FAILED if failed else EXIT_OK
