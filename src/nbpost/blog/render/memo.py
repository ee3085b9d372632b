"""Each post's piece of the outputs that list every post, kept for the build after an edit.

The archive, ``POSTS.md`` and ``categories.json`` hold a line or an entry per post, and the
build fingerprints every post (``incremental.manifest``): on a 10,000-post blog, making them
is most of a build after one post changed. A full build records every piece it makes; the
build after an edit (``read.patch``) reuses a post's piece when the post was not read again,
the piece's context (what it depends on besides the post: the page's folder, the date
format...) is the one it was made in, and each category label the post shows brings what it
brought then (its link, its slug: ``labels``). Anything else is made again, so the outputs are
byte for byte a full build's (``tests/blog/test_incremental_equivalence.py``).
"""

from __future__ import annotations

import hashlib
import marshal
from array import array
from bisect import bisect_right
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, groupby, islice
from typing import Any, TypeVar

from ..model import Post

Piece = TypeVar("Piece", str, bytes)
# What each category label shown on a post brings to its piece (its link, its slug...).
Labels = Mapping[str, Any]
W = TypeVar("W")


@dataclass
class _Pieces:
    """One kind's pieces, kept in one text (quick to save and load: 10,000 small strings take
    ten times as long): piece ``i`` is ``text[starts[i]:ends[i]]``. For a composed output
    (``composed``) the text is the whole output and ``layout`` says what lies between."""

    digest: str  # of the context the pieces were made in
    sources: list[str]
    text: Any  # str or bytes
    starts: array[int]
    ends: array[int]
    layout: _Layout | None = None
    labels: Labels | None = None  # what each category label brought to the pieces

    @classmethod
    def of(cls, digest: str, posts: Sequence[Post], made: list[Any], labels: Labels) -> _Pieces:
        empty = made[0][:0] if made else ""
        bounds = array("Q", [0])
        bounds.extend(accumulate(map(len, made)))
        starts, ends = bounds[:-1], bounds[1:]
        sources = [post.source for post in posts]
        return cls(digest, sources, empty.join(made), starts, ends, labels=dict(labels))

    def all(self) -> list[Any]:
        """Every piece, in order."""
        text = self.text
        return [text[start:end] for start, end in zip(self.starts, self.ends, strict=True)]


