"""The hand-written notebook JSON writer gives exactly the standard library's text."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost.ipynb.jsonwrite import dumps_indent1

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
