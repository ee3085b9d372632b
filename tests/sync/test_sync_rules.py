"""The sync rules on a real post: which side wins, what a notebook keeps, conflicts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from synchelpers import POST, run_outputs, write

from nbpost.sync import Pair, find_pair, sync_pair

CAFE = Path("posts") / "2024-05-20-cafe-queue" / "index.ipynb"


def cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


@pytest.fixture
def cafe(examples_blog_copy: Path, run_cli) -> Pair:
    """The example blog's notebook post, paired by ``nbpost pair`` with a new index.qmd."""
    notebook = examples_blog_copy / CAFE
    result = run_cli("pair", notebook)
    assert result.status == 0, result.err
    pair = find_pair(notebook)
    assert pair is not None and pair.qmd == notebook.with_suffix(".qmd")
    return pair


def test_text_edit_keeps_outputs_and_ids_of_unchanged_cells_only(cafe: Pair, run_cli) -> None:
    before = cells(cafe.ipynb)
    metadata = json.loads(cafe.ipynb.read_text(encoding="utf-8"))["metadata"]
    text = cafe.qmd.read_text(encoding="utf-8")
    assert "queue-summary" in text and "#| id:" not in text  # the text carries no ids
    edited = text.replace('summary = {"mean"', 'summary = {"average"')
    assert edited != text
    write(cafe.qmd, edited)

    result = run_cli("sync", cafe.qmd)
    assert result.status == 0, result.err
    assert "kept the outputs of 2 unchanged cell(s)" in result.err
    after = cells(cafe.ipynb)
    assert [c["id"] for c in after] == [c["id"] for c in before]  # every id kept
    by_id = {c["id"]: c for c in after}
    old = {c["id"]: c for c in before}
    for kept in ("queue-counts", "fig-queue"):
        assert by_id[kept]["outputs"] == old[kept]["outputs"] != []
        assert by_id[kept]["execution_count"] == old[kept]["execution_count"]
    assert by_id["queue-summary"]["outputs"] == []  # edited: its old output would be stale
    assert by_id["queue-summary"]["execution_count"] is None
    assert '"average"' in "".join(by_id["queue-summary"]["source"])
    assert json.loads(cafe.ipynb.read_text(encoding="utf-8"))["metadata"] == metadata


def test_inserted_cell_keeps_neighbours_ids_and_outputs(cafe: Pair, run_cli) -> None:
    before = {c["id"]: c for c in cells(cafe.ipynb)}
    text = cafe.qmd.read_text(encoding="utf-8")
    write(cafe.qmd, text.replace("```{python}", "```{python}\nextra = 0\n```\n\n```{python}", 1))
    assert run_cli("sync", cafe.qmd).status == 0
    after = cells(cafe.ipynb)
    assert len(after) == len(before) + 1
    survivors = [c for c in after if c["id"] in before]
    assert len(survivors) == len(before)
    for cell in survivors:
        assert (
            cell["outputs" if cell["cell_type"] == "code" else "source"]
            == before[cell["id"]]["outputs" if cell["cell_type"] == "code" else "source"]
        )


