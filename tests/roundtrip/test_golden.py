"""Golden fixture pairs: each rule of the converter, both directions (see fixtures/convert)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from nbpost import api, ipynb, qmd, roundtrip

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "convert"
TEXT_CASES = sorted(p for p in FIXTURES.glob("*.qmd") if not p.name.startswith("nb_"))
NOTEBOOK_CASES = sorted(FIXTURES.glob("nb_*.ipynb"))


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda p: p.stem)
def test_text_case_converts_to_the_expected_notebook(case: Path) -> None:
    text = case.read_bytes().decode("utf-8")
    expected = case.with_suffix(".ipynb").read_text(encoding="utf-8")
    produced = ipynb.dumps(ipynb.to_notebook(qmd.parse(text, case)))
    assert produced == expected
    nbformat.validate(nbformat.reads(produced, as_version=4))


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda p: p.stem)
def test_expected_notebook_converts_back_to_the_same_bytes(case: Path) -> None:
    notebook = case.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert api.notebook_to_qmd(notebook).encode("utf-8") == case.read_bytes()


@pytest.mark.parametrize("case", NOTEBOOK_CASES, ids=lambda p: p.stem)
def test_notebook_case_converts_to_the_expected_text(case: Path) -> None:
    expected = case.with_suffix(".qmd").read_text(encoding="utf-8")
    assert api.notebook_to_qmd(case.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("case", NOTEBOOK_CASES, ids=lambda p: p.stem)
def test_notebook_case_keeps_its_cells_through_the_text(case: Path) -> None:
    original = ipynb.read(case)
    again = qmd.parse(case.with_suffix(".qmd").read_text(encoding="utf-8"))
    assert roundtrip.notebook_summary(again) == roundtrip.notebook_summary(original)
