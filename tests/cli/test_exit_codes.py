"""One set of exit codes for every subcommand (README, "Exit status"): 2 is argparse's usage
error and stays so; bad input is 3, so a script can tell "I called it wrong" from "a file is
broken"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nbpost.cli import build_parser
from nbpost.cli.messages import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_USAGE

QUARTO_YML = "project:\n  type: website\nwebsite:\n  title: T\n"
POST = "---\ntitle: A\ndate: 2024-01-02\ncategories: [One]\n---\n\nText.\n"


def _blog(root: Path) -> Path:
    (root / "posts/a").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO_YML)
    (root / "posts/a/index.qmd").write_text(POST)
    return root


def test_the_codes_are_distinct() -> None:
    assert len({EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_BAD_INPUT}) == 3
    assert EXIT_USAGE == 2  # argparse's own


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["build", "--no-such-option"],
        ["build", "--jobs", "0"],
        ["convert", "-o", "out.ipynb", "a.qmd", "b.qmd"],
        ["build", "--check", "--sync"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, run_cli, monkeypatch, argv: list[str]) -> None:
    monkeypatch.chdir(_blog(tmp_path / "blog"))
    result = run_cli(*argv)
    assert result.status == EXIT_USAGE, result.err


def test_bad_input_exits_3(tmp_path: Path, run_cli) -> None:
    (tmp_path / "bad.ipynb").write_text('{"hello": 1}')
    (tmp_path / "ok.qmd").write_text(POST)
    result = run_cli("convert", tmp_path / "bad.ipynb", tmp_path / "ok.qmd")
    assert result.status == EXIT_BAD_INPUT
    assert (tmp_path / "ok.ipynb").is_file()  # the other input was still converted
    broken = _blog(tmp_path / "broken")
    (broken / "_quarto.yml").write_text("website: [unclosed\n")
    for command in ("build", "categories"):
        assert run_cli(command, broken).status == EXIT_BAD_INPUT


def test_categories_and_watch_default_to_the_current_folder(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.chdir(_blog(tmp_path / "blog"))
    result = run_cli("categories", "--json")
    assert result.status == 0, result.err
    assert json.loads(result.out)["categories"][0]["label"] == "One"
    assert build_parser().parse_args(["watch"]).blog_dir == "."
