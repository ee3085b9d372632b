"""``nbpost sync`` as a command: --dry-run, --check, no needless writes, bad input, safety."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from synchelpers import POST, write

from nbpost import textio


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under a folder (the record excluded) with its bytes and mtime_ns."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".nbpost" not in p.parts
    }


def test_nothing_is_rewritten_when_in_sync(pair_dir: Path, run_cli) -> None:
    before = snapshot(pair_dir)
    record = pair_dir / ".nbpost" / "sync.json"
    record_mtime = record.stat().st_mtime_ns
    for _ in range(2):
        result = run_cli("sync", pair_dir)
        assert result.status == 0, result.err
        assert "1 pair(s), 0 updated" in result.err
    assert snapshot(pair_dir) == before
    assert record.stat().st_mtime_ns == record_mtime


def test_dry_run_shows_the_change_and_writes_nothing(pair_dir: Path, run_cli) -> None:
    write(pair_dir / "post.qmd", POST.replace("x = 1", "x = 10"))
    before = snapshot(pair_dir)
    record = (pair_dir / ".nbpost" / "sync.json").read_bytes()
    result = run_cli("sync", "--dry-run", pair_dir)
    assert result.status == 0, result.err
    assert f"Would update {pair_dir / 'post.ipynb'} from {pair_dir / 'post.qmd'}" in result.err
    assert snapshot(pair_dir) == before
    assert (pair_dir / ".nbpost" / "sync.json").read_bytes() == record


def test_check_exits_1_when_out_of_sync_and_writes_nothing(pair_dir: Path, run_cli) -> None:
    assert run_cli("sync", "--check", pair_dir).status == 0
    write(pair_dir / "post.qmd", POST.replace("x = 1", "x = 10"))
    before = snapshot(pair_dir)
    result = run_cli("sync", "--check", pair_dir)
    assert result.status == 1
    assert "out of sync" in result.err and "post.ipynb" in result.err
    assert snapshot(pair_dir) == before
    assert run_cli("sync", pair_dir).status == 0
    assert run_cli("sync", "--check", pair_dir).status == 0


def test_pre_commit_mode_fails_after_writing_and_records_only_synced_pairs(
    pair_dir: Path, run_cli
) -> None:
    record = pair_dir / ".nbpost" / "sync.json"
    write(pair_dir / "post.qmd", POST.replace("x = 1", "x = 10"))
    recorded = record.read_bytes()
    result = run_cli("sync", "--pre-commit-mode", pair_dir / "post.qmd")
    assert result.status == 1
    assert "x = 10" in (pair_dir / "post.ipynb").read_text(encoding="utf-8")
    assert record.read_bytes() == recorded  # a rolled-back fix must not be on record
    assert run_cli("sync", "--pre-commit-mode", pair_dir / "post.qmd").status == 0
    assert record.read_bytes() != recorded  # now in sync, and recorded


def test_never_deletes_and_leaves_lone_files_alone(pair_dir: Path, run_cli) -> None:
    lone_text = write(pair_dir / "lone.qmd", POST)
    lone_notebook = write(pair_dir / "sub" / "other.ipynb", (pair_dir / "post.ipynb").read_text())
    # Text reduced to its front matter: the notebook loses those cells, but no file goes.
    write(pair_dir / "post.qmd", "---\ntitle: A post\n---\n")
    result = run_cli("sync", pair_dir, lone_text)
    assert result.status == 0, result.err
    assert f"{lone_text}: not paired ('nbpost pair {lone_text}'" in result.err
    assert "other.ipynb" not in result.err  # found by walking a folder: skipped quietly
    assert lone_text.read_text() == POST
    assert lone_notebook.is_file() and not lone_notebook.with_suffix(".qmd").exists()
    assert not lone_text.with_suffix(".ipynb").exists()
    assert (pair_dir / "post.ipynb").is_file() and (pair_dir / "post.qmd").is_file()


def test_missing_path_is_one_line_and_others_still_sync(pair_dir: Path, run_cli) -> None:
    write(pair_dir / "post.qmd", POST.replace("x = 1", "x = 3"))
    result = run_cli("sync", pair_dir / "nope.qmd", pair_dir)
    assert result.status == 2
    assert result.err.count("nbpost: error:") == 1 and "nope.qmd" in result.err
    assert "x = 3" in (pair_dir / "post.ipynb").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "broken", "expect"),
    [
        ("yaml.qmd", b"---\ntitle: [unclosed\n---\n\nText.\n", "yaml.qmd:2: invalid YAML"),
        ("utf8.qmd", b"---\ntitle: A\n---\n\nCaf\xe9.\n", "utf8.qmd:5: not valid UTF-8"),
        ("json.ipynb", b'{"cells": [\n', "json.ipynb:2: invalid notebook JSON"),
    ],
)
def test_bad_input_is_one_line_nothing_half_written_others_synced(
    pair_dir: Path, run_cli, name: str, broken: bytes, expect: str
) -> None:
    other = "json.qmd" if name.endswith(".ipynb") else name.replace(".qmd", ".ipynb")
    stem = Path(name).stem
    write(pair_dir / f"{stem}.qmd", POST)
    assert run_cli("pair", pair_dir / f"{stem}.qmd").status == 0
    write(pair_dir / name, broken)
    partner = pair_dir / other
    partner_before = partner.read_bytes()
    write(pair_dir / "post.qmd", POST.replace("x = 1", "x = 4"))

    result = run_cli("sync", pair_dir)
    assert result.status == 2
    errors = [line for line in result.err.splitlines() if line.startswith("nbpost: error:")]
    assert len(errors) == 1, result.err
    assert expect in errors[0]
    assert partner.read_bytes() == partner_before
    assert (pair_dir / name).read_bytes() == broken
    assert "x = 4" in (pair_dir / "post.ipynb").read_text(encoding="utf-8")
    assert not [p for p in pair_dir.rglob("*.tmp")]


@pytest.mark.parametrize("fail_on", ["replace", "write"])
def test_interrupted_write_leaves_both_files_intact(
    pair_dir: Path, run_cli, monkeypatch: pytest.MonkeyPatch, fail_on: str
) -> None:
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    write(post, POST.replace("x = 1", "x = 5"))
    before = {post: post.read_bytes(), notebook: notebook.read_bytes()}
    record = (pair_dir / ".nbpost" / "sync.json").read_bytes()

    if fail_on == "replace":

        def broken_replace(src: object, dst: object) -> None:
            raise OSError(28, "No space left on device", str(dst))

        monkeypatch.setattr(os, "replace", broken_replace)
    else:
        real_write_all = textio.write_all

        def half_write(fd: int, data: bytes) -> None:
            real_write_all(fd, data[: len(data) // 2])
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(textio, "write_all", half_write)

    result = run_cli("sync", pair_dir)
    assert result.status == 2
    assert result.err.count("nbpost: error:") >= 1
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in before} == before
    assert (pair_dir / ".nbpost" / "sync.json").read_bytes() == record
    assert not [p for p in pair_dir.rglob("*") if p.name.endswith(".tmp")]
    # Once the disk behaves again the same sync completes.
    assert run_cli("sync", pair_dir).status == 0
    assert "x = 5" in notebook.read_text(encoding="utf-8")


def test_md_pairs_and_qmd_wins_over_md(tmp_path: Path, run_cli) -> None:
    write(tmp_path / "_quarto.yml", "project:\n  type: website\n")  # .md pairs in a project
    write(tmp_path / "a.md", POST)
    # `nbpost pair` refuses X.md beside X.ipynb (Quarto renders both); a pair made another way
    # (an older nbpost, by hand) still syncs.
    assert run_cli("convert", tmp_path / "a.md").status == 0
    assert (tmp_path / "a.ipynb").is_file()
    assert run_cli("sync", tmp_path).status == 0  # no record yet: the sides agree, recorded
    write(tmp_path / "a.md", POST.replace("x = 1", "x = 7"))
    assert run_cli("sync", tmp_path).status == 0
    assert "x = 7" in (tmp_path / "a.ipynb").read_text(encoding="utf-8")
    # The record lives at the project root.
    record = json.loads((tmp_path / ".nbpost" / "sync.json").read_text())
    assert list(record["pairs"]) == ["a.md"]


def test_notebook_folder_from_quarto_yml(tmp_path: Path, run_cli, monkeypatch) -> None:
    write(tmp_path / "_quarto.yml", "project:\n  type: website\nnbpost:\n  notebook-dir: nbs\n")
    post = write(tmp_path / "posts" / "a" / "index.qmd", POST)
    monkeypatch.chdir(tmp_path)
    result = run_cli("pair", "posts/a/index.qmd")
    assert result.status == 0, result.err
    notebook = tmp_path / "nbs" / "posts" / "a" / "index.ipynb"
    assert notebook.is_file()
    assert not post.with_suffix(".ipynb").exists()
    assert "nbs/posts/a/index.ipynb" in result.err

    write(post, POST.replace("x = 1", "x = 8"))
    assert run_cli("sync", "posts").status == 0
    assert "x = 8" in notebook.read_text(encoding="utf-8")

    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = "Written in the notebook folder."
    notebook.write_text(json.dumps(data), encoding="utf-8")
    assert run_cli("sync", "nbs").status == 0  # found from the notebook side too
    assert "Written in the notebook folder." in post.read_text(encoding="utf-8")
    record = json.loads((tmp_path / ".nbpost" / "sync.json").read_text())
    assert record["pairs"]["posts/a/index.qmd"]["ipynb"] == "nbs/posts/a/index.ipynb"


def test_invalid_notebook_dir_setting_is_one_line(tmp_path: Path, run_cli) -> None:
    write(tmp_path / "_quarto.yml", "nbpost:\n  notebook-dir: ../outside\n")
    write(tmp_path / "a.qmd", POST)
    result = run_cli("sync", tmp_path / "a.qmd")
    assert result.status == 2
    assert "_quarto.yml:2: nbpost notebook-dir must be a folder inside the project" in result.err


def test_sync_and_pair_never_import_nbformat(pair_dir: Path) -> None:
    """A pre-commit hook pays start-up on every commit: sync must stay light."""
    import subprocess
    import sys

    probe = (
        "import sys; from nbpost.cli import main; "
        "a = main(['pair', sys.argv[1]]); b = main(['sync', sys.argv[2]]); "
        "print(a, b, sorted(m for m in ('nbformat', 'jsonschema', 'tqdm') if m in sys.modules))"
    )
    write(pair_dir / "other.qmd", POST)
    write(pair_dir / "post.qmd", POST.replace("x = 1", "x = 2"))
    completed = subprocess.run(
        [sys.executable, "-c", probe, str(pair_dir / "other.qmd"), str(pair_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.stdout.split() == ["0", "0", "[]"], completed.stderr


def test_build_sync_syncs_pairs_before_building(examples_blog_copy: Path, run_cli) -> None:
    post = examples_blog_copy / "posts" / "2024-10-17-harvest-log" / "index.qmd"
    assert run_cli("pair", post).status == 0
    write(post, post.read_text(encoding="utf-8").replace("fewer courgettes", "more beans"))
    result = run_cli("build", "--sync", "-q", examples_blog_copy)
    assert result.status == 0, result.err
    assert "more beans" in post.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert (examples_blog_copy / "categories.json").is_file()

    data = json.loads(post.with_suffix(".ipynb").read_text(encoding="utf-8"))
    data["cells"][-1]["source"] = "From the notebook."
    post.with_suffix(".ipynb").write_text(json.dumps(data), encoding="utf-8")
    write(post, post.read_text(encoding="utf-8").replace("more beans", "no beans"))
    conflict = run_cli("build", "--sync", "-q", examples_blog_copy)
    assert conflict.status == 1
    assert "both changed since they were last synced" in conflict.err


def test_a_corrupt_record_is_treated_as_no_record(pair_dir: Path, run_cli) -> None:
    record = pair_dir / ".nbpost" / "sync.json"
    record.write_text("{not json", encoding="utf-8")
    result = run_cli("sync", pair_dir)
    assert result.status == 0, result.err
    assert json.loads(record.read_text())["pairs"]["post.qmd"]["ipynb"] == "post.ipynb"
