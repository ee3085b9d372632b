"""Settings of nbpost's own pages that come from the blog: where "All posts" leads, and how
dates are shown."""

from __future__ import annotations

from pathlib import Path

from ..model import Blog

HOME_PAGES = ("index.qmd", "index.md", "index.ipynb", "index.Rmd")


def page_date_format(blog: Blog) -> str | None:
    """How nbpost's pages show dates: ``nbpost: date-format``, else the blog listing's
    ``date-format``, else ``_quarto.yml``'s, else Quarto's listing default (``medium``)."""
    value = (blog.config.options or {}).get("date-format")
    if isinstance(value, str) and value.strip():
        return value.strip()
    return blog.config.listing_date_format or blog.config.date_format


def home_page(blog: Blog) -> str | None:
    """Where "All posts" leads: the blog's (first) listing page, else the root ``index``
    page, else nowhere (the root ``index.qmd`` is often an About page on such blogs)."""
    if blog.config.listing_pages:
        return blog.config.listing_pages[0]
    root = Path(blog.config.root)
    for name in HOME_PAGES:
        if (root / name).is_file():
            return name
    return None
