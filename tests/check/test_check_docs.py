"""docs/check.md documents every code, with its severity and an example line."""

from __future__ import annotations

import re
from pathlib import Path

from nbpost.check.findings import CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "check.md"


def test_every_code_has_a_section_with_its_severity_and_an_example() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code, (severity, _summary) in CODES.items():
        heading = re.search(rf"^### (?:NB\d+, )*{code}(?:, NB\d+)* \((\w+)s?\)", text, re.M)
        assert heading, f"{code} has no section"
        assert heading.group(1).rstrip("s") == severity, code
        assert re.search(rf"^\S+: {code} ", text, re.M), f"{code} has no example line"
