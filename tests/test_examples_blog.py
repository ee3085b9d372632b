"""The example blog keeps every feature it is meant to exercise (see examples/README.md).

These tests read the files with independent, simple means (regular expressions, PyYAML,
nbformat) so that the example cannot silently lose a feature the other tests rely on.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

from nbpost.frontmatter import split
from nbpost.slugs import category_key

POST_DIR_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-[a-z0-9-]+\Z")
FENCE_RE = re.compile(r"^(`{3,})\s*(\{[^}\n]*\}|[\w-]*)\s*$", re.MULTILINE)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file with PyYAML's safe loader."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def post_files(blog: Path) -> list[Path]:
    """Every post source: posts/<dated folder>/index.qmd or index.ipynb."""
    return sorted(
        path
        for path in (blog / "posts").glob("*/index.*")
        if path.suffix in {".qmd", ".ipynb", ".md"}
    )


def notebook_front_matter(path: Path) -> str:
    """The source of a notebook post's first (raw) cell."""
    nb = nbformat.read(path, as_version=4)
    return "".join(nb.cells[0].source)


def front_matter_text(path: Path) -> str:
    """A post's text as nbpost.frontmatter.split sees it (notebooks: the first cell)."""
    if path.suffix == ".ipynb":
        return notebook_front_matter(path) + "\n"
    return path.read_text(encoding="utf-8")


def all_meta(blog: Path) -> dict[Path, dict[str, Any]]:
    """Parsed front matter of every post."""
    result = {}
    for path in post_files(blog):
        block, meta, _ = split(front_matter_text(path), path)
        assert block is not None, f"{path}: no front matter"
        result[path] = meta
    return result


def qmd_texts(blog: Path) -> dict[Path, str]:
    """The text of every .qmd post."""
    return {
        path: path.read_text(encoding="utf-8") for path in post_files(blog) if path.suffix == ".qmd"
    }


def any_text(blog: Path, pattern: str, flags: int = re.MULTILINE) -> list[Path]:
    """The .qmd posts whose text matches ``pattern``."""
    return [path for path, text in qmd_texts(blog).items() if re.search(pattern, text, flags)]


# --- project files --------------------------------------------------------------------------


def ignored_by_the_example(examples_blog: Path) -> list[str]:
    """The paths ``examples/blog/.gitignore`` keeps out of commits: what ``nbpost build`` (the
    README's quick start) and Quarto write there. Only anchored names are supported, so a
    pattern this test cannot read fails it instead of being misread."""
    patterns = []
    for line in (examples_blog / ".gitignore").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        assert re.fullmatch(r"/[\w.-]+/?", line), f"unsupported .gitignore pattern {line!r}"
        patterns.append(line.strip("/"))
    return patterns


def test_blog_is_small(examples_blog: Path) -> None:
    # The example as committed: after the README's `nbpost build examples/blog` the folder
    # also holds the generated pages and feeds, which its .gitignore keeps out of commits.
    ignored = ignored_by_the_example(examples_blog)
    total = sum(
        path.stat().st_size
        for path in examples_blog.rglob("*")
        if path.is_file() and path.relative_to(examples_blog).parts[0] not in ignored
    )
    assert total < 100_000


def test_gitignore_keeps_every_generated_output_out(examples_blog_copy: Path) -> None:
    from nbpost.blog.build import build_blog

    result = build_blog(examples_blog_copy, quiet=True)
    ignored = set(ignored_by_the_example(examples_blog_copy))
    tops = {key.split("/")[0] for key in result.written} | {".nbpost"}
    assert tops <= ignored, tops - ignored


def test_quarto_yml(examples_blog: Path) -> None:
    config = load_yaml(examples_blog / "_quarto.yml")
    assert config["project"]["type"] == "website"
    pre_render = config["project"]["pre-render"]
    pre_render = [pre_render] if isinstance(pre_render, str) else pre_render
    assert "nbpost build" in pre_render
    website = config["website"]
    assert website["title"] and website["description"]
    assert re.match(r"https://example\.(org|com|net)/", website["site-url"])
    hrefs = [item.get("href") for side in website["navbar"].values() for item in side]
    assert "categories/index.qmd" in hrefs
    assert "archive/index.qmd" in hrefs
    filters = config.get("filters") or config["format"]["html"].get("filters", [])
    assert "nbpost" in filters
    options = config["nbpost"]
    assert set(options) <= {"output-dir", "date-order", "registry", "category-line"}
    assert options["output-dir"] == "."


