"""Plain-text fallbacks from a post body: the first heading (title) and first paragraph.

Quarto fills these in from the rendered HTML (``h1``/first ``<p>``). We have only the
Markdown, so we read it block by block: code chunks, raw blocks, HTML blocks and comments,
display maths, tables, lists and div fences are skipped; inline Markdown is reduced to its text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_DESCRIPTION_CHARS = 175  # Quarto's default max-description-length
ELLIPSIS = "…"

ATX_HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
SETEXT_RE = re.compile(r" {0,3}(=+|-+)[ \t]*$")
FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
DIV_FENCE_RE = re.compile(r" {0,3}:{3,}")
LIST_ITEM_RE = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
HTML_BLOCK_RE = re.compile(r" {0,3}</?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$)")
SHORTCODE_ONLY_RE = re.compile(r"\s*\{\{<.*>\}\}\s*$")
THEMATIC_BREAK_RE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")

ATTRIBUTES_RE = re.compile(r"\s*\{[^{}]*\}\s*$")
IMAGE_RE = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)(?:\{[^}]*\})?")
LINK_RE = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)(?:\{[^}]*\})?")
REF_LINK_RE = re.compile(r"\[([^\[\]]+)\]\[[^\]]*\]")
SPAN_RE = re.compile(r"\[([^\[\]]*)\]\{[^}]*\}")
FOOTNOTE_RE = re.compile(r"\[\^[^\]]*\]|\^\[[^\]]*\]")
AUTOLINK_RE = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->")
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
EMPHASIS_RE = re.compile(r"(\*{1,3}|~~)(?=\S)(.+?)(?<=\S)\1")
# Pandoc does not treat intraword underscores as emphasis (snake_case_names stay).
UNDERSCORE_RE = re.compile(r"(?<![\w])(_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w])")
SHORTCODE_RE = re.compile(r"\{\{<.*?>\}\}")
ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
ENTITY_RE = re.compile(r"&(?:amp|lt|gt|quot|nbsp|#39);")
ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&nbsp;": " ", "&#39;": "'"}


MARKUP_RE = re.compile(r"[*_`<\[\]!&\\{~^]")


def inline_text(markdown: str) -> str:
    """Reduce inline Markdown to plain text: links keep their text, images and notes go."""
    if not MARKUP_RE.search(markdown):
        return " ".join(markdown.split())
    text = SHORTCODE_RE.sub("", markdown)
    codes: list[str] = []

    def keep_code(match: re.Match[str]) -> str:
        codes.append(match.group(2).strip())
        return f"\x00{len(codes) - 1}\x00"

    text = CODE_SPAN_RE.sub(keep_code, text)
    text = IMAGE_RE.sub("", text)
    text = FOOTNOTE_RE.sub("", text)
    for _ in range(3):  # nested link/span text
        text = LINK_RE.sub(r"\1", text)
        text = SPAN_RE.sub(r"\1", text)
    text = REF_LINK_RE.sub(r"\1", text)
    text = AUTOLINK_RE.sub(r"\1", text)
    text = HTML_TAG_RE.sub("", text)
    for _ in range(2):
        text = EMPHASIS_RE.sub(r"\2", text)
        text = UNDERSCORE_RE.sub(r"\2", text)
    text = ESCAPE_RE.sub(r"\1", text)
    text = ENTITY_RE.sub(lambda m: ENTITIES[m.group(0)], text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: codes[int(m.group(1))], text)
    return " ".join(text.split())


def truncate(text: str, limit: int = MAX_DESCRIPTION_CHARS) -> str:
    """Cut text at a word boundary to at most ``limit`` characters, adding ``…`` when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if text[limit] != " " and space > 0:  # the cut falls inside a word: drop that word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def _past_block(lines: list[str], index: int, stripped: str) -> int | None:
    """The index after a code fence, HTML comment or display math block opening at ``index``;
    None when no such block opens there."""
    fence = FENCE_RE.match(lines[index])
    if fence:
        marker = fence.group(1)
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(marker):
            index += 1
        return index + 1
    if stripped.startswith("<!--"):
        while index < len(lines) and "-->" not in lines[index]:
            index += 1
        return index + 1
    if stripped.startswith("$$"):
        if stripped == "$$" or not stripped.endswith("$$") or len(stripped) < 4:
            index += 1
            while index < len(lines) and "$$" not in lines[index]:
                index += 1
        return index + 1
    return None


def _is_skipped_line(line: str, stripped: str, in_paragraph: bool) -> bool:
    """Whether a line is a block no description comes from (a div fence, a list, a table...)."""
    return bool(
        DIV_FENCE_RE.match(line)
        or THEMATIC_BREAK_RE.match(line)
        or SHORTCODE_ONLY_RE.match(line)
        or (not in_paragraph and (LIST_ITEM_RE.match(line) or stripped.startswith("|")))
        or (not in_paragraph and HTML_BLOCK_RE.match(line))
        or (not in_paragraph and line.startswith(("    ", "\t")))
    )


def _blocks(body: str) -> Iterator[tuple[str, list[str]]]:
    """Yield Markdown (kind, lines) blocks lazily, kind being heading, paragraph or skip."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    paragraph: list[str] = []

    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        after = _past_block(lines, index, stripped)
        heading = ATX_HEADING_RE.match(line) if after is None else None
        if after is not None or heading:
            if paragraph:
                yield ("paragraph", paragraph)
                paragraph = []
            if heading:
                yield ("heading", [heading.group(2)])
            index = after if after is not None else index + 1
            continue
        if paragraph and len(paragraph) == 1 and SETEXT_RE.match(line) and stripped:
            yield ("heading", [paragraph[0]])
            paragraph = []
        elif not stripped or _is_skipped_line(line, stripped, bool(paragraph)):
            if paragraph:
                yield ("paragraph", paragraph)
                paragraph = []
            if stripped:
                yield ("skip", [line])
        else:
            paragraph.append(stripped[1:].strip() if stripped.startswith(">") else stripped)
        index += 1
    if paragraph:
        yield ("paragraph", paragraph)


def first_heading(body: str) -> str | None:
    """The text of the first heading of a Markdown body (attributes stripped), or None."""
    for kind, lines in _blocks(body):
        if kind == "heading":
            text = inline_text(ATTRIBUTES_RE.sub("", lines[0]))
            if text:
                return text
    return None


def first_paragraph(body: str) -> str | None:
    """The plain text of the first paragraph with words in it (not cut), or None."""
    for kind, lines in _blocks(body):
        if kind == "paragraph":
            text = inline_text(" ".join(lines))
            if text:
                return text
    return None
