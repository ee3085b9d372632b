"""``nbpost check --fix``: the safe fixes, each verified before it is written.

- NB101: a post's minority spelling of a category becomes the usual one (``respell``).
- NB102: the less used of two probably-same categories becomes an alias of the other in
  ``_categories.yml`` (``aliases``).
- NB502: an orphaned notebook gets its text side, written by ``nbpost pair`` (the command line
  does that part: it owns the pair code).

Nothing is overwritten that changed since the check read it: a post whose stat differs from
the one the check's snapshot took is left alone and reported, and every write is a
compare-and-swap (``sync.guarded``). Fixes never delete or shorten a user's text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..blog.incremental.snapshot import file_key
from ..slugs import category_key
from .aliases import add_alias
from .categories import probable_merges
from .findings import chosen
from .gather import CheckInput
from .respell import respell


@dataclass
class FixReport:
    """What ``--fix`` changed (one line each) and what it had to leave alone."""

    changed: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _unchanged_since_check(found: CheckInput, rel: str) -> bytes | None:
    """The file's bytes, when its stat is still the one the check read it with."""
    path = os.path.join(found.root, rel)
    try:
        with open(path, "rb") as handle:
            if file_key(os.fstat(handle.fileno())) != found.snapshot.files.get(rel):
                return None
            return handle.read()
    except OSError:
        return None


def _respell_all(found: CheckInput, report: FixReport) -> None:
    for category in found.blog.categories:
        for spelling in sorted(category.spellings):
            if spelling == category.label or category_key(spelling) != category.key:
                continue
            for post in category.posts:
                if spelling not in post.raw_categories:
                    continue
                shown = found.shown(post.source)
                # A one-line notebook has no key lines: its whole line 1 is searched.
                line = post.line_of.get("categories") or 1
                data = _unchanged_since_check(found, post.source)
                done = False
                if data is not None:
                    try:
                        done = respell(
                            found.root / post.source, shown, line, spelling, category.label, data
                        )
                    except Exception as exc:  # changed meanwhile, unwritable: reported
                        report.refused.append(f"{shown}: NB101 not fixed: {exc}")
                        continue
                if done:
                    report.changed.append(
                        f"{shown}:{line}: NB101 category '{spelling}' -> '{category.label}'"
                    )
                else:
                    report.refused.append(
                        f"{shown}: NB101 not fixed: could not change only '{spelling}' "
                        "(changed since the check, or written in a form nbpost does not edit)"
                    )


def _merge_all(found: CheckInput, report: FixReport) -> None:
    for merge in probable_merges(found.blog.categories):
        keep, alias = merge.keep.label, merge.alias.label
        try:
            written = add_alias(found.root, keep, alias)
        except Exception as exc:  # changed meanwhile, unwritable: reported
            report.refused.append(f"_categories.yml: NB102 not fixed: {exc}")
            continue
        if written is None:
            report.refused.append(
                f"_categories.yml: NB102 not fixed: could not add alias '{alias}' to "
                f"'{keep}' without changing other text; add it by hand"
            )
        else:
            shown = found.shown(os.path.relpath(written, found.root))
            report.changed.append(f"{shown}: NB102 '{alias}' is now an alias of '{keep}'")


def apply_fixes(found: CheckInput, select: list[str], ignore: list[str]) -> FixReport:
    """Apply the safe fixes of the selected codes (NB101, NB102) to a gathered blog."""
    report = FixReport()
    if chosen("NB101", select, ignore):
        _respell_all(found, report)
    if chosen("NB102", select, ignore):
        _merge_all(found, report)
    return report
