"""Errors that name the file (and line) at fault, so the CLI can print one clear line.

``NbpostError`` is raised; ``Problem`` is reported: a build collects them (a post skipped, a
category without posts, an output it could not write) and goes on with the other files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from json import JSONDecodeError

ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"


def _where(message: str, path: str | None, line: int | None) -> str:
    """``PATH[:LINE]: message``; without a path, ``line N: message``, or the message alone."""
    where = path
    if line is not None:
        where = f"{where}:{line}" if where else f"line {line}"
    # without a path (text given to the API) the message stands alone: never "<input>"
    return f"{where}: {message}" if where else message


@dataclass(frozen=True)
class Problem:
    """One reported problem: ``kind`` (``"error"``: an input skipped or an output not written;
    ``"warning"``: done, but worth a look), the file and 1-based line when known, and what is
    wrong. ``str()`` gives the one line the CLI prints.

    ``replay`` is False for a problem a build reports once: a later build that changes nothing
    does not repeat it (a stale output left in place is forgotten once reported).
    """

    kind: Literal["error", "warning"]
    path: str | None
    line: int | None
    message: str
    replay: bool = True

    def __str__(self) -> str:
        return _where(self.message, self.path, self.line)

    @classmethod
    def replayed(cls, kind: Literal["error", "warning"], line: str) -> Problem:
        """A problem an earlier build reported, kept as its printed line."""
        return cls(kind, None, None, line)

    @classmethod
    def from_error(cls, exc: NbpostError, kind: Literal["error", "warning"] = ERROR) -> Problem:
        """The problem an ``NbpostError`` describes."""
        return cls(kind, exc.path, exc.line, exc.message)


def lines_of(problems: list[Problem], kind: str) -> list[str]:
    """The printed lines of the problems of one kind, in order."""
    return [str(problem) for problem in problems if problem.kind == kind]


class HasProblems:
    """A result holding ``problems``, with its warnings and errors as printed lines."""

    problems: list[Problem]

    @property
    def warnings(self) -> list[str]:
        """The warnings as printed lines, ``PATH[:LINE]: message``."""
        return lines_of(self.problems, WARNING)

    @property
    def errors(self) -> list[str]:
        """The errors (inputs skipped, outputs not written) as printed lines."""
        return lines_of(self.problems, ERROR)


class NbpostError(Exception):
    """Base error: a message about one input, with its path and 1-based line when known."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def with_path(self, path: str | Path) -> NbpostError:
        """Return this error with its path filled in (callers that know the file add it)."""
        if self.path is None:
            self.path = str(path)
        return self

    def __str__(self) -> str:
        return _where(self.message, self.path, self.line)


class EncodingError(NbpostError):
    """The bytes are not valid UTF-8."""


class FrontMatterError(NbpostError):
    """The YAML front matter is unterminated or not valid YAML."""


class FenceError(NbpostError):
    """A code fence or chunk is never closed."""


class NotebookError(NbpostError):
    """The notebook JSON is invalid or does not follow nbformat 4."""

    @classmethod
    def invalid_json(cls, exc: JSONDecodeError, path: str | Path | None) -> NotebookError:
        """``json.loads``' error as one line with its line and column: its bare message may
        end in "at" ("Unterminated string starting at"), the place being in its full text."""
        place = f"column {exc.colno}" if exc.msg.endswith(" at") else f"(column {exc.colno})"
        return cls(f"invalid notebook JSON: {exc.msg} {place}", path, exc.lineno)


class ConversionError(NbpostError):
    """A document cannot be written in the requested format without losing content."""


class ConfigError(NbpostError):
    """A project or blog configuration file is invalid."""


def one_line(exc: BaseException) -> str:
    """The one-line message for an error: ``PATH[:LINE]: what is wrong``."""
    if isinstance(exc, NbpostError):
        return str(exc)
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else ""
        return f"{where}: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


def as_input_error(exc: BaseException, where: object) -> NbpostError | OSError:
    """Any exception raised while handling the input ``where`` as an error that names it.

    Commands catch every exception per input so that one bad file never stops the others;
    this gives each one line: an nbpost error gets ``where`` as its path when it has none,
    and anything unexpected becomes an NbpostError whose cause is the original.
    """
    if isinstance(exc, NbpostError):
        return exc.with_path(str(where))
    if isinstance(exc, OSError) and exc.filename is not None:
        return exc
    if isinstance(exc, OSError):
        message = exc.strerror or str(exc)
    elif isinstance(exc, RecursionError):
        message = "nested too deeply to convert"
    elif isinstance(exc, MemoryError):
        message = "too large to convert in the memory available"
    else:
        message = f"internal error ({type(exc).__name__}: {exc}); --debug shows where"
    wrapped = NbpostError(message, str(where))
    wrapped.__cause__ = exc
    return wrapped
