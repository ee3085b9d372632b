"""Limits on the YAML nbpost reads: text size, nesting depth and alias expansion.

Posts and config files are untrusted (docs/security.md). A YAML alias (``*a``) stands for the
value of an anchor (``&a``). PyYAML, like the js-yaml port Quarto reads YAML with (its
``readAlias``: ``state.result = state.anchorMap[alias]``), builds an anchor's value once and
shares it, so nine nested lists of nine aliases are 400 bytes of text and little memory, yet
stand for 387 million strings: every walk over the value (merging metadata, the cache's JSON,
a fingerprint) visits them all, and a build hangs or fills the disk. Quarto accepts aliases,
and so does nbpost, within a bound on the document's size once every alias is expanded:
plain front matter never comes near it, a bomb cannot pass it. Checking happens on the node
graph before any Python value is built, in time linear in the number of distinct nodes.
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# The most text a front matter block or a config file may hold (characters). Real front
# matter is a few hundred bytes (the largest in the test corpus of 675 posts: 1.2 KB); 55 MB of
# front matter once took a build to 1.16 GB of memory.
MAX_YAML_CHARS = 1 << 20
# The most a document may expand to through aliases: every node counts one, every scalar its
# characters too. A document within MAX_YAML_CHARS and without aliases stays below this.
MAX_YAML_EXPANDED = 2_000_000
# The deepest nesting accepted (libyaml stops at 1,000; the code that walks values recurses).
MAX_YAML_DEPTH = 100

RECURSIVE = "a YAML alias refers to the value that contains it"

# An anchor: "&" followed by its name (a "&" in plain text is followed by a space or is inside
# a word, and then the check below only costs a walk over a small document).
_ANCHOR_RE = re.compile(r"&[^\s,\[\]{}]")


class YamlLimitError(Exception):
    """A YAML document over one of the limits; ``line`` is 0-based within the text."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str) -> None:
    """Refuse YAML text longer than ``MAX_YAML_CHARS`` or holding a lone surrogate (a
    notebook's JSON may spell one, ``"\\ud800"``; it is not Unicode, libyaml cannot read it)."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlLimitError(
            f"YAML of {len(text):,} characters; nbpost reads at most {MAX_YAML_CHARS:,}", 0
        )
    if not text.isascii() and (bad := _SURROGATE.search(text)) is not None:
        line = text.count("\n", 0, bad.start())
        raise YamlLimitError(f"a lone surrogate {bad.group(0)!a} is not valid Unicode", line)


def may_have_aliases(text: str) -> bool:
    """Whether YAML text may hold an anchor (without one, no alias can parse)."""
    return "&" in text and _ANCHOR_RE.search(text) is not None


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def check_nodes(root: Node | None) -> None:
    """Refuse a composed document that contains itself, nests deeper than ``MAX_YAML_DEPTH``
    or expands beyond ``MAX_YAML_EXPANDED`` (aliases expanded; see the module docstring).

    An iterative walk over distinct nodes (an alias is the anchor's very node object), each
    measured once: its expanded size and its height.
    """
    if root is None:
        return
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)
    open_nodes: set[int] = set()  # nodes whose children are being measured
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        if leaving:
            open_nodes.discard(key)
            size, height = 1, 1
            for child in _children(node):
                child_size, child_height = measured[id(child)]
                size += child_size
                height = max(height, child_height + 1)
            if isinstance(node, ScalarNode):
                size += len(node.value)
            line = node.start_mark.line
            if size > MAX_YAML_EXPANDED:
                raise YamlLimitError(
                    f"YAML aliases expand this value beyond {MAX_YAML_EXPANDED:,} nodes and "
                    "characters",
                    line,
                )
            if height > MAX_YAML_DEPTH:
                raise YamlLimitError(f"YAML nested more than {MAX_YAML_DEPTH} levels deep", line)
            measured[key] = (size, height)
        elif key not in measured:
            if key in open_nodes:
                raise YamlLimitError(RECURSIVE, node.start_mark.line)
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
