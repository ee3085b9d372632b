"""Digests that decide what a build after an edit reuses depend on values, not on which
objects hold them (``render.memo.value_bytes``): pickle's memo wrote a text met twice as a
reference, so a category whose label was also its slug looked changed in the next build."""

from __future__ import annotations

import pickle
import sys

from hypothesis import given
from hypothesis import strategies as st

from nbpost.blog.render.memo import value_bytes

scalars = st.none() | st.booleans() | st.integers() | st.text()
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


def _copy(value):
    """An equal value made of new objects (texts included)."""
    if isinstance(value, str):
        return "".join([value[:1], value[1:]]) if len(value) > 1 else value.join(["", ""])
    if isinstance(value, list):
        return [_copy(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_copy(item) for item in value)
    if isinstance(value, dict):
        return {_copy(key): _copy(item) for key, item in value.items()}
    return value


@given(values)
def test_equal_values_give_equal_bytes(value) -> None:
    shared = (value, value)  # one object met twice
    assert value_bytes(shared) == value_bytes((value, _copy(value)))
    assert value_bytes(value) == value_bytes(_copy(value))


def test_a_text_met_twice_is_written_twice() -> None:
    label = "".join(["data", " science"])
    same, other = (label, label), (label, "data science")
    assert pickle.dumps(same, protocol=5) != pickle.dumps(other, protocol=5)  # the old trap
    assert value_bytes(same) == value_bytes(other)
    assert value_bytes(sys.intern("data science")) == value_bytes(label)  # interned or not


@given(st.lists(st.text(), unique=True), st.sets(st.text(), max_size=40))
def test_places_of_few_and_many_fresh_posts_agree(sources: list[str], fresh: set[str]) -> None:
    from nbpost.blog.render.memo import _places

    expected = sorted(sources.index(s) for s in fresh if s in sources)
    assert sorted(_places(sources, fresh)) == expected
