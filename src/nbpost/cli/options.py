"""The options several subcommands share, each defined once: the same flag means the same
thing, with the same spelling and help, in every subcommand."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .messages import error


def add_command(
    subparsers: Any, name: str, summary: str, description: str
) -> argparse.ArgumentParser:
    """Register a subcommand: ``summary`` for ``nbpost --help``, ``description`` for its own."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=description
    )
    return parser


def add_blog_dir(parser: argparse.ArgumentParser, default: str | None = ".") -> None:
    """``BLOG_DIR``, optional: the current folder unless ``default`` says otherwise (None:
    the subcommand decides, as ``build`` does under Quarto)."""
    shown = "'.'" if default == "." else "$QUARTO_PROJECT_DIR, else '.'"
    parser.add_argument(
        "blog_dir",
        metavar="BLOG_DIR",
        nargs="?",
        default=default,
        help=f"the blog's folder (with _quarto.yml); default: {shown}",
    )


def add_drafts(parser: argparse.ArgumentParser) -> None:
    """``--drafts``: posts marked ``draft: true`` count too."""
    parser.add_argument("--drafts", action="store_true", help="include draft posts")


def jobs_count(text: str) -> int:
    """``--jobs``: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def add_jobs(parser: argparse.ArgumentParser) -> None:
    """``--jobs N``: how many processes read posts at once."""
    parser.add_argument(
        "--jobs",
        "-j",
        type=jobs_count,
        metavar="N",
        help="processes that read posts at once (default: one per CPU on Linux, used when "
        "1,000 or more posts need reading; 1: read in this process only)",
    )


def add_flag(parser: argparse.ArgumentParser, flag: str, text: str) -> None:
    """A yes/no option (``--check``, ``--dry-run``, ``--force``...) with its help text."""
    parser.add_argument(flag, action="store_true", help=text)


def add_output_options(parser: argparse.ArgumentParser, debug: bool = True) -> None:
    """``--quiet``/``-q`` (only problems are printed) and ``--debug`` (tracebacks)."""
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    if debug:
        parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def blog_folder(blog_dir: str) -> Path | None:
    """``BLOG_DIR`` as a path, or None after one line saying it is not a folder."""
    root = Path(blog_dir)
    if not root.is_dir():
        error(f"{blog_dir}: not a folder")
        return None
    return root
