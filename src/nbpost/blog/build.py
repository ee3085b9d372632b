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
if so ``read.collect.collect_blog`` gives a ``Blog``, ``render_outputs`` turns it into
``{path: text}``, ``incremental.writeout.write_outputs`` writes what changed and returns a
``WriteResult``, and the manifest and snapshot are saved for the next build.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ERROR, WARNING, HasProblems, Problem, lines_of
from ..project.state import folder_problem, remove_state
from .incremental.cache import MetadataCache
from .incremental.manifest import (
    MANIFEST,
    MANIFEST_FILE,
    Manifest,
    fingerprints,
    manifest_groups,
    read_manifest,
    reusable_groups,
    still_intact,
    write_manifest,
)
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
from .model import Blog
from .render.escape import inside
from .render.memo import RenderMemo
from .render.outputpaths import Layout
from .render.outputs import (
    checked_categories,
    feed_count,
    layout_for,
    no_feeds_warning,
    render_outputs,
)
from .render.pagesettings import home_page

if TYPE_CHECKING:
    from .incremental.store import BuildStore
    from .incremental.writeout import WriteResult

__all__ = ["MANIFEST", "BuildResult", "build_blog", "write_blog"]


@dataclass
class BuildResult(HasProblems):
    """What a build did: files written, unchanged and removed (root-relative), and problems."""

    root: str
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    posts: int = 0
    categories: int = 0
    feeds: int = 0  # feed files generated (0 without site-url)

    @property
    def ok(self) -> bool:
        """True when nothing was skipped."""
        return not any(problem.kind == ERROR for problem in self.problems)


def write_blog(blog: Blog, *, quiet: bool = True) -> BuildResult:
    """Render and write every output of an already collected blog."""
    return _write_blog(blog, quiet).result


@dataclass
class _Written:
    """A build's result, the manifest it leaves, and the problems of its output stage alone."""

    result: BuildResult
    manifest: Manifest
    output_problems: list[Problem]


def _write_blog(
    blog: Blog,
    quiet: bool,
    dry_run: bool = False,
    lock_held: bool = False,
    memo: RenderMemo | None = None,
    clean: bool = True,
) -> _Written:
    """Render and write (``dry_run``: only list) the outputs; ``lock_held``: this process
    holds the build lock (``incremental.writeguard``); ``memo``: per-post pieces, made or
    reused (``render.memo``); ``clean``: look for what a killed build left."""
    # The output side, imported here: a build where nothing changed never loads it.
    from .incremental.writeguard import clean_temporaries

    root = Path(blog.config.root)
    result = BuildResult(root=str(root), problems=list(blog.problems))
    layout = layout_for(blog)
    out_dir = inside(root, layout.output_dir)
    stage: list[Problem] = []  # problems of the output stage, kept in the manifest
    state_problem = folder_problem(root)  # a .nbpost symlinked out of the project: not used
    if state_problem is not None:
        result.problems.append(Problem(WARNING, None, None, state_problem))
    blog = dataclasses.replace(blog, categories=checked_categories(blog, stage))
    result.posts, result.categories = len(blog.posts), len(blog.categories)
    home = home_page(blog)
    if not dry_run and clean:  # what a killed build left: never for long, nor another's
        clean_temporaries(root, out_dir, layout.registry, lock_held)
    previous = read_manifest(root)
    current, group_digests = fingerprints(blog, home, memo)
    # Output-stage errors (a user's file in the way) may be gone now: then look again. A full
    # build that keeps a memo renders even so: the builds after an edit reuse its pieces.
    recording = memo is not None and memo.fresh is None
    if (
        not recording
        and current == previous.fingerprint
        and not previous.errors
        and still_intact(root, previous)
    ):
        # Nothing that shapes the outputs changed and no output was touched: nothing to do.
        result.unchanged = sorted(previous.files)
        result.feeds = previous.feeds
        replayed = [Problem.replayed(WARNING, line) for line in previous.warnings]
        result.problems += replayed
        return _Written(result, previous, replayed)
    stage += no_feeds_warning(blog, root)
    written = _render_and_write(blog, layout, home, previous, group_digests, quiet, dry_run, memo)
    manifest = written.manifest
    manifest.fingerprint, manifest.feeds = current, feed_count(blog)
    stage += written.problems
    manifest.warnings = lines_of([p for p in stage if p.replay], WARNING)
    manifest.errors = lines_of(stage, ERROR)
    if not dry_run and state_problem is None:
        stage += _save_manifest(root, manifest)
    result.written, result.unchanged = written.written, written.unchanged
    result.removed, result.feeds = written.removed, manifest.feeds
    result.problems += stage
    return _Written(result, manifest, stage)


