"""The post lists of category pages: escaping shortcut, one item per post, shared by pages."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost.blog.render.escape import html_attr
from nbpost.blog.render.listinghtml import html_text


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_html_text_is_html_attr(text: str) -> None:
    """The shortcut never skips an escape html_attr would make."""
    assert html_text(text) == html_attr(text)


def test_html_text_examples() -> None:
    for text in [
        "plain title",
        " lead",
        "tail ",
        "two  spaces",
        "tab\there",
        "nbsp\xa0x",
        "line\u2028sep",
        "<b>",
        "a & b",
        "{{< x >}}",
        "@cite",
        "'q'",
        '"q"',
    ]:
        assert html_text(text) == html_attr(text)
