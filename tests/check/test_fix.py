"""``nbpost check --fix``: only safe fixes, byte-minimal, verified, never over a changed file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from checkhelpers import QUARTO_YML, findings, make_blog, post

from nbpost.check.aliases import with_alias
from nbpost.check.fixes import apply_fixes
from nbpost.check.gather import gather
from nbpost.cli import main


def _diff(before: bytes, after: bytes) -> tuple[bytes, bytes]:
    """The differing middle of two byte strings (common prefix and suffix taken off)."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return before[start : len(before) - end], after[start : len(after) - end]


FRONT_MATTERS = {
    "flow": "---\ntitle: C\ndate: 2024-01-01\ncategories: [x, python, 'y']\n---\n\nText.\n",
    "block": '---\ntitle: C\ncategories:\n  - x\n  - "python"\ndate: 2024-01-01\n---\nText\n',
    "crlf": "---\r\ntitle: C\r\ncategories: [python]\r\n---\r\n\r\nText.\r\n",
}


@pytest.mark.parametrize("style", sorted(FRONT_MATTERS))
def test_nb101_fix_changes_only_the_label(tmp_path: Path, style: str, run_cli) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["Python"]),
            "posts/b.qmd": post("B", categories=["Python"]),
            "posts/c.qmd": FRONT_MATTERS[style],
        },
    )
    target = root / "posts/c.qmd"
    before = target.read_bytes()
    result = run_cli("check", root, "--fix", "--select", "NB101")
    assert "fixed" in result.err and "NB101 category 'python' -> 'Python'" in result.err
    assert _diff(before, target.read_bytes()) == (b"p", b"P")
    assert result.out == ""  # nothing left to report


def test_nb101_fix_in_a_notebook(tmp_path: Path) -> None:
    cells = [
        {
            "cell_type": "raw",
            "metadata": {},
            "source": ["---\n", "title: N\n", "categories: [python, x]\n", "---"],
        }
    ]
    notebook = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["Python"]),
            "posts/b.qmd": post("B", categories=["Python"]),
            "posts/n/index.ipynb": notebook,
        },
    )
    before = (root / "posts/n/index.ipynb").read_bytes()
    assert main(["check", str(root), "--fix", "--select", "NB101"]) == 0
    assert _diff(before, (root / "posts/n/index.ipynb").read_bytes()) == (b"p", b"P")


def test_nb101_fix_refuses_a_file_changed_since_the_check(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["Python"]),
            "posts/b.qmd": post("B", categories=["Python"]),
            "posts/c.qmd": post("C", categories=["python"]),
        },
    )
    found = gather(root, str(root))
    edited = post("C", categories=["python"]) + "A sentence written meanwhile.\n"
    (root / "posts/c.qmd").write_text(edited)
    report = apply_fixes(found, ["NB101"], [])
    assert report.changed == [] and "NB101 not fixed" in report.refused[0]
    assert (root / "posts/c.qmd").read_text() == edited


def test_nb102_fix_creates_the_registry(tmp_path: Path, run_cli) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["notebooks"]),
            "posts/b.qmd": post("B", categories=["notebooks"]),
            "posts/c.qmd": post("C", categories=["notebook"]),
        },
    )
    result = run_cli("check", root, "--fix")
    assert "NB102 'notebook' is now an alias of 'notebooks'" in result.err
    text = (root / "_categories.yml").read_text()
    assert text.endswith('"notebooks":\n  aliases: ["notebook"]\n')
    assert findings(root, "NB102") == []


REGISTRIES = {
    "mapping, no entry": (
        "# my categories\nR:\n  description: The language.\n",
        '# my categories\nR:\n  description: The language.\n"notebooks":\n'
        '  aliases: ["notebook"]\n',
    ),
    "flow aliases": (
        "notebooks:   # keep\n  aliases: [nb]\n  colour: red\n",
        'notebooks:   # keep\n  aliases: [nb, "notebook"]\n  colour: red\n',
    ),
    "block aliases": (
        "notebooks:\n  aliases:\n    - nb\n  colour: red\n",
        'notebooks:\n  aliases:\n    - nb\n    - "notebook"\n  colour: red\n',
    ),
    "entry without aliases": (
        "notebooks:\n  description: Jupyter.\n",
        'notebooks:\n  aliases: ["notebook"]\n  description: Jupyter.\n',
    ),
    "list of entries": (
        "- label: R\n",
        '- label: R\n- label: "notebooks"\n  aliases: ["notebook"]\n',
    ),
    "list entry with aliases": (
        "- label: notebooks\n  aliases: [nb]\n",
        '- label: notebooks\n  aliases: [nb, "notebook"]\n',
    ),
}


@pytest.mark.parametrize("case", sorted(REGISTRIES))
def test_nb102_alias_added_keeping_every_other_byte(case: str) -> None:
    before, after = REGISTRIES[case]
    assert with_alias(before, "notebooks", "notebook") == after


def test_nb102_alias_refused_where_it_cannot_be_placed_safely() -> None:
    assert with_alias("notebooks: {description: x}\n", "notebooks", "notebook") is None
    assert with_alias("notebooks:\n", "notebooks", "notebook") is None
    assert with_alias("[unclosed\n", "notebooks", "notebook") is None


def test_nb502_fix_pairs_the_orphan(tmp_path: Path, run_cli) -> None:
    config = QUARTO_YML + "nbpost:\n  notebook-dir: _notebooks\n"
    code = post("Code") + "```{python}\nx = 1\n```\n"
    root = make_blog(tmp_path, {"_quarto.yml": config, "posts/a/index.qmd": code})
    assert main(["pair", str(root / "posts/a/index.qmd"), "-q"]) == 0
    (root / "posts/a/index.qmd").unlink()
    result = run_cli("check", root, "--fix", "--select", "NB5")
    assert "NB502 written from" in result.err
    assert (root / "posts/a/index.qmd").read_text() == code
    assert findings(root, "NB501", "NB502", "NB503") == []


def test_fix_on_a_broken_configuration_fixes_nothing_and_reports(tmp_path: Path, run_cli) -> None:
    root = make_blog(tmp_path, {"_quarto.yml": "project: [unclosed\n", "posts/a.qmd": post()})
    result = run_cli("check", root, "--fix")
    assert result.status == 1 and "nothing fixed" in result.err
    assert " NB001 " in result.out
