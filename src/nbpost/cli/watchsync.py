"""``nbpost watch --sync``: sync the pairs whose files changed, before each rebuild.

The sync is ``nbpost sync``'s own engine (``nbpost.sync.sync_paths``, no ``--prefer``): a pair
where both sides changed since the last sync is refused and reported, nothing written. The
files the sync writes raise file events of their own; the watcher remembers the bytes it
wrote, and a later event for a file that still holds exactly those bytes is its own echo, not
an edit, so it neither syncs nor rebuilds again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import one_line
from .watchlog import relative, say

if TYPE_CHECKING:  # pragma: no cover
    from ..sync import SyncReport, SyncResult

PAIRED_SUFFIXES = (".qmd", ".md", ".ipynb")


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class PairSyncer:
    """Syncs the pairs of changed files and recognises the echoes of its own writes."""

    def __init__(self, root: Path, quiet: bool):
        self.root = root
        self.quiet = quiet
        self.written: dict[Path, str | None] = {}  # absolute path -> digest of what we wrote

    def own_echoes(self, paths: Iterable[str]) -> set[str]:
        """The paths whose event came from the sync's own write (their bytes are as written)."""
        echoes = set()
        for name in paths:
            path = Path(name).absolute()
            expected = self.written.pop(path, None)
            if expected is not None and _digest(path) == expected:
                echoes.add(name)
        return echoes

    def sync(self, paths: Iterable[str]) -> None:
        """Sync every pair one of ``paths`` belongs to; one stamped line per thing done."""
        from ..sync import sync_paths  # the converter: loaded only when --sync is on

        candidates = sorted(
            {str(Path(p).absolute()) for p in paths if p.lower().endswith(PAIRED_SUFFIXES)}
        )
        candidates = [name for name in candidates if Path(name).is_file()]
        if candidates:
            self._guarded(lambda: sync_paths(candidates))

    def sync_all(self) -> None:
        """Sync every pair in the blog (when the watch starts)."""
        from ..sync import sync_paths  # the converter: loaded only when --sync is on

        self._guarded(lambda: sync_paths([self.root.absolute()]))

    def _guarded(self, run: Callable[[], SyncReport]) -> None:
        """Run a sync and report it; a failure is one line and the watch goes on."""
        try:
            report = run()
        except Exception as exc:  # a bug or a vanished folder must not end the watch
            say(f"error: {self._relative_message(one_line(exc))}")
            return
        self._report(report)

    def _report(self, report: SyncReport) -> None:
        """Say what a sync did, and remember the bytes it wrote (see ``own_echoes``)."""
        for failure in report.failures:
            say(f"error: {self._relative_message(one_line(failure))}")
        for result in report.conflicts:
            pair = result.pair
            say(
                f"conflict: {relative(self.root, pair.qmd)} and "
                f"{relative(self.root, pair.ipynb)} both changed since they were last synced; "
                "neither was written (keep one with 'nbpost sync --prefer qmd|ipynb')"
            )
        for result in report.changed:
            for path in result.written:
                self.written[Path(path).absolute()] = _digest(Path(path))
            if not self.quiet:
                say(f"synced: {self._describe(result)}")

    def _describe(self, result: SyncResult) -> str:
        pair = result.pair
        qmd, ipynb = relative(self.root, pair.qmd), relative(self.root, pair.ipynb)
        if result.action == "update-ipynb":
            line = f"{ipynb} updated from {qmd}"
            kept = result.kept_outputs
            if kept:
                line += f" (kept the outputs of {kept} unchanged cell{'s' * (kept != 1)})"
            return line
        return f"{qmd} updated from {ipynb}"

    def _relative_message(self, message: str) -> str:
        """An engine message with the blog's absolute folder taken off its paths."""
        prefix = str(self.root.absolute()).rstrip("/") + "/"
        return message.replace(prefix, "")
