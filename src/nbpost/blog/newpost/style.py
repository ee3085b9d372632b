"""The front matter style of a blog, learnt from its newest posts: key order, quoting, list
form, date format, author and kernel (reads a sample of posts; writes nothing).

Quoting and list form are read from the raw lines, since the parsed YAML has forgotten them:
``title: "A"``, ``title: 'A'`` and ``title: A`` are one value but three habits.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import NbpostError
from ...frontmatter import find_front_matter
from ...textio import read_text
from ..model import Post
from ..read.metadata import author_names
from .dateformat import usual_template
from .facts import BlogFacts, inherited_meta

SAMPLE = 25  # newest posts whose raw front matter is read: enough for a habit, cheap on 10,000
DEFAULT_ORDER = ("title", "description", "author", "date", "categories", "draft")
DEFAULT_KERNEL = "python3"
_KEY_LINE = re.compile(r"(?P<key>[A-Za-z][\w-]*):[ \t]*(?P<rest>.*)$")
_ITEM_LINE = re.compile(r"(?P<indent>[ \t]*)-[ \t]+(?P<rest>.*)$")


@dataclass
class PostStyle:
    """How this blog writes a post's front matter."""

    order: list[str] = field(default_factory=lambda: list(DEFAULT_ORDER))
    quotes: dict[str, str] = field(default_factory=dict)  # key -> '"', "'" or "" (plain)
    flow_categories: bool = True
    item_indent: str = "  "
    item_quote: str = ""
    date_template: str = "%Y-%m-%d"
    author: Any = None  # the value to write, None to write none
    author_note: str = ""  # where the author came from, for the message
    kernel: str = DEFAULT_KERNEL
    categories_usual: bool = False  # most posts carry categories


def _raw_block(root: Path, source: str) -> list[str]:
    """The raw front matter lines of one post (first raw or markdown cell of a notebook)."""
    try:
        text = read_text(root / source)
        if source.lower().endswith(".ipynb"):
            cells = json.loads(text).get("cells") or [{}]
            source_text = cells[0].get("source", "")
            text = "".join(source_text) if isinstance(source_text, list) else str(source_text)
        lines = [line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n")]
        span = find_front_matter(lines)
    except (NbpostError, OSError, ValueError, AttributeError):
        return []
    return lines[1 : span.end] if span is not None else []


def _quote_of(rest: str) -> str:
    return rest[0] if rest[:1] in ("'", '"') else ""


def _habits(lines: list[str], votes: dict[str, Counter[str]]) -> None:
    for index, line in enumerate(lines):
        match = _KEY_LINE.match(line)
        if match is None:
            continue
        key, rest = match["key"], match["rest"].strip()
        if key == "categories":
            following = _ITEM_LINE.match(lines[index + 1]) if index + 1 < len(lines) else None
            if rest.startswith("["):
                votes["flow"]["["] += 1
                votes["item"][_quote_of(rest[1:].strip())] += 1
            elif not rest and following is not None:
                votes["flow"]["-"] += 1
                votes["indent"][following["indent"]] += 1
                votes["item"][_quote_of(following["rest"])] += 1
        elif rest and key in DEFAULT_ORDER:
            votes[key][_quote_of(rest)] += 1


def _order(posts: list[Post]) -> list[str]:
    """Our keys in the order posts write them (mean relative position; unseen: template's)."""
    places: dict[str, list[float]] = {}
    for post in posts:
        keys = sorted(post.line_of, key=post.line_of.__getitem__)
        for position, key in enumerate(keys):
            places.setdefault(key, []).append(position / max(len(keys), 1))

    def place(key: str) -> float:
        seen = places.get(key)
        if seen:
            return sum(seen) / len(seen)
        return DEFAULT_ORDER.index(key) / len(DEFAULT_ORDER)

    return sorted(DEFAULT_ORDER, key=lambda key: (place(key), DEFAULT_ORDER.index(key)))


def _author(facts: BlogFacts, folder: str, posts: list[Post]) -> tuple[Any, str]:
    """(the author to write or None, where it comes from)."""
    inherited = inherited_meta(facts.root, folder, facts.project_meta).get("author")
    own = [post.meta["author"] for post in posts if "author" in post.line_of]
    if inherited is not None and author_names(inherited):
        if len(own) * 2 > len(posts):  # the blog repeats it in each post anyway
            return inherited, "from _quarto.yml/_metadata.yml"
        return None, "inherited from _quarto.yml/_metadata.yml"
    counts = Counter(json.dumps(value, sort_keys=True, default=str) for value in own)
    if not counts:
        return None, ""
    most = counts.most_common(1)[0][0]
    return next(v for v in own if json.dumps(v, sort_keys=True, default=str) == most), (
        "the blog's most frequent author"
    )


def _kernel(facts: BlogFacts, posts: list[Post]) -> str:
    names: Counter[str] = Counter()
    for post in posts[:SAMPLE]:
        value = post.meta.get("jupyter")
        if isinstance(value, dict):
            value = (value.get("kernelspec") or {}).get("name")
        if not value and post.source.lower().endswith(".ipynb"):
            try:
                notebook = json.loads(read_text(facts.root / post.source))
                value = ((notebook.get("metadata") or {}).get("kernelspec") or {}).get("name")
            except (NbpostError, OSError, ValueError, AttributeError):
                value = None
        if isinstance(value, str) and value.strip():
            names[value.strip()] += 1
    return names.most_common(1)[0][0] if names else DEFAULT_KERNEL


def learn_style(facts: BlogFacts, folder: str, want_kernel: bool = False) -> PostStyle:
    """The style of the blog's posts; ``folder`` is where the new post goes (its inherited
    metadata decides whether ``author`` needs writing)."""
    posts = facts.posts
    votes: dict[str, Counter[str]] = {}
    for name in ("flow", "item", "indent", *DEFAULT_ORDER):
        votes[name] = Counter()
    for post in posts[:SAMPLE]:
        _habits(_raw_block(facts.root, post.source), votes)
    style = PostStyle(order=_order(posts[:SAMPLE]))
    style.quotes = {key: votes[key].most_common(1)[0][0] for key in DEFAULT_ORDER if votes[key]}
    if votes["flow"]:
        style.flow_categories = votes["flow"].most_common(1)[0][0] == "["
    if votes["indent"]:
        style.item_indent = votes["indent"].most_common(1)[0][0]
    if votes["item"]:
        style.item_quote = votes["item"].most_common(1)[0][0]
    texts = [post.date_text for post in posts if post.date_text]
    style.date_template = usual_template(texts, facts.date_order)
    style.author, style.author_note = _author(facts, folder, posts)
    style.categories_usual = sum(1 for p in posts if p.raw_categories) * 2 > len(posts) > 0
    if want_kernel:
        style.kernel = _kernel(facts, posts)
    return style
