"""Where notebook JSON enters nbpost: every value the converter reads is checked here, once.

Notebooks are untrusted (docs/security.md): one downloaded from the web or sent as a guest
post may hold any JSON. ``check`` refuses what nbpost cannot convert faithfully, with one
``NotebookError`` naming the file and what is wrong, so that every caller (``convert``,
``pair``, ``sync``, Jupyter saves, the nbconvert exporter) gives the same answer and no
malformed value reaches code that assumes the nbformat 4 schema. nbpost's own layout hints
(``metadata.nbpost``) are not refused: ``layoutfacts.clean`` drops the ones of a wrong type.
"""

from __future__ import annotations

import base64
import binascii
import re
from itertools import repeat
from pathlib import Path
from typing import Any

from ..errors import NotebookError

CELL_TYPES = ("markdown", "code", "raw")

# Deepest nesting of JSON objects and lists accepted. Real notebooks stay far below it
# (widget state and plotly figures reach about 20); the writers recurse once per level, and
# Python's stack holds about 1,000 frames, so deeper data would crash them.
MAX_DEPTH = 100

# nbformat 4.5's pattern for cell ids; ids that break it are not used (a fresh one is made).
CELL_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")

# A UTF-16 surrogate on its own (json.loads makes one from "\ud800"): no UTF-8 file can hold
# it, so writing the .qmd or the notebook would fail half way.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
# A low surrogate's escape: right after a high one's, the second half of one character.
_LOW_ESCAPE = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def check(data: Any, path: str | Path | None = None, *, strings: bool = True) -> None:
    """Raise NotebookError unless ``data`` is an nbformat 4 notebook nbpost can convert.

    ``strings=False`` skips the search for lone surrogates in every string (for data parsed
    from text that ``may_hold_surrogates`` cleared).
    """
    if not isinstance(data, dict) or ("nbformat" not in data and "cells" not in data):
        raise NotebookError(
            "not a Jupyter notebook (a notebook is a JSON object with 'nbformat' and 'cells')",
            path,
        )
    major = data.get("nbformat")
    if not isinstance(major, int) or isinstance(major, bool):
        raise NotebookError(f"not a Jupyter notebook ('nbformat' is {major!r})", path)
    if major != 4:
        raise NotebookError(
            f"nbformat {major!r} is not supported (only 4; upgrade it with "
            "'jupyter nbconvert --to notebook --inplace')",
            path,
        )
    minor = data.get("nbformat_minor", 0)
    if not isinstance(minor, int) or isinstance(minor, bool) or minor < 0:
        raise NotebookError(f"'nbformat_minor' must be a whole number, not {minor!r}", path)
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        raise NotebookError("notebook 'metadata' must be an object", path)
    _check_kernel_metadata(metadata, path)
    cells = data.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("notebook has no 'cells' list", path)
    # Containers to walk for depth: only the values the converter copies and writes (other
    # keys are dropped unread); a cell's source is text or a list of text (checked below),
    # and an empty object or list nests no deeper. That keeps the check at a fraction of
    # json.loads' time on notebooks of prose and code.
    stack: list[tuple[Any, int]] = [(metadata, 2)]
    push = stack.append
    for number, cell in enumerate(cells, 1):
        _check_cell(cell, number, path)
        for key in _COPIED_CELL_KEYS:
            value = cell.get(key)
            if value and isinstance(value, (dict, list)):
                push((value, 4))
    _check_values(data if strings else stack, path, strings)


# The cell values nbpost copies into a Document besides its source (ipynb.to_document).
_COPIED_CELL_KEYS = ("metadata", "outputs", "attachments")


def _check_values(data: Any, path: str | Path | None, strings: bool) -> None:
    """Refuse data nested deeper than MAX_DEPTH or (with ``strings``) holding a lone surrogate.

    ``data`` is the notebook (``strings``: every value is visited) or a list of (container,
    depth) to start from. Iterative, so no recursion can overflow.
    """
    if strings:
        _check_strings(data, path)
        return
    stack: list[tuple[Any, int]] = data
    push, pop = stack.append, stack.pop
    containers = (dict, list)  # a NotebookNode is a dict: isinstance keeps it in the walk
    while stack:
        value, depth = pop()
        if depth > MAX_DEPTH:
            raise NotebookError(f"JSON nested more than {MAX_DEPTH} levels deep", path)
        for item in value.values() if isinstance(value, dict) else value:
            # an empty object or list nests no deeper: most metadata and outputs
            if item and isinstance(item, containers):
                push((item, depth + 1))


