"""Writers at once never lose an edit: guarded replaces, a locked sync, a careful record."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from synchelpers import write

from nbpost.sync import Pair, SyncRecord, find_pair, guarded, sync_pair
from nbpost.sync.guarded import ChangedMeanwhile, replace_guarded
from nbpost.sync.record import RECORD_FILE, digest, project_lock, record_synced


def test_a_guarded_replace_leaves_a_file_that_changed_since_it_was_read(tmp_path: Path) -> None:
    target = write(tmp_path / "post.qmd", "as read\n")
    target.write_text("saved by an editor meanwhile\n", encoding="utf-8")
    with pytest.raises(ChangedMeanwhile, match=r"post\.qmd"):
        replace_guarded(target, "from nbpost\n", b"as read\n")
    assert target.read_text(encoding="utf-8") == "saved by an editor meanwhile\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.qmd"], "a temporary file stayed"


def test_a_guarded_create_never_replaces_a_file_that_appeared(tmp_path: Path) -> None:
    target = tmp_path / "post.ipynb"
    assert replace_guarded(target, "new\n", None)
    assert target.read_text(encoding="utf-8") == "new\n"
    with pytest.raises(ChangedMeanwhile, match=r"appeared|changed"):
        replace_guarded(target, "newer\n", None)
    assert not replace_guarded(target, "new\n", None)  # already holds it: nothing to do
    assert target.read_text(encoding="utf-8") == "new\n"


def test_a_guarded_replace_keeps_the_files_permissions(tmp_path: Path) -> None:
    target = write(tmp_path / "post.qmd", "old\n")
    os.chmod(target, 0o640)
    assert replace_guarded(target, "new\n", b"old\n")
    assert target.stat().st_mode & 0o777 == 0o640


def test_an_append_racing_the_rename_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor appends between the last look and the rename (seen on a loaded machine in
    tests/jupyter/test_race.py): the replaced file is read again through the handle kept on
    it, and the append is put back instead of being lost."""
    target = tmp_path / "index.qmd"
    target.write_bytes(b"as read\n")
    real_replace = os.replace

    def append_then_replace(source: str, destination: str | Path) -> None:
        if Path(destination) == target:
            with target.open("a", encoding="utf-8") as handle:
                handle.write("Editor line.\n")
        real_replace(source, destination)

    monkeypatch.setattr(guarded.os, "replace", append_then_replace)
    with pytest.raises(ChangedMeanwhile, match="put back"):
        replace_guarded(target, "from nbpost\n", b"as read\n")
    assert target.read_bytes() == b"as read\nEditor line.\n"
    assert not list(tmp_path.glob("*.nbpost-kept"))


@pytest.mark.parametrize(
    ("opening", "written", "kept"),
    [
        # An editor truncates the file and then writes it in place: nbpost's read after the
        # rename may fall between the two, so it waits until two reads agree and puts back
        # the whole save, not the empty file.
        ("truncate", b"as read\nsaved in place\n", b"as read\nsaved in place\n"),
        # An editor opens the file to append before nbpost's rename and writes only after
        # nbpost's first look at the replaced file (descheduled between its open and its
        # write, as tests/jupyter/test_race.py showed under load): the look after the pause
        # still sees it.
        ("append", b"Editor line.\n", b"as read\nEditor line.\n"),
    ],
)
def test_a_save_into_the_file_being_replaced_is_put_back_once_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opening: str, written: bytes, kept: bytes
) -> None:
    target = tmp_path / "index.qmd"
    target.write_bytes(b"as read\n")
    real_replace, real_sleep = os.replace, time.sleep
    editor: list[Any] = []

    def open_then_replace(source: str, destination: str | Path) -> None:
        if Path(destination) == target and not editor:
            # the editor's handle on the file being replaced, opened before the rename
            handle = target.open("r+b" if opening == "truncate" else "ab")
            if opening == "truncate":
                handle.truncate(0)
            editor.append(handle)
        real_replace(source, destination)

    def editor_writes_during_the_pause(seconds: float) -> None:
        if editor and not editor[0].closed:
            editor[0].write(written)
            editor[0].close()
        real_sleep(seconds)

    monkeypatch.setattr(guarded.os, "replace", open_then_replace)
    monkeypatch.setattr(guarded.time, "sleep", editor_writes_during_the_pause)
    with pytest.raises(ChangedMeanwhile, match="put back"):
        replace_guarded(target, "from nbpost\n", b"as read\n")
    assert target.read_bytes() == kept