@dataclass
class _Layout:
    """What a composed output holds besides its pieces: the frame (head, separator, tail) and
    the group of each run of pieces (its heading's key), as ``(group, index after the run's
    last piece)``."""

    frame: tuple[str, str, str]
    runs: list[tuple[str | None, int]]

    def group_at(self, at: int) -> str | None:
        """The group piece ``at`` stands in."""
        ends = [end for _, end in self.runs]
        return self.runs[bisect_right(ends, at)][0]


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
    # The category labels the posts in ``fresh`` carry, or carried in the full build.
    touched: Collection[str] | None = None

    def reuse(self, fresh: Collection[str], touched: Collection[str]) -> RenderMemo:
        """This memo for a build that read ``fresh`` again, whose posts carry or carried the
        category labels ``touched``: it reuses pieces, records none."""
        return RenderMemo(self.kinds, fresh, self.wholes, touched)

    def untouched(self, label: str) -> bool:
        """Whether a category has the members it had in the full build, none read again.

        The posts not read again are as that build made them, in the same order (a total
        one), so a category none of the re-read posts carries now or carried then lists
        the same posts. (A label shown differently changes the category's own context.)
        """
        return self.touched is not None and label not in self.touched

    def kept(self, kind: str, name: str) -> Any:
        """The value ``whole`` kept for ``(kind, name)`` in the full build, or None (and None
        in a full build)."""
        if self.fresh is None:
            return None
        stored = self.wholes.get((kind, name))
        return stored.value if stored is not None else None

    def whole(
        self,
        kind: str,
        name: str,
        context: bytes,
        members: Sequence[str] | None,
        make: Callable[[], W],
    ) -> W:
        """``make()``, or the value it gave in the full build for the same ``context`` and the
        same ``members`` (sources, in order) when none of them was read again since; None:
        the caller knows that (``untouched``).

        ``context`` must hold everything the value depends on besides its members' fields.
        """
        context = hashlib.blake2b(context, digest_size=16).digest()  # kept small in the store
        if self.fresh is None:
            assert members is not None, "a full build records its members"
            value = make()
            self.wholes[kind, name] = _Whole(context, _members_digest(members), value)
            return value
        stored = self.wholes.get((kind, name))
        if stored is None or stored.context != context:
            return make()
        if members is None:
            return stored.value
        fresh = self.fresh
        if stored.members == _members_digest(members) and not any(s in fresh for s in members):
            return stored.value
        return make()

    def pieces(
        self,
        kind: str,
        context: object,
        posts: Sequence[Post],
        make: Callable[[Post], Piece],
        labels: Labels,
    ) -> list[Piece]:
        """``make(post)`` for each post, answered from the memo where a post's piece may be
        reused (see the module docstring); in a full build every piece made is recorded.

        ``context`` must hold everything a piece depends on besides the post's own fields
        and its category labels; ``labels``, what each label shown brings to a piece. A post
        carrying a label that brings something else now (or is new) is made again.
        """
        digest = _digest(context)
        if self.fresh is None:
            made = [make(post) for post in posts]
            self.kinds[kind] = _Pieces.of(digest, posts, made, labels)
            return made
        stored = self.kinds.get(kind)
        if stored is None or stored.digest != digest:
            return [make(post) for post in posts]
        fresh = _with_changed_labels(self.fresh, stored.labels, labels, posts)
        sources = [post.source for post in posts]
        if sources == stored.sources:
            # The posts stand where they stood (an edit that moves none): every stored piece
            # in one slicing pass, then the few posts read again are made afresh.
            kept: list[Piece] = stored.all()
            for place in _places(sources, fresh):
                kept[place] = make(posts[place])
            return kept
        index = dict(zip(stored.sources, range(len(stored.sources)), strict=True)).get
        text, starts, ends = stored.text, stored.starts, stored.ends
        out: list[Piece] = []
        add = out.append
        for post in posts:  # the hot loop of a build after an edit: no call but the lookups
            at = index(post.source)
            if at is None or post.source in fresh:
                add(make(post))
            else:
                add(text[starts[at] : ends[at]])
        return out

    def splice(
        self,
        kind: str,
        context: object,
        labels: Labels,
        posts: Sequence[Post],
        make: Callable[[Post], bytes],
        frame: tuple[str, str, str],
        group: Callable[[Post], str] | None,
    ) -> bytes | None:
        """The output ``composed`` would give, as the stored one with the pieces of the posts
        read again made afresh; None unless the output's skeleton is sure to be the same:
        the same context and labels, the same posts in the same order, the same frame, and
        each post read again in the group (under the heading) it stood in."""
        stored = self.kinds.get(kind)
        fresh = self.fresh
        if fresh is None or stored is None or stored.layout is None:
            return None
        layout = stored.layout
        if layout.frame != frame or stored.digest != _digest(context) or stored.labels != labels:
            return None
        sources = [post.source for post in posts]
        if sources != stored.sources:
            return None
        text, parts, done = stored.text, [], 0
        for place in sorted(_places(sources, fresh)):
            post = posts[place]
            if (group(post) if group else None) != layout.group_at(place):
                return None
            parts += [text[done : stored.starts[place]], make(post)]
            done = stored.ends[place]
        parts.append(text[done:])
        return b"".join(parts)

    def record_layout(self, kind: str, text: bytes, starts: array[int], layout: _Layout) -> None:
        """Keep a full build's composed output of ``kind`` (its pieces are recorded already)."""
        stored = self.kinds[kind]
        ends = array("Q", (start + end - begin for start, begin, end in zip(
            starts, stored.starts, stored.ends, strict=True
        )))  # fmt: skip
        stored.text, stored.starts, stored.ends, stored.layout = text, starts, ends, layout


def value_bytes(value: Any) -> bytes:
    """Bytes of a value made of text, numbers, None, tuples, lists and dicts: equal values,
    equal bytes (for digests that decide what is reused)."""
    # Not pickle: its memo writes an object met twice as a reference, so equal values made
    # in different ways (a label that is also its slug, in one build and not in the next)
    # gave different bytes, and a build after an edit re-rendered categories it could have
    # kept. marshal's version 2 writes no references; it refuses any other type.
    return marshal.dumps(value, 2)


