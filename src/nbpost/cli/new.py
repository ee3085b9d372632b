"""``nbpost new "Title" [BLOG_DIR]``: create a post the way the blog's posts are made.

Messages go to stderr; stdout gets only the path of the file to open, last, so that
``$EDITOR "$(nbpost new 'Title')"`` works.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..errors import NbpostError
from .messages import EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, error, report_error
from .options import add_blog_dir, blog_folder

if TYPE_CHECKING:
    import datetime as dt

FORMATS = {"qmd": ".qmd", "ipynb": ".ipynb", "md": ".md"}


def add_parser(subparsers: Any) -> None:
    """Register the ``new`` subcommand."""
    parser = subparsers.add_parser(
        "new",
        help="create a post where and how this blog makes its posts",
        description="Create a post named, placed and written like the blog's existing posts "
        "(folder layout, date prefix, file type, date format, author, key order, quoting). "
        "Prints the path of the new file last on stdout; everything else goes to stderr.",
    )
    parser.add_argument("title", metavar="TITLE", help="the post's title")
    add_blog_dir(parser)
    parser.add_argument("--date", help="the post's date, YYYY-MM-DD (default: today)")
    parser.add_argument(
        "-c",
        "--categories",
        action="append",
        default=[],
        metavar="LABEL",
        help="a category (repeat, or separate with commas)",
    )
    parser.add_argument(
        "--new-category",
        action="store_true",
        help="accept categories close to an existing one as new ones",
    )
    parser.add_argument("--description", help="the post's description")
    parser.add_argument("--author", help="the author (default: the blog's)")
    parser.add_argument("--publish", action="store_true", help="no 'draft: true'")
    parser.add_argument(
        "--notebook",
        action="store_true",
        help="create the paired notebook too, recorded as in sync",
    )
    parser.add_argument("--kernel", help="the notebook's kernel (default: the blog's usual one)")
    _add_layout_options(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="show what would be created and write nothing"
    )
    parser.set_defaults(run=run)


def _add_layout_options(parser: argparse.ArgumentParser) -> None:
    """The options that override what is learnt about where posts go and their names."""
    parser.add_argument("--slug", help="the name to use instead of one made from the title")
    parser.add_argument("--folder", help="the folder posts live in (default: learnt)")
    parser.add_argument(
        "--layout",
        choices=("folder", "flat"),
        help="a folder per post (posts/x/index.qmd) or flat files (posts/x.qmd)",
    )
    parser.add_argument(
        "--prefix",
        choices=("date", "number", "none"),
        help="what goes before the slug in the name (default: learnt)",
    )
    parser.add_argument(
        "--format",
        choices=tuple(FORMATS),
        dest="post_format",
        help="the post's file type (default: the blog's usual one)",
    )


def _when(text: str | None) -> dt.datetime:
    import datetime as dt  # here, not at the top: every other command starts without it

    if text is None:
        return dt.datetime.now().astimezone().replace(microsecond=0)
    moment = dt.datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.astimezone()


def _request(args: argparse.Namespace, when: dt.datetime) -> Any:
    from ..blog.newpost import Request  # loaded when `new` runs: start-up stays cheap

    labels = [part for value in args.categories for part in value.split(",")]
    return Request(
        title=args.title,
        when=when,
        categories=labels,
        new_category=args.new_category,
        description=args.description,
        author=args.author,
        publish=args.publish,
        notebook=args.notebook,
        kernel=args.kernel,
        slug=args.slug,
        folder=args.folder,
        shape=args.layout,
        prefix=args.prefix,
        suffix=FORMATS[args.post_format] if args.post_format else None,
    )


def run(args: argparse.Namespace) -> int:
    """Plan the post, then create it (or show it with ``--dry-run``)."""
    from ..blog.newpost import create, make_plan, read_blog  # loaded when `new` runs

    root = blog_folder(args.blog_dir)
    if root is None:
        return EXIT_BAD_INPUT
    try:
        when = _when(args.date)
    except ValueError:
        error(f"--date {args.date!r}: not a date like 2024-10-17 (or 2024-10-17T09:30)")
        return EXIT_USAGE
    try:
        facts = read_blog(root)
        root = facts.root  # the project's folder, when BLOG_DIR is a folder inside it
        plan = make_plan(facts, _request(args, when))
        for note in plan.notes:
            print(f"nbpost: {note}", file=sys.stderr)
        files = [f for f in (plan.text_file, plan.notebook) if f is not None]
        if args.dry_run:
            for relative in files:
                print(f"would create {root / relative}", file=sys.stderr)
            sys.stderr.write(plan.text)
        else:
            for relative in create(plan, root):
                print(f"created {root / relative}", file=sys.stderr)
    except NbpostError as exc:
        report_error(exc)
        return EXIT_BAD_INPUT
    print(root / plan.opened, flush=True)
    return EXIT_OK
