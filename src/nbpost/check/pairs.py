"""Pair rules: a paired post and notebook out of sync (NB501), a notebook whose text side is
gone (NB502), and a post with a notebook beside it that differ and were never synced (NB503).

Pairs are found with ``nbpost.sync.pairs`` and judged with the sync engine itself, on a dry
run (``sync_pair(..., dry_run=True)``): what ``nbpost sync`` would do is what is reported, and
nothing is written. Both sides of a pair match their sync record most of the time, which is
decided by hashing alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..sync.engine import sync_pair
from ..sync.pairs import NOTEBOOK_SUFFIX, Pair, find_pair, notebook_dir, partner_candidates
from ..sync.record import RECORD_FILE, SyncRecord, digest
from .findings import Finding
from .gather import CheckInput

TEXT_SUFFIXES = (".qmd", ".md")


def _candidates(found: CheckInput) -> list[str]:
    """Text documents with a notebook beside them (or anywhere, with a notebook folder)."""
    on_disk = set(found.facts.files.on_disk) | set(found.facts.files.documents)
    lowered = {rel.lower() for rel in on_disk}
    texts = [rel for rel in sorted(on_disk) if rel.lower().endswith(TEXT_SUFFIXES)]
    if found.facts.settings is not None and found.facts.settings.notebook_dir:
        return texts
    return [rel for rel in texts if rel.rsplit(".", 1)[0].lower() + NOTEBOOK_SUFFIX in lowered]


def _judge(found: CheckInput, record: SyncRecord, pair: Pair, rel: str) -> Finding | None:
    shown_nb = found.shown(os.path.relpath(pair.ipynb, found.root))
    entry = record.get(pair)
    if entry is not None and (
        digest(pair.qmd.read_bytes()) == entry.qmd_sha256
        and digest(pair.ipynb.read_bytes()) == entry.ipynb_sha256
    ):
        return None
    result = sync_pair(pair, dry_run=True, record=record)
    if result.action in ("in-sync", "recorded") and not result.written:
        return None
    if result.action == "conflict" and entry is None:
        return Finding(
            "NB503",
            found.shown(rel),
            None,
            f"differs from {shown_nb} beside it and they were never synced; "
            "pick the side to keep with 'nbpost sync --prefer qmd|ipynb'",
        )
    what = "both sides changed" if result.action == "conflict" else "one side changed"
    return Finding(
        "NB501",
        found.shown(rel),
        None,
        f"out of sync with {shown_nb} ({what} since the last sync); run 'nbpost sync'",
    )


def _pairs(found: CheckInput) -> list[tuple[str, Pair]]:
    pairs = []
    for rel in _candidates(found):
        try:
            pair = find_pair(found.root / rel)
        except Exception:  # an invalid _quarto.yml: reported as NB001 by the collector
            continue
        found.watch.file(found.root, rel)
        if pair is not None:
            found.watch.file(found.root, os.path.relpath(pair.ipynb, found.root))
            pairs.append((rel, pair))
        else:
            for candidate in partner_candidates(found.root / rel):
                found.watch.file(found.root, os.path.relpath(candidate, found.root))
    return pairs


def orphan_notebooks(found: CheckInput) -> list[Path]:
    """Notebooks in the notebook folder, or recorded as paired, whose text side is gone."""
    record = SyncRecord.load(found.root)
    notebooks: set[Path] = set()
    folder = notebook_dir(found.root) if found.facts.settings is not None else None
    if folder is not None and folder.is_dir():
        for current, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            found.watch.folder(found.root, os.path.relpath(current, found.root))
            notebooks.update(Path(current, n) for n in names if n.endswith(NOTEBOOK_SUFFIX))
    for key, entry in record.entries.items():
        if not found.watch.file(found.root, key):
            notebooks.add(found.root / entry.ipynb)
    orphans = []
    for notebook in sorted(notebooks):
        rel = os.path.relpath(notebook, found.root)
        if found.watch.file(found.root, rel) and find_pair(notebook) is None:
            orphans.append(notebook)
    return orphans


def _orphans(found: CheckInput) -> list[Finding]:
    return [
        Finding(
            "NB502",
            found.shown(os.path.relpath(notebook, found.root)),
            None,
            "notebook has no text side (its .qmd was moved or deleted); "
            "'nbpost pair' (or --fix) writes one",
        )
        for notebook in orphan_notebooks(found)
    ]


def check_pairs(found: CheckInput) -> list[Finding]:
    """NB501 to NB503 over the blog's pairs and recorded notebooks."""
    found.watch.file(found.root, str(RECORD_FILE))
    record = SyncRecord.load(found.root)
    findings: list[Finding] = []
    for rel, pair in _pairs(found):
        try:
            finding = _judge(found, record, pair, rel)
        except Exception as exc:  # one broken pair never stops the check
            finding = Finding(
                "NB001", found.shown(rel), None, f"cannot compare with its notebook: {exc}"
            )
        if finding is not None:
            findings.append(finding)
    findings.extend(_orphans(found))
    return findings
