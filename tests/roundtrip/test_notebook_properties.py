"""Notebooks written the way Jupyter users write them, through a .qmd and back (hypothesis).

The strategy draws what real notebooks hold and a plain .qmd cannot say: blank and
whitespace-only lines at either end of a cell, CRLF and tabs, markdown showing fences and
chunk syntax (closed or not, nested or not, in comments), raw cells with and without a
trailing newline or a format, a first raw cell of front matter (or of invalid YAML), empty
cells, tags, attachments, and kernels whose language is not a word. Each property is one of
the converter's guarantees (see nbpost.roundtrip and the README):

* ipynb -> qmd -> ipynb keeps every cell's type and exact source (and ids with --with-ids);
* converting the .qmd back onto the notebook gives back the notebook itself;
* the .qmd itself comes back byte for byte (qmd -> ipynb -> qmd);
* every chunk Quarto would run in the .qmd is exactly one code cell, in order, and no
  markdown cell's text runs (checked against quartomodel, written from Quarto's source).
"""

from __future__ import annotations

import base64
import copy
import json
import os
from typing import Any

import nbformat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quartomodel import (
    front_matter_kernel_refused,
    jupyter_chunks,
    knitr_chunks,
    repeated_option_keys,
)

from nbpost import attachments, ipynb, qmd, roundtrip
from nbpost.ipynb.outputs import carry_outputs
from nbpost.qmd.cellopts import comment_chars
from nbpost.qmd.markers import keeps_options
from nbpost.qmd.write import chunk_lines