def test_notebook_edit_rewrites_the_text(cafe: Pair, run_cli) -> None:
    data = json.loads(cafe.ipynb.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = ["A new first paragraph, written in Jupyter."]
    cafe.ipynb.write_text(json.dumps(data, indent=1), encoding="utf-8")
    notebook_bytes = cafe.ipynb.read_bytes()
    result = run_cli("sync", cafe.ipynb)
    assert result.status == 0, result.err
    assert f"Updated {cafe.qmd} from {cafe.ipynb}" in result.err
    assert "A new first paragraph, written in Jupyter." in cafe.qmd.read_text(encoding="utf-8")
    assert cafe.ipynb.read_bytes() == notebook_bytes  # the edited side is left as it is


def test_new_outputs_alone_do_not_touch_the_text(pair_dir: Path, run_cli) -> None:
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    text_before = post.read_bytes()
    run_outputs(notebook, {2: "ran\n"})
    result = run_cli("sync", pair_dir)
    assert result.status == 0, result.err
    assert post.read_bytes() == text_before
    assert run_cli("sync", "--check", pair_dir).status == 0


def test_text_edit_after_cells_ran_is_no_conflict(pair_dir: Path, run_cli) -> None:
    """Outputs changed in the notebook and text changed in the .qmd: nothing is lost."""
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    run_outputs(notebook, {2: "one\n", 4: "two\n"})
    write(post, POST.replace("print(x)", "print(x + 1)"))
    result = run_cli("sync", pair_dir)
    assert result.status == 0, result.err
    after = cells(notebook)
    assert after[2]["outputs"][0]["text"] == ["one\n"]
    assert after[4]["outputs"] == []
    assert "".join(after[4]["source"]) == "print(x + 1)"


def test_both_sides_changed_is_refused_naming_both_files(pair_dir: Path, run_cli) -> None:
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    write(post, POST.replace("Intro text.", "Intro from the editor."))
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = "Intro from Jupyter."
    notebook.write_text(json.dumps(data), encoding="utf-8")
    snapshot = (post.read_bytes(), notebook.read_bytes())

    result = run_cli("sync", pair_dir)
    assert result.status == 1
    lines = [line for line in result.err.splitlines() if "error" in line]
    assert len(lines) == 1
    assert str(post) in lines[0] and str(notebook) in lines[0] and "--prefer" in lines[0]
    assert (post.read_bytes(), notebook.read_bytes()) == snapshot

    assert run_cli("sync", "--prefer", "ipynb", post).status == 0
    assert "Intro from Jupyter." in post.read_text(encoding="utf-8")
    assert run_cli("sync", "--check", pair_dir).status == 0


def test_prefer_qmd_settles_a_conflict_from_the_text(pair_dir: Path, run_cli) -> None:
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    write(post, POST.replace("Intro text.", "Intro from the editor."))
    data = json.loads(notebook.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = "Intro from Jupyter."
    notebook.write_text(json.dumps(data), encoding="utf-8")
    assert run_cli("sync", "--prefer", "qmd", pair_dir).status == 0
    assert "Intro from the editor." in notebook.read_text(encoding="utf-8")
    assert "Intro from Jupyter." not in notebook.read_text(encoding="utf-8")


def test_simulated_checkout_resetting_times_does_not_fool_sync(pair_dir: Path, run_cli) -> None:
    """A checkout leaves the notebook newer than an edited .qmd: content still decides."""
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    run_outputs(notebook, {2: "kept\n"})
    assert run_cli("sync", pair_dir).status == 0
    write(post, POST.replace("Between.", "Between, after checkout."))
    os.utime(post, ns=(1_000_000_000, 1_000_000_000))  # the text looks ancient...
    os.utime(notebook, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))  # ...
    result = run_cli("sync", pair_dir)
    assert result.status == 0, result.err
    text = notebook.read_text(encoding="utf-8")
    assert "Between, after checkout." in text  # the text won although it is "older"
    assert "kept" in text
    assert "Between, after checkout." in post.read_text(encoding="utf-8")


def test_checkout_that_changes_both_sides_consistently_is_in_sync(pair_dir: Path, run_cli) -> None:
    """Switching branches replaces both files with another synced version: no conflict."""
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    other = pair_dir / "other"
    write(other / "post.qmd", POST.replace("x = 1", "x = 2"))
    assert run_cli("pair", other / "post.qmd").status == 0
    post.write_bytes((other / "post.qmd").read_bytes())
    notebook.write_bytes((other / "post.ipynb").read_bytes())
    before = (post.stat().st_mtime_ns, notebook.stat().st_mtime_ns)
    result = run_cli("sync", post)
    assert result.status == 0, result.err
    assert (post.stat().st_mtime_ns, notebook.stat().st_mtime_ns) == before


def test_fresh_clone_without_record(pair_dir: Path, run_cli) -> None:
    """No record: agreeing sides are recorded untouched; differing sides need --prefer."""
    post, notebook = pair_dir / "post.qmd", pair_dir / "post.ipynb"
    record = pair_dir / ".nbpost" / "sync.json"
    assert record.is_file()
    record.unlink()
    assert run_cli("sync", "--check", pair_dir).status == 0
    assert run_cli("sync", pair_dir).status == 0
    assert record.is_file()

    record.unlink()
    write(post, POST.replace("Intro text.", "Edited without a record."))
    result = run_cli("sync", pair_dir)
    assert result.status == 1
    assert "no sync record" in result.err and str(notebook) in result.err
    assert "Edited without a record." not in notebook.read_text(encoding="utf-8")
    assert run_cli("sync", "--prefer", "qmd", pair_dir).status == 0
    assert "Edited without a record." in notebook.read_text(encoding="utf-8")


def test_api_sync_pair_reports_conflict_without_raising(pair_dir: Path) -> None:
    pair = Pair(pair_dir / "post.qmd", pair_dir / "post.ipynb")
    assert sync_pair(pair).action == "in-sync"
    write(pair.qmd, POST + "\nMore.\n")
    data = json.loads(pair.ipynb.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = "Changed."
    pair.ipynb.write_text(json.dumps(data), encoding="utf-8")
    result = sync_pair(pair)
    assert result.conflict and not result.changed
    dry = sync_pair(pair, prefer="qmd", dry_run=True)
    assert dry.action == "update-ipynb" and dry.written == [pair.ipynb]
    assert "Changed." in pair.ipynb.read_text(encoding="utf-8")  # dry run wrote nothing
