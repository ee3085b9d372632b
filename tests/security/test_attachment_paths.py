"""Attachment files never land outside ``<post>_files/attachments/``, whatever a notebook says.

A cell id (or Colab's ``metadata.id``) and an attachment name come from the notebook, which
may be hostile: ``"id": "/tmp/pwn/evil"`` with an attachment ``x.pth`` once made ``nbpost
convert`` write ``/tmp/pwn/evil-x.pth``. Every entry point that writes attachments is driven
here: ``convert``, ``pair``, ``sync`` (CLI), ``convert_file`` (API), the nbconvert exporter and
the plan a Jupyter save of a paired notebook follows.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

PNG = b"\x89PNG\r\n\x1a\n-payload"
HOSTILE_IDS = ["/tmp/pwn/evil", "../../../evil", "..", "a/../../b", "C:\\evil", "x\u0000y"]
HOSTILE_NAMES = ["x.pth", "../../x.pth", "/abs/x.pth", "..", "a\\..\\b.png", ".hidden", "CON"]


def hostile_notebook(cell_id: str, name: str, *, colab: bool = False) -> dict[str, Any]:
    """A notebook whose one markdown cell carries an attachment under a hostile id and name."""
    cell: dict[str, Any] = {
        "cell_type": "markdown",
        "metadata": {"id": cell_id} if colab else {},
        "source": f"![p](attachment:{name})",
        "attachments": {name: {"image/png": base64.b64encode(PNG).decode("ascii")}},
    }
    if not colab:
        cell["id"] = cell_id
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5 - colab}


def cases() -> Iterator[tuple[str, str, bool]]:
    for cell_id in HOSTILE_IDS:
        yield cell_id, "x.pth", False
    for name in HOSTILE_NAMES:
        yield "cell", name, False
    yield "../../colab", "../x.pth", True


CASES = list(cases())


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    """A project folder inside ``tmp_path``; the test checks nothing appears beside it."""
    project = tmp_path / "deep" / "er" / "project"
    project.mkdir(parents=True)
    (project / "_quarto.yml").write_text("project:\n  type: website\n")
    before = files_under(tmp_path)
    yield project
    outside = {p for p in files_under(tmp_path) - before if project not in p.parents}
    assert outside == set(), f"written outside the project: {sorted(map(str, outside))}"
    assert not Path("/tmp/pwn").exists()


def attachment_files(project: Path) -> list[Path]:
    found = sorted(p for p in project.rglob("*") if p.is_file() and p.read_bytes() == PNG)
    for path in found:
        assert path.parent.name == "attachments" and path.parent.parent.name.endswith("_files")
        assert not path.name.startswith((".", "-"))
    return found


def write_notebook(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(("cell_id", "name", "colab"), CASES)
def test_convert_keeps_attachments_inside_the_post_folder(
    root: Path, run_cli: Callable[..., Any], cell_id: str, name: str, colab: bool
) -> None:
    notebook = write_notebook(root / "post.ipynb", hostile_notebook(cell_id, name, colab=colab))
    result = run_cli("convert", notebook)
    assert result.status == 0, result.err
    [written] = attachment_files(root)
    text = (root / "post.qmd").read_text(encoding="utf-8")
    assert f"](post_files/attachments/{written.name})" in text


@pytest.mark.parametrize(("cell_id", "name", "colab"), CASES[:3] + CASES[-3:])
def test_pair_keeps_attachments_inside_the_post_folder(
    root: Path, run_cli: Callable[..., Any], cell_id: str, name: str, colab: bool
) -> None:
    notebook = write_notebook(root / "post.ipynb", hostile_notebook(cell_id, name, colab=colab))
    assert run_cli("pair", notebook).status == 0
    assert len(attachment_files(root)) == 1


@pytest.mark.parametrize(("cell_id", "name", "colab"), CASES[:3] + CASES[-3:])
def test_sync_keeps_attachments_inside_the_post_folder(
    root: Path, run_cli: Callable[..., Any], cell_id: str, name: str, colab: bool
) -> None:
    notebook = write_notebook(root / "post.ipynb", {**hostile_notebook("c", "y.png"), "cells": []})
    assert run_cli("pair", notebook).status == 0
    write_notebook(notebook, hostile_notebook(cell_id, name, colab=colab))
    result = run_cli("sync", root)
    assert result.status == 0, result.err
    assert len(attachment_files(root)) == 1


@pytest.mark.parametrize(("cell_id", "name", "colab"), CASES[:3] + CASES[-3:])
def test_convert_file_keeps_attachments_inside_the_post_folder(
    root: Path, cell_id: str, name: str, colab: bool
) -> None:
    from nbpost.api import convert_file

    notebook = write_notebook(root / "post.ipynb", hostile_notebook(cell_id, name, colab=colab))
    convert_file(notebook)
    assert len(attachment_files(root)) == 1


def test_two_hostile_names_that_clean_to_one_name_keep_both_files(
    root: Path, run_cli: Callable[..., Any]
) -> None:
    data = hostile_notebook("c", "a/b.png")
    other = dict(data["cells"][0])
    other["attachments"] = {"a:b.png": {"image/png": base64.b64encode(PNG + b"2").decode("ascii")}}
    other["source"] = "![q](attachment:a:b.png)"
    data["cells"].append(other)
    notebook = write_notebook(root / "post.ipynb", data)
    assert run_cli("convert", notebook).status == 0, "ids repeat, names clean to the same"
    folder = root / "post_files" / "attachments"
    assert sorted(p.read_bytes() for p in folder.iterdir()) == [PNG, PNG + b"2"]


def test_a_symlinked_attachment_folder_leading_outside_is_refused(
    root: Path, tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "post_files")
    notebook = write_notebook(root / "post.ipynb", hostile_notebook("c", "x.png"))
    result = run_cli("convert", notebook)
    assert result.status == 2
    assert "post_files" in result.err and "outside" in result.err
    assert list(elsewhere.iterdir()) == []
    assert not (root / "post.qmd").exists(), "nothing is written when an attachment cannot be"
    (root / "post_files").unlink()


# nbconvert refuses a notebook whose own ``id`` breaks nbformat's pattern before nbpost sees
# it; hostile names and Colab ids pass its validation and reach the exporter.
VALID_FOR_NBFORMAT = [case for case in CASES if case[2] or case[0] == "cell"]


@pytest.mark.parametrize(("cell_id", "name", "colab"), VALID_FOR_NBFORMAT)
def test_nbconvert_exporter_names_attachment_files_safely(
    root: Path, cell_id: str, name: str, colab: bool
) -> None:
    pytest.importorskip("nbconvert", reason="nbconvert not installed: pip install nbpost[jupyter]")
    import nbformat
    from nbconvert.writers import FilesWriter

    from nbpost.jupyter.exporter import QmdExporter

    node = nbformat.from_dict(hostile_notebook(cell_id, name, colab=colab))
    body, resources = QmdExporter().from_notebook_node(node, {"unique_key": "post"})
    FilesWriter(build_directory=str(root)).write(body, resources, notebook_name="post")
    assert len(attachment_files(root)) == 1


@pytest.mark.parametrize(("cell_id", "name", "colab"), CASES[:3] + CASES[-3:])
def test_jupyter_save_of_a_paired_notebook_plans_files_inside_the_post_folder(
    root: Path, run_cli: Callable[..., Any], cell_id: str, name: str, colab: bool
) -> None:
    pytest.importorskip("jupyter_server", reason="pip install nbpost[jupyter]")
    from nbpost.jupyter import plans

    notebook = write_notebook(root / "post.ipynb", {**hostile_notebook("c", "y.png"), "cells": []})
    assert run_cli("pair", notebook).status == 0
    plan, _ = plans.plan_notebook_save(
        hostile_notebook(cell_id, name, colab=colab), notebook, root, None
    )
    assert plan is not None and len(plan.extra_files) == 1
    [target] = plan.extra_files
    assert target.parent == root / "post_files" / "attachments"
    assert not target.name.startswith((".", "-"))


def test_a_jupyter_save_refuses_a_symlinked_attachment_folder_leading_outside(
    root: Path, tmp_path: Path
) -> None:
    pytest.importorskip("jupyter_server", reason="pip install nbpost[jupyter]")
    from nbpost.jupyter import pairing

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, root / "post_files")
    with pytest.raises(pairing.SaveRefused, match="outside"):
        pairing.text_from_notebook(hostile_notebook("c", "x.png"), root / "post.qmd", None)
    assert list(elsewhere.iterdir()) == []
    (root / "post_files").unlink()


def test_one_rule_names_the_attachment_folder() -> None:
    """``<stem>_files/attachments`` is spelled in ``attachments.folder_for`` alone: every
    writer (convert, sync, pair, Jupyter saves, the exporter, the round-trip check) asks it."""
    import ast

    import nbpost

    package = Path(nbpost.__file__).parent
    spelled = []
    for module in sorted(package.rglob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and "_files/attachments" in node.value
                and id(node) not in docstrings
            ):
                spelled.append(module.relative_to(package).as_posix())
    assert spelled == ["attachments.py"], spelled
