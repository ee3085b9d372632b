"""Turn the labels posts carry into canonical categories with stable, unique slugs.

* Labels with the same ``nbpost.slugs.category_key`` (differing only in case or spacing) are
  one category, shown with the most used spelling (ties: the spelling that sorts first).
* ``_categories.yml`` (optional, written by the author) may set a category's label, a
  description, a colour, aliases (other labels that mean this category) and a custom slug.
* Two different categories whose slugs coincide (``machine-learning`` and ``machine learning``)
  stay two categories: in sorted key order the first keeps the slug, the others get ``-2``,
  ``-3``..., with a warning. Quarto itself silently merges or splits such labels in its client
  side filter (quarto-cli#11752, #8517, #12289).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ...errors import ERROR, WARNING, NbpostError, Problem
from ...frontmatter import QuartoYamlLoader, yaml_problem
from ...project.paths import name_problem
from ...slugs import category_key, slugify
from ...textio import read_text
from ...yamlguard import YamlLimitError, check_nodes, check_text
from ..model import Category, Post
from .metadata import clean_text

DEFINITION_FILES = ("_categories.yml", "_categories.yaml")
ENTRY_KEYS = frozenset(["label", "slug", "description", "colour", "color", "aliases"])


@dataclass
class CategoryDefinition:
    """One category described in ``_categories.yml``."""

    label: str
    line: int
    slug: str | None = None
    description: str | None = None
    colour: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class CategoryDefinitions:
    """The parsed ``_categories.yml``: entries and the problems found in it."""

    path: str | None = None
    entries: list[CategoryDefinition] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        text = clean_text(str(node.value)).strip()  # NFC, no control characters
        return text or None
    return None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _entry(
    label_node: yaml.Node | None, body: yaml.Node, shown: str, errors: list[Problem]
) -> CategoryDefinition | None:
    fields: dict[str, yaml.Node] = {}
    if isinstance(body, yaml.MappingNode):
        for key_node, value_node in body.value:
            key = _scalar(key_node) or ""
            if key not in ENTRY_KEYS:
                errors.append(
                    Problem(ERROR, shown, _line(key_node), f"unknown category field '{key}'")
                )
                continue
            fields["colour" if key == "color" else key] = value_node
    elif not (isinstance(body, yaml.ScalarNode) and body.value in ("", "~", "null")):
        errors.append(Problem(ERROR, shown, _line(body), "a category must be a mapping of fields"))
        return None
    label = _scalar(fields["label"]) if "label" in fields else None
    if label is None and label_node is not None:
        label = _scalar(label_node)
    if label is None:
        errors.append(Problem(ERROR, shown, _line(body), "category without a label"))
        return None
    entry = CategoryDefinition(label=label, line=_line(label_node or body))
    for name in ("description", "colour"):
        if name in fields:
            setattr(entry, name, _scalar(fields[name]))
    if "slug" in fields:
        slug_node = fields["slug"]
        raw = str(slug_node.value) if isinstance(slug_node, yaml.ScalarNode) else ""
        slug = unicodedata.normalize("NFC", raw)  # one spelling of each name (macOS, Windows)
        problem = name_problem(slug)
        if problem:
            errors.append(
                Problem(ERROR, shown, _line(slug_node), f"slug '{slug}' for '{label}' {problem}")
            )
        else:
            entry.slug = slug
    if "aliases" in fields:
        node = fields["aliases"]
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        entry.aliases = [text for item in items if (text := _scalar(item))]
    return entry


def parse_category_definitions(text: str, shown: str) -> CategoryDefinitions:
    """Parse ``_categories.yml``: a list of entries, or a mapping of label -> fields."""
    definitions = CategoryDefinitions(path=shown)
    try:
        check_text(text)
        root = yaml.compose(text, Loader=QuartoYamlLoader)
        check_nodes(root)  # the entries are read from the nodes: aliases stay bounded
    except YamlLimitError as exc:
        definitions.errors.append(Problem(ERROR, shown, exc.line + 1, f"{exc.message}"))
        return definitions
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        definitions.errors.append(Problem(ERROR, shown, line + 1, f"invalid YAML: {problem}"))
        return definitions
    if root is None:
        return definitions
    pairs: list[tuple[yaml.Node | None, yaml.Node]]
    if isinstance(root, yaml.SequenceNode):
        pairs = [(None, node) for node in root.value]
    elif isinstance(root, yaml.MappingNode):
        pairs = list(root.value)
    else:
        definitions.errors.append(
            Problem(ERROR, shown, _line(root), "expected a list or mapping of categories")
        )
        return definitions
    for label_node, body in pairs:
        entry = _entry(label_node, body, shown, definitions.errors)
        if entry is not None:
            definitions.entries.append(entry)
    return definitions


def read_category_definitions(root: Path, shown_root: str) -> CategoryDefinitions:
    """Read the blog's ``_categories.yml`` if there is one."""
    for name in DEFINITION_FILES:
        path = root / name
        if path.is_file():
            shown = f"{shown_root.rstrip('/')}/{name}" if shown_root else name
            try:
                return parse_category_definitions(read_text(path), shown)
            except NbpostError as exc:  # not UTF-8
                return CategoryDefinitions(
                    path=shown, errors=[Problem(ERROR, shown, exc.line or 1, exc.message)]
                )
            except OSError as exc:
                return CategoryDefinitions(
                    path=shown, errors=[Problem(ERROR, shown, None, f"cannot read: {exc.strerror}")]
                )
    return CategoryDefinitions()


