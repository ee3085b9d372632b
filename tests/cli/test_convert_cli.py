"""``nbpost convert`` as a user runs it: directions, outputs, errors and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

POST = "---\ntitle: A post\n---\n\nSome text.\n\n```{python}\n#| label: fig-a\n1 + 1\n```\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_direction_follows_the_extension_and_round_trips(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    result = run_cli("convert", post)
    assert result.status == 0
    notebook = tmp_path / "post.ipynb"
    assert json.loads(notebook.read_text())["cells"][2]["id"] == "fig-a"
    post.unlink()
    assert run_cli("convert", notebook).status == 0
    assert post.read_text() == POST


def test_to_forces_the_direction_and_o_md_writes_md(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    run_cli("convert", post)
    result = run_cli("convert", tmp_path / "post.ipynb", "--to", "qmd", "-o", tmp_path / "copy.md")
    assert result.status == 0
    assert (tmp_path / "copy.md").read_text() == POST


def test_stdin_to_stdout(run_cli_process, tmp_path: Path) -> None:
    result = run_cli_process("convert", "-", "--to", "ipynb", input=POST, cwd=tmp_path)
    assert result.status == 0, result.err
    notebook = json.loads(result.out)
    assert [c["cell_type"] for c in notebook["cells"]] == ["raw", "markdown", "code"]
    back = run_cli_process("convert", "-", "--to", "qmd", input=result.out, cwd=tmp_path)
    assert back.out == POST
    assert list(tmp_path.iterdir()) == []


def test_folder_walk_skips_build_folders_and_output_dir_mirrors(tmp_path: Path, run_cli) -> None:
    blog = tmp_path / "blog"
    write(blog / "posts" / "a" / "index.qmd", POST)
    write(blog / "posts" / "b" / "index.md", "Just text.\n")
    for skipped in ("_site", "_freeze", ".ipynb_checkpoints", ".hidden"):
        write(blog / skipped / "x.qmd", POST)
    out = tmp_path / "out"
    assert run_cli("convert", blog, "--output-dir", out).status == 0
    made = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert made == ["posts/a/index.ipynb", "posts/b/index.ipynb"]
    assert not (blog / "posts" / "a" / "index.ipynb").exists()
    assert run_cli("convert", out, "--to", "qmd", "--output-dir", tmp_path / "back").status == 0
    assert (tmp_path / "back" / "posts" / "a" / "index.qmd").read_text() == POST


def test_output_dir_for_file_inputs_is_relative_to_the_current_folder(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "posts" / "p.qmd", POST)
    monkeypatch.chdir(tmp_path)
    assert run_cli("convert", "posts/p.qmd", "--output-dir", "nb").status == 0
    assert (tmp_path / "nb" / "posts" / "p.ipynb").exists()


def test_bad_inputs_get_one_line_each_and_the_rest_still_converts(tmp_path: Path, run_cli) -> None:
    good = write(tmp_path / "good.qmd", POST)
    bad_yaml = write(tmp_path / "bad.qmd", "---\ntitle: [oops\n---\n")
    fence = write(tmp_path / "fence.qmd", "Text\n\n```{python}\nx = 1\n")
    (tmp_path / "latin1.qmd").write_bytes("caf\xe9\n".encode("latin-1"))
    broken = write(tmp_path / "broken.ipynb", '{"cells": [')
    result = run_cli(
        "convert", good, bad_yaml, fence, tmp_path / "latin1.qmd", broken, tmp_path / "missing.qmd"
    )
    assert result.status == 2
    lines = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(lines) == 5
    # the line where the unclosed '[' opened (libyaml notices it only at the end)
    assert f"nbpost: error: {bad_yaml}:2: invalid YAML in front matter" in result.err
    assert f"nbpost: error: {fence}:3: chunk" in result.err
    assert f"{tmp_path / 'latin1.qmd'}:1: not valid UTF-8" in result.err
    assert f"{broken}:1: invalid notebook JSON" in result.err
    assert "Traceback" not in result.err
    assert (tmp_path / "good.ipynb").exists()
    for name in ("bad", "fence", "latin1", "broken"):
        assert not (tmp_path / f"{name}.ipynb").exists() or name == "broken"
    assert not (tmp_path / "broken.qmd").exists()
    hidden = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("."))
    assert hidden == [".nbpost"]  # the sync record, no temporary file left behind


def test_never_overwrites_an_input(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    result = run_cli("convert", post, "-o", post)
    assert result.status == 2
    assert "overwrite the input" in result.err
    assert post.read_text() == POST


def test_a_pair_in_one_folder_run_is_not_converted_onto_itself(tmp_path: Path, run_cli) -> None:
    write(tmp_path / "p.qmd", POST)
    run_cli("convert", tmp_path / "p.qmd")
    before = (tmp_path / "p.ipynb").read_bytes()
    result = run_cli("convert", tmp_path)
    assert result.status == 2
    assert "choose a direction with --to" in result.err
    assert (tmp_path / "p.qmd").read_text() == POST
    assert (tmp_path / "p.ipynb").read_bytes() == before


def test_check_writes_nothing_and_fails_on_files_that_do_not_round_trip(
    tmp_path: Path, run_cli
) -> None:
    write(tmp_path / "ok.qmd", POST)
    assert run_cli("convert", "--check", tmp_path).status == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.qmd"]
    lossy = {
        "cells": [{"cell_type": "code", "id": "x", "metadata": {}, "source": "1", "outputs": []}],
        "metadata": {"kernelspec": {"name": "weird", "display_name": "W"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write(tmp_path / "nb.ipynb", json.dumps(lossy))
    assert run_cli("convert", "--check", tmp_path / "nb.ipynb").status == 0
    lossy["cells"][0]["source"] = "```\n"  # fence-like code survives thanks to a longer fence
    write(tmp_path / "nb.ipynb", json.dumps(lossy))
    assert run_cli("convert", "--check", tmp_path / "nb.ipynb").status == 0


def test_writes_are_atomic(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    post = write(tmp_path / "post.qmd", POST)
    target = write(tmp_path / "post.ipynb", "previous content")

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    result = run_cli("convert", post)
    assert result.status == 2
    assert target.read_text() == "previous content"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_converting_onto_a_notebook_keeps_outputs_of_unchanged_cells(
    tmp_path: Path, run_cli
) -> None:
    post = write(tmp_path / "post.qmd", POST + "\n```{python}\nchanged = 1\n```\n")
    run_cli("convert", post)
    notebook_path = tmp_path / "post.ipynb"
    data = json.loads(notebook_path.read_text())
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["old\n"]}]
            cell["execution_count"] = 1
    notebook_path.write_text(json.dumps(data))
    write(post, POST + "\n```{python}\nchanged = 2\n```\n")
    result = run_cli("convert", post)
    assert "kept the outputs of 1 unchanged cell(s)" in result.err
    cells = [c for c in json.loads(notebook_path.read_text())["cells"] if c["cell_type"] == "code"]
    assert cells[0]["outputs"] and cells[0]["id"] == "fig-a"
    assert cells[1]["outputs"] == [] and cells[1]["execution_count"] is None
    run_cli("convert", post, "--no-outputs")
    cells = [c for c in json.loads(notebook_path.read_text())["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] for c in cells)


def test_debug_shows_a_traceback(tmp_path: Path, run_cli) -> None:
    bad = write(tmp_path / "bad.qmd", "---\ntitle: [oops\n---\n")
    assert "Traceback" in run_cli("convert", "--debug", bad).err


def test_with_ids_and_title_from_heading(tmp_path: Path, run_cli) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# My Title\n\nBody"},
            {
                "cell_type": "code",
                "id": "c1",
                "metadata": {},
                "source": "1",
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    write(tmp_path / "n.ipynb", json.dumps(notebook))
    run_cli("convert", tmp_path / "n.ipynb", "-o", tmp_path / "plain.qmd")
    assert (tmp_path / "plain.qmd").read_text().startswith("# My Title")
    run_cli(
        "convert",
        tmp_path / "n.ipynb",
        "--with-ids",
        "--title-from-heading",
        "-o",
        tmp_path / "t.qmd",
    )
    text = (tmp_path / "t.qmd").read_text()
    assert text.startswith("---\ntitle: My Title\n")
    assert "#| id: c1" in text and '"id": "m1"' in text


def test_progress_and_quiet(tmp_path: Path, run_cli) -> None:
    post = write(tmp_path / "post.qmd", POST)
    assert run_cli("convert", "-q", post).err == ""
    assert "Converted" in run_cli("convert", post).err
