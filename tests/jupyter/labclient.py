"""A REST client that opens and saves files the way JupyterLab 4 does.

JupyterLab loads a document with ``GET ...?content=1&hash=1`` and keeps the model in the
browser. Before each save it asks for the file's hash again (``content=0&hash=1``): when the
hash changed, it shows its "File Changed" dialog, whose buttons are *Revert* (load the file
again) and *Overwrite* (save anyway). After a save it asks for the hash once more and keeps it.
``View`` does exactly that, so tests can play a careful user (revert on change) or a hurried
one (overwrite).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

from jupyterserver import JupyterServer, Response

Kind = Literal["notebook", "text"]


@dataclass
class View:
    """A document open in a JupyterLab tab: a notebook (of a .ipynb or a .qmd) or a text file."""

    server: JupyterServer
    path: str  # API path, relative to the server's root
    kind: Kind = "notebook"
    content: Any = None  # the notebook JSON (dict) or the text (str) held in the browser
    hash: str | None = None
    refusals: list[str] = field(default_factory=list)

    def open(self) -> View:
        """Load the document (JupyterLab's revert); raise when the server refuses."""
        params: dict[str, Any] = {"content": 1, "hash": 1}
        if self.kind == "notebook":
            params.update(type="notebook")  # JupyterLab's drive sends no format for notebooks
        else:
            params.update(type="file", format="text")
        reply = self.server.get_contents(self.path, **params)
        if reply.status != 200:
            raise AssertionError(f"GET {self.path}: {reply.status} {reply.body}")
        self.content = reply.body["content"]
        self.hash = reply.body.get("hash")
        assert self.hash, "the server did not return a hash"
        return self

    def changed_on_disk(self) -> bool:
        """What JupyterLab asks before saving: does the file's hash still match ours?"""
        reply = self.server.get_contents(self.path, content=0, hash=1)
        return reply.status != 200 or reply.body.get("hash") != self.hash

    def save(self, overwrite: bool = False) -> Response | None:
        """Ctrl+S. Returns None when the file changed on disk and ``overwrite`` is off (the
        caller should then ``open()`` again, as *Revert* does); else the server's answer."""
        if not overwrite and self.changed_on_disk():
            return None
        model: dict[str, Any] = {"type": "notebook" if self.kind == "notebook" else "file"}
        model["content"] = copy.deepcopy(self.content)
        if self.kind == "text":
            model["format"] = "text"
        reply = self.server.save(self.path, model)
        if reply.status in (200, 201):
            after = self.server.get_contents(self.path, content=0, hash=1)
            self.hash = after.body.get("hash") if after.status == 200 else None
        else:
            message = reply.body.get("message") if isinstance(reply.body, dict) else reply.body
            self.refusals.append(str(message))
        return reply

    def cell(self, prefix: str) -> dict[str, Any]:
        """The first cell of a notebook view whose source starts with ``prefix``."""
        for cell in self.content["cells"]:
            source = cell["source"]
            text = "".join(source) if isinstance(source, list) else source
            if text.startswith(prefix):
                return dict(cell)
        raise KeyError(prefix)

    def add_line(self, line: str) -> None:
        """Type a line: at the end of the first markdown cell (notebook) or of the text."""
        if self.kind == "text":
            self.content = self.content + ("" if self.content.endswith("\n") else "\n") + line
            self.content += "\n"
            return
        for cell in self.content["cells"]:
            if cell["cell_type"] == "markdown":
                source = cell["source"]
                text = "".join(source) if isinstance(source, list) else source
                cell["source"] = f"{text}\n\n{line}" if text else line
                return
        self.content["cells"].append(
            {
                "cell_type": "markdown",
                "id": f"c{len(self.content['cells'])}",
                "metadata": {},
                "source": line,
            }
        )
