"""NB601: chunk syntax in a ``.qmd``'s markdown that Quarto would run (see ``chunkrule``)."""

from __future__ import annotations

from .findings import Finding
from .gather import CheckInput


def check_chunks(found: CheckInput) -> list[Finding]:
    """NB601 for every ``.qmd`` document (posts and other pages alike: Quarto runs them all)."""
    findings: list[Finding] = []
    for rel, facts in sorted(found.bodies.items()):
        for line, header in facts.get("chunks", []):
            findings.append(
                Finding(
                    "NB601",
                    found.shown(rel),
                    line,
                    f"Quarto runs '{header}' although it sits inside another block (a fence, "
                    "an HTML comment or a raw block); to show it, write the header with "
                    "doubled braces ({{...}})",
                )
            )
    return findings
