"""Decide everything about a new post before anything is written: its path, its front matter
and the files to create (``write.create`` then writes them, ``--dry-run`` only shows them)."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from ...errors import NbpostError
from ...project.paths import contained, safe_component
from ...slugs import slugify
from ...sync.pairs import new_partner
from ..read.discover import resolve_listing
from ..read.metadata import clean_text
from . import yamlout
from .dateformat import format_date
from .facts import BlogFacts, contents_folder, project_files
from .layout import PostLayout, infer_layout
from .similar import choose_categories
from .style import DEFAULT_KERNEL, PostStyle, learn_style


class NewPostError(NbpostError):
    """A new post cannot be created as asked (it exists, a category is a near miss...)."""


@dataclass
class Request:
    """What the author asked for (``None``: learn it from the blog)."""

    title: str
    when: dt.datetime
    categories: list[str] = field(default_factory=list)
    new_category: bool = False
    description: str | None = None
    author: str | None = None
    publish: bool = False
    notebook: bool = False
    kernel: str | None = None
    slug: str | None = None
    folder: str | None = None  # the folder posts live in
    shape: str | None = None  # "folder" or "flat"
    prefix: str | None = None  # "date", "number" or "none"
    suffix: str | None = None  # ".qmd", ".ipynb" or ".md"


@dataclass
class Plan:
    """The files a new post consists of and how they were decided."""

    relative: str  # the post's main file, relative to the blog
    text: str  # its text (front matter and body), .qmd syntax
    notebook: str | None  # the paired or only notebook, relative to the blog
    kernel: str | None
    layout: PostLayout
    text_file: str | None  # the text file to write (None: a notebook-only post)
    notes: list[str] = field(default_factory=list)

    @property
    def opened(self) -> str:
        """The file an author opens next: the notebook when there is one."""
        return self.notebook or self.relative


def clean_title(title: str) -> str:
    """A title on one line, NFC, without control characters; refuses an empty one."""
    text = " ".join(clean_text(title).split())
    if not text:
        raise NewPostError("the title is empty")
    return text


def _layout(facts: BlogFacts, request: Request) -> PostLayout:
    fallback = contents_folder(facts.listing_page, facts.listing)
    layout = infer_layout([post.source for post in facts.posts], fallback)
    if request.folder is not None:
        folder = posixpath.normpath(request.folder.strip().strip("/") or ".")
        layout = replace(layout, container="" if folder == "." else folder, year_folders=False)
    if request.shape is not None:
        layout = replace(layout, own_folder=request.shape == "folder")
    if request.prefix is not None:
        layout = replace(layout, prefix="" if request.prefix == "none" else request.prefix)
    if request.suffix is not None:
        layout = replace(layout, suffix=request.suffix)
    return layout


def _taken(root: Path, relative: str, layout: PostLayout) -> str | None:
    """The existing file or folder that a new post at ``relative`` would overwrite or shadow
    (its folder, or a flat post's sibling with another suffix; case ignored, as on macOS)."""
    if layout.own_folder:
        wanted = posixpath.dirname(relative)
        names = {posixpath.basename(wanted).lower()}
    else:
        wanted = relative
        stem = posixpath.splitext(posixpath.basename(relative))[0].lower()
        names = {stem + suffix for suffix in (".qmd", ".ipynb", ".md", ".rmd")}
    parent = contained(root, posixpath.dirname(wanted) or ".", what="post folder")
    try:
        existing = os.listdir(parent)
    except FileNotFoundError:
        return None
    for name in sorted(existing):
        if name.lower() in names:
            return posixpath.join(posixpath.dirname(wanted), name)
    return None


def make_plan(facts: BlogFacts, request: Request) -> Plan:
    """Plan the post: path, front matter in the blog's style, files. Raises NewPostError."""
    title = clean_title(request.title)
    layout = _layout(facts, request)
    slug = slugify(request.slug or title)
    chosen = request.slug is not None
    relative = layout.relative_path(safe_component(slug, fallback="post"), request.when, chosen)
    contained(facts.root, relative, what="new post")  # raises UnsafePathError when it leaves
    clash = _taken(facts.root, relative, layout)
    if clash is not None:
        shown = facts.root / clash
        raise NewPostError(f"{shown} already exists; nothing written (choose another --slug)")
    wants_notebook = request.notebook or layout.suffix == ".ipynb"
    style = learn_style(facts, posixpath.dirname(relative), want_kernel=wants_notebook)
    plan = Plan(relative, "", None, None, layout, relative)
    if wants_notebook:
        plan.kernel = request.kernel or style.kernel
        _notebook_files(facts.root, request, plan)
    plan.text = _text(title, request, style, facts, plan)
    _check_listing(facts, plan)
    return plan


def _notebook_files(root: Path, request: Request, plan: Plan) -> None:
    """Set the notebook (and the text file) of a post that has one."""
    relative = plan.relative
    plan.notebook = relative
    if plan.layout.suffix == ".ipynb":
        # a notebook blog: the notebook alone, or with a .qmd beside it for --notebook
        plan.text_file = None
        if request.notebook:
            plan.text_file = plan.relative = posixpath.splitext(relative)[0] + ".qmd"
        return
    plan.notebook = _partner(root, relative)  # where `nbpost pair` puts it
    if relative.endswith(".md") and posixpath.dirname(plan.notebook) == posixpath.dirname(relative):
        # Quarto renders X.md and X.ipynb side by side both, to one page (it drops X.ipynb
        # only for X.qmd: intermediateFiles in src/execute/jupyter/jupyter.ts)
        plan.relative = plan.text_file = relative[: -len(".md")] + ".qmd"
        plan.notebook = _partner(root, plan.relative)
        plan.notes.append("the text side of a notebook pair is .qmd, not .md")


def _partner(root: Path, relative: str) -> str:
    """Where ``nbpost pair`` puts the notebook of a text post (beside it, or mirrored into the
    project's ``notebook-dir``), relative to the blog."""
    absolute = root.absolute()
    partner = new_partner(absolute / relative).relative_to(absolute).as_posix()
    return contained(root, partner, what="notebook").relative_to(root).as_posix()


def _categories(request: Request, facts: BlogFacts, plan: Plan) -> list[str]:
    choice = choose_categories(request.categories, facts.spellings, request.new_category)
    if choice.near:
        asked, known = choice.near[0]
        raise NewPostError(
            f"category '{asked}' looks like the blog's '{known}'; use '{known}', or pass "
            "--new-category to start a new category"
        )
    for asked, written in choice.respelled:
        plan.notes.append(f"category '{asked}' is written as the blog's '{written}'")
    for label in choice.new:
        plan.notes.append(f"new category '{label}'")
    return choice.labels


def _text(title: str, request: Request, style: PostStyle, facts: BlogFacts, plan: Plan) -> str:
    quote = style.quotes.get
    values: dict[str, str] = {"title": yamlout.scalar(title, quote("title", ""))}
    description = clean_text(request.description or "").strip()
    values["description"] = yamlout.scalar(description, quote("description", ""))
    if request.author is not None:
        values["author"] = yamlout.scalar(clean_title(request.author), quote("author", ""))
    elif style.author is not None:
        values["author"] = yamlout.structure(style.author)
        plan.notes.append(f"author: {style.author_note}")
    elif style.author_note:
        plan.notes.append(f"author {style.author_note}")
    date_text = format_date(style.date_template, request.when)
    values["date"] = yamlout.scalar(date_text, quote("date", ""), as_is=True)
    labels = _categories(request, facts, plan)
    if labels or style.categories_usual:
        if style.flow_categories or not labels:
            values["categories"] = yamlout.flow_list(labels, style.item_quote)
        else:
            values["categories"] = yamlout.block_list(labels, style.item_quote, style.item_indent)
    if not request.publish:
        values["draft"] = "true"
    lines = [(key, values[key]) for key in style.order if key in values]
    if plan.kernel and plan.text_file and plan.kernel != DEFAULT_KERNEL:
        # the kernel Quarto runs the .qmd with, and that a later sync keeps (qmd/kernels.py)
        lines.append(("jupyter", yamlout.scalar(plan.kernel)))
    return yamlout.front_matter(lines) + "\n"


def _check_listing(facts: BlogFacts, plan: Plan) -> None:
    """Warn when the blog's main listing would not show the new post."""
    if facts.listing_page is None:
        if not plan.relative.startswith("posts/"):
            plan.notes.append(
                f"warning: the blog has no listing page and {plan.relative} is not under posts/"
            )
        return
    files = project_files([plan.relative])
    listed = resolve_listing(facts.listing_page, facts.listing or [{}], files).documents
    if plan.relative not in listed:
        plan.notes.append(
            f"warning: the listing in {facts.listing_page} does not show {plan.relative} "
            "(check its contents)"
        )
