"""Read the post list of a generated category page back with the standard HTML parser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

FIELDS = {
    "listing-title": "title",
    "listing-category": "categories",
    "listing-description": "description",
    "listing-date": "date",
    "listing-author": "author",
}


@dataclass
class Item:
    """One ``div.quarto-post`` of a page, as a reader's browser would show it."""

    href: str = ""
    title: str = ""
    categories: list[str] = field(default_factory=list)
    category_hrefs: list[str] = field(default_factory=list)
    description: str = ""
    date: str = ""
    author: str = ""
    image: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Item] = []
        self.stack: list[str | None] = []  # the field each open element belongs to
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if "quarto-post" in classes:
            self.items.append(Item())
        current = next((FIELDS[c] for c in classes if c in FIELDS), None)
        if current is None and self.stack:
            current = self.stack[-1]
        if self.items:
            item = self.items[-1]
            if tag == "img":
                item.image = attributes.get("src")
                return
            if current == "categories" and "listing-category" in classes:
                item.categories.append("")
                item.category_hrefs.append(attributes.get("href") or "")
            if tag == "a" and current == "title":
                item.href = attributes.get("href") or ""
        if tag in ("img", "br", "link", "meta"):
            return
        self.tags.append(tag)
        self.stack.append(current)

    def handle_endtag(self, tag: str) -> None:
        while self.tags:
            open_tag = self.tags.pop()
            self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.items or not self.stack or self.stack[-1] is None:
            return
        item, name = self.items[-1], self.stack[-1]
        if name == "categories":
            if item.categories:
                item.categories[-1] += data
        else:
            setattr(item, name, getattr(item, name) + data)


def listing_items(page: Path | str) -> list[Item]:
    """The items of the post list on a generated page (a path or the page's text)."""
    text = page.read_text(encoding="utf-8") if isinstance(page, Path) else page
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.items
