"""``nbpost convert`` never replaces an output holding content nbpost did not write.

The rule (docs/sync.md): an existing target is replaced only when it is what nbpost last
wrote or recorded for the pair in ``.nbpost/sync.json`` (the record ``sync`` and Jupyter
saves keep), or with ``--force``; a target that already holds the result is left alone.
Anything else is refused with one line naming the file, exit 2, nothing written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nbpost.sync import Pair, SyncRecord
from nbpost.sync.record import digest

POST = "---\ntitle: A post\n---\n\nSome text.\n\n```{python}\nx = 1\n```\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def refused(result: Any, target: Path) -> None:
    lines = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert result.status == 2, result.err
    assert len(lines) == 1 and str(target) in lines[0], result.err
    assert "nbpost sync" in lines[0] and "--force" in lines[0]


def test_convert_refuses_to_overwrite_a_text_file_edited_since_it_was_written(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    notebook = tmp_path / "post.ipynb"
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("convert", post).status == 0
    assert run_cli("convert", notebook, "-o", tmp_path / "post.qmd", "--force").status == 0
    edited = POST + "\nMy new paragraph.\n"
    write(post, edited)
    result = run_cli("convert", notebook)
    refused(result, post)
    assert post.read_text() == edited


def test_convert_refuses_to_overwrite_a_notebook_whose_cells_were_edited_in_jupyter(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("convert", post).status == 0
    notebook = tmp_path / "post.ipynb"
    data = json.loads(notebook.read_text())
    data["cells"][-1]["source"] = "x = 2  # edited in Jupyter"
    notebook.write_text(json.dumps(data))
    before = notebook.read_bytes()
    write(post, POST.replace("Some text.", "Other text."))
    refused(run_cli("convert", post), notebook)
    assert notebook.read_bytes() == before


def test_without_a_record_a_differing_target_is_refused(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = write(tmp_path / "post.qmd", POST)
    hand_written = write(tmp_path / "post.ipynb", json.dumps({"not": "from nbpost"}))
    refused(run_cli("convert", post), hand_written)
    assert json.loads(hand_written.read_text()) == {"not": "from nbpost"}
    assert not (tmp_path / ".nbpost").exists()


def test_a_target_already_equal_to_the_result_is_left_alone_and_recorded(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("convert", post).status == 0
    notebook = tmp_path / "post.ipynb"
    (tmp_path / ".nbpost").rename(tmp_path / "old-state")  # no record, as after a clone
    os.utime(notebook, ns=(1, 1))
    result = run_cli("convert", post)
    assert result.status == 0, result.err
    assert "already up to date" in result.err
    assert notebook.stat().st_mtime_ns == 1
    entry = SyncRecord.load(tmp_path).get(Pair(post, notebook))
    assert entry is not None and entry.ipynb_sha256 == digest(notebook.read_bytes())


def test_force_replaces_a_target_nbpost_did_not_write(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = write(tmp_path / "post.qmd", POST)
    write(tmp_path / "post.ipynb", "{}")
    result = run_cli("convert", post, "--force")
    assert result.status == 0, result.err
    assert json.loads((tmp_path / "post.ipynb").read_text())["nbformat"] == 4


def test_reconverting_an_edited_source_onto_its_unchanged_target_is_allowed_and_recorded(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("convert", post).status == 0
    write(post, POST + "\nMore.\n")
    result = run_cli("convert", post)
    assert result.status == 0, result.err
    notebook = tmp_path / "post.ipynb"
    entry = SyncRecord.load(tmp_path).get(Pair(post, notebook))
    assert entry is not None
    assert entry.qmd_sha256 == digest(post.read_bytes())
    assert entry.ipynb_sha256 == digest(notebook.read_bytes())
    check = run_cli("sync", "--check", tmp_path)
    assert check.status == 0, check.err  # sync agrees: the pair is in step


def test_a_notebook_whose_outputs_changed_since_may_be_replaced_keeping_them(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("convert", post).status == 0
    notebook = tmp_path / "post.ipynb"
    data = json.loads(notebook.read_text())
    data["cells"][-1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    data["cells"][-1]["execution_count"] = 3
    notebook.write_text(json.dumps(data))
    write(post, POST.replace("Some text.", "Other text."))
    result = run_cli("convert", post)
    assert result.status == 0, result.err
    assert json.loads(notebook.read_text())["cells"][-1]["execution_count"] == 3


def test_a_folder_run_converts_the_others_when_one_target_is_refused(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    write(tmp_path / "a" / "index.qmd", POST)
    write(tmp_path / "b" / "index.qmd", POST)
    kept = write(tmp_path / "b" / "index.ipynb", "{}")
    result = run_cli("convert", tmp_path, "--to", "ipynb")
    refused(result, kept)
    assert (tmp_path / "a" / "index.ipynb").is_file() and kept.read_text() == "{}"


def test_the_record_holds_the_bytes_read_and_written(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    (tmp_path / "_quarto.yml").write_text("project:\n  type: website\n")
    post = write(tmp_path / "posts" / "p" / "index.qmd", POST)
    assert run_cli("convert", post).status == 0
    record = json.loads((tmp_path / ".nbpost" / "sync.json").read_text())
    entry = record["pairs"]["posts/p/index.qmd"]
    assert entry["ipynb"] == "posts/p/index.ipynb"
    assert entry["qmd_sha256"] == digest(POST.encode("utf-8"))
    notebook = tmp_path / "posts" / "p" / "index.ipynb"
    assert entry["ipynb_sha256"] == digest(notebook.read_bytes())


def test_a_notebook_written_as_text_and_converted_back_is_left_as_it_was(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    """ids, outputs and edge blank lines of unchanged cells come back (issue 12 item 3)."""
    import nbformat

    node = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
        "name": "python3",
    }
    node.cells = [
        nbformat.v4.new_raw_cell("---\ntitle: Fastpages post\n---\n", id="893cd620"),
        nbformat.v4.new_markdown_cell("\nBy similar triangles...", id="e1c3f91a"),
        nbformat.v4.new_code_cell(
            "x = 1",
            id="c0ffee00",
            execution_count=1,
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")],
        ),
    ]
    notebook = write(tmp_path / "post.ipynb", nbformat.writes(node) + "\n")
    before = notebook.read_bytes()
    assert run_cli("convert", notebook).status == 0
    result = run_cli("convert", tmp_path / "post.qmd")
    assert result.status == 0, result.err
    assert "already up to date" in result.err
    assert notebook.read_bytes() == before


def test_convert_file_follows_the_same_rule_and_keeps_outputs(tmp_path: Path) -> None:
    import pytest

    from nbpost.api import convert_file
    from nbpost.sync.overwrite import TargetChanged

    post = write(tmp_path / "post.qmd", POST)
    notebook = convert_file(post)
    data = json.loads(notebook.read_text())
    data["cells"][-1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1\n"}]
    notebook.write_text(json.dumps(data))  # the post was run: only outputs changed
    write(post, POST.replace("Some text.", "Other text."))
    convert_file(post)
    assert json.loads(notebook.read_text())["cells"][-1]["outputs"], "outputs kept"
    data = json.loads(notebook.read_text())
    data["cells"][-1]["source"] = "x = 2  # edited in Jupyter"
    notebook.write_text(json.dumps(data))
    with pytest.raises(TargetChanged, match="--force"):
        convert_file(post)
    assert "edited in Jupyter" in notebook.read_text()
    convert_file(post, force=True)
    assert "edited in Jupyter" not in notebook.read_text()
