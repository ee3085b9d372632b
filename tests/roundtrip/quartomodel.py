"""How Quarto itself splits a .qmd into the chunks it runs: an oracle written from its source.

``quartoMdToJupyter`` in quarto-cli ``src/core/jupyter/jupyter.ts`` builds the notebook the
Jupyter engine executes. It reads the text line by line (Deno's ``lines()``, split at
``\\r?\\n``), opens a code cell at a line matching

    ^(\\s*)(```+)\\s*\\{<kernel language in lower case>( *[ ,].*)?\\}\\s*$

unless a code cell is already open (nesting inside another fence or an HTML comment does not
matter to it), and closes it at a line of exactly as many backticks after the same indent.
For a post rendered with knitr (R chunks and no ``jupyter:`` key) knitr's own pattern
applies: ``^[\\t >]*```+\\s*\\{([a-zA-Z0-9_]+( *[ ,].*)?)\\}\\s*$`` opens a chunk in any
language, ``^[\\t >]*```+\\s*$`` closes it.

``repeated_option_keys`` follows ``partitionCellOptions`` (``src/core/lib/
partition-cell-options.ts``): the option lines at the top of a chunk are read as one YAML
mapping by js-yaml without its ``json`` option, which refuses a key given twice
("duplicated mapping key"), and Quarto stops.

``front_matter_kernel_refused`` follows ``jupyterKernelspecFromMarkdown`` (same file as
``quartoMdToJupyter``): a truthy ``jupyter:`` value must be a string (a kernel name), or an
object whose ``kernelspec`` has ``name``, ``language`` and ``display_name`` as strings
(``isJupyterKernelspec``, ``src/core/jupyter/kernels.ts``) or whose ``kernel`` is a string;
anything else stops the render.

This module is written apart from nbpost's scanner, for the tests to compare against.
"""

from __future__ import annotations

import re

import yaml

# JavaScript's \s and "." (which stops at line terminators), for Quarto's patterns.
JS_SPACE = (
    "[\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]"
)
JS_ANY = "[^\\n\\r\\u2028\\u2029]"


def _lines(text: str) -> list[str]:
    return re.split(r"\r?\n", text)


def jupyter_chunks(text: str, language: str) -> list[list[str]]:
    """The bodies (lines between the fences) of the code cells Quarto's Jupyter engine runs."""
    start = re.compile(
        f"^({JS_SPACE}*)(```+){JS_SPACE}*\\{{{re.escape(language.lower())}( *[ ,]{JS_ANY}*)?\\}}"
        f"{JS_SPACE}*$"
    )
    chunks: list[list[str]] = []
    body: list[str] | None = None
    end: re.Pattern[str] | None = None
    for line in _lines(text):
        if body is None:
            match = start.match(line)
            if match:
                body = []
                indent, ticks = match.group(1), len(match.group(2))
                end = re.compile("^" + re.escape(indent) + "`" * ticks + f"{JS_SPACE}*$")
        elif end is not None and end.match(line):
            chunks.append(body)
            body = None
        else:
            body.append(line)
    return chunks


_KNITR_START = re.compile(r"^[\t >]*```+\s*\{([a-zA-Z0-9_]+( *[ ,].*)?)\}\s*$")
_KNITR_PREFIX = re.compile(r"^[\t >]*```+")


def knitr_chunks(text: str) -> list[tuple[str, list[str]]]:
    """(language, body) of every chunk knitr runs (Quarto's own ojs/mermaid/dot left out).

    knitr 1.5x (``group_indices``, ``match_chunk_end`` in R/parser.R): a chunk closes at a
    line of its header's own prefix and backticks; a header with that same prefix inside an
    open chunk starts a new chunk.
    """
    chunks: list[tuple[str, list[str]]] = []
    current: tuple[str, list[str]] | None = None
    prefix = ""
    for line in _lines(text):
        opens = _KNITR_START.match(line)
        if current is not None and opens and line.startswith(prefix + "{"):
            chunks.append(current)
            current = None
        if current is None:
            if opens:
                current = (re.split(r"[ ,]", opens.group(1))[0], [])
                prefix = _KNITR_PREFIX.match(line).group()  # type: ignore[union-attr]
        elif re.fullmatch(re.escape(prefix) + r"\s*", line):
            chunks.append(current)
            current = None
        else:
            current[1].append(line)
    return [chunk for chunk in chunks if chunk[0].lower() not in ("ojs", "mermaid", "dot")]


def repeated_option_keys(body: list[str], comment: str) -> list[str]:
    """The keys a chunk's option lines (``<comment>| ...``, from the first line on) give more
    than once, in any mapping of their YAML: Quarto refuses such a chunk."""
    pattern = re.compile("^" + re.escape(comment) + f"{JS_SPACE}*\\| ?")
    payload = []
    for line in body:
        match = pattern.match(line)
        if match is None:
            break
        payload.append(line[match.end() :])
    try:
        node = yaml.compose("\n".join(payload), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # not YAML at all (knitr's `echo=FALSE` style): another matter
    repeated: list[str] = []
    nodes = [node] if node is not None else []
    while nodes:
        current = nodes.pop()
        if isinstance(current, yaml.MappingNode):
            keys = [key.value for key, _ in current.value]
            repeated += sorted({key for key in keys if keys.count(key) > 1})
            nodes += [value for _, value in current.value]
        elif isinstance(current, yaml.SequenceNode):
            nodes += current.value
    return repeated


def front_matter_kernel_refused(text: str) -> bool:
    """Whether Quarto's Jupyter engine refuses the ``jupyter:`` entry of a .qmd's front
    matter (the ``---`` block on the first line, as Quarto's ``partitionYamlFrontMatter``)."""
    lines = text.lstrip("\ufeff").split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        return False
    end = next((n for n in range(1, len(lines)) if lines[n].rstrip("\r ") == "---"), None)
    if end is None:
        return False
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return False  # not front matter to Quarto either: another matter
    jupyter = meta.get("jupyter") if isinstance(meta, dict) else None
    if jupyter in (None, False, 0, "") or isinstance(jupyter, str):
        return False
    if not isinstance(jupyter, dict):
        return True
    spec = jupyter.get("kernelspec")
    complete = isinstance(spec, dict) and all(
        isinstance(spec.get(key), str) for key in ("name", "language", "display_name")
    )
    return not complete and not isinstance(jupyter.get("kernel"), str)
