"""RSS 2.0 and Atom 1.0 (with feedgen) and JSON Feed 1.1 (with json) for the blog and each category.

Every link is absolute, from ``website.site-url``. Nothing depends on the clock, so the same
input gives byte-identical feeds:

- an undated post gets no ``pubDate`` in RSS and no ``date_published`` in JSON Feed (Quarto
  stamps it with the build time, so it churns on every build);
- Atom requires ``updated``: an entry uses its ``date-modified``, else its ``date``, else the
  newest date found in the whole blog, else 1970-01-01T00:00:00Z; the feed's ``updated`` is
  the newest entry date by the same rule;
- ids are the post's absolute URL (Atom ``id``, RSS ``guid``, JSON Feed ``id``), stable as long
  as the post keeps its URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .escape import absolute_url, json_text, xml_text
from .model import Blog, Category, Post

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
DEFAULT_FEED_ITEMS = 20  # Quarto's default `feed: items:`
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class FeedSpec:
    """One feed: who it is for, where it lives and which posts it carries (newest first)."""

    title: str
    description: str
    home_url: str  # absolute URL of the page the feed belongs to
    self_urls: dict[str, str]  # kind -> absolute URL of that feed file
    posts: list[Post]
    language: str | None
    fallback_date: dt.datetime  # Atom `updated` for undated entries (see module docstring)


def newest_date(posts: list[Post]) -> dt.datetime | None:
    """The newest date or date-modified among the posts, or None."""
    dates = [d for post in posts for d in (post.date, post.date_modified) if d is not None]
    return max(dates) if dates else None


def feed_posts(posts: list[Post], limit: int | None) -> list[Post]:
    """Posts a feed may carry (titled, newest first as collected), cut to ``limit`` (0 = all)."""
    items = [post for post in posts if post.title]
    return items[:limit] if limit else items


def blog_feed_spec(blog: Blog, hrefs: dict[str, str], limit: int | None) -> FeedSpec:
    """The spec of the feeds of all posts."""
    site = blog.config.site_url or ""
    return FeedSpec(
        title=blog.config.title or site,
        description=blog.config.description,
        home_url=site + "/",
        self_urls={kind: absolute_url(site, href) for kind, href in hrefs.items()},
        posts=feed_posts(blog.posts, limit),
        language=blog.config.language,
        fallback_date=newest_date(blog.posts) or EPOCH,
    )


def category_feed_spec(
    blog: Blog, category: Category, page_href: str, hrefs: dict[str, str], limit: int | None
) -> FeedSpec:
    """The spec of one category's feeds."""
    site = blog.config.site_url or ""
    title = f"{blog.config.title}: {category.label}" if blog.config.title else category.label
    return FeedSpec(
        title=title,
        description=category.description or f"Posts in the category {category.label}",
        home_url=absolute_url(site, page_href),
        self_urls={kind: absolute_url(site, href) for kind, href in hrefs.items()},
        posts=feed_posts(category.posts, limit),
        language=blog.config.language,
        fallback_date=newest_date(blog.posts) or EPOCH,
    )


def _entry_updated(post: Post, fallback: dt.datetime) -> dt.datetime:
    return post.date_modified or post.date or fallback


def _feed_updated(spec: FeedSpec) -> dt.datetime:
    return newest_date(spec.posts) or spec.fallback_date


def _generator(spec: FeedSpec, self_url: str, site_url: str) -> Any:
    from feedgen.feed import FeedGenerator  # heavy (lxml): imported only when feeds are built

    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)  # dc:creator for RSS only
    generator.id(spec.home_url)
    generator.title(xml_text(spec.title) or spec.home_url)
    # feedgen uses the last link added as the RSS channel <link>: add `self` first.
    generator.link(href=self_url, rel="self")
    generator.link(href=spec.home_url, rel="alternate")
    generator.description(xml_text(spec.description) or xml_text(spec.title) or spec.home_url)
    generator.generator("nbpost", uri="https://github.com/nbpost/nbpost")
    if spec.language:
        generator.language(xml_text(spec.language))
    # Sets Atom `updated` and RSS `lastBuildDate` (feedgen would otherwise use the clock).
    generator.updated(_feed_updated(spec))
    for post in spec.posts:
        url = absolute_url(site_url, post.href)
        entry = generator.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(xml_text(post.title))
        entry.link(href=url, rel="alternate")
        if post.description:
            entry.summary(xml_text(post.description))
            entry.description(xml_text(post.description))
        for author in post.authors:
            entry.author(name=xml_text(author))
            entry.dc.dc_creator(xml_text(author))
        for label in post.categories:
            entry.category(term=xml_text(label), label=xml_text(label))
        entry.updated(_entry_updated(post, spec.fallback_date))
        if post.date is not None:
            entry.published(post.date)
            entry.pubDate(post.date)
    return generator


def render_rss(spec: FeedSpec, site_url: str) -> bytes:
    """RSS 2.0 bytes."""
    return bytes(_generator(spec, spec.self_urls["rss"], site_url).rss_str(pretty=True))


def render_atom(spec: FeedSpec, site_url: str) -> bytes:
    """Atom 1.0 bytes."""
    return bytes(_generator(spec, spec.self_urls["atom"], site_url).atom_str(pretty=True))


def _json_item(post: Post, site_url: str) -> dict[str, Any]:
    url = absolute_url(site_url, post.href)
    item: dict[str, Any] = {"id": url, "url": url, "title": post.title}
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


def render_json_feed(spec: FeedSpec, site_url: str) -> str:
    """JSON Feed 1.1 text."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": spec.home_url,
        "feed_url": spec.self_urls["json"],
        "items": [_json_item(post, site_url) for post in spec.posts],
    }
    if spec.description:
        feed["description"] = spec.description
    if spec.language:
        feed["language"] = spec.language
    return json_text(feed)


def render_feeds(spec: FeedSpec, site_url: str) -> dict[str, bytes | str]:
    """All three feeds of one spec, by kind."""
    return {
        "rss": render_rss(spec, site_url),
        "atom": render_atom(spec, site_url),
        "json": render_json_feed(spec, site_url),
    }
