"""The rule that keeps outputs when a notebook is rebuilt from its text."""

from __future__ import annotations

from nbpost import qmd
from nbpost.ipynb.outputs import carry_outputs
from nbpost.model import Cell, Document

TEXT = "---\ntitle: t\n---\n\n```{python}\n1 + 1\n```\n\n```{python}\nprint('x')\n```\n"


def executed_notebook() -> Document:
    """The text's notebook after a kernel ran it."""
    doc = qmd.parse(TEXT)
    for number, cell in enumerate(c for c in doc.cells if c.cell_type == "code"):
        cell.outputs = [{"output_type": "stream", "name": "stdout", "text": f"out {number}\n"}]
        cell.execution_count = number + 1
        cell.metadata["scrolled"] = True
    doc.metadata["language_info"] = {"name": "python", "version": "3.11.7", "pygments_lexer": "x"}
    doc.metadata["widgets"] = {"state": {}}
    return doc


def test_unchanged_cells_keep_outputs_ids_and_notebook_only_metadata() -> None:
    old = executed_notebook()
    new = qmd.parse(TEXT)
    assert carry_outputs(new, old) == 2
    for fresh, recorded in zip(new.cells, old.cells, strict=True):
        assert fresh.id == recorded.id
        assert fresh.outputs == recorded.outputs
        assert fresh.execution_count == recorded.execution_count
    assert new.cells[1].metadata["scrolled"] is True
    assert new.metadata["widgets"] == {"state": {}}
    assert new.metadata["language_info"]["version"] == "3.11.7"


def test_an_edited_cell_loses_its_stale_outputs() -> None:
    old = executed_notebook()
    new = qmd.parse(TEXT.replace("1 + 1", "1 + 2"))
    assert carry_outputs(new, old) == 1
    edited = next(c for c in new.cells if c.source == "1 + 2")
    assert edited.outputs == [] and edited.execution_count is None


def test_a_cell_edited_where_it_stood_keeps_its_id_and_metadata_not_its_run() -> None:
    old = executed_notebook()
    code = [c for c in old.cells if c.cell_type == "code"]
    code[0].metadata["execution"] = {"iopub.status.idle": "2026-12-08T01:00:00Z"}
    new = qmd.parse(TEXT.replace("1 + 1", "1 + 2"))
    carry_outputs(new, old)
    edited = next(c for c in new.cells if c.source == "1 + 2")
    assert edited.id == code[0].id
    assert edited.metadata.get("scrolled") is True and "execution" not in edited.metadata
    assert edited.outputs == [] and edited.execution_count is None
    assert [c.id for c in new.cells] == [c.id for c in old.cells]


def test_of_two_cells_with_the_same_source_each_keeps_its_own_outputs() -> None:
    # `df.head()` twice, at two states of `df`: the first one is edited in the text; the
    # second must keep its own outputs and id, not take its twin's (the first unused old
    # cell with its source), and the edited one keeps its id
    text = "```{python}\ndf.head()\n```\n\n```{python}\ndf = df[df.x > 0]\n```\n\n"
    text += "```{python}\ndf.head()\n```\n"
    old = qmd.parse(text)
    for number, cell in enumerate(old.cells):
        cell.id = f"cell-{number}"
        cell.outputs = [{"output_type": "stream", "name": "stdout", "text": f"state {number}\n"}]
        cell.execution_count = number + 1
    new = qmd.parse(text.replace("df.head()", "df.head(3)", 1))
    carry_outputs(new, old)
    assert [c.id for c in new.cells] == ["cell-0", "cell-1", "cell-2"]
    assert new.cells[0].outputs == [] and new.cells[0].source == "df.head(3)"
    assert new.cells[2].outputs == old.cells[2].outputs


def test_edits_that_add_remove_or_retype_cells_give_them_new_ids() -> None:
    old = executed_notebook()
    old_ids = {c.id for c in old.cells}
    added = "```{python}\n1 + 3\n```\n\n```{python}\n1 + 4\n```"
    for text in (
        TEXT.replace("```{python}\n1 + 1\n```", added),  # one cell became two
        TEXT.replace("```{python}\n1 + 1\n```", "1 + 1 as text"),  # code became markdown
    ):
        new = qmd.parse(text)
        carry_outputs(new, old)
        fresh = [c for c in new.cells if c.source in ("1 + 3", "1 + 4", "1 + 1 as text")]
        assert fresh and all(c.id not in old_ids for c in fresh), text


def test_an_id_the_text_names_is_kept_for_an_edited_cell() -> None:
    old = executed_notebook()
    new = qmd.parse(TEXT.replace("1 + 1", "#| id: mine\n1 + 2"))
    carry_outputs(new, old)
    assert any(c.id == "mine" for c in new.cells)


def test_a_moved_cell_keeps_its_outputs_by_source() -> None:
    old = executed_notebook()
    swapped = "---\ntitle: t\n---\n\n```{python}\nprint('x')\n```\n\n```{python}\n1 + 1\n```\n"
    new = qmd.parse(swapped)
    carry_outputs(new, old)
    by_source = {c.source: c for c in old.cells}
    for cell in new.cells:
        if cell.cell_type == "code":
            assert cell.outputs == by_source[cell.source].outputs


def test_another_language_does_not_take_the_old_language_info() -> None:
    old = executed_notebook()
    new = qmd.parse(TEXT, kernel="ir")  # the text now asks for another kernel
    assert new.metadata["language_info"] == {"name": "R"}
    new.cells.append(Cell("markdown", "more"))
    carry_outputs(new, old)
    assert new.metadata["language_info"] == {"name": "R"}


def test_the_same_kernel_keeps_what_it_recorded_in_language_info() -> None:
    old = executed_notebook()
    old.metadata["language_info"] = {"name": "python", "version": "3.12.1", "mimetype": "x"}
    new = qmd.parse(TEXT)
    carry_outputs(new, old)
    assert new.metadata["language_info"] == old.metadata["language_info"]
