"""One set of exit codes for every subcommand (README, "Exit status"): bad input is 2 and a
usage error is 4, kept apart so a script can tell "a file is broken" from "I called it wrong"
(pytest splits them the same way, with 4 for usage errors)."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from nbpost.cli import build_parser
from nbpost.cli.messages import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_USAGE, Parser

QUARTO_YML = "project:\n  type: website\nwebsite:\n  title: T\n"
POST = "---\ntitle: A\ndate: 2024-01-02\ncategories: [One]\n---\n\nText.\n"

# A wrong call of each subcommand that argparse itself refuses: a required argument or an
# option's value missing, a value not among the choices, or one argument too many.
WRONG_CALLS = {
    "convert": [["convert"], ["convert", "--to", "html", "a.qmd"]],
    "sync": [["sync"], ["sync", "--prefer", "md", "a.qmd"]],
    "pair": [["pair"], ["pair", "a.qmd", "--kernel"]],
    "build": [["build", "--jobs", "0"], ["build", "--jobs"]],
    "watch": [["watch", "--debounce"], ["watch", "a", "b"]],
    "categories": [["categories", "a", "b"]],
    "check": [["check", "--select"], ["check", "a", "b"]],
    "new": [["new"], ["new", "T", "--layout", "tree"]],
}


def _blog(root: Path) -> Path:
    (root / "posts/a").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO_YML)
    (root / "posts/a/index.qmd").write_text(POST)
    return root


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    # argparse has no public way to list a parser's subcommands; its action holds them
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_codes_are_distinct() -> None:
    assert len({EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_BAD_INPUT}) == 3
    assert EXIT_USAGE != EXIT_BAD_INPUT
    assert (EXIT_BAD_INPUT, EXIT_USAGE) == (2, 4)


def test_every_subcommand_parses_with_the_usage_exit() -> None:
    assert isinstance(build_parser(), Parser)
    subparsers = _subparsers()
    assert sorted(subparsers) == sorted(WRONG_CALLS)  # a new subcommand needs its wrong calls
    assert all(isinstance(parser, Parser) for parser in subparsers.values())


@pytest.mark.parametrize("command", [None, *WRONG_CALLS])
def test_help_exits_0(run_cli, command: str | None) -> None:
    result = run_cli(*([command] if command else []), "--help")
    assert result.status == 0, result.err
    assert result.out.startswith(f"usage: nbpost {command or ''}".rstrip())


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["--no-such-option"],
        ["convert", "-o", "out.ipynb", "a.qmd", "b.qmd"],
        ["convert", "-", "a.qmd"],
        ["build", "--check", "--sync"],
        ["new", "T", "--date", "next tuesday"],
        *([command, "--no-such-option"] for command in WRONG_CALLS),
        *(argv for calls in WRONG_CALLS.values() for argv in calls),
    ],
)
def test_usage_errors_exit_4(tmp_path: Path, run_cli, monkeypatch, argv: list[str]) -> None:
    monkeypatch.chdir(_blog(tmp_path / "blog"))
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = run_cli(*argv)
    assert result.status == EXIT_USAGE == 4, result.err
    assert result.out == ""
    lines = result.err.splitlines()
    if argv:  # one line says what is wrong, after argparse's usage when argparse refused it
        assert re.match(r"nbpost( [a-z]+)?: error: ", lines[-1]), result.err
    else:  # no subcommand at all: the whole help
        assert lines[0].startswith("usage: nbpost"), result.err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_argparse_errors_print_usage_then_one_error_line(run_cli) -> None:
    result = run_cli("new", "T", "--layout", "tree")
    lines = result.err.splitlines()
    assert lines[0].startswith("usage: nbpost new ")
    assert lines[-1].startswith("nbpost new: error: argument --layout: invalid choice: 'tree'")


def test_bad_input_exits_2(tmp_path: Path, run_cli) -> None:
    (tmp_path / "bad.ipynb").write_text('{"hello": 1}')
    (tmp_path / "ok.qmd").write_text(POST)
    result = run_cli("convert", tmp_path / "bad.ipynb", tmp_path / "ok.qmd")
    assert result.status == EXIT_BAD_INPUT == 2
    assert (tmp_path / "ok.ipynb").is_file()  # the other input was still converted
    broken = _blog(tmp_path / "broken")
    (broken / "_quarto.yml").write_text("website: [unclosed\n")
    for command in ("build", "categories"):  # `check` reports it as a finding (NB001): 1
        assert run_cli(command, broken).status == EXIT_BAD_INPUT, command
    assert run_cli("check", tmp_path / "missing").status == EXIT_BAD_INPUT


def test_categories_and_watch_default_to_the_current_folder(
    tmp_path: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.chdir(_blog(tmp_path / "blog"))
    result = run_cli("categories", "--json")
    assert result.status == 0, result.err
    assert json.loads(result.out)["categories"][0]["label"] == "One"
    assert build_parser().parse_args(["watch"]).blog_dir == "."
