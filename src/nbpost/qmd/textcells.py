"""How a markdown or raw cell's text goes into a .qmd so that it reads back exactly and Quarto
shows it as text, never as code to run.

A notebook cell may hold what a .qmd cannot say plainly. Each case has one fix, recorded in
the cell's marker (``<!-- cell {...} -->``) and undone by the reader:

* **Chunk syntax** (a tutorial cell showing a fenced ```` ```{python} ```` example): Quarto
  would run it. The text is written with Quarto's own escape, a doubled brace
  (```` ```{{python}} ````, which Quarto shows as the chunk with single braces:
  ``engine-escape.lua`` in quarto-cli), and ``"escaped": true`` tells the reader to take one
  brace level off every chunk header line of the cell again. Escaping adds a level to every
  header line of the cell, whatever its depth, so taking one off is exact.
* **A block left open** (an unclosed ```` ``` ```` or ``<!--``, which Jupyter closes at the
  end of the cell but pandoc would run on into the next cells): a closing line is written
  after the text (``"close": "```"``) and dropped by the reader.
* **Blank or whitespace-only lines at either end**: the reader trims them (they separate
  cells in a .qmd), so they are kept in the marker: ``"lead"``/``"trail"``, a count of empty
  lines or the lines themselves.
* **Anything else that would not read back as one cell** (text holding a cell marker line,
  a plain raw cell that starts like a fenced raw block): ``"lines": N``, the next N lines
  are the cell, read without looking inside (the text is still escaped and closed for
  Quarto).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import FenceError, NbpostError
from .scan import FENCE_RE, RAW_HEADER_RE, Chunk, Marker, backtick_fence_facts, scan

# A fenced line whose info string is a brace group: ```{python}, ``` {{r echo=false}}, ...
# ``\s`` is Python's (Unicode) whitespace, a superset of the JavaScript ``\s`` in Quarto's
# chunk pattern (src/core/jupyter/jupyter.ts, quartoMdToJupyter), so every line Quarto would
# run is found.
_BRACED_FENCE = re.compile(r"(\s*```+\s*)(\{+)(.*?)(\s*)\Z", re.DOTALL)
# The start of a chunk header's body: a language word, then attributes after a space or comma.
_WORD_LANGUAGE = re.compile(r"([A-Za-z][A-Za-z0-9_.]*)(?:[ ,].*)?\Z", re.DOTALL)

# Chunk languages Quarto itself handles in every engine (rendered the same from a notebook's
# markdown): never escaped for the knitr engine, which runs every other language.
QUARTO_HANDLED = frozenset({"ojs", "mermaid", "dot"})

Executable = Callable[[str], bool]


def executable_for(language: str, knitr: bool) -> Executable:
    """Which chunk languages Quarto would run in a post: the kernel's (jupyter engine), or
    every language knitr has an engine for (knitr engine)."""
    if knitr:
        return lambda name: name.lower() not in QUARTO_HANDLED
    return lambda name: name.lower() == language


def _header(line: str, language: str) -> tuple[str, int, str, str, str] | None:
    """(prefix, brace depth, body, suffix, language) of a chunk header line, else None.

    The depth is the number of opening braces; the line must end with at least as many
    closing ones, and exactly that many are taken off the end (so a body may end in ``}``).
    """
    if "`" not in line or "{" not in line:
        return None
    match = _BRACED_FENCE.match(line)
    if match is None:
        return None
    prefix, braces, rest, suffix = match.groups()
    depth = len(braces)
    if len(rest) - len(rest.rstrip("}")) < depth:
        return None
    body = rest[:-depth]
    if (
        language
        and body[: len(language)].lower() == language
        and (len(body) == len(language) or body[len(language)] in " ,")
    ):
        return prefix, depth, body, suffix, language
    word = _WORD_LANGUAGE.match(body)
    if word is None:
        return None
    return prefix, depth, body, suffix, word.group(1)


# Backticks, then (after spaces) a brace: the start of every chunk header line.
# (spelled with a literal "```" first: the regex engine then finds candidates as quickly as
# str.find, about twenty times quicker than with "`{3,}")
_HEADER_START = re.compile(r"```+\s*\{")


def needs_escape(lines: list[str], language: str, executable: Executable) -> bool:
    """Whether a line would run as a chunk: Quarto's view (any nesting) or nbpost's reader's."""
    return text_needs_escape("\n".join(lines), language, executable)


