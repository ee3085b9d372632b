"""Export a post opened as a notebook ("Save and Export Notebook As"): convert nbpost's notebook.

JupyterLab exports the open document with ``GET /nbconvert/FORMAT/PATH``. Jupyter's handler
asks the contents manager for PATH without a type; for ``X.qmd`` that is the text, not a
notebook, so it tries to redirect to the file and (jupyter_server 2.x) forgets to await the
redirect: the download is empty and the log says ``coroutine
'FilesRedirectHandler.redirect_to_files' was never awaited``. nbpost registers the same
handler for ``.qmd``/``.md`` paths, with a contents manager that answers with the post as a
notebook, so every exporter (``qmd``, HTML, PDF...) gets what the Notebook viewer shows.
"""

from __future__ import annotations

import inspect
from typing import Any

from jupyter_server.nbconvert.handlers import NbconvertFileHandler
from jupyter_server.utils import url_path_join

from .pairing import is_text_post
from .views import take


def _unstamp(model: Any) -> Any:
    """A model without the view stamp (an export is not a notebook open for editing)."""
    if isinstance(model, dict):
        take(model.get("content"))
    return model


async def _unstamped(await_model: Any) -> Any:
    return _unstamp(await await_model)


# A path ending in .qmd or .md (any case); the format as Jupyter's own route spells it.
ROUTE = r"/nbconvert/(?P<format>\w+)(?P<path>(?:/[^/]+)+\.(?i:qmd|md))"


class _PostsAsNotebooks:
    """A contents manager that answers a plain ``get`` of a post with its notebook."""

    def __init__(self, manager: Any) -> None:
        self._manager = manager

    def __getattr__(self, name: str) -> Any:
        return getattr(self._manager, name)

    def get(self, path: str, content: bool = True, type: str | None = None, **kw: Any) -> Any:
        """The post as a notebook (``type="notebook"``) when no type was asked for."""
        if type is None and is_text_post(path):
            type = "notebook"
        model = self._manager.get(path, content=content, type=type, **kw)
        if inspect.isawaitable(model):
            return _unstamped(await_model=model)
        return _unstamp(model)


class PostNbconvertHandler(NbconvertFileHandler):
    """Jupyter's nbconvert download handler, for posts opened as notebooks."""

    @property
    def contents_manager(self) -> Any:
        """The server's contents manager, answering with posts as notebooks."""
        return _PostsAsNotebooks(super().contents_manager)


def add_handlers(serverapp: Any) -> None:
    """Route ``/nbconvert/FORMAT/....qmd`` (and ``.md``) to ``PostNbconvertHandler``.

    Handlers added later take precedence in tornado, so Jupyter's route keeps every other path.
    """
    base_url = serverapp.web_app.settings.get("base_url", "/")
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base_url, ROUTE), PostNbconvertHandler)])
