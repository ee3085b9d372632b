"""Pair and sync the real corpus: a second run is a no-op, and edits keep every output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus


@pytest.fixture
def corpus_copy(corpus_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(corpus_dir, target)
    return target


def notebooks_with_outputs(root: Path) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.ipynb")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if any(cell.get("outputs") for cell in data["cells"]):
            found.append(path)
    return found


def test_pair_then_sync_is_a_no_op_and_edits_keep_outputs(corpus_copy: Path, run_cli) -> None:
    lone_notebooks = [
        p for p in notebooks_with_outputs(corpus_copy) if not p.with_suffix(".qmd").exists()
    ]
    markdown = set(corpus_copy.rglob("*.md"))
    twins_before = {p for p in markdown if p.with_suffix(".ipynb").exists()}
    paired = run_cli("pair", corpus_copy)
    assert paired.status == 0, paired.err
    made = paired.err.count("Paired ")
    assert made > 300
    # No .md got a notebook beside it: Quarto would render both to one page.
    assert {p for p in markdown if p.with_suffix(".ipynb").exists()} == twins_before
    assert ".md file(s) not paired" in paired.err

    before = {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()}
    again = run_cli("sync", corpus_copy)
    # Pairs the blogs committed themselves out of step are refused, never guessed.
    conflicts = [line for line in again.err.splitlines() if "no sync record" in line]
    assert again.status == (1 if conflicts else 0), again.err
    assert ", 0 updated" in again.err
    assert {p: p.read_bytes() for p in corpus_copy.rglob("*") if p.is_file()} == before

    sample = lone_notebooks[::4][:10]
    assert len(sample) >= 5
    for notebook in sample:
        post = notebook.with_suffix(".qmd")
        post.write_bytes(post.read_bytes() + b"\nAn added closing paragraph.\n")
        kept = [c.get("outputs") for c in json.loads(notebook.read_bytes())["cells"]]
        result = run_cli("sync", post)
        assert result.status == 0, result.err
        cells = json.loads(notebook.read_bytes())["cells"]
        assert [c.get("outputs") for c in cells[: len(kept)]] == kept, notebook
        assert "An added closing paragraph." in "".join(cells[-1]["source"])

    for record in corpus_copy.rglob(".nbpost"):
        shutil.rmtree(record)
    fresh = run_cli("sync", "--check", corpus_copy)  # a fresh clone: content decides
    assert ", 0 out of sync" in fresh.err
    assert len([line for line in fresh.err.splitlines() if "no sync record" in line]) == len(
        conflicts
    )
