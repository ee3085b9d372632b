"""Warnings about how Quarto will render the project, found while walking it.

Pages Quarto renders twice (``nbpost.project.inputs.rendered_documents``), the notebook folder
Quarto would render as pages of their own, ``project.render`` entries that match nothing and
``website.drafts`` entries that only match once written the way Quarto compares them.
"""

from __future__ import annotations

from collections.abc import Callable

from ...project.inputs import ignored_folder, render_list
from .discover import ProjectFiles
from .settings import ProjectSettings


def notebook_folder_rendered(settings: ProjectSettings) -> bool:
    """Whether Quarto renders the notebooks of ``nbpost: notebook-dir`` as pages: unless the
    folder starts with ``_``/``.`` (``project-context.ts``) or ``project.render`` leaves it out."""
    folder = settings.notebook_dir
    if not folder or any(ignored_folder(part) for part in folder.split("/")):
        return False
    if settings.render is None:
        return True
    probe = f"{folder}/probe.ipynb"
    return bool(render_list(settings.render, [probe], {folder})[0])


def input_warnings(
    settings: ProjectSettings, files: ProjectFiles, shown: Callable[[str], str]
) -> list[str]:
    """Warnings, each ``PATH: message`` with the path as the user should see it."""
    warnings = [shown(message) for message in files.warnings]
    folder = settings.notebook_dir
    if folder and notebook_folder_rendered(settings):
        name = folder.rsplit("/", 1)[-1]
        warnings.append(
            f"{shown('_quarto.yml')}: Quarto renders the notebooks in {folder}/ as pages of "
            f"their own (nbpost never lists them); name the folder _{name} (Quarto skips "
            f'folders starting with _) or add "!{folder}/" to project: render'
        )
    documents = set(files.on_disk)
    for entry in sorted(settings.drafts - documents):
        near = entry.lstrip("./").lstrip("/")
        if near in documents:
            warnings.append(
                f"{shown('_quarto.yml')}: website drafts entry '{entry}' matches no document: "
                f"Quarto compares project-relative paths exactly; write '{near}'"
            )
    return warnings
