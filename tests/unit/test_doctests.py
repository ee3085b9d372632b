"""Run the examples in the public API's docstrings, so the documented calls stay true."""

from __future__ import annotations

import doctest

import pytest

import nbpost.api


@pytest.mark.parametrize("module", [nbpost.api], ids=lambda m: m.__name__)
def test_module_doctests(module: object) -> None:
    """Every docstring example of the module runs and prints what it shows."""
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags)  # type: ignore[arg-type]
    assert result.attempted > 0, "the module documents no example"
    assert result.failed == 0
