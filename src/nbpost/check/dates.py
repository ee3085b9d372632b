"""Date rules: unreadable (NB201), ambiguous (NB202), in the future (NB203), and disagreeing
with a date in the folder name (NB204).

Quarto reads ``MM/dd/yyyy`` first (``src/core/date.ts``), so ``03/04/2024`` is March 4 on
every Quarto site whatever the author meant; ``blog.read.dates`` reads dates exactly as Quarto
does, and what it cannot read is what Quarto would show as written or not at all.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from ..blog.model import Post
from ..blog.read.dates import NUMERIC_RE
from .findings import Finding
from .gather import CheckInput

FOLDER_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:\D|\Z)")
CLOCK_WORDS = ("today", "now", "last-modified")


def folder_date(source: str) -> dt.date | None:
    """The date a post's folder (or, for a flat post, its file name) starts with."""
    folder, name = posixpath.split(source)
    stem = posixpath.basename(folder) if name.lower().startswith("index.") else name
    match = FOLDER_DATE_RE.match(stem)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _ambiguous(text: str) -> bool:
    """``03/04/2024``: two numbers that could each be the month, and differ."""
    match = NUMERIC_RE.fullmatch(text.strip())
    if match is None:
        return False
    first, second = int(match["a"]), int(match["b"])
    return first != second and 1 <= first <= 12 and 1 <= second <= 12


def _post_findings(found: CheckInput, post: Post) -> list[Finding]:
    where, line = found.shown(post.source), post.line_of.get("date")
    text = (post.date_text or "").strip()
    if not text or text.lower() in CLOCK_WORDS:
        return []
    if post.date is None:
        return [Finding("NB201", where, line, f"cannot read date '{text}'")]
    findings = []
    if _ambiguous(text):
        shown = post.date.strftime("%B %-d, %Y")
        findings.append(
            Finding(
                "NB202",
                where,
                line,
                f"date '{text}' is ambiguous; nbpost reads it as {shown} (Quarto reads "
                f"month first); write {post.date.date().isoformat()} to be sure",
            )
        )
    if not post.draft and post.date > found.now:
        findings.append(
            Finding("NB203", where, line, f"date {post.date.date().isoformat()} is in the future")
        )
    named = folder_date(post.source)
    if named is not None and named != post.date.date():
        findings.append(
            Finding(
                "NB204",
                where,
                line,
                f"date {post.date.date().isoformat()} disagrees with the folder name's "
                f"{named.isoformat()}",
            )
        )
    return findings


def check_dates(found: CheckInput) -> list[Finding]:
    """NB201 to NB204 over every post read from a file."""
    findings: list[Finding] = []
    for post in found.documents:
        findings.extend(_post_findings(found, post))
    return findings


def future_dates(found: CheckInput) -> list[dt.datetime]:
    """Dates still in the future: a stored result stops holding when the first one passes."""
    return sorted(p.date for p in found.documents if p.date is not None and p.date > found.now)
