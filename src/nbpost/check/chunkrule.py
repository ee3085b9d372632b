"""Chunk syntax in a ``.qmd`` that Quarto would run although it reads as text (NB601), and
chunks whose option lines give a key twice, which Quarto refuses (NB602).

Quarto finds chunks line by line and knows no CommonMark: its Jupyter engine
(``quartoMdToJupyter`` in quarto-cli's ``src/core/jupyter/jupyter.ts``) opens a code cell at
any line matching ``^(\\s*)(```+)\\s*\\{<language>( *[ ,].*)?\\}\\s*$``, and knitr
(``R/pattern.R``) at ``^[\\t >]*```+\\s*\\{([a-zA-Z0-9_]+( *[ ,].*)?)\\}\\s*$``. So a chunk shown
inside a ````` ````markdown ````` block, commented out in ``<!-- -->`` or quoted in a
``{=html}`` block is run all the same. nbpost's converter (``nbpost.qmd.scan``) reads such a
chunk as text, as the author meant it; this rule names the lines where the two disagree, so
the author can escape them (```` ```{{python}} ````), as docs/quarto-compat.md describes.

Quarto reads a chunk's ``#|`` option lines as one YAML mapping with js-yaml, without its
``json`` option (``partitionCellOptions`` in ``src/core/lib/partition-cell-options.ts``), so a
key given twice is an error ("duplicated mapping key") and the render stops; nbpost's reader
lifts the last one, as YAML loaders that allow it do. Checked for the chunks Quarto's Jupyter
engine runs (knitr reads its options with R's own YAML package).
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import NbpostError
from ..qmd import cellopts, quickread
from ..qmd.kernels import kernel_language, kernelspec_from_meta
from ..qmd.scan import Chunk, scan

KNITR_RE = re.compile(r"(?m)^[\t >]*```+[ \t]*\{[a-zA-Z0-9_]+(?: *[ ,].*)?\}[ \t\r]*$")
KNITR_LANGUAGE_RE = re.compile(r"\{([a-zA-Z0-9_]+)")
ANY_CHUNK_RE = re.compile(r"(?m)^[ \t]*```+[ \t]*\{([a-zA-Z0-9_]+)(?: *[ ,].*)?\}[ \t\r]*$")
# Quarto handles these itself in every engine (docs/quarto-compat.md): never run by a kernel.
QUARTO_OWN = frozenset(["ojs", "mermaid", "dot"])


def _body_start(lines: list[str]) -> int:
    """The first line after the front matter block (0 when there is none)."""
    if lines and lines[0].rstrip("\r").lstrip("\ufeff") == "---":
        for number in range(1, len(lines)):
            if lines[number].rstrip(" \t\r") in ("---", "..."):
                return number + 1
    return 0


def _line_numbers(text: str, pattern: re.Pattern[str], start: int) -> list[int]:
    """0-based numbers of the lines from ``start`` on that ``pattern`` (multi-line) matches."""
    numbers = []
    line, offset = 0, 0
    for match in pattern.finditer(text):
        line += text.count("\n", offset, match.start())
        offset = match.start()
        if line >= start:
            numbers.append(line)
    return numbers


def _jupyter_pattern(language: str) -> re.Pattern[str]:
    """Quarto's Jupyter chunk pattern for a kernel language, over a whole text. Quarto tests
    it on every line before anything else (``quartoMdToJupyter``): inside a plain code block,
    and inside an open cell, where it starts a new one."""
    return re.compile(
        r"(?m)^[ \t]*```+[ \t]*\{" + re.escape(language.lower()) + r"(?: *[ ,].*)?\}[ \t\r]*$"
    )


def _engine(meta: dict[str, Any], text: str) -> str | None:
    """``knitr``, a Jupyter kernel language, or None when Quarto runs nothing in the file."""
    found = [m.group(1) for m in ANY_CHUNK_RE.finditer(text)]
    if str(meta.get("engine", "")).lower() == "knitr":
        return "knitr"
    if "jupyter" not in meta:
        if "r" in found:
            return "knitr"  # Quarto picks knitr for R chunks without a jupyter key
        if not [name for name in found if name not in QUARTO_OWN]:
            return None
    languages = [name.lower() for name in found]
    return kernel_language(kernelspec_from_meta(meta, languages), languages)


def _run_lines(text: str, lines: list[str], engine: str, start: int) -> list[int]:
    """The lines where Quarto (its Jupyter engine, or knitr) starts a chunk."""
    if engine != "knitr":
        return _line_numbers(text, _jupyter_pattern(engine), start)
    return [
        number
        for number in _line_numbers(text, KNITR_RE, start)
        if (m := KNITR_LANGUAGE_RE.search(lines[number])) and m.group(1).lower() not in QUARTO_OWN
    ]


def chunk_problems(text: str, meta: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """``chunks``: ``[line, header]`` (1-based) of each chunk Quarto would run that nbpost
    reads as text (NB601); ``options``: ``[line, key]`` of each option line giving a key its
    chunk gave already (NB602)."""
    problems: dict[str, list[list[Any]]] = {"chunks": [], "options": []}
    if "```" not in text:
        return problems
    lines = text.split("\n")
    start = _body_start(lines)
    try:
        engine = _engine(meta, text)
        if engine is None:
            return problems
        run = _run_lines(text, lines, engine, start)
        if not run:
            return problems
        found = scan(lines, start, None if engine == "knitr" else engine)
    except (NbpostError, ValueError, TypeError):
        return problems  # an unclosed fence: the converter reports it
    chunks = [item for item in found.items if isinstance(item, Chunk)]
    opened = {item.open for item in chunks}
    problems["chunks"] = [
        [number + 1, lines[number].strip()] for number in run if number not in opened
    ]
    if engine != "knitr":
        for chunk in chunks:
            if chunk.language == engine:
                problems["options"] += _repeated_keys(lines, chunk)
    return problems


def _repeated_keys(lines: list[str], chunk: Chunk) -> list[list[Any]]:
    """``[line, key]`` (1-based) of each option line of ``chunk`` whose key came before."""
    body = [line.rstrip("\r") for line in lines[chunk.open + 1 : chunk.close]]
    if chunk.indent:  # as the converter reads it (an indent some line lacks stays)
        stripped = quickread.unindented(body, chunk.indent)
        body = body if stripped is None else stripped
    count = cellopts.option_block_length(body, chunk.language)
    seen: set[str] = set()
    repeated: list[list[Any]] = []
    number = chunk.open + 2  # the first line after the header, 1-based
    for entry in cellopts.parse_entries(body[:count], chunk.language, frozenset()):
        if entry.key is not None:
            if entry.key in seen:
                repeated.append([number, entry.key])
            seen.add(entry.key)
        number += len(entry.lines)
    return repeated
