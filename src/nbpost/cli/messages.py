"""Exit codes and the one-line message format shared by every subcommand.

The exit codes, the same for every subcommand (README, "Exit status"):

- 0: done, nothing wrong;
- 1: a check failed: ``--check`` found differences, ``sync`` met a conflict, ``check``
  found an error;
- 2: bad input: a file or configuration nbpost could not read or would not overwrite (a post
  ``build`` or ``categories`` skipped included; one line names it); the other inputs were
  still processed;
- 4: the command line is wrong (a usage error; ``Parser`` below makes argparse's errors
  exit with it);
- 130: interrupted (Ctrl-C), as shells report SIGINT.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, NoReturn

from ..errors import as_input_error, one_line
from ..project.paths import printable

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
# Not argparse's 2: that is bad input here, and a script must tell "called wrong" from "a file
# is broken". pytest makes the same split and uses 4 for usage errors (ExitCode.USAGE_ERROR).
EXIT_USAGE = 4
EXIT_INTERRUPTED = 130

# A message is one line: a value quoted in it (a date written as a YAML block, a name with a
# control character) shows its line breaks and control characters escaped (``printable``).


def counted(number: int, one: str, many: str) -> str:
    """``1 post`` / ``3 posts``: a count with the word that fits it."""
    return f"{number} {one if number == 1 else many}"


# A post skipped for its folder's broken ``_metadata.yml`` (``blog.read.collect``): every post
# below it gets this line, so a blog of 2,000 posts would print 2,000 of them.
_SKIPPED = ": skipped because "
SKIPPED_SHOWN = 3


def collapsed(messages: list[str]) -> list[str]:
    """Error lines with the posts skipped for one reason cut to the first ``SKIPPED_SHOWN``,
    and one line that counts the others (the reason's own line is printed anyway)."""
    counts: dict[str, int] = {}
    out: list[str] = []
    for message in messages:
        _, found, reason = message.partition(_SKIPPED)
        if found:
            counts[reason] = counts.get(reason, 0) + 1
            if counts[reason] > SKIPPED_SHOWN:
                continue
        out.append(message)
    for reason, count in counts.items():
        if count > SKIPPED_SHOWN:
            more = counted(count - SKIPPED_SHOWN, "more post", "more posts")
            out.append(f"{more} skipped because {reason}")
    return out


def error(message: str) -> None:
    """Print ``nbpost: error: MESSAGE`` on stderr."""
    print(f"nbpost: error: {printable(message)}", file=sys.stderr, flush=True)


def warning(message: str) -> None:
    """Print ``nbpost: warning: MESSAGE`` on stderr."""
    print(f"nbpost: warning: {printable(message)}", file=sys.stderr, flush=True)


def report_error(exc: BaseException, debug: bool = False) -> None:
    """Print one line for an error (a traceback too when ``debug`` is set)."""
    if debug:
        _print_traceback(exc)
    error(one_line(exc))


def report_failure(exc: BaseException, where: object, debug: bool = False) -> None:
    """Print one line for whatever went wrong with input ``where``, naming it (an unexpected
    exception too: ``--debug`` shows its traceback)."""
    if debug:
        _print_traceback(exc)
    error(one_line(as_input_error(exc, where)))


def _print_traceback(exc: BaseException) -> None:
    import traceback  # only for --debug: with textwrap, 1.5 ms of every run's start-up

    traceback.print_exception(exc)


def terminal_columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` finds it: ``$COLUMNS``, else the
    terminal of standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout at the width it would choose. argparse makes a formatter for
    every option it registers, and finds the width through ``shutil``, whose import (with the
    compression modules it loads) cost every run 3.5 ms; the width is found here as ``shutil``
    finds it."""

    def __init__(self, prog: str, *args: Any, **kwargs: Any) -> None:
        if len(args) < 3 and kwargs.get("width") is None:
            kwargs["width"] = terminal_columns() - 2  # argparse's own margin
        super().__init__(prog, *args, **kwargs)


class Parser(argparse.ArgumentParser):
    """argparse's parser, with usage errors exiting ``EXIT_USAGE`` instead of argparse's 2,
    and help laid out by ``HelpFormatter``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print the usage and ``PROG: error: MESSAGE`` on stderr, as argparse does; exit 4."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")
