"""Run every rule over a blog, or report the last run's findings again when nothing changed."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import NbpostError
from . import state
from .categories import check_categories
from .chunks import check_chunks
from .dates import check_dates, future_dates
from .findings import Finding, sort_key
from .gather import CheckInput, gather
from .links import check_links
from .listings import check_listings
from .metadata import check_metadata
from .pairs import check_pairs

RULES = (
    check_categories,
    check_dates,
    check_metadata,
    check_links,
    check_pairs,
    check_chunks,
    check_listings,
)
WHERE_RE = re.compile(r"(?P<path>.*?)(?::(?P<line>\d+))?: (?P<message>.*)\Z", re.DOTALL)
NEVER_NS = 2**63 - 1


def _unreadable(message: str) -> Finding:
    """An error of the collector ("PATH[:LINE]: message", a post left out) as NB001."""
    match = WHERE_RE.match(message)
    if match is None:
        return Finding("NB001", ".", None, message)
    line = int(match["line"]) if match["line"] else None
    return Finding("NB001", match["path"], line, match["message"])


def _config_error(exc: NbpostError, shown_root: str) -> Finding:
    path = str(exc.path) if getattr(exc, "path", None) else shown_root
    return Finding("NB001", path, getattr(exc, "line", None), exc.message)


def run_rules(found: CheckInput) -> list[Finding]:
    """Every rule's findings over one gathered blog, in report order, each reported once."""
    findings = {_unreadable(message) for message in found.blog.errors}
    for rule in RULES:
        findings.update(rule(found))
    return sorted(findings, key=sort_key)


def check_blog(root: Path, shown_root: str, *, reuse: bool = True) -> list[Finding]:
    """All findings for the blog at ``root`` (shown as ``shown_root`` in messages).

    With ``reuse``, the last run's findings are returned without reading anything when no
    file they depend on changed (``state``); a full run stores its result for the next.
    """
    if reuse:
        last = state.replay(root, shown_root)
        if last is not None:
            return last
    try:
        found = gather(root, shown_root)
    except NbpostError as exc:
        return [_config_error(exc, shown_root)]
    findings = run_rules(found)
    if not found.snapshot.volatile:
        upcoming = future_dates(found)
        valid_until = int(upcoming[0].timestamp() * 1e9) if upcoming else NEVER_NS
        snapshot = found.snapshot.stored()
        state.save(root, shown_root, snapshot, found.watch.as_json(), valid_until, findings)
    return findings
