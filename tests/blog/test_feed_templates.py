"""Feed items from templates equal what the generic encoders give, for awkward values."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime

import pytest

from nbpost.blog.model import Post
from nbpost.blog.render.escape import absolute_url
from nbpost.blog.render.feeds import _rfc822, json_item_text

SITE = "https://example.org/blog"
AWKWARD = ['a "quoted" & <b>', "ümlaut ✓ 🎉", "back\\slash\ttab\nline", "\u2028sep", ""]


def _post(index: int, text: str) -> Post:
    date = dt.datetime(2024, 1 + index % 12, 1 + index % 28, tzinfo=dt.timezone.utc)
    return Post(
        source=f"posts/{index}/index.qmd",
        href=f"/posts/{index} ü/" if index % 2 else "https://elsewhere.example/x?a=1&b=2",
        title=f"Title {text}",
        description=text if index % 3 else "",
        authors=[text or "A", "B"] if index % 4 else [],
        date=date if index % 5 else None,
        date_text=None,
        categories=[text or "c", "d"] if index % 6 else [],
        raw_categories=[],
        image=f"img/{text}.png" if index % 7 == 1 else None,
        date_modified=date + dt.timedelta(hours=5) if date and index % 2 else None,
        external=index % 2 == 0,
    )


def _json_item(post: Post, site_url: str) -> dict:
    """What a JSON Feed item holds, per https://www.jsonfeed.org/version/1.1/ (the oracle)."""
    url = absolute_url(site_url, post.href)
    item: dict = {"id": url, "url": url, "title": post.title}
    item["content_text"] = post.description or post.title  # one content field is required
    if post.description:
        item["summary"] = post.description
    if post.date is not None:
        item["date_published"] = post.date.isoformat()
    if post.date_modified is not None:
        item["date_modified"] = post.date_modified.isoformat()
    if post.authors:
        item["authors"] = [{"name": name} for name in post.authors]
    if post.categories:
        item["tags"] = list(post.categories)
    if post.image:
        item["image"] = absolute_url(site_url, post.image)
    if post.external:
        item["external_url"] = url
    return item


@pytest.mark.parametrize("index", range(24))
def test_json_item_template_equals_json_dumps(index: int) -> None:
    post = _post(index, AWKWARD[index % len(AWKWARD)])
    url = _json_item(post, SITE)["url"]
    expected = json.dumps(
        _json_item(post, SITE), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert json_item_text(post, url, SITE) == expected


@pytest.mark.parametrize("minutes", [-720, -61, 0, 30, 330, 840])
def test_rfc822_equals_format_datetime(minutes: int) -> None:
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    for value in (
        dt.datetime(2024, 2, 29, 23, 59, 7, tzinfo=zone),
        dt.datetime(999, 1, 1, 12, tzinfo=zone),
    ):
        assert _rfc822(value) == format_datetime(value.astimezone(dt.timezone.utc))
