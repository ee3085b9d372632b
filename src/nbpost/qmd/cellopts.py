"""``#|`` cell option lines: find them, and move notebook-only keys between text and metadata.

In a ``.qmd`` every option is a ``#|`` line at the top of a chunk. A notebook keeps some of
them as cell properties instead: the cell ``id`` and the Jupyter metadata ``tags`` and
``slideshow`` (which JupyterLab, nbconvert and papermill read). Those lines are *lifted* out
of the source into the cell when going to a notebook and written back as ``#|`` lines on the
way out; every other option line stays in the source exactly as written (Quarto reads them
there when it renders a notebook). When the lines as written differ from how nbpost would
write them, the original block is kept in the cell's layout metadata and reused while it
still says the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..frontmatter import load_yaml
from ..yamlguard import YamlLimitError, check_text

# Keys stored as notebook cell properties rather than source lines.
LIFTED_METADATA_KEYS = ("tags", "slideshow")

# Quarto's kLangCommentChars (src/core/lib/partition-cell-options.ts), for kernel languages.
COMMENT_CHARS = {
    "python": "#",
    "r": "#",
    "julia": "#",
    "bash": "#",
    "sh": "#",
    "ruby": "#",
    "perl": "#",
    "sql": "--",
    "lua": "--",
    "haskell": "--",
    "matlab": "%",
    "octave": "%",
    "javascript": "//",
    "typescript": "//",
    "rust": "//",
    "scala": "//",
    "java": "//",
    "c++": "//",
    "cpp": "//",
    "go": "//",
    "fortran": "!",
}

_KEY_RE = re.compile(r"([A-Za-z_][\w.-]*):(?:[ \t]|$)")
_CACHE: dict[str, re.Pattern[str]] = {}


def comment_chars(language: str) -> str:
    """What an option line starts with in this kernel language (``#``, ``--``, ``%``)."""
    return COMMENT_CHARS.get(language.lower(), "#")


def option_pattern(language: str) -> re.Pattern[str]:
    """Regex for one option line: comment chars, optional space, ``|``, one optional space."""
    prefix = comment_chars(language)
    pattern = _CACHE.get(prefix)
    if pattern is None:
        pattern = re.compile(re.escape(prefix) + r"[ \t]*\| ?(.*)\Z", re.DOTALL)
        _CACHE[prefix] = pattern
    return pattern


@dataclass
class OptionEntry:
    """One option: its key (None for a line that starts no key) and its lines as written."""

    key: str | None
    lines: list[str] = field(default_factory=list)
    value: Any = None
    parsed: bool = False


_PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_YAML_WORDS = frozenset({"true", "false", "null", "~", "yes", "no", "on", "off"})


def _plain(word: str) -> bool:
    return bool(_PLAIN_WORD.match(word)) and word.lower() not in _YAML_WORDS


def _fast_value(entry: OptionEntry) -> bool:
    """Read ``key: word`` and ``key: [word, word]`` without YAML (most options look so)."""
    body = entry.lines[0].split("|", 1)[1]
    value = body.split(":", 1)[1].strip()
    if _plain(value):
        entry.value, entry.parsed = value, True
        return True
    if value.startswith("[") and value.endswith("]"):
        items = [item.strip() for item in value[1:-1].split(",")]
        if items == [""]:
            entry.value, entry.parsed = [], True
            return True
        if all(_plain(item) for item in items):
            entry.value, entry.parsed = items, True
            return True
    return False


def option_block_length(lines: list[str], language: str) -> int:
    """How many leading lines of a chunk are option lines."""
    pattern = option_pattern(language)
    count = 0
    for line in lines:
        if not pattern.match(line):
            break
        count += 1
    return count


# Options whose values nbpost needs; the others are only grouped, never parsed (speed).
PARSED_KEYS = frozenset({"id", "label", *LIFTED_METADATA_KEYS})


def parse_entries(
    block: list[str], language: str, keys: frozenset[str] = PARSED_KEYS
) -> list[OptionEntry]:
    """Group option lines into entries (a key line plus its continuation lines).

    Only entries whose key is in ``keys`` get their YAML value parsed.
    """
    pattern = option_pattern(language)
    entries: list[OptionEntry] = []
    for line in block:
        match = pattern.match(line)
        body = match.group(1) if match else line
        key_match = _KEY_RE.match(body)
        if key_match or not entries:
            entries.append(OptionEntry(key_match.group(1) if key_match else None, [line]))
        else:
            entries[-1].lines.append(line)
    for entry in entries:
        if entry.key is None or entry.key not in keys:
            continue
        if len(entry.lines) == 1 and _fast_value(entry):
            continue
        text = "\n".join(pattern.match(line).group(1) for line in entry.lines)  # type: ignore[union-attr]
        try:  # within nbpost's YAML limits (size, nesting, aliases), else kept as written
            check_text(text)
            data = load_yaml(text)
        except (yaml.YAMLError, YamlLimitError, RecursionError):
            continue
        if isinstance(data, dict) and entry.key in data:
            entry.value = data[entry.key]
            entry.parsed = True
    return entries


def is_lifted(entry: OptionEntry) -> bool:
    """Whether this option belongs in the notebook cell rather than its source."""
    if not entry.parsed:
        return False
    if entry.key == "id":
        return isinstance(entry.value, str) and bool(entry.value)
    return entry.key in LIFTED_METADATA_KEYS


def format_option(key: str, value: Any, prefix: str = "#") -> list[str]:
    """Write one option as a ``#| key: value`` line, collections in YAML flow style."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6)
    if dumped.endswith("\n...\n"):
        dumped = dumped[: -len("\n...\n")]
    return [f"{prefix}| {key}: {dumped.rstrip(chr(10))}"]


@dataclass
class SplitOptions:
    """A chunk's source with lifted options taken out."""

    source_lines: list[str]
    cell_id: str | None
    metadata: dict[str, Any]
    block: list[str]  # the original option block
    canonical: bool  # whether format_lifted(...) + source reproduces the original exactly
    repeated: bool = False  # a lifted key also on an earlier line, kept in the source


def split_options(lines: list[str], language: str) -> SplitOptions:
    """Take the lifted options (id, tags, slideshow) out of a chunk's lines."""
    count = option_block_length(lines, language)
    block = lines[:count]
    if not count:
        return SplitOptions(list(lines), None, {}, [], True)
    entries = parse_entries(block, language)
    cell_id: str | None = None
    metadata: dict[str, Any] = {}
    lifted: set[int] = set()
    # The last occurrence of a repeated key wins, as in YAML; earlier ones stay in the source.
    for position in range(len(entries) - 1, -1, -1):
        entry = entries[position]
        if not is_lifted(entry) or entry.key in metadata or (entry.key == "id" and cell_id):
            continue
        lifted.add(position)
        if entry.key == "id":
            cell_id = str(entry.value)
        else:
            metadata[str(entry.key)] = entry.value
    metadata = {key: metadata[key] for key in LIFTED_METADATA_KEYS if key in metadata}
    kept = [line for i, entry in enumerate(entries) if i not in lifted for line in entry.lines]
    source_lines = kept + list(lines[count:])
    rebuilt = place_lifted(source_lines, None, metadata, language)
    repeated = any(is_lifted(entry) for i, entry in enumerate(entries) if i not in lifted)
    # ids are written only on request (--with-ids), so a block holding one is never canonical;
    # nor is one repeating a key, which nbpost writes only as the .qmd's author did (markers)
    canonical = cell_id is None and rebuilt == list(lines) and not repeated
    return SplitOptions(source_lines, cell_id, metadata, block, canonical, repeated)


def place_lifted(
    source_lines: list[str], cell_id: str | None, metadata: dict[str, Any], language: str
) -> list[str]:
    """Where nbpost writes lifted options: the id first, tags and slideshow after the others.

    The id goes after the others instead when the first option line has no key (nbdev's
    ``#| hide``, ``#| export``): read back, such a line would continue the id's entry.
    """
    prefix = comment_chars(language)
    count = option_block_length(source_lines, language)
    id_lines = format_option("id", cell_id, prefix) if cell_id else []
    meta_lines: list[str] = []
    for key in LIFTED_METADATA_KEYS:
        if key in metadata:
            meta_lines.extend(format_option(key, metadata[key], prefix))
    if count and id_lines and parse_entries(source_lines[:1], language, frozenset())[0].key is None:
        return source_lines[:count] + id_lines + meta_lines + source_lines[count:]
    return id_lines + source_lines[:count] + meta_lines + source_lines[count:]


def join_options(
    source_lines: list[str],
    cell_id: str | None,
    metadata: dict[str, Any],
    language: str,
    original_block: list[str] | None = None,
    write_id: bool = False,
) -> list[str]:
    """Put lifted options back in front of a chunk's source lines.

    ``original_block`` (from the layout metadata) is reused when it still holds exactly the
    same lifted values and the same kept lines, so the .qmd comes back byte for byte.
    """
    wanted = {key: metadata[key] for key in LIFTED_METADATA_KEYS if key in metadata}
    if original_block:
        again = split_options(list(original_block), language)
        kept_count = len(again.source_lines)
        if (
            again.metadata == wanted
            and source_lines[:kept_count] == again.source_lines
            and (again.cell_id is None or again.cell_id == cell_id)
            and (not write_id or again.cell_id is not None or not cell_id)
        ):
            return list(original_block) + source_lines[kept_count:]
    if not wanted and not (write_id and cell_id):
        return list(source_lines)  # nothing to place: what place_lifted would return
    return place_lifted(source_lines, cell_id if write_id else None, wanted, language)
