"""What Quarto tells a ``pre-render`` script, read from its environment (``nbpost build``).

From quarto-cli's ``src/command/render/project.ts`` (``renderProject``, ``runScripts``):

- every pre- and post-render script runs in the project folder with
  ``QUARTO_PROJECT_SCRIPT_PROGRESS`` and ``QUARTO_PROJECT_SCRIPT_QUIET`` (``"0"``/``"1"``) and
  ``QUARTO_PROJECT_OUTPUT_DIR``;
- a full render adds ``QUARTO_PROJECT_RENDER_ALL=1``;
- the files about to be rendered are in ``QUARTO_PROJECT_INPUT_FILES`` (one per line,
  relative to the project), or, when Quarto itself was started with
  ``QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES=<file>``, in that file (quarto-cli#10828);
- ``QUARTO_PROJECT_DIR`` is inherited: ``quarto render`` and ``quarto preview`` set it in their
  own environment (``render-shared.ts``, ``serve.ts``);
- a script exiting non-zero aborts the whole render (``throw new Error()`` in ``runScripts``).

``quarto preview`` renders through the same ``renderProject``, so it runs pre-render scripts
too (``src/project/serve/serve.ts``), with nothing in the environment to tell it from a
render. It holds ``.quarto/preview/lock`` with its process id (``acquirePreviewLock``), and the
script is its child: that is how nbpost knows it runs for a preview, where Quarto shows drafts
(``projectDraftMode`` in ``website-utils.ts``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

SCRIPT_VARIABLES = ("QUARTO_PROJECT_SCRIPT_PROGRESS", "QUARTO_PROJECT_SCRIPT_QUIET")
PREVIEW_LOCK = Path(".quarto") / "preview" / "lock"


def in_pre_render(environ: Mapping[str, str]) -> bool:
    """Whether Quarto runs this command as a project script (pre-render)."""
    return any(name in environ for name in SCRIPT_VARIABLES) or bool(
        environ.get("QUARTO_PROJECT_RENDER_ALL") or environ.get("QUARTO_PROJECT_INPUT_FILES")
    )


def project_dir(environ: Mapping[str, str]) -> str | None:
    """The project folder Quarto names (``QUARTO_PROJECT_DIR``): ``.`` when it is this folder.

    Quarto runs a pre-render script in the project folder and names it by its absolute path.
    Named ``.``, the build is the one ``nbpost build`` typed in that folder makes (its messages
    name ``posts/...``, and its snapshot key is the same): a render after a hand-run build, or
    the other way round, finds the last build's snapshot instead of building in full.
    """
    folder = environ.get("QUARTO_PROJECT_DIR")
    if not folder:
        return None
    try:
        return "." if os.path.samefile(folder, ".") else folder
    except OSError:
        return folder  # missing: the build says so, naming it as given


def render_all(environ: Mapping[str, str]) -> bool:
    """Whether Quarto renders the whole project (not a partial ``quarto render FILE``)."""
    return bool(environ.get("QUARTO_PROJECT_RENDER_ALL"))


def input_files(environ: Mapping[str, str]) -> list[str] | None:
    """The files a partial render names, or None for a full render or outside Quarto."""
    if render_all(environ):
        return None
    listed = environ.get("QUARTO_PROJECT_INPUT_FILES", "")
    use_file = environ.get("QUARTO_USE_FILE_FOR_PROJECT_INPUT_FILES")
    if use_file:
        try:
            listed = Path(use_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            listed = ""
    files = [line.strip() for line in listed.splitlines() if line.strip()]
    return files or None


def _parent_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
            return int(handle.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _ancestors(limit: int = 4) -> list[int]:
    """This process's parent, grandparent... (parent only where /proc is missing)."""
    chain = [os.getppid()]
    while len(chain) < limit:
        parent = _parent_of(chain[-1])
        if parent is None or parent <= 1:
            break
        chain.append(parent)
    return chain


def in_preview(project: Path) -> bool:
    """Whether the ``quarto preview`` holding the project's preview lock started us."""
    try:
        pid = int((project / PREVIEW_LOCK).read_text(encoding="ascii").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    return pid > 1 and pid in _ancestors()