def _alias_map(
    definitions: CategoryDefinitions,
) -> tuple[dict[str, CategoryDefinition], list[Problem]]:
    owners: dict[str, CategoryDefinition] = {}
    errors: list[Problem] = []
    for entry in definitions.entries:
        for name in (entry.label, *entry.aliases):
            key = category_key(name)
            owner = owners.get(key)
            if owner is not None and owner is not entry:
                errors.append(
                    Problem(
                        ERROR,
                        definitions.path,
                        entry.line,
                        f"'{name}' already belongs to category '{owner.label}' (line {owner.line})",
                    )
                )
                continue
            owners[key] = entry
    return owners, errors


# Where a post says something: (its path as shown, the line of a front matter key or None).
Where = Callable[[Post, str], tuple[str, int | None]]


Labels = tuple[
    dict[str, dict[str, int]],  # key -> spelling -> posts
    dict[tuple[str, str], Post],  # (key, spelling) -> first post that spells it so
    dict[str, list[Post]],  # key -> posts, in blog order
]


def _group_labels(posts: list[Post], owners: dict[str, CategoryDefinition]) -> Labels:
    """Group the labels posts carry by category key (an alias counts as its category);
    set each ``Post.categories`` to its keys, in order."""
    spellings: dict[str, dict[str, int]] = {}
    first_seen: dict[tuple[str, str], Post] = {}
    members: dict[str, list[Post]] = {}
    key_of: dict[str, str] = {}  # category_key is per character; labels repeat a lot
    for post in posts:
        keys: list[str] = []
        for label in post.raw_categories:
            key = key_of.get(label)
            if key is None:
                entry = owners.get(category_key(label))
                key = key_of[label] = category_key(entry.label) if entry else category_key(label)
            if not key:
                continue
            counts = spellings.get(key)
            if counts is None:  # not setdefault: that would build a default on every label
                counts = spellings[key] = {}
            seen = counts.get(label)
            if seen is None:  # a label always has one key: its first post is found here
                counts[label] = 1
                first_seen[key, label] = post
            else:
                counts[label] = seen + 1
            if key not in keys:
                keys.append(key)
                carrying = members.get(key)
                if carrying is None:
                    members[key] = [post]
                else:
                    carrying.append(post)
        post.categories = keys  # replaced by labels once the categories are known
    return spellings, first_seen, members


