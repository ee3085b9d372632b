"""Notebook JSON reading, checking and writing."""

from __future__ import annotations

import json

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost import api, ipynb, qmd
from nbpost.errors import NotebookError
from nbpost.ipynb.outputs import carry_outputs


def test_dumps_matches_nbformat_exactly() -> None:
    node = nbformat.v4.new_notebook()
    node.cells = [
        nbformat.v4.new_markdown_cell("a\nb", id="m1"),
        nbformat.v4.new_code_cell(
            "print(1)\n",
            id="c1",
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="1\n2\n"),
                nbformat.v4.new_output(
                    "display_data", data={"text/plain": "x\ny", "image/png": "iVBOR\n"}
                ),
            ],
        ),
        nbformat.v4.new_raw_cell("", id="r1"),
        nbformat.v4.new_markdown_cell("", id="m2"),
        nbformat.v4.new_code_cell("", id="c2"),
    ]
    text = nbformat.writes(node) + "\n"
    assert ipynb.dumps(ipynb.loads(text)) == text
    # through a Document too (sources joined into text, as the converter holds them)
    assert ipynb.dumps(ipynb.to_notebook(ipynb.to_document(ipynb.loads(text)))) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"cells": [', "invalid notebook JSON"),
        ("[]", "not a Jupyter notebook"),
        ('{"nbformat": 3, "cells": []}', "nbformat 3 is not supported"),
        ('{"nbformat": 4, "metadata": {}}', "no 'cells' list"),
        ('{"nbformat": 4, "cells": [{"cell_type": "weird", "source": ""}]}', "unknown cell_type"),
        ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}', "not text"),
        # nbformat requires a kernel name, and Quarto refuses a front matter kernelspec without
        (
            '{"nbformat": 4, "metadata": {"kernelspec": {"language": "python"}}, "cells": []}',
            "metadata 'kernelspec' has no 'name'",
        ),
    ],
)
def test_broken_notebooks_are_reported(text: str, message: str) -> None:
    with pytest.raises(NotebookError, match=message):
        ipynb.loads(text, "post.ipynb")


def test_json_error_names_the_line() -> None:
    with pytest.raises(NotebookError) as info:
        ipynb.loads('{\n "cells": [\n  oops\n ]\n}', "x.ipynb")
    assert info.value.line == 3


def test_old_notebooks_get_ids_and_crlf_sources_come_back_exactly() -> None:
    data = {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["a\r\n", "b"]}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 2,
    }
    doc = ipynb.to_document(data)
    assert doc.cells[0].source == "a\r\nb"  # as saved on Windows: nothing normalised
    out = ipynb.to_notebook(doc)
    assert out["nbformat_minor"] == 5 and out["cells"][0]["id"]
    text = api.notebook_to_qmd(data)
    assert text == "a\r\nb\n"  # the cell's CRLF kept; nbpost's own line ends are LF
    assert [c.source for c in qmd.parse(text).cells] == ["a\r\nb"]


