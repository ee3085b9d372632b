"""NB601: chunk syntax in a ``.qmd``'s markdown that Quarto would run; NB602: a chunk option
given twice, which Quarto refuses (see ``chunkrule``); NB603: a ``jupyter:`` entry Quarto
refuses (see ``kernelrule``)."""

from __future__ import annotations

from collections.abc import Callable

from .findings import Finding
from .gather import CheckInput

# Per body fact (``bodies.extract``: ``[line, value]`` pairs): its code and its message.
_RULES: list[tuple[str, str, Callable[[str], str]]] = [
    (
        "chunks",
        "NB601",
        lambda header: (
            f"Quarto runs '{header}' although it sits inside another block (a "
            "fence, an HTML comment or a raw block); to show it, write the header with doubled "
            "braces ({{...}})"
        ),
    ),
    (
        "options",
        "NB602",
        lambda key: (
            f"option '{key}' is given twice in this chunk: Quarto stops at it "
            "(duplicated mapping key); keep one"
        ),
    ),
    (
        "kernel",
        "NB603",
        lambda reason: (
            f"Quarto cannot read this jupyter entry ({reason}) and stops; name a "
            "kernel (jupyter: python3) or give a kernelspec with name, language and display_name"
        ),
    ),
]


def check_chunks(found: CheckInput) -> list[Finding]:
    """NB601, NB602 and NB603 for every ``.qmd`` document (posts and other pages alike:
    Quarto runs them all)."""
    findings: list[Finding] = []
    for rel, facts in sorted(found.bodies.items()):
        for fact, code, message in _RULES:
            for line, value in facts.get(fact, []):
                findings.append(Finding(code, found.shown(rel), line, message(value)))
    return findings
