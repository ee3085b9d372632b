"""Link rules: a published post linking to a draft (NB401), and a link from one post to
another page of the site that does not resolve (NB402).

A link is resolved as Quarto resolves it when it renders a site: relative to the post's
folder, ``/``-rooted to the project; a ``.qmd``/``.md``/``.ipynb`` target must be a document
of the project, a ``.html`` target one rendered from a document of that name (or a static
file), a folder its ``index`` page. Quarto drops draft pages from a site (``draft-mode:
gone``, the default), so a link to a draft is broken once published. Only links that look like
links to pages are checked (images, PDFs and data files are resources, not posts).
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from ..blog.model import Post
from ..project.paths import UnsafePathError, check_relative
from .findings import Finding
from .gather import CheckInput

DOCUMENT_SUFFIXES = (".qmd", ".md", ".ipynb", ".rmd", ".markdown", ".rmarkdown")
INDEX_NAMES = tuple(f"index{suffix}" for suffix in DOCUMENT_SUFFIXES)


class Resolver:
    """Turns a link target into the document it names (or says it is missing)."""

    def __init__(self, found: CheckInput):
        self.found = found
        self.documents = set(found.facts.files.on_disk) | set(found.facts.files.documents)
        self.by_stem: dict[str, str] = {}
        for rel in sorted(self.documents, key=lambda r: r.lower().endswith(".ipynb")):
            self.by_stem.setdefault(rel.rsplit(".", 1)[0].lower(), rel)

    def resolve(self, source: str, target: str) -> tuple[bool, str | None]:
        """(whether the link is to a page, the document it names or None when missing)."""
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path:
            return False, None
        base = "" if path.startswith("/") else posixpath.dirname(source)
        rel = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
        folder = path.endswith("/") or rel == "."
        rel = "" if rel == "." else rel
        try:
            if rel:
                check_relative(rel, what="link")
        except UnsafePathError:
            return False, None  # above the project: not a page of this site
        name = posixpath.basename(rel).lower()
        suffix = posixpath.splitext(name)[1]
        if suffix in DOCUMENT_SUFFIXES:
            if rel in self.documents or self.found.watch.file(self.found.root, rel):
                return True, rel  # a page, or a file Quarto copies as a resource (_tip.qmd)
            return True, None
        if suffix == ".html":
            stem = rel.rsplit(".", 1)[0].lower()
            if stem in self.by_stem:
                return True, self.by_stem[stem]
            return True, rel if self.found.watch.file(self.found.root, rel) else None
        if suffix and not folder:
            return False, None  # a resource (image, PDF, data): not a post
        if not folder and rel.lower() in self.by_stem:
            return True, self.by_stem[rel.lower()]  # "/about": served as about.html by most hosts
        for index in INDEX_NAMES:
            candidate = posixpath.join(rel, index) if rel else index
            if candidate in self.documents:
                return True, candidate
        return True, rel if self.found.watch.file(self.found.root, rel or ".") else None


def check_links(found: CheckInput) -> list[Finding]:
    """NB401 and NB402 over the links of every published post read from a file."""
    resolver = Resolver(found)
    settings = found.facts.settings
    gone = settings is None or settings.draft_mode == "gone"  # else drafts are rendered
    drafts = {post.source: post for post in found.documents if post.draft and gone}
    findings: list[Finding] = []
    for post in found.documents:
        if post.draft:
            continue
        for line, target in found.bodies.get(post.source, {}).get("links", []):
            findings.extend(_link(found, resolver, drafts, post, line, target))
    return findings


def _link(
    found: CheckInput,
    resolver: Resolver,
    drafts: dict[str, Post],
    post: Post,
    line: int,
    target: str,
) -> list[Finding]:
    page, document = resolver.resolve(post.source, target)
    where = found.shown(post.source)
    if not page:
        return []
    if document is None:
        return [Finding("NB402", where, line, f"link '{target}' does not resolve to a page")]
    if document in drafts:
        return [
            Finding(
                "NB401",
                where,
                line,
                f"links to '{target}', a draft ({found.shown(document)}); Quarto leaves "
                "drafts out of the site, so the link breaks when this post is published",
            )
        ]
    return []
