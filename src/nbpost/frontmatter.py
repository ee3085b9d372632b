"""Split the leading YAML block of a post, keep its exact text, and parse it safely.

The parser resolves scalars the way Quarto does (it reads YAML with a JSON-like schema):
dates stay strings (PyYAML would turn ``2024-10-17`` into a ``date`` and raise ``ValueError``
on ``2024-13-45``), and only ``true``/``false`` are booleans (``yes``/``on`` stay strings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import FrontMatterError
from .yamlguard import YamlLimitError, check_nodes, check_text, may_have_aliases

try:  # libyaml is about ten times faster; fall back to pure Python where it is missing.
    from yaml import CSafeLoader as _BaseLoader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    _CParser = None  # type: ignore[misc,assignment]

# A line may end in CR: in a file with mixed line ends (a notebook's CRLF cell written among
# nbpost's LF lines) the CR stays on the line, and Quarto and pandoc read CRLF as a line end.
OPEN_RE = re.compile(r"---[ \t]*\r?\Z")
CLOSE_RE = re.compile(r"(?:---|\.\.\.)[ \t]*\r?\Z")
_CLOSE_STARTS = frozenset(("---", "..."))

_BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class QuartoYamlLoader(_BaseLoader):
    """A safe loader whose implicit types follow YAML 1.2's core schema, as Quarto reads it."""


# Drop PyYAML 1.1 resolvers we do not want (timestamps, yes/no/on/off booleans), keep the rest.
QuartoYamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    QuartoYamlLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:bool", _BOOL_RE)
    )


def _construct_bool(loader: yaml.Loader, node: yaml.Node) -> bool:
    return str(loader.construct_scalar(node)).lower() == "true"  # type: ignore[arg-type]


QuartoYamlLoader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def _construct_local_tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    """A locally tagged value such as knitr's ``!expr Sys.Date()``: its plain value.

    Quarto's YAML schema accepts ``!expr`` (knitr evaluates it at render time); a reader
    that refuses it would refuse posts Quarto renders.
    """
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


QuartoYamlLoader.add_multi_constructor("!", _construct_local_tag)


def _guarded(tag: str) -> Any:
    """PyYAML's constructor for ``tag``, with a value it cannot build (``!!timestamp
    2024-13-45``, an integer of 5,000 digits) reported as a YAML error at the value's line
    instead of a bare ``ValueError``."""
    construct = _BaseLoader.yaml_constructors[tag]
    short = "!!" + tag.rsplit(":", 1)[-1]

    def guarded(loader: yaml.Loader, node: yaml.Node) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, TypeError) as exc:
            problem = f"cannot read {str(node.value)[:60]!r} as {short} ({str(exc)[:80]})"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    return guarded


for _tag in ("int", "float", "timestamp", "binary"):
    QuartoYamlLoader.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _guarded(f"tag:yaml.org,2002:{_tag}")
    )


@dataclass(frozen=True)
class FrontMatterSpan:
    """Where the leading YAML block sits: lines ``start``..``end`` inclusive (0-based)."""

    start: int
    end: int


def find_front_matter(lines: list[str], path: str | Path | None = None) -> FrontMatterSpan | None:
    """Locate a front matter block opening on the first line; None when the post has none.

    Like pandoc, an opening ``---`` must not be followed by a blank line. A block that is
    opened but never closed is an error rather than silently becoming text.
    """
    if not lines or not OPEN_RE.match(lines[0]):
        return None
    if len(lines) < 2 or not lines[1].strip():
        return None
    for index in range(1, len(lines)):
        line = lines[index]
        if line[:3] in _CLOSE_STARTS and CLOSE_RE.match(line):  # the slice: a cheap first test
            return FrontMatterSpan(0, index)
    raise FrontMatterError("front matter opened here is never closed by a '---' line", path, 1)


