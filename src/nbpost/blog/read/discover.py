"""Find a blog's documents and resolve listing ``contents`` to posts, as Quarto does.

Which files are Quarto inputs is decided in ``nbpost.project.inputs`` (Quarto's rules, with the
quarto-cli files they come from) and the project is walked once by ``nbpost.project.walk``;
this module adds nbpost's own exclusions (its generated folders, the notebook folder) and
resolves listings.

Listing ``contents`` (``readContents``/``expandGlob`` in Quarto's ``website-listing-read.ts``):
entries are paths or globs relative to the listing page's folder (a leading ``/`` means the
project root); a folder becomes ``folder/**``; a glob without ``/`` gets an implicit ``**/``
prefix; ``!glob`` excludes; objects are inline items; ``.yml`` files hold items.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from ...project.filetypes import GENERATED_FOLDERS, GENERATED_INDEX, YAML_SUFFIXES
from ...project.globs import glob_regex
from ...project.inputs import rendered_documents
from ...project.walk import (
    ProjectFiles,
    folder_signature,
    list_folder,
    select_documents,
    walk_project,
    walk_tree,
)

# Re-exported: the walk and the glob matcher live in the project layer (nbpost.project).
__all__ = [
    "GENERATED_FOLDERS",
    "ProjectFiles",
    "folder_signature",
    "glob_regex",
    "list_folder",
    "select_documents",
    "walk_project",
    "walk_tree",
]


def collapse_pairs(documents: list[str]) -> list[str]:
    """One document per rendered page (``nbpost.project.inputs.rendered_documents``)."""
    return rendered_documents(documents).documents


def excluded_folders(
    quarto_output_dir: str, nbpost_output_dir: str, notebook_dir: str | None = None
) -> set[str]:
    """Paths (relative to the root) that never hold posts: outputs of Quarto and nbpost, and
    the folder of paired notebooks (``nbpost: notebook-dir``), whose posts are the text files.

    nbpost's own ``POSTS.md`` is one of them: a generated index is never an input.
    """
    excluded = {quarto_output_dir.strip("/")}
    if notebook_dir:
        excluded.add(posixpath.normpath(notebook_dir.strip().strip("/")))
    prefix = "" if nbpost_output_dir in ("", ".") else nbpost_output_dir.strip("/") + "/"
    excluded.update(prefix + name for name in GENERATED_FOLDERS)
    excluded.add(prefix + GENERATED_INDEX)
    return {path for path in excluded if path}


def _normalise(path: str) -> str:
    joined = posixpath.normpath(path) if path else ""
    return "" if joined == "." else joined


@dataclass
class ListingContents:
    """What one listing page lists: documents, item files and inline items."""

    page: str
    documents: list[str] = field(default_factory=list)
    item_files: list[str] = field(default_factory=list)
    inline_items: list[dict[str, Any]] = field(default_factory=list)


def listing_specs(value: Any) -> list[dict[str, Any]]:
    """The listings a page's ``listing:`` value declares (``true``, a type name, one or many)."""
    if value is True or isinstance(value, str):
        return [{}]
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def is_gallery(specs: list[dict[str, Any]]) -> bool:
    """Whether every listing on a page uses a custom template (talks, projects galleries)."""
    return bool(specs) and all(spec.get("template") for spec in specs)


def resolve_listing(page: str, specs: list[dict[str, Any]], files: ProjectFiles) -> ListingContents:
    """Resolve the ``contents`` of a page's listings against the project's files."""
    result = ListingContents(page=page)
    page_dir = posixpath.dirname(page)
    chosen: set[str] = set()
    for spec in specs:
        inputs_only = False  # a folder entry restricts every glob to project inputs (Quarto)
        contents = spec.get("contents")
        entries = contents if isinstance(contents, list) else [contents]
        include: list[re.Pattern[str]] = []
        exclude: list[re.Pattern[str]] = []
        if contents is None:
            inputs_only = True
            include.append(glob_regex(f"{page_dir}/**" if page_dir else "**"))
        for entry in entries:
            if isinstance(entry, dict):
                result.inline_items.append(entry)
                continue
            if not isinstance(entry, str) or not entry.strip():
                continue
            text = entry.strip()
            negate = text.startswith("!")
            if negate:
                text = text[1:]
            base = page_dir
            if text.startswith("/"):
                base, text = "", text.lstrip("/")
            full = _normalise(posixpath.join(base, text)) if text else base
            if full in files.folders or (full == "" and text in ("", ".")):
                pattern = f"{full}/**" if full else "**"
                inputs_only = True
            elif "/" not in text:
                pattern = posixpath.join(base, "**/" + text) if base else "**/" + text
            else:
                pattern = full
            (exclude if negate else include).append(glob_regex(pattern))
        candidates = files.documents if inputs_only else [*files.documents, *files.item_files]
        for path in candidates:
            if path == page or path in chosen:
                continue
            if any(p.match(path) for p in include) and not any(p.match(path) for p in exclude):
                chosen.add(path)
    for path in sorted(chosen):
        if path.lower().endswith(YAML_SUFFIXES):
            result.item_files.append(path)
        else:
            result.documents.append(path)
    return result
