"""The ``nbpost`` command line: argument parsing, messages and exit codes only.

argparse (standard library) rather than click or typer: it costs nothing at start-up, and
start-up time is what a ``pre-render`` step and a pre-commit hook pay on every run.
"""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from collections.abc import Sequence

from .. import __version__
from . import build, categories, check, convert, new, pair, sync, watch
from .messages import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, Parser, error

# Each subcommand lives in nbpost/cli/<name>.py with add_parser(subparsers) and run(args);
# the modules import only argparse-level code at the top (a subcommand loads its machinery
# when it runs), so registering them all costs little at start-up.
SUBCOMMANDS = (convert, sync, pair, build, watch, categories, check, new)
# Each module registers the subcommand of its own name (tested).
BY_NAME = {module.__name__.rpartition(".")[2]: module for module in SUBCOMMANDS}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Build the top-level parser with every available subcommand, or with subcommand
    ``only`` alone: enough to parse a command line that names it first, and its own help."""
    parser = Parser(
        prog="nbpost",
        description="Convert Quarto posts to Jupyter notebooks and back, keep pairs in sync, "
        "and generate category pages, feeds and an archive for a Quarto blog.",
    )
    parser.add_argument("--version", action="version", version=f"nbpost {__version__}")
    # parser_class: every subcommand's parser exits 4 on a usage error too (argparse would
    # default to type(parser) already; said here so no one relies on that by accident).
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in SUBCOMMANDS if only is None else (BY_NAME[only],):
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    # A command line that starts with a subcommand needs no other subcommand's options: its
    # parser alone (a third of the time of them all, 1.5 of 5 ms) parses it the same.
    parser = build_parser(words[0] if words and words[0] in BY_NAME else None)
    args = parser.parse_args(words)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def run() -> None:
    """The ``nbpost`` program: ``main``, then the end of the process (see ``_end``)."""
    build.KEPT = []  # the process ends after the command: no need to free what a build made
    _end(main())


def _end(code: int) -> None:
    """End the process with ``code`` without freeing its objects one by one.

    At shutdown Python frees every object a run made: after a build of a 10,000-post blog
    that took 25-30 ms, a tenth of a build after one edit (measured 2026-12-07). As mypy's
    ``util.hard_exit`` does, this runs what shutdown would run (the ``atexit`` functions,
    which also end multiprocessing's helpers and flush logging) and flushes the standard
    streams, then ends. A thread still running, a profiler or tracer (``python -m cProfile
    -m nbpost`` writes its results after the program returns), or a stream that cannot be
    flushed takes the ordinary way out.
    """
    threading = sys.modules.get("threading")
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)  # CPython's
    if (
        run_exit_functions is None
        or (threading is not None and threading.active_count() > 1)
        or sys.getprofile() is not None
        or sys.gettrace() is not None
    ):
        sys.exit(code)
    run_exit_functions()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)  # Python reports what it could not write, as it always does
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