def build_categories(
    posts: list[Post], definitions: CategoryDefinitions, where: Where
) -> tuple[list[Category], list[Problem]]:
    """Group posts into categories; set each ``Post.categories``; return (categories,
    problems). ``posts`` must be in blog order (newest first); ``where(post, key)`` names a
    place.
    """
    owners, errors = _alias_map(definitions)
    problems = [*definitions.errors, *errors]
    spellings, first_seen, members = _group_labels(posts, owners)
    entries: dict[str, CategoryDefinition] = {}
    for defined in definitions.entries:
        if owners.get(category_key(defined.label)) is defined:
            entries.setdefault(category_key(defined.label), defined)
    categories: dict[str, Category] = {}
    for key, seen in spellings.items():
        entry = entries.get(key)
        label = entry.label if entry else min(seen, key=lambda s: (-seen[s], s))
        categories[key] = Category(
            key=key,
            label=label,
            slug="",
            posts=members[key],
            description=entry.description if entry else None,
            colour=entry.colour if entry else None,
            aliases=list(entry.aliases) if entry else [],
            spellings=dict(sorted(seen.items())),
        )
        for spelling in sorted(seen):
            # A label in _categories.yml is the author's choice: other spellings of it are expected.
            if spelling != label and entry is None:
                post = first_seen[(key, spelling)]
                problems.append(
                    Problem(
                        WARNING,
                        *where(post, "categories"),
                        f"category '{spelling}' is shown as '{label}' "
                        "(labels that differ only in case or spacing are one category)",
                    )
                )
    _assign_slugs(categories, entries, definitions, where, first_seen, problems)
    shown = {key: category.label for key, category in categories.items()}.__getitem__
    for post in posts:
        post.categories = list(map(shown, post.categories))
    for key, entry in sorted(entries.items()):
        if key not in categories:
            problems.append(
                Problem(
                    WARNING, definitions.path, entry.line, f"category '{entry.label}' has no posts"
                )
            )
    ordered = sorted(categories.values(), key=lambda c: (c.key, c.slug))
    return ordered, problems


def _custom_slugs(
    categories: dict[str, Category],
    entries: dict[str, CategoryDefinition],
    definitions: CategoryDefinitions,
    taken: dict[str, str],
    problems: list[Problem],
) -> None:
    """Give categories the slugs ``_categories.yml`` sets, first: the author asked for them.
    ``taken`` maps each slug's lower-case spelling to its category key."""
    for key in sorted(categories):
        entry = entries.get(key)
        if entry is None or entry.slug is None:
            continue
        owner = taken.get(entry.slug.lower())
        if owner is not None:
            used = categories[owner].slug
            same = "is already used"
            if used != entry.slug:
                same = f"differs only in case from '{used}', used"
            problems.append(
                Problem(
                    ERROR,
                    definitions.path,
                    entry.line,
                    f"slug '{entry.slug}' {same} by '{categories[owner].label}'",
                )
            )
            continue
        taken[entry.slug.lower()] = key
        categories[key].slug = entry.slug


def _assign_slugs(
    categories: dict[str, Category],
    entries: dict[str, CategoryDefinition],
    definitions: CategoryDefinitions,
    where: Where,
    first_seen: dict[tuple[str, str], Post],
    problems: list[Problem],
) -> None:
    # Slugs are folder names: on case-insensitive file systems (macOS, Windows) "Upper" and
    # "UPPER" are one folder, so slugs are taken by their lower-case spelling.
    taken: dict[str, str] = {}  # slug.lower() -> key
    _custom_slugs(categories, entries, definitions, taken, problems)
    # Natural slugs before numbered ones, so that a label "a-b-2" keeps its own slug even
    # when "a b" and "a-b" compete for "a-b".
    wanted = {key: slugify(c.label) for key, c in categories.items() if not c.slug}
    for key in sorted(wanted):
        if wanted[key].lower() not in taken:
            taken[wanted[key].lower()] = key
            categories[key].slug = wanted[key]
    for key in sorted(wanted):
        category = categories[key]
        if category.slug:
            continue
        number = 2
        while f"{wanted[key]}-{number}".lower() in taken:
            number += 1
        slug = f"{wanted[key]}-{number}"
        other = categories[taken[wanted[key].lower()]]
        spelling = min(category.spellings) if category.spellings else category.label
        post = first_seen.get((key, spelling))
        path, line = where(post, "categories") if post else (str(definitions.path), None)
        problems.append(
            Problem(
                WARNING,
                path,
                line,
                f"categories '{other.label}' and '{category.label}' share the slug "
                f"'{wanted[key]}'; '{category.label}' gets '{slug}'",
            )
        )
        taken[slug.lower()] = key
        category.slug = slug


def labels_index(categories: list[Category]) -> dict[str, str]:
    """Map ``category_key`` of every spelling and alias seen to its category's slug."""
    index: dict[str, str] = {}
    for category in categories:
        for name in (category.label, *category.spellings, *category.aliases):
            index.setdefault(category_key(name), category.slug)
    return dict(sorted(index.items()))


def definitions_summary(definitions: CategoryDefinitions) -> dict[str, Any]:
    """A JSON-friendly view of ``_categories.yml`` (for ``nbpost categories --json``)."""
    return {
        "path": definitions.path,
        "entries": [entry.__dict__ for entry in definitions.entries],
        "errors": [str(problem) for problem in definitions.errors],
    }
