"""The one document model both formats parse into and emit from: plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

CellType = Literal["markdown", "code", "raw"]

# Cell and notebook metadata key holding layout facts that a .qmd needs to come back
# byte for byte (fence length, chunk header, blank lines...). Only non-default facts are kept.
LAYOUT_KEY = "nbpost"


@dataclass
class Cell:
    """One notebook cell; ``source`` is text with ``\\n`` line breaks and no final newline."""

    cell_type: CellType
    source: str
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    outputs: list[dict[str, Any]] = field(default_factory=list)
    execution_count: int | None = None
    attachments: dict[str, Any] | None = None

    @property
    def layout(self) -> dict[str, Any]:
        """The layout facts of this cell (a live dict inside ``metadata``; may be empty)."""
        value = self.metadata.get(LAYOUT_KEY)
        return value if isinstance(value, dict) else {}


@dataclass
class Document:
    """A post: its cells (the first may be the front matter), kernel and file-level layout.

    ``front_matter`` is the verbatim ``---`` block when the post has one (it is also the
    source of the first cell), ``meta`` the parsed mapping (parsed when first read),
    ``metadata`` the notebook-level metadata (kernelspec, language_info, anything a notebook
    carried).
    """

    cells: list[Cell] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    front_matter: str | None = None
    # Parsed on first use: converting needs only the keys that choose the kernel, and building
    # every YAML value in Python is most of the cost of reading a post.
    meta_cache: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    nbformat_minor: int = 5

    @property
    def meta(self) -> dict[str, Any]:
        """The parsed front matter mapping (empty without front matter)."""
        if self.meta_cache is None:
            if self.front_matter is None:
                self.meta_cache = {}
            else:
                from .frontmatter import parse_block  # PyYAML loads on the first read only

                self.meta_cache = parse_block(self.front_matter)
        return self.meta_cache

    @meta.setter
    def meta(self, value: dict[str, Any]) -> None:
        self.meta_cache = value

    @property
    def layout(self) -> dict[str, Any]:
        """File-level layout facts (newline style, BOM, final newline), possibly empty."""
        value = self.metadata.get(LAYOUT_KEY)
        return value if isinstance(value, dict) else {}

    @property
    def kernelspec(self) -> dict[str, Any]:
        """The notebook kernelspec, or an empty dict."""
        value = self.metadata.get("kernelspec")
        return value if isinstance(value, dict) else {}

    @property
    def language(self) -> str:
        """The kernel language, lower-cased (``python`` when nothing says otherwise).

        As Quarto reads a notebook (``jupyterFromJSON`` in ``src/core/jupyter/jupyter.ts``):
        ``language_info`` stands in only for a kernelspec without a language; a notebook with
        no kernelspec at all is Python, whatever its ``language_info`` says.
        """
        if "kernelspec" not in self.metadata:
            return "python"
        spec = self.kernelspec
        language = spec.get("language") or self.metadata.get("language_info", {}).get("name")
        if not language:
            language = "python" if "python" in str(spec.get("name", "python")) else ""
        return str(language or "python").lower()
