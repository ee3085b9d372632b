"""The one place that turns a name or path taken from file content into a path on disk.

Posts, notebooks and config files are untrusted (docs/security.md): a cell id, an attachment
name, a category slug, ``notebook-dir``, ``registry`` or ``output-dir`` may say ``../../x``,
``/etc/x``, ``C:\\x``, hold a NUL byte or be 10,000 characters long. Every writer that builds a
path from such a value goes through ``safe_component`` (one file or folder name) or
``contained`` (a relative path below a base folder); nothing else joins them by hand.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from ..errors import NbpostError

# Longest file name nbpost derives (bytes of UTF-8): file systems allow 255, and a temporary
# sibling adds a prefix and suffix (".NAME.PID.tmp").
MAX_NAME_BYTES = 200

# Longest relative path accepted from content or config (bytes of UTF-8): with the project's
# own path it must stay under PATH_MAX (4,096 on Linux, 1,024 on macOS).
MAX_RELATIVE_BYTES = 512

WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)

# Characters no derived name may hold: separators, Windows' forbidden set, controls.
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UnsafePathError(NbpostError):
    """A path derived from file content would leave its folder or is not a usable name."""


def safe_component(name: str, *, fallback: str = "file", max_bytes: int = MAX_NAME_BYTES) -> str:
    """Make ``name`` a single safe file name: no separators or controls, not hidden, not reserved.

    The result is NFC-normalised (macOS and Windows file systems treat NFC and NFD spellings as
    one name), never ``.``/``..``, never starts with ``.`` or ``-``, never a Windows device
    name, and at most ``max_bytes`` bytes of UTF-8 (cut on a character boundary).
    """
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE_CHARS.sub("-", text).strip(" .-")
    encoded = text.encode("utf-8")
    if len(encoded) > max_bytes:
        text = encoded[:max_bytes].decode("utf-8", "ignore").rstrip(" .-")
    if not text:
        text = fallback
    stem = text.split(".", 1)[0].lower()
    if stem in WINDOWS_RESERVED:
        text = f"{fallback}-{text}"
    return text


# Not in a name taken as it is (a custom category slug, used as a folder and in URLs):
# whitespace, separators, Windows' forbidden characters, URL delimiters, controls.
_NAME_FORBIDDEN = re.compile(r'[\s/\\<>:"|?*#%\x00-\x1f\x7f-\x9f]')


@functools.lru_cache(maxsize=4096)  # a build asks about each category's slug for every path
def name_problem(name: str, *, max_bytes: int = MAX_NAME_BYTES) -> str | None:
    """Why ``name`` cannot be used as one file or folder name as it is, or None when it can.

    For names an author chooses (a custom category slug): unlike ``safe_component``, nothing
    is repaired, since the name is also the URL the author asked for.
    """
    if not isinstance(name, str) or not name.strip():
        return "is empty"
    if name != name.strip():
        return "has leading or trailing spaces"
    if ".." in name:
        return "contains '..'"
    if name.startswith("."):
        return "starts with '.'"
    if _NAME_FORBIDDEN.search(name):
        return "contains '/', '\\', spaces or characters not allowed in file names or URLs"
    if name.endswith("."):
        return "ends with '.' (Windows drops it)"
    if name.split(".", 1)[0].lower() in WINDOWS_RESERVED:
        return "is a reserved device name on Windows"
    if len(name.encode("utf-8")) > max_bytes:
        return f"is longer than {max_bytes} bytes"
    return None


def check_name(name: str, *, what: str) -> str:
    """``name`` when ``name_problem`` finds nothing wrong; else raise ``UnsafePathError``."""
    problem = name_problem(name)
    if problem is not None:
        raise UnsafePathError(f"{what} {name!r} {problem}")
    return name


def check_relative(relative: str, *, what: str) -> PurePosixPath:
    """Check a relative POSIX path from content or config; raise ``UnsafePathError`` if unsafe.

    Refused: empty, absolute (``/x``, ``C:x``, ``\\\\host``), any ``..`` part, a backslash, a
    NUL or other control character, a part longer than the file system allows, or a path
    longer than ``MAX_RELATIVE_BYTES``.
    """
    if not isinstance(relative, str) or not relative.strip():
        raise UnsafePathError(f"{what} must be a relative path, not {relative!r}")
    if _CONTROL.search(relative) or "\\" in relative:
        raise UnsafePathError(f"{what} {relative!r} holds a control character or a backslash")
    if relative.startswith("/") or re.match(r"^[A-Za-z]:", relative):
        raise UnsafePathError(f"{what} {relative!r} must be relative to the project")
    if len(relative.encode("utf-8")) > MAX_RELATIVE_BYTES:
        raise UnsafePathError(f"{what} is longer than {MAX_RELATIVE_BYTES} bytes")
    pure = PurePosixPath(relative)
    for part in pure.parts:
        if part == "..":
            raise UnsafePathError(f"{what} {relative!r} would leave the project")
        if len(part.encode("utf-8")) > 255:
            raise UnsafePathError(f"{what} has a name longer than 255 bytes")
    return pure


def contained(base: str | Path, relative: str | PurePosixPath, *, what: str = "path") -> Path:
    """``base / relative``, refused unless it stays inside ``base`` once symlinks are resolved.

    ``relative`` is checked by ``check_relative``; then the joined path is resolved (following
    any symlinks that already exist on the way) and must still lie in the resolved ``base``.
    The returned path is the joined one (not resolved), so messages name what the user wrote.
    """
    pure = check_relative(str(relative), what=what)
    root = Path(base)
    joined = root.joinpath(*pure.parts)
    if not is_inside(joined, root):
        raise UnsafePathError(f"{what} {str(relative)!r} leads outside {root} through a symlink")
    return joined


def printable(text: str) -> str:
    """``text`` for a one-line message: controls and undecodable bytes shown as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def is_inside(path: str | Path, base: str | Path) -> bool:
    """Whether ``path`` resolves (symlinks followed) to ``base`` or somewhere below it."""
    real_base = os.path.realpath(base)
    real = os.path.realpath(path)
    return real == real_base or real.startswith(real_base.rstrip(os.sep) + os.sep)
