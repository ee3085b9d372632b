"""How a blog names its posts, learnt from the posts one of its listings shows (pure, no I/O).

Shapes found in real blogs (the shared corpus): a folder per post holding ``index.qmd``
(Quarto's blog template) or a file named after the post, the folder named ``slug``,
``2024-10-17-slug``, ``2024-10-17_slug``, ``20241017_slug``, ``20241017`` alone or ``07-slug``
(a numbered series); or flat files ``posts/2024-10-17-slug.qmd``. Each trait is decided by a
vote of the posts in which newer posts weigh more (each 0.9 of the next newer one's), so one
odd post does not change the rule, and a blog that moved from ``index.md`` to ``index.qmd``
or to a new folder gets its current habit.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .dateformat import format_date

DEFAULT_CONTAINER = "posts"  # Quarto's blog template (quarto-cli src/resources/create/...)
SUFFIXES = (".qmd", ".ipynb", ".md")
# A date at the start of a name: the template it is written in, and the pattern.
DATE_PREFIXES = (
    ("%Y-%m-%d", re.compile(r"(\d{4})-(\d{2})-(\d{2})(?=$|[-_])")),
    ("%Y_%m_%d", re.compile(r"(\d{4})_(\d{2})_(\d{2})(?=$|[-_])")),
    ("%Y%m%d", re.compile(r"(\d{4})(\d{2})(\d{2})(?=$|[-_])")),
)
DECAY = 0.9  # each post's vote weighs this much of the next newer one's: habits change
VOTERS = 200  # the newest posts that vote: the 201st weighs 0.9**200 (1e-9) of the newest
NUMBER_PREFIX = re.compile(r"(\d{1,4})(?=[-_])")
YEAR_FOLDER = re.compile(r"(?:.*/)?(\d{4})")


@dataclass(frozen=True)
class PostLayout:
    """Where a new post goes and how its file is named."""

    container: str = DEFAULT_CONTAINER  # folder the posts live in ("" for the blog's root)
    own_folder: bool = True  # posts/<name>/index.qmd rather than posts/<name>.qmd
    index_name: bool = True  # the file in a post's folder is index.*, else named like the folder
    suffix: str = ".qmd"
    prefix: str = ""  # "", "date" or "number"
    date_prefix: str = "%Y-%m-%d"  # how a date prefix is written
    separator: str = "-"  # between the prefix and the slug
    word_separator: str = "-"  # between the slug's words
    next_number: int = 1  # for a numbered series
    number_width: int = 1
    year_folders: bool = False  # posts/2024/<name>/...
    date_only: bool = False  # posts/20241017/index.qmd: the date is the whole name

    def name(self, slug: str, when: dt.datetime, chosen: bool = False) -> str:
        """The post's name (its folder, or its file without suffix); a ``chosen`` slug (the
        author's ``--slug``) is part of it even where names are dates alone."""
        if self.word_separator != "-":
            slug = slug.replace("-", self.word_separator)
        if self.prefix == "date":
            date = format_date(self.date_prefix, when)
            return date if self.date_only and not chosen else f"{date}{self.separator}{slug}"
        if self.prefix == "number":
            return f"{self.next_number:0{self.number_width}d}{self.separator}{slug}"
        return slug

    def relative_path(self, slug: str, when: dt.datetime, chosen: bool = False) -> str:
        """The new post's path relative to the blog root (POSIX)."""
        name = self.name(slug, when, chosen)
        folder = self.container
        if self.year_folders:
            folder = posixpath.join(folder, f"{when.year:04d}")
        if self.own_folder:
            stem = "index" if self.index_name else name
            return posixpath.join(folder, name, stem + self.suffix)
        return posixpath.join(folder, name + self.suffix)


@dataclass(frozen=True)
class _Shape:
    """One existing post seen as a layout: where it lives and how it is named."""

    container: str
    own_folder: bool
    index_name: bool
    suffix: str
    name: str