def _render_and_write(
    blog: Blog,
    layout: Layout,
    home: str | None,
    previous: Manifest,
    group_digests: dict[str, str],
    quiet: bool,
    dry_run: bool,
    memo: RenderMemo | None,
) -> WriteResult:
    """Render what changed since ``previous`` and write it; the manifest gets its groups."""
    from .incremental.writeout import write_outputs  # the output side (see _write_blog)

    root = Path(blog.config.root)
    kept = reusable_groups(root, previous, group_digests)
    rendered: dict[str, list[str]] = {}
    outputs = render_outputs(blog, layout, home, kept.keys(), rendered, memo)
    if not dry_run:
        discard_state(root)  # a build killed from here on is followed by a full one
    out_dir = inside(root, layout.output_dir)
    written = write_outputs(root, out_dir, outputs, previous, kept, quiet, dry_run)
    written.manifest.groups = manifest_groups(group_digests, rendered, kept, written.keys)
    return written


def _save_manifest(root: Path, manifest: Manifest) -> list[Problem]:
    """Write the manifest; when that fails (a full disk), say so and remove the last one,
    which no longer tells the truth. The outputs stand: the next build checks them."""
    try:
        write_manifest(root, manifest)
    except OSError as exc:
        remove_state(root, MANIFEST_FILE)
        return [Problem(ERROR, str(root / MANIFEST), None, f"cannot write: {exc.strerror or exc}")]
    return []


def build_blog(
    root: str | os.PathLike[str],
    *,
    drafts: bool = False,
    input_files: list[str] | None = None,
    quiet: bool = False,
    jobs: int | None = None,
    check: bool = False,
) -> BuildResult:
    """Collect the blog at ``root`` and write all its listing outputs; see the module docstring.

    When nothing was added, edited or removed since the last build (``incremental.snapshot``),
    the last result is returned without reading a post; when only some posts' files changed,
    those are read again and patched into the last full build's collection
    (``read.patch``, ``incremental.store``). ``jobs``: processes that read new posts at once
    (see ``collect_blog``). ``check`` writes nothing at all (outputs, cache, manifest,
    snapshot): the result's ``written`` and ``removed`` list what a build would write and
    remove.
    """
    # A build allocates hundreds of thousands of small, long-lived objects and frees none
    # until it ends: the cyclic collector would walk them again and again for nothing (and
    # every object a long-lived process such as ``watch`` holds with them). It is switched
    # back on only once they are freed, when the build returns: re-enabled while they live,
    # its next pass would walk them all once more.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(Path(root), str(root), drafts, input_files, quiet, jobs, check)
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
) -> BuildResult:
    """``build_blog`` with the cyclic collector off: replay, patch, or build in full."""
    key = build_key(shown_root, drafts)
    forced = None
    if input_files:
        from .read.collect import relative_inputs  # the reading side: only when Quarto names files

        forced = relative_inputs(root_path, input_files)
    last = None if check else replay(root_path, shown_root, drafts, forced)
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
        patched = _patch_build(root_path, key, drafts, last, quiet)
        if patched is not None:
            return patched
    return _full_build(root_path, key, drafts, input_files, quiet, jobs)


def _check_build(
    root_path: Path, drafts: bool, input_files: list[str] | None, jobs: int | None
) -> BuildResult:
    """What a full build would write and remove, writing nothing (see ``build_blog``)."""
    # The reading side, imported here: a build where nothing changed reads no post.
    from .read.collect import collect_blog

    cache = MetadataCache.load(root_path)  # used, never saved: a check writes nothing
    blog = collect_blog(root_path, drafts=drafts, input_files=input_files, cache=cache, jobs=jobs)
    return _write_blog(blog, quiet=True, dry_run=True).result


def _full_build(
    root_path: Path,
    key: str,
    drafts: bool,
    input_files: list[str] | None,
    quiet: bool,
    jobs: int | None,
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
        written = _write_blog(blog, quiet, lock_held=lock_held, memo=render_memo)
        _finish(root_path, key, snapshot, written, BuildStore(memo, render_memo))
        return written.result


def _patch_build(
    root_path: Path, key: str, drafts: bool, drift: Drift, quiet: bool
) -> BuildResult | None:
    """The build when only some posts changed (``drift``): they are read again and patched
    into the last full build's collection; None when that cannot vouch for the result."""
    from .incremental.store import BuildStore, load_store
    from .incremental.writeguard import build_lock
    from .read.patch import patch_blog, touched_labels

    token = drift.data.get("store")
    stored = load_store(root_path) if isinstance(token, str) else None
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
        written = _write_blog(blog, quiet, lock_held=lock_held, memo=memo, clean=clean)
        _finish(root_path, key, snapshot, written, stored, drift.changed)
        return written.result


def _finish(
    root_path: Path,
    key: str,
    snapshot: Snapshot,
    written: _Written,
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
