"""The one file walker: a project's folders listed once, with Quarto's skip rules.

What is skipped comes from ``nbpost.project.inputs`` (quarto-cli's
``src/project/project-context.ts``, ``projectHiddenIgnoreGlob`` and ``projectInputFiles``, and
``src/execute/engine.ts``, ``engineIgnoreDirs``): hidden names, names starting with ``_``
(``_site``, ``_freeze``, ``_drafts``), the engines' folders (``venv``, ``env``, ``renv``,
``node_modules``, ...), ``README.md`` and the other files Quarto never renders. The blog's
discovery (``walk_project``), ``nbpost convert`` and ``nbpost sync`` on a folder
(``walk_posts``) and the Jupyter rename follow-up all walk with these rules.

Unlike Quarto (which does not follow symlinks at all), a symlink that stays inside the
walked folder is followed once; one leading out of it, or looping back, is reported and not
read (docs/security.md).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .filetypes import CONVERTED_SUFFIXES, METADATA_FILES, YAML_SUFFIXES, suffix_of
from .inputs import (
    document_suffix,
    ignored_folder,
    ignored_name,
    render_list,
    rendered_documents,
    shadows_notebooks,
)
from .paths import printable

# In a file name, what no output could carry: controls, and bytes that are not UTF-8.
_UNWRITABLE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass
class ProjectFiles:
    """Everything found under a project root (POSIX paths relative to the root)."""

    documents: list[str] = field(default_factory=list)  # sorted: the pages Quarto renders
    item_files: list[str] = field(default_factory=list)  # .yml/.yaml a listing may name
    metadata_files: dict[str, str] = field(default_factory=dict)  # folder -> _metadata.yml path
    folders: set[str] = field(default_factory=set)
    on_disk: list[str] = field(default_factory=list)  # every document found, rendered or not
    warnings: list[str] = field(default_factory=list)  # root-relative "PATH: message"
    shadows: list[str] = field(default_factory=list)  # files that can hide a notebook


def entry_kind(name: str, rel: str, is_dir: bool, excluded: set[str]) -> str:
    """What one folder entry is to a build: folder, metadata, config, document, items,
    shadow (a file that can hide a notebook, ``X.py`` beside ``X.ipynb``) or ""."""
    if is_dir:
        return "" if ignored_folder(name) or rel in excluded else "folder"
    if name in METADATA_FILES:
        return "metadata"
    if name.startswith(("_", ".")) or rel in excluded:
        # _quarto.yml, _categories.yml: read by name, so their presence matters too.
        return "config" if name[0] == "_" and name.endswith(YAML_SUFFIXES) else ""
    if document_suffix(name):
        return "" if ignored_name(name) else "document"
    if name.lower().endswith(YAML_SUFFIXES):
        return "items"
    return "shadow" if shadows_notebooks(name) else ""


@dataclass
class _Walk:
    """One walk in progress: the root, what it found, the folders reached through symlinks."""

    root: Path
    excluded: set[str]
    snapshot: dict[str, list[Any]] | None
    found: ProjectFiles = field(default_factory=ProjectFiles)
    real_root: str = ""
    walked: set[str] = field(default_factory=set)  # real paths reached through a symlink


def _list_folder(walk: _Walk, relative: str, real_folder: str) -> list[tuple[str, str]]:
    """Classify one folder's entries and record what they are; return its sub-folders as
    (relative path, real path) to walk next."""
    found = walk.found
    found.folders.add(relative)
    folder = os.path.join(walk.root, relative) if relative else walk.root
    try:
        ctime = os.stat(folder).st_ctime_ns if walk.snapshot is not None else 0
        entries = list(os.scandir(folder))
    except OSError:
        return []
    names: list[str] = []
    below: list[tuple[str, str]] = []
    for entry in entries:
        name = entry.name
        if name[0] == ".":
            continue  # hidden: never an input, a folder to walk or configuration
        rel = f"{relative}/{name}" if relative else name
        try:
            kind = entry_kind(name, rel, entry.is_dir(), walk.excluded)
        except OSError:
            continue
        if not kind:
            continue
        names.append(name + "/" if kind == "folder" else name)  # as list_folder does
        real = None
        if kind != "config" and (not name.isprintable() or entry.is_symlink()):
            real, why = _unsafe_entry(entry, walk.real_root, real_folder, walk.walked)
            if why is not None:
                found.warnings.append(f"{printable(rel)}: {why}")
                continue
        if kind == "folder":
            below.append((rel, real or real_folder + os.sep + name))
        elif kind == "document":
            found.on_disk.append(rel)
        elif kind == "items":
            found.item_files.append(rel)
        elif kind == "metadata":
            found.metadata_files.setdefault(relative, rel)
        elif kind == "shadow":
            found.shadows.append(rel)
    if walk.snapshot is not None:
        walk.snapshot[relative] = [ctime, folder_signature(names)]
    return below


def walk_tree(
    root: Path, excluded: set[str], snapshot: dict[str, list[Any]] | None = None
) -> ProjectFiles:
    """Every document, item file, ``_metadata.yml`` and folder under ``root`` (Quarto's skip
    rules, plus ``excluded`` root-relative paths), before ``project.render`` is applied.

    With ``snapshot``, each walked folder's ``[ctime_ns, signature]`` is recorded there (stat
    taken before the listing; see ``folder_signature``) so that a later build can tell,
    without listing it again, that no input was added to or removed from the folder.
    """
    walk = _Walk(root, excluded, snapshot, real_root=os.path.realpath(root))
    stack = [("", walk.real_root)]  # (folder relative to the root, its real path)
    while stack:
        stack.extend(_list_folder(walk, *stack.pop()))
    walk.found.on_disk.sort()
    walk.found.item_files.sort()
    return walk.found


def walk_project(
    root: Path,
    excluded: set[str],
    snapshot: dict[str, list[Any]] | None = None,
    render: list[str] | None = None,
) -> ProjectFiles:
    """List the project's inputs, ``_metadata.yml`` files and item files in one walk.

    ``excluded`` and ``snapshot`` as for ``walk_tree``; ``render`` is the project's
    ``project.render`` list (see ``nbpost.project.inputs.render_list``).
    """
    return select_documents(walk_tree(root, excluded, snapshot), render)


def select_documents(tree: ProjectFiles, render: list[str] | None) -> ProjectFiles:
    """A copy of a walked tree (``walk_tree``, left as it is) with the documents Quarto renders
    (``render``: the project's ``project.render`` list) and their warnings added."""
    warnings = list(tree.warnings)
    inputs = tree.on_disk
    if render is not None:
        inputs, unmatched = render_list(render, tree.on_disk, tree.folders)
        warnings.extend(
            f"_quarto.yml: project render entry '{entry}' matches no document"
            for entry in unmatched
        )
    rendered = rendered_documents(inputs, [*tree.on_disk, *tree.shadows])
    warnings.extend(rendered.warnings)
    return dataclasses.replace(tree, documents=rendered.documents, warnings=warnings)


def walk_posts(folder: str | Path) -> Iterator[Path]:
    """The files ``nbpost convert`` and ``nbpost sync`` read below a folder (.qmd, .md,
    .ipynb), in sorted order, skipping what Quarto skips (see the module docstring)."""
    root = Path(folder)
    for rel in walk_tree(root, set()).on_disk:
        if suffix_of(rel) in CONVERTED_SUFFIXES:
            yield root / rel


def is_post_file(path: Path) -> bool:
    """Whether a file is something nbpost converts (.qmd, .md, .ipynb)."""
    return path.suffix.lower() in CONVERTED_SUFFIXES


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


def list_folder(root: Path, relative: str, excluded: set[str], plain: bool = False) -> str | None:
    """List one folder again and return its signature as ``walk_tree`` records it.

    ``plain``: None as well when an entry that counts is a symlink or has a name that is not
    plainly printable, the entries whose outcome in ``walk_tree`` (followed, refused) the
    signature alone cannot tell.
    """
    folder = os.path.join(root, relative) if relative else root
    names: list[str] = []
    try:
        for entry in os.scandir(folder):
            rel = f"{relative}/{entry.name}" if relative else entry.name
            kind = entry_kind(entry.name, rel, entry.is_dir(), excluded)
            if kind:
                if plain and (not entry.name.isprintable() or entry.is_symlink()):
                    return None
                names.append(entry.name + "/" if kind == "folder" else entry.name)
    except OSError:
        return None
    return folder_signature(names)
