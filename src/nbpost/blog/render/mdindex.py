"""``POSTS.md``: a Markdown index of posts by date that GitHub (and Quarto) render as is.

Post titles link to the source files (GitHub shows them; Quarto rewrites the links to the
rendered pages). Category names link to the category pages on the site when ``site-url`` is
known, else to the generated category page sources.
"""

from __future__ import annotations

from ..model import Blog, Post
from .archive import UNDATED, category_link_map, label_links, post_line, year_of
from .escape import absolute_url, markdown_link_target, markdown_text
from .memo import RenderMemo, composed
from .outputpaths import Layout
from .pages import GENERATED_NOTE, count_text, page_dir


def render_markdown_index(blog: Blog, layout: Layout, memo: RenderMemo | None = None) -> bytes:
    """``POSTS.md``, in UTF-8; ``memo`` keeps each post's line (``render.memo``)."""
    from_dir = page_dir(layout, layout.markdown_index)
    if blog.config.site_url:
        links = {}
        for c in blog.categories:
            target = absolute_url(blog.config.site_url, layout.category_href(c.slug))
            links[c.key] = links[c.label] = markdown_link_target(target)
    else:
        links = category_link_map(blog, from_dir, layout)
    title = markdown_text(blog.config.title) if blog.config.title else "Posts"
    lines = [
        f"<!-- {GENERATED_NOTE} -->\n\n",
        f"# {title}\n\n",
        f"{count_text(len(blog.posts))} in {len(blog.categories)} categories.\n",
    ]
    if blog.categories:
        lines.append("\n## Categories\n\n")
        for category in blog.categories:
            label = markdown_text(category.label)
            lines.append(f"- [{label}]({links[category.key]}) ({category.count})\n")
    fragments: dict[str, str] = {}

    def make(post: Post) -> str:
        return post_line(post, from_dir, links, fragments)

    frame = ("".join(lines), "", "")
    by_label = label_links(blog, links)
    return composed(
        memo, "index", from_dir, by_label, blog.posts, make, frame, year_of, _year_heading
    )


def _year_heading(year: str) -> str:
    return f"\n## {year}\n\n" if year != UNDATED else "\n## Undated\n\n"
