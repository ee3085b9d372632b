"""``nbpost categories BLOG_DIR``: list a blog's categories with counts, slugs and warnings."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import Any

from ..errors import NbpostError
from .messages import EXIT_BAD_INPUT, EXIT_OK, error, report_error, warning
from .options import add_blog_dir, add_command, add_drafts, add_flag, blog_folder


def add_parser(subparsers: Any) -> None:
    """Register the ``categories`` subcommand."""
    parser = add_command(
        subparsers,
        "categories",
        "list a blog's categories with post counts, slugs and warnings",
        "List the categories of a Quarto blog as nbpost sees them: canonical label, slug, "
        "number of posts, and warnings such as labels merged by case (Python/python) or two "
        "labels sharing one slug.",
    )
    add_blog_dir(parser)  # the current folder, like build (issue 14)
    add_flag(parser, "--json", "print JSON for scripts")
    add_drafts(parser)
    parser.set_defaults(run=run)


def blog_summary(blog: Any) -> dict[str, Any]:
    """The JSON document ``--json`` prints."""
    return {
        "posts": len(blog.posts),
        "categories": [
            {
                "label": category.label,
                "slug": category.slug,
                "key": category.key,
                "count": category.count,
                "spellings": category.spellings,
                "aliases": category.aliases,
                "description": category.description,
                "colour": category.colour,
            }
            for category in sorted(blog.categories, key=lambda c: c.slug)
        ],
        "warnings": blog.warnings,
        "errors": blog.errors,
    }


def _print_table(blog: Any) -> None:
    rows = sorted(blog.categories, key=lambda c: (-c.count, c.key))
    width = max((display_width(c.label) for c in rows), default=5)
    width = min(max(width, len("CATEGORY")), 40)
    print(f"{'COUNT':>5}  {'CATEGORY':<{width}}  SLUG")
    for category in rows:
        padding = " " * max(width - display_width(category.label), 0)
        print(f"{category.count:>5}  {category.label}{padding}  {category.slug}")
    print(f"{len(rows)} categories in {len(blog.posts)} posts")


def display_width(text: str) -> int:
    """Columns a label takes in a terminal: CJK and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def run(args: argparse.Namespace) -> int:
    """Collect the blog and print its categories."""
    # Imported here: the blog reader is loaded only when this subcommand runs, so that
    # `nbpost --help` and the other subcommands start without it.
    from ..blog.incremental.cache import MetadataCache
    from ..blog.read.collect import collect_blog

    root = blog_folder(args.blog_dir)
    if root is None:
        return EXIT_BAD_INPUT
    try:
        # Reuse the build's cache when there is one, but never write into the blog: this
        # command only reads.
        blog = collect_blog(root, drafts=args.drafts, cache=MetadataCache.load(root))
    except NbpostError as exc:
        report_error(exc)
        return EXIT_BAD_INPUT
    if args.json:
        json.dump(blog_summary(blog), sys.stdout, indent=2, ensure_ascii=False, sort_keys=True)
        sys.stdout.write("\n")
    else:
        _print_table(blog)
    for message in blog.warnings:
        warning(message)
    for message in blog.errors:
        error(message)
    return EXIT_BAD_INPUT if blog.errors else EXIT_OK
