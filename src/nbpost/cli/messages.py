"""Exit codes and the one-line message format shared by every subcommand.

The exit codes, the same for every subcommand (README, "Exit status"):

- 0: done, nothing wrong;
- 1: a check failed: ``--check`` found differences, ``sync`` met a conflict, ``build`` or
  ``categories`` reported posts it skipped;
- 2: the command line is wrong (argparse's own code for usage errors, kept so);
- 3: bad input: a file or configuration nbpost could not read or would not overwrite (one
  line names it); the other inputs were still processed;
- 130: interrupted (Ctrl-C), as shells report SIGINT.
"""

from __future__ import annotations

import sys
import traceback

from ..errors import as_input_error, one_line
from ..project.paths import printable

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2  # argparse exits with 2 on a usage error; nbpost keeps that meaning
EXIT_BAD_INPUT = 3
EXIT_INTERRUPTED = 130

# A message is one line: a value quoted in it (a date written as a YAML block, a name with a
# control character) shows its line breaks and control characters escaped (``printable``).


def error(message: str) -> None:
    """Print ``nbpost: error: MESSAGE`` on stderr."""
    print(f"nbpost: error: {printable(message)}", file=sys.stderr, flush=True)


def warning(message: str) -> None:
    """Print ``nbpost: warning: MESSAGE`` on stderr."""
    print(f"nbpost: warning: {printable(message)}", file=sys.stderr, flush=True)


def report_error(exc: BaseException, debug: bool = False) -> None:
    """Print one line for an error (a traceback too when ``debug`` is set)."""
    if debug:
        traceback.print_exception(exc)
    error(one_line(exc))


def report_failure(exc: BaseException, where: object, debug: bool = False) -> None:
    """Print one line for whatever went wrong with input ``where``, naming it (an unexpected
    exception too: ``--debug`` shows its traceback)."""
    if debug:
        traceback.print_exception(exc)
    error(one_line(as_input_error(exc, where)))
