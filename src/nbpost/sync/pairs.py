"""Which files form a pair: ``X.qmd`` (or ``X.md``) with ``X.ipynb``, side by side or mirrored.

A project may keep its notebooks in a folder of their own with an ``nbpost:`` key in its
``_quarto.yml`` (the same key the blog options use)::

    nbpost:
      notebook-dir: notebooks

Then ``posts/a/index.qmd`` pairs with ``notebooks/posts/a/index.ipynb`` (the text file's path
relative to the project, mirrored under the notebook folder). A notebook beside its text file
still pairs with it, so turning the option on never orphans an existing pair.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..project.config import find_project_root, notebook_dir_option
from ..project.filetypes import NOTEBOOK_SUFFIX, PAIRED_TEXT_SUFFIXES

TEXT_SUFFIXES = PAIRED_TEXT_SUFFIXES  # .qmd first: it wins when X.qmd and X.md both exist


@dataclass(frozen=True)
class Pair:
    """A text file and the notebook paired with it (either may not exist yet)."""

    qmd: Path
    ipynb: Path


def is_text(path: Path) -> bool:
    """Whether a path is a text post (.qmd or .md)."""
    return path.suffix.lower() in TEXT_SUFFIXES


def is_notebook(path: Path) -> bool:
    """Whether a path is a notebook (.ipynb)."""
    return path.suffix.lower() == NOTEBOOK_SUFFIX


def project_root(path: Path) -> Path | None:
    """The nearest folder at or above ``path``'s folder holding ``_quarto.yml``, or None."""
    return find_project_root(path)


def notebook_dir(root: Path | None) -> Path | None:
    """The configured notebook folder of a project (absolute), or None."""
    if root is None:
        return None
    folder = notebook_dir_option(root)  # raises ConfigError for a bad value
    return root / folder if folder is not None else None


def text_can_pair(path: Path) -> bool:
    """Whether a text file may pair with a notebook: a ``.qmd`` always, a ``.md`` only inside a
    Quarto project.

    Outside a blog, ``analysis.md`` beside ``analysis.ipynb`` is usually an export or notes,
    not the notebook's source: pairing them would make the Jupyter extension rewrite (or
    refuse to save over) a file the user never meant to sync.
    """
    return path.suffix.lower() != ".md" or project_root(path) is not None


def _mirror(path: Path, base: Path, into: Path) -> Path | None:
    """``path`` re-rooted from ``base`` to ``into`` (None when it is not below ``base``)."""
    try:
        relative = path.absolute().relative_to(base)
    except ValueError:
        return None
    return into / relative


def _shown(candidate: Path, like: Path) -> Path:
    """Show a derived path relative to the cwd when the user's path was relative."""
    if like.is_absolute():
        return candidate
    try:
        return candidate.relative_to(Path.cwd())
    except ValueError:
        return candidate


def partner_candidates(path: Path) -> list[Path]:
    """Where the other side of ``path`` may live, most preferred first."""
    path = Path(path)
    root = project_root(path)
    folder = notebook_dir(root)
    found: list[Path] = []
    if is_notebook(path):
        # a .md pairs only inside a Quarto project (text_can_pair): elsewhere, .qmd alone
        suffixes = TEXT_SUFFIXES if root is not None else (".qmd",)
        found.extend(path.with_suffix(suffix) for suffix in suffixes)
        if folder is not None and root is not None:
            mirrored = _mirror(path, folder, root)
            if mirrored is not None:
                found.extend(_shown(mirrored.with_suffix(s), path) for s in TEXT_SUFFIXES)
    elif is_text(path):
        found.append(path.with_suffix(NOTEBOOK_SUFFIX))
        if folder is not None and root is not None:
            mirrored = _mirror(path, root, folder)
            if mirrored is not None:
                found.append(_shown(mirrored.with_suffix(NOTEBOOK_SUFFIX), path))
    return found


def find_pair(path: Path) -> Pair | None:
    """The pair ``path`` belongs to when both sides exist, else None.

    A text file pairs with ``X.ipynb`` beside it, else with its mirror in the configured
    notebook folder; a notebook pairs with ``X.qmd`` (then ``X.md``) beside it, else with
    the text file its notebook-folder path mirrors.
    """
    path = Path(path)
    if not path.is_file():
        return None
    if is_notebook(path):
        text = next((c for c in partner_candidates(path) if c.is_file()), None)
        return Pair(text, path) if text is not None else None
    if is_text(path):
        if path.suffix.lower() == ".md" and path.with_suffix(".qmd").is_file():
            return None  # X.qmd is the text side of X.ipynb; X.md is just a document
        if not text_can_pair(path):
            return None
        for candidate in partner_candidates(path):
            if candidate.is_file():
                return Pair(path, candidate)
    return None


def new_partner(path: Path) -> Path:
    """Where ``nbpost pair`` creates the other side of ``path``.

    A notebook goes into the configured notebook folder (else beside the text); a text file
    is created as ``X.qmd`` beside the notebook, or at the mirrored place when the notebook
    lives in the notebook folder.
    """
    path = Path(path)
    candidates = partner_candidates(path)
    if is_text(path):
        return candidates[-1]
    if len(candidates) > len(TEXT_SUFFIXES):
        return candidates[len(TEXT_SUFFIXES)]  # the mirrored .qmd outside the notebook folder
    return candidates[0]
