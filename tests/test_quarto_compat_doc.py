"""docs/quarto-compat.md stays true: every row names a quarto-cli source (or says it is
nbpost's choice) and tests that exist; no doc repeats a reading of Quarto found wrong."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "quarto-compat.md"
TEST_RE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def rows() -> list[list[str]]:
    found = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith(("| Behaviour", "| ---")):
            found.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return found


def test_every_row_cites_quarto_and_a_test() -> None:
    table = rows()
    assert len(table) >= 40
    for behaviour, _, source, tests in table:
        assert source.startswith(("`src/", "`website-", "`quarto.js", "(nbpost")), behaviour
        assert TEST_RE.search(tests), behaviour


def test_every_cited_test_exists() -> None:
    for _, _, _, tests in rows():
        for path, name in TEST_RE.findall(tests):
            source = (REPO / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {name}\(", source, re.M), f"{path}::{name}"


def test_no_doc_says_preview_skips_pre_render() -> None:
    """quarto preview renders through renderProject, which runs pre-render steps
    (src/project/serve/serve.ts): the old claim must not come back."""
    pattern = re.compile(r"preview[^.]{0,40}(does not run|skips) `?pre-render", re.I)
    for path in [REPO / "README.md", *(REPO / "docs").glob("*.md"), REPO / "examples/README.md"]:
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert not pattern.search(text), path
