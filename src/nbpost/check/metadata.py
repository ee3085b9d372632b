"""Post metadata rules: no title (NB301), date (NB302) or description (NB303), an ``image``
that does not exist (NB304), and two posts sharing a title (NB305) or a slug (NB306).

Images are resolved as Quarto's listings resolve them (``nbpost.blog.read.images``): relative
to the post's folder, ``/``-rooted values to the project. Drafts are left out of NB301-NB303
and NB305 (a draft is work in progress) but not of the others.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict

from ..blog.model import Post
from ..project.paths import UnsafePathError, check_relative
from .findings import Finding
from .gather import CheckInput

DATE_PREFIX_RE = re.compile(r"\d{4}-\d{2}-\d{2}-?")
SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def post_slug(source: str) -> str:
    """The last part of a post's URL: its folder for ``x/index.qmd``, else its file's stem,
    with a leading ``YYYY-MM-DD-`` taken off (``2024-10-17-harvest`` is ``harvest``)."""
    folder, name = posixpath.split(source)
    stem = posixpath.basename(folder) if name.lower().startswith("index.") else name
    stem = stem.rsplit(".", 1)[0] if stem == name else stem
    return DATE_PREFIX_RE.sub("", stem, count=1).lower() or stem.lower()


def _missing(found: CheckInput, post: Post) -> list[Finding]:
    where = found.shown(post.source)
    first_line = min(post.line_of.values(), default=1)
    findings = []
    if "title" not in post.meta:
        fallback = f" (listings show its first heading, '{post.title}')" if post.title else ""
        findings.append(Finding("NB301", where, first_line, f"post has no title{fallback}"))
    if "date" not in post.meta:
        findings.append(Finding("NB302", where, first_line, "post has no date"))
    if "description" not in post.meta and "abstract" not in post.meta:
        findings.append(Finding("NB303", where, first_line, "post has no description"))
    return findings


def _image(found: CheckInput, post: Post) -> Finding | None:
    image = post.image
    if not image or image.startswith("//") or SCHEME_RE.match(image):
        return None
    rel = posixpath.normpath(image.split("#", 1)[0].split("?", 1)[0].lstrip("/"))
    try:
        check_relative(rel, what="image")
    except UnsafePathError:
        return None  # outside the project: not ours to look for
    if found.watch.file(found.root, rel):
        return None
    value = post.meta.get("image")
    return Finding(
        "NB304",
        found.shown(post.source),
        post.line_of.get("image"),
        f"image '{value}' does not exist (looked for {rel})",
    )


def _duplicates(
    found: CheckInput, code: str, posts: list[Post], key_of: dict[str, str]
) -> list[Finding]:
    groups: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if key_of.get(post.source):
            groups[key_of[post.source]].append(post)
    findings = []
    what = "title" if code == "NB305" else "slug"
    for group in groups.values():
        first = min(group, key=lambda p: p.source)
        for post in sorted(group, key=lambda p: p.source):
            if post is first:
                continue
            findings.append(
                Finding(
                    code,
                    found.shown(post.source),
                    post.line_of.get("title") if code == "NB305" else None,
                    f"same {what} '{key_of[post.source]}' as {found.shown(first.source)}",
                )
            )
    return findings


def check_metadata(found: CheckInput) -> list[Finding]:
    """NB301 to NB306 over every post read from a file."""
    documents = found.documents
    published = [post for post in documents if not post.draft]
    findings: list[Finding] = []
    for post in documents:
        if not post.draft:
            findings.extend(_missing(found, post))
        missing = _image(found, post)
        if missing is not None:
            findings.append(missing)
    titles = {p.source: " ".join(p.title.split()) for p in published if "title" in p.meta}
    findings.extend(_duplicates(found, "NB305", published, titles))
    slugs = {p.source: post_slug(p.source) for p in documents}
    findings.extend(_duplicates(found, "NB306", documents, slugs))
    return findings
