"""The snapshot's columns (``incremental.statcolumns``): exact round trips, and damage read as
no snapshot (the build then goes the full way and its outputs are the same)."""

from __future__ import annotations

import json

import pytest
from blogfactory import QUARTO_YML, post, write_files
from hypothesis import given
from hypothesis import strategies as st

from nbpost.blog.build import build_blog
from nbpost.blog.incremental.snapshot import BASE
from nbpost.blog.incremental.statcolumns import (
    file_rows,
    pack_files,
    pack_folders,
    unpack_files,
    unpack_folders,
)

names = st.text(st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), min_size=1)
stats = st.lists(st.integers(-(2**63), 2**63 - 1), min_size=4, max_size=4)


@given(st.dictionaries(names, stats))
def test_file_stats_come_back_exactly_through_json(files: dict[str, list[int]]) -> None:
    packed = json.loads(json.dumps(pack_files(files)))
    assert unpack_files(packed) == files
    assert list(unpack_files(packed)) == list(files)  # the order too


@given(st.dictionaries(names, st.tuples(st.integers(0, 2**63 - 1), st.text())))
def test_folder_entries_come_back_exactly_through_json(entries: dict) -> None:
    folders = {rel: [ctime, signature] for rel, (ctime, signature) in entries.items()}
    assert unpack_folders(json.loads(json.dumps(pack_folders(folders)))) == folders


@pytest.mark.parametrize(
    "damage",
    [
        lambda files: {**files, "stats": files["stats"][:-4]},  # a number cut short
        lambda files: {**files, "stats": "not base64!"},
        lambda files: {**files, "names": files["names"] + "\0extra"},  # one name too many
        lambda files: {**files, "names": 7},
        lambda files: {"names": files["names"]},
    ],
)
def test_damaged_columns_read_as_no_snapshot(tmp_path, damage) -> None:
    root = write_files(
        tmp_path / "blog",
        {"_quarto.yml": QUARTO_YML, "posts/a/index.qmd": post("A", "2024-01-02", ["x"])},
    )
    build_blog(root, quiet=True)
    base = json.loads((root / BASE).read_text(encoding="utf-8"))
    base["files"] = damage(base["files"])
    (root / BASE).write_text(json.dumps(base), encoding="utf-8")
    (root / "posts/a/index.qmd").write_text(post("Edited", "2024-01-02", ["x"]), encoding="utf-8")
    second = build_blog(root, quiet=True)
    assert second.ok and not second.problems
    assert "Edited" in (root / "POSTS.md").read_text(encoding="utf-8")
    assert unpack_files(json.loads((root / BASE).read_text(encoding="utf-8"))["files"])


@given(st.dictionaries(names, stats, min_size=1), st.data())
def test_changed_stats_replace_the_columns_ones_in_place(files: dict, data: st.DataObject) -> None:
    changed = data.draw(st.dictionaries(st.sampled_from(sorted(files)), stats, max_size=5))
    rows = file_rows(json.loads(json.dumps(pack_files(files))), changed)
    assert [(rel, [*stat]) for rel, *stat in rows] == list({**files, **changed}.items())


@pytest.mark.parametrize("change", [{"elsewhere": [1, 2, 3, 4]}, {"a": [1, 2, 3]}, {"a": "x"}])
def test_a_change_the_columns_cannot_take_is_an_error(change: dict) -> None:
    with pytest.raises((ValueError, TypeError)):
        list(file_rows(pack_files({"a": [5, 6, 7, 8]}), change))
