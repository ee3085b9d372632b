"""Which files of a Quarto project are rendered: Quarto's input rules, kept in this one place.

Every rule cites the quarto-cli file it comes from (1.11 development head, commit 5d1da592):

- ``src/project/project-context.ts`` (``projectHiddenIgnoreGlob``, ``projectInputFiles``):
  never inputs are names starting with ``_`` or ``.`` at any level, ``README.md``,
  ``README.Rmd``, ``README.rmd`` and ``README.qmd`` (the glob ``**/README.?([Rrq])md``, case
  sensitive), ``CLAUDE.md``, ``CLAUDE.local.md``, ``AGENTS.md``, ``AGENTS.local.md``,
  ``*.llms.md``, anything in the project's output folder, and the engines' folders;
- ``src/execute/engine.ts`` (``engineIgnoreDirs``) with ``jupyter.ts`` and ``rmd.ts``:
  ``node_modules``, ``venv``, ``env``, ``renv``, ``packrat``, ``rsconnect`` at any depth;
- ``src/execute/markdown.ts``, ``jupyter/jupyter.ts``, ``rmd.ts``: documents are ``.qmd``,
  ``.md``, ``.markdown``, ``.ipynb``, ``.rmd``, ``.rmarkdown`` (extension in any case);
- ``executionEngineIntermediateFiles`` (``engine.ts``): ``X.<format>.md`` and
  ``X-<format>.md`` beside an input ``X`` are Quarto's own intermediates (``keep-md``), and
  ``jupyter.ts`` (``intermediateFiles``) drops ``X.ipynb`` when ``X.qmd``, ``X.py``, ``X.jl``,
  ``X.r`` or ``X.q`` sits beside it (so a ``.qmd`` hides its paired notebook, a ``.md`` does
  not: Quarto renders ``X.md`` and ``X.ipynb`` both, to the same ``X.html``);
- ``project.render`` (``resolvePathGlobs``/``resolveGlobs`` in ``src/core/path.ts``): a list
  of paths and globs, ``!`` entries excluded, resolved the way Quarto resolves them.

nbpost reads the text documents and notebooks; Jupyter percent scripts and knitr spin
scripts (``.py``/``.r`` files Quarto renders when they carry cell markers) are not read.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .filetypes import DOCUMENT_SUFFIXES, NOTEBOOK_SHADOWS, NOTEBOOK_SUFFIX, suffix_of
from .globs import glob_regex

ENGINE_FOLDERS = frozenset(["node_modules", "venv", "env", "renv", "packrat", "rsconnect"])
IGNORED_NAMES = frozenset(
    [
        "README.md",
        "README.Rmd",
        "README.rmd",
        "README.qmd",
        "CLAUDE.md",
        "CLAUDE.local.md",
        "AGENTS.md",
        "AGENTS.local.md",
    ]
)
LLMS_SUFFIX = ".llms.md"
# The pandoc formats of src/resources/schema/format-aliases.yml (`pandoc-all`): X.<fmt>.md and
# X-<fmt>.md are intermediates of X.
PANDOC_FORMATS = frozenset(
    [
        "asciidoc", "asciidoctor", "beamer", "biblatex", "bibtex", "chunkedhtml", "commonmark",
        "commonmark_x", "context", "csljson", "docbook", "docbook4", "docbook5", "docx", "dokuwiki",
        "dzslides", "epub", "epub2", "epub3", "fb2", "gfm", "haddock", "html", "html4", "html5",
        "icml", "ipynb", "jats", "jats_archiving", "jats_articleauthoring", "jats_publishing",
        "jira", "json", "latex", "man", "markdown", "markdown_github", "markdown_mmd",
        "markdown_phpextra", "markdown_strict", "markua", "mediawiki", "ms", "muse", "native",
        "odt", "opendocument", "opml", "org", "pdf", "plain", "pptx", "revealjs", "rst", "rtf",
        "s5", "slideous", "slidy", "tei", "texinfo", "textile", "typst", "xwiki", "zimwiki", "md",
        "dashboard",
    ]
)  # fmt: skip
_INTERMEDIATE_RE = re.compile(r"(.+)[.-]([a-z0-9_]+)\.md\Z")
# Deno's isGlob (std/path/glob.ts), as resolveGlobs uses it to decide on "smart" globs.
_GLOB_CHARS = re.compile(r"\*|\?|\[[^\]]+\]|\{[^}]+\}|\([^|)]+\|[^)]+\)")
# The order in which one of several documents rendering to the same page is kept.
_KEEP_ORDER = {".qmd": 0, ".md": 1, ".markdown": 2, ".rmd": 3, ".rmarkdown": 4, ".ipynb": 5}


def ignored_name(name: str) -> bool:
    """Whether a file or folder name is never a Quarto input, wherever it sits."""
    return name[:1] in ("_", ".") or name in IGNORED_NAMES or name.endswith(LLMS_SUFFIX)


def ignored_folder(name: str) -> bool:
    """Whether Quarto never looks for inputs inside a folder of this name."""
    return name[:1] in ("_", ".") or name in ENGINE_FOLDERS


def document_suffix(name: str) -> str | None:
    """The lower-cased document extension of a file name, or None for any other file."""
    suffix = suffix_of(name)
    return suffix if suffix in DOCUMENT_SUFFIXES else None


def shadows_notebooks(name: str) -> bool:
    """Whether a file may hide ``<stem>.ipynb`` beside it (``jupyter.ts``)."""
    return name.endswith(NOTEBOOK_SHADOWS)


@dataclass
class RenderedInputs:
    """The documents Quarto renders, and what nbpost has to say about the others."""

    documents: list[str]  # sorted, one per rendered page
    warnings: list[str] = field(default_factory=list)  # "PATH: message" (root-relative)


def _stem(path: str) -> str:
    dot = path.rfind(".")
    return path[:dot] if dot > path.rfind("/") + 1 else path


def rendered_documents(documents: Iterable[str], present: Iterable[str] = ()) -> RenderedInputs:
    """Drop Quarto's intermediates and keep one document per rendered page.

    ``documents`` are the root-relative inputs; ``present`` other files on disk that can hide
    a notebook (``X.qmd`` left out by ``project.render``, ``X.py``). When several documents
    still render to one page (``X.md`` with ``X.ipynb``, ``X.qmd`` with ``X.md``), Quarto
    renders each of them over the same output: nbpost keeps one (``.qmd`` first, notebooks
    last) and warns.
    """
    docs = sorted(set(documents))
    by_stem: dict[str, list[str]] = {}
    for path in docs:
        by_stem.setdefault(_stem(path), []).append(path)
    present_paths = set(docs) | set(present)
    dropped: set[str] = set()
    for path in docs:
        match = _INTERMEDIATE_RE.match(path.rsplit("/", 1)[-1]) if path.endswith(".md") else None
        if match and match.group(2) in PANDOC_FORMATS:
            folder = path[: len(path) - len(match.group(0))]
            if (folder + match.group(1)) in by_stem:
                dropped.add(path)  # X.html.md beside X.qmd: Quarto's keep-md file
        if path.lower().endswith(NOTEBOOK_SUFFIX):
            stem = path[: -len(NOTEBOOK_SUFFIX)]
            if any(stem + shadow in present_paths for shadow in NOTEBOOK_SHADOWS):
                dropped.add(path)
    result = RenderedInputs(documents=[])
    for stem, paths in by_stem.items():
        kept = [path for path in paths if path not in dropped]
        if len(kept) > 1:
            kept.sort(key=lambda p: (_KEEP_ORDER.get(posixpath.splitext(p)[1].lower(), 9), p))
            others = ", ".join(posixpath.basename(p) for p in kept[1:])
            result.warnings.append(
                f"{kept[0]}: Quarto renders {posixpath.basename(kept[0])} and {others} "
                f"to the same page {posixpath.basename(stem)}.html; nbpost lists "
                f"{posixpath.basename(kept[0])} once. Rename the text file to "
                f"{posixpath.basename(stem)}.qmd (Quarto then skips the notebook), move the "
                "notebook into a folder Quarto does not render (nbpost: notebook-dir: "
                "_notebooks), or exclude one of them in project: render"
            )
            kept = kept[:1]
        result.documents.extend(kept)
    result.documents.sort()
    return result


def is_glob(text: str) -> bool:
    """Deno's ``isGlob``: whether Quarto treats a ``project.render`` entry as a glob."""
    return text.startswith("!") or bool(_GLOB_CHARS.search(text))


