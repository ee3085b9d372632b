"""Control characters in titles, labels, authors, descriptions or file names reach no output.

Issue 10, item 12: a category with a NUL byte was written verbatim into POSTS.md,
categories/index.qmd and archive/index.qmd. Values are cleaned where they are read
(``metadata.clean_text``): NUL and every C0/C1 control but tab and newline, lone surrogates and
XML's non-characters are dropped, and text is NFC.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from securitykit import LISTING_PAGE, notebook, tree, write_files

from nbpost.blog.build import build_blog

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
NASTY = "\x00\x01\x08\x0b\x0c\r\x1b[31m\x7f\x85\x9b\ufffe"


def yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON's escapes are YAML's): controls written as escapes."""
    return json.dumps(text)


def hostile_blog(root: Path) -> Path:
    quarto = (
        "project:\n  type: website\nwebsite:\n"
        f"  title: {yaml_str('Blog' + NASTY)}\n"
        f"  description: {yaml_str('About' + NASTY)}\n"
        "  site-url: https://example.org\nlang: en\n"
    )
    post = "\n".join(
        [
            "---",
            f"title: {yaml_str('Title' + NASTY)}",
            "date: 2024-01-02",
            f"author: {yaml_str('Ann' + NASTY)}",
            f"categories: [{yaml_str('Caf' + chr(0) + 'é')}, {yaml_str('x' + NASTY + 'y')}]",
            f"description: {yaml_str('Desc' + NASTY)}",
            "---",
            "",
            "Body.",
        ]
    )
    clean = '---\ntitle: "Clean"\ndate: 2024-02-02\ncategories: ["Café"]\n---\n\nBody.\n'
    files: dict[str, str | bytes] = {
        "_quarto.yml": quarto,
        "index.qmd": LISTING_PAGE,
        "_categories.yml": (
            f"- label: {yaml_str('Described' + chr(0))}\n"
            f"  description: {yaml_str('Cat' + NASTY)}\n"
            f"  aliases: [{yaml_str('Alias' + NASTY)}]\n"
        ),
        "posts/hostile/index.qmd": post,
        "posts/clean/index.qmd": clean,
        "posts/described/index.qmd": clean.replace('"Café"', '"Described\\u0000"'),
        # a notebook whose JSON holds a lone surrogate, which UTF-8 cannot encode
        "posts/nb/index.ipynb": notebook('title: "Notebook"\ndate: 2024-03-03').replace(
            "Notebook", "Note\\ud800book"
        ),
        "posts/bad\x01name/index.qmd": clean.replace("Clean", "In a bad folder"),
    }
    return write_files(root, files)


def test_no_control_character_reaches_any_output(tmp_path: Path, run_cli) -> None:
    root = hostile_blog(tmp_path / "blog")
    result = run_cli("build", root)
    assert result.status == 2  # the notebook with a lone surrogate: one line, skipped
    assert [line for line in result.err.splitlines() if "error" in line] == [
        f"nbpost: error: {root}/posts/nb/index.ipynb:8: a lone surrogate '\\ud800' is not "
        "valid Unicode"
    ]
    # Every generated file; .nbpost/ is local state, not published (its build store is binary).
    skipped = ("posts/", "_", "index", ".nbpost/")
    outputs = {k: v for k, v in tree(root).items() if not k.startswith(skipped)}
    assert len(outputs) > 15
    for key, data in outputs.items():
        text = data.decode("utf-8")  # every output is valid UTF-8 (no surrogate got through)
        assert not FORBIDDEN.search(text), (key, FORBIDDEN.search(text))
    assert not FORBIDDEN.search(result.err + result.out)  # nor any message


def test_values_are_cleaned_not_dropped(tmp_path: Path) -> None:
    root = hostile_blog(tmp_path / "blog")
    assert len(build_blog(root, quiet=True).errors) == 1  # the notebook
    registry = json.loads((root / "categories.json").read_text(encoding="utf-8"))
    labels = {c["label"]: c["count"] for c in registry["categories"]}
    assert labels["Café"] == 2  # "Caf\0é" is "Café": one category
    assert "x[31my" in labels and "Described" in labels
    post = registry["posts"]["posts/hostile/index.qmd"]
    assert post["title"] == "Title[31m"
    assert "posts/nb/index.ipynb" not in registry["posts"]
    assert registry["title"] == "Blog[31m"


def test_a_file_name_with_control_characters_is_skipped_with_a_warning(
    tmp_path: Path, run_cli
) -> None:
    root = hostile_blog(tmp_path / "blog")
    result = run_cli("build", root)
    assert "posts/bad\\x01name: a file name with control characters; not read" in result.err
    assert "In a bad folder" not in (root / "POSTS.md").read_text(encoding="utf-8")