def text_needs_escape(text: str, language: str, executable: Executable) -> bool:
    """``needs_escape`` for text not split into lines yet (it rarely needs to be)."""
    if "{" not in text:
        return False
    # Only a line where a search from its start finds "```" then "{" can be a header line
    # (``_header``: blanks, backticks, blanks, a brace): searched from each line's start on,
    # the regex stops at every such line, so the lines between are never cut out or tested.
    start = 0
    while (match := _HEADER_START.search(text, start)) is not None:
        first = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        if end < 0:
            end = len(text)
        found = _header(text[first:end], language)
        if found is not None and found[1] == 1 and executable(found[4]):
            return True
        start = end
    return False  # most text: fences with a plain info string (```python), or none


def escape(lines: list[str], language: str) -> list[str]:
    """Every chunk header line one brace level deeper (``{python}`` -> ``{{python}}``)."""
    out = []
    for line in lines:
        found = _header(line, language)
        if found is not None:
            prefix, depth, body, suffix, _ = found
            line = f"{prefix}{'{' * (depth + 1)}{body}{'}' * (depth + 1)}{suffix}"
        out.append(line)
    return out


def unescape(lines: list[str], language: str) -> list[str]:
    """The inverse of ``escape``: every header line at depth 2 or more loses one level."""
    out = []
    for line in lines:
        found = _header(line, language)
        if found is not None and found[1] > 1:
            prefix, depth, body, suffix, _ = found
            line = f"{prefix}{'{' * (depth - 1)}{body}{'}' * (depth - 1)}{suffix}"
        out.append(line)
    return out


# A writer asks the same two questions of a cell (does it read back as itself, which chunk
# languages does it show); a small cache answers the second from the first scan.
@functools.lru_cache(maxsize=256)
def text_facts(source: str, language: str) -> tuple[bool, tuple[str, ...]]:
    """(whether the text reads back as itself, the chunk languages it shows), in one scan."""
    if not may_need_care(source):
        return True, ()  # no "```", "~~~" or "<!--" at all: no line opens a block
    # one pass over the lines that may open a block (None: one starts a comment or a tilde
    # fence, or a fence is left open)
    quick = backtick_fence_facts(source, language)
    if quick is not None:
        return quick
    lines = source.split("\n")
    sentinel = ["```{" + language + "}", "```"]
    try:
        found = scan([*lines, *sentinel], 0)
    except Exception:
        return False, _plain_languages(lines)
    items = found.items
    if not items or not isinstance(items[-1], Chunk) or items[-1].open != len(lines):
        return False, _plain_languages(lines)  # something left open swallowed the sentinel
    clean = not any(not isinstance(item, Chunk) or item.language == language for item in items[:-1])
    return clean, tuple(found.languages[:-1])


def _plain_languages(lines: list[str]) -> tuple[str, ...]:
    try:
        return tuple(scan(lines, 0).languages)
    except Exception:
        return ()


def split_edges(source: str) -> tuple[list[str], list[str], list[str]]:
    """(leading blank lines, the lines between, trailing blank lines) of a cell's source.

    Whitespace-only lines count as blank. An empty source has no lines at all; a source of
    blank lines only is all leading.
    """
    if not source:
        return [], [], []
    lines = source.split("\n")
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[:start], lines[start:end], lines[end:]


def pack(lines: list[str]) -> int | list[str]:
    """Edge lines for a marker: how many when all are empty, else the lines themselves."""
    return list(lines) if any(lines) else len(lines)


