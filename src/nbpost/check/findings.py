"""What ``nbpost check`` reports: a ``Finding`` per problem, each with a stable code.

Codes never change meaning once released: a rule that goes away leaves its code unused. The
hundreds group rules by family (1 categories, 2 dates, 3 post metadata, 4 links, 5 pairs,
6 chunks, 7 listings, 0 posts nbpost cannot read at all). ``docs/check.md`` documents each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from ..project.paths import printable

Severity = Literal["error", "warning"]

# code -> (severity, one-line summary). An error is something the published site gets wrong
# (a post left out, a pair that disagrees, a generated file whose edits a build overwrites);
# a warning is something Quarto accepts but the author most likely did not mean.
CODES: dict[str, tuple[Severity, str]] = {
    "NB001": ("error", "a post or configuration file nbpost cannot read"),
    "NB101": ("warning", "one category spelled in several ways (case or spacing)"),
    "NB102": ("warning", "categories that are probably the same (hyphen, plural, one edit)"),
    "NB103": ("warning", "a category item that names no category (empty, null, a mapping)"),
    "NB201": ("error", "a date that cannot be read"),
    "NB202": ("warning", "an ambiguous numeric date (03/04/2024)"),
    "NB203": ("warning", "a date in the future"),
    "NB204": ("warning", "a date that disagrees with the date in the folder name"),
    "NB301": ("warning", "a post without a title"),
    "NB302": ("warning", "a post without a date"),
    "NB303": ("warning", "a post without a description"),
    "NB304": ("warning", "an image file that does not exist"),
    "NB305": ("warning", "two posts with the same title"),
    "NB306": ("warning", "two posts with the same slug"),
    "NB401": ("error", "a published post links to a draft"),
    "NB402": ("warning", "a link to another post that does not resolve"),
    "NB501": ("error", "a paired post and notebook out of sync"),
    "NB502": ("warning", "a notebook whose text side is missing (orphaned)"),
    "NB503": ("warning", "a post and a notebook beside it that differ and were never synced"),
    "NB601": ("warning", "chunk syntax in markdown that Quarto would run"),
    "NB602": ("error", "a chunk option given twice, which Quarto refuses"),
    "NB603": ("error", "a jupyter: front matter entry that Quarto refuses"),
    "NB701": ("warning", "a listing without contents that lists other pages"),
    "NB702": ("warning", "a post that no listing shows"),
    "NB703": ("warning", "feeds wanted but website.site-url missing"),
    "NB704": ("error", "a generated file edited by hand"),
}


@dataclass(frozen=True)
class Finding:
    """One problem: a code, where (path relative to the blog as given, 1-based line), what."""

    code: str
    path: str
    line: int | None
    message: str

    @property
    def severity(self) -> Severity:
        """``error`` or ``warning``, fixed by the code."""
        return CODES[self.code][0]

    def text(self) -> str:
        """``path:line: CODE message`` (``path: CODE message`` without a line)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        # A date or label from a file may hold a newline: one finding stays one line.
        return printable(f"{where}: {self.code} {self.message}")

    def as_json(self) -> dict[str, Any]:
        """The finding as ``--json`` prints it."""
        return {**asdict(self), "severity": self.severity}


def chosen(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """Whether a code passes ``--select``/``--ignore`` (prefixes, as ruff reads them:
    ``NB1`` is every category rule, ``NB`` everything)."""
    prefixes = [p.upper() for p in select]
    if prefixes and not any(code.startswith(p) for p in prefixes):
        return False
    return not any(code.startswith(p.upper()) for p in ignore)


def sort_key(finding: Finding) -> tuple[str, int, str, str]:
    """Report order: by file, then line, then code."""
    return (finding.path, finding.line or 0, finding.code, finding.message)
