"""Category rules: one category spelled several ways (NB101), categories that are probably
the same (NB102) with the ``_categories.yml`` alias that would merge them, and category items
nbpost drops (NB103: empty, null, a mapping or a list).

nbpost already shows labels differing only in case or spacing as one category, but Quarto's
own listing pages do not (their category filter compares the strings: quarto-cli#11752), so a
post's spelling still matters. Hyphen against space, a plural and a one-letter slip make two
categories everywhere unless ``_categories.yml`` names one an alias of the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..blog.model import Category, Post
from ..blog.read.metadata import as_list, category_labels
from ..slugs import category_key
from .findings import Finding
from .gather import CheckInput

SEPARATORS_RE = re.compile(r"[\s_\-–—/.]+")
MIN_EDIT_LENGTH = 5  # "R"/"C", "Go"/"Io": short labels one edit apart are different things


@dataclass(frozen=True)
class Merge:
    """Two categories that are probably one: ``alias`` should become an alias of ``keep``."""

    keep: Category
    alias: Category
    why: str


def _loose(label: str) -> str:
    """A label with case, spacing, hyphens and underscores folded away."""
    return SEPARATORS_RE.sub(" ", category_key(label)).strip()


def _singular(text: str) -> str:
    """``text`` with an English plural ending taken off its last word (for comparing only)."""
    if text.endswith("ies") and len(text) > 4:
        return text[:-3] + "y"
    if text.endswith(("ses", "xes", "ches", "shes")):
        return text[:-2]
    if text.endswith("s") and not text.endswith("ss") and len(text) > 3:
        return text[:-1]
    return text


def _deletions(text: str) -> set[str]:
    """``text`` and every string one character shorter (the symmetric-delete neighbourhood)."""
    return {text, *(text[:index] + text[index + 1 :] for index in range(len(text)))}


def _one_edit(a: str, b: str) -> bool:
    """Whether two different labels are one substitution, insertion or deletion apart, and
    the edit is not a digit (``python2``/``python3``, ``web2``/``web3`` are different)."""
    if a == b or min(len(a), len(b)) < MIN_EDIT_LENGTH or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        changed = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        return len(changed) == 1 and not (changed[0][0].isdigit() or changed[0][1].isdigit())
    shorter, longer = sorted((a, b), key=len)
    index = next(
        (i for i, (x, y) in enumerate(zip(shorter, longer, strict=False)) if x != y), len(shorter)
    )
    # Not at either end: "llama"/"ollama", "learning"/"learningj" are different words.
    inside = 0 < index < len(shorter)
    return (
        inside and longer[:index] + longer[index + 1 :] == shorter and not longer[index].isdigit()
    )


def probable_merges(categories: list[Category]) -> list[Merge]:
    """Pairs of categories that are probably the same, the more used one kept."""
    by_form: dict[str, Category] = {}
    merges: dict[tuple[str, str], Merge] = {}

    def pair(a: Category, b: Category, why: str) -> None:
        keep, alias = sorted((a, b), key=lambda c: (-c.count, c.key))
        merges.setdefault((keep.key, alias.key), Merge(keep, alias, why))

    neighbours: dict[str, list[Category]] = {}
    for category in sorted(categories, key=lambda c: c.key):
        loose = _loose(category.label)
        if not loose:
            continue  # only punctuation ("...", "."): nothing left to compare
        for form, why in ((loose, "hyphen or spacing"), (_singular(loose), "plural")):
            other = by_form.get(form)
            if other is not None and other.key != category.key:
                pair(other, category, why)
            by_form.setdefault(form, category)
        if len(loose) >= MIN_EDIT_LENGTH:
            for variant in _deletions(loose):
                for other in neighbours.get(variant, []):
                    if _one_edit(_loose(other.label), loose):
                        pair(other, category, "one letter")
                neighbours.setdefault(variant, []).append(category)
    return sorted(merges.values(), key=lambda m: (m.keep.key, m.alias.key))


def _first_post(category: Category, spelling: str | None = None) -> Post | None:
    for post in category.posts:
        if spelling is None or spelling in post.raw_categories:
            return post
    return category.posts[0] if category.posts else None


def _spellings(found: CheckInput, category: Category) -> list[Finding]:
    """NB101 for each post that writes a category otherwise than its usual spelling."""
    findings = []
    usual = category.spellings.get(category.label, 0)
    for spelling in category.spellings:
        if spelling == category.label or category_key(spelling) != category.key:
            continue  # the usual spelling, or an alias from _categories.yml (the author's)
        for post in category.posts:
            if spelling in post.raw_categories:
                message = (
                    f"category '{spelling}' is spelled '{category.label}' in {usual} other "
                    f"posts; Quarto's own listings show them apart (--fix writes "
                    f"'{category.label}')"
                )
                line = post.line_of.get("categories")
                findings.append(Finding("NB101", found.shown(post.source), line, message))
    return findings


def _merge_finding(found: CheckInput, merge: Merge) -> Finding:
    """NB102 for one pair of probably-same categories, at the first post of the rarer one."""
    message = (
        f"categories '{merge.alias.label}' ({merge.alias.count} "
        f"{'post' if merge.alias.count == 1 else 'posts'}) and "
        f"'{merge.keep.label}' ({merge.keep.count}) are probably the same ({merge.why}); to "
        f"merge them, give '{merge.keep.label}' aliases: ['{merge.alias.label}'] in "
        "_categories.yml (--fix does)"
    )
    post = _first_post(merge.alias)
    if post is None:
        return Finding("NB102", found.shown("_categories.yml"), None, message)
    return Finding("NB102", found.shown(post.source), post.line_of.get("categories"), message)


def _dropped_item(item: object) -> str | None:
    """What a ``categories`` item is when the reader drops it (``category_labels`` makes no
    label of it), else None."""
    if category_labels([item]):
        return None
    if item is None:
        return "null"
    if isinstance(item, dict):
        return "a mapping"
    if isinstance(item, list):
        return "a list"
    if isinstance(item, str) and item.strip():
        return "made of control characters only"
    return "empty"


def _dropped(found: CheckInput, post: Post) -> list[Finding]:
    """NB103 for each item of a post's ``categories`` that names no category."""
    findings = []
    for number, item in enumerate(as_list(post.meta.get("categories")), 1):
        what = _dropped_item(item)
        if what is not None:
            # Quarto's listings take the list as it is (website-listing-read.ts), so such an
            # item reaches its category chips and filter; nbpost leaves it out everywhere
            message = f"category {number} is {what}: no category is made of it (remove it)"
            line = post.line_of.get("categories")
            findings.append(Finding("NB103", found.shown(post.source), line, message))
    return findings


def check_categories(found: CheckInput) -> list[Finding]:
    """NB101, NB102 and NB103 over the blog's categories."""
    findings: list[Finding] = []
    for post in found.documents:
        findings.extend(_dropped(found, post))
    for category in found.blog.categories:
        findings.extend(_spellings(found, category))
    findings.extend(_merge_finding(found, m) for m in probable_merges(found.blog.categories))
    return findings