def unpack(value: Any) -> list[str]:
    """The edge lines a marker value stands for (tolerating junk: it may be hand-edited)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [""] * max(0, min(value, 10_000))
    if isinstance(value, list) and all(
        isinstance(item, str) and "\n" not in item and not item.strip() for item in value
    ):
        return list(value)
    return []


@dataclass(frozen=True)
class ScanFacts:
    """What the scanner makes of some text on its own."""

    clean: bool  # no chunk in the language and no marker (with ``close`` appended)
    close: str | None  # the line closing a fence or comment the text leaves open
    readable: bool = True  # False: nothing found makes it read back (a marker too deep...)


@functools.lru_cache(maxsize=512)
def scan_facts(text: str, language: str) -> ScanFacts:
    """``ScanFacts`` for text (cached: a writer asks the same of a cell several times)."""
    if text_facts(text, language)[0]:
        return ScanFacts(True, None)  # reads back as itself (quick paths for most text)
    lines = text.split("\n")
    close = None
    try:
        try:
            found = scan(lines, 0)
        except FenceError as exc:
            opener = FENCE_RE.match(lines[(exc.line or 1) - 1])
            close = opener.group(2) if opener else "```"
            found = scan([*lines, close], 0)
        if found.open_comment and close is None:
            close = "-->"
            found = scan([*lines, close], 0)
    except NbpostError:
        return ScanFacts(False, None, readable=False)
    if found.open_comment:
        return ScanFacts(False, None, readable=False)
    clean = not any(
        isinstance(item, Marker) or (isinstance(item, Chunk) and item.language == language)
        for item in found.items
    )
    return ScanFacts(clean, close)


@dataclass
class TextForm:
    """How one text cell is written: its marker data and the lines after the marker.

    ``lines`` is given, or made from ``text`` when first asked for (most cells are written
    whole, as the source they are, and never split).
    """

    data: dict[str, Any]
    written: list[str] | None = None  # the cell's lines as written (escaped, closing line)
    text: str | None = None  # or the text as it is, when nothing changes it

    @property
    def lines(self) -> list[str]:
        """The lines written after the marker."""
        if self.written is None:
            self.written = self.text.split("\n") if self.text else []
        return self.written

    @property
    def empty(self) -> bool:
        """Whether nothing but the marker is written."""
        return not self.text if self.written is None else not self.written


def text_form(
    source: str,
    language: str,
    executable: Executable,
    *,
    literal: bool = False,
    raw: bool = False,
    last: bool = False,
) -> TextForm:
    """How a markdown or plain raw cell's source is written (see the module docstring).

    ``literal`` (a layout fact from a .qmd that showed chunk syntax inside a fence or a
    comment) writes the text as it is while it still reads back as itself; ``last`` lets a
    comment left open at the end of the post stay open (nothing follows it to swallow).
    """
    data: dict[str, Any] = {}
    text = source
    # a blank (whitespace-only) line at an end: the text starts or ends with whitespace
    if source[:1].isspace() or source[-1:].isspace():
        lead, body, trail = split_edges(source)
        if lead:
            data["lead"] = pack(lead)
        if trail:
            data["trail"] = pack(trail)
        text = "\n".join(body)
    if not text or not may_need_care(text):
        # most text: nothing the scanner acts on, written as it is (never split into lines)
        if raw and text and _starts_fenced_raw([text.split("\n", 1)[0]]):
            data["lines"] = text.count("\n") + 1
        return TextForm(data, text=text)
    facts = scan_facts(text, language)
    if literal and facts.clean and (facts.close is None or (last and facts.close == "-->")):
        return TextForm(data, text=text)
    escape_it = text_needs_escape(text, language, executable)
    if not escape_it and facts.clean and facts.close is None and not raw:
        return TextForm(data, text=text)  # fences and comments that read back as they are
    body = text.split("\n")
    if escape_it:
        body = escape(body, language)
        data["escaped"] = True
        facts = scan_facts("\n".join(body), language)
    count = len(body)
    if facts.close is not None:
        data["close"] = facts.close
        body = [*body, facts.close]
    if not facts.clean or not facts.readable or (raw and _starts_fenced_raw(body)):
        data["lines"] = count
    return TextForm(data, body)


def block_form(
    source: str, language: str, executable: Executable, *, literal: bool = False
) -> TextForm:
    """How a raw cell with a format is written inside its ```` ```{=html} ```` fence: every
    line as it is (the reader does not look inside), escaped only for Quarto, which would run
    a chunk header line even there (``quartoMdToJupyter`` ignores nesting)."""
    lines = source.split("\n") if source else []
    if not literal and needs_escape(lines, language, executable):
        return TextForm({"escaped": True}, escape(lines, language))
    return TextForm({}, lines)


def changes_text(source: str, language: str, executable: Executable, last: bool) -> bool:
    """Whether ``text_form`` would escape or close text as a .qmd holds it (then the reader
    records the ``literal`` layout fact, so the post comes back byte for byte)."""
    form = text_form(source, language, executable, last=last)
    return "escaped" in form.data or "close" in form.data


def may_need_care(text: str) -> bool:
    """Whether text holds anything the scanner acts on (a fence, a comment, a marker)."""
    # one-character searches first: quicker than a longer one, and most text fails them
    return (
        ("`" in text and "```" in text)
        or ("~" in text and "~~~" in text)
        or ("<" in text and "<!--" in text)
    )


def _starts_fenced_raw(body: list[str]) -> bool:
    head = body[0].lstrip(" \t") if body else ""
    fence = head[: len(head) - len(head.lstrip("`"))]
    return len(fence) >= 3 and RAW_HEADER_RE.match(head[len(fence) :]) is not None


def read_text(lines: list[str], data: dict[str, Any], language: str) -> str:
    """A text cell's source from the lines read after its marker (``text_form`` undone)."""
    close = data.get("close")
    if isinstance(close, str) and lines and lines[-1] == close:
        lines = lines[:-1]
    if data.get("escaped") is True:
        lines = unescape(lines, language)
    return "\n".join(unpack(data.get("lead")) + lines + unpack(data.get("trail")))


# Marker keys that are reading instructions for the text, not cell metadata.
TEXT_KEYS = frozenset({"lines", "lead", "trail", "escaped", "close"})
