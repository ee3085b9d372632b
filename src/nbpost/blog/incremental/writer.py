"""Write generated files atomically, never outside the output folder.

A changed file is written to a temporary sibling (``.NAME.PID.tmp``) and swapped or renamed
in (``textio.replace_regenerable``), so no reader ever sees half a file, and a replaced file
keeps its permissions. The per-file cost is
cut for builds that write thousands of files: one ``lstat`` per file (``existing``) tells the
build (``build._write_one``) whether there is a file to compare with and to check for nbpost's
mark; each folder is checked and created once; a symlinked folder must resolve inside the
output folder, and a temporary is never opened through a symlink.
"""

from __future__ import annotations

import os
import stat as stat_module

from ...errors import NbpostError
from ...textio import replace_regenerable


class OutputWriter:
    """Writes files below one output folder (an absolute, resolved path)."""

    def __init__(self, base: str, create: bool = True):
        self.base = base
        self.create = create  # False: resolve folders without making any (a dry run)
        self.folders: dict[str, str] = {"": base}
        self.made: set[str] = set()  # folders this writer created: nothing can be in the way

    def folder(self, relative: str) -> str:
        """The absolute path of a folder below the base, created when missing.

        Raises ``NbpostError`` (its ``path`` the folder, relative to the base) for a folder
        that would leave the base, and ``OSError`` when it cannot be made.
        """
        known = self.folders.get(relative)
        if known is not None:
            return known
        parent, _, name = relative.rpartition("/")
        if name in ("", ".", "..") or "\\" in name or "\0" in name:
            raise NbpostError("would leave the output folder", relative or ".")
        path = self.folder(parent) + "/" + name
        if self.create:
            try:
                os.mkdir(path)  # a cold build makes hundreds: one call each, nothing to check
            except FileExistsError:
                pass
            else:
                self.folders[relative] = path
                self.made.add(path)
                return path
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            if self.create:
                raise
            self.folders[relative] = path  # a dry run: it would be made
            return path
        if stat_module.S_ISLNK(info.st_mode):
            resolved = os.path.realpath(path)
            if not resolved.startswith(self.base + "/") or not os.path.isdir(resolved):
                raise NbpostError("would leave the output folder", relative or ".")
            path = resolved
        elif not stat_module.S_ISDIR(info.st_mode):
            raise NbpostError("an output folder that is a file", relative)
        self.folders[relative] = path
        return path

    def existing(self, path: str) -> os.stat_result | None:
        """The ``lstat`` of a file about to be written, or None when there is none."""
        if path.rpartition("/")[0] in self.made:
            return None  # a folder made by this build a moment ago holds only its files
        try:
            return os.lstat(path)
        except FileNotFoundError:
            return None

    def replace(self, path: str, payload: bytes, old: os.stat_result | None) -> list[int]:
        """Write ``payload`` to ``path`` through a temporary sibling renamed over it (a symlink
        there is replaced, never written through); ``old`` is its lstat. Returns the new file's
        [size, mtime_ns]. The caller has checked that the file differs and may be replaced.
        """
        info = replace_regenerable(path, payload, old)  # nbpost.textio: outputs are made again
        return [info.st_size, info.st_mtime_ns]
