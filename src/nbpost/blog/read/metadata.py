"""Merge metadata levels with Quarto's rules and read listing fields (authors, categories).

Quarto merges ``_quarto.yml`` < ``_metadata.yml`` files from the root down < front matter with
``mergeConfigs`` (lodash ``mergeWith`` plus ``mergeArrayCustomizer``, ``src/core/config.ts``):
objects deep-merge; when either side is a list both sides become lists, concatenated parent
first and de-duplicated; otherwise the child wins; a missing or null side gives the other side.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

# Quarto wraps these in lists before merging, so they always concatenate (config.ts).
ALWAYS_LISTS = frozenset(
    [
        "bibliography",
        "css",
        "header-includes",
        "include-before",
        "include-after",
        "include-in-header",
        "include-before-body",
        "include-after-body",
    ]
)
# Quarto replaces these instead of merging them.
REPLACED_KEYS = frozenset(["tbl-colwidths"])


def _identity(value: Any) -> str:
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):  # pragma: no cover - YAML gives JSON-like values
        return repr(value)


def _merge_lists(parent: list[Any], child: list[Any]) -> list[Any]:
    merged: list[Any] = []
    seen: set[str] = set()
    for item in (*parent, *child):
        key = _identity(item)
        if key not in seen:
            seen.add(key)
            merged.append(item)
    return merged


def merge_values(parent: Any, child: Any, key: str | None = None) -> Any:
    """Merge two metadata values the way Quarto's ``mergeConfigs`` does."""
    if child is None:
        return parent
    if parent is None:
        return child
    if key in REPLACED_KEYS:
        return child
    if key in ALWAYS_LISTS:
        parent = parent if isinstance(parent, list) else [parent]
        child = child if isinstance(child, list) else [child]
    if isinstance(parent, list) or isinstance(child, list):
        return _merge_lists(
            parent if isinstance(parent, list) else [parent],
            child if isinstance(child, list) else [child],
        )
    if isinstance(parent, Mapping) and isinstance(child, Mapping):
        return merge_configs(parent, child)
    return child


def merge_configs(*levels: Mapping[str, Any] | None) -> dict[str, Any]:
    """Merge metadata mappings, lowest precedence first, into a new dict.

    Inputs are never modified; values present in only one level are shared, not copied
    (a measured 15% of collection time), so treat the result as read-only.
    """
    merged: dict[str, Any] = {}
    for level in levels:
        if not level:
            continue
        for key, value in level.items():
            if key in merged:
                merged[key] = merge_values(merged[key], value, str(key))
            else:
                merged[key] = value
    return merged


def metadata_chain(relative_dir: str, directory_metadata: Mapping[str, Mapping[str, Any]]) -> list:
    """The ``_metadata.yml`` mappings that apply to a document in ``relative_dir``, root first.

    ``directory_metadata`` maps a POSIX folder relative to the project root ("" for the root)
    to its parsed ``_metadata.yml``. We follow Quarto's quirk (``directoryMetadataForInputFile``
    starts its walk at the first sub-folder): the root ``_metadata.yml`` applies only to
    documents that live in the root folder itself, so that listings agree with what Quarto
    renders.
    """
    if relative_dir in ("", "."):
        root = directory_metadata.get("")
        return [root] if root else []
    chain = []
    parts = PurePosixPath(relative_dir).parts
    for depth in range(1, len(parts) + 1):
        found = directory_metadata.get("/".join(parts[:depth]))
        if found:
            chain.append(found)
    return chain


# What no generated file may carry (docs/security.md): C0 controls but tab and newline, DEL,
# C1 controls, lone surrogates (a notebook's JSON may hold "\ud800"; UTF-8 cannot encode
# one) and the two non-characters XML forbids.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text as every output may carry it: NFC, and none of the characters above.

    Applied where titles, descriptions, authors and category labels are read (here and in
    ``categories``), so no writer has to: a NUL in a label reaches no page, feed or registry,
    and "Café" typed with a combining accent is the same category as with a composed one.
    """
    if not text.isprintable():  # C: printable text (nearly all) skips the expression
        text = _UNSAFE_TEXT.sub("", text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def as_list(value: Any) -> list[Any]:
    """A scalar as a one-item list, a list as is, null as empty."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def category_labels(value: Any) -> list[str]:
    """Category labels as written (inner whitespace runs collapsed): strings, numbers as text,
    empties and nulls dropped."""
    labels: list[str] = []
    for item in as_list(value):
        if item is None or isinstance(item, (dict, list)):
            continue
        text = ("true" if item else "false") if isinstance(item, bool) else str(item)
        if not (text.isascii() and text.isprintable()):  # the common case skips the call
            text = clean_text(text)
        # Runs of inner whitespace collapse (`Machine   Learning`): one spelling on the page,
        # in feeds and in the registry. Quarto's chips show them collapsed too (HTML).
        text = " ".join(text.split())
        if text and text not in labels:
            labels.append(text)
    return labels


def _person_name(item: Any) -> str | None:
    if isinstance(item, str):
        return item.strip() or None
    if isinstance(item, (int, float)) and not isinstance(item, bool):
        return str(item)
    if not isinstance(item, Mapping):
        return None
    name = item.get("name", item)
    if isinstance(name, str):
        return name.strip() or None
    if isinstance(name, Mapping):
        literal = name.get("literal")
        if isinstance(literal, str) and literal.strip():
            return literal.strip()
        parts = [
            str(name[part]).strip()
            for part in ("given", "dropping-particle", "non-dropping-particle", "family")
            if isinstance(name.get(part), (str, int)) and str(name[part]).strip()
        ]
        return " ".join(parts) or None
    return None


def author_names(value: Any) -> list[str]:
    """Display names from ``author``: a string, a list, or objects with ``name`` (de-duplicated)."""
    names: list[str] = []
    for item in as_list(value):
        name = _person_name(item)
        if name and not (name.isascii() and name.isprintable()):  # the common case: as is
            name = clean_text(name).strip()
        if name and name not in names:
            names.append(name)
    return names


def plain_string(value: Any) -> str | None:
    """A scalar metadata value as a stripped string; None for missing, empty or structured."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value)
    if not (text.isascii() and text.isprintable()):  # the common case skips the call
        text = clean_text(text)
    return text.strip() or None


def truthy(value: Any) -> bool:
    """Quarto's reading of a boolean option: ``true`` (or the string "true")."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return value is True


def path_set(values: Iterable[Any]) -> set[str]:
    """Normalise project-relative paths (``/posts/a.qmd``, ``./posts/a.qmd``) for comparison."""
    result = set()
    for value in values:
        if isinstance(value, str) and value.strip():
            text = value.strip().replace("\\", "/")
            while text.startswith("./"):
                text = text[2:]
            result.add(text.lstrip("/"))
    return result
