"""Read a blog once for every rule: the build's collector, its caches, and the body facts."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..blog.incremental.cache import MetadataCache
from ..blog.incremental.snapshot import Snapshot
from ..blog.model import Blog, Post
from ..blog.read.collect import collect_blog
from ..blog.read.facts import CollectFacts
from .bodies import BodyCache
from .watch import Watch


@dataclass
class CheckInput:
    """Everything the rules look at, read once; ``watch`` gathers what the result depends on."""

    root: Path
    shown_root: str
    blog: Blog
    facts: CollectFacts
    snapshot: Snapshot
    now: dt.datetime
    watch: Watch
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)

    def shown(self, rel: str) -> str:
        """A root-relative path as messages show it (the blog folder as given, then the file)."""
        if self.shown_root in ("", "."):
            return rel
        return os.path.join(self.shown_root, rel)

    @property
    def documents(self) -> list[Post]:
        """The posts read from files of the blog (not listing items with their own fields)."""
        return [post for post in self.blog.posts if post.source in self.facts.records]


def gather(root: Path, shown_root: str, now: dt.datetime | None = None) -> CheckInput:
    """Collect the blog (drafts included) with the build's cache, then every post's body facts."""
    snapshot = Snapshot()
    facts = CollectFacts()
    cache = MetadataCache.load(root)
    blog = collect_blog(root, drafts=True, cache=cache, snapshot=snapshot, facts=facts)
    cache.prune(set(facts.files.documents))
    cache.save()
    found = CheckInput(
        root=root,
        shown_root=shown_root,
        blog=blog,
        facts=facts,
        snapshot=snapshot,
        now=now or dt.datetime.now(dt.timezone.utc),
        watch=Watch(),
    )
    body_cache = BodyCache(root)
    for rel, record in facts.records.items():
        if record.error is not None:
            continue
        found.bodies[rel] = body_cache.facts(rel, record.meta)
    body_cache.save(set(facts.records))
    return found