def yaml_error_where(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The 0-based line of a YAML error in ``text``, and what to say about it.

    libyaml notices an unclosed quote or bracket only at the end of the text; the line where
    it opened (its context mark) is the one to fix, so a bad quote on line 2 says line 2.
    """
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    if mark is not None and opened is not None and mark.index >= len(text.rstrip()):
        return opened.line, f"{problem} {context}".strip()
    mark = mark or opened
    return (mark.line if mark is not None else 0), problem or context or "invalid YAML"


def parse_yaml(
    text: str,
    path: str | Path | None = None,
    first_line: int = 1,
    keys: frozenset[str] | None = None,
) -> dict[str, Any]:
    """Parse YAML text into a mapping; ``first_line`` is the file line of the text's first line.

    With ``keys``, the whole text is still checked but only those top-level keys are built
    (see ``peek_yaml``). Text over nbpost's limits (``nbpost.yamlguard``: size, nesting, alias
    expansion) is refused like invalid YAML.
    """
    try:
        check_text(text)
        data = peek_yaml(text, keys) if keys is not None else None
        if data is None:  # no keys asked, or not a mapping: load it all (the error names it)
            data = load_yaml(text)
    except YamlLimitError as exc:
        raise FrontMatterError(exc.message, path, first_line + exc.line) from None
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        raise FrontMatterError(
            f"invalid YAML in front matter: {problem}", path, first_line + line
        ) from None
    except RecursionError:  # only without libyaml, whose parser stops at 1,000 levels
        raise FrontMatterError("YAML nested too deeply", path, first_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError(
            f"front matter must be a YAML mapping, not a {type(data).__name__}", path, first_line
        )
    return data


def yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[str, int]:
    """What a PyYAML error says, on one line, and the 0-based line of ``text`` it is about."""
    if isinstance(exc, yaml.MarkedYAMLError):
        line, problem = yaml_error_where(exc, text)
        return " ".join(problem.split()), line
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text.count("\n", 0, max(exc.position, 0)) if isinstance(exc.position, int) else 0
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character))
        return f"unacceptable character #x{character:04x}: {exc.reason}", line
    first = str(exc).strip().splitlines()
    return (first[0] if first else "invalid YAML"), 0


def load_yaml(text: str) -> Any:
    """``yaml.load(text, Loader=QuartoYamlLoader)``, refusing a document over the limits
    (``YamlLimitError``: nesting, alias expansion) before any value is built."""
    loader = QuartoYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_nodes(node)  # nesting too: what is built here is walked recursively later
        return loader.construct_document(node)
    finally:
        loader.dispose()


def peek_yaml(text: str, keys: frozenset[str]) -> dict[str, Any] | None:
    """Check YAML text and build only the top-level ``keys`` of its mapping.

    Composing the node tree runs in libyaml; building Python objects is the slow, pure-Python
    half of ``yaml.load``, and a writer that needs two keys of the front matter should not pay
    for the rest. Returns None when the text is valid YAML but not a mapping; raises
    ``yaml.YAMLError`` on invalid YAML, like ``yaml.load``, and ``YamlLimitError`` when
    aliases expand it beyond ``nbpost.yamlguard``'s limit.
    """
    if _CParser is not None and not _needs_nodes(text, keys):
        shape = _event_shape(text)
        if shape is not None:
            return shape
    loader = QuartoYamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            return None
        if may_have_aliases(text):
            check_nodes(node)
        wanted: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                data = loader.construct_document(node)  # merge keys: build it all, rarely
                return {k: v for k, v in data.items() if k in keys}
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in keys:
                wanted[key_node.value] = loader.construct_object(value_node, deep=True)
        return wanted
    finally:
        loader.dispose()


# An anchor or alias: "&" or "*" followed by its name.
_ANCHOR_RE = re.compile(r"[&*]\S")
# Line breaks for libyaml besides "\n" and "\r" (YAML 1.1), and a byte order mark.
_OTHER_BREAKS = ("\x85", "\u2028", "\u2029", "\ufeff")


def _needs_nodes(text: str, keys: frozenset[str]) -> bool:
    """Whether ``peek_yaml`` must compose the node tree: a wanted key, an anchor or alias, a
    merge key, an escape (a key spelled with one) or a second document may be in the text.

    Substring tests (C searches) come first; libyaml's events alone say all that composing
    nodes would for any other text.
    """
    if "<<" in text or "merge" in text or "\\" in text:
        return True
    if "\n---" in text or "\n..." in text or text.startswith(("---", "...")):
        return True
    # libyaml also breaks lines at "\r", NEL, LS and PS: a marker may follow one of those
    if "\r" in text or (not text.isascii() and any(c in text for c in _OTHER_BREAKS)):
        return True
    if ("&" in text or "*" in text) and _ANCHOR_RE.search(text) is not None:
        return True
    return any(key in text for key in keys) and not _keys_only_nested(text, keys)


# A line opening with what may start a key other than a plain scalar: a quote, an explicit
# key ("?"), a tag ("!"), a flow collection.
_ODD_KEY_LINE_RE = re.compile(r"\n[\"'?!{\[]")


def _keys_only_nested(text: str, keys: frozenset[str]) -> bool:
    """Whether the wanted keys in the text cannot be keys of its top-level mapping (a search
    engine in a description, ``jupyter:`` under ``format:``), for text ``_needs_nodes`` has
    cleared of anchors, escapes, merge keys and other line breaks.

    When the text opens with a plain key at column 0 (``_KEY_FIRST_RE``), its root, if valid,
    is a block mapping at column 0, so each of its keys starts a line: plainly, or quoted,
    explicit, tagged or a flow collection. A wanted key that starts no line, in text where
    no line starts in one of those other ways, is inside a value.
    """
    if not _KEY_FIRST_RE.match(text) or _ODD_KEY_LINE_RE.search(text):
        return False
    return not any(text.startswith(key) or "\n" + key in text for key in keys)


# A first line "key:" or "key: value" at column 0: libyaml reads a plain scalar followed by
# ": " (or ":" at the end of the line) there as the first key of a block mapping, the root.
_KEY_FIRST_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?: |\n|\Z)")


def _event_shape(text: str) -> dict[str, Any] | None:
    """``peek_yaml`` for text that cannot hold a wanted key: check it with libyaml's parser.

    Resolving tags and building nodes in Python is most of the cost of composing; the
    parser's events say whether the text is valid and whether its one document is a mapping.
    Returns ``{}`` for a mapping or no document, else None (the caller then composes the
    text, which also raises the exact error for invalid YAML).
    """
    parser = _CParser(text)
    try:
        if _KEY_FIRST_RE.match(text):
            # The first line opens with a plain key at column 0, so a valid stream's one
            # document is a block mapping: libyaml's check of the text alone says the rest,
            # without building the first events as Python objects.
            parser.raw_parse()
            return {}
        parser.get_event()  # stream start
        if isinstance(parser.get_event(), yaml.StreamEndEvent):
            return {}  # no document at all (only comments or blank lines)
        root = parser.get_event()
        if not isinstance(root, yaml.MappingStartEvent):
            return None
        parser.raw_parse()  # the rest of the stream, checked in C without building events
    except yaml.YAMLError:
        return None
    return {}


def parse_block(
    block_text: str,
    path: str | Path | None = None,
    first_line: int = 1,
    keys: frozenset[str] | None = None,
) -> dict:
    """Parse a whole ``---`` ... ``---`` block (delimiters included) into a mapping."""
    inner = block_text.split("\n")[1:-1]
    return parse_yaml("\n".join(inner), path, first_line + 1, keys)


def split(text: str, path: str | Path | None = None) -> tuple[str | None, dict[str, Any], str]:
    """Split a post's text into (front matter block text or None, parsed mapping, body text)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    head = text[:4]
    if not head.startswith("---"):
        return None, {}, text
    lines = text.split("\n")
    # Work on lines without a trailing CR so CRLF files parse the same way.
    stripped = [line[:-1] if line.endswith("\r") else line for line in lines]
    span = find_front_matter(stripped, path)
    if span is None:
        return None, {}, text
    block = "\n".join(stripped[span.start : span.end + 1])
    meta = parse_block(block, path)
    body = "\n".join(lines[span.end + 1 :])
    return block, meta, body