def _with_changed_labels(
    fresh: Collection[str], then: Labels | None, now: Labels, posts: Sequence[Post]
) -> Collection[str]:
    """``fresh``, and the posts that carry a label bringing something else ``now`` than
    ``then`` (a new category's label, another slug): a category added by an edit re-makes
    the pieces of the posts that carry it, not every piece."""
    if then == now:
        return fresh
    if then is None:
        then = {}
    missing = object()
    changed = {
        label for label in {*then, *now} if then.get(label, missing) != now.get(label, missing)
    }
    return {*fresh, *(post.source for post in posts if not changed.isdisjoint(post.categories))}


def _members_digest(members: Sequence[str]) -> bytes:
    return hashlib.blake2b("\0".join(members).encode(), digest_size=16).digest()


def _digest(context: object) -> str:
    return hashlib.blake2b(repr(context).encode(), digest_size=16).hexdigest()


def _places(sources: list[str], fresh: Collection[str]) -> list[int]:
    """Where the posts read again stand among ``sources`` (a handful: each found by a scan
    in C; more, after a label shown on many posts changed: through one index)."""
    if len(fresh) > 16:
        where = {source: at for at, source in enumerate(sources)}
        return [where[source] for source in fresh if source in where]
    return [sources.index(source) for source in fresh if source in sources]


def pieces(
    memo: RenderMemo | None,
    kind: str,
    context: object,
    posts: Sequence[Post],
    make: Callable[[Post], Piece],
    labels: Labels,
) -> list[Piece]:
    """``make(post)`` for each post, through ``memo`` when there is one."""
    if memo is None:
        return [make(post) for post in posts]
    return memo.pieces(kind, context, posts, make, labels)


def shown_labels(categories: Sequence[Any]) -> dict[str, str]:
    """Each category's shown label and its key: a post that was not read again keeps its
    piece only while its categories are shown as they were (the spelling is decided
    blog-wide, so another spelling makes a label that brings something new)."""
    return {category.label: category.key for category in categories}


def composed(
    memo: RenderMemo | None,
    kind: str,
    context: object,
    labels: Labels,
    posts: Sequence[Post],
    make: Callable[[Post], str],
    frame: tuple[str, str, str],
    group: Callable[[Post], str] | None = None,
    heading: Callable[[str], str] = str,
) -> bytes:
    """An output that lists posts, in UTF-8: ``head``, then for each run of posts in one
    ``group``, its ``heading`` and their pieces joined by ``sep``, then ``tail`` (``frame``
    is ``(head, sep, tail)``; no group: one run, no heading). Through ``memo``: spliced into
    the last full build's output where that is sure to give the same text
    (``RenderMemo.splice``); a full build records it."""

    # Bytes throughout: a title with one character beyond Latin-1 makes the whole text a
    # two-byte string, which Python decodes from the store and encodes for the file a
    # character at a time (17 ms for the three such outputs of a 10,000-post blog, measured
    # 2026-12-07); kept as UTF-8, the build after an edit does neither.
    def encoded(post: Post) -> bytes:
        return make(post).encode("utf-8")

    if memo is not None:
        spliced = memo.splice(kind, context, labels, posts, encoded, frame, group)
        if spliced is not None:
            return spliced
    made = pieces(memo, kind, context, posts, encoded, labels)
    head, sep, tail = (part.encode("utf-8") for part in frame)
    runs: list[tuple[str | None, int]] = (
        [(None, len(made))]
        if group is None
        else [(key, len(list(run))) for key, run in groupby(map(group, posts))]
    )
    recording = memo is not None and memo.fresh is None
    parts, starts, at, done = [head], array("Q"), len(head), 0
    for key, count in runs:
        if key is not None:
            parts.append(heading(key).encode("utf-8"))
            at += len(parts[-1])
        run = made[done : done + count]
        if recording:  # where each piece starts in the text
            starts.extend(islice(accumulate([len(p) + len(sep) for p in run], initial=at), count))
        parts.append(sep.join(run))
        at += len(parts[-1])
        done += count
    parts.append(tail)
    text = b"".join(parts)
    if memo is not None and recording:
        ends = accumulate(count for _, count in runs)
        layout = _Layout(frame, [(key, end) for (key, _), end in zip(runs, ends, strict=True)])
        memo.record_layout(kind, text, starts, layout)
    return text
