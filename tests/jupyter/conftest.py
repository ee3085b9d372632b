"""A real Jupyter server on a copy of the example blog, shared by the REST tests.

Fixtures:

``jupyter_server`` (session)
    A running ``jupyter server`` (see ``jupyterserver.py``) whose root is a copy of
    ``examples/blog``; stopped at the end of the session.
``post_copy`` (function)
    ``post_copy("2024-03-02-first-frost-dates")`` copies that post folder to a fresh folder
    of the server's blog (``posts/t<N>-<name>``) and returns its path, so tests never share
    files.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from jupyterserver import JupyterServer, start, stop

_COUNTER = itertools.count(1)


@pytest.fixture(scope="session")
def jupyter_server(
    examples_blog: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[JupyterServer]:
    """A real Jupyter server whose root is a copy of the example blog."""
    pytest.importorskip(
        "jupyter_server", reason="jupyter_server not installed: pip install nbpost[jupyter]"
    )
    base = tmp_path_factory.mktemp("jupyter")
    root = base / "blog"
    shutil.copytree(examples_blog, root, ignore=shutil.ignore_patterns("_site", ".nbpost"))
    server = start(root, base / "home")
    try:
        yield server
    finally:
        stop(server)


@pytest.fixture
def post_copy(jupyter_server: JupyterServer, examples_blog: Path) -> Callable[[str], Path]:
    """Copy a post of the example blog to a folder of its own inside the server's root."""

    def copy(name: str) -> Path:
        target = jupyter_server.root / "posts" / f"t{next(_COUNTER)}-{name}"
        shutil.copytree(examples_blog / "posts" / name, target)
        return target

    return copy
