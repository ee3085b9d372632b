"""The URL path Quarto serves a rendered input at (``posts/a/index.qmd`` -> ``/posts/a/``)."""

from __future__ import annotations

import re
from urllib.parse import quote

from ...project.inputs import DOCUMENT_SUFFIXES

SAFE_HREF_RE = re.compile(r"[A-Za-z0-9/._~-]*")


def input_href(rel: str) -> str:
    """The site-absolute, percent-encoded URL path of a rendered input."""
    slash = rel.rfind("/")
    dot = rel.rfind(".")
    if dot > slash and rel[dot:].lower() in DOCUMENT_SUFFIXES:
        stem = rel[:dot]
        path = "/" + stem[: slash + 1] if stem[slash + 1 :] == "index" else "/" + stem + ".html"
    else:
        path = "/" + rel.lstrip("/")
    path = path.replace("//", "/")
    return path if SAFE_HREF_RE.fullmatch(path) else quote(path, safe="/-._~")
