"""The ``_metadata.yml`` files of a project: read once, merged down each folder chain.

Quarto merges ``_quarto.yml``, then every ``_metadata.yml`` from the project root down to a
document's folder, then the document's front matter (``src/project/project-shared.ts``
``directoryMetadataForInputFile``). A folder whose ``_metadata.yml`` cannot be read makes its
documents unreadable too: they are skipped with the reason, never built with half their
metadata.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import ERROR, NbpostError, Problem
from ...project.config import parse_config_text
from ...textio import read_text
from .images import rebase_metadata_image
from .metadata import merge_configs, metadata_chain
from .records import StatLog


@dataclass
class FolderMetadata:
    """Each folder's own ``_metadata.yml`` mapping, and the merged chain per folder."""

    base: dict[str, Any]  # the project's metadata (``_quarto.yml``)
    own: dict[str, dict[str, Any]] = field(default_factory=dict)  # folder -> its file's data
    broken_folders: dict[str, str] = field(default_factory=dict)  # folder -> error line
    problems: list[Problem] = field(default_factory=list)
    chains: dict[str, dict[str, Any]] = field(default_factory=dict)  # folder -> merged levels

    @classmethod
    def read(
        cls,
        root: Path,
        files: dict[str, str],
        base: dict[str, Any],
        shown: Callable[[str], str],
        snapshot: StatLog | None = None,
    ) -> FolderMetadata:
        """Read every ``_metadata.yml`` (``files``: folder -> root-relative path)."""
        folders = cls(base)
        for folder, rel in sorted(files.items()):
            if snapshot is not None:
                snapshot.stat(root, rel)
            try:
                data = parse_config_text(read_text(root / rel), shown(rel))
                folders.own[folder] = rebase_metadata_image(data, str(root), folder)
            except NbpostError as exc:
                folders.problems.append(Problem.from_error(exc))
                folders.broken_folders[folder] = str(exc)
            except OSError as exc:
                problem = Problem(ERROR, shown(rel), None, f"cannot read: {exc.strerror}")
                folders.problems.append(problem)
                folders.broken_folders[folder] = str(problem)
        return folders

    def levels(self, folder: str) -> dict[str, Any]:
        """``_quarto.yml`` merged with the ``_metadata.yml`` chain of a folder (memoised)."""
        merged = self.chains.get(folder)
        if merged is not None:
            return merged
        if folder == "":
            # Quarto's walk skips the root _metadata.yml for documents in sub-folders; the
            # root's own documents get it (see metadata_chain). Here "" is the base of
            # sub-folders.
            merged = self.base
        else:
            parent = self.levels(folder.rpartition("/")[0])  # clean paths: dirname
            own = self.own.get(folder)
            merged = merge_configs(parent, own) if own else parent
        self.chains[folder] = merged
        return merged

    def merged(self, rel: str, front_matter: dict[str, Any]) -> dict[str, Any]:
        """A document's metadata: the project's, its folders', then its front matter."""
        folder = rel.rpartition("/")[0]  # posixpath.dirname of a clean relative path
        if folder == "":
            chain = metadata_chain("", self.own)
            return merge_configs(self.base, *chain, front_matter)
        return merge_configs(self.levels(folder), front_matter)

    def broken(self, rel: str) -> str | None:
        """Why a document cannot be read because of a folder's ``_metadata.yml``, or None."""
        if not self.broken_folders:
            return None
        folder = posixpath.dirname(rel)
        while True:
            if folder in self.broken_folders:
                return self.broken_folders[folder]
            if not folder:
                return None
            folder = posixpath.dirname(folder)
