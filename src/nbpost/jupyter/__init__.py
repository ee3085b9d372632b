"""Jupyter integration: a server extension pairing posts with notebooks, and a ``qmd`` exporter.

``pip install nbpost`` enables the extension through
``etc/jupyter/jupyter_server_config.d/nbpost.json``; ``jupyter server extension disable
nbpost.jupyter`` turns it off. Nothing here is imported by the ``nbpost`` command line.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell jupyter_server where the extension's loader lives."""
    return [{"module": "nbpost.jupyter"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Give the server's contents manager nbpost's pairing behaviour."""
    # jupyter_server and nbformat load only inside a server, never with ``import nbpost``
    from .contents import install
    from .nbconvert import add_handlers

    if install(serverapp.contents_manager, serverapp.log):
        # An extension loaded later that rebuilds the contents manager from this class
        # (jupytext's does) then keeps nbpost's behaviour underneath its own.
        serverapp.contents_manager_class = type(serverapp.contents_manager)
        add_handlers(serverapp)


# The pre-2.0 names, for servers that still look them up.
_jupyter_server_extension_paths = _jupyter_server_extension_points
load_jupyter_server_extension = _load_jupyter_server_extension
