"""Build a blog's listings: collect the posts, render every output, write only what changed.

Outputs (paths relative to ``<root>/<output-dir>``, see ``render.outputpaths``): category
pages and their items files, the category index, the archive, ``POSTS.md``,
``categories.json`` and, when ``website.site-url`` is set, RSS/Atom/JSON feeds for the blog
and for each category.

Only outputs whose bytes changed are written (``incremental.writeout``), so an unchanged output
keeps its mtime and Quarto does not re-render it. A manifest of what nbpost generated
(``incremental.manifest``) lets a later build remove outputs that no longer exist (a category
that disappeared) without ever touching a file it did not write: a stale file whose content
was edited since is left in place with a warning, and an existing file nbpost did not
generate is never overwritten. The same manifest lets a build with nothing new skip rendering
altogether, and a build after an edit skip the categories the edit left alone; a stat
snapshot of every input (``incremental.snapshot``) lets a build where nothing changed skip
reading altogether.

The one path of a build: ``build_blog`` asks the snapshot (``replay``) whether anything changed;
if so ``read.patch.patch_blog`` (only some posts changed) or ``read.collect.collect_blog``
gives a ``Blog``, ``outputstage.write_stage`` renders it (``render_outputs``: ``{path: text}``),
writes what changed (``incremental.writeout``) and keeps the manifest, and the snapshot and
store are saved for the next build.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ERROR, WARNING, Problem, lines_of
from .incremental.cache import MetadataCache
from .incremental.manifest import MANIFEST
from .incremental.snapshot import (
    Drift,
    Replay,
    Snapshot,
    build_key,
    discard_state,
    drop_dead_temporaries,
    replay,
    save_state,
)
from .incremental.walkmemo import load_walk, save_walk
from .outputstage import BuildResult, Written, write_blog, write_stage
from .render.memo import RenderMemo

if TYPE_CHECKING:
    from .incremental.store import BuildStore

__all__ = ["MANIFEST", "BuildResult", "build_blog", "write_blog"]


def build_blog(
    root: str | os.PathLike[str],
    *,
    drafts: bool = False,
    input_files: list[str] | None = None,
    quiet: bool = False,
    jobs: int | None = None,
    check: bool = False,
    keep: list[object] | None = None,
) -> BuildResult:
    """Collect the blog at ``root`` and write all its listing outputs; see the module docstring.

    When nothing was added, edited or removed since the last build (``incremental.snapshot``),
    the last result is returned without reading a post; when only some posts' files changed,
    those are read again and patched into the last full build's collection
    (``read.patch``, ``incremental.store``). ``jobs``: processes that read new posts at once
    (see ``collect_blog``). ``check`` writes nothing at all (outputs, cache, manifest,
    snapshot): the result's ``written`` and ``removed`` list what a build would write and
    remove. ``keep``: a process that ends right after the build (``nbpost build``, which ends
    with ``os._exit``) gets the blog, the store and the pieces there rather than freeing them
    one by one.
    """
    # A build allocates hundreds of thousands of small, long-lived objects and frees none
    # until it ends: the cyclic collector would walk them again and again for nothing (and
    # every object a long-lived process such as ``watch`` holds with them). It is switched
    # back on only once they are freed, when the build returns: re-enabled while they live,
    # its next pass would walk them all once more.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(Path(root), str(root), drafts, input_files, quiet, jobs, check, keep)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(
    root_path: Path,
    shown_root: str,
    drafts: bool,
    input_files: list[str] | None,
    quiet: bool,
    jobs: int | None,
    check: bool,
    keep: list[object] | None = None,
) -> BuildResult:
    """``build_blog`` with the cyclic collector off: replay, patch, or build in full."""
    key = build_key(shown_root, drafts)
    forced = None
    if input_files:
        from .read.collect import relative_inputs  # the reading side: only when Quarto names files

        forced = relative_inputs(root_path, input_files)
    last = None if check else replay(root_path, shown_root, drafts, forced, _patch_start(root_path))
    if isinstance(last, Replay):
        drop_dead_temporaries(root_path)
        problems = [Problem.replayed(WARNING, line) for line in last.warnings]
        problems += [Problem.replayed(ERROR, line) for line in last.errors]
        return BuildResult(
            root=str(root_path),
            unchanged=last.outputs,
            problems=problems,
            posts=last.posts,
            categories=last.categories,
            feeds=last.feeds,
        )
    if check:
        return _check_build(root_path, drafts, input_files, jobs)
    if last is not None:
        patched = _patch_build(root_path, key, drafts, last, quiet, keep)
        if patched is not None:
            return patched
    return _full_build(root_path, key, drafts, input_files, quiet, jobs, keep)


def _check_build(
    root_path: Path, drafts: bool, input_files: list[str] | None, jobs: int | None
) -> BuildResult:
    """What a full build would write and remove, writing nothing (see ``build_blog``)."""
    # The reading side, imported here: a build where nothing changed reads no post.
    from .read.collect import collect_blog

    cache = MetadataCache.load(root_path)  # used, never saved: a check writes nothing
    blog = collect_blog(root_path, drafts=drafts, input_files=input_files, cache=cache, jobs=jobs)
    return write_stage(blog, quiet=True, dry_run=True).result


def _full_build(
    root_path: Path,
    key: str,
    drafts: bool,
    input_files: list[str] | None,
    quiet: bool,
    jobs: int | None,
    keep: list[object] | None = None,
) -> BuildResult:
    """Collect, render and write everything, then save the snapshot (see ``build_blog``)."""
    # The reading and output sides, imported here: a build where nothing changed needs neither.
    from .incremental.store import BuildStore
    from .incremental.writeguard import build_lock
    from .read.collect import collect_blog
    from .read.facts import CollectMemo

    snapshot = Snapshot(memo=load_walk(root_path, key))
    cache = MetadataCache.load(root_path)
    memo = CollectMemo()
    blog = collect_blog(
        root_path,
        drafts=drafts,
        input_files=input_files,
        cache=cache,
        snapshot=snapshot,
        progress=not quiet,
        jobs=jobs,
        memo=memo,
    )
    cache.save()
    if snapshot.walked and snapshot.tree is not None:
        save_walk(root_path, key, snapshot.excluded, snapshot.folders, snapshot.tree)
    render_memo = RenderMemo()
    # Another build of this blog writing now finishes first; this one then finds its files.
    with build_lock(root_path) as lock_held:
        written = write_stage(blog, quiet, lock_held=lock_held, memo=render_memo)
        _finish(root_path, key, snapshot, written, BuildStore(memo, render_memo))
        if keep is not None:
            keep += [blog, memo, render_memo, written, cache, snapshot]
        return written.result


def _patch_start(root_path: Path) -> Callable[[], Any]:
    """What a build after an edit does first (``replay`` may run it beside its checks): the
    patching side's imports, then the store's load."""

    def start() -> Any:
        from .incremental.store import load_store
        from .read import patch  # noqa: F401  (imported now: the patch needs it next)

        return load_store(root_path)

    return start


def _patch_build(
    root_path: Path,
    key: str,
    drafts: bool,
    drift: Drift,
    quiet: bool,
    keep: list[object] | None = None,
) -> BuildResult | None:
    """The build when only some posts changed (``drift``): they are read again and patched
    into the last full build's collection; None when that cannot vouch for the result."""
    from .incremental.store import BuildStore, load_store
    from .incremental.writeguard import build_lock
    from .read.patch import patch_blog, touched_labels

    token = drift.data.get("store")
    stored = drift.preloaded
    if stored is None and isinstance(token, str):
        stored = load_store(root_path)
    if not isinstance(stored, BuildStore) or stored.token != token or stored.key != key:
        return None
    # No folder changed (the drift vouches): the stored base is kept, the re-read files noted.
    snapshot = drift.snapshot
    blog = patch_blog(root_path, drafts, stored.collected, drift.changed, snapshot)
    if blog is None:
        return None
    with build_lock(root_path) as lock_held:
        memo = stored.rendered.reuse(
            drift.changed, touched_labels(stored.collected, blog, drift.changed)
        )
        # The last build finished its writes (it saved this snapshot) and none ran since: no
        # temporaries to look for in some 400 folders (see ``Drift.still_current``).
        clean = not (lock_held and drift.still_current(root_path))
        if not clean:
            drop_dead_temporaries(root_path)
        # The snapshot found every output as the last build left it a moment ago.
        seen = drift.data["outputs"]
        written = write_stage(blog, quiet, lock_held=lock_held, memo=memo, clean=clean, seen=seen)
        _finish(root_path, key, snapshot, written, stored, drift.changed)
        if keep is not None:
            keep += [stored, blog, memo, written]
        return written.result


