"""A contents manager that keeps posts and their paired notebooks in step.

Why a contents manager and not save hooks: hooks only see saves, but opening a ``.qmd`` as a
notebook needs ``GET /api/contents/X.qmd?type=notebook`` to answer with a converted notebook,
and a refused save must write nothing at all, so the check has to run before the notebook is
written. The class is built on top of whatever contents manager the server was configured with
(``AsyncLargeFileManager`` by default), so other settings, hooks and checkpoints keep working;
only file-system managers are supported, because the paired files are written beside the post.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import nbformat
from jupyter_server.services.contents.filemanager import (
    AsyncFileContentsManager,
    FileContentsManager,
)
from tornado.web import HTTPError

from ..errors import NbpostError
from ..sync import Pair, record_synced
from ..textio import write_if_changed
from . import pairing

MARKER = "_nbpost_managed"


def _record(save: pairing.TextSave) -> None:
    """Tell ``nbpost sync`` that this pair is in step, so it sees no change to carry over."""
    pair = Pair(save.text_path, save.notebook_path)
    record_synced(pair, save.text_path.read_bytes(), save.notebook_path.read_bytes())


def _http_error(exc: NbpostError) -> HTTPError:
    status = getattr(exc, "status", 400)
    # The message is what JupyterLab shows in its "File Save Error" dialog.
    return HTTPError(status, str(exc), reason="nbpost refused the save")


class _NbpostLogic:
    """The parts shared by the sync and async managers (everything that does not await)."""

    root_dir: str
    log: Any

    def _os_path(self, path: str) -> Path:
        return Path(self._get_os_path(path))  # type: ignore[attr-defined]

    def _text_notebook_model(self, path: str, content: bool, require_hash: bool) -> dict[str, Any]:
        """A notebook model for a .qmd/.md post, converted by nbpost."""
        model: dict[str, Any] = self._base_model(path)  # type: ignore[attr-defined]
        model["type"] = "notebook"
        os_path = self._os_path(path)
        data = os_path.read_bytes() if (content or require_hash) else None
        if content and data is not None:
            try:
                from ..textio import decode_utf8

                text = decode_utf8(data, os_path)
                old = pairing.read_optional(pairing.paired_notebook(os_path))
                # nbformat.reads joins multi-line strings, as a notebook model expects.
                nb = nbformat.reads(pairing.notebook_from_text(text, old, os_path), as_version=4)
            except NbpostError as exc:
                raise HTTPError(400, f"cannot open as a notebook: {exc}") from None
            self.mark_trusted_cells(nb, path)  # type: ignore[attr-defined]
            model["content"] = nb
            model["format"] = "json"
            self.validate_notebook_model(model)  # type: ignore[attr-defined]
        if require_hash and data is not None:
            model.update(**self._get_hash(data))  # type: ignore[attr-defined]
        return model

    def _plan(self, model: dict[str, Any], path: str) -> pairing.TextSave | None:
        """The extra writes a save needs, checked before anything is written."""
        if model.get("chunk") is not None:
            return None
        if model.get("type") == "file":
            return self._plan_text_file(model, path)
        if model.get("type") != "notebook":
            return None
        if "content" not in model:
            return None
        os_path = self._os_path(path)
        content = model["content"]
        nb = dict(content) if isinstance(content, dict) else content
        started = time.perf_counter()
        plan: pairing.TextSave | None
        try:
            if pairing.is_text_post(path):
                plan = pairing.plan_text_save(_plain(nb), os_path)
            elif path.lower().endswith(".ipynb"):
                old = pairing.read_optional(os_path)
                plan = pairing.plan_notebook_save(_plain(nb), os_path, old)
            else:
                return None
        except NbpostError as exc:
            self.log.warning("nbpost: %s", exc)
            raise _http_error(exc) from None
        if plan is not None:
            self.log.debug(
                "nbpost: planned %s in %.3fs", plan.text_path, time.perf_counter() - started
            )
        return plan

    def _plan_text_file(self, model: dict[str, Any], path: str) -> pairing.TextSave | None:
        """For a post saved as text: its paired notebook, when it can follow (see pairing)."""
        content = model.get("content")
        if model.get("format") != "text" or not isinstance(content, str):
            return None
        if not pairing.is_text_post(path):
            return None
        plan, reason = pairing.plan_text_file_save(content, self._os_path(path))
        if reason:
            self.log.warning("nbpost: %s", reason)
        return plan

    def _write_text_side(self, plan: pairing.TextSave) -> None:
        """Write the post (and attachments) of a checked plan; record the pair as synced."""
        for target, payload in plan.extra_files.items():
            write_if_changed(target, payload)
        if write_if_changed(plan.text_path, plan.text):
            self.log.info("nbpost: wrote %s", plan.text_path)
        if plan.notebook_text is not None and write_if_changed(
            plan.notebook_path, plan.notebook_text
        ):
            self.log.info("nbpost: wrote %s", plan.notebook_path)
        if plan.notebook_path.is_file():
            try:
                _record(plan)
            except (OSError, NbpostError) as exc:  # the files are right; only the record failed
                self.log.warning("nbpost: could not record the sync: %s", exc)

    def _opens_text_as_notebook(self, path: str, type: str | None) -> bool:
        """Whether a GET asks for an existing .qmd/.md post as a notebook."""
        return type == "notebook" and pairing.is_text_post(path) and self._os_path(path).is_file()

    def _prepare_save(
        self, model: dict[str, Any], path: str
    ) -> tuple[pairing.TextSave | None, bool]:
        """(the checked plan of extra writes or None, whether the model is saved as a post)."""
        as_text = pairing.is_text_post(path) and model.get("type") == "notebook"
        if as_text:
            # Hooks may change the model (strip metadata...): the text is made from the result.
            self.run_pre_save_hooks(model=model, path=path)  # type: ignore[attr-defined]
        plan = self._plan(model, path)
        if plan is None and as_text:  # never let notebook JSON land in a text file
            raise HTTPError(400, f"{path}: no notebook content to save as text")
        return plan, as_text

    def _save_text(
        self, plan: pairing.TextSave, model: dict[str, Any], path: str
    ) -> dict[str, Any]:
        """Save a notebook model to a post: the post and its notebook, reported as a save."""
        self._sign(model, path)
        self._write_text_side(plan)
        result = self._text_notebook_model(path, False, False)
        self.run_post_save_hooks(  # type: ignore[attr-defined]
            model=result, os_path=str(plan.text_path)
        )
        self.emit(data={"action": "save", "path": path})  # type: ignore[attr-defined]
        return result

    def _sign(self, model: dict[str, Any], path: str) -> None:
        nb = nbformat.from_dict(model["content"])
        self.check_and_sign(nb, path)  # type: ignore[attr-defined]


def _plain(nb: Any) -> dict[str, Any]:
    """Notebook JSON data as plain dicts (a NotebookNode is a dict subclass already)."""
    return nb if isinstance(nb, dict) else dict(nb)


class AsyncNbpostMixin(_NbpostLogic):
    """Mixin for ``AsyncFileContentsManager`` subclasses."""

    async def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> Any:
        """Open a .qmd/.md as a notebook when asked for type=notebook; else as usual."""
        path = path.strip("/")
        if self._opens_text_as_notebook(path, type):
            return self._text_notebook_model(path, content, require_hash)
        return await super().get(  # type: ignore[misc]
            path, content=content, type=type, format=format, require_hash=require_hash
        )

    async def save(self, model: dict[str, Any], path: str = "") -> Any:
        """Save, writing the paired post too; refuse, writing nothing, if content would be lost."""
        path = path.strip("/")
        plan, as_text = self._prepare_save(model, path)
        if plan is None:
            return await super().save(model, path)  # type: ignore[misc]
        if as_text:
            return self._save_text(plan, model, path)
        result = await super().save(model, path)  # type: ignore[misc]
        self._write_text_side(plan)
        return result


class SyncNbpostMixin(_NbpostLogic):
    """Mixin for the synchronous ``FileContentsManager`` and its subclasses."""

    def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> Any:
        """Open a .qmd/.md as a notebook when asked for type=notebook; else as usual."""
        path = path.strip("/")
        if self._opens_text_as_notebook(path, type):
            return self._text_notebook_model(path, content, require_hash)
        return super().get(  # type: ignore[misc]
            path, content=content, type=type, format=format, require_hash=require_hash
        )

    def save(self, model: dict[str, Any], path: str = "") -> Any:
        """Save, writing the paired post too; refuse, writing nothing, if content would be lost."""
        path = path.strip("/")
        plan, as_text = self._prepare_save(model, path)
        if plan is None:
            return super().save(model, path)  # type: ignore[misc]
        if as_text:
            return self._save_text(plan, model, path)
        result = super().save(model, path)  # type: ignore[misc]
        self._write_text_side(plan)
        return result


def nbpost_class(base: type) -> type | None:
    """A subclass of ``base`` with nbpost's behaviour, or None if ``base`` is not file-based."""
    if issubclass(base, _NbpostLogic):
        return base
    if issubclass(base, AsyncFileContentsManager):
        mixin: type = AsyncNbpostMixin
    elif issubclass(base, FileContentsManager):
        mixin = SyncNbpostMixin
    else:
        return None
    return type(f"Nbpost{base.__name__}", (mixin, base), {MARKER: True})


def install(contents_manager: Any, log: Any) -> bool:
    """Give a running server's contents manager nbpost's behaviour; return whether it did.

    The instance keeps its identity (the session manager, handlers and checkpoints hold
    references to it), so only its class is swapped for a subclass that adds no state.
    """
    cls = nbpost_class(type(contents_manager))
    if cls is None:
        log.warning(
            "nbpost: contents manager %s is not file-based; pairing is off",
            type(contents_manager).__name__,
        )
        return False
    contents_manager.__class__ = cls
    log.info(
        "nbpost: pairing .qmd/.md posts with notebooks (%s on %s)",
        cls.__name__,
        os.fspath(contents_manager.root_dir),
    )
    return True
