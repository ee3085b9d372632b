"""The steps of nbpost's contents manager that do not await: open, check, write, record.

``contents.py`` wraps them around Jupyter's own ``get``, ``save`` and ``rename`` for the
synchronous and the asynchronous manager. Every save nbpost takes part in runs as:

1. plan (``plans.py``): read both files, convert, check that each file to replace holds
   nothing the user would lose; a save that changes nothing is answered without a write;
2. under the project's sync lock (``nbpost sync`` takes it too), plan again and write the
   post (and, for a post opened as a notebook, its notebook), each replaced only while it
   still holds the bytes the plan read (``replace_guarded``);
3. Jupyter writes its own file (a ``.ipynb``, or a post's text), and nbpost notes the bytes;
4. the pair is recorded with the bytes written, never a re-read of the files: an editor's
   save landing in between stays unsynced, and ``nbpost sync`` sees it.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import nbformat
from tornado.web import HTTPError

from ..errors import NbpostError
from ..project.paths import is_inside
from ..sync import Pair, project_root, record_synced
from ..sync.guarded import ChangedMeanwhile, replace_guarded
from ..sync.record import RECORD_FILE, move_entry, project_lock
from ..textio import decode_utf8, write_if_changed
from . import notebookwrite, pairing, plans, renames, replies, views

Kind = Literal["notebook", "post-notebook", "post-text"]


@dataclass
class Save:
    """One save nbpost takes part in."""

    kind: Kind
    path: str
    os_path: Path
    plan: plans.TextSave | None = None
    problem: str | None = None
    view: views.View | None = None


class NbpostLogic:
    """The parts shared by the sync and async managers (everything that does not await)."""

    root_dir: str
    log: Any

    @property
    def _root(self) -> Path:
        return Path(self.root_dir)

    def _os_path(self, path: str) -> Path:
        return Path(self._get_os_path(path))  # type: ignore[attr-defined]

    def _fail(self, exc: BaseException, path: str) -> HTTPError:
        """The one-line 4xx answer for a problem with a file's content (never a 500)."""
        if isinstance(exc, HTTPError):
            return exc
        if isinstance(exc, ChangedMeanwhile):  # an editor saved while nbpost was saving
            return replies.http_error(exc, self._root, 409)
        if isinstance(exc, NbpostError) and exc.path is None:
            exc.with_path(self._os_path(path))
        if isinstance(exc, (NbpostError, ValueError, RecursionError)):
            error = replies.http_error(exc, self._root, path=path)
            self.log.warning("nbpost: %s", error.log_message)
            return error
        return replies.unexpected(exc, path, self._root, self.log)

    # -- opening ----------------------------------------------------------------------------

    def _opens_text_as_notebook(self, path: str, type: str | None) -> bool:
        """Whether a GET asks for an existing .qmd/.md post as a notebook."""
        return type == "notebook" and pairing.is_text_post(path) and self._os_path(path).is_file()

    def _text_notebook_model(self, path: str, content: bool, require_hash: bool) -> dict[str, Any]:
        """A notebook model for a .qmd/.md post, converted by nbpost and stamped (``views``)."""
        model: dict[str, Any] = self._base_model(path)  # type: ignore[attr-defined]
        model["type"] = "notebook"
        os_path = self._os_path(path)
        data = os_path.read_bytes() if (content or require_hash) else None
        if content and data is not None:
            try:
                model["content"] = self._post_as_notebook(os_path, data, path)
            except Exception as exc:
                raise self._fail(exc, path) from None
            model["format"] = "json"
            self.validate_notebook_model(model)  # type: ignore[attr-defined]
        if require_hash and data is not None:
            model.update(**self._get_hash(data))  # type: ignore[attr-defined]
        return model

    def _post_as_notebook(self, os_path: Path, data: bytes, path: str) -> Any:
        text = decode_utf8(data, os_path)
        notebook_path = pairing.paired_notebook(os_path, self._root)
        old_bytes = pairing.read_bytes(notebook_path)  # read once: outputs and stamp agree
        old = pairing.decode_optional(old_bytes)
        # nbformat.reads joins multi-line strings, as a notebook model expects.
        nb = nbformat.reads(
            pairing.notebook_from_text(text, old, os_path, notebook_path), as_version=4
        )
        self.mark_trusted_cells(nb, path)  # type: ignore[attr-defined]
        pair = Pair(os_path, notebook_path)
        synced = pairing.holds_no_unsynced_edits("ipynb", pair, data, old_bytes)
        views.stamp(
            nb.metadata, views.digest(data), views.digest(old_bytes), None if synced else "ipynb"
        )
        return nb

    @staticmethod
    def _stamps(path: str, content: bool, type: str | None, require_hash: bool) -> bool:
        """Whether a GET of a notebook loads it for editing (JupyterLab asks for the hash it
        compares before saving): only then is it stamped, so exports and other readers of
        the contents API never see the stamp."""
        return content and require_hash and path.lower().endswith(".ipynb") and type != "file"

    def _stamp_notebook(self, model: dict[str, Any], path: str) -> None:
        """Stamp the model of a paired .ipynb with what it was loaded from (``views``)."""
        content = model.get("content")
        if not isinstance(content, dict) or not isinstance(content.get("metadata"), dict):
            return
        os_path = self._os_path(path)
        try:
            pair = pairing.pair_of(os_path, self._root).pair
            if pair is None:
                return
            text = pairing.read_bytes(pair.qmd)
            notebook = pairing.read_bytes(os_path)
            loaded = model.get("hash") if model.get("hash_algorithm") == "sha256" else None
            synced = loaded in (None, views.digest(notebook)) and (
                pairing.holds_no_unsynced_edits("qmd", pair, text, notebook)
            )
            base = loaded or views.digest(notebook)
            views.stamp(content["metadata"], views.digest(text), base, None if synced else "qmd")
        except (NbpostError, OSError, ValueError) as exc:  # not stamped: the save falls back
            self.log.debug("nbpost: %s not stamped: %s", path, exc)

    # -- saving -----------------------------------------------------------------------------

    def _save_kind(self, model: dict[str, Any], path: str) -> Kind | None:
        """Which nbpost save this is, or None for a save Jupyter does alone."""
        if model.get("chunk") is not None:
            return None
        if model.get("type") == "notebook" and "content" in model:
            if pairing.is_text_post(path):
                return "post-notebook"
            if path.lower().endswith(".ipynb"):
                return "notebook"
        if (
            model.get("type") == "file"
            and model.get("format") == "text"
            and isinstance(model.get("content"), str)
            and pairing.is_text_post(path)
        ):
            return "post-text"
        return None

    def _start_save(self, model: dict[str, Any], path: str) -> Save | None:
        """Take the view stamp out of the model and decide whether nbpost takes part."""
        # The stamp never reaches a file, whatever the save (Save As to any name included).
        view = views.take(model.get("content")) if model.get("type") == "notebook" else None
        kind = self._save_kind(model, path)
        if kind is None:
            return None
        save = Save(kind, path, self._os_path(path), view=view)
        if kind == "post-notebook":
            # Hooks may change the model (strip metadata...): the text is made from the result.
            self.run_pre_save_hooks(model=model, path=path)  # type: ignore[attr-defined]
        return save

    def _plan(self, save: Save, model: dict[str, Any]) -> None:
        """Plan the save (reading the files as they are now); raise the HTTP answer if refused."""
        try:
            if save.kind == "post-text":
                save.plan, save.problem = plans.plan_text_file_save(
                    model["content"], save.os_path, self._root
                )
                return
            nb = dict(model["content"])
            if save.kind == "notebook":
                save.plan, save.problem = plans.plan_notebook_save(
                    nb, save.os_path, self._root, save.view
                )
            else:
                save.plan = plans.plan_text_save(nb, save.os_path, self._root, save.view)
            if save.plan is not None:
                self._check_inside(save.plan.extra_files, save.os_path)
        except Exception as exc:
            if save.kind == "post-text":  # a text save is never refused: the text is saved
                save.plan, save.problem = None, replies.message(exc, self._root)
                return
            raise self._fail(exc, save.path) from None

    def _lock(self, save: Save) -> contextlib.AbstractContextManager[None]:
        """The project's sync lock for a save that writes a pair (none outside the root)."""
        plan = save.plan
        if plan is None or plan.writes_nothing:
            return contextlib.nullcontext()
        root = project_root(plan.text_path) or plan.text_path.parent
        if not is_inside(root / RECORD_FILE, self._root):
            return contextlib.nullcontext()
        return project_lock(root)

    def _write_first(self, save: Save) -> None:
        """Write what nbpost writes before Jupyter's own write (the post, and for a post opened
        as a notebook, its notebook); each only while it holds what the plan read."""
        plan = save.plan
        if plan is None or save.kind == "post-text":
            return
        try:
            for target, payload in plan.extra_files.items():  # new files the text links to
                write_if_changed(target, payload)
            if plan.text is not None:
                replace_guarded(plan.text_path, plan.text, plan.text_before)
            if plan.notebook_text is not None:
                replace_guarded(plan.notebook_path, plan.notebook_text, plan.notebook_before)
        except (NbpostError, OSError) as exc:
            raise self._fail(exc, save.path) from None
        if plan.text is not None:
            self.log.info("nbpost: wrote %s", plan.text_path)

    def _check_inside(self, files: dict[Path, bytes], saving: Path) -> None:
        """Refuse (403) when a file derived from the content would land outside the root."""
        for target in files:
            if not is_inside(target, self._root):
                shown = replies.shown(target, self._root)
                raise pairing.SaveRefused(
                    f"a pasted image would be written at {shown}, outside the server's root; "
                    "nothing was saved",
                    saving,
                    403,
                )

    def _write_notebook_of_text(self, save: Save, model: dict[str, Any]) -> None:
        """After a post's text was saved: its notebook, when the plan says it may follow."""
        plan = save.plan
        if plan is None or plan.notebook_text is None:
            return
        try:
            if replace_guarded(plan.notebook_path, plan.notebook_text, plan.notebook_before):
                self.log.info("nbpost: wrote %s", plan.notebook_path)
        except (NbpostError, OSError) as exc:
            save.problem = replies.message(exc, self._root)
            plan.notebook_text = None

    def _finish(self, save: Save, model: dict[str, Any], result: Any) -> Any:
        """Record the pair with the bytes written, remember the view, report a problem."""
        plan = save.plan
        if plan is not None and not plan.writes_nothing:
            text = self._final_text(save, model)
            notebook = self._final_notebook(save)
            if text is not None and notebook is not None:
                self._record(plan, text, notebook)
            if text is not None:  # a plain .md view saves its text alone (no notebook)
                views.remember(save.view, text, notebook)
        if save.problem:
            self.log.warning("nbpost: %s", save.problem)
            if isinstance(result, dict):
                result["message"] = save.problem
        return result

    def _final_text(self, save: Save, model: dict[str, Any]) -> bytes | None:
        plan = save.plan
        assert plan is not None
        if save.kind == "post-text":
            return str(model["content"]).encode("utf-8")
        return plan.text.encode("utf-8") if plan.text is not None else plan.text_before

    def _final_notebook(self, save: Save) -> bytes | None:
        plan = save.plan
        assert plan is not None
        if save.kind == "notebook":
            return notebookwrite.written(save.os_path)
        if plan.notebook_text is not None:
            return plan.notebook_text.encode("utf-8")
        return None if save.kind == "post-text" else plan.notebook_before

    def _record(self, plan: plans.TextSave, text: bytes, notebook: bytes) -> None:
        pair = plan.pair
        if not pairing.record_inside(pair, self._root):
            self.log.warning("nbpost: %s not recorded: its project is outside the root", pair.qmd)
            return
        try:
            record_synced(pair, text, notebook)
        except (OSError, NbpostError) as exc:  # the files are right; only the record failed
            self.log.warning("nbpost: could not record the sync: %s", exc)

    def _post_notebook_result(self, save: Save, model: dict[str, Any]) -> dict[str, Any]:
        """The answer to saving a notebook model to a post (Jupyter wrote nothing itself)."""
        result = self._text_notebook_model(save.path, False, False)
        if save.plan is not None and save.plan.writes_nothing:
            return result  # nothing was written: no hooks, no save event
        nb = nbformat.from_dict(model["content"])
        self.check_and_sign(nb, save.path)  # type: ignore[attr-defined]
        self.run_post_save_hooks(  # type: ignore[attr-defined]
            model=result, os_path=str(save.os_path)
        )
        self.emit(data={"action": "save", "path": save.path})  # type: ignore[attr-defined]
        return result

    # -- renaming ---------------------------------------------------------------------------

    def _api(self, os_path: Path) -> str:
        """The contents API path of a file inside the server's root."""
        return Path(os.path.relpath(os_path, self.root_dir)).as_posix()

    def _plan_rename(self, old: str, new: str) -> renames.RenamePlan | None:
        try:
            plan = renames.plan_rename(self._os_path(old), self._os_path(new), self._root)
        except Exception as exc:
            raise self._fail(exc, old) from None
        for problem in plan.problems if plan is not None else []:
            self.log.warning("nbpost: %s", replies.message(problem, self._root))
        return plan

    def _rename_lock(self, plan: renames.RenamePlan) -> contextlib.AbstractContextManager[None]:
        root = project_root(plan.source) or plan.source.parent
        if not is_inside(root / RECORD_FILE, self._root):
            return contextlib.nullcontext()
        return project_lock(root)

    def _write_conversion(self, plan: renames.RenamePlan) -> None:
        """A notebook renamed to a post: write the post (and its pasted images) first, so a
        failure leaves the notebook where it was."""
        conversion = plan.conversion
        assert conversion is not None
        try:
            for target, payload in conversion.files.items():
                write_if_changed(target, payload)
            replace_guarded(conversion.text_path, conversion.text, None)
        except (NbpostError, OSError) as exc:
            raise self._fail(exc, self._api(conversion.text_path)) from None
        self.log.info("nbpost: wrote %s", conversion.text_path)

    def _record_conversion(self, plan: renames.RenamePlan) -> None:
        """Record the new post and its moved notebook with the bytes written and moved."""
        conversion = plan.conversion
        assert conversion is not None
        pair = Pair(conversion.text_path, conversion.notebook_target)
        if pairing.record_inside(pair, self._root):
            record_synced(pair, conversion.text.encode("utf-8"), conversion.notebook)

    def _move_records(self, plan: renames.RenamePlan) -> None:
        for old, new in plan.records:
            if pairing.record_inside(old, self._root) and pairing.record_inside(new, self._root):
                try:
                    move_entry(old, new)
                except OSError as exc:
                    self.log.warning("nbpost: could not move the sync record: %s", exc)

    def _capturing(self, save: Save) -> contextlib.AbstractContextManager[None]:
        """Note the bytes of notebooks Jupyter writes meanwhile (see ``_save_notebook``); for
        a paired notebook's save, have Jupyter's write of it checked first (``notebookwrite``)."""
        expected: dict[str, bytes | None] = {}
        if save.kind == "notebook" and save.plan is not None:
            expected[os.path.abspath(save.os_path)] = save.plan.notebook_before
        return notebookwrite.capturing(expected)

    def _check_unchanged(self, os_path: str) -> None:
        """``notebookwrite.check_unchanged``, a notebook saved meanwhile refused with a 409."""
        try:
            notebookwrite.check_unchanged(os_path)
        except ChangedMeanwhile as exc:
            raise self._fail(exc, self._api(Path(os_path))) from None
