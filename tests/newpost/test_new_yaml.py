"""Front matter ``nbpost new`` writes reads back exactly, for any title, with nbpost's loader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost.blog.newpost import NewPostError, Request, make_plan, read_blog
from nbpost.blog.newpost.plan import clean_title
from nbpost.blog.newpost.yamlout import DOUBLE, PLAIN, SINGLE, flow_list, scalar
from nbpost.blog.read.collect import collect_blog
from nbpost.frontmatter import load_yaml, split

from .blogs import categorised_blog

HOSTILE = [
    'He said "hi": a #hashtag',
    "- starts like a list",
    "# starts like a comment",
    "key: value",
    "[not, a, list]",
    "{not: a map}",
    "*alias",
    "&anchor",
    "!tag value",
    "%directive",
    "@at `tick`",
    "yes",
    "null",
    "~",
    "2024-10-17",
    "1e3",
    "0x1F",
    "'single' and \"double\"",
    "trailing colon:",
    "tab\there",
    "Ελληνικά, 日本語, emoji 🎉, RTL עברית",
    "back\\slash \\n not a newline",
    "---",
    "...",
    "? question",
    "| pipe",
    "> folded",
    "a, b] c",
]


@pytest.mark.parametrize("quote", [PLAIN, DOUBLE, SINGLE])
@pytest.mark.parametrize("title", HOSTILE)
def test_scalar_reads_back_in_every_quoting(title: str, quote: str) -> None:
    assert load_yaml(f"title: {scalar(title, quote)}\n") == {"title": title}
    assert load_yaml(f"c: {flow_list([title, 'x'], quote)}\n") == {"c": [title, "x"]}


@settings(max_examples=150, deadline=None)
@given(title=st.text(min_size=1, max_size=60), quote=st.sampled_from([PLAIN, DOUBLE, SINGLE]))
def test_any_text_reads_back(title: str, quote: str) -> None:
    try:
        text = clean_title(title)
    except NewPostError:
        return  # empty once control characters and spaces are gone: refused, nothing written
    assert load_yaml(f"title: {scalar(text, quote)}\n") == {"title": text}


def test_hostile_titles_make_posts_the_blog_reads(tmp_path: Path) -> None:
    root = categorised_blog(tmp_path / "blog")
    facts = read_blog(root)
    when = dt.datetime(2026, 3, 4, tzinfo=dt.timezone.utc)
    from nbpost.blog.newpost import create

    for number, title in enumerate(HOSTILE):
        plan = make_plan(
            facts,
            Request(
                title=title,
                when=when,
                slug=f"p{number}",
                categories=[title],
                new_category=True,
                publish=True,
            ),
        )
        _, meta, _ = split(plan.text)
        expected = clean_title(title)  # one line: a tab or newline becomes a space
        assert meta["title"] == expected and meta["categories"] == [expected]
        create(plan, root)
    blog = collect_blog(root)
    titles = {post.title for post in blog.posts}
    assert {clean_title(title) for title in HOSTILE} <= titles
    assert not blog.errors