def _shapes(sources: Sequence[str]) -> list[_Shape]:
    per_folder = Counter(posixpath.dirname(source) for source in sources)
    shapes = []
    for source in sources:
        folder, file_name = posixpath.split(source)
        stem, suffix = posixpath.splitext(file_name)
        if suffix.lower() not in SUFFIXES:
            continue
        if stem == "index" or (folder and per_folder[folder] == 1):
            parent, name = posixpath.split(folder)
            shapes.append(_Shape(parent, True, stem == "index", suffix.lower(), name))
        else:
            shapes.append(_Shape(folder, False, False, suffix.lower(), stem))
    return shapes


def _vote(values: Sequence[object]) -> object:
    """The value with the most weight, newest first (ties: the first seen)."""
    weights: dict[object, float] = {}
    weight = 1.0
    for value in values:
        weights[value] = weights.get(value, 0.0) + weight
        weight *= DECAY
    return max(weights, key=weights.__getitem__)


def _prefix_of(name: str) -> tuple[str, str, str, str]:
    """(kind, date template or number, separator, rest of the name) of one post name."""
    for template, pattern in DATE_PREFIXES:
        if (match := pattern.match(name)) is not None:
            rest = name[match.end() :]
            return "date", template, rest[:1] or "-", rest[1:]
    if (match := NUMBER_PREFIX.match(name)) is not None:
        rest = name[match.end() :]
        return "number", match.group(1), rest[:1], rest[1:]
    return "", "", "-", name


def _naming(layout: PostLayout, names: Sequence[str]) -> PostLayout:
    prefixes = [_prefix_of(name) for name in names]
    kind = str(_vote([p[0] for p in prefixes]))
    chosen = [p for p in prefixes if p[0] == kind]
    separator = str(_vote([p[2] for p in chosen]))
    rests = [p[3] for p in chosen]
    underscored = sum(1 for rest in rests if "_" in rest and "-" not in rest)
    hyphened = sum(1 for rest in rests if "-" in rest)
    words = "_" if underscored > hyphened else "-"
    layout = replace(layout, prefix=kind, separator=separator, word_separator=words)
    if kind == "date":
        date_only = bool(_vote([not rest for rest in rests]))
        return replace(layout, date_prefix=str(_vote([p[1] for p in chosen])), date_only=date_only)
    if kind == "number":
        numbers = [p[1] for p in chosen]
        width = len(numbers[0]) if len({len(n) for n in numbers}) == 1 else 1
        return replace(layout, next_number=max(map(int, numbers)) + 1, number_width=width)
    return layout


def infer_layout(sources: Sequence[str], fallback_container: str | None) -> PostLayout:
    """The layout of a blog whose listing shows ``sources`` (newest first); an empty blog gets
    Quarto's template layout in ``fallback_container`` (from the listing's contents)."""
    shapes = _shapes(sources[:VOTERS])
    if not shapes:
        container = DEFAULT_CONTAINER if fallback_container is None else fallback_container
        return PostLayout(container=container)
    year_folders = sum(1 for s in shapes if YEAR_FOLDER.fullmatch(s.container)) * 2 > len(shapes)
    if year_folders:
        shapes = [replace(s, container=posixpath.dirname(s.container)) for s in shapes]
    container = str(_vote([s.container for s in shapes]))
    shapes = [s for s in shapes if s.container == container]
    own_folder = bool(_vote([s.own_folder for s in shapes]))
    shapes = [s for s in shapes if s.own_folder == own_folder]
    layout = PostLayout(
        container=container,
        own_folder=own_folder,
        index_name=bool(_vote([s.index_name for s in shapes])) if own_folder else True,
        suffix=str(_vote([s.suffix for s in shapes])),
        year_folders=year_folders,
    )
    layout = _naming(layout, [s.name for s in shapes])
    if layout.prefix == "number" and len(sources) > VOTERS:  # the next number must be new
        return replace(layout, next_number=max(layout.next_number, _highest(sources) + 1))
    return layout


def _highest(sources: Sequence[str]) -> int:
    """The highest series number any post's name starts with."""
    numbers = [_prefix_of(shape.name) for shape in _shapes(sources)]
    return max((int(p[1]) for p in numbers if p[0] == "number"), default=0)
