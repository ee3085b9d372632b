"""What the body-reading rules need from each post, extracted once and cached by file stat.

Links (NB401, NB402) and chunk syntax Quarto would run (NB601) need the post's text, not only
its front matter. Reading 10,000 bodies on every run would make ``nbpost check`` slow, so the
facts are kept in ``<blog>/.nbpost/check-cache.json`` with the same trust rules as the build's
metadata cache (size, mtime and inode; racy entries re-checked by digest).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path
from typing import Any

from ..blog.incremental.cache import MetadataCache
from ..blog.read.records import digest
from ..project.state import read_state, write_state
from ..textio import decode_utf8
from .chunkrule import chunk_problems
from .kernelrule import kernel_problems

CACHE_FILE = "check-cache.json"
FORMAT_VERSION = 1
# [text](target "title") and <a href="target">; reference definitions "[id]: target".
INLINE_LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
HREF_RE = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
REFERENCE_RE = re.compile(r"(?m)^ {0,3}\[(?!\^)[^\]]+\]:[ \t]*<?([^\s<>\[\]]+?)>?(?:\s|$)")
FENCE_LINE_RE = re.compile(r"(?m)^[ \t]{0,3}(`{3,}|~{3,})(.*)$")
INLINE_CODE_RE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
LINK_HINTS = ("](", "]:", "href")
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _blank(text: str) -> str:
    """The same text with every character but newlines made a space (line numbers kept)."""
    return re.sub(r"[^\n]", " ", text)


def without_code(text: str) -> str:
    """``text`` with fenced code blocks and inline code blanked out, line numbers kept (a link
    shown in code is not a link)."""
    pieces: list[str] = []
    position = 0
    fence: str | None = None
    for match in FENCE_LINE_RE.finditer(text):
        marker, rest = match.group(1), match.group(2).strip()
        if fence is None:
            pieces.append(text[position : match.start()])
            fence, position = marker, match.start()
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not rest:
            pieces.append(_blank(text[position : match.end()]))
            fence, position = None, match.end()
    tail = text[position:]
    pieces.append(_blank(tail) if fence is not None else tail)
    kept = "".join(pieces)
    return INLINE_CODE_RE.sub(lambda m: _blank(m.group(0)), kept) if "`" in kept else kept


def code_version() -> str:
    """What the cached facts depend on: this format, nbpost's version and the extracting code
    (an edited rule must not reuse what an older rule extracted)."""
    from .. import __version__

    parts = [str(FORMAT_VERSION), __version__]
    for name in ("bodies.py", "chunkrule.py", "kernelrule.py"):
        with contextlib.suppress(OSError):
            stat = os.stat(os.path.join(os.path.dirname(__file__), name))
            parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def relative_links(text: str) -> list[list[Any]]:
    """``[line, target]`` of every link in ``text`` that stays inside the site."""
    found: list[list[Any]] = []
    if not any(hint in text for hint in LINK_HINTS):
        return found
    text = without_code(text)
    for pattern in (INLINE_LINK_RE, HREF_RE, REFERENCE_RE):
        for match in pattern.finditer(text):
            target = match.group(1)
            if target.startswith(("#", "//", "{{", "@", "[", "(")) or SCHEME_RE.match(target):
                continue
            found.append([text.count("\n", 0, match.start(1)) + 1, target])
    found.sort()
    return found


def notebook_markdown(text: str) -> str:
    """A notebook's markdown cells, laid out at their lines in the JSON (so links keep lines)."""
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError):
        return ""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return ""
    lines = text.split("\n")
    out = [""] * len(lines)
    cursor = 0
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        pieces = source if isinstance(source, list) else str(source).splitlines(keepends=True)
        for piece in pieces:
            piece = str(piece)
            needle = json.dumps(piece.rstrip("\n"))[1:-1][:40]
            while cursor < len(lines) and needle not in lines[cursor]:
                cursor += 1
            if cursor >= len(lines):
                cursor = 0
                continue
            out[cursor] = piece.rstrip("\n")
    return "\n".join(out)


def extract(data: bytes, rel: str, meta: dict[str, Any]) -> dict[str, Any]:
    """The body facts of one post: its relative links, the chunks Quarto would run by mistake
    and the option keys it would refuse as repeated (``chunkrule``), and a ``jupyter:`` entry
    it would refuse (``kernelrule``)."""
    try:
        text = decode_utf8(data, rel)
    except Exception:  # the reader reports undecodable posts (NB001)
        return {"links": []}
    if rel.lower().endswith(".ipynb"):
        return {"links": relative_links(notebook_markdown(text))}
    facts: dict[str, Any] = {"links": relative_links(text)}
    if rel.lower().endswith(".qmd"):
        facts.update(chunk_problems(text, meta))
        kernel = kernel_problems(text, meta)
        if kernel:  # rare: stored only when there is one (the cache holds every post)
            facts["kernel"] = kernel
    return facts


class BodyCache:
    """Body facts per post file, trusted while the file's stat is unchanged."""

    def __init__(self, root: Path):
        self.root = root
        self.store = MetadataCache()
        self.stats: dict[str, list[int]] = {}
        stored = read_state(root, CACHE_FILE)
        try:
            data = json.loads(stored[0]) if stored is not None else None
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and data.get("version") == code_version():
            entries = data.get("entries")
            if isinstance(entries, dict):
                self.store.entries = entries
                self.store.saved_at_ns = int(data.get("saved-at-ns", 0))

    def facts(self, rel: str, meta: dict[str, Any]) -> dict[str, Any]:
        """The body facts of ``rel`` (read and extracted only when the cache cannot vouch)."""
        path = os.path.join(self.root, rel)
        try:
            stat = os.stat(path)
            cached = self.store.lookup(rel, stat)
            if cached is not None:
                return cached
            with open(path, "rb") as handle:
                data = handle.read()
        except (OSError, KeyError, TypeError):
            return {"links": []}
        data_digest = digest(data)
        known = self.store.lookup_bytes(rel, data_digest, len(data))
        if known is None:
            known = extract(data, rel, meta)
        self.store.store(rel, stat, data_digest, known)
        return known

    def save(self, keep: set[str]) -> None:
        """Write the cache when it changed (forgetting files that are gone)."""
        self.store.prune(keep)
        if not self.store.dirty:
            return
        payload: dict[str, Any] = {"version": code_version(), "saved-at-ns": time.time_ns()}
        payload["entries"] = self.store.entries
        with contextlib.suppress(OSError):  # a read-only blog is still checked, uncached
            write_state(self.root, CACHE_FILE, json.dumps(payload, separators=(",", ":")))
