"""``--fix`` for NB101: write a category's usual spelling into a post's front matter.

Byte-minimal: only the characters of that one label change, inside the ``categories`` value
of the front matter, whatever its style (``[a, b]``, a block list, quotes, a notebook's JSON).
The edited file is read back with the build's reader and must give the same metadata with
only that label changed; otherwise nothing is written. The write is atomic and happens only
while the file still holds the bytes read (``sync.guarded``).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..blog.read.metadata import category_labels
from ..blog.read.reader import read_post
from ..sync.guarded import replace_guarded

TEXT_KEY_RE = re.compile(r"[A-Za-z0-9_][^:#]*:(?:\s|\Z)")
NOTEBOOK_KEY_RE = re.compile(r'\s*"[A-Za-z0-9_][^:#"]*:(?:\s|\\n|")')
FENCE_RE = re.compile(r'\s*"?(?:---|\.\.\.)')


def _region(text: str, key_line: int) -> tuple[int, int]:
    """Offsets of the ``categories`` value: from its key's line to the next top-level key
    (a ``.qmd`` key at column 0, or a notebook line whose JSON string starts with a key)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: key_line - 1])
    end = start + len(lines[key_line - 1]) + 1
    for line in lines[key_line:]:
        if TEXT_KEY_RE.match(line) or NOTEBOOK_KEY_RE.match(line) or FENCE_RE.match(line):
            break
        end += len(line) + 1
    return start, min(end, len(text))


def respelled(data: bytes, shown: str, key_line: int, old: str, new: str) -> bytes | None:
    """``data`` with the label ``old`` written ``new`` in the categories value; None when that
    cannot be done byte-minimally and verified."""
    if "\\" in old or '"' in old or "\\" in new or '"' in new:
        return None  # escaping would differ between YAML and a notebook's JSON
    text = data.decode("utf-8")
    start, end = _region(text, key_line)
    pattern = re.compile(
        r"(?<![^\s\[,:'\"-])" + re.escape(old) + r"(?=['\"]?[ \t]*(?:,|\]|\\n|\n|\Z|\"))"
    )
    matches = list(pattern.finditer(text, start, end))
    if len(matches) != 1:
        return None
    match = matches[0]
    edited = (text[: match.start()] + new + text[match.end() :]).encode("utf-8")
    before, after = read_post(data, shown), read_post(edited, shown)
    if before.error is not None or after.error is not None:
        return None
    expected = dict(before.meta)
    labels = category_labels(expected.get("categories"))
    if labels.count(old) != 1:
        return None
    wanted = [new if label == old else label for label in labels]
    got = dict(after.meta)
    if category_labels(got.pop("categories", None)) != wanted:
        return None
    expected.pop("categories", None)
    return edited if got == expected else None


def respell(path: Path, shown: str, key_line: int, old: str, new: str, read: bytes) -> bool:
    """Rewrite one label in ``path`` (whose bytes were ``read``); False when refused."""
    edited = respelled(read, shown, key_line, old, new)
    if edited is None:
        return False
    replace_guarded(path, edited, read)
    return True
