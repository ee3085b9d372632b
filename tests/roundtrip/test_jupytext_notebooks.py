"""Real notebooks from outside the corpus: jupytext's own test notebooks, 20+ languages.

They are not copied into this repository: the sdist of the installed jupytext (from PyPI,
through ``pip download``, the one network access CI has) ships
``tests/data/notebooks/inputs/ipynb_*/*.ipynb``, unpacked once into a cache folder outside
the repository (``$NBPOST_TEST_CACHE``, else ``~/.cache/nbpost-tests``). Without network or
pip the tests skip and say why (a failure under NBPOST_NO_SKIP=1, as in CI).
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path

import pytest
from quartomodel import jupyter_chunks, knitr_chunks

from nbpost import attachments, ipynb, qmd, roundtrip
from nbpost.ipynb.outputs import carry_outputs
from nbpost.qmd.write import chunk_lines

MEMBER = re.compile(r"[^/]+/tests/data/notebooks/inputs/(ipynb_[A-Za-z0-9_]+)/([^/]+\.ipynb)\Z")


def _cache_root() -> Path:
    configured = os.environ.get("NBPOST_TEST_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "nbpost-tests"


def _unpack(sdist: Path, target: Path) -> None:
    """Copy the test notebooks out of the sdist (only names matching MEMBER: no path from
    the archive is used as it is)."""
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            match = MEMBER.match(member.name)
            if not match or not member.isfile():
                continue
            handle = archive.extractfile(member)
            assert handle is not None
            folder = partial / match.group(1)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / match.group(2)).write_bytes(handle.read())
    partial.rename(target)


@pytest.fixture(scope="session")
def jupytext_notebooks() -> list[Path]:
    """Every ``ipynb_*/*.ipynb`` of the installed jupytext's sdist, from the cache."""
    try:
        version = metadata.version("jupytext")
    except metadata.PackageNotFoundError:
        pytest.skip("jupytext is not installed: pip install -e '.[test]'")
    target = _cache_root() / f"jupytext-{version}-notebooks"
    if not target.is_dir():
        with tempfile.TemporaryDirectory() as tmp:
            completed = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                 "jupytext", f"jupytext=={version}", "-d", tmp, "-q"],
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            sdists = list(Path(tmp).glob("jupytext-*.tar.gz"))
            if completed.returncode != 0 or not sdists:
                pytest.skip(
                    f"could not download jupytext {version}'s sdist from PyPI to get its test "
                    f"notebooks: {completed.stderr.strip()[-300:]}"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            _unpack(sdists[0], target)
    found = sorted(target.glob("ipynb_*/*.ipynb"))
    assert len(found) >= 61, f"expected jupytext's 61+ test notebooks in {target}"
    return found


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("with_ids", [False, True])
def test_every_jupytext_notebook_keeps_its_cells_through_a_qmd(
    jupytext_notebooks: list[Path], with_ids: bool
) -> None:
    failures = {
        _name(path): str(difference)
        for path in jupytext_notebooks
        if (difference := roundtrip.notebook_difference(path.read_text("utf-8"), path, with_ids))
    }
    assert failures == {}


def test_every_jupytext_notebook_comes_back_onto_itself(jupytext_notebooks: list[Path]) -> None:
    failures = []
    for path in jupytext_notebooks:
        text = path.read_text("utf-8")
        original = ipynb.to_document(ipynb.loads(text, path))
        written = ipynb.to_document(ipynb.loads(text, path))
        attachments.extract(written, attachments.folder_for(path))
        new = qmd.parse(qmd.emit(written), path)
        carry_outputs(new, original, attachments.folder_for(path))
        again = json.loads(ipynb.dumps(ipynb.to_notebook(new)))
        expected = json.loads(ipynb.dumps(ipynb.to_notebook(copy.deepcopy(original))))
        if not all("id" in cell for cell in json.loads(text)["cells"]):
            for cell in again["cells"] + expected["cells"]:
                cell.pop("id")  # nbformat < 4.5: there were no ids to keep
        if again != expected:
            failures.append(_name(path))
    assert failures == []


def test_quarto_runs_exactly_the_code_cells_of_every_jupytext_notebook(
    jupytext_notebooks: list[Path],
) -> None:
    failures = []
    for path in jupytext_notebooks:
        doc = ipynb.read(path)
        attachments.extract(doc, None)
        text = qmd.emit(doc)
        language = doc.language
        if "++" in language:
            continue  # C++17: Quarto's own pattern cannot be built from this language
        written = [
            [line.rstrip("\r") for line in chunk_lines(cell, language, False)[1:-1]]
            for cell in doc.cells
            if cell.cell_type == "code"
        ]
        if language == "r" and "jupyter:" not in text:
            chunks = [body for _, body in knitr_chunks(text)]
        else:
            chunks = jupyter_chunks(text, language)
        if chunks != written:
            failures.append(_name(path))
    assert failures == []