def test_colab_ids_in_metadata_are_used() -> None:
    data = {
        "cells": [{"cell_type": "code", "metadata": {"id": "Xy12"}, "source": "1", "outputs": []}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 0,
    }
    assert "#| id: Xy12" in api.notebook_to_qmd(data, with_ids=True)


def test_attachments_are_inlined_not_dropped() -> None:
    png = "iVBORw0KGgo="
    data = {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "m",
                "metadata": {},
                "source": "![pic](attachment:pic.png)",
                "attachments": {"pic.png": {"image/png": png}},
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = api.notebook_to_qmd(json.dumps(data))
    assert f"![pic](data:image/png;base64,{png})" in text


SURROGATE_PIECES = [
    "\\ud83d",
    "\\ude00",
    "\\ud800",
    "\\udfff",
    "\\\\",
    "u",
    "d83d",
    "a",
    "\\n",
    "é",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(SURROGATE_PIECES), max_size=8))
def test_a_lone_surrogate_is_never_missed(pieces: list[str]) -> None:
    """``may_hold_surrogates`` may answer yes for nothing, never no for a lone surrogate."""
    import re
    import sys

    check_module = sys.modules["nbpost.ipynb.check"]
    text = '{"s": "' + "".join(pieces) + '"}'
    try:
        value = json.loads(text)["s"]
    except ValueError:
        return  # not JSON (a piece left a backslash hanging)
    if re.search("[\ud800-\udfff]", value):
        assert check_module.may_hold_surrogates(text)
    if not re.search(r"\\u[dD][89a-fA-F]", text):
        assert not check_module.may_hold_surrogates(text)


def test_an_emoji_written_with_ensure_ascii_is_one_character() -> None:
    import sys

    check_module = sys.modules["nbpost.ipynb.check"]
    assert not check_module.may_hold_surrogates(json.dumps({"s": "a 😀 b"}))
    assert check_module.may_hold_surrogates(json.dumps({"s": "a \ud83d b"}))
    assert check_module.may_hold_surrogates(json.dumps({"s": "\\ud83d\ude00"}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # json's bare message ends in "at": the column completes it
        ('{\n "cells": [\n  {"source": "cut off', "Unterminated string starting at column 14"),
        ('{\n "cells": [\n  oops\n ]\n}', "Expecting value (column 3)"),
    ],
)
def test_json_errors_name_the_line_and_column(text: str, message: str) -> None:
    with pytest.raises(NotebookError) as info:
        ipynb.loads(text, "x.ipynb")
    assert info.value.line == 3
    assert str(info.value) == f"x.ipynb:3: invalid notebook JSON: {message}"


@pytest.mark.parametrize("language_info", ["R", "plaintext"])
def test_a_notebook_without_a_kernelspec_is_python_as_quarto_reads_it(language_info: str) -> None:
    # jupyterFromJSON (quarto-cli src/core/jupyter/jupyter.ts): language_info stands in only
    # for a kernelspec's missing language; written as {r} under Python, the cell came back text
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "a1",
        "metadata": {},
        "outputs": [],
        "source": ["x <- 1"],
    }
    notebook = {
        "cells": [cell],
        "metadata": {"language_info": {"name": language_info}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = json.dumps(notebook)
    assert ipynb.to_document(ipynb.loads(text)).language == "python"
    assert "```{python}\nx <- 1\n```" in api.notebook_to_qmd(text)
    assert api.round_trip_difference(text, source_is_notebook=True) is None


def _notebook_with_kernel(kernelspec: dict, language_info: dict | None = None) -> str:
    metadata: dict = {"kernelspec": kernelspec}
    if language_info is not None:
        metadata["language_info"] = language_info
    cells = [
        {"cell_type": "raw", "id": "fm", "metadata": {}, "source": "---\ntitle: T\n---"},
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "c1",
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": ["1\n"]}],
            "source": ["x <- 1"],
        },
    ]
    data = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(data)


@pytest.mark.parametrize(
    ("kernelspec", "language_info", "written"),
    [
        # quarto-cli's own test notebook for #12374: no language, Python's language_info
        (
            {"display_name": "Python 3", "name": "python3"},
            {"name": "python"},
            ["display_name: Python 3", "language: python", "name: python3"],
        ),
        # IRkernel without a language: the chunks are R, as language_info says
        (
            {"display_name": "R", "name": "ir"},
            {"name": "R"},
            ["display_name: R", "language: R", "name: ir"],
        ),
    ],
)
def test_a_kernelspec_quarto_would_refuse_is_completed_for_it_and_comes_back_as_it_was(
    kernelspec: dict, language_info: dict, written: list[str]
) -> None:
    # Quarto refuses a front matter kernelspec without name, language and display_name
    # (jupyterKernelspecFromMarkdown); nbformat does not require a language.
    text = _notebook_with_kernel(kernelspec, language_info)
    qmd_text = api.notebook_to_qmd(text)
    lines = qmd_text.split("\n")
    head = lines[lines.index("jupyter:") :]
    assert head[:3] == [
        "jupyter:",
        "  # nbpost: the notebook's kernelspec has no language; written here for Quarto",
        "  kernelspec:",
    ]
    assert [line.strip() for line in head[3:6]] == written
    language = written[1].split(": ")[1].lower()
    assert f"```{{{language}}}\nx <- 1\n```" in qmd_text
    back = qmd.parse(qmd_text)
    assert back.kernelspec == kernelspec  # the notebook's own, without the added keys
    assert back.language == language
    assert "nbpost" not in back.metadata
    assert api.round_trip_difference(text, source_is_notebook=True) is None
    assert api.round_trip_difference(qmd_text, source_is_notebook=False) is None  # byte for byte
    # converted back onto the notebook: its outputs and kernelspec as they were
    again = qmd.parse(qmd_text)
    carry_outputs(again, ipynb.reads(text))
    assert again.kernelspec == kernelspec and again.cells[1].outputs


def test_a_completed_kernelspec_edited_by_hand() -> None:
    text = _notebook_with_kernel({"display_name": "Python 3", "name": "python3"})
    qmd_text = api.notebook_to_qmd(text)
    # its language changed: still the notebook's kernelspec, now running Julia
    edited = qmd.parse(qmd_text.replace("language: python", "language: julia"))
    assert edited.kernelspec == {"display_name": "Python 3", "name": "python3"}
    assert edited.metadata["language_info"] == {"name": "julia"} and edited.language == "julia"
    # the note taken out: the kernelspec is the text's own, as it stands
    note = "  # nbpost: the notebook's kernelspec has no language; written here for Quarto\n"
    assert qmd.parse(qmd_text.replace(note, "")).kernelspec == {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
