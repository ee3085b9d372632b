"""Front matter splitting and Quarto-like YAML scalars."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from nbpost import frontmatter
from nbpost.errors import FrontMatterError


def test_split_keeps_the_block_text_and_body() -> None:
    block, meta, body = frontmatter.split("---\ntitle: T # c\n---\nBody\n")
    assert block == "---\ntitle: T # c\n---"
    assert meta == {"title": "T"}
    assert body == "Body\n"


def test_split_handles_crlf_bom_and_dots_terminator() -> None:
    block, meta, _ = frontmatter.split("\ufeff---\r\ntitle: T\r\n...\r\nBody\r\n")
    assert meta == {"title": "T"} and block == "---\ntitle: T\n..."


def test_no_front_matter() -> None:
    assert frontmatter.split("Just text\n---\n") == (None, {}, "Just text\n---\n")
    assert frontmatter.split("---\n\nthematic break then text\n")[0] is None


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("date: 2024-10-17", {"date": "2024-10-17"}),
        ("date: 2024-13-45", {"date": "2024-13-45"}),
        ("draft: true", {"draft": True}),
        ("draft: yes", {"draft": "yes"}),
        ("categories: [on, off, No]", {"categories": ["on", "off", "No"]}),
        ("order: 2", {"order": 2}),
        ("when: 2024-10-17T10:00:00Z", {"when": "2024-10-17T10:00:00Z"}),
    ],
)
def test_scalars_resolve_like_quarto(yaml_text: str, expected: dict) -> None:
    assert frontmatter.parse_yaml(yaml_text) == expected


def test_errors_name_file_and_line() -> None:
    with pytest.raises(FrontMatterError) as info:
        frontmatter.split("---\ntitle: ok\nbad: [x\nmore: 1\n---\n", "p.qmd")
    assert info.value.path == "p.qmd" and info.value.line is not None and info.value.line >= 3
    with pytest.raises(FrontMatterError, match="must be a YAML mapping"):
        frontmatter.parse_yaml("- a\n- b")
    with pytest.raises(FrontMatterError, match="never closed"):
        frontmatter.split("---\ntitle: x\n")


def test_local_tags_such_as_knitr_expr_keep_their_plain_value() -> None:
    text = "---\ndate: !expr Sys.Date()\nparams: !custom {a: 1}\nitems: !list [x]\n---\nBody\n"
    _, meta, _ = frontmatter.split(text)
    assert meta == {"date": "Sys.Date()", "params": {"a": 1}, "items": ["x"]}


def test_peek_checks_the_whole_text_and_builds_only_the_keys_asked_for() -> None:
    keys = frozenset({"jupyter"})
    assert frontmatter.peek_yaml("title: x\njupyter: python3\n", keys) == {"jupyter": "python3"}
    assert frontmatter.peek_yaml("- a list\n", keys) is None
    assert frontmatter.peek_yaml("", keys) == {}
    assert frontmatter.peek_yaml("base: &b {jupyter: ir}\n<<: *b\n", keys) == {"jupyter": "ir"}
    with pytest.raises(Exception, match="mapping values are not allowed"):
        frontmatter.peek_yaml("title: x\nbad: a: b\n", keys)


def test_lazy_meta_matches_a_full_parse() -> None:
    from nbpost import qmd

    text = "---\ntitle: A post\ncategories: [a, b]\njupyter: python3\n---\n\n```{python}\n1\n```\n"
    doc = qmd.parse(text)
    assert doc.meta == {"title": "A post", "categories": ["a", "b"], "jupyter": "python3"}


def test_invalid_yaml_in_a_post_is_an_error_and_in_a_notebook_a_raw_cell() -> None:
    from nbpost import api, qmd, roundtrip

    with pytest.raises(FrontMatterError, match=r"post.qmd:3"):
        qmd.parse("---\ntitle: x\nbad: a: b\n---\n", "post.qmd")
    # A notebook's first raw cell that is not valid YAML is not front matter: a raw cell
    # (issue 12 item 8; jupytext's jupyter_with_raw_cell_with_invalid_yaml.ipynb).
    notebook = {
        "cells": [{"cell_type": "raw", "id": "a", "metadata": {}, "source": "---\nx: a: b\n---"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    text = api.notebook_to_qmd(notebook)
    assert text == "<!-- cell raw -->\n\n---\nx: a: b\n---\n"
    again = qmd.parse(text)
    assert [(c.cell_type, c.source) for c in again.cells] == [("raw", "---\nx: a: b\n---")]
    assert roundtrip.notebook_round_trips(json.dumps(notebook))


# Texts for the check below: plain mappings (the parser-events path), and each feature that
# sends peek_yaml to composing nodes (anchors, merge keys, several documents, escapes, keys).
PEEK_TEXTS = [
    "",
    "# only a comment\n",
    "title: x\n",
    "title: x\ndate: 2024-10-17\ncategories: [a, b]\n",
    "{title: x, n: 1}",
    "? [complex, key]\n: value\n",
    "? title\n: x\n1: one\n",
    "!!str title: x\n",
    "title: !expr Sys.Date()\n",
    "- a list\n",
    "a scalar\n",
    "~\n",
    "[]\n",
    "!!map {a: 1}\n",
    "description: |\n  a block\n  of text\n",
    "title: R & D\nsubtitle: 3 * 4\n",
    "title: x\n---\nsecond: document\n",
    "title: x\n...\n",
    "---\ntitle: x\n",
    "...\n",
    "title: a&b*c\n",
    "a: 1\r---\rb: 2\n",
    "a: 1\r\n---\r\nb: 2\r\n",
    "a: 1\x85---\x85b: 2\n",
    "a: 1\u2028---\u2028b: 2\n",
    "a: 1\u2029...\u2029",
    "a: 1\n\ufeff---\nb: 2\n",
    "title: café\n",
    "base: &b {jupyter: ir}\n<<: *b\n",
    "base: &b {a: 1}\nother: *b\n",
    "a: &x 1\nb: &x 2\n",
    "a: *nothing\n",
    '"\\x6aupyter": ir\n',
    '"\\u0065ngine": knitr\n',
    "jupyter: python3\n",
    "engine: knitr\n",
    "jupyter:\n  kernelspec:\n    name: ir\n    language: R\n",
    "!!merge x: 1\n",
    "title: x\nbad: a: b\n",
    "title: [unclosed\n",
    "title: 'unclosed\n",
    "\tbad: tab\n",
    "a: 1\n a: 2\n",
    "title: x\n  - item\n",
    "%YAML 1.1\n",
    "title: \x07\n",
    "@reserved: x\n",
    "title: !<!bad>\n",
    "title: !x!y z\n",
    "- [a, b\n",
    "key: value\n- item\n",
    "{a: 1}\n{b: 2}\n",
    "title: x\n- item\n",
    "title:x\n",
    "title:\n",
    "title: x\n  nested: [\n",
    "a-b_c: 1\nlist:\n- a\n- b\n",
    "title: 'x'\nother: \"y\"\n",
    "title: x\n\tbad\n",
    "title: x\ntitle: y\n",
    "title: x\n# a comment\n",
    "title: x\n---\n",
    "title: search engine\n",
    "format:\n  jupyter: x\n",
    "jupyter_x: 1\n",
    "title: x\n'jupyter': ir\n",
    'title: x\n"jupyter": ir\n',
    "title: x\n? jupyter\n: ir\n",
    "title: x\n!!str jupyter: ir\n",
    "description: |\n  a\njupyter: ir\n",
    "title: x\n{jupyter: ir}: y\n",
    'title: "a\njupyter: b"\n',
    "title: 'a\n  jupyter: b'\n",
    "title: x\n  engine: knitr\n",
    "title: x\nengine :  knitr\n",
]


@pytest.mark.parametrize("text", PEEK_TEXTS)
@pytest.mark.parametrize("keys", [frozenset({"jupyter", "engine"}), frozenset({"title"})])
def test_peek_without_nodes_answers_as_composing_does(
    text: str, keys: frozenset[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def peek() -> object:
        try:
            return frontmatter.peek_yaml(text, keys)
        except yaml.YAMLError as exc:
            return (type(exc), str(exc))

    fast = peek()
    monkeypatch.setattr(frontmatter, "_CParser", None)  # always compose the node tree
    assert fast == peek()


@pytest.mark.parametrize(("body", "kind"), [("hello", "str"), ("- a", "list"), ("3", "int")])
def test_a_front_matter_that_is_not_a_mapping_is_named(body: str, kind: str) -> None:
    from nbpost import qmd

    with pytest.raises(FrontMatterError, match=rf"post.qmd:2: .*mapping, not a {kind}\Z"):
        qmd.parse(f"---\n{body}\n---\n", "post.qmd")


BLOCK_PIECES = ["---", "...", "title: x", "", " ", "--- x", "---\r", "a: b", "\t", "...x"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(BLOCK_PIECES), min_size=1, max_size=7))
def test_the_quick_look_at_a_front_matter_block_agrees_with_its_lines(pieces: list[str]) -> None:
    from nbpost.qmd import layout

    source = "\n".join(pieces)
    quick = layout._plain_block_parts(source)
    lines = layout.yaml_block_lines(source)
    if quick is not None:
        assert lines is not None
        assert quick == ("\n".join(lines), "\n".join(lines[1:-1]))


def test_a_plain_front_matter_block_is_read_without_splitting_lines() -> None:
    from nbpost.qmd import layout

    assert layout._plain_block_parts("---\ntitle: x\n---") == ("---\ntitle: x\n---", "title: x")
    assert layout._plain_block_parts("---\ntitle: x\n---\n---") is None  # closes earlier
    assert layout._plain_block_parts(" ---\ntitle: x\n---") is None