def test_a_raced_append_is_kept_beside_when_the_file_changed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the file changed once more before the append could be put back, the append's bytes
    are kept beside it: never dropped."""
    target = tmp_path / "index.qmd"
    target.write_bytes(b"as read\n")
    real_replace = os.replace
    calls: list[str] = []

    def racing(source: str, destination: str | Path) -> None:
        calls.append(str(destination))
        if len(calls) == 1:  # nbpost's rename: an append lands first, a save right after
            with target.open("a", encoding="utf-8") as handle:
                handle.write("Editor line.\n")
            real_replace(source, destination)
            target.write_bytes(b"saved again\n")
            return
        real_replace(source, destination)

    monkeypatch.setattr(guarded.os, "replace", racing)
    with pytest.raises(ChangedMeanwhile):
        replace_guarded(target, "from nbpost\n", b"as read\n")
    assert target.read_bytes() == b"saved again\n"
    kept = tmp_path / "index.qmd.nbpost-kept"
    assert kept.read_bytes() == b"as read\nEditor line.\n"
    # A second such race keeps its bytes under the next name: the first kept file stays.
    target.write_bytes(b"as read\n")
    calls.clear()
    with pytest.raises(ChangedMeanwhile):
        replace_guarded(target, "from nbpost\n", b"as read\n")
    assert kept.read_bytes() == b"as read\nEditor line.\n"
    assert (tmp_path / "index.qmd.nbpost-kept-2").read_bytes() == b"as read\nEditor line.\n"


def test_the_record_never_applies_an_entry_over_a_newer_one(tmp_path: Path) -> None:
    write(tmp_path / "_quarto.yml", "project:\n  type: website\n")
    pair = Pair(tmp_path / "a.qmd", tmp_path / "a.ipynb")
    stale = SyncRecord.load(tmp_path)  # a sync run read the record here...
    record_synced(pair, b"text written by Jupyter", b"notebook written by Jupyter")
    stale.put(pair, b"text sync saw", b"notebook sync saw")  # ...and decided before that save
    stale.save()
    entry = SyncRecord.load(tmp_path).get(pair)
    assert entry is not None and entry.qmd_sha256 == digest(b"text written by Jupyter")


def test_the_project_lock_is_reentrant_in_a_thread_and_exclusive_across_threads(
    tmp_path: Path,
) -> None:
    order: list[str] = []
    with project_lock(tmp_path):
        with project_lock(tmp_path):  # a record saved inside a save: no deadlock
            order.append("inner")
        other = threading.Thread(
            target=lambda: (project_lock(tmp_path).__enter__(), order.append("other"))
        )
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive(), "another thread took the lock while it was held"
        order.append("released")
    other.join(timeout=10)
    assert order == ["inner", "released", "other"]
    assert (tmp_path / RECORD_FILE).parent.is_dir()


def test_sync_leaves_a_pair_whose_file_changes_while_it_syncs(
    pair_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = find_pair(pair_dir / "post.ipynb")
    assert pair is not None
    data = json.loads(pair.ipynb.read_text(encoding="utf-8"))
    data["cells"][1]["source"] = ["Intro text, edited in Jupyter."]
    pair.ipynb.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    from nbpost.sync import engine

    real = engine.text_from_notebook

    def editor_saves_meanwhile(*args: object, **kwargs: object) -> object:
        with pair.qmd.open("a", encoding="utf-8") as handle:
            handle.write("\nWritten in an editor while sync ran.\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "text_from_notebook", editor_saves_meanwhile)
    result = sync_pair(pair)
    assert result.conflict and "run 'nbpost sync' again" in result.message
    assert "Written in an editor while sync ran." in pair.qmd.read_text(encoding="utf-8")
