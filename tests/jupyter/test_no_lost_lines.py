"""Property: whatever a user does, every line they wrote is in a file or was refused with a message.

Random sequences of what people do to a paired post, against a real Jupyter server over REST:

* type a line in a JupyterLab tab and save it: the post opened as a notebook, the paired
  notebook, or the post in the text editor. JupyterLab checks the file's hash first; a
  careful user then reloads (*Revert*), a hurried one presses *Overwrite* (for the notebook
  views; for the text editor *Overwrite* is the user choosing to replace the file, which
  nbpost does not second-guess);
* save a line into ``index.qmd`` from another editor, or add a cell to ``index.ipynb`` from
  another tool;
* run ``nbpost sync`` on the folder;
* rename either side in the file browser (tabs on the renamed file follow, as in JupyterLab);
* run ``nbpost convert`` on either side: it either converts, or refuses with one line naming
  the file and writes nothing at all.

A line counts as written once it is on disk: an outside edit always, a save when the server
answered 200. After every step each written line must still be in one of the files of the
post's folder.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jupyterserver import JupyterServer
from labclient import View

from nbpost.sync import sync_paths

pytestmark = pytest.mark.jupyter

VIEWS = ("post-notebook", "notebook", "post-text")
STEPS = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(VIEWS), st.booleans()),
    st.tuples(st.just("editor"), st.sampled_from(("qmd", "ipynb"))),
    st.tuples(st.just("sync")),
    st.tuples(st.just("rename"), st.sampled_from(("qmd", "ipynb"))),
    st.tuples(st.just("convert"), st.sampled_from(("qmd", "ipynb"))),
)
EXAMPLES = int(os.environ.get("NBPOST_PROPERTY_EXAMPLES", "12"))


@dataclass
class Session:
    """One post and the tabs open on it."""

    server: JupyterServer
    folder: Path
    qmd: Path
    ipynb: Path
    views: dict[str, View] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def line(self, who: str) -> str:
        return f"{who}-line-{next(self.counter)}"

    def view(self, kind: str) -> View:
        if kind not in self.views:
            path = self.ipynb if kind == "notebook" else self.qmd
            text = "text" if kind == "post-text" else "notebook"
            api = self.server.api_path(path)
            self.views[kind] = View(self.server, api, text)  # type: ignore[arg-type]
            self._open(kind)
        return self.views[kind]

    def _open(self, kind: str) -> None:
        view = self.views[kind]
        reply = self.server.get_contents(view.path, content=0)
        if reply.status == 404:  # the file moved away: the tab is gone
            del self.views[kind]
            return
        view.open()

    def type_and_save(self, kind: str, overwrite: bool) -> None:
        if kind == "post-text":
            overwrite = False  # see the module docstring
        view = self.view(kind)
        if kind not in self.views:
            return
        line = self.line(kind)
        view.add_line(line)
        reply = view.save(overwrite=overwrite)
        if reply is None:  # "File Changed": the careful user reverts
            self._open(kind)
            return
        if reply.status in (200, 201):  # 201: the file had moved away, the tab made a new one
            self.written.append(line)
            return
        assert reply.status == 409, (reply.status, reply.body)
        message = reply.body["message"]
        assert "\n" not in message and message.startswith(self.server.api_path(self.folder))
        self._open(kind)  # after the error dialog the user reloads

    def editor(self, side: str) -> None:
        line = self.line(f"outside-{side}")
        if side == "qmd":
            with self.qmd.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{line}\n")
        else:
            data = json.loads(self.ipynb.read_text(encoding="utf-8"))
            cell = {"cell_type": "markdown", "id": line, "metadata": {}, "source": line}
            data["cells"].append(cell)
            self.ipynb.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        self.written.append(line)

    def rename(self, side: str) -> None:
        old = self.qmd if side == "qmd" else self.ipynb
        stem = f"renamed{next(self.counter)}"
        new = old.with_name(stem + old.suffix)
        reply = self.server.request(
            "PATCH",
            f"api/contents/{self.server.api_path(old)}",
            {"path": self.server.api_path(new)},
        )
        if reply.status != 200:
            assert 400 <= reply.status < 500, reply.body
            return
        self.qmd, self.ipynb = (
            self.qmd.with_name(stem + ".qmd"),
            self.ipynb.with_name(stem + ".ipynb"),
        )
        old_api = self.server.api_path(old)
        for view in self.views.values():  # JupyterLab updates tabs on the renamed file
            if view.path == old_api:
                view.path = self.server.api_path(new)

    def convert(self, side: str, run_cli: Callable[..., Any]) -> None:
        source = self.qmd if side == "qmd" else self.ipynb
        before = snapshot(self.folder)
        result = run_cli("convert", source)
        if result.status == 0:
            return  # the check after the step proves nothing was lost
        assert snapshot(self.folder) == before, "a refused convert wrote a file"
        [problem, *_] = result.err.splitlines()
        assert str(source) in problem and "--force" in problem, result.err

    def check(self, step: Any) -> None:
        files = "".join(
            p.read_text(encoding="utf-8", errors="replace")
            for p in self.folder.rglob("*")
            if p.is_file()
            and p.suffix in (".qmd", ".ipynb")
            and ".ipynb_checkpoints" not in p.parts
        )
        lost = [line for line in self.written if line not in files]
        assert not lost, f"after {step}: lost {lost}"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder (the sync record lives above it), with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=3, max_size=12))
def test_no_sequence_of_saves_syncs_edits_and_renames_loses_a_line(
    steps: list[tuple[Any, ...]],
    jupyter_server: JupyterServer,
    post_copy: Callable[[str], Path],
    run_cli: Callable[..., Any],
) -> None:
    folder = post_copy("2024-03-02-first-frost-dates")
    assert run_cli("pair", folder / "index.qmd").status == 0
    session = Session(jupyter_server, folder, folder / "index.qmd", folder / "index.ipynb")
    for step in steps:
        if step[0] == "type":
            session.type_and_save(step[1], step[2])
        elif step[0] == "editor":
            session.editor(step[1])
        elif step[0] == "sync":
            sync_paths([folder])
        elif step[0] == "convert":
            session.convert(step[1], run_cli)
        else:
            session.rename(step[1])
        session.check(step)


EDITS = st.one_of(
    st.tuples(st.just("type"), st.sampled_from(VIEWS), st.booleans()),
    st.tuples(st.just("editor"), st.sampled_from(("qmd", "ipynb"))),
)
SIDES = st.sampled_from(("qmd", "ipynb"))


@settings(
    max_examples=max(EXAMPLES // 2, 4),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(EDITS, min_size=1, max_size=4), converts=st.lists(SIDES, min_size=1, max_size=2)
)
def test_edits_on_both_sides_then_convert_never_lose_a_line(
    edits: list[tuple[Any, ...]],
    converts: list[str],
    jupyter_server: JupyterServer,
    post_copy: Callable[[str], Path],
    run_cli: Callable[..., Any],
) -> None:
    folder = post_copy("2024-03-02-first-frost-dates")
    assert run_cli("pair", folder / "index.qmd").status == 0
    session = Session(jupyter_server, folder, folder / "index.qmd", folder / "index.ipynb")
    for step in edits:
        if step[0] == "type":
            session.type_and_save(step[1], step[2])
        else:
            session.editor(step[1])
        session.check(step)
    for side in converts:
        session.convert(side, run_cli)
        session.check(("convert", side))
