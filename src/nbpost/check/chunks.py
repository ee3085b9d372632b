"""NB601: chunk syntax in a ``.qmd``'s markdown that Quarto would run; NB602: a chunk option
given twice, which Quarto refuses (see ``chunkrule``); NB603: a ``jupyter:`` entry Quarto
refuses (see ``kernelrule``)."""

from __future__ import annotations

from .findings import Finding
from .gather import CheckInput


def check_chunks(found: CheckInput) -> list[Finding]:
    """NB601, NB602 and NB603 for every ``.qmd`` document (posts and other pages alike:
    Quarto runs them all)."""
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
        for line, key in facts.get("options", []):
            findings.append(
                Finding(
                    "NB602",
                    found.shown(rel),
                    line,
                    f"option '{key}' is given twice in this chunk: Quarto stops at it "
                    "(duplicated mapping key); keep one",
                )
            )
        for line, reason in facts.get("kernel", []):
            findings.append(
                Finding(
                    "NB603",
                    found.shown(rel),
                    line,
                    f"Quarto cannot read this jupyter entry ({reason}) and stops; name a kernel "
                    "(jupyter: python3) or give a kernelspec with name, language and display_name",
                )
            )
    return findings
