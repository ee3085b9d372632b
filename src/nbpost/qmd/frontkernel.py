"""The kernel in a .qmd's front matter: the ``jupyter:`` entry nbpost writes, and reads back.

A text post names its kernel only when a reader could not infer it (``kernel_to_write``).
nbpost writes it as ``jupyter: python3`` for a kernel of its table, else as the whole
kernelspec; the reader takes such a trailing entry out of the front matter cell again
(``strip_written_kernel``), so the notebook's kernelspec comes back exactly.

Quarto refuses a front matter kernelspec that lacks ``name``, ``language`` or
``display_name`` ("Invalid Jupyter kernelspec (must include name, language, & display_name)":
``jupyterKernelspecFromMarkdown`` in ``src/core/jupyter/jupyter.ts``; the schema's
``required: all`` in ``src/resources/schema/document-execute.yml``), while nbformat requires
only ``name`` and ``display_name`` and many notebooks have no ``language`` (quarto-cli#12374).
So nbpost completes such a kernelspec as Quarto does for a notebook (the language from
``language_info.name``; the display name is the kernel's name), with a comment line that says
which keys the notebook lacks: Quarto renders the post, and nbpost's reader gives the
notebook its kernelspec as it was (``notebook_kernelspec``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from ..frontmatter import load_yaml
from ..model import Document
from ..yamlguard import YamlLimitError, check_text
from . import kernels
from .layout import trim_blank_lines

# The keys Quarto requires of a front matter kernelspec, and those nbpost may add to one.
QUARTO_KERNELSPEC_KEYS = ("display_name", "language", "name")
_COMPLETED_KEYS = ("display_name", "language")
# The comment line above a completed kernelspec ("  # nbpost: ..."); its words name the keys.
_NOTE = "  # nbpost: the notebook's kernelspec has no {keys}; written here for Quarto"
_NOTE_MARK = "  # nbpost: the notebook's kernelspec has no "


def missing_keys(spec: dict[str, Any]) -> tuple[str, ...]:
    """The keys nbpost adds to a kernelspec for Quarto: display_name, language if absent."""
    return tuple(key for key in _COMPLETED_KEYS if not isinstance(spec.get(key), str))


def fill_language(doc: Document) -> str:
    """The language a completed kernelspec names: ``language_info.name`` as Quarto takes it
    for a notebook (quarto-cli#12374), else the language the chunks are written in."""
    info = doc.metadata.get("language_info")
    name = info.get("name") if isinstance(info, dict) else None
    return name if isinstance(name, str) and name.strip() else doc.language


def kernel_lines(spec: dict[str, Any], language: str = "python") -> list[str]:
    """How nbpost writes a kernel into front matter: a known name, else the whole kernelspec
    (completed for Quarto with ``language`` and the kernel's name when it lacks them)."""
    name = spec.get("name")
    if isinstance(name, str) and name in kernels.KERNELS and kernels.KERNELS[name][0] == spec:
        return [f"jupyter: {name}"]
    written = completed(spec, language)
    dumped = yaml.safe_dump(
        {"jupyter": {"kernelspec": written}}, sort_keys=False, allow_unicode=True, width=10**6
    )
    lines = dumped.rstrip("\n").split("\n")
    if written is not spec:
        lines.insert(1, _NOTE.format(keys=" or ".join(missing_keys(spec))))
    return lines


def completed(spec: dict[str, Any], language: str) -> dict[str, Any]:
    """The kernelspec as written for Quarto: with ``language`` and a display name (the
    kernel's name) when it lacks them; ``spec`` itself when it has both (or has no name)."""
    name = spec.get("name")
    missing = missing_keys(spec) if isinstance(name, str) else ()
    if not missing:
        return spec
    added = {"display_name": name, "language": language}
    written = {**spec, **{key: added[key] for key in missing}}
    if list(spec) == sorted(spec):  # a notebook's JSON order: the added keys take their place
        written = dict(sorted(written.items()))
    return written


def notebook_kernelspec(
    block: str | None, spec: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The notebook's own kernelspec for the one a text's front matter gives, and the
    ``language_info`` to go with it: a kernelspec nbpost completed for Quarto loses the keys
    it added (when the front matter ends with exactly the lines nbpost writes for it)."""
    if block is None or _NOTE_MARK not in block:
        return spec, None  # most posts: no completed kernelspec
    language = spec.get("language")
    if not isinstance(language, str):
        return spec, None
    lines = block.split("\n")
    for keys in (("language",), ("display_name",), _COMPLETED_KEYS):
        if not all(key in spec for key in keys):
            continue
        original = {key: value for key, value in spec.items() if key not in keys}
        if _entry_start(lines, kernel_lines(original, language)) is not None:
            return original, {"name": language}  # the language the chunks are written in
    return spec, None


def _entry_start(lines: list[str], written: list[str]) -> int | None:
    """Where ``written`` starts when a front matter block's lines end with it (just before
    the closing ``---``, after at least the opening one), else None."""
    start = len(lines) - 1 - len(written)
    return start if start >= 1 and lines[start : len(lines) - 1] == written else None


def strip_written_kernel(
    block: str, meta: dict[str, Any], spec: dict[str, Any], languages: list[str]
) -> tuple[str | None, list[str] | None]:
    """Remove a trailing ``jupyter:`` entry nbpost would write itself: (the rest, None if
    nothing else is left; the entry's lines when a notebook gives them back otherwise)."""
    if "jupyter" not in meta or kernels.inferred_kernel_is(meta, languages, spec):
        return block, None
    language = _written_language(meta)
    lines = block.split("\n")
    written = kernel_lines(spec, language)
    start = _entry_start(lines, written)
    if start is None:
        return block, None
    rest = lines[:start] + lines[-1:]
    # A notebook keeps its kernelspec's keys sorted (as JSON writers do): entries in another
    # order come back so only through these lines (``with_kernel``).
    as_written = None if written == kernel_lines(_json_order(spec), language) else written
    return (None if len(rest) == 2 else "\n".join(rest)), as_written


def _written_language(meta: dict[str, Any]) -> str:
    """The language a front matter's ``jupyter.kernelspec`` names ("python" when none)."""
    jupyter = meta.get("jupyter")
    spec = jupyter.get("kernelspec") if isinstance(jupyter, dict) else None
    language = spec.get("language") if isinstance(spec, dict) else None
    return language if isinstance(language, str) else "python"


def _json_order(value: Any) -> Any:
    """``value`` with every mapping's keys in the order a notebook's JSON holds them."""
    if isinstance(value, dict):
        return {key: _json_order(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list):
        return [_json_order(item) for item in value]
    return value


def _kernel_of(lines: list[str]) -> Any:
    """The kernelspec stored ``jupyter:`` lines say (``strip_written_kernel``), or None.

    Lines that could end the front matter or open a fence there (a block scalar can hold
    any) are not reused: the writer writes the kernel its own way instead.
    """
    if any(
        line.rstrip() in ("---", "...") or line.lstrip()[:3] in ("```", "~~~") for line in lines
    ):
        return None
    text = "\n".join(lines)
    try:  # from a notebook's metadata: untrusted, read within nbpost's YAML limits
        check_text(text)
        data = load_yaml(text)
    except (yaml.YAMLError, YamlLimitError, RecursionError, ValueError):
        return None
    jupyter = data.get("jupyter") if isinstance(data, dict) and len(data) == 1 else None
    return jupyter.get("kernelspec") if isinstance(jupyter, dict) and len(jupyter) == 1 else None


def kernel_to_write(
    doc: Document, meta: dict[str, Any], languages: Iterable[str]
) -> dict[str, Any] | None:
    """The kernelspec to add to the front matter, or None when a reader infers the right one.

    ``meta`` holds the front matter's kernel keys, ``languages`` the chunk languages the
    written text shows, in order. A notebook without a kernelspec is Python (as Jupyter and
    Quarto read it): ``jupyter: python3`` is written only when the text implies another.
    """
    if "jupyter" in meta:
        return None
    spec = doc.kernelspec or kernels.kernel_by_name("python3")
    if kernels.inferred_kernel_is(meta, languages, spec):
        return None
    return spec


def with_kernel(
    source: str | None,
    spec: dict[str, Any] | None,
    as_written: list[str] | None = None,
    language: str = "python",
) -> str | None:
    """Front matter as written: the block without edge blank lines, plus ``spec`` if given,
    in the lines ``as_written`` (the document's ``kernel_lines`` fact) while they say it.
    ``language`` completes a kernelspec without one (``kernel_lines``)."""
    block = source
    if source is not None and (source[:1].isspace() or source[-1:].isspace()):
        block = "\n".join(trim_blank_lines(source.split("\n")))
    if spec is None:
        return block
    reuse = as_written and _kernel_of(as_written) == completed(spec, language)
    # in a notebook's JSON order, as the reader expects when no lines were kept
    written = as_written if reuse and as_written else kernel_lines(_json_order(spec), language)
    if block is None:
        return "\n".join(["---", *written, "---"])
    lines = block.split("\n")
    return "\n".join(lines[:-1] + written + lines[-1:])
