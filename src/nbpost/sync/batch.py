"""Sync many paths at once: find the pairs under files and folders, sync each, report all.

One broken pair never stops the others; each problem becomes one entry in the report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NbpostError, as_input_error, one_line
from ..project.walk import walk_posts
from .engine import Side, SyncResult, sync_pair
from .pairs import Pair, find_pair
from .record import RecordBook

Failure = NbpostError | OSError


@dataclass
class SyncReport:
    """What syncing a set of paths did: one result per pair, one failure per bad input."""

    results: list[SyncResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    unpaired: list[Path] = field(default_factory=list)  # files named explicitly, no partner

    @property
    def conflicts(self) -> list[SyncResult]:
        """Pairs refused because both sides changed."""
        return [result for result in self.results if result.conflict]

    @property
    def changed(self) -> list[SyncResult]:
        """Pairs where a file was (or, on a dry run, would be) written."""
        return [result for result in self.results if result.changed]

    @property
    def errors(self) -> list[str]:
        """One line per failure and per conflict (empty when all went well)."""
        lines = [one_line(failure) for failure in self.failures]
        return lines + [result.message for result in self.conflicts]


def collect_pairs(
    paths: Iterable[str | Path], unpaired: list[Path] | None = None
) -> tuple[list[Pair], list[Failure]]:
    """The pairs named by files or found under folders (each once), and inputs that failed.

    Folders are walked like ``nbpost convert`` walks them; files without a partner are
    skipped (a pre-commit hook passes every staged Markdown file), and those named
    explicitly are appended to ``unpaired`` when it is given.
    """
    pairs: list[Pair] = []
    failures: list[Failure] = []
    seen: set[tuple[Path, Path]] = set()
    for name in paths:
        path = Path(name)
        if path.is_dir():
            candidates: list[Path] = list(walk_posts(path))
        elif path.is_file():
            candidates = [path]
        else:
            failures.append(NbpostError("no such file or folder", path))
            continue
        for candidate in candidates:
            try:
                pair = find_pair(candidate)
            except Exception as exc:  # an invalid _quarto.yml
                failures.append(as_input_error(exc, candidate))
                continue
            if pair is None:
                if unpaired is not None and candidate is path:
                    unpaired.append(path)
                continue
            key = (pair.qmd.resolve(), pair.ipynb.resolve())
            if key not in seen:
                seen.add(key)
                pairs.append(pair)
    return pairs, failures


def _blame(exc: BaseException, pair: Pair) -> Path:
    """The file an error without a path is about: the notebook (text files are always read
    with their path, so what is left is the notebook and the text made from it)."""
    return pair.ipynb


def sync_paths(
    paths: Iterable[str | Path],
    *,
    prefer: Side | None = None,
    dry_run: bool = False,
    record_changes: bool = True,
) -> SyncReport:
    """Sync every pair under ``paths``; records are saved once at the end (not on a dry run)."""
    unpaired: list[Path] = []
    pairs, failures = collect_pairs(paths, unpaired)
    report = SyncReport(failures=failures, unpaired=unpaired)
    book = RecordBook()
    for pair in pairs:
        try:
            result = sync_pair(
                pair,
                prefer=prefer,
                dry_run=dry_run,
                record=book.for_pair(pair),
                record_changes=record_changes,
            )
        except Exception as exc:  # one broken pair never stops the others
            report.failures.append(as_input_error(exc, _blame(exc, pair)))
            continue
        report.results.append(result)
    if not dry_run:
        try:
            book.save()
        except OSError as exc:
            report.failures.append(exc)
    return report
