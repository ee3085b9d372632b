"""Rules of the .qmd reader and writer, one behaviour per test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost import ipynb, qmd
from nbpost.errors import ConversionError, FenceError, FrontMatterError
from nbpost.model import LAYOUT_KEY


def cells(text: str, **kw: object) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source) for c in qmd.parse(text, **kw).cells]  # type: ignore[arg-type]


def again(text: str) -> str:
    doc = qmd.parse(text)
    return qmd.emit(ipynb.to_document(ipynb.loads(ipynb.dumps(ipynb.to_notebook(doc)))))


def test_front_matter_is_a_raw_cell_with_or_without_a_blank_line() -> None:
    assert cells("---\ntitle: T\n---\n\nText\n")[0] == ("raw", "---\ntitle: T\n---")
    assert cells("---\ntitle: T\n---\nText\n") == [
        ("raw", "---\ntitle: T\n---"),
        ("markdown", "Text"),
    ]


def test_front_matter_is_verbatim_including_comments_and_quoting() -> None:
    block = "---\n# a comment\ntitle: 'Quoted: yes'\ndate: 2024-13-45\n---"
    doc = qmd.parse(block + "\n")
    assert doc.cells[0].source == block
    assert doc.meta["date"] == "2024-13-45"  # stays a string, no ValueError


def test_chunk_variants_become_code_cells() -> None:
    text = (
        "```{python}\na\n```\n\n```{python echo=false}\nb\n```\n\n```{python #fig-x}\nc\n```\n\n"
        "````{python}\nd\n````\n\n  ```{python}\n  e\n  ```\n"
    )
    assert [s for t, s in cells(text) if t == "code"] == ["a", "b", "c", "d", "e"]
    assert again(text) == text


def test_chunk_inside_another_fence_or_a_comment_is_text() -> None:
    text = "````markdown\n```{python}\nx\n```\n````\n\n<!--\n```{python}\ny\n``` -->\n"
    assert [t for t, _ in cells(text)] == ["markdown"]


def test_other_languages_raw_blocks_and_display_fences_stay_in_markdown() -> None:
    text = (
        "---\ntitle: T\njupyter: python3\n---\n\n```{r}\nx\n```\n\n"
        "```{=html}\n<b>\n```\n\n```python\nz\n```\n"
    )
    assert [t for t, _ in cells(text)] == ["raw", "markdown"]


def test_option_lines_stay_at_the_top_of_the_source_as_written() -> None:
    text = '```{python}\n#| label: fig-a\n#|echo:  false\n#| fig-cap: "A"\nplot()\n```\n'
    assert cells(text) == [("code", '#| label: fig-a\n#|echo:  false\n#| fig-cap: "A"\nplot()')]


def test_tags_and_ids_become_cell_properties_and_come_back() -> None:
    text = "```{python}\n#| id: my-cell\n#| label: x\n#| tags: [a, b]\n1\n```\n"
    doc = qmd.parse(text)
    cell = doc.cells[0]
    assert (cell.id, cell.metadata["tags"], cell.source) == (
        "my-cell",
        ["a", "b"],
        "#| label: x\n1",
    )
    assert again(text) == text


def test_a_code_marker_keeps_the_chunks_own_option_lines_in_its_source() -> None:
    text = (
        '<!-- cell code {"id": "c1", "tags": ["x"]} -->\n\n'
        "```{python}\n#| id: mine\n#| tags: [a]\n#| echo: false\n1\n```\n"
    )
    doc = qmd.parse(text)
    [cell] = doc.cells
    assert (cell.id, cell.metadata["tags"], cell.source) == (
        "c1",
        ["x"],
        "#| id: mine\n#| tags: [a]\n#| echo: false\n1",
    )
    assert again(text) == text
    # the same cell from a notebook gets the marker; without the marker it would lose lines
    doc.cells[0].metadata.pop(LAYOUT_KEY, None)
    assert qmd.emit(doc) == text.replace('{"id": "c1", "tags": ["x"]} ', '{"tags": ["x"]} ')


@pytest.mark.parametrize("first", ["#| hide", "#|export", "#| default_exp core"])
def test_an_id_is_written_where_a_line_without_a_key_cannot_swallow_it(first: str) -> None:
    # nbdev's directives are option lines without a key; before the id they would read back
    # as a continuation of it (found on 53 notebooks of nbdev and fastcore)
    doc = qmd.parse(f"```{{python}}\n{first}\n#| echo: false\n#| tags: [a]\nx = 1\n```\n")
    doc.cells[0].id = "abc"
    text = qmd.emit(doc, with_ids=True)
    assert f"{first}\n#| echo: false\n#| id: abc\n#| tags: [a]\nx = 1" in text
    cell = qmd.parse(text).cells[0]
    assert (cell.id, cell.metadata["tags"], cell.source) == (
        "abc",
        ["a"],
        f"{first}\n#| echo: false\nx = 1",
    )


def test_layout_facts_only_when_they_differ_from_the_plain_form() -> None:
    plain = qmd.parse("---\ntitle: T\n---\n\nText\n\n```{python}\n1\n```\n")
    assert all(LAYOUT_KEY not in c.metadata for c in plain.cells)
    assert LAYOUT_KEY not in plain.metadata
    odd = qmd.parse("Text\n\n\n```{python echo=false}\n1\n```\n")
    assert odd.cells[1].metadata[LAYOUT_KEY] == {"before": 2, "header": "{python echo=false}"}


@pytest.mark.parametrize(
    "text",
    [
        "a\r\nb\r\n\r\n```{python}\r\nx\r\n```\r\n",
        "\ufeff---\ntitle: BOM\n---\n",
        "no final newline",
        "",
        "\n\n\n",
        "   \n\t\n",
        "```{python}\n```",
        "```{python}\n\n```\n",
        "<!-- cell -->\n<!-- cell -->\n",
        "<!-- cell raw -->\n",
        "---\njupyter: python3\n---\n",
        "text\n<!--cell-->\nnot a marker\n",
    ],
)
def test_awkward_files_round_trip_exactly(text: str) -> None:
    assert again(text) == text


def test_ids_are_deterministic_and_readable_from_labels() -> None:
    text = "Intro\n\n```{python}\n#| label: fig-growth\nplot()\n```\n\n```{python}\nx\n```\n"
    first, second = qmd.parse(text), qmd.parse(text)
    assert [c.id for c in first.cells] == [c.id for c in second.cells]
    assert first.cells[1].id == "fig-growth"
    assert len({c.id for c in first.cells}) == 3


@pytest.mark.parametrize(
    ("text", "name", "language"),
    [
        ("```{python}\nx\n```\n", "python3", "python"),
        ("---\nengine: knitr\n---\n\n```{python}\nx\n```\n", "ir", "R"),
        ("```{r}\nx\n```\n\n```{python}\ny\n```\n", "ir", "R"),
        ("---\njupyter: julia\n---\n", "julia", "julia"),
        ("---\njupyter:\n  kernel: ir\n---\n", "ir", "R"),
        ("No chunks at all.\n", "python3", "python"),
    ],
)
def test_kernel_choice_follows_quarto(text: str, name: str, language: str) -> None:
    spec = qmd.parse(text).kernelspec
    assert (spec["name"], spec["language"]) == (name, language)


def test_kernel_override_and_verbatim_kernelspec() -> None:
    assert qmd.parse("x\n", kernel="julia").kernelspec["name"] == "julia"
    text = (
        "---\njupyter:\n  kernelspec:\n    name: custom\n    display_name: Custom\n"
        "    language: python\n---\n"
    )
    assert qmd.parse(text).kernelspec == {
        "name": "custom",
        "display_name": "Custom",
        "language": "python",
    }


@pytest.mark.parametrize(
    ("text", "error", "line"),
    [
        ("---\ntitle: [unclosed\n---\n", FrontMatterError, 2),
        ("---\ntitle: T\nno closing line\n", FrontMatterError, 1),
        ("---\n- a list\n---\n", FrontMatterError, 2),
        ("Text\n\n```{python}\nx = 1\n", FenceError, 3),
        ("````\nunclosed display fence\n", FenceError, 1),
        # a code marker belongs to the chunk right after it, and nothing else
        ("Text\n\n<!-- cell code -->\n\nMore text.\n", ConversionError, 3),
        ("Text\n\n<!-- cell code -->\n", ConversionError, 3),
        ('<!-- cell code {"lines": 1} -->\n\nprint(1)\n', ConversionError, 1),
        ("<!-- cell code -->\n<!-- cell code -->\n```{python}\n1\n```", ConversionError, 1),
        (
            "---\njupyter: python3\n---\n\n<!-- cell code -->\n\n```{r}\n1\n```\n",
            ConversionError,
            5,
        ),
    ],
)
def test_bad_input_raises_an_error_with_the_line(text: str, error: type, line: int) -> None:
    with pytest.raises(error) as info:
        qmd.parse(text, "post.qmd")
    assert info.value.line == line
    assert str(info.value).startswith(f"post.qmd:{line}: ")


FENCE_PIECES = [
    "```",
    "````",
    "```{python}",
    "```{r}",
    "```{python echo=false}",
    " ```{python}",
    "```python",
    "~~~",
    "text",
    "",
    "`x```",
    "```x```",
    "<!--",
    "-->",
    "<!-- cell -->",
    "      ```",
    "        ```",
    "```\r",
    "```` ",
    "\r```",
    " \r```",
    "\t```",
    "``` {r}",
    "````{python}",
    "x ```",
    "a ~~~ b",
    "x <!-- y -->",
    " ~~~",
    "\r~~~",
    " \r<!--",
    "\t<!-- cell -->",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(FENCE_PIECES), min_size=1, max_size=10),
    st.sampled_from(["python", "r"]),
)
def test_backtick_fence_facts_agree_with_a_full_scan(pieces: list[str], language: str) -> None:
    from nbpost.qmd import textcells
    from nbpost.qmd.scan import backtick_fence_facts

    text = "\n".join(pieces)
    quick = backtick_fence_facts(text, language)
    textcells.text_facts.cache_clear()
    try:
        textcells.backtick_fence_facts = lambda text, language: None  # type: ignore[assignment]
        full = textcells.text_facts(text, language)
    finally:
        textcells.backtick_fence_facts = backtick_fence_facts
        textcells.text_facts.cache_clear()
    assert quick is None or quick == full


@settings(max_examples=1000, deadline=None)
@given(
    st.sampled_from(["", "x = 1", "x = 1\n\ny = 2", "  indented\nnot", "```", "a\n````\nb", "\n"]),
    st.fixed_dictionaries(
        {},
        optional={
            "fence": st.sampled_from(["```", "````", "~~~", "``"]),
            "header": st.sampled_from(["{python}", "{r}", "{python echo=false}", " {python}"]),
            "close": st.sampled_from(["```", "````", "  ```", "~~~"]),
            "indent": st.sampled_from(["  ", "\t", "x"]),
            "indent_raw": st.booleans(),
            "one_blank_line": st.booleans(),
            "options": st.just(["#| echo: false"]),
        },
    ),
    st.sampled_from([{}, {"tags": ["a"]}, {"echo": False}, {"md-indent": "  "}]),
    st.sampled_from(["python", "r"]),
)
def test_a_plain_chunk_is_its_lines_joined(
    source: str, facts: dict, metadata: dict, language: str
) -> None:
    from nbpost.model import LAYOUT_KEY, Cell
    from nbpost.qmd import write

    cell = Cell("code", source, {**metadata, LAYOUT_KEY: facts}, id="abc")
    quick = write._plain_chunk(cell, language)
    if quick is not None:
        assert quick == "\n".join(write.chunk_lines(cell, language, False))


def test_a_chunk_without_options_is_written_whole() -> None:
    from nbpost.model import Cell
    from nbpost.qmd import write

    assert write._plain_chunk(Cell("code", "x = 1"), "python") == "```{python}\nx = 1\n```"


HEADER_PIECES = [
    "```{python}",
    "``` {python}",
    "```{{python}}",
    "````{r echo=false}",
    "  ```{python}",
    "\x0c```\x0b{python}",
    "```",
    "{python}",
    "```{=html}",
    "text ```{python}",
    "```{python}```{r}",
    "```{ojs}",
    "x",
    "",
    "\r",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(HEADER_PIECES), max_size=8),
    st.sampled_from(["\n", " ", ""]),
    st.sampled_from(["python", "r"]),
    st.booleans(),
)
def test_the_escape_check_tests_the_lines_a_full_pass_tests(
    pieces: list[str], joint: str, language: str, knitr: bool
) -> None:
    from nbpost.qmd import textcells

    text = joint.join(pieces)
    executable = textcells.executable_for(language, knitr)
    every_line = any(
        found is not None and found[1] == 1 and executable(found[4])
        for found in (textcells._header(line, language) for line in text.split("\n"))
    )
    assert textcells.text_needs_escape(text, language, executable) == every_line


KERNEL_BY_HAND = (
    "jupyter:\n  kernelspec:\n    name: python3\n    language: python\n    display_name: Python 3\n"
)


@pytest.mark.parametrize("title", ["title: T\n", ""])
def test_a_kernelspec_in_the_authors_order_comes_back_so_until_the_kernel_changes(
    title: str,
) -> None:
    # A notebook keeps its kernelspec's keys sorted; the author's order is a layout fact,
    # used only while it still says the notebook's kernel.
    text = f"---\n{title}{KERNEL_BY_HAND}---\n\n```{{python}}\n1\n```\n"
    assert again(text) == text
    notebook = ipynb.loads(ipynb.dumps(ipynb.to_notebook(qmd.parse(text))))
    notebook["metadata"]["kernelspec"]["display_name"] = "Python 3.12"  # chosen in Jupyter
    changed = qmd.emit(ipynb.to_document(notebook))
    assert "display_name: Python 3.12\n    language: python\n    name: python3\n" in changed
    notebook["metadata"]["kernelspec"]["display_name"] = "Python 3"
    for damaged in (
        ["jupyter:", "  kernelspec: [oops"],
        # a block scalar may hold a fence or a front matter end: never reused
        ["jupyter:", "  kernelspec:", "    name: |", "      ```{python}", "    language: python"],
    ):
        notebook["metadata"]["nbpost"]["kernel_lines"] = damaged
        if len(damaged) > 2:
            notebook["metadata"]["kernelspec"] = {"name": "```{python}\n", "language": "python"}
        lines = qmd.emit(ipynb.to_document(notebook)).split("\n")
        assert [line for line in lines if line.lstrip().startswith("```{")] == ["```{python}"]


def test_an_option_key_is_written_twice_only_where_the_author_wrote_it_twice() -> None:
    # Quarto refuses a chunk whose option lines give a key twice (js-yaml's "duplicated mapping
    # key"); a .qmd that does comes back as written, and nbpost never adds a repetition.
    text = "```{python}\n#| tags: [a]\n#| echo: false\n#| tags: [b]\nprint(1)\n```\n"
    notebook = ipynb.to_notebook(qmd.parse(text))
    cell = notebook["cells"][0]
    assert cell["source"] == "#| tags: [a]\n#| echo: false\nprint(1)"
    assert cell["metadata"]["tags"] == ["b"]
    assert qmd.emit(ipynb.to_document(notebook)) == text
    cell["metadata"]["tags"] = ["c"]  # its tags edited in Jupyter: the marker holds them
    assert qmd.emit(ipynb.to_document(notebook)) == (
        '<!-- cell code {"tags": ["c"]} -->\n\n'
        "```{python}\n#| tags: [a]\n#| echo: false\nprint(1)\n```\n"
    )
    del cell["metadata"]["nbpost"]  # a notebook's own cell: the same
    written = qmd.emit(ipynb.to_document(notebook))
    assert written.startswith('<!-- cell code {"tags": ["c"]} -->')
    back = ipynb.to_notebook(qmd.parse(written))["cells"][0]
    assert (back["source"], back["metadata"]) == (cell["source"], {"tags": ["c"]})
