"""The hand-written notebook JSON writer gives exactly the standard library's text."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost.ipynb.jsonwrite import dumps_indent1, notebook_text

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=40,
)


def reference(value: Any) -> str:
    """What ``nbformat.writes`` uses."""
    return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False)


@settings(max_examples=500, deadline=None)
@given(JSON_VALUES)
def test_same_text_as_json_dumps(value: Any) -> None:
    assert dumps_indent1(value) == reference(value)


def test_odd_values_fall_back_to_the_standard_library() -> None:
    value = {"tuple": (1, "a"), "nested": {1: "int key", 2: [[], {}]}, "s": '\u2028\x00é"\\'}
    assert dumps_indent1(value) == reference(value)
    assert dumps_indent1([{2: 1, 1: 2}]) == reference([{2: 1, 1: 2}])


def test_corpus_notebooks_are_written_identically(corpus_dir: Any) -> None:
    notebooks = sorted(corpus_dir.rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert dumps_indent1(data) == reference(data), path


def test_mixed_key_types_fail_like_the_standard_library() -> None:
    import pytest

    for write in (dumps_indent1, reference):
        with pytest.raises(TypeError):
            write({"a": 1, 2: 3})


LINE_TEXT = st.text(
    alphabet=st.sampled_from(list('ab é"\\\t\n\r\x00\x0b\x0c\x1c\x1f\x7f\x85\u2028\u2029\ud800😀'))
    | st.characters(),
    max_size=30,
)


@settings(max_examples=500, deadline=None)
@given(LINE_TEXT)
def test_lines_are_written_as_the_list_of_their_lines(text: str) -> None:
    from nbpost.ipynb.jsonwrite import Lines

    value = {"source": Lines(text), "nested": [Lines(text)], "other": [{"x": Lines(text)}]}
    lines = text.splitlines(True)
    assert dumps_indent1(value) == reference(
        {"source": lines, "nested": [lines], "other": [{"x": lines}]}
    )


def test_lines_inside_values_the_standard_library_writes() -> None:
    from nbpost.ipynb.jsonwrite import Lines

    value = {"odd": {1: Lines("a\nb\n")}, "t": (Lines("c"),)}
    assert dumps_indent1(value) == reference({"odd": {1: ["a\n", "b\n"]}, "t": [["c"]]})


def nbformat_split(notebook: dict[str, Any]) -> dict[str, Any]:
    """nbformat's ``split_lines`` (nbformat/v4/rwbase.py) on a copy: multi-line strings as
    lists of lines, the oracle for ``notebook_text`` (with ``json.dumps``)."""
    notebook = copy.deepcopy(notebook)

    def split_bundle(bundle: dict[str, Any]) -> None:
        for key, value in bundle.items():
            if isinstance(value, str) and (
                key.startswith("text/") or key in ("application/javascript", "image/svg+xml")
            ):
                bundle[key] = value.splitlines(True)

    for cell in notebook["cells"]:
        if isinstance(cell.get("source"), str):
            cell["source"] = cell["source"].splitlines(True)
        for bundle in (cell.get("attachments") or {}).values():
            split_bundle(bundle)
        if cell["cell_type"] == "code":
            # nbpost's own addition: a code cell without outputs gets the list the schema
            # requires
            cell.setdefault("outputs", [])
            for output in cell["outputs"]:
                kind = output.get("output_type")
                if kind in ("execute_result", "display_data") and "data" in output:
                    split_bundle(output["data"])
                elif kind == "stream" and isinstance(output.get("text"), str):
                    output["text"] = output["text"].splitlines(True)
    return notebook


TEXTS = LINE_TEXT | st.lists(LINE_TEXT, max_size=3)
OUTPUTS = st.lists(
    st.fixed_dictionaries({"name": st.sampled_from(["stdout", "stderr"]), "text": TEXTS}).map(
        lambda o: {**o, "output_type": "stream"}
    )
    | st.fixed_dictionaries(
        {
            "output_type": st.sampled_from(["display_data", "execute_result", "stream"]),
            "data": st.dictionaries(
                st.sampled_from(["text/plain", "image/svg+xml", "image/png", "a/b"]),
                LINE_TEXT | JSON_VALUES,
                max_size=3,
            ),
            "metadata": st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=2),
        }
    ),
    max_size=3,
)
CELLS = st.fixed_dictionaries(
    {
        "cell_type": st.sampled_from(["markdown", "code", "raw"]),
        "id": st.text(max_size=8) | JSON_VALUES,
        "metadata": st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3),
        "source": TEXTS | JSON_VALUES,
    },
    optional={
        "execution_count": st.none() | st.integers() | st.booleans(),
        "outputs": OUTPUTS,
        "attachments": st.dictionaries(
            st.text(max_size=4), st.dictionaries(st.sampled_from(["text/plain"]), LINE_TEXT)
        ),
    },
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(CELLS, max_size=4),
    st.dictionaries(st.text(max_size=6), JSON_VALUES, max_size=3),
    JSON_VALUES,
    st.booleans(),
)
def test_notebooks_are_written_as_nbformat_writes_them(
    cells: list[dict[str, Any]], metadata: dict[str, Any], minor: Any, extra: bool
) -> None:
    """The member-by-member path for the usual cells and the general one for any other
    shape write what nbformat's split_lines and json.dumps write."""
    notebook: dict[str, Any] = {
        "cells": cells,
        "metadata": metadata,
        "nbformat": 4,
        "nbformat_minor": minor,
    }
    if extra:
        notebook["other"] = "member"
    assert notebook_text(notebook) == reference(nbformat_split(notebook)) + "\n"
