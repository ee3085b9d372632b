"""Title and description fallbacks from a Markdown body (nbpost.blog.read.text)."""

from __future__ import annotations

import pytest

from nbpost.blog.read.text import first_heading, first_paragraph, inline_text, truncate


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("plain words", "plain words"),
        ("a [link](https://x.y 'title') here", "a link here"),
        ("an ![image](a.png){width=50%} gone", "an gone"),
        ("**bold** and *em* and ~~del~~", "bold and em and del"),
        ("`code *not em*`", "code *not em*"),
        ("note[^1] and inline^[note]", "note and inline"),
        ("<b>html</b> &amp; entities", "html & entities"),
        ("[span]{.smallcaps} text", "span text"),
        ("escaped \\* star", "escaped * star"),
        ("a {{< video x >}} shortcode", "a shortcode"),
        ("<https://example.com>", "https://example.com"),
        ("spread\n  over   lines", "spread over lines"),
        ("snake_case_name stays", "snake_case_name stays"),
    ],
)
def test_inline_text(markdown: str, text: str) -> None:
    assert inline_text(markdown) == text


def test_truncate_at_a_word_boundary() -> None:
    assert truncate("short", 10) == "short"
    assert truncate("one two three four", 9) == "one two…"
    assert truncate("one two, three", 8) == "one two…"
    assert truncate("x" * 20, 5) == "xxxxx…"
    long = "word " * 100
    cut = truncate(long.strip())
    assert len(cut) <= 176 and cut.endswith("word…")


def test_first_heading_skips_code_and_strips_attributes() -> None:
    body = "```python\n# not a heading\n```\n\n## Real *one* {#sec-a .unnumbered}\n"
    assert first_heading(body) == "Real one"
    assert first_heading("Setext title\n============\n\ntext") == "Setext title"
    assert first_heading("no heading here") is None


def test_first_paragraph_skips_non_paragraph_blocks() -> None:
    body = "\n".join(
        [
            "# Title",
            "",
            "<!-- a comment",
            "spanning lines -->",
            "",
            "```{r}",
            "x <- 1",
            "```",
            "",
            "::: {.callout-note}",
            "$$",
            "x^2",
            "$$",
            "",
            "- a list item",
            "",
            "| a | table |",
            "",
            "<div>",
            "",
            "![only an image](a.png)",
            "",
            "> The first real",
            "> paragraph.",
            "",
            "Second paragraph.",
        ]
    )
    assert first_paragraph(body) == "The first real paragraph."
    assert first_paragraph("") is None
    assert first_paragraph("```\nonly code\n```\n") is None
