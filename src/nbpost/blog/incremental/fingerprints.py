"""Fingerprints of what a build's outputs are made from (never of build time): of the whole
blog, and of each category's own outputs, kept in the manifest (``incremental.manifest``) so
that a build with nothing new renders nothing and a build after an edit renders only the
categories it touched.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial

from ..model import Blog, Category, Post
from ..render.memo import RenderMemo, pieces, shown_labels, value_bytes
from ..render.outputpaths import category_group
from .codekey import code_digest


def _post_fields(post: Post) -> bytes:
    """A digest of every post field an output shows (``value_bytes``, dates as ISO text: a
    datetime is no plain value); 16 bytes, so that the build after
    an edit hashes little and keeps little (``render.memo``)."""
    date, modified = post.date, post.date_modified
    fields = (
        post.source, post.href, post.title, post.description, tuple(post.authors),
        date.isoformat() if date is not None else None, post.date_text,
        tuple(post.categories), post.draft, post.image,
        modified.isoformat() if modified is not None else None, post.external,
    )  # fmt: skip
    return hashlib.blake2b(value_bytes(fields), digest_size=16).digest()


def fingerprints(
    blog: Blog, home: str | None, memo: RenderMemo | None = None
) -> tuple[str, dict[str, str]]:
    """Digests of what the outputs are made from (never of build time): of everything, and of
    each category's own outputs (page, items file, feeds), by group name (``category_group``);
    ``memo`` keeps each post's fields (``render.memo``).
    """
    config = blog.config
    newest = blog.newest  # every feed's Atom `updated` for undated entries
    settings = (
        config.title,
        config.description,
        config.site_url,
        config.language,
        config.output_dir,
        json.dumps(config.options, sort_keys=True, default=str),
        home,
        config.date_format,
        config.listing_date_format,
        newest.isoformat() if newest is not None else None,
    )
    base = code_digest() + value_bytes(settings)
    posts = blog.posts
    made = pieces(memo, "fields", "fields", posts, _post_fields, shown_labels(blog.categories))
    fields = dict(zip(map(id, posts), made, strict=True))
    whole = hashlib.blake2b(base + b"".join(fields.values()), digest_size=20)
    groups = {}
    slugs = {c.label: c.slug for c in blog.categories}
    context = hashlib.blake2b(base).digest()
    # Every label's slug as in the full build: then no category's links need listing again.
    slug_map = value_bytes(slugs)
    same_slugs = memo is not None and memo.kept("slugs", "") == slug_map
    if memo is not None and memo.fresh is None:
        memo.whole("slugs", "", b"", (), lambda: slug_map)  # recorded by the full build
    for c in blog.categories:
        shaped, digest = _category_fingerprint(c, base, context, slugs, fields, memo, same_slugs)
        whole.update(shaped)
        groups[category_group(c.slug)] = digest
    return whole.hexdigest(), groups


def _category_fingerprint(
    c: Category,
    base: bytes,
    context: bytes,
    slugs: dict[str, str],
    fields: dict[int, bytes],
    memo: RenderMemo | None,
    same_slugs: bool = False,
) -> tuple[bytes, str]:
    """A category's part of the blog's fingerprint and the digest of its own outputs;
    ``same_slugs``: every label has the slug it had in the full build ``memo`` kept."""
    own = value_bytes((
        c.key, c.label, c.slug, c.description, c.colour, tuple(c.aliases),
        tuple(sorted(c.spellings.items())), len(c.posts),
    ))  # fmt: skip

    def links(shown: list[str]) -> bytes:
        return value_bytes([(label, slugs.get(label)) for label in shown])

    def body(
        shown: list[str] | None = None, linked: bytes | None = None
    ) -> tuple[bytes, str, list[str], bytes]:
        # A category's page links every category its posts carry: their slugs shape it.
        shown = _carried(c) if shown is None else shown
        linked = links(shown) if linked is None else linked
        shape = linked + own + b"".join(map(fields.__getitem__, map(id, c.posts)))
        return (
            hashlib.blake2b(shape, digest_size=20).digest(),
            hashlib.blake2b(base + shape, digest_size=20).hexdigest(),
            shown,
            hashlib.blake2b(linked, digest_size=16).digest(),
        )

    if memo is None:
        shaped, digest, *_ = body()
        return shaped, digest
    # The labels its posts carry, with their slugs, are part of its context (so a category
    # added elsewhere changes no other): listed again only when a post read again is or
    # was among its posts. Kept labels may be stale when the value cannot be reused: then
    # ``body`` lists them again.
    kept = memo.kept("fingerprint", c.key)
    if memo.untouched(c.label) and kept is not None:
        shown, members, make = kept[2], None, body
        # The same labels with the same slugs: the same links, not listed again.
        linked = kept[3] if same_slugs else hashlib.blake2b(links(shown), digest_size=16).digest()
    else:
        shown, members = _carried(c), [post.source for post in c.posts]
        listed = links(shown)
        make = partial(body, shown, listed)
        linked = hashlib.blake2b(listed, digest_size=16).digest()
    shaped, digest, *_ = memo.whole("fingerprint", c.key, context + own + linked, members, make)
    return shaped, digest


def _carried(category: Category) -> list[str]:
    """The labels the category's posts carry, sorted."""
    return sorted(set().union(*[post.categories for post in category.posts]))
