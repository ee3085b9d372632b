"""Errors that name the file (and line) at fault, so the CLI can print one clear line."""

from __future__ import annotations

from pathlib import Path


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
        where = self.path or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}"


class EncodingError(NbpostError):
    """The bytes are not valid UTF-8."""


class FrontMatterError(NbpostError):
    """The YAML front matter is unterminated or not valid YAML."""


class FenceError(NbpostError):
    """A code fence or chunk is never closed."""


class NotebookError(NbpostError):
    """The notebook JSON is invalid or does not follow nbformat 4."""


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