def opens_front_matter(text: str) -> bool:
    """Whether text holds a front matter block at its start, by Quarto's rule for a cell.

    Quarto's ``partitionYamlFrontMatter`` (quarto-cli src/core/yaml.ts): after leading
    whitespace, a ``---`` line, a second line that is neither blank nor a closing delimiter,
    and a closing ``---``/``...`` line further on.
    """
    text = text.lstrip().lstrip("\ufeff")  # JavaScript's trimLeft also drops a byte order mark
    if not text.startswith("---"):  # the common case, decided without splitting lines
        return False
    lines = text.split("\n", 2)
    if len(lines) < 3 or not OPEN_RE.match(lines[0]) or not lines[1].strip():
        return False
    if CLOSE_RE.match(lines[1].rstrip("\r")):
        return False
    return any(CLOSE_RE.match(line) for line in lines[2].split("\n"))


def notebook_front_matter_index(cells: Iterable[tuple[str, str]]) -> int | None:
    """Which cell of a notebook holds its front matter: the index, or None when none does.

    ``cells`` are (cell type, source) pairs. Quarto's ``fixupFrontMatter`` (quarto-cli
    src/core/jupyter/jupyter-fixups.ts) takes the first raw *or markdown* cell that opens a
    front matter block (``opens_front_matter``), wherever it is; cells before it (a heading,
    code) do not stop the search. Both the blog reader and the converter ask this function.
    """
    for index, (cell_type, source) in enumerate(cells):
        if cell_type in ("raw", "markdown") and opens_front_matter(source):
            return index
    return None