def test_listing_page(examples_blog: Path) -> None:
    _, meta, _ = split((examples_blog / "index.qmd").read_text(encoding="utf-8"))
    listing = meta["listing"]
    assert listing["contents"] == "posts"
    assert listing["sort"] == "date desc"
    assert listing["categories"] is True
    # One feed of all posts: nbpost's feeds/index.xml (the navbar's RSS link, advertised on
    # this page by the filter). A Quarto `feed:` here would write a second one, index.xml.
    assert "feed" not in listing
    config = load_yaml(examples_blog / "_quarto.yml")
    icons = [item.get("href") for item in config["website"]["navbar"]["right"]]
    assert icons == ["feeds/index.xml"]


def test_about_page_is_not_a_post(examples_blog: Path) -> None:
    about = examples_blog / "about.qmd"
    assert about.is_file()
    assert about not in post_files(examples_blog)


def test_posts_metadata(examples_blog: Path) -> None:
    shared = load_yaml(examples_blog / "posts" / "_metadata.yml")
    assert shared["freeze"] is True
    assert isinstance(shared["author"], str) and shared["author"]


def test_category_registry(examples_blog: Path) -> None:
    entries = load_yaml(examples_blog / "_categories.yml")
    assert all(entry.get("label") for entry in entries)
    for field in ("description", "aliases", "colour", "slug"):
        assert any(field in entry for entry in entries), f"no registry entry with {field!r}"
    for entry in entries:
        if "colour" in entry:
            assert re.fullmatch(r"#[0-9a-fA-F]{6}", entry["colour"])
    used = {
        category_key(label)
        for meta in all_meta(examples_blog).values()
        for label in meta.get("categories", [])
    }
    unused = [entry["label"] for entry in entries if category_key(entry["label"]) not in used]
    assert not unused, f"registry entries no post uses: {unused}"


# --- posts: front matter --------------------------------------------------------------------


def test_at_least_seven_dated_posts(examples_blog: Path) -> None:
    posts = post_files(examples_blog)
    assert len(posts) >= 7
    for path in posts:
        assert POST_DIR_RE.match(path.parent.name), path.parent.name


def test_front_matter_parses_and_dates_match_folders(examples_blog: Path) -> None:
    for path, meta in all_meta(examples_blog).items():
        assert meta.get("title"), path
        year, month, day = POST_DIR_RE.match(path.parent.name).groups()  # type: ignore[union-attr]
        date = str(meta["date"])
        parsed = (
            dt.date.fromisoformat(date)
            if "-" in date
            else dt.datetime.strptime(date, "%m/%d/%Y").date()
        )
        assert parsed == dt.date(int(year), int(month), int(day)), path


def test_both_date_styles(examples_blog: Path) -> None:
    texts = {path: front_matter_text(path) for path in post_files(examples_blog)}
    iso = [p for p, text in texts.items() if re.search(r"^date: \d{4}-\d{2}-\d{2}$", text, re.M)]
    us = [p for p, text in texts.items() if re.search(r'^date: "\d{2}/\d{2}/\d{4}"$', text, re.M)]
    assert iso and us


def test_description_block_scalar(examples_blog: Path) -> None:
    texts = [front_matter_text(path) for path in post_files(examples_blog)]
    assert any(re.search(r"^description: \|\n  \S", text, re.M) for text in texts)


def test_exactly_one_draft(examples_blog: Path) -> None:
    drafts = [path for path, meta in all_meta(examples_blog).items() if meta.get("draft") is True]
    assert len(drafts) == 1


def test_categories_cover_the_hard_cases(examples_blog: Path) -> None:
    labels = [
        label for meta in all_meta(examples_blog).values() for label in meta.get("categories", [])
    ]
    assert any(" " in label for label in labels), "no category with a space"
    assert any(re.search(r"[À-ɏ]", label) for label in labels), "no accented category"
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label) for label in labels), "no CJK"
    by_key: dict[str, set[str]] = {}
    for label in labels:
        by_key.setdefault(category_key(label), set()).add(label)
    assert any(len(spellings) > 1 for spellings in by_key.values()), "no case-only variants"


def test_title_with_ampersand_and_quotes(examples_blog: Path) -> None:
    titles = [meta["title"] for meta in all_meta(examples_blog).values()]
    assert any("&" in title and '"' in title for title in titles)


# --- posts: bodies --------------------------------------------------------------------------


def test_python_chunks_with_options(examples_blog: Path) -> None:
    for option in ("label", "echo", "fig-cap", "tags"):
        pattern = r"^```\{python\}\n(#\|.*\n)*#\| " + re.escape(option) + ":"
        assert any_text(examples_blog, pattern), f"no python chunk with #| {option}"