KERNELS = [
    {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    {"display_name": "Python 3", "language": "python", "name": "python3"},
    {"display_name": "R", "language": "R", "name": "ir"},
    {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
    {"display_name": "Wolfram Language 13.1", "language": "Wolfram Language", "name": "wl"},
    {"display_name": "Julia 1.10", "language": "julia", "name": "julia-1.10"},
    # valid for nbformat, refused by Quarto in a .qmd: nbpost completes them there
    {"display_name": "Python 3", "name": "python3"},  # quarto-cli#12374
    {"name": "ir", "display_name": "R"},  # not in JSON order
]
# language_info for a kernelspec without a language (Quarto takes its name then)
LANGUAGE_INFOS = [None, {"name": "python"}, {"name": "R", "version": "4.3.1"}]

TEXT_LINES = [
    "Some *prose*.",
    "## A heading",
    "- a list item",
    "    indented code",
    "\tTab-indented",
    "",
    "",
    "   ",
    "\t",
    "            ",
    ":::",
    "::: {.callout-note}",
    "---",
    "$$x^2$$",
    "```",
    "````",
    "```python",
    "```{python}",
    "```{python echo=false}",
    " ```{python}",
    "```{r}",
    "```{R}",
    "```{c#}",
    "```{wolfram language}",
    "```{julia}",
    "```{{python}}",
    "```{{{r}}}",
    "```{=html}",
    "````markdown",
    "~~~",
    "<!--",
    "-->",
    "<!-- a comment -->",
    "<!-- cell -->",
    '<!-- cell {"lines": 2} -->',
    "#| echo: false",
    "x = `1`",
    "![pasted](attachment:image.png)",
    "café \u00a0```{python}",
    "\u00a0```{python}",
]
CODE_LINES = [
    "x = 1",
    "",
    "  ",
    "print('```')",
    "```",
    "````",
    "```{python}",
    "#| echo: false",
    "#| hide",  # nbdev's directives: option lines without a key
    "#| export",
    "#|default_exp core",
    "#| id: mine",  # the author's own lines that nbpost lifts out of a .qmd's chunks
    "#| tags: [a]",
    "#| slideshow: {slide_type: skip}",
    "\tindented()",
    "# comment",
    "'''",
]

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nimage").decode("ascii")


def joined(lines: list[str], crlf: bool, final: str) -> str:
    return ("\r\n" if crlf else "\n").join(lines) + final


@st.composite
def text_source(draw: st.DrawFn, pool: list[str]) -> str:
    lines = draw(st.lists(st.sampled_from(pool), max_size=7))
    if not lines and draw(st.booleans()):
        return ""
    final = draw(st.sampled_from(["", "", "", "\n", "\n\n", "\r\n", "\n  "]))
    return joined(lines, draw(st.sampled_from([False, False, False, True])), final)


@st.composite
def cells(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["markdown", "markdown", "markdown", "code", "code", "raw"]))
    cell: dict[str, Any] = {"cell_type": kind, "metadata": {}}
    if kind == "code":
        cell["source"] = draw(text_source(CODE_LINES))
        cell["outputs"] = draw(
            st.sampled_from([[], [{"output_type": "stream", "name": "stdout", "text": "1\n"}]])
        )
        cell["execution_count"] = 1 if cell["outputs"] else None
    else:
        cell["source"] = draw(text_source(TEXT_LINES))
    if kind == "raw" and draw(st.booleans()):
        cell["metadata"]["raw_mimetype"] = draw(
            st.sampled_from(["text/html", "text/latex", "text/x-custom", "application/pdf"])
        )
    if draw(st.sampled_from([False, False, False, True])):
        tags = st.lists(st.sampled_from(["hide", "a b", "x-->y"]), max_size=2, unique=True)
        cell["metadata"]["tags"] = draw(tags)
    if kind == "markdown" and draw(st.sampled_from([False, False, False, True])):
        cell["attachments"] = {"image.png": {"image/png": PNG}}
        cell["source"] += "\n![pasted](attachment:image.png)"
    return cell


FRONT_MATTER = st.sampled_from(
    [
        "---\ntitle: Hello\n---",
        "---\ntitle: Hello\n---\n",
        "---\ntitle: Hello\n---\n\n",
        "\n---\ntitle: Hello\n---",
        "---\ntitle: 'Quoted: yes'\ncategories: [a, b]\n---\n",
        "---\ntitle: [invalid\n---\n",
        "---\r\ntitle: Windows\r\n---\r\n",
    ]
)


@st.composite
def notebooks(draw: st.DrawFn) -> dict[str, Any]:
    cell_list = draw(st.lists(cells(), max_size=6))
    if draw(st.booleans()):
        kind = draw(st.sampled_from(["raw", "raw", "markdown"]))
        cell_list.insert(0, {"cell_type": kind, "metadata": {}, "source": draw(FRONT_MATTER)})
    for number, cell in enumerate(cell_list):
        cell["id"] = f"c{number}"
    metadata: dict[str, Any] = {}
    kernel = draw(st.sampled_from([None, *KERNELS]))
    if kernel is not None:
        metadata["kernelspec"] = dict(kernel)
        if "language" not in kernel:
            info = draw(st.sampled_from(LANGUAGE_INFOS))
            if info is not None:
                metadata["language_info"] = dict(info)
    return {"cells": cell_list, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


# NBPOST_EXAMPLES=5000 runs a longer search by hand; CI runs the default.
SETTINGS = settings(
    max_examples=int(os.environ.get("NBPOST_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def as_text(data: dict[str, Any], with_ids: bool = False) -> str:
    doc = ipynb.to_document(copy.deepcopy(data))
    attachments.extract(doc, attachments.folder_for("post.qmd"))
    return qmd.emit(doc, with_ids=with_ids)


@SETTINGS
@given(notebooks(), st.booleans())
def test_every_cell_comes_back_exactly_through_the_text(
    data: dict[str, Any], with_ids: bool
) -> None:
    difference = roundtrip.notebook_difference(json.dumps(data), with_ids=with_ids)
    assert difference is None, f"{difference}\n{as_text(data, with_ids)}"


@SETTINGS
@given(notebooks())
def test_converting_the_text_back_onto_the_notebook_gives_the_notebook(
    data: dict[str, Any],
) -> None:
    text = as_text(data)
    new = qmd.parse(text)
    carry_outputs(new, ipynb.to_document(copy.deepcopy(data)), attachments.folder_for("post.qmd"))
    again = json.loads(ipynb.dumps(ipynb.to_notebook(new)))
    expected = json.loads(ipynb.dumps(ipynb.to_notebook(ipynb.to_document(copy.deepcopy(data)))))
    assert again == expected, text
    nbformat.validate(nbformat.from_dict(again))


@SETTINGS
@given(notebooks())
def test_the_text_written_from_a_notebook_comes_back_byte_for_byte(data: dict[str, Any]) -> None:
    text = as_text(data)
    assert roundtrip.text_difference(text) is None, text


@SETTINGS
@given(notebooks())
def test_quarto_runs_exactly_the_code_cells(data: dict[str, Any]) -> None:
    """Every chunk Quarto runs in the text is one code cell as nbpost wrote it, in order."""
    text = as_text(data)
    doc = ipynb.to_document(copy.deepcopy(data))
    language = doc.language
    written = [
        [
            line.rstrip("\r")
            for line in chunk_lines(cell, language, False, keeps_options(cell, language))[1:-1]
        ]
        for cell in doc.cells
        if cell.cell_type == "code"
    ]
    if language == "r" and "jupyter:" not in text:
        chunks = [body for _, body in knitr_chunks(text)]
    else:
        chunks = jupyter_chunks(text, language)
    # Quarto reads lines split at \r?\n (Deno's lines()): a CRLF cell's lines lose the CR
    assert chunks == written, text
    # and takes the kernel from the front matter: a kernelspec it can read
    assert not front_matter_kernel_refused(text), text
    # and refuses a chunk whose option lines give a key twice: nbpost never writes one that
    # the cell's own source does not hold (Quarto refuses that cell in the notebook too)
    comment = comment_chars(language)
    sources = [cell.source.split("\n") for cell in doc.cells if cell.cell_type == "code"]
    for body, source in zip(chunks, sources, strict=True):
        repeated = repeated_option_keys(body, comment)
        assert repeated == repeated_option_keys(source, comment), text


@SETTINGS
@given(notebooks())
def test_every_marker_is_one_html_comment_that_shows_nothing(data: dict[str, Any]) -> None:
    from nbpost.qmd.scan import parse_marker

    for line in as_text(data).split("\n"):
        if line.startswith("<!-- ") and parse_marker(line, 0) is not None:
            # the comment ends where the line does: nothing of the marker becomes text
            assert line.index("-->") == len(line) - 3 and "--!>" not in line, line
