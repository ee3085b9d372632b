"""Find a blog's documents and resolve listing ``contents`` to posts, as Quarto does.

Which files are Quarto inputs is decided in ``nbpost.project.inputs`` (Quarto's rules, with the
quarto-cli files they come from); this module walks the project once with those rules, adds
nbpost's own exclusions (its generated folders, the notebook folder) and resolves listings.

Listing ``contents`` (``readContents``/``expandGlob`` in Quarto's ``website-listing-read.ts``):
entries are paths or globs relative to the listing page's folder (a leading ``/`` means the
project root); a folder becomes ``folder/**``; a glob without ``/`` gets an implicit ``**/``
prefix; ``!glob`` excludes; objects are inline items; ``.yml`` files hold items.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...project.globs import glob_regex
from ...project.inputs import (
    DOCUMENT_SUFFIXES,
    TEXT_SUFFIXES,
    document_suffix,
    ignored_folder,
    ignored_name,
    render_list,
    rendered_documents,
    shadows_notebooks,
)
from ...project.paths import printable

DOCUMENT_EXTENSIONS = DOCUMENT_SUFFIXES
ITEM_FILE_EXTENSIONS = (".yml", ".yaml")
TEXT_EXTENSIONS = TEXT_SUFFIXES
# Where nbpost writes its own pages; they are never posts nor the blog's listing pages.
GENERATED_FOLDERS = ("categories", "archive", "feeds")
GENERATED_INDEX = "POSTS.md"  # layout.MARKDOWN_INDEX
# In a file name, what no output could carry: controls, and bytes that are not UTF-8.
_UNWRITABLE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

__all__ = ["glob_regex"]  # re-exported: the glob matcher lives in nbpost.project.globs


@dataclass
class ProjectFiles:
    """Everything found under a project root (POSIX paths relative to the root)."""

    documents: list[str] = field(default_factory=list)  # sorted: the pages Quarto renders
    item_files: list[str] = field(default_factory=list)  # .yml/.yaml a listing may name
    metadata_files: dict[str, str] = field(default_factory=dict)  # folder -> _metadata.yml path
    folders: set[str] = field(default_factory=set)
    on_disk: list[str] = field(default_factory=list)  # every document found, rendered or not
    warnings: list[str] = field(default_factory=list)  # root-relative "PATH: message"


def _kind(name: str, rel: str, is_dir: bool, excluded: set[str]) -> str:
    """What one folder entry is to a build: folder, metadata, config, document, items,
    shadow (a file that can hide a notebook, ``X.py`` beside ``X.ipynb``) or ""."""
    if is_dir:
        return "" if ignored_folder(name) or rel in excluded else "folder"
    if name in ("_metadata.yml", "_metadata.yaml"):
        return "metadata"
    if name.startswith(("_", ".")) or rel in excluded:
        # _quarto.yml, _categories.yml: read by name, so their presence matters too.
        return "config" if name[0] == "_" and name.endswith(ITEM_FILE_EXTENSIONS) else ""
    if document_suffix(name):
        return "" if ignored_name(name) else "document"
    if name.lower().endswith(ITEM_FILE_EXTENSIONS):
        return "items"
    return "shadow" if shadows_notebooks(name) else ""


def walk_project(
    root: Path,
    excluded: set[str],
    snapshot: dict[str, list[Any]] | None = None,
    render: list[str] | None = None,
) -> ProjectFiles:
    """List the project's inputs, ``_metadata.yml`` files and item files in one walk.

    ``excluded`` holds root-relative folders and files that are never inputs; ``render`` is
    the project's ``project.render`` list (see ``nbpost.project.inputs.render_list``). With
    ``snapshot``, each walked folder's ``[ctime_ns, signature]`` is recorded there (stat taken
    before the listing; see ``folder_signature``) so that a later build can tell, without
    listing it again, that no input was added to or removed from the folder.
    """
    found = ProjectFiles()
    documents: list[str] = []
    shadows: list[str] = []
    real_root = os.path.realpath(root)
    walked: set[str] = set()  # real paths of the folders reached through a symlink
    stack = [("", real_root)]  # (folder relative to the root, its real path)
    while stack:
        relative, real_folder = stack.pop()
        found.folders.add(relative)
        folder = os.path.join(root, relative) if relative else root
        try:
            ctime = os.stat(folder).st_ctime_ns if snapshot is not None else 0
            entries = list(os.scandir(folder))
        except OSError:
            continue
        names: list[str] = []
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                continue  # hidden: never an input, a folder to walk or configuration
            rel = f"{relative}/{name}" if relative else name
            try:
                kind = _kind(name, rel, entry.is_dir(), excluded)
            except OSError:
                continue
            if not kind:
                continue
            names.append(name + "/" if kind == "folder" else name)  # as list_folder does
            real = None
            if kind != "config" and (not name.isprintable() or entry.is_symlink()):
                real, why = _unsafe_entry(entry, real_root, real_folder, walked)
                if why is not None:
                    found.warnings.append(f"{printable(rel)}: {why}")
                    continue
            if kind == "folder":
                stack.append((rel, real or real_folder + os.sep + name))
                continue
            if kind == "document":
                documents.append(rel)
            elif kind == "items":
                found.item_files.append(rel)
            elif kind == "metadata":
                found.metadata_files.setdefault(relative, rel)
            elif kind == "shadow":
                shadows.append(rel)
        if snapshot is not None:
            snapshot[relative] = [ctime, folder_signature(names)]
    found.on_disk = sorted(documents)
    inputs = found.on_disk
    if render is not None:
        inputs, unmatched = render_list(render, found.on_disk, found.folders)
        found.warnings.extend(
            f"_quarto.yml: project render entry '{entry}' matches no document"
            for entry in unmatched
        )
    rendered = rendered_documents(inputs, [*found.on_disk, *shadows])
    found.documents = rendered.documents
    found.warnings.extend(rendered.warnings)
    found.item_files.sort()
    return found


def _unsafe_entry(
    entry: os.DirEntry[str], real_root: str, real_folder: str, walked: set[str]
) -> tuple[str, str | None]:
    """(the entry's real path, why it is not read or None), for a name that is not plainly
    printable or a symlink.

    A post is untrusted content (docs/security.md): a symlink may point anywhere, so one that
    leads out of the blog is not published, and a folder symlink that loops back (to a folder
    it lies in, or to one already reached through a symlink) is not walked again. A name
    that is not valid UTF-8 or holds a control character could not be written into a page,
    feed or registry as it is.
    """
    name = entry.name
    if not name.isprintable() and (bad := _UNWRITABLE_NAME.search(name)) is not None:
        if "\ud800" <= bad.group(0) <= "\udfff":  # os.fsdecode's escape for a byte
            return name, "a file name that is not valid UTF-8; not read (rename it)"
        return name, "a file name with control characters; not read (rename it)"
    if not entry.is_symlink():
        return real_folder + os.sep + name, None
    real = os.path.realpath(entry.path)
    if real != real_root and not real.startswith(real_root + os.sep):
        return real, "a symlink to a place outside the blog; not published"
    if entry.is_dir():
        if real in walked or real_folder == real or real_folder.startswith(real + os.sep):
            return real, "a symlink to a folder already read; not read twice"
        walked.add(real)
    return real, None


def folder_signature(names: list[str]) -> str:
    """The names in one folder that shape a build (inputs, sub-folders, config), sorted."""
    return "\0".join(sorted(names))


def list_folder(root: Path, relative: str, excluded: set[str]) -> str | None:
    """List one folder again and return its signature as ``walk_project`` records it."""
    folder = os.path.join(root, relative) if relative else root
    names: list[str] = []
    try:
        for entry in os.scandir(folder):
            rel = f"{relative}/{entry.name}" if relative else entry.name
            kind = _kind(entry.name, rel, entry.is_dir(), excluded)
            if kind:
                names.append(entry.name + "/" if kind == "folder" else entry.name)
    except OSError:
        return None
    return folder_signature(names)


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
        if path.lower().endswith(ITEM_FILE_EXTENSIONS):
            result.item_files.append(path)
        else:
            result.documents.append(path)
    return result
