"""The reader's quick path (``nbpost.qmd.quickread``) gives what the full reader gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbpost import ipynb
from nbpost.errors import NbpostError
from nbpost.qmd import quickread, read

# Lines of text, the awkward ones among them: blank lines of spaces, tabs and other
# whitespace, fence-like lines that open nothing (inline code, two backticks, 8 spaces),
# front-matter delimiters in the body.
LINES = [
    "Some text.",
    "# A heading",
    "",
    "",
    "  ",
    "\t",
    " \x0c ",
    "\u00a0",
    "\x0b",
    "\u2028",
    "``` ```",
    "```x```",
    "`` ``",
    "        ```{python}",
    "-->",
    "text <!-- not at the start -->",
    "a ~~~ b",
    "---",
    "...",
    "title: x",
]
# Fenced blocks: chunks (other languages, indented, long fences, escaped, header variants),
# raw blocks, display fences, and a fence never closed.
OPENERS = [
    "```{python}",
    "```{python echo=false}",
    "``` {python}",
    "````{python}",
    "```{r}",
    "```{julia}",
    "  ```{python}",
    "\t```{python}",
    "       ```{python}",
    "```{{python}}",
    "```{=html}",
    "```python",
    "````markdown",
    "```",
    "```{python}`",
]
BODIES = [
    "x = 1",
    "",
    "  ",
    "#| echo: false",
    "#| label: fig-a",
    "#|tags: [a, b]",
    "# |x: 1",
    "  y = 2",
    "\tz()",
    "```{python}",
    "```",
    "   ```{python}",
]
CLOSERS = ["```", "````", "  ```  ", "```\t", "          ```", "``", "``` x", "~~~"]
# Lines that send a post to the full reader (a tilde fence, a comment, a marker, a CR).
OTHER_LINES = [
    "~~~",
    "~~~{python}",
    "  ~~~",
    "<!-- cell -->",
    '<!-- cell raw {"tags": ["t"]} -->',
    "<!--",
    "   <!-- x -->",
    "\r",
    "x\r",
]


@st.composite
def blocks(draw: st.DrawFn) -> list[str]:
    """A line of text, or a fenced block (opener, body lines, closer)."""
    if draw(st.booleans()):
        return [draw(st.sampled_from(LINES))]
    body = draw(st.lists(st.sampled_from(BODIES), max_size=4))
    return [draw(st.sampled_from(OPENERS)), *body, draw(st.sampled_from(CLOSERS))]


@st.composite
def posts(draw: st.DrawFn) -> str:
    """A post: maybe front matter, text and blocks, maybe CRLF, a BOM, no final newline."""
    parts: list[str] = []
    if draw(st.booleans()):
        head = draw(st.sampled_from(["---", "--- ", "---\t"]))
        keys = draw(
            st.lists(
                st.sampled_from(["title: A", "jupyter: python3", "engine: knitr", "", "..."]),
                max_size=3,
            )
        )
        close = draw(st.sampled_from(["---", "...", "--- ", "", "----"]))
        parts.extend([head, *keys, close])
    lines = [line for block in draw(st.lists(blocks(), max_size=8)) for line in block]
    if draw(st.integers(0, 3)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(OTHER_LINES)))
    parts.extend(lines)
    text = "\n".join(parts)
    if draw(st.booleans()):
        text += "\n"
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", "\r\n")
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


def _full(text: str) -> object:
    """What the full reader gives: the Document, or the error (type and message)."""
    try:
        return read._parse_lines(text, "post.qmd", None)
    except NbpostError as exc:
        return (type(exc), str(exc))


def _quick(text: str) -> object:
    """What ``parse`` (quick path first) gives: the Document, or the error."""
    try:
        return read.parse(text, "post.qmd")
    except NbpostError as exc:
        return (type(exc), str(exc))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts())
def test_the_quick_path_reads_what_the_full_reader_reads(text: str) -> None:
    assert _quick(text) == _full(text)


@settings(max_examples=500, deadline=None)
@given(posts())
def test_the_quick_path_takes_only_text_without_other_block_syntax(text: str) -> None:
    other_block = re.compile(r"^[ \t]*(?:~~~|<!--)", re.MULTILINE)
    found = quickread.scan_text(text)
    if found is not None:  # (the front matter is YAML, read by libyaml: anything goes there)
        assert "\r" not in text and not other_block.search(found.text[found.body_start :])


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: A\n---\n\nText.\n\n```{python}\nx = 1\n```\n",
        "Text\n```{python}\n\n```\n\n\n  \n",
        "```{python}\n```\n```{r}\n1\n```",
        "  \n\t\nText\n\n````{python}\n#| echo: false\nx\n````\nmore\n",
        "```{=html}\n<b>x</b>\n```\n```python\n```{python}\n```\n",
        "---\n---\nText <!-- inline -->\n",
    ],
)
def test_posts_of_the_common_kinds_take_the_quick_path(text: str) -> None:
    assert quickread.scan_text(text) is not None
    doc = read.parse(text)
    assert doc == read._parse_lines(text, None, None)
    assert ipynb.dumps(ipynb.to_notebook(doc)) == ipynb.dumps(
        ipynb.to_notebook(read._parse_lines(text, None, None))
    )


@pytest.mark.parametrize(
    "text",
    [
        "Text\r\n",
        "~~~\ncode\n~~~\n",
        "<!-- cell -->\nText\n",
        "  <!-- a comment -->\n",
        "```{python}\nnever closed\n",
        "---\ntitle: never closed\n",
        "",
    ],
)
def test_other_posts_are_left_to_the_full_reader(text: str) -> None:
    assert quickread.scan_text(text) is None


@pytest.mark.corpus
def test_every_corpus_post_reads_the_same_both_ways(corpus_dir: Path) -> None:
    quick = 0
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix not in (".qmd", ".md") or path.name == "MANIFEST.md":
            continue
        text = path.read_text(encoding="utf-8")
        quick += quickread.scan_text(text) is not None
        assert _quick(text) == _full(text), path
    assert quick > 500  # the quick path is the common one
