"""Match the categories asked for against the blog's own, and catch near misses.

Labels with one ``nbpost.slugs.category_key`` are one category (``blog/read/categories.py``):
``python`` is written as the blog's ``Python``. A label that is new but close to an existing
one (differing in case, spacing, hyphens or underscores, a plural ``s``, or one edit) is most
likely a typo that would split a category in two: it is refused, naming the existing
spelling, unless the author says it is new.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...slugs import category_key, slugify

_JOINERS = re.compile(r"[\s_\-]+")
MIN_EDIT_LENGTH = 4  # "R" and "C" differ by one edit, and are two languages


@dataclass
class CategoryChoice:
    """The labels to write, what was respelled, and the near misses refused."""

    labels: list[str] = field(default_factory=list)
    respelled: list[tuple[str, str]] = field(default_factory=list)  # (asked, written)
    new: list[str] = field(default_factory=list)
    near: list[tuple[str, str]] = field(default_factory=list)  # (asked, existing)


def loose_key(label: str) -> str:
    """A label with case, spacing, hyphens, underscores and a plural ending taken away."""
    text = _JOINERS.sub("", category_key(label))
    if text.endswith("ies") and len(text) > 4:
        return text[:-3] + "y"
    if text.endswith("es") and text[:-2].endswith(("s", "x", "ch", "sh")):
        return text[:-2]
    return text[:-1] if text.endswith("s") and len(text) > 3 else text


def one_edit_apart(first: str, second: str) -> bool:
    """Whether two texts differ by one inserted, deleted, replaced or swapped character."""
    if first == second or abs(len(first) - len(second)) > 1:
        return False
    if len(first) == len(second):
        diffs = [i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and first[i] == second[j] and first[j] == second[i]
    short, long = sorted((first, second), key=len)
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]


def closest(label: str, existing: Iterable[str]) -> str | None:
    """An existing label that ``label`` is probably a misspelling of, or None."""
    loose = loose_key(label)
    candidates = sorted(set(existing))
    for known in candidates:
        if loose_key(known) == loose or slugify(known) == slugify(label):
            return known
    if len(loose) < MIN_EDIT_LENGTH:
        return None
    for known in candidates:
        other = loose_key(known)
        if len(other) >= MIN_EDIT_LENGTH and one_edit_apart(loose, other):
            return known
    return None


def choose_categories(
    asked: Iterable[str], spellings: dict[str, str], allow_new: bool
) -> CategoryChoice:
    """Resolve the labels asked for. ``spellings`` maps the ``category_key`` of every label
    and alias the blog knows to the category's label as shown."""
    choice = CategoryChoice()
    for raw in asked:
        label = " ".join(raw.split())
        if not label:
            continue
        known = spellings.get(category_key(label))
        if known is not None:
            if known != label:
                choice.respelled.append((label, known))
            label = known
        elif not allow_new and (near := closest(label, spellings.values())) is not None:
            choice.near.append((label, near))
            continue
        else:
            choice.new.append(label)
        if category_key(label) not in {category_key(done) for done in choice.labels}:
            choice.labels.append(label)
    return choice
