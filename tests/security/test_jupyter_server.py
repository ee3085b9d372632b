"""The Jupyter server extension under hostile input (issue 11): a real server over REST.

* Malformed notebook values never give a server error: nbpost answers 4xx with one line
  naming the file relative to the server's root, and writes nothing.
* A text save of a post is never refused, even when ``_quarto.yml`` is invalid.
* Nothing is written outside the server's ``root_dir``: not a partner a ``notebook-dir`` of a
  ``_quarto.yml`` above the root points to, not the sync record, not an attachment.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "jupyter"))
from jupyterserver import JupyterServer, start, stop

from nbpost.api import qmd_to_notebook

pytestmark = pytest.mark.jupyter

POST = "---\ntitle: Hostile\n---\n\nSome text.\n\n```{python}\n1 + 1\n```\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JupyterServer]:
    """A server whose root is ``above/root``; ``above`` holds a ``_quarto.yml`` of its own."""
    pytest.importorskip("jupyter_server", reason="pip install nbpost[jupyter]")
    above = tmp_path_factory.mktemp("hostile") / "above"
    root = above / "root"
    root.mkdir(parents=True)
    (above / "_quarto.yml").write_text(
        "project:\n  type: website\nnbpost:\n  notebook-dir: nbs\n", encoding="utf-8"
    )
    running = start(root, above.parent / "home")
    try:
        yield running
    finally:
        stop(running)


_COUNT = iter(range(1, 10_000))


@pytest.fixture
def project(server: JupyterServer) -> Callable[..., Path]:
    """A fresh Quarto project inside the root, with a paired post ``posts/p/index.qmd``."""

    def make(config: str = "project:\n  type: website\n", paired: bool = True) -> Path:
        folder = server.root / f"p{next(_COUNT)}"
        (folder / "posts" / "p").mkdir(parents=True)
        (folder / "_quarto.yml").write_text(config, encoding="utf-8")
        qmd = folder / "posts" / "p" / "index.qmd"
        qmd.write_text(POST, encoding="utf-8")
        if paired:
            nb = json.loads(json.dumps(qmd_to_notebook(POST)))
            qmd.with_suffix(".ipynb").write_text(json.dumps(nb, indent=1), encoding="utf-8")
        return folder

    return make


def _notebook() -> dict[str, Any]:
    return json.loads(json.dumps(qmd_to_notebook(POST)))


def _nest(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = {"k": value}
    return value


def _with(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    nb = _notebook()
    change(nb)
    return nb


MALFORMED: dict[str, dict[str, Any]] = {
    "kernelspec: 5": _with(lambda nb: nb["metadata"].__setitem__("kernelspec", 5)),
    "language_info: a string": _with(lambda nb: nb["metadata"].__setitem__("language_info", "x")),
    "nbformat_minor as a string": _with(lambda nb: nb.__setitem__("nbformat_minor", "5")),
    "nbformat_minor null": _with(lambda nb: nb.__setitem__("nbformat_minor", None)),
    "metadata.nbpost.newline: 5": _with(
        lambda nb: nb["metadata"].__setitem__("nbpost", {"newline": 5})
    ),
    "attachments as a list": _with(lambda nb: nb["cells"][1].__setitem__("attachments", ["x"])),
    "bad base64 in an attachment": _with(
        lambda nb: nb["cells"][1].update(
            source="![x](attachment:x.png)", attachments={"x.png": {"image/png": "!!notb64"}}
        )
    ),
    "a lone surrogate in a cell": _with(lambda nb: nb["cells"][1].__setitem__("source", "\ud800")),
    "metadata nested 400 deep": _with(
        lambda nb: nb["cells"][1].__setitem__("metadata", _nest(400))
    ),
    "a cell id with a path": _with(
        lambda nb: nb["cells"][1].update(
            id="../" * 8 + "escape",
            source="![x](attachment:x.png)",
            attachments={"x.png": {"image/png": "iVBORw0KGgo="}},
        )
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("target", ["index.ipynb", "index.qmd"])
def test_a_malformed_notebook_gets_one_line_and_never_a_server_error(
    case: str, target: str, server: JupyterServer, project: Callable[..., Path]
) -> None:
    folder = project()
    before = snapshot(server.root.parent)
    path = server.api_path(folder / "posts" / "p" / target)
    reply = server.save(path, {"type": "notebook", "content": copy.deepcopy(MALFORMED[case])})
    if reply.status == 200:
        # Accepted only when nothing unsafe was written: the post still reads, and no file
        # appeared outside the post's folder.
        written = set(snapshot(server.root.parent)) - set(before)
        assert all(name.startswith(server.root.name + "/") for name in written), written
        return
    assert 400 <= reply.status < 500, (reply.status, reply.body)
    message = reply.body["message"]
    assert "\n" not in message and str(server.root) not in message, message
    assert message.startswith(f"{folder.name}/posts/p/"), message
    assert snapshot(server.root.parent) == before, "a refused save wrote files"


def test_an_unpaired_notebook_with_kernelspec_5_saves_as_jupyter_saves_it(
    server: JupyterServer, project: Callable[..., Path]
) -> None:
    # nbpost has nothing to write for a notebook without a post: Jupyter's behaviour stays.
    folder = project(paired=False)
    path = server.api_path(folder / "alone.ipynb")
    reply = server.save(path, {"type": "notebook", "content": MALFORMED["kernelspec: 5"]})
    assert reply.status in (200, 201), reply.body


def test_a_hostile_post_opens_with_one_line_never_a_server_error(
    server: JupyterServer, project: Callable[..., Path]
) -> None:
    folder = project(paired=False)
    qmd = folder / "posts" / "p" / "index.qmd"
    nested = "[" * 5000 + "]" * 5000
    for text in (
        POST + f'\n<!-- cell {{"metadata": {nested}}} -->\nText.\n',
        "---\ntitle: [unclosed\n---\n",
        POST.replace("Hostile", "Hostile\x00"),
    ):
        qmd.write_text(text, encoding="utf-8")
        reply = server.get_contents(server.api_path(qmd), type="notebook", content=1)
        assert reply.status in (200, 400), (reply.status, reply.body)
        if reply.status == 400:
            assert reply.body["message"].startswith(server.api_path(qmd)), reply.body
    qmd.write_bytes(b"caf\xe9\n")
    reply = server.get_contents(server.api_path(qmd), type="notebook", content=1)
    assert reply.status == 400 and reply.body["message"].startswith(f"{server.api_path(qmd)}:1:")


def test_a_text_save_is_never_refused_even_with_an_invalid_notebook_dir(
    server: JupyterServer, project: Callable[..., Path]
) -> None:
    folder = project("project:\n  type: website\nnbpost:\n  notebook-dir: ../outside\n")
    qmd = folder / "posts" / "p" / "index.qmd"
    edited = POST.replace("Some text.", "Some saved text.")
    reply = server.save(server.api_path(qmd), {"type": "file", "format": "text", "content": edited})
    assert reply.status == 200, reply.body
    assert qmd.read_text(encoding="utf-8") == edited
    # The notebook beside it still pairs (side by side needs no setting), and follows.
    assert "Some saved text." in qmd.with_suffix(".ipynb").read_text(encoding="utf-8")
    # A post opened as a notebook needs the setting: one line naming _quarto.yml and its line.
    reply = server.get_contents(server.api_path(qmd), type="notebook", content=1)
    if reply.status != 200:
        assert reply.status == 400, reply.body
        assert reply.body["message"].startswith(f"{folder.name}/_quarto.yml:4: "), reply.body


def test_nothing_is_written_outside_the_servers_root(
    server: JupyterServer, project: Callable[..., Path]
) -> None:
    # The root is above/root, and above/_quarto.yml says notebook-dir: nbs. A post directly in
    # the root (no project of its own) would pair with above/nbs/root/....ipynb.
    above = server.root.parent
    post = server.root / f"c{next(_COUNT)}" / "index.qmd"
    post.parent.mkdir()
    post.write_text(POST, encoding="utf-8")
    outside = {p for p in above.rglob("*") if not p.is_relative_to(server.root)}
    api = server.api_path(post)
    opened = server.get_contents(api, type="notebook", content=1)
    assert opened.status in (200, 403), opened.body
    content = opened.body["content"] if opened.status == 200 else _notebook()
    content["cells"][1]["source"] = "Edited."
    reply = server.save(api, {"type": "notebook", "content": content})
    assert reply.status == 403, reply.body
    assert "outside the folder this Jupyter server serves" in reply.body["message"]
    assert str(above) not in reply.body["message"]
    text = server.save(api, {"type": "file", "format": "text", "content": POST + "\nMore.\n"})
    assert text.status == 200, text.body
    assert {p for p in above.rglob("*") if not p.is_relative_to(server.root)} == outside
    assert not (above / ".nbpost").exists() and not (above / "nbs").exists()


def test_a_symlinked_state_folder_or_image_folder_leading_out_is_not_written(
    server: JupyterServer, project: Callable[..., Path], tmp_path: Path
) -> None:
    folder = project()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / ".nbpost").symlink_to(elsewhere, target_is_directory=True)
    (folder / "posts" / "p" / "index_files").symlink_to(elsewhere, target_is_directory=True)
    notebook = folder / "posts" / "p" / "index.ipynb"
    content = json.loads(notebook.read_text(encoding="utf-8"))
    content["cells"][1]["source"] = "A picture: ![x](attachment:x.png)"
    content["cells"][1]["attachments"] = {"x.png": {"image/png": "iVBORw0KGgo="}}
    reply = server.save(server.api_path(notebook), {"type": "notebook", "content": content})
    assert reply.status == 403, reply.body
    assert list(elsewhere.iterdir()) == []
    content["cells"][1]["source"] = "No picture."
    del content["cells"][1]["attachments"]
    reply = server.save(server.api_path(notebook), {"type": "notebook", "content": content})
    assert reply.status == 200, reply.body
    assert list(elsewhere.iterdir()) == [], "the record followed the symlink out of the root"