def _finish(
    root_path: Path,
    key: str,
    snapshot: Snapshot,
    written: Written,
    store: BuildStore,
    patched: set[str] | None = None,
) -> None:
    """Save the snapshot of a build when it may vouch for the next one, and after a full build
    (``patched`` None) the store the next builds patch."""
    from .incremental.store import save_store

    result, manifest = written.result, written.manifest
    summary = Replay(
        posts=result.posts,
        categories=result.categories,
        feeds=result.feeds,
        outputs=[],
        warnings=lines_of([p for p in result.problems if p.replay], WARNING),
        errors=result.errors,
    )
    outputs = {k: v for k, v in manifest.stats.items() if k in manifest.files}
    # Output-stage errors (a user's file in the way) depend on folders no snapshot covers.
    output_errors = any(problem.kind == ERROR for problem in written.output_problems)
    if outputs.keys() != manifest.files.keys() or output_errors:
        discard_state(root_path)  # an older snapshot must not vouch for this build
        return
    # The snapshot names the store it goes with; a store is kept only beside a snapshot (none
    # when dates follow the clock), and one that cannot be written is simply not found.
    token = os.urandom(16).hex() if patched is None else store.token
    saved = save_state(root_path, key, snapshot, outputs, MANIFEST, summary, patched or (), token)
    if saved and patched is None:
        store.key, store.token = key, token
        save_store(root_path, store)
