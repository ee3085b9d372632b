"""Each post's piece of the outputs that list every post, kept for the build after an edit.

The archive, ``POSTS.md`` and ``categories.json`` hold a line or an entry per post, and the
build fingerprints every post (``incremental.manifest``): on a 10,000-post blog, making them
is most of a build after one post changed. A full build records every piece it makes; the
build after an edit (``read.patch``) reuses a post's piece when the post was not read again
and the piece's context (what it depends on besides the post: the page's folder, the category
links and shown labels, the date format...) is the one it was made in. Anything else is made
again, so the outputs are byte for byte a full build's
(``tests/blog/test_incremental_equivalence.py``).
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import Any, TypeVar

from ..model import Post

Piece = TypeVar("Piece", str, bytes)
W = TypeVar("W")


@dataclass
class _Pieces:
    """One kind's pieces, stored as one text (quick to save and load: 10,000 small strings
    take ten times as long): piece ``i`` is ``joined[bounds[i]:bounds[i + 1]]``."""

    digest: str  # of the context the pieces were made in
    sources: list[str]
    joined: Any  # str or bytes
    bounds: array[int]

    @classmethod
    def of(cls, digest: str, posts: Sequence[Post], made: list[Any]) -> _Pieces:
        empty = made[0][:0] if made else ""
        bounds = array("Q", [0])
        bounds.extend(accumulate(map(len, made)))
        return cls(digest, [post.source for post in posts], empty.join(made), bounds)


@dataclass
class _Whole:
    """A value made from a group of posts: reused while its context and members are the same
    and none of its members was read again."""

    context: bytes  # digest of the context
    members: bytes  # digest of the members' sources, in order
    value: Any


@dataclass
class RenderMemo:
    """Pieces by kind (``archive``, ``index``, ``registry``, ``fields``), each with the digest
    of the context it was made in, and values made from groups of posts (``whole``)."""

    kinds: dict[str, _Pieces] = field(default_factory=dict)
    # Sources read again since the pieces were made; None: a full build, which reuses nothing.
    fresh: Collection[str] | None = None
    wholes: dict[tuple[str, str], _Whole] = field(default_factory=dict)

    def reuse(self, fresh: Collection[str]) -> RenderMemo:
        """This memo for a build that read ``fresh`` again: it reuses pieces, records none."""
        return RenderMemo(self.kinds, fresh, self.wholes)

    def whole(
        self, kind: str, name: str, context: bytes, members: Sequence[str], make: Callable[[], W]
    ) -> W:
        """``make()``, or the value it gave in the full build for the same ``context`` and the
        same ``members`` (sources, in order) when none of them was read again since.

        ``context`` must hold everything the value depends on besides its members' fields.
        """
        digest = hashlib.blake2b("\0".join(members).encode(), digest_size=16).digest()
        context = hashlib.blake2b(context, digest_size=16).digest()  # kept small in the store
        if self.fresh is None:
            value = make()
            self.wholes[kind, name] = _Whole(context, digest, value)
            return value
        stored = self.wholes.get((kind, name))
        fresh = self.fresh
        if (
            stored is not None
            and stored.members == digest
            and stored.context == context
            and not any(source in fresh for source in members)
        ):
            return stored.value
        return make()

    def pieces(
        self, kind: str, context: object, posts: Sequence[Post], make: Callable[[Post], Piece]
    ) -> list[Piece]:
        """``make(post)`` for each post, answered from the memo where a post's piece may be
        reused (see the module docstring); in a full build every piece made is recorded.

        ``context`` must hold everything a piece depends on besides the post's own fields,
        the category labels shown included (``shown_labels``).
        """
        digest = hashlib.blake2b(repr(context).encode(), digest_size=16).hexdigest()
        if self.fresh is None:
            made = [make(post) for post in posts]
            self.kinds[kind] = _Pieces.of(digest, posts, made)
            return made
        stored = self.kinds.get(kind)
        if stored is None or stored.digest != digest:
            return [make(post) for post in posts]
        joined, bounds, fresh = stored.joined, stored.bounds, self.fresh
        sources = [post.source for post in posts]
        if sources == stored.sources:
            # The posts stand where they stood (an edit that moves none): every stored piece
            # in one slicing pass, then the few posts read again are made afresh.
            kept: list[Piece] = [joined[start:end] for start, end in pairwise(bounds)]
            for source in fresh:  # a handful: each found by a scan in C
                if source in sources:
                    place = sources.index(source)
                    kept[place] = make(posts[place])
            return kept
        index = dict(zip(stored.sources, range(len(stored.sources)), strict=True)).get
        out: list[Piece] = []
        add = out.append
        for post in posts:  # the hot loop of a build after an edit: no call but the lookups
            at = index(post.source)
            if at is None or post.source in fresh:
                add(make(post))
            else:
                add(joined[bounds[at] : bounds[at + 1]])
        return out


def pieces(
    memo: RenderMemo | None,
    kind: str,
    context: object,
    posts: Sequence[Post],
    make: Callable[[Post], Piece],
) -> list[Piece]:
    """``make(post)`` for each post, through ``memo`` when there is one."""
    if memo is None:
        return [make(post) for post in posts]
    return memo.pieces(kind, context, posts, make)


def shown_labels(categories: Sequence[Any]) -> tuple[tuple[str, str], ...]:
    """Each category's key and shown label: a post that was not read again keeps its pieces
    only while its categories are shown as they were (the spelling is decided blog-wide)."""
    return tuple((category.key, category.label) for category in categories)
