"""A contents manager that keeps posts and their paired notebooks in step.

Why a contents manager and not save hooks: hooks only see saves, but opening a ``.qmd`` as a
notebook needs ``GET /api/contents/X.qmd?type=notebook`` to answer with a converted notebook,
and a refused save must write nothing at all, so the check has to run before the notebook is
written. The class is built on top of whatever contents manager the server was configured with
(``AsyncLargeFileManager`` by default), so other settings, hooks and checkpoints keep working;
only file-system managers are supported, because the paired files are written beside the post.

The steps themselves live in ``logic.py``; this module puts them around Jupyter's ``get``,
``save`` and ``rename`` for the asynchronous and the synchronous manager. Saves and renames
nbpost takes part in run one at a time per server (an ``asyncio`` lock), under the project's
sync lock while they write.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from jupyter_server.services.contents.filemanager import (
    AsyncFileContentsManager,
    FileContentsManager,
)

from . import renames
from .logic import NbpostLogic, Save
from .notebookwrite import note_written, serialize

MARKER = "_nbpost_managed"
_SERIAL: dict[int, asyncio.Lock] = {}  # one lock per event loop


def _serial() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _SERIAL.get(id(loop))
    if lock is None:
        lock = _SERIAL[id(loop)] = asyncio.Lock()
    return lock


class AsyncNbpostMixin(NbpostLogic):
    """Mixin for ``AsyncFileContentsManager`` subclasses."""

    async def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> Any:
        """Open a .qmd/.md as a notebook when asked for type=notebook; stamp paired notebooks."""
        path = path.strip("/")
        if self._opens_text_as_notebook(path, type):
            return self._text_notebook_model(path, content, require_hash)
        stamp = self._stamps(path, content, type, require_hash)
        model = await super().get(  # type: ignore[misc]
            path, content=content, type=type, format=format, require_hash=require_hash
        )
        if stamp and model.get("type") == "notebook":
            self._stamp_notebook(model, path)
        return model

    async def save(self, model: dict[str, Any], path: str = "") -> Any:
        """Save, writing the paired post too; refuse, writing nothing, if content would be lost."""
        path = path.strip("/")
        save = self._start_save(model, path)
        if save is None:
            return await super().save(model, path)  # type: ignore[misc]
        async with _serial():
            self._plan(save, model)
            if save.plan is None:
                return self._finish(save, model, await super().save(model, path))  # type: ignore[misc]
            if save.plan.writes_nothing:
                return self._post_notebook_result(save, model)
            with self._lock(save):
                self._plan(save, model)  # again, under the lock: what is on disk now
                return await self._save_locked(save, model, path)

    async def _save_locked(self, save: Save, model: dict[str, Any], path: str) -> Any:
        self._write_first(save)
        if save.kind == "post-notebook":
            result = self._post_notebook_result(save, model)
            return self._finish(save, model, result)
        with self._capturing(save):
            result = await super().save(model, path)  # type: ignore[misc]
            if save.kind == "post-text":
                self._write_notebook_of_text(save, model)
            return self._finish(save, model, result)

    async def _save_notebook(
        self, os_path: str, nb: Any, capture_validation_error: Any = None
    ) -> None:
        """Write a notebook as Jupyter does (a paired one only while it holds what the save
        read: ``_check_unchanged``), noting the exact bytes (the sync record's)."""
        text = await asyncio.to_thread(serialize, nb, capture_validation_error)
        await asyncio.to_thread(self._check_unchanged, os_path)
        with self.atomic_writing(os_path, encoding="utf-8") as handle:  # type: ignore[attr-defined]
            await asyncio.to_thread(handle.write, text)
        note_written(os_path, text)

    async def rename(self, old_path: str, new_path: str) -> None:
        """Rename, taking a pair's partner (and record) along; a notebook named .qmd converts."""
        old_path, new_path = old_path.strip("/"), new_path.strip("/")
        async with _serial():
            plan = self._plan_rename(old_path, new_path)
            if plan is None:
                return await super().rename(old_path, new_path)  # type: ignore[misc]
            with self._rename_lock(plan):
                await self._rename_steps(plan, old_path, new_path)

    async def _rename_steps(self, plan: renames.RenamePlan, old: str, new: str) -> None:
        conversion = plan.conversion
        if conversion is not None:
            self._write_conversion(plan)
            target = self._api(conversion.notebook_target)
            if target != old:
                conversion.notebook_target.parent.mkdir(parents=True, exist_ok=True)
                await super().rename_file(old, target)  # type: ignore[misc]
                await self.checkpoints.rename_all_checkpoints(old, target)  # type: ignore[attr-defined]
            self._record_conversion(plan)
        else:
            await super().rename_file(old, new)  # type: ignore[misc]
            await self.checkpoints.rename_all_checkpoints(old, new)  # type: ignore[attr-defined]
            for source, moved in plan.moves:
                moved.parent.mkdir(parents=True, exist_ok=True)  # a mirrored folder
                await super().rename_file(self._api(source), self._api(moved))  # type: ignore[misc]
                if moved.is_file():
                    await self.checkpoints.rename_all_checkpoints(  # type: ignore[attr-defined]
                        self._api(source), self._api(moved)
                    )
        self._move_records(plan)
        self.emit(data={"action": "rename", "path": new, "source_path": old})  # type: ignore[attr-defined]


class SyncNbpostMixin(NbpostLogic):
    """Mixin for the synchronous ``FileContentsManager`` and its subclasses."""

    def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> Any:
        """Open a .qmd/.md as a notebook when asked for type=notebook; stamp paired notebooks."""
        path = path.strip("/")
        if self._opens_text_as_notebook(path, type):
            return self._text_notebook_model(path, content, require_hash)
        stamp = self._stamps(path, content, type, require_hash)
        model = super().get(  # type: ignore[misc]
            path, content=content, type=type, format=format, require_hash=require_hash
        )
        if stamp and model.get("type") == "notebook":
            self._stamp_notebook(model, path)
        return model

    def save(self, model: dict[str, Any], path: str = "") -> Any:
        """Save, writing the paired post too; refuse, writing nothing, if content would be lost."""
        path = path.strip("/")
        save = self._start_save(model, path)
        if save is None:
            return super().save(model, path)  # type: ignore[misc]
        self._plan(save, model)
        if save.plan is None:
            return self._finish(save, model, super().save(model, path))  # type: ignore[misc]
        if save.plan.writes_nothing:
            return self._post_notebook_result(save, model)
        with self._lock(save):
            self._plan(save, model)
            self._write_first(save)
            if save.kind == "post-notebook":
                return self._finish(save, model, self._post_notebook_result(save, model))
            with self._capturing(save):
                result = super().save(model, path)  # type: ignore[misc]
                if save.kind == "post-text":
                    self._write_notebook_of_text(save, model)
                return self._finish(save, model, result)

    def _save_notebook(self, os_path: str, nb: Any, capture_validation_error: Any = None) -> None:
        """Write a notebook as Jupyter does (a paired one only while it holds what the save
        read: ``_check_unchanged``), noting the exact bytes (the sync record's)."""
        text = serialize(nb, capture_validation_error)
        self._check_unchanged(os_path)
        with self.atomic_writing(os_path, encoding="utf-8") as handle:  # type: ignore[attr-defined]
            handle.write(text)
        note_written(os_path, text)

    def rename(self, old_path: str, new_path: str) -> None:
        """Rename, taking a pair's partner (and record) along; a notebook named .qmd converts."""
        old_path, new_path = old_path.strip("/"), new_path.strip("/")
        plan = self._plan_rename(old_path, new_path)
        if plan is None:
            return super().rename(old_path, new_path)  # type: ignore[misc]
        with self._rename_lock(plan):
            conversion = plan.conversion
            if conversion is not None:
                self._write_conversion(plan)
                target = self._api(conversion.notebook_target)
                if target != old_path:
                    conversion.notebook_target.parent.mkdir(parents=True, exist_ok=True)
                    super().rename_file(old_path, target)  # type: ignore[misc]
                    self.checkpoints.rename_all_checkpoints(old_path, target)  # type: ignore[attr-defined]
                self._record_conversion(plan)
            else:
                super().rename_file(old_path, new_path)  # type: ignore[misc]
                self.checkpoints.rename_all_checkpoints(old_path, new_path)  # type: ignore[attr-defined]
                for source, moved in plan.moves:
                    moved.parent.mkdir(parents=True, exist_ok=True)  # a mirrored folder
                    super().rename_file(self._api(source), self._api(moved))  # type: ignore[misc]
                    if moved.is_file():
                        self.checkpoints.rename_all_checkpoints(  # type: ignore[attr-defined]
                            self._api(source), self._api(moved)
                        )
            self._move_records(plan)
        self.emit(data={"action": "rename", "path": new_path, "source_path": old_path})  # type: ignore[attr-defined]


def nbpost_class(base: type) -> type | None:
    """A subclass of ``base`` with nbpost's behaviour, or None if ``base`` is not file-based."""
    if issubclass(base, NbpostLogic):
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
