"""The converter's guarantees over every post of the shared corpus of real Quarto blogs."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from nbpost import ipynb, qmd, roundtrip

pytestmark = pytest.mark.corpus


def _text_posts(corpus: Path) -> list[Path]:
    return sorted(
        p for p in corpus.rglob("*") if p.suffix in (".qmd", ".md") and p.name != "MANIFEST.md"
    )


def test_every_text_post_round_trips_byte_for_byte(corpus_dir: Path) -> None:
    files = _text_posts(corpus_dir)
    assert len(files) > 500
    failures = []
    for path in files:
        data = path.read_bytes()
        notebook = ipynb.dumps(ipynb.to_notebook(qmd.parse(data.decode("utf-8"), path)))
        back = qmd.emit(ipynb.to_document(ipynb.loads(notebook, path)))
        if back.encode("utf-8") != data:
            failures.append(str(path))
    assert failures == []


def test_notebooks_made_from_the_corpus_validate(corpus_dir: Path) -> None:
    for path in _text_posts(corpus_dir)[::7]:
        notebook = ipynb.dumps(ipynb.to_notebook(qmd.parse(path.read_text("utf-8"), path)))
        node = nbformat.reads(notebook, as_version=4)
        nbformat.validate(node)
        assert node.nbformat_minor == 5
        # what we write is exactly what nbformat itself would write
        assert nbformat.writes(node) + "\n" == notebook


@pytest.mark.parametrize("with_ids", [False, True])
def test_every_notebook_keeps_its_cells_through_a_qmd(corpus_dir: Path, with_ids: bool) -> None:
    files = sorted(corpus_dir.rglob("*.ipynb"))
    assert len(files) >= 80
    failures = [
        str(p)
        for p in files
        if not roundtrip.notebook_round_trips(p.read_text("utf-8"), p, with_ids=with_ids)
    ]
    assert failures == []


# An independent count of executable chunks: fences opening "{lang" at top level, ignoring
# everything inside another fence or an HTML comment, written separately from the scanner.
_OPEN = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")


def _count_chunks(text: str, language: str) -> int:
    count, fence, in_comment = 0, None, False
    for line in text.replace("\r\n", "\n").split("\n"):
        if in_comment:
            in_comment = "-->" not in line
            continue
        if fence is not None:
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = None
            continue
        match = _OPEN.match(line)
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            header = match.group(2).strip()
            if re.match(r"\{" + re.escape(language) + r"([ ,][^}]*)?\}$", header, re.I):
                count += 1
            continue
        if line.lstrip(" ").startswith("<!--") and not line.startswith("<!-- cell"):
            in_comment = "-->" not in line.split("<!--", 1)[1]
    return count


def test_code_cells_equal_kernel_language_chunks(corpus_dir: Path) -> None:
    total = 0
    for path in _text_posts(corpus_dir):
        doc = qmd.parse(path.read_text("utf-8"), path)
        code_cells = sum(cell.cell_type == "code" for cell in doc.cells)
        assert code_cells == _count_chunks(path.read_text("utf-8"), doc.language), path
        total += code_cells
    assert total > 300


def test_every_notebook_comes_back_onto_itself_through_its_text(corpus_dir: Path) -> None:
    """The paired workflow: a notebook written as text, the text converted back onto the
    notebook, gives the notebook itself: ids (issue 12: two ids changed), outputs,
    attachments and metadata of every unchanged cell."""
    import json

    from nbpost import attachments
    from nbpost.ipynb.outputs import carry_outputs

    failures = []
    for path in sorted(corpus_dir.rglob("*.ipynb")):
        text = path.read_text("utf-8")
        written = ipynb.to_document(ipynb.loads(text, path))
        attachments.extract(written, attachments.folder_for(path))
        new = qmd.parse(qmd.emit(written), path)
        carry_outputs(new, ipynb.read(path), attachments.folder_for(path))
        again = json.loads(ipynb.dumps(ipynb.to_notebook(new)))
        expected = json.loads(ipynb.dumps(ipynb.loads(text, path)))
        expected["nbformat_minor"] = max(expected["nbformat_minor"], 5)
        if not all("id" in cell for cell in json.loads(text)["cells"]):
            for cell in again["cells"] + expected["cells"]:
                cell.pop("id", None)  # nbformat < 4.5 had no ids to keep
        if again != expected:
            failures.append(str(path))
    assert failures == []