def _full_glob(entry: str, prefer_smart: bool, folders: set[str]) -> str:
    """``asFullGlob`` of ``resolveGlobs`` (``src/core/path.ts``) in ``mode: "auto"``."""
    smart = prefer_smart or is_glob(entry)
    if entry.startswith("\\!"):
        entry = entry[1:]
    if smart:
        entry = re.sub(r"^\.[/\\]+", "/", entry)
        if entry.endswith("/"):
            entry += "**/*"
        elif posixpath.normpath(entry.lstrip("/")) in folders:
            entry += "/**/*"
    if not entry.startswith("/"):
        return "**/" + entry if smart else entry
    return entry[1:]


def render_list(
    patterns: list[str], documents: list[str], folders: set[str]
) -> tuple[list[str], list[str]]:
    """Apply ``project.render`` to the walked documents: (rendered documents, unmatched entries).

    Quarto expands each entry against the file system (files and folders), subtracts what
    the ``!`` entries expand to, then renders the files left and everything below the folders
    left (``projectInputFiles``). A folder entry therefore keeps every file below it even when
    a ``!`` entry names some of them: Quarto subtracts paths, not what they contain.
    """
    folder_list = sorted(folder for folder in folders if folder)
    candidates = [*documents, *folder_list]
    include: set[str] = set()
    exclude: set[str] = set()
    unmatched: list[str] = []
    for raw in patterns:
        negate = raw.startswith("!")
        glob = _full_glob(raw[1:] if negate else raw, negate, folders)
        pattern = glob_regex(glob.rstrip("/") or glob)  # "posts/" expands to the folder
        matched = {path for path in candidates if pattern.match(path)}
        if not matched and not negate:
            unmatched.append(raw)
        (exclude if negate else include).update(matched)
    chosen = include - exclude
    kept_folders = [folder for folder in folder_list if folder in chosen]
    rendered = []
    for path in documents:
        if path in chosen or any(path.startswith(folder + "/") for folder in kept_folders):
            rendered.append(path)
    return rendered, unmatched


def render_patterns(value: object) -> list[str] | None:
    """``project.render`` as a list of strings, or None when the project does not set it."""
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    patterns = [item.strip() for item in items if isinstance(item, str) and item.strip()]
    return patterns or None
