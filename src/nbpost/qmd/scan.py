"""First pass over a .qmd body: find chunks, other fences, HTML comments and cell markers.

The scan is line based, like Quarto's own (``quartoMdToJupyter``), with the CommonMark rules
Quarto skips: a chunk written inside another fence (a ``````markdown`` block that shows chunk
syntax) or inside an HTML comment (a CommonMark HTML block runs to the line holding ``-->``)
is text, not a cell.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConversionError, FenceError

FENCE_RE = re.compile(r"([ \t]*)(`{3,}|~{3,})(.*)\Z", re.DOTALL)
# ```{python}, ```{python echo=false}, ```{python, label}, ```{python #fig-x}, ``` {r}
# Lines may end in CR (mixed line ends: see frontmatter.OPEN_RE), read as Quarto reads them.
CHUNK_HEADER_RE = re.compile(r"[ \t]*\{([A-Za-z0-9_]+)(?:[ ,][^}]*|)\}[ \t\r]*\Z")
PLAIN_LANGUAGE_RE = re.compile(r"[A-Za-z0-9_]+\Z")


def header_pattern(language: str | None) -> re.Pattern[str]:
    """The chunk header pattern for a kernel language: a word (``python``), or, for kernels
    whose language is not one (``C#``, ``C++17``, ``Wolfram Language``), that exact name,
    as Quarto matches it (``quartoMdToJupyter`` builds its pattern from the kernel's
    ``language`` in lower case: ```` ```{c#} ````, ```` ```{wolfram language} ````)."""
    if language is None or PLAIN_LANGUAGE_RE.match(language):
        return CHUNK_HEADER_RE
    return _special_header(language.lower())


@functools.lru_cache(maxsize=16)
def _special_header(language: str) -> re.Pattern[str]:
    return re.compile(
        r"[ \t]*\{(" + re.escape(language) + r")(?:[ ,][^}]*|)\}[ \t\r]*\Z", re.IGNORECASE
    )


RAW_HEADER_RE = re.compile(r"[ \t]*\{=([A-Za-z0-9_+-]+)\}[ \t\r]*\Z")
COMMENT_START_RE = re.compile(r" {0,3}<!--")
MARKER_RE = re.compile(r"<!-- (front matter )?cell(?: (markdown|raw|code))?(?: (\{.*\}))? -->\Z")


@dataclass
class Marker:
    """A cell marker line: ``<!-- cell -->``, ``<!-- cell raw {"tags": []} -->``, ..."""

    line: int
    front_matter: bool
    cell_type: str  # "markdown", "raw" or "code" (a chunk whose option lines are its own)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chunk:
    """A fenced ``{lang}`` chunk: open and close line numbers (0-based, inclusive)."""

    open: int
    close: int
    indent: str
    fence: str
    header: str  # everything after the fence characters on the opening line
    language: str  # lower-cased


@dataclass
class Scan:
    """What the first pass found, in order, plus the languages of chunks."""

    items: list[Marker | Chunk]
    languages: list[str]
    open_comment: bool = False  # an HTML comment runs to the end of the text


def parse_marker(line: str, number: int) -> Marker | None:
    """Return the marker a line holds, or None when it is ordinary text."""
    if not line.startswith("<!-- ") or not line.endswith(" -->"):
        return None
    match = MARKER_RE.match(line)
    if not match:
        return None
    data: dict[str, Any] = {}
    if match.group(3):
        try:
            parsed = json.loads(match.group(3))
        except ValueError:
            return None
        except RecursionError:
            parsed = None  # checked below: too deep
        if not isinstance(parsed, dict) or not _shallow(parsed, MAX_MARKER_DEPTH):
            if parsed is None or isinstance(parsed, dict):
                raise ConversionError(
                    f"cell marker nested more than {MAX_MARKER_DEPTH} levels deep",
                    None,
                    number + 1,
                )
            return None
        data = parsed
    if match.group(1) and match.group(2) == "code":
        return None  # the front matter is never a code cell
    return Marker(number, bool(match.group(1)), match.group(2) or "markdown", data)


# The deepest marker data read: metadata in a marker is a few levels deep at most, and
# nested data reaches writers that recurse once per level.
MAX_MARKER_DEPTH = 50


def _shallow(data: Any, limit: int) -> bool:
    """Whether JSON data nests at most ``limit`` levels (checked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return False
        items = value.values() if isinstance(value, dict) else value
        stack.extend((item, depth + 1) for item in items if isinstance(item, (dict, list)))
    return True


def _marker_at(line: str, number: int, path: str | Path | None) -> Marker | None:
    try:
        return parse_marker(line, number)
    except ConversionError as exc:
        raise exc.with_path(path) if path is not None else exc from None


def format_marker(cell_type: str, data: dict[str, Any], front_matter: bool = False) -> str:
    """Write a cell marker line (the inverse of ``parse_marker``)."""
    parts = ["<!--"]
    if front_matter:
        parts.append("front matter")
    parts.append("cell")
    if cell_type != "markdown" or front_matter:
        parts.append(cell_type)
    if data:
        text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
        # ">" only occurs inside JSON strings; as \u003e it cannot end the HTML comment early
        # ("-->", or "--!>" in a browser), which would show the rest of the marker as text
        parts.append(text.replace(">", "\\u003e"))
    parts.append("-->")
    return " ".join(parts)


# What a line opening a chunk, a fence, a comment or a marker, or closing a fence, starts with.
_OPENER_FIRST_CHARACTERS = frozenset(" \t`~<")


def _candidate_lines(lines: list[str], start: int) -> list[int]:
    """The numbers of the lines from ``start`` on that may open or close a block.

    Most lines of a post are prose starting with a letter; one test of the first character
    (in a comprehension) passes over them quicker than the full tests in the scanning loop.
    """
    first = _OPENER_FIRST_CHARACTERS
    return [number for number, line in enumerate(lines[start:], start) if line[:1] in first]


def _after_marker(lines: list[str], index: int, marker: Marker) -> int:
    """The line after a marker's cell when the marker says how many lines it holds (a
    verbatim cell), else ``index`` (the line after the marker)."""
    count = marker.data.get("lines")
    if not isinstance(count, int) or count <= 0:
        return index
    total = len(lines)
    while index < total and not lines[index].strip():  # the blank lines after the marker
        index += 1
    index += count
    close = marker.data.get("close")
    if isinstance(close, str) and index < total and lines[index] == close:
        index += 1  # the line that closes, for Quarto, what the cell left open
    return index


def _fence_close(
    lines: list[str], candidates: list[int], following: int, chars: str, total: int
) -> int:
    """The line closing a fence opened with ``chars`` (``total``: never closed). A closing
    line holds the fence characters, so it is one of the candidates from ``following`` on."""
    char = chars[0]
    for number in candidates[following:]:
        candidate = lines[number]
        if chars in candidate:
            stripped = candidate.strip(" \t\r")
            if stripped.startswith(chars) and stripped.count(char) == len(stripped):
                return number
    return total


def _comment_close(lines: list[str], index: int) -> int:
    """The line ending an HTML comment opened on line ``index`` (``len(lines)``: never).

    A CommonMark HTML block of type 2: it runs to the first line holding "-->".
    """
    total = len(lines)
    position = lines[index].index("<!--") + 4
    close = index
    while close < total and "-->" not in lines[close][position:]:
        close += 1
        position = 0
    return close


def scan(
    lines: list[str], start: int, path: str | Path | None = None, language: str | None = None
) -> Scan:
    """Scan ``lines[start:]`` for chunks and markers (everything else is text).

    ``language`` is a kernel language that is not a plain word, whose chunks are found by
    their exact name (``header_pattern``); other chunks are found by the usual pattern.
    """
    special = None if language is None else header_pattern(language)
    if special is CHUNK_HEADER_RE:
        special = None
    items: list[Marker | Chunk] = []
    languages: list[str] = []
    index = start
    total = len(lines)
    candidates = _candidate_lines(lines, start)
    count_candidates = len(candidates)
    next_candidate = 0
    while next_candidate < count_candidates:
        line_number = candidates[next_candidate]
        next_candidate += 1
        if line_number < index:
            continue  # inside a fence, comment or verbatim cell already passed over
        index = line_number
        line = lines[index]
        if line[:5] == "<!-- " and (marker := _marker_at(line, index, path)) is not None:
            items.append(marker)
            index = _after_marker(lines, index + 1, marker)
            continue
        fence = FENCE_RE.match(line) if ("`" in line[:8] or "~" in line[:8]) else None
        if fence:
            indent, chars, rest = fence.groups()
            if chars[0] == "`" and "`" in rest:
                index += 1  # inline code such as ```x``` on one line, not a fence
                continue
            close = _fence_close(lines, candidates, next_candidate, chars, total)
            header = None
            if chars[0] == "`":
                header = (special and special.match(rest)) or CHUNK_HEADER_RE.match(rest)
            if close >= total:
                what = f"chunk '{chars}{rest.strip()}'" if header else f"code fence '{chars}'"
                raise FenceError(f"{what} opened here is never closed", path, index + 1)
            if header:
                language = header.group(1).lower()
                languages.append(language)
                items.append(Chunk(index, close, indent, chars, rest, language))
            index = close + 1
            continue
        if "<!--" in line[:7] and COMMENT_START_RE.match(line):
            close = _comment_close(lines, index)
            if close >= total:
                return Scan(items, languages, open_comment=True)
            index = close + 1
            continue
        index += 1
    return Scan(items, languages)


# A line starting, after spaces, tabs or CRs, with backticks (groups: that lead, the backticks,
# the rest of the line), or with "~~~" or "<!--" (no groups). The first lookahead turns most
# lines (prose: a letter first) away before the groups are tried; the lead is taken whole
# (as in ``quickread``: an atomic group before Python 3.11, the same matches).
_BLOCK_LINE = re.compile(r"\n(?=[ \t\r`~<])(?=([ \t\r]*))\1(?:(`{3,})([^\n]*)|~~~|<!--)")


def backtick_fence_facts(text: str, language: str) -> tuple[bool, tuple[str, ...]] | None:
    """What a scan says of text whose only block syntax is backtick fences, found quickly.

    Every line ``scan`` acts on starts, after spaces or tabs, with "```", "~~~" or "<!--" (a
    fence, a comment, a marker; the closing "-->" of a comment counts only inside one). So
    for text in which no line starts with "~~~" or "<!--", only the lines starting with
    "```" open or close a block, and one regex pass finds them (and any line that rules this
    out) without splitting the text into lines. Returns (whether no chunk in ``language`` is
    among them, the chunk languages in order) when every fence is closed, else None (the
    caller scans the text as a whole).
    """
    # What ``scan`` does with those lines: each one either opens a backtick fence (a chunk
    # when its info string is a header), closes the open one, or is passed over. A backtick
    # fence preceded by anything but spaces, tabs or CRs is text to every test of ``scan``.
    languages: list[str] = []
    fence = ""  # the open fence's backticks, "" when none is open
    for match in _BLOCK_LINE.finditer("\n" + text):
        lead, ticks, rest = match.groups()
        if ticks is None:
            return None  # a line starting with "~~~" or "<!--": the caller scans it all
        if lead[:1] == "\r":
            continue  # not a candidate line (``_OPENER_FIRST_CHARACTERS``)
        if fence:  # inside a fence: only its closing line counts (``_fence_close``)
            if len(ticks) >= len(fence) and not rest.strip(" \t\r"):
                fence = ""
            continue
        # an opening fence (FENCE_RE, "`" within the first 8 characters), not inline code
        if "\r" in lead or len(lead) >= 8 or "`" in rest:
            continue
        fence = ticks
        header = CHUNK_HEADER_RE.match(rest)
        if header:
            languages.append(header.group(1).lower())
    if fence:
        return None  # left open: the caller scans the text as a whole (and says so)
    return language not in languages, tuple(languages)
