"""Small fixture blogs for ``nbpost new`` tests, written into a test's tmp_path."""

from __future__ import annotations

from pathlib import Path

QUARTO_YML = "project:\n  type: website\nwebsite:\n  title: Fixture\n"
INDEX = "---\ntitle: Blog\nlisting:\n  contents: {contents}\n---\n"


def write(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root`` and return ``root``."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def post(title: str, date: str, categories: str = "", extra: str = "") -> str:
    """A post's text with front matter."""
    lines = [f"title: {title}", f"date: {date}"]
    if categories:
        lines.append(f"categories: [{categories}]")
    return "---\n" + "\n".join(lines) + "\n" + extra + "---\n\nText.\n"


def simple_blog(root: Path, *, contents: str = "posts", posts: dict[str, str] | None = None):
    """A blog with ``_quarto.yml``, a listing page and the given posts."""
    files = {"_quarto.yml": QUARTO_YML, "index.qmd": INDEX.format(contents=contents)}
    files.update(posts or {})
    return write(root, files)


def categorised_blog(root: Path) -> Path:
    """A blog whose posts carry Python, Machine Learning, regression and C."""
    return simple_blog(
        root,
        posts={
            "posts/a/index.qmd": post("A", "2024-01-01", "Python, Machine Learning"),
            "posts/b/index.qmd": post("B", "2024-01-02", "regression, C"),
            "posts/c/index.qmd": post("C", "2024-01-03", "Python"),
        },
    )
