"""A ``jupyter:`` front matter entry that Quarto refuses (NB603).

A truthy ``jupyter:`` key gives a ``.qmd`` to Quarto's Jupyter engine
(``markdownExecutionEngine`` in quarto-cli's ``src/execute/engine.ts``), which reads the
kernel from it in ``jupyterKernelspecFromMarkdown`` (``src/core/jupyter/jupyter.ts``): a
string names an installed kernel; an object needs a ``kernelspec`` with ``name``,
``language`` and ``display_name``, all strings (``isJupyterKernelspec`` in
``src/core/jupyter/kernels.ts``), or a ``kernel`` name; anything else stops the render
("Invalid Jupyter kernelspec (must include name, language, & display_name)", "Invalid
jupyter YAML metadata found in file (must be string or object)"). nbformat requires only a
kernelspec's ``name`` and ``display_name``, so such entries come from copying a notebook's
kernelspec by hand; ``nbpost convert`` completes the ones it writes (``qmd.frontkernel``).
"""

from __future__ import annotations

import re
from typing import Any

from ..qmd.frontkernel import QUARTO_KERNELSPEC_KEYS

_JUPYTER_LINE = re.compile(r"(?m)^jupyter[ \t]*:")


def _js_truthy(value: Any) -> bool:
    """Whether JavaScript takes a YAML value as true (``{}`` and ``[]`` are objects: true)."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0  # NaN and 0 are false
    return True


def kernel_problem(meta: dict[str, Any]) -> str | None:
    """Why Quarto refuses the front matter's ``jupyter:`` entry, or None."""
    jupyter = meta.get("jupyter")
    engine = meta.get("engine")
    if not _js_truthy(jupyter) or isinstance(jupyter, str):
        return None  # no Jupyter kernel named, or one named (installed or not: not ours to say)
    if isinstance(engine, str) and engine.lower() not in ("jupyter", ""):
        return None  # another engine is asked for: which one Quarto takes depends on its order
    if isinstance(jupyter, (bool, int, float)):
        return f"'jupyter: {str(jupyter).lower()}' is neither a kernel name nor an object"
    if not isinstance(jupyter, dict):
        return "it is neither a kernel name nor an object"
    spec = jupyter.get("kernelspec")
    if isinstance(spec, dict):
        missing = [key for key in QUARTO_KERNELSPEC_KEYS if not isinstance(spec.get(key), str)]
        if not missing:
            return None
        if isinstance(jupyter.get("kernel"), str):
            return None  # Quarto falls back to the kernel's name
        return f"its kernelspec has no {' or '.join(missing)}"
    if isinstance(jupyter.get("kernel"), str):
        return None
    return "it has neither a kernelspec nor a kernel name"


def kernel_problems(text: str, meta: dict[str, Any]) -> list[list[Any]]:
    """``[[line, reason]]`` (1-based) for a ``jupyter:`` entry Quarto refuses, else ``[]``."""
    if "jupyter" not in meta:
        return []
    problem = kernel_problem(meta)
    if problem is None:
        return []
    found = _JUPYTER_LINE.search(text)
    line = text.count("\n", 0, found.start()) + 1 if found is not None else 1
    return [[line, problem]]
