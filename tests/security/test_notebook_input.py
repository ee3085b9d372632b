"""Malformed values at every notebook key nbpost reads: one line naming the file, no traceback,
the other inputs still converted (``convert``, ``pair``, ``sync``), and nothing half-written.

Values are checked where they enter (the notebook reader), so every command and the Jupyter
integration get the same answer. nbpost's own layout facts (``metadata.nbpost``) are hints:
a fact of the wrong type is dropped and the plain form written instead.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nbpost import ipynb
from nbpost.errors import NbpostError

OK_POST = "---\ntitle: Fine\n---\n\nText.\n\n```{python}\n1 + 1\n```\n"


def notebook(**changes: Any) -> dict[str, Any]:
    """A valid notebook with a markdown cell and a code cell, updated by ``changes``."""
    data: dict[str, Any] = {
        "cells": [
            {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "# Hi"},
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": "c",
                "metadata": {},
                "outputs": [],
                "source": "1 + 1",
            },
        ],
        "metadata": {
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    data.update(changes)
    return data


def with_metadata(**metadata: Any) -> dict[str, Any]:
    data = notebook()
    data["metadata"] = {**data["metadata"], **metadata}
    return data


def with_cell(index: int, **fields: Any) -> dict[str, Any]:
    data = notebook()
    data["cells"][index] = {**data["cells"][index], **fields}
    return data


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


ATTACHED = {"x.png": {"image/png": base64.b64encode(b"png").decode()}}

# (case id, notebook JSON text, words the one-line message must hold)
REFUSED: list[tuple[str, str, str]] = [
    ("not-a-notebook", json.dumps({"hello": 1}), "not a Jupyter notebook"),
    ("list", "[1, 2]", "not a Jupyter notebook"),
    ("nbformat-text", json.dumps(notebook(nbformat="4")), "not a Jupyter notebook"),
    ("nbformat-3", json.dumps(notebook(nbformat=3)), "nbformat 3 is not supported"),
    ("minor-text", json.dumps(notebook(nbformat_minor="4")), "nbformat_minor"),
    ("minor-null", json.dumps(notebook(nbformat_minor=None)), "nbformat_minor"),
    ("minor-negative", json.dumps(notebook(nbformat_minor=-1)), "nbformat_minor"),
    ("minor-bool", json.dumps(notebook(nbformat_minor=True)), "nbformat_minor"),
    ("kernelspec-number", json.dumps(with_metadata(kernelspec=5)), "kernelspec"),
    ("kernelspec-list", json.dumps(with_metadata(kernelspec=["python3"])), "kernelspec"),
    ("kernelspec-name", json.dumps(with_metadata(kernelspec={"name": 5})), "kernelspec"),
    ("language-info-text", json.dumps(with_metadata(language_info="python")), "language_info"),
    ("language-info-name", json.dumps(with_metadata(language_info={"name": []})), "language_info"),
    ("metadata-list", json.dumps(notebook(metadata=[])), "metadata"),
    ("cells-dict", json.dumps(notebook(cells={})), "cells"),
    ("cell-number", json.dumps(notebook(cells=[5])), "cell 1"),
    ("cell-type", json.dumps(with_cell(0, cell_type="heading")), "cell 1"),
    ("source-list-of-numbers", json.dumps(with_cell(0, source=[1, 2])), "cell 1"),
    ("outputs-dict", json.dumps(with_cell(1, outputs={})), "cell 2"),
    ("output-number", json.dumps(with_cell(1, outputs=[5])), "cell 2"),
    (
        "output-data-list",
        json.dumps(
            with_cell(1, outputs=[{"output_type": "display_data", "data": [], "metadata": {}}])
        ),
        "cell 2",
    ),
    ("attachments-list", json.dumps(with_cell(0, attachments=[1])), "attachments"),
    ("attachment-number", json.dumps(with_cell(0, attachments={"x.png": 5})), "attachment"),
    (
        "attachment-bad-base64",
        json.dumps(with_cell(0, attachments={"x.png": {"image/png": "!!!not base64!"}})),
        "base64",
    ),
    ("surrogate-in-source", json.dumps(with_cell(0, source="a \ud800 b")), "surrogate"),
    ("surrogate-in-metadata", json.dumps(with_metadata(x="\udfff")), "surrogate"),
    ("nested-5000", '{"metadata": {"x": ' + nested(5000) + "}}", "nested"),
    ("nested-500", json.dumps(with_metadata(x=json.loads(nested(500)))), "nested"),
    ("broken-json", '{"cells": [', "invalid notebook JSON"),
    ("empty", "", "invalid notebook JSON"),
]

# nbpost's layout facts with a wrong type: dropped, and the notebook converts.
BAD_FACTS: list[tuple[str, dict[str, Any]]] = [
    ("doc-newline-number", {"newline": 5}),
    ("doc-newline-text", {"newline": "\r"}),
    ("doc-bom-text", {"bom": "yes"}),
    ("doc-final-newline-list", {"final_newline": []}),
    ("doc-trailing-text", {"trailing": "x"}),
    ("doc-trailing-huge", {"trailing": 10**12}),
]
BAD_CELL_FACTS: list[tuple[str, Any]] = [
    ("cell-facts-list", [1, 2]),
    ("before-text", {"before": "x"}),
    ("before-negative", {"before": -3}),
    ("before-list-of-text", {"before": ["text"]}),
    ("fence-number", {"fence": 5}),
    ("fence-letters", {"fence": "abc"}),
    ("header-number", {"header": 5}),
    ("header-dict", {"header": {}}),
    ("close-number", {"close": 5}),
    ("indent-number", {"indent": 5}),
    ("options-text", {"options": "#| echo: false"}),
    ("options-numbers", {"options": [1, 2]}),
    ("marker-text-number", {"marker_text": 5}),
    ("raw-header-number", {"raw_header": 5}),
    ("lead-text", {"lead": "x"}),
    ("trail-dict", {"trail": {}}),
    ("literal-number", {"literal": 5}),
    ("one-blank-line-text", {"one_blank_line": "yes"}),
]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def assert_one_line_about(result: Any, name: str, words: str) -> None:
    lines = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(lines) == 1, result.err
    assert name in lines[0] and words.lower() in lines[0].lower(), lines[0]
    assert "<input>" not in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(("case", "text", "words"), REFUSED, ids=[c[0] for c in REFUSED])
def test_a_malformed_notebook_is_one_line_and_the_next_input_still_converts(
    tmp_path: Path, run_cli: Callable[..., Any], case: str, text: str, words: str
) -> None:
    bad = write(tmp_path / "bad.ipynb", text)
    ok = write(tmp_path / "ok.ipynb", json.dumps(notebook()))
    result = run_cli("convert", bad, ok)
    assert result.status == 2
    assert_one_line_about(result, "bad.ipynb", words)
    assert (tmp_path / "ok.qmd").is_file()
    assert not (tmp_path / "bad.qmd").exists()


@pytest.mark.parametrize(("case", "text", "words"), REFUSED, ids=[c[0] for c in REFUSED])
def test_the_reader_refuses_malformed_notebooks_with_a_notebook_error(
    case: str, text: str, words: str
) -> None:
    with pytest.raises(NbpostError) as info:
        ipynb.to_document(ipynb.loads(text, "bad.ipynb"))
    assert words.lower() in str(info.value).lower()
    assert str(info.value).startswith("bad.ipynb")


@pytest.mark.parametrize(("case", "text", "words"), REFUSED[:12] + REFUSED[-6:])
def test_pair_and_sync_report_a_malformed_notebook_in_one_line(
    tmp_path: Path, run_cli: Callable[..., Any], case: str, text: str, words: str
) -> None:
    bad = write(tmp_path / "bad.ipynb", text)
    write(tmp_path / "ok.qmd", OK_POST)
    result = run_cli("pair", bad, tmp_path / "ok.qmd")
    assert result.status == 2
    assert_one_line_about(result, "bad.ipynb", words)
    assert (tmp_path / "ok.ipynb").is_file() and not (tmp_path / "bad.qmd").exists()
    write(tmp_path / "bad.qmd", OK_POST)
    result = run_cli("sync", tmp_path)
    assert result.status == 2
    assert_one_line_about(result, "bad.ipynb", words)
    assert (tmp_path / "bad.qmd").read_text() == OK_POST


@pytest.mark.parametrize(("case", "facts"), BAD_FACTS, ids=[c[0] for c in BAD_FACTS])
def test_a_document_layout_fact_of_the_wrong_type_is_dropped(
    tmp_path: Path, run_cli: Callable[..., Any], case: str, facts: dict[str, Any]
) -> None:
    source = write(tmp_path / "post.ipynb", json.dumps(with_metadata(nbpost=facts)))
    result = run_cli("convert", source)
    assert result.status == 0, result.err
    assert (tmp_path / "post.qmd").read_text() == "# Hi\n\n```{python}\n1 + 1\n```\n"


@pytest.mark.parametrize(("case", "facts"), BAD_CELL_FACTS, ids=[c[0] for c in BAD_CELL_FACTS])
@pytest.mark.parametrize("index", [0, 1])
def test_a_cell_layout_fact_of_the_wrong_type_is_dropped(
    tmp_path: Path, run_cli: Callable[..., Any], case: str, facts: Any, index: int
) -> None:
    data = with_cell(index, metadata={"nbpost": facts})
    source = write(tmp_path / "post.ipynb", json.dumps(data))
    result = run_cli("convert", source)
    assert result.status == 0, result.err
    assert (tmp_path / "post.qmd").read_text() == "# Hi\n\n```{python}\n1 + 1\n```\n"


def test_the_nbpost_metadata_itself_of_the_wrong_type_is_dropped(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    source = write(tmp_path / "post.ipynb", json.dumps(with_metadata(nbpost=[1])))
    assert run_cli("convert", source).status == 0


def test_invalid_cell_ids_are_replaced_not_used(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    data = notebook()
    data["cells"][0]["id"] = "no spaces allowed"
    data["cells"][1]["id"] = 5
    source = write(tmp_path / "post.ipynb", json.dumps(data))
    assert run_cli("convert", source, "--with-ids").status == 0
    text = (tmp_path / "post.qmd").read_text()
    assert "no spaces" not in text
    again = json.loads(ipynb.dumps(ipynb.to_notebook(__import__("nbpost").qmd.parse(text))))
    import nbformat

    nbformat.validate(nbformat.from_dict(again))


@pytest.mark.parametrize("depth", [150, 5000])
def test_a_cell_marker_nested_deep_is_one_line_naming_the_file_and_line(
    tmp_path: Path, run_cli: Callable[..., Any], depth: int
) -> None:
    marker = '<!-- cell {"tags": ' + nested(depth) + "} -->"
    bad = write(tmp_path / "bad.qmd", f"Text.\n\n{marker}\n\nMore.\n")
    ok = write(tmp_path / "ok.qmd", OK_POST)
    result = run_cli("convert", bad, ok)
    assert result.status == 2
    assert_one_line_about(result, "bad.qmd:3", "nested")
    assert (tmp_path / "ok.ipynb").is_file() and not (tmp_path / "bad.ipynb").exists()


def test_an_unexpected_failure_is_one_line_and_debug_shows_the_traceback(
    tmp_path: Path, run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbpost import qmd

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(qmd, "emit", broken)
    bad = write(tmp_path / "a.ipynb", json.dumps(notebook()))
    ok = write(tmp_path / "ok.qmd", OK_POST)
    result = run_cli("convert", bad, ok)
    assert result.status == 2
    assert_one_line_about(result, "a.ipynb", "ZeroDivisionError")
    assert (tmp_path / "ok.ipynb").is_file()
    debug = run_cli("convert", bad, "--debug")
    assert "Traceback" in debug.err and "a bug" in debug.err


def test_attachments_on_a_code_cell_or_with_an_unknown_type_are_kept_out_of_the_way(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    data = with_cell(1, attachments=ATTACHED)
    source = write(tmp_path / "post.ipynb", json.dumps(data))
    assert run_cli("convert", source).status == 0


def test_inputs_over_the_size_limit_are_refused_in_one_line_before_being_read(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    from nbpost.textio import MAX_NOTEBOOK_BYTES, MAX_TEXT_BYTES

    huge_notebook = tmp_path / "huge.ipynb"
    with open(huge_notebook, "wb") as handle:  # sparse: the size without the disk space
        handle.truncate(MAX_NOTEBOOK_BYTES + 1)
    huge_post = tmp_path / "big.qmd"
    with open(huge_post, "wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)
    ok = write(tmp_path / "ok.qmd", OK_POST)
    result = run_cli("convert", huge_notebook, huge_post, ok)
    assert result.status == 2
    lines = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(lines) == 2
    assert "huge.ipynb" in lines[0] and "100 MB" in lines[0]
    assert "big.qmd" in lines[1] and "20 MB" in lines[1]
    assert (tmp_path / "ok.ipynb").is_file()
    assert not (tmp_path / "huge.qmd").exists() and not (tmp_path / "big.ipynb").exists()


def test_stdin_over_the_size_limit_is_refused(
    run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    from nbpost import textio

    monkeypatch.setattr(textio, "MAX_NOTEBOOK_BYTES", 1000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 1001)))
    result = run_cli("convert", "-", "--to", "ipynb")
    assert result.status == 2
    assert "<stdin>" in result.err and "over the 1000 bytes" in result.err and result.out == ""


def test_a_notebook_node_is_checked_in_full_by_the_api() -> None:
    """NotebookNode is a dict subclass: its nested values are walked too."""
    import nbformat

    from nbpost.api import notebook_to_qmd

    deep = nbformat.from_dict(with_metadata(x=json.loads(nested(150))))
    with pytest.raises(NbpostError, match="nested"):
        notebook_to_qmd(deep)
    lone = nbformat.from_dict(with_metadata(x={"y": "\ud800"}))
    with pytest.raises(NbpostError, match="surrogate"):
        notebook_to_qmd(lone)


def test_an_attachment_holding_a_list_of_non_text_is_one_line(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    """Found by the fuzz test: ``{"image/png": [null]}`` crashed the check itself."""
    data = with_cell(0, attachments={"x.png": {"image/png": [None]}})
    bad = write(tmp_path / "bad.ipynb", json.dumps(data))
    result = run_cli("convert", bad)
    assert result.status == 2
    assert_one_line_about(result, "bad.ipynb", "holds no text")