def _check_strings(data: Any, path: str | Path | None) -> None:
    """Visit every value: depth as ``_check_values``, and no string with a lone surrogate."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    search = _LONE_SURROGATE.search
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise NotebookError(f"JSON nested more than {MAX_DEPTH} levels deep", path)
        items = list(value.values() if isinstance(value, dict) else value)
        if isinstance(value, dict):
            items.extend(value)  # the keys
        for item in items:
            if isinstance(item, (dict, list)):
                stack.append((item, depth + 1))
            elif isinstance(item, str) and (found := search(item)) is not None:
                escape = f"\\u{ord(found.group()):04x}"
                raise NotebookError(f"holds a lone surrogate ({escape}), not valid Unicode", path)


def may_hold_surrogates(text: str) -> bool:
    """Whether notebook JSON text may give a lone surrogate: it holds a ``\\uD8xx`` escape
    that is not half of a pair.

    Text read from a file cannot hold a surrogate character itself (UTF-8 decoding refuses
    one), and data handed over as objects is searched by ``check`` in full, so the C search
    for the escape is all JSON text needs.
    """
    # one pass: the pattern starts with the literal "\\u", which the engine finds as quickly
    # as str.find
    found = _SURROGATE_ESCAPE.search(text)
    if found is None:
        return False
    if "\\\\u" in text:
        return True  # an escaped backslash before a "u": not every "\\u" starts an escape
    # Every "\\u" starts an escape, so json.loads reads a high surrogate's escape right
    # before a low one's as one character (text written with ensure_ascii: emoji...), from
    # left to right as here; any other surrogate escape gives a lone surrogate.
    while found is not None:
        end = found.end()
        if found.group()[3] not in "89abAB" or _LOW_ESCAPE.match(text, end) is None:
            return True
        found = _SURROGATE_ESCAPE.search(text, end + 6)
    return False


def _check_kernel_metadata(metadata: dict[str, Any], path: str | Path | None) -> None:
    """``kernelspec`` and ``language_info`` choose the chunk language: objects with text."""
    for key, fields in (
        ("kernelspec", ("name", "display_name", "language")),
        ("language_info", ("name",)),
    ):
        if key not in metadata:
            continue
        value = metadata[key]
        if not isinstance(value, dict):
            raise NotebookError(f"metadata '{key}' must be an object, not {value!r:.40}", path)
        for field in fields:
            if field in value and not isinstance(value[field], str):
                raise NotebookError(f"metadata '{key}.{field}' must be text", path)
        if key == "kernelspec" and value and "name" not in value:
            # nbformat requires it, and Quarto refuses a front matter kernelspec without it
            # ("Invalid Jupyter kernelspec"): written to the .qmd, the chunks would not run.
            raise NotebookError("metadata 'kernelspec' has no 'name' (the kernel to run)", path)


def _check_cell(cell: Any, number: int, path: str | Path | None) -> None:
    if not isinstance(cell, dict):
        raise NotebookError(f"cell {number} is not a JSON object", path)
    kind = cell.get("cell_type")
    if kind not in CELL_TYPES:
        raise NotebookError(f"cell {number} has unknown cell_type {kind!r:.40}", path)
    source = cell.get("source", "")
    if not isinstance(source, str) and not (
        isinstance(source, list) and all(map(isinstance, source, repeat(str)))
    ):
        raise NotebookError(f"cell {number} has a source that is not text", path)
    metadata = cell.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise NotebookError(f"cell {number} has metadata that is not an object", path)
    if kind == "code":
        outputs = cell.get("outputs", [])
        if not isinstance(outputs, list):
            raise NotebookError(f"cell {number} has outputs that are not a list", path)
        for output in outputs:
            if not isinstance(output, dict) or not isinstance(output.get("data", {}), dict):
                raise NotebookError(
                    f"cell {number} has an output that is not an nbformat output", path
                )
    if cell.get("attachments") is not None:
        _check_attachments(cell["attachments"], f"cell {number}", path)


def _check_attachments(attachments: Any, where: str, path: str | Path | None) -> None:
    """Attachments map names to MIME bundles; image data must be valid base64."""
    if not isinstance(attachments, dict):
        raise NotebookError(f"{where} has attachments that are not an object", path)
    for name, bundle in attachments.items():
        if not isinstance(bundle, dict):
            raise NotebookError(f"{where}: attachment {name!r:.60} is not an object", path)
        for mimetype, value in bundle.items():
            if isinstance(value, list) and all(map(isinstance, value, repeat(str))):
                value = "".join(value)
            if not isinstance(value, str):
                raise NotebookError(f"{where}: attachment {name!r:.60} holds no text", path)
            text = value
            if mimetype.startswith("image/") and mimetype != "image/svg+xml":
                try:
                    base64.b64decode(text)
                except (binascii.Error, ValueError):
                    raise NotebookError(
                        f"{where}: attachment {name!r:.60} is not valid base64", path
                    ) from None


def usable_id(value: Any) -> str | None:
    """A cell id as nbformat 4.5 allows it, else None (the cell then gets a fresh id)."""
    return value if isinstance(value, str) and CELL_ID_RE.match(value) else None
