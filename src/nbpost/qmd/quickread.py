"""The reader's quick path: a post whose only block syntax is backtick fences, read by
positions in its text instead of by lines.

Most posts are front matter, prose and ```` ```{python} ```` chunks, and nothing else a scan
acts on: no line opening a ``~~~`` fence, an HTML comment or a cell marker, and no CR. In such
a text the only lines that open or close a block start with backticks after spaces or tabs;
one regex finds them (and any line that rules the quick path out), and each cell's source is
a slice of the text, where the full reader (``qmd.read``) splits the whole text into lines,
tests every candidate line and joins each cell's lines again. ``scan_text`` returns None for
any other text, and for text the full reader refuses (an unclosed fence or front matter), so
the caller reads it with the full reader, which gives the errors.
``tests/unit/test_quickread.py`` compares the two readers on generated posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..frontmatter import OPEN_RE
from ..model import LAYOUT_KEY, Cell
from . import cellopts
from .scan import CHUNK_HEADER_RE

BOM = "\ufeff"

# A line starting, after spaces or tabs, with backticks (groups: lead, backticks, rest), or
# with "~~~" or "<!--" (no group: the quick path does not read such a text). Searched from
# the newline before the line: a MULTILINE "^" would make the engine try every character;
# the first lookahead turns most lines (prose: a letter first) away before the groups are
# tried; the lead is taken whole (captured in a lookahead, then matched as that group: an
# atomic group before Python 3.11), so an indented line is not tried again at each blank
# of its indent (what follows the lead is never a space or a tab: the same matches).
_BLOCK_LINE = re.compile(r"\n(?=[ \t`~<])(?=([ \t]*))\1(?:(`{3,})([^\n]*)|~~~|<!--)")
_FIRST_BLOCK_LINE = re.compile(r"([ \t]*)(?:(`{3,})([^\n]*)|~~~|<!--)")
# The line closing front matter (``frontmatter.CLOSE_RE`` on text without CR).
_CLOSE_LINE = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n)")


@dataclass
class QuickChunk:
    """A chunk found by position: its opening line is ``text[start:end]``, its closing line
    ``text[close:close_end]`` (ends exclusive, each at the line's newline)."""

    start: int
    end: int
    close: int
    close_end: int
    indent: str
    fence: str
    header: str
    language: str  # lower-cased


@dataclass
class QuickScan:
    """What ``scan_text`` found: the same facts ``qmd.read.parse`` gathers from lines."""

    text: str  # the post without its BOM, ending with a newline
    facts: dict[str, Any]  # file-level layout facts, as ``split_lines`` gives them
    front_matter: str | None  # the ``---`` block as the lines joined, without final newline
    inner: str  # the YAML between the delimiters ("" without front matter)
    body_start: int  # where the first line after the front matter starts
    chunks: list[QuickChunk] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def scan_text(text: str) -> QuickScan | None:
    """Front matter and chunks of a post the quick path can read, else None."""
    facts: dict[str, Any] = {}
    if text.startswith(BOM):
        facts["bom"] = True
        text = text[1:]
    if not text or "\r" in text:
        return None  # CR: line ends to tell apart (``split_lines``), CRs kept in lines
    if not text.endswith("\n"):
        # the lines are the same as with a final newline (``split_lines``): one is added here
        # so that every line, the last too, ends at a newline
        facts["final_newline"] = False
        text += "\n"
    found = QuickScan(text, facts, None, "", 0)
    if text.startswith("---") and not _front_matter(found):
        return None
    return found if _find_chunks(found) else None


def _front_matter(found: QuickScan) -> bool:
    """Record the front matter as ``frontmatter.find_front_matter`` finds it; False when it
    is never closed (the full reader raises the error)."""
    text = found.text
    first = text.find("\n")
    second = text.find("\n", first + 1)
    # "---" alone on the first line, and a second line that is not blank (pandoc's rule)
    if not OPEN_RE.match(text, 0, first) or second < 0 or not text[first + 1 : second].strip():
        return True  # no front matter: the "---" line is text
    close = _CLOSE_LINE.search(text, first)  # the first closing line from the second line on
    if close is None:
        return False
    found.front_matter = text[: close.end()]
    found.inner = text[first + 1 : close.start()]  # "" when the second line closes it
    found.body_start = close.end() + 1
    return True


def _find_chunks(found: QuickScan) -> bool:
    """Find the chunks as ``scan.scan`` does; False when the text is not for the quick path.

    Every line ``scan`` acts on starts, after spaces or tabs, with "```", "~~~" or "<!--"
    (a fence, a comment, a marker); a text with one of the last two is left to the full
    reader. So the lines that count start with three or more backticks: each opens a fence
    (its backticks within the first 8 characters, no backtick in the rest: else inline code)
    or, while a fence is open, closes it (as many backticks or more, then only spaces or
    tabs); lines inside an open fence open nothing. A fence left open: False too.
    """
    text = found.text
    start = found.body_start
    matches: list[re.Match[str]] = []
    if start == 0 and (first := _FIRST_BLOCK_LINE.match(text)) is not None:
        matches.append(first)
    opened: QuickChunk | None = None
    open_fence = ""  # the open fence's backticks, "" when none is open
    for match in (*matches, *_BLOCK_LINE.finditer(text, max(start - 1, 0))):
        lead, ticks, rest = match.groups()
        if ticks is None:
            return False  # "~~~" or "<!--": a fence, comment or marker, maybe
        if open_fence:
            if len(ticks) >= len(open_fence) and not rest.strip(" \t"):
                if opened is not None:
                    opened.close, opened.close_end = match.start(1), match.end()
                    found.chunks.append(opened)
                open_fence, opened = "", None
            continue
        if len(lead) >= 8 or "`" in rest:
            continue
        open_fence = ticks
        header = CHUNK_HEADER_RE.match(rest)
        if header is not None:
            language = header.group(1).lower()
            found.languages.append(language)
            opened = QuickChunk(match.start(1), match.end(), 0, 0, lead, ticks, rest, language)
    return not open_fence


def text_cell(text: str, start: int, end: int, gap: list[str], cells: list[Cell]) -> list[str]:
    """Read ``text[start:end]`` (whole lines) as ``_CellBuilder.text`` does: blank lines
    join ``gap``, the lines from the first to the last non-blank one become a markdown cell.
    Returns the blank lines after that cell (or ``gap`` when all lines are blank)."""
    # A line is blank when str.strip() leaves nothing, that is when every character is one
    # str.isspace() accepts, "\n" among them: so the first and the last character that is
    # not a space are on the first and the last non-blank line.
    head = start
    while head < end and text[head].isspace():
        head += 1
    if head == end:
        if start < end:
            gap.extend(text[start : end - 1].split("\n"))
        return gap
    tail = end
    while text[tail - 1].isspace():
        tail -= 1
    first = text.rfind("\n", start, head) + 1 or start  # start of the first non-blank line
    last = text.find("\n", tail)  # end of the last one
    if first > start:
        gap.extend(text[start : first - 1].split("\n"))
    cell = Cell("markdown", text[first:last])
    cell.metadata[LAYOUT_KEY] = {"before": gap}
    cells.append(cell)
    return text[last + 1 : end - 1].split("\n") if last + 1 < end else []


def unindented(body: list[str], indent: str) -> list[str] | None:
    """A chunk's body lines without its fence's indent; None when a line that is not empty
    lacks it (the lines are then read as they are)."""
    if all(line.startswith(indent) or not line for line in body):
        return [line[len(indent) :] for line in body]
    return None


def chunk_cell(
    body: list[str],
    indent: str,
    fence: str,
    header: str,
    close: str,
    language: str,
    lift: bool = True,
) -> tuple[Cell, dict[str, Any]]:
    """A code cell from a chunk's body lines, with its layout facts (both readers).

    ``lift``: take the id, tags and slideshow out of the option lines (False after a
    ``<!-- cell code -->`` marker, which holds them instead)."""
    facts: dict[str, Any] = {"fence": fence, "header": header}
    if indent:
        facts["indent"] = indent
        stripped = unindented(body, indent)
        if stripped is None:
            facts["indent_raw"] = True
        else:
            body = stripped
    facts["close"] = close
    if not lift:
        split = cellopts.SplitOptions(body, None, {}, [], True)
    else:
        split = cellopts.split_options(body, language)
    if not split.canonical:
        facts["options"] = split.block
    if split.source_lines == [""]:
        facts["one_blank_line"] = True  # "" could also mean no line at all
    cell = Cell("code", "\n".join(split.source_lines), id=split.cell_id)
    cell.metadata.update(split.metadata)
    return cell, facts


def read_cells(found: QuickScan, language: str) -> tuple[list[Cell], list[str]]:
    """The body's cells (chunks in ``language`` and the text between), and the blank lines
    after the last one, as ``_CellBuilder`` makes them without markers."""
    text = found.text
    cells: list[Cell] = []
    gap: list[str] = []
    cursor = found.body_start
    prefix = cellopts.COMMENT_CHARS.get(language.lower(), "#")  # as option_pattern
    for chunk in found.chunks:
        if chunk.language != language:
            continue  # another language's chunk: text, kept inside the markdown
        gap = text_cell(text, cursor, chunk.start, gap, cells)
        body = text[chunk.end + 1 : chunk.close]  # its lines, each with its newline
        close = text[chunk.close : chunk.close_end]
        if chunk.indent or body.startswith(prefix):
            lines = body[:-1].split("\n") if body else []
            cell, facts = chunk_cell(
                lines, chunk.indent, chunk.fence, chunk.header, close, language
            )
        else:
            # no indent and no option line (an option line starts with the comment
            # characters): ``chunk_cell`` would keep the lines as they are, joined
            facts = {"fence": chunk.fence, "header": chunk.header, "close": close}
            if body == "\n":
                facts["one_blank_line"] = True
            cell = Cell("code", body[:-1])
        facts["before"] = gap
        cell.metadata[LAYOUT_KEY] = facts
        cells.append(cell)
        gap = []
        cursor = chunk.close_end + 1
    gap = text_cell(text, cursor, len(text), gap, cells)
    return cells, gap
