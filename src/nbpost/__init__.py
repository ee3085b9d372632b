"""nbpost: lossless .qmd <-> .ipynb conversion, category metadata and listings for Quarto blogs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "convert_file",
    "notebook_to_qmd",
    "qmd_to_notebook",
    "read_document",
]

if TYPE_CHECKING:  # pragma: no cover
    from .api import convert_file, notebook_to_qmd, qmd_to_notebook, read_document


def __getattr__(name: str) -> Any:
    # Lazy: `import nbpost` stays cheap for the CLI; the API module loads on first use.
    if name in {"convert_file", "notebook_to_qmd", "qmd_to_notebook", "read_document"}:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'nbpost' has no attribute {name!r}")
