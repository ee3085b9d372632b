"""Random front matter, random config and random file names fed to ``nbpost build``.

Whatever the input: no traceback, exit status 0, 1 or 2, every message one line that starts
with ``nbpost:``, at most one error line per post, one line for a broken configuration, no
temporary left behind, and nothing written outside the blog's folder (issue 11, "Required").
Most examples run in-process (fast); a few run ``python -m nbpost build`` as a user would.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from securitykit import assert_no_traceback, run_nbpost, tree, write_files

KEYS = [
    "title",
    "date",
    "date-modified",
    "categories",
    "description",
    "abstract",
    "author",
    "authors",
    "draft",
    "image",
    "listing",
    "jupyter",
]
SNIPPETS = [
    "!!timestamp 2024-13-45",
    "!!timestamp 2024-10-17",
    "&a [x, *a]",
    "*nowhere",
    "!!binary ===",
    "!!float abc",
    "!!int 0x",
    "[[[[",
    "{a: 1",
    "!expr Sys.Date()",
    "99999999999999999999999",
    ".inf",
    "~",
    "yes",
    "'unterminated",
    '"\\ud800 lone"',
    '"\\u0000 nul"',
    "[*a]",
    "<<: {x: 1}",
    "{? [a]: b}",
    "- a\n- b",
    "|\n  block\n  text",
    "2024-02-30",
    "10/17/2024",
    "today",
]
OPTIONS = ["output-dir", "registry", "feed-items", "date-order", "listings", "notebook-dir"]

text = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()),
    max_size=40,
)
yaml_value = st.one_of(
    text.map(json.dumps),  # double-quoted: JSON escapes are YAML's (NUL, lone surrogates...)
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(text.map(json.dumps), max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.sampled_from(SNIPPETS),
    st.text(max_size=30).filter(lambda s: "\n" not in s),  # raw text: often invalid YAML
)
front_matter = st.dictionaries(st.sampled_from(KEYS), yaml_value, max_size=6)
file_name = st.text(min_size=1, max_size=40).filter(
    lambda s: "/" not in s and "\0" not in s and s not in (".", "..") and len(s.encode()) < 200
)


def yaml_block(mapping: dict[str, str]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in mapping.items())


json_junk = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def notebook_text(draw: Any, block: str) -> str:
    """A notebook holding ``block`` in a raw or markdown cell, or damaged along the way."""
    cell: Any = {
        "cell_type": draw(st.sampled_from(["raw", "markdown", "code", 5])),
        "metadata": draw(st.one_of(st.just({}), json_junk)),
        "source": draw(st.sampled_from([block, block.splitlines(keepends=True), [1, None]])),
    }
    cells = draw(st.sampled_from([[cell], [cell, cell], "cells", None, [None, 3]]))
    notebook = {"cells": cells, "metadata": draw(json_junk), "nbformat": 4, "nbformat_minor": 5}
    text = json.dumps(notebook, indent=1)
    if draw(st.integers(0, 9)) == 0:
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(st.sampled_from(["", "{", "\\ud800", '"', "[" * 5000]))
    return text


@st.composite
def hostile_blog(draw: Any) -> dict[str, str]:
    """A blog of random posts, a random ``_quarto.yml`` and maybe a random registry."""
    options = draw(st.dictionaries(st.sampled_from(OPTIONS), yaml_value, max_size=3))
    website = draw(st.dictionaries(st.sampled_from(["title", "description"]), yaml_value))
    quarto = (
        "project:\n  type: website\nwebsite:\n  site-url: https://example.org\n"
        + "".join(f"  {key}: {value}\n" for key, value in website.items())
        + ("nbpost:\n" + "".join(f"  {k}: {v}\n" for k, v in options.items()) if options else "")
    )
    files = {"_quarto.yml": quarto}
    names = draw(st.lists(file_name, min_size=1, max_size=5, unique=True))
    for name in names:
        block = f"---\n{yaml_block(draw(front_matter))}---"
        if draw(st.booleans()):
            files[f"posts/{name}/index.qmd"] = block + "\n\nBody text.\n"
        else:  # a notebook: the block in a first cell, or the JSON itself damaged
            files[f"posts/{name}/index.ipynb"] = draw(notebook_text(block))
    if draw(st.booleans()):
        entries = draw(
            st.lists(
                st.dictionaries(
                    st.sampled_from(["label", "slug", "description", "colour", "aliases"]),
                    yaml_value,
                    min_size=1,
                    max_size=4,
                ),
                max_size=3,
            )
        )
        files["_categories.yml"] = "".join(
            "- " + yaml_block(entry).replace("\n", "\n  ").rstrip() + "\n" for entry in entries
        )
    if draw(st.booleans()):
        files["posts/_metadata.yml"] = yaml_block(draw(front_matter))
    return files


def check_run(base: Path, root: Path, status: int, out: str, err: str, files: dict) -> None:
    """The properties every build must have, whatever it was given."""
    assert_no_traceback(err)
    assert status in (0, 1, 2), (status, err)
    lines = err.splitlines()
    assert all(line.startswith("nbpost: ") for line in lines), err
    errors = [line for line in lines if line.startswith("nbpost: error: ")]
    # Exit 2 exactly when something could not be used (a post, a setting, an output in the
    # way), each named in one error line; 0 and 1 print none.
    assert (status == 2) == bool(errors), (status, err)
    for rel in files:
        if rel.startswith("posts/") and rel.endswith(("index.qmd", "index.ipynb")):
            mentioning = [line for line in errors if f"{root}/{rel}:" in line or line.endswith(rel)]
            assert len(mentioning) <= 1, mentioning
    written = tree(base)
    assert all(key.startswith(("blog/", "outside/")) for key in written), sorted(written)
    assert {k: v for k, v in written.items() if k.startswith("outside/")} == {
        "outside/keep.txt": b"keep\n"
    }
    assert not [key for key in written if key.endswith(".tmp")], sorted(written)


def fresh(base: Path, files: dict[str, str]) -> Path:
    (base / "outside").mkdir()
    (base / "outside/keep.txt").write_text("keep\n", encoding="utf-8")
    root = base / "blog"
    root.mkdir()
    for rel, content in files.items():
        path = root / rel
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        except OSError:
            continue  # a name this file system refuses
    return root


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=hostile_blog())
@example(  # a date written as a YAML block once made a warning of two lines
    files={
        "_quarto.yml": "project:\n  type: website\nwebsite:\n  site-url: https://example.org\n",
        "posts/0/index.qmd": "---\n---\n\nBody text.\n",
        "posts/_metadata.yml": "date: |\n  block\n  text\n",
    }
)
def test_random_blogs_in_process(files: dict[str, str], run_cli: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root = fresh(base, files)
        for _ in range(2):  # twice: the second build runs on the first one's state
            result = run_cli("build", root)
            check_run(base, root, result.status, result.out, result.err, files)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=hostile_blog())
def test_random_blogs_in_a_real_process(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root = fresh(base, files)
        run = run_nbpost("build", root, timeout=120, memory_bytes=1 << 30)
        check_run(base, root, run.returncode, run.stdout, run.stderr, files)
        check = run_nbpost("build", "--check", root, timeout=120)
        check_run(base, root, check.returncode, check.stdout, check.stderr, files)


def test_the_fuzzer_reaches_the_interesting_cases() -> None:
    """A fixed blog made of the fuzzer's own pieces builds with the expected one-liners."""
    files = {
        "_quarto.yml": "project:\n  type: website\nwebsite:\n  site-url: https://example.org\n",
        "posts/a/index.qmd": "---\ntitle: !!timestamp 2024-13-45\n---\n",
        "posts/b/index.qmd": '---\ntitle: "ok"\ncategories: ["\\u0000x"]\n---\n',
        "posts/\x01c/index.qmd": "---\ntitle: c\n---\n",
    }
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root = fresh(base, files)
        write_files(root, {})
        run = run_nbpost("build", root)
        check_run(base, root, run.returncode, run.stdout, run.stderr, files)
        assert run.returncode == 2
        assert "posts/a/index.qmd:2:" in run.stderr
        assert os.path.isfile(root / "categories/x/index.qmd")
