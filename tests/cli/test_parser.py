"""The command line parses a subcommand with that subcommand's parser alone, exactly as with
all of them, and lays out help at argparse's own width without importing shutil."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import nbpost
from nbpost.cli import BY_NAME, build_parser
from nbpost.cli.messages import terminal_columns


def _choices(parser: argparse.ArgumentParser) -> set[str]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(actions[0].choices)


def test_each_module_registers_the_subcommand_of_its_name() -> None:
    assert _choices(build_parser()) == set(BY_NAME)
    for name in BY_NAME:
        assert _choices(build_parser(name)) == {name}


def _help(parser: argparse.ArgumentParser, words: list[str]) -> str:
    with contextlib.redirect_stdout(io.StringIO()) as out, pytest.raises(SystemExit):
        parser.parse_args(words)
    return out.getvalue()


ARGUMENTS = {
    "convert": ["post.qmd"],
    "pair": ["post.qmd"],
    "sync": ["post.qmd"],
    "new": ["A title"],
}


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_a_subcommand_alone_gives_the_same_help_and_arguments(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "71")
    alone = _help(build_parser(name), [name, "--help"])
    assert alone == _help(build_parser(), [name, "--help"]) and f"usage: nbpost {name}" in alone
    words = [name, *ARGUMENTS.get(name, [])]
    assert vars(build_parser(name).parse_args(words)).keys() == (
        vars(build_parser().parse_args(words)).keys()
    )


@pytest.mark.parametrize("columns", ["", "40", "123", "0", "wide"])
def test_the_help_width_is_the_one_shutil_finds(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


def test_a_build_imports_no_shutil_traceback_or_textwrap() -> None:
    # -S: no site hook may load them first (a .pth file can import anything); the package
    # and its dependencies are put on the path by hand.
    paths = [str(Path(nbpost.__file__).parent.parent), *sysconfig.get_paths().values()]
    probe = (
        f"import sys; sys.path[:0] = {paths!r}\n"
        "import nbpost.cli as cli\n"
        "cli.build_parser('build').parse_args(['build', '.'])\n"
        "print(sorted({'shutil', 'traceback', 'textwrap'} & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
