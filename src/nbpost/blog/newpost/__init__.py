"""``nbpost new``: create a post named, placed and written the way the blog's posts are.

``facts`` reads the blog (its main listing and posts), ``layout`` learns where posts live and
how they are named, ``style`` how their front matter is written, ``dateformat`` their date
format, ``similar`` matches categories, ``yamlout`` writes YAML any title survives, ``plan``
decides everything and ``write`` creates the files.
"""

from __future__ import annotations

from .facts import BlogFacts, read_blog
from .plan import NewPostError, Plan, Request, make_plan
from .write import create, notebook_text

__all__ = [
    "BlogFacts",
    "NewPostError",
    "Plan",
    "Request",
    "create",
    "make_plan",
    "notebook_text",
    "read_blog",
]
