"""Golden fixture pairs: each rule of the converter, both directions (see fixtures/convert)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from quartomodel import front_matter_kernel_refused, jupyter_chunks, repeated_option_keys

from nbpost import api, attachments, ipynb, qmd, roundtrip
from nbpost.ipynb.outputs import carry_outputs
from nbpost.qmd.cellopts import comment_chars
from nbpost.qmd.markers import keeps_options
from nbpost.qmd.write import chunk_lines

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
    expected = case.with_suffix(".qmd").read_bytes().decode("utf-8")
    assert api.notebook_to_qmd(case.read_text(encoding="utf-8")) == expected


@pytest.mark.parametrize("case", NOTEBOOK_CASES, ids=lambda p: p.stem)
def test_notebook_case_keeps_its_cells_through_the_text(case: Path) -> None:
    original = ipynb.read(case)
    again = qmd.parse(case.with_suffix(".qmd").read_bytes().decode("utf-8"))
    assert roundtrip.notebook_summary(again) == roundtrip.notebook_summary(original)


@pytest.mark.parametrize("case", NOTEBOOK_CASES, ids=lambda p: p.stem)
def test_notebook_case_comes_back_onto_its_notebook(case: Path) -> None:
    """Converting the expected text onto the notebook gives back the notebook itself (ids,
    outputs, attachments, metadata), as ``nbpost sync`` and ``convert`` onto it do."""
    notebook = case.read_text(encoding="utf-8")
    new = qmd.parse(case.with_suffix(".qmd").read_bytes().decode("utf-8"))
    carry_outputs(new, ipynb.read(case), attachments.folder_for(case))
    again = ipynb.dumps(ipynb.to_notebook(new))
    if json.loads(notebook)["nbformat_minor"] == 5:  # older notebooks get ids: not the same
        assert again == ipynb.dumps(ipynb.loads(notebook))


# Quarto builds its chunk pattern from the kernel's language; "C++17" is no pattern at all.
QUARTO_CASES = [c for c in NOTEBOOK_CASES if "++" not in c.read_text(encoding="utf-8")]


@pytest.mark.parametrize("case", QUARTO_CASES, ids=lambda p: p.stem)
def test_notebook_case_text_runs_only_its_code_cells_in_quarto(case: Path) -> None:
    doc = ipynb.read(case)
    text = case.with_suffix(".qmd").read_bytes().decode("utf-8")
    written = [
        chunk_lines(cell, doc.language, False, keeps_options(cell, doc.language))[1:-1]
        for cell in doc.cells
        if cell.cell_type == "code"
    ]
    chunks = jupyter_chunks(text, doc.language)
    assert chunks == [[line.rstrip("\r") for line in body] for body in written]
    comment = comment_chars(doc.language)  # Quarto refuses a chunk repeating an option key
    assert not [key for body in chunks for key in repeated_option_keys(body, comment)]
    assert not front_matter_kernel_refused(text)  # and a front matter kernel it cannot read