def test_r_chunk(examples_blog: Path) -> None:
    assert any_text(examples_blog, r"^```\{r[ ,}]")


def test_diagram_or_ojs_chunk(examples_blog: Path) -> None:
    assert any_text(examples_blog, r"^```\{(ojs|mermaid)\}")


def test_callout_note(examples_blog: Path) -> None:
    assert any_text(examples_blog, r"^::: ?\{\.callout-note\}")


def test_shortcodes_and_include_target(examples_blog: Path) -> None:
    assert any_text(examples_blog, r"\{\{< video \S+")
    for path, text in qmd_texts(examples_blog).items():
        for target in re.findall(r"\{\{< include (\S+) >\}\}", text):
            assert (path.parent / target).is_file(), f"{path}: include target {target} missing"
            assert target.startswith("_"), "an included partial must not be listed as a post"


def test_raw_html_block(examples_blog: Path) -> None:
    assert any_text(examples_blog, r"^```\{=html\}\n<")


def test_four_backtick_block_showing_chunk_syntax(examples_blog: Path) -> None:
    # Quarto's way to show chunk syntax: doubled braces (a fence alone does not stop Quarto
    # from running a ```{python} line: it finds chunks line by line; NB601 in docs/check.md).
    assert any_text(examples_blog, r"^````markdown\n```\{\{python\}\}\n(.*\n)*?```\n````$")


def test_empty_code_cell(examples_blog: Path) -> None:
    assert any_text(examples_blog, r"^```\{python\}\n```$")


def test_adjacent_paragraphs(examples_blog: Path) -> None:
    # Two prose paragraphs separated by one blank line, with nothing else between them.
    paragraph = r"[A-Za-z][^\n]*[.!?:]"
    assert any_text(examples_blog, rf"(?:^|\n\n){paragraph}\n\n{paragraph}\n")


def test_fences_are_balanced(examples_blog: Path) -> None:
    for path, text in qmd_texts(examples_blog).items():
        open_fence: str | None = None
        for match in FENCE_RE.finditer(text):
            ticks, info = match.groups()
            if open_fence is None:
                open_fence = ticks
            elif len(ticks) >= len(open_fence) and not info:
                open_fence = None
        assert open_fence is None, f"{path}: unclosed fence"


# --- the notebook post ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def notebook_post(examples_blog: Path) -> tuple[Path, nbformat.NotebookNode]:
    """The example blog's one notebook post, read with nbformat."""
    notebooks = [path for path in post_files(examples_blog) if path.suffix == ".ipynb"]
    assert len(notebooks) == 1
    return notebooks[0], nbformat.read(notebooks[0], as_version=4)


def test_notebook_is_valid_4_5_with_ids(notebook_post: tuple[Path, Any]) -> None:
    _, nb = notebook_post
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    ids = [cell.id for cell in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids)
    assert nb.metadata.kernelspec.name == "python3"


def test_notebook_front_matter_is_a_raw_first_cell(notebook_post: tuple[Path, Any]) -> None:
    path, nb = notebook_post
    first = nb.cells[0]
    assert first.cell_type == "raw"
    block, meta, body = split(first.source, path)
    assert block == first.source and body == ""
    assert meta["title"] and meta["categories"]


def test_notebook_has_adjacent_markdown_cells(notebook_post: tuple[Path, Any]) -> None:
    _, nb = notebook_post
    types = [cell.cell_type for cell in nb.cells]
    assert any(a == b == "markdown" for a, b in itertools.pairwise(types))


def test_notebook_saved_outputs(notebook_post: tuple[Path, Any]) -> None:
    _, nb = notebook_post
    outputs = [output for cell in nb.cells if cell.cell_type == "code" for output in cell.outputs]
    kinds = {output.output_type for output in outputs}
    assert {"stream", "execute_result", "display_data"} <= kinds
    results = [output for output in outputs if output.output_type == "execute_result"]
    assert any({"text/plain", "text/html"} <= set(output.data) for output in results)
    pngs = [
        output.data["image/png"]
        for output in outputs
        if output.output_type == "display_data" and "image/png" in output.data
    ]
    assert pngs
    for png in pngs:
        check_png(base64.b64decode(png))


def check_png(data: bytes) -> None:
    """Assert that ``data`` is a well-formed PNG: signature, chunk CRCs, pixel data size."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        tag = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(tag + body) & 0xFFFFFFFF == crc, f"bad CRC in {tag!r}"
        chunks[tag] = chunks.get(tag, b"") + body
        position += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)  # 8-bit RGB
    assert len(zlib.decompress(chunks[b"IDAT"])) == height * (1 + 3 * width)
    assert b"IEND" in chunks
