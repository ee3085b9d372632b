"""Property-based round trips: posts assembled from the pieces real posts are made of."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbpost import api, ipynb, qmd, roundtrip
from nbpost.errors import FrontMatterError

WORDS = st.sampled_from(
    ["Text", "café", "データ", "*emph*", "`code`", "a & b", "<b>x</b>", "$x^2$", "{{< video a >}}"]
)
PROSE = st.lists(WORDS, min_size=1, max_size=4).map(" ".join)
BLANKS = st.sampled_from(["", "\n", "\n\n", "  \n", "\n\t\n"])


@st.composite
def chunk(draw: st.DrawFn) -> str:
    fence = "`" * draw(st.integers(3, 5))
    header = draw(
        st.sampled_from(["{python}", "{python echo=false}", "{python #fig-a}", " {python}", "{r}"])
    )
    options = draw(
        st.lists(
            st.sampled_from(
                ["#| echo: false", "#| label: fig-a", "#|tags: [a,b]", "#| tags: [x]", "# |x: 1"]
            ),
            max_size=3,
        )
    )
    body = draw(
        st.lists(st.sampled_from(["x = 1", "", "  y()", "```", "print('```')"]), max_size=4)
    )
    body = [line for line in body if not (line.strip("`") == "" and len(line) >= len(fence))]
    indent = draw(st.sampled_from(["", "", "  "]))
    lines = [fence + header, *options, *body, fence]
    return "\n".join(indent + line if line else line for line in lines)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(["prose", "prose", "chunk", "chunk", "raw", "display", "marker", "comment"])
    )
    if kind == "prose":
        return draw(PROSE)
    if kind == "chunk":
        return draw(chunk())
    if kind == "raw":
        return "```{=html}\n" + draw(PROSE) + "\n```"
    if kind == "display":
        return "````markdown\n```{python}\n1\n```\n````"
    if kind == "marker":
        return draw(
            st.sampled_from(["<!-- cell -->", "<!-- cell raw -->", '<!-- cell {"tags": ["t"]} -->'])
        )
    return "<!--\n```{python}\nhidden()\n``` -->"


@st.composite
def post(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        title = draw(st.sampled_from(["Plain", "'Quoted: yes'", '"Café & co"']))
        parts.append(f"---\ntitle: {title}\ncategories: [a, b]\n---\n" + draw(BLANKS))
    for piece in draw(st.lists(block(), max_size=6)):
        parts.append(piece + "\n" + draw(BLANKS))
    text = "".join(parts)
    if draw(st.booleans()):
        text = text.rstrip("\n")
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post())
def test_text_to_notebook_to_text_is_identical(text: str) -> None:
    notebook = ipynb.dumps(ipynb.to_notebook(qmd.parse(text)))
    assert qmd.emit(ipynb.to_document(ipynb.loads(notebook))) == text


@settings(max_examples=150, deadline=None)
@given(post())
def test_notebook_to_text_to_notebook_keeps_cells(text: str) -> None:
    notebook = ipynb.dumps(ipynb.to_notebook(qmd.parse(text)))
    assert roundtrip.notebook_round_trips(notebook, with_ids=True)


CELL = st.builds(
    lambda kind, source, tags: {
        "cell_type": kind,
        "metadata": {"tags": tags} if tags and kind != "raw" else {},
        "source": source,
        **({"outputs": [], "execution_count": None} if kind == "code" else {}),
    },
    st.sampled_from(["markdown", "code", "raw"]),
    st.lists(
        st.sampled_from(["line", "", "  ", "```", "# Heading", "---", "<!-- c -->"]), max_size=4
    ).map("\n".join),
    st.lists(st.sampled_from(["a", "b-c"]), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL, max_size=6))
def test_any_simple_notebook_survives_a_qmd(cell_list: list[dict]) -> None:
    data = {
        "cells": cell_list,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "P", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    original = roundtrip.notebook_summary(ipynb.to_document(data))
    try:
        text = api.notebook_to_qmd(data)
    except FrontMatterError:
        # only a first cell shaped like front matter but holding invalid YAML is refused
        first = cell_list[0]["source"].strip().split("\n")
        assert first[0] == "---" and first[-1] == "---"
        return
    again = roundtrip.notebook_summary(qmd.parse(text))
    assert again == original
