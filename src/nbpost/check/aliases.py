"""``--fix`` for NB102: add an alias to ``_categories.yml``, keeping every other byte.

The entry of the kept category gets the alias in the style it already uses: appended to a
``[flow, list]``, as one more ``- item`` of a block list, or as a new ``aliases: [...]`` line
above its first field. A category without an entry gets one appended at the end, in the
file's style (a mapping of labels or a list of entries); a blog without the file gets a new
one. The result must parse with the build's registry reader, with no new problem and the
alias in place; otherwise nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..blog.read.categories import (
    DEFINITION_FILES,
    CategoryDefinition,
    parse_category_definitions,
)
from ..frontmatter import QuartoYamlLoader
from ..slugs import category_key
from ..sync.guarded import replace_guarded

NEW_FILE_HEADER = "# Categories of this blog: labels, aliases, descriptions (read by nbpost).\n"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _entry_nodes(root: yaml.Node, label: str) -> tuple[yaml.Node | None, yaml.Node] | None:
    """(label node, body) of the entry for ``label`` in a composed registry, or None."""
    key = category_key(label)
    pairs = root.value if isinstance(root, yaml.MappingNode) else [(None, n) for n in root.value]
    for label_node, body in pairs:
        fields = (
            dict((k.value, v) for k, v in body.value if isinstance(k, yaml.ScalarNode))
            if isinstance(body, yaml.MappingNode)
            else {}
        )
        named = fields.get("label", label_node)
        if isinstance(named, yaml.ScalarNode) and category_key(str(named.value)) == key:
            return label_node, body
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _into_entry(text: str, body: yaml.Node, alias: str) -> str | None:
    """``text`` with ``alias`` added to an existing entry's fields, or None."""
    if not isinstance(body, yaml.MappingNode) or not body.value:
        return None
    fields = {k.value: v for k, v in body.value if isinstance(k, yaml.ScalarNode)}
    node = fields.get("aliases")
    if node is None:
        first = body.value[0][0]
        at = _line_start(text, first.start_mark.index)
        indent = " " * first.start_mark.column
        if text[at : first.start_mark.index].strip():
            return None  # fields on the label's line ({label: x}): no safe place
        return text[:at] + f"{indent}aliases: [{_quoted(alias)}]\n" + text[at:]
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        end = node.end_mark.index - 1  # the closing bracket
        if text[end] != "]":
            return None
        joiner = ", " if node.value else ""
        return text[:end] + joiner + _quoted(alias) + text[end:]
    if isinstance(node, yaml.SequenceNode) and node.value:
        last = node.value[-1]
        dash = text.rfind("-", 0, last.start_mark.index)
        indent = " " * (dash - _line_start(text, dash))
        after = text.find("\n", last.end_mark.index)
        after = len(text) if after < 0 else after + 1
        line = f"{indent}- {_quoted(alias)}\n"
        return text[:after] + ("" if text[:after].endswith("\n") else "\n") + line + text[after:]
    return None


def _new_entry(text: str, root: yaml.Node | None, keep: str, alias: str) -> str | None:
    """``text`` with a new entry for ``keep`` appended in the file's style."""
    base = text if not text or text.endswith("\n") else text + "\n"
    if root is None or isinstance(root, yaml.MappingNode):
        if root is not None and root.start_mark.column != 0:
            return None
        return base + f"{_quoted(keep)}:\n  aliases: [{_quoted(alias)}]\n"
    if isinstance(root, yaml.SequenceNode) and not root.flow_style:
        return base + f"- label: {_quoted(keep)}\n  aliases: [{_quoted(alias)}]\n"
    return None


def with_alias(text: str, keep: str, alias: str) -> str | None:
    """The registry text with ``alias`` added to ``keep``'s entry; None when refused."""
    try:
        root = yaml.compose(text, Loader=QuartoYamlLoader) if text.strip() else None
    except yaml.YAMLError:
        return None
    found = _entry_nodes(root, keep) if root is not None else None
    edited = _into_entry(text, found[1], alias) if found else _new_entry(text, root, keep, alias)
    if edited is None:
        return None
    before, after = parse_category_definitions(text, "r"), parse_category_definitions(edited, "r")
    entry = _owner(after.entries, keep)
    if after.errors != before.errors or entry is None:
        return None
    if category_key(alias) not in {category_key(a) for a in entry.aliases}:
        return None
    return edited


def _owner(entries: list[CategoryDefinition], label: str) -> CategoryDefinition | None:
    return next((e for e in entries if category_key(e.label) == category_key(label)), None)


def add_alias(root: Path, keep: str, alias: str) -> Path | None:
    """Add ``alias`` to ``keep`` in the blog's registry (made when missing); the file written,
    or None when the edit was refused."""
    path = next((root / n for n in DEFINITION_FILES if (root / n).is_file()), None)
    target = path or root / DEFINITION_FILES[0]
    read = path.read_bytes() if path else None
    text = read.decode("utf-8") if read is not None else NEW_FILE_HEADER
    edited = with_alias(text, keep, alias)
    if edited is None:
        return None
    replace_guarded(target, edited.encode("utf-8"), read)
    return target
