"""The output stage of every build: render a collected blog, write what changed, keep the
manifest (``build`` decides which blog and what is reused; see its docstring).

``write_stage`` fingerprints the blog (``incremental.manifest``); when nothing that shapes the
outputs changed and no output was touched, it returns the last result; else it renders every
output a changed group needs (``render.outputs``), writes what changed
(``incremental.writeout``) and saves the manifest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ERROR, WARNING, HasProblems, Problem, lines_of
from ..project.state import folder_problem, remove_state
from .incremental.fingerprints import fingerprints
from .incremental.manifest import (
    MANIFEST,
    MANIFEST_FILE,
    Manifest,
    manifest_groups,
    read_manifest,
    reusable_groups,
    still_intact,
    write_manifest,
)
from .incremental.snapshot import discard_state
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
    from .incremental.writeout import WriteResult


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
    return write_stage(blog, quiet).result


@dataclass
class Written:
    """A build's result, the manifest it leaves, and the problems of its output stage alone."""

    result: BuildResult
    manifest: Manifest
    output_problems: list[Problem]


def write_stage(
    blog: Blog,
    quiet: bool,
    dry_run: bool = False,
    lock_held: bool = False,
    memo: RenderMemo | None = None,
    clean: bool = True,
    seen: Mapping[str, list[int]] | None = None,
) -> Written:
    """Render and write (``dry_run``: only list) the outputs; ``lock_held``: the build lock
    is held (``incremental.writeguard``); ``memo``: per-post pieces (``render.memo``);
    ``clean``: look for what a killed build left; ``seen``: ``manifest.reusable_groups``."""
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
        and still_intact(root, previous, seen)
    ):
        # Nothing that shapes the outputs changed and no output was touched: nothing to do.
        result.unchanged = sorted(previous.files)
        result.feeds = previous.feeds
        replayed = [Problem.replayed(WARNING, line) for line in previous.warnings]
        result.problems += replayed
        return Written(result, previous, replayed)
    stage += no_feeds_warning(blog, root)
    written = _render_and_write(
        blog, layout, out_dir, home, previous, group_digests, quiet, dry_run, memo, seen
    )
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
    return Written(result, manifest, stage)


def _render_and_write(
    blog: Blog,
    layout: Layout,
    out_dir: Path,
    home: str | None,
    previous: Manifest,
    group_digests: dict[str, str],
    quiet: bool,
    dry_run: bool,
    memo: RenderMemo | None,
    seen: Mapping[str, list[int]] | None = None,
) -> WriteResult:
    """Render what changed since ``previous`` and write it into ``out_dir`` (the layout's
    output folder, resolved inside the blog); the manifest gets its groups."""
    from .incremental.writeout import write_outputs  # the output side (see write_stage)

    root = Path(blog.config.root)
    kept = reusable_groups(root, previous, group_digests, seen)
    rendered: dict[str, list[str]] = {}
    outputs = render_outputs(blog, layout, home, kept.keys(), rendered, memo)
    if not dry_run:
        discard_state(root)  # a build killed from here on is followed by a full one
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
