"""Kernelspecs for posts: a built-in table, and Quarto's rules for choosing one from a .qmd.

No kernel has to be installed: a notebook only names its kernel. The rules follow Quarto's
``jupyterKernelspecFromMarkdown``: the ``jupyter:`` key, else ``engine: knitr`` means R, else
the language of the first executable chunk, else Python.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

# name -> (kernelspec, language_info name). display_name/language as the kernels write them.
KERNELS: dict[str, tuple[dict[str, str], str]] = {
    "python3": (
        {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "python",
    ),
    "ir": ({"display_name": "R", "language": "R", "name": "ir"}, "R"),
    "julia": ({"display_name": "Julia", "language": "julia", "name": "julia"}, "julia"),
    "bash": ({"display_name": "Bash", "language": "bash", "name": "bash"}, "bash"),
}
ALIASES = {"python": "python3", "r": "ir", "python2": "python3"}

# Chunk language (lower case) -> the kernel we write for it.
LANGUAGE_KERNELS = {"python": "python3", "r": "ir", "julia": "julia", "bash": "bash"}


def kernel_by_name(name: str, fallback_language: str | None = None) -> dict[str, str]:
    """Return the kernelspec for a kernel name; unknown names get a minimal spec."""
    key = ALIASES.get(name.lower(), name)
    if key in KERNELS:
        return dict(KERNELS[key][0])
    if key.lower().startswith("julia"):
        language = "julia"
    elif "python" in key.lower() or key.lower().startswith("py"):
        language = "python"
    else:
        language = fallback_language or "python"
    return {"display_name": name, "language": language, "name": name}


def language_info_for(kernelspec: dict[str, Any]) -> dict[str, str]:
    """Return the minimal ``language_info`` matching a kernelspec."""
    language = str(kernelspec.get("language") or "python")
    for spec, info_name in KERNELS.values():
        if spec["language"].lower() == language.lower():
            return {"name": info_name}
    return {"name": language}


# The front matter keys that choose a post's kernel (all kernelspec_from_meta reads).
FRONT_MATTER_KEYS = frozenset({"jupyter", "engine"})


def kernelspec_from_meta(
    meta: dict[str, Any], chunk_languages: Iterable[str], override: str | None = None
) -> dict[str, Any]:
    """Choose the kernelspec of a text post (``override`` is the ``--kernel`` option)."""
    first_known = next((lang for lang in chunk_languages if lang in LANGUAGE_KERNELS), None)
    if override:
        return kernel_by_name(override, first_known)
    jupyter = meta.get("jupyter")
    if isinstance(jupyter, str) and jupyter.strip():
        return kernel_by_name(jupyter.strip(), first_known)
    if isinstance(jupyter, dict):
        spec = jupyter.get("kernelspec")
        if isinstance(spec, dict) and spec.get("name"):
            return copy.deepcopy(spec)  # verbatim: the notebook gets exactly what was written
        kernel = jupyter.get("kernel")
        if isinstance(kernel, str) and kernel.strip():
            return kernel_by_name(kernel.strip(), first_known)
    if str(meta.get("engine", "")).lower() == "knitr":
        return kernel_by_name("ir")
    if first_known:
        return kernel_by_name(LANGUAGE_KERNELS[first_known])
    return kernel_by_name("python3")


def inferred_kernel_is(meta: dict[str, Any], chunk_languages: Iterable[str], spec: dict) -> bool:
    """Whether a post without a ``jupyter:`` key would get exactly this kernelspec back."""
    bare = {k: v for k, v in meta.items() if k != "jupyter"}
    return kernelspec_from_meta(bare, chunk_languages) == spec


def kernel_language(spec: dict[str, Any], chunk_languages: Iterable[str]) -> str:
    """The language a kernelspec runs (lower case), guessing like Quarto when it is missing."""
    language = spec.get("language")
    if isinstance(language, str) and language:
        return language.lower()
    if "python" in str(spec.get("name", "")).lower():
        return "python"
    return next((lang for lang in chunk_languages if lang in LANGUAGE_KERNELS), "python")
