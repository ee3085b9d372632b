"""The blog's front matter loader gives exactly what ``yaml.load`` with Quarto's loader gives."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
import yaml

from nbpost.blog.read.fastyaml import load, parse_front_matter
from nbpost.errors import FrontMatterError
from nbpost.frontmatter import QuartoYamlLoader, parse_yaml

CASES = [
    "",
    "# only a comment",
    "title: Hello\ndate: 2024-01-02\ncategories: [a, b]",
    "a: yes\nb: True\nc: ~\nd: 1.5\ne: 0x1F\nf: .inf\ng: 1_000\nh: -.nan\ni: null\nj: FALSE",
    "a: &x [1, 2]\nb: *x\nc: [*x, *x]",
    "a: &x {p: q}\nb: *x\nc: [*x]",
    "a:\n  - &s foo\n  - *s",
    "a: &r [1, *r]",
    "a: &m {b: {c: *m}}",
    "&top {a: *top}",
    "<<: {a: 1}\nb: 2",
    "base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2",
    "=: 1",
    "a: !expr Sys.Date()",
    "a: !local {b: 1}",
    "a: !!str 12",
    "a: !!int '7'",
    "a: !!float '1'",
    "a: !!bool 'yes'",
    "a: !!null ''",
    "a: !!seq [1]",
    "a: !!map {b: 1}",
    "a: !!binary aGVsbG8=",
    "a: !!timestamp 2024-01-01",
    "a: !!set {x, y}",
    "{1: a, null: b, true: c, 1.5: d, ~: e}",
    "? [a]\n: 1",
    "? {a: 1}\n: 1",
    "- 1\n- two",
    "just text",
    "a: [1, [2, [3, {x: [y, {z: ~}]}]]]",
    "a: |\n  text\n  more\n",
    "title: 'quoted: colon'\nauthor:\n  - name: A\n    affiliation: B",
    "a: 1\na: 2",
]


def _outcome(function, text: str) -> tuple:
    try:
        value = function(text)
    except Exception as exc:  # the same exception, with the same message
        return ("error", type(exc).__name__, str(exc))
    # pickle keeps which objects are shared (aliases) and self-containing values
    return ("value", repr(value), pickle.dumps(value))


@pytest.mark.parametrize("text", CASES)
def test_load_equals_yaml_load(text: str) -> None:
    expected = _outcome(lambda t: yaml.load(t, Loader=QuartoYamlLoader), text)
    assert _outcome(load, text) == expected


def test_aliases_share_one_object() -> None:
    data = load("a: &x [1, 2]\nb: *x\nc: &m {k: v}\nd: *m")
    assert data["a"] is data["b"]
    assert data["c"] is data["d"]


@pytest.mark.parametrize("text", ["a: [1", "- a\n- b", "plain", "a: 1\n b: 2"])
def test_errors_are_the_same(text: str) -> None:
    with pytest.raises(FrontMatterError) as expected:
        parse_yaml(text, "post.qmd", 2)
    with pytest.raises(FrontMatterError) as got:
        parse_front_matter(text, "post.qmd", 2)
    assert str(got.value) == str(expected.value)


FENCED = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


@pytest.mark.corpus
def test_corpus_front_matter(corpus_dir: Path) -> None:
    checked = 0
    for path in sorted(corpus_dir.rglob("*")):
        if path.suffix not in (".qmd", ".md") or not path.is_file():
            continue
        try:
            match = FENCED.match(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
        if match:
            text = match.group(1)
            expected = _outcome(lambda t: yaml.load(t, Loader=QuartoYamlLoader), text)
            assert _outcome(load, text) == expected, path
            checked += 1
    assert checked > 100
