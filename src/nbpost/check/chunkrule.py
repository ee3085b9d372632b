"""Chunk syntax in a ``.qmd`` that Quarto would run although it reads as text (NB601).

Quarto finds chunks line by line and knows no CommonMark: its Jupyter engine
(``quartoMdToJupyter`` in quarto-cli's ``src/core/jupyter/jupyter.ts``) opens a code cell at
any line matching ``^(\\s*)(```+)\\s*\\{<language>( *[ ,].*)?\\}\\s*$``, and knitr
(``R/pattern.R``) at ``^[\\t >]*```+\\s*\\{([a-zA-Z0-9_]+( *[ ,].*)?)\\}\\s*$``. So a chunk shown
inside a ````` ````markdown ````` block, commented out in ``<!-- -->`` or quoted in a
``{=html}`` block is run all the same. nbpost's converter (``nbpost.qmd.scan``) reads such a
chunk as text, as the author meant it; this rule names the lines where the two disagree, so
the author can escape them (```` ```{{python}} ````), as docs/quarto-compat.md describes.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import NbpostError
from ..qmd.kernels import kernel_language, kernelspec_from_meta
from ..qmd.scan import Chunk, scan

KNITR_RE = re.compile(r"[\t >]*```+\s*\{([a-zA-Z0-9_]+)(?: *[ ,].*)?\}\s*\Z")
ANY_CHUNK_RE = re.compile(r"\s*```+\s*\{([a-zA-Z0-9_]+)(?: *[ ,].*)?\}\s*\Z")
# Quarto handles these itself in every engine (docs/quarto-compat.md): never run by a kernel.
QUARTO_OWN = frozenset(["ojs", "mermaid", "dot"])


def _body_start(lines: list[str]) -> int:
    """The first line after the front matter block (0 when there is none)."""
    if lines and lines[0].rstrip("\r").lstrip("\ufeff") == "---":
        for number in range(1, len(lines)):
            if lines[number].rstrip(" \t\r") in ("---", "..."):
                return number + 1
    return 0


def _jupyter_lines(lines: list[str], start: int, language: str) -> list[int]:
    """The lines where Quarto's Jupyter engine opens a code cell: every line matching its
    pattern, since ``quartoMdToJupyter`` tests it before anything else (inside a plain code
    block, and inside an open cell, where it starts a new one)."""
    pattern = re.compile(r"\s*```+\s*\{" + re.escape(language.lower()) + r"(?: *[ ,].*)?\}\s*\Z")
    return [n for n in range(start, len(lines)) if pattern.match(lines[n].rstrip("\r"))]


def _knitr_lines(lines: list[str], start: int) -> list[int]:
    """The lines where knitr starts a chunk (any language it has an engine for)."""
    return [
        number
        for number in range(start, len(lines))
        if (match := KNITR_RE.match(lines[number].rstrip("\r")))
        and match.group(1).lower() not in QUARTO_OWN
    ]


def _engine(meta: dict[str, Any], lines: list[str], start: int) -> str | None:
    """``knitr``, a Jupyter kernel language, or None when Quarto runs nothing in the file."""
    found = [m.group(1) for line in lines[start:] if (m := ANY_CHUNK_RE.match(line.rstrip("\r")))]
    if str(meta.get("engine", "")).lower() == "knitr":
        return "knitr"
    if "jupyter" not in meta:
        if "r" in found:
            return "knitr"  # Quarto picks knitr for R chunks without a jupyter key
        if not [name for name in found if name not in QUARTO_OWN]:
            return None
    languages = [name.lower() for name in found]
    return kernel_language(kernelspec_from_meta(meta, languages), languages)


def stray_chunks(text: str, meta: dict[str, Any]) -> list[list[Any]]:
    """``[line, header]`` (1-based) of each chunk Quarto would run that nbpost reads as text."""
    if "```" not in text:
        return []
    lines = text.split("\n")
    start = _body_start(lines)
    try:
        engine = _engine(meta, lines, start)
        if engine is None:
            return []
        knitr = engine == "knitr"
        found = scan(lines, start, None if knitr else engine)
    except (NbpostError, ValueError, TypeError):
        return []  # an unclosed fence: the converter reports it
    cells = {item.open for item in found.items if isinstance(item, Chunk)}
    run = _knitr_lines(lines, start) if knitr else _jupyter_lines(lines, start, engine)
    return [[number + 1, lines[number].strip()] for number in run if number not in cells]
