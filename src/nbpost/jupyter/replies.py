"""nbpost's problems as HTTP answers: one line, naming the file relative to the server's root.

JupyterLab shows the ``message`` of an error answer in its "File Save Error" and "File Load
Error" dialogs, so it is written for the person there: the file as the file browser shows it
(never the server's absolute path), the line where known, what is wrong and what to do.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tornado.web import HTTPError

from ..errors import NbpostError, one_line


def shown(path: str | Path, root: str | Path) -> str:
    """A path as the file browser shows it: relative to the server's root (``..`` above it)."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return Path(text).as_posix()
    return Path(os.path.relpath(text, os.fspath(root))).as_posix()


def message(exc: BaseException | str, root: str | Path) -> str:
    """One line for an error, with every path in it shown relative to ``root``."""
    if isinstance(exc, str):
        text = exc
    elif isinstance(exc, NbpostError):
        where = shown(exc.path, root) if exc.path else ""
        if exc.line is not None:
            where = f"{where}:{exc.line}"
        text = f"{where}: {exc.message}" if where else exc.message
    else:
        text = one_line(exc)
    prefix = os.fspath(root).rstrip(os.sep) + os.sep
    text = text.replace(prefix, "")
    return " ".join(text.split())  # one line, whatever the message held


def http_error(
    exc: BaseException, root: str | Path, status: int | None = None, path: str | None = None
) -> HTTPError:
    """The HTTP error for an nbpost problem (status from the error, else 400); ``path`` (the
    API path asked for) names the file when the error itself names none."""
    code = status or getattr(exc, "status", None) or 400
    text = message(exc, root)
    if path is not None and not isinstance(exc, NbpostError):
        text = f"{path}: {text}"
    return HTTPError(code, text, reason="nbpost refused")


def unexpected(exc: BaseException, path: str, root: str | Path, log: Any) -> HTTPError:
    """An error nbpost did not foresee while reading a file's content: logged with its
    traceback (it is a bug to report), answered as bad input, never as a server error."""
    log.error("nbpost: unexpected error with %s", path, exc_info=exc)
    text = message(exc, root)
    return HTTPError(400, f"{path}: nbpost could not read it: {text}", reason="nbpost refused")
