"""The file names and extensions nbpost knows, in one place (every other module imports them).

Quarto's own lists cite the quarto-cli file they come from (1.11 development head, commit
5d1da592): ``src/execute/markdown.ts``, ``jupyter/jupyter.ts`` and ``rmd.ts`` for documents,
``src/project/project-context.ts`` for the project files.
"""

from __future__ import annotations

# Documents Quarto renders (markdown.ts, jupyter.ts, rmd.ts; the extension in any case).
TEXT_SUFFIXES = (".qmd", ".md", ".markdown", ".rmd", ".rmarkdown")
NOTEBOOK_SUFFIX = ".ipynb"
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, NOTEBOOK_SUFFIX)
# jupyter.ts intermediateFiles: X.ipynb is not an input when one of these is beside it (the
# suffixes are compared as written, so X.R does not hide X.ipynb on a case-sensitive disk).
NOTEBOOK_SHADOWS = (".qmd", ".py", ".jl", ".r", ".q")

# The text side of a pair, and what ``nbpost convert`` reads: .qmd first, it wins when X.qmd
# and X.md both sit beside X.ipynb.
PAIRED_TEXT_SUFFIXES = (".qmd", ".md")
CONVERTED_SUFFIXES = (*PAIRED_TEXT_SUFFIXES, NOTEBOOK_SUFFIX)

YAML_SUFFIXES = (".yml", ".yaml")  # listing item files, _metadata.yml, _quarto.yml
PROJECT_FILES = ("_quarto.yml", "_quarto.yaml")  # project-context.ts: the first found wins
METADATA_FILES = ("_metadata.yml", "_metadata.yaml")

# What nbpost itself generates in a blog's output folder: never a post nor a listing page.
GENERATED_FOLDERS = ("categories", "archive", "feeds")
GENERATED_INDEX = "POSTS.md"
REGISTRY_FILE = "categories.json"  # the default of nbpost: registry


def suffix_of(name: str) -> str:
    """The lower-cased extension of a file name (``""`` for none or a dot-file)."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot > name.rfind("/") + 1 else ""
