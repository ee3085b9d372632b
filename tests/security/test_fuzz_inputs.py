"""Random notebook JSON and random front matter through ``convert``, ``pair`` and ``sync``.

Whatever the input, a run ends with an exit status (0, 1 or 2), prints no traceback, gives
at most one error line per input (each naming its file, none an "internal error": every bad
value is caught where it enters), writes nothing outside its folder and no output for an
input it refused. Most examples run in process (``nbpost.cli.main``); a few as real
processes.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nbpost.cli import main

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=12),
    st.sampled_from(["\ud800", "\udfff", "../../x", "/tmp/x", "C:\\x", "\x00", "-->", "```"]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


SOURCES = st.lists(
    st.sampled_from(
        [
            "text",
            "",
            "  ",
            "---",
            "title: x",
            "title: [oops",
            "```{python}",
            "```",
            "~~~",
            "<!-- cell -->",
            '<!-- cell {"lines": 2} -->',
            "<!--",
            "-->",
            "#| id: ../../x",
            "#| tags: [a]",
            "![x](attachment:../y.png)",
            "\t\tx",
            "\r",
            "é",
        ]
    ),
    max_size=6,
).map("\n".join)


@st.composite
def valid_cells(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["markdown", "code", "raw"]))
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": draw(st.sampled_from(["a", "b", "c-1", "x_2"])),
        "metadata": {},
        "source": draw(st.one_of(SOURCES, st.lists(SOURCES, max_size=3))),
    }
    if kind == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    elif draw(st.booleans()):
        cell["attachments"] = {"x.png": {"image/png": "iVBORw=="}}
    return cell


# True about once in ten draws (hypothesis favours small integers and first elements).
RARELY = st.sampled_from([False] * 9 + [True])

# Where a mutation lands: a path of keys (an int picks a cell), and what it does there.
MUTATION_PATHS = [
    ("nbformat",),
    ("nbformat_minor",),
    ("cells",),
    ("metadata",),
    ("metadata", "kernelspec"),
    ("metadata", "kernelspec", "name"),
    ("metadata", "kernelspec", "language"),
    ("metadata", "language_info"),
    ("metadata", "language_info", "name"),
    ("metadata", "nbpost"),
    *[("metadata", "nbpost", fact) for fact in ("newline", "bom", "final_newline", "trailing")],
    *[(0, key) for key in ("cell_type", "source", "metadata", "id", "outputs", "attachments")],
    (0, "metadata", "id"),
    (0, "metadata", "tags"),
    (0, "metadata", "raw_mimetype"),
    (0, "metadata", "nbpost"),
    *[
        (0, "metadata", "nbpost", fact)
        for fact in (
            "before",
            "fence",
            "header",
            "close",
            "indent",
            "options",
            "marker_text",
            "marker",
            "literal",
            "raw_header",
            "after_marker",
            "one_blank_line",
        )
    ],
    (0, "attachments", "x.png"),
    (0, "attachments", "x.png", "image/png"),
    (0, "attachments", "../../y.png"),
    (0, "outputs", 0),
]


def mutate(data: dict[str, Any], path: tuple[Any, ...], value: Any, delete: bool) -> None:
    """Set (or delete) ``path`` in ``data``, creating the dicts on the way."""
    node: Any = data
    steps: list[Any] = list(path)
    if isinstance(steps[0], int):
        cells = data.get("cells")
        if not isinstance(cells, list) or not cells:
            return
        node = cells[steps.pop(0) % len(cells)]
    for step in steps[:-1]:
        if not isinstance(node, dict):
            return
        node = node.setdefault(step, {})
    last = steps[-1]
    if isinstance(node, list) and isinstance(last, int):
        node.append(value)
    elif isinstance(node, dict) and delete:
        node.pop(last, None)
    elif isinstance(node, dict):
        node[last] = value


@st.composite
def notebooks(draw: st.DrawFn) -> str:
    data: dict[str, Any] = {
        "cells": draw(st.lists(valid_cells(), max_size=4)),
        "metadata": {
            "kernelspec": {"display_name": "P", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": draw(st.integers(0, 5)),
    }
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 0, 3]))):
        path = draw(st.sampled_from(MUTATION_PATHS))
        value = draw(st.one_of(JSON_SCALARS, JSON_SCALARS, JSON_VALUES))
        mutate(data, path, value, draw(RARELY))
    text = json.dumps(data)
    if draw(RARELY):
        text = text[: draw(st.integers(1, len(text)))]  # truncated JSON
    return text


FRONT_MATTER = st.lists(
    st.sampled_from(
        [
            "title: Hello",
            'title: "Quoted: yes"',
            "title: [oops",
            "date: 2024-13-45",
            "jupyter: python3",
            "jupyter: {kernelspec: 5}",
            "jupyter:\n  kernelspec:\n    name: x\n    language: C#",
            "engine: knitr",
            "categories: [a, b]",
            "a: &x [1, 2]\nb: *x",
            "\ttab: 1",
            "- a list",
            "key: '\\ud800'",
            "nested: " + "[" * 60 + "]" * 60,
        ]
    ),
    max_size=4,
).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\n")

BODY = st.lists(
    st.sampled_from(
        [
            "Text.",
            "```{python}\n1 + 1\n```",
            "```{python}\nunclosed",
            "<!-- cell -->",
            '<!-- cell {"tags": ' + "[" * 60 + "]" * 60 + "} -->",
            "<!-- cell raw -->\n```{=html}\n<b>\n```",
            "```{{python}}\nshown\n```",
            "```{r}\n1\n```",
            "<!--\n```{python}\nx\n```\n-->",
        ]
    ),
    max_size=4,
).map("\n\n".join)

POSTS = st.builds(
    lambda fm, body: fm + "\n" + body + "\n", st.one_of(FRONT_MATTER, st.just("")), BODY
)


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    return status, err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def check_run(status: int, err: str, inputs: list[Path]) -> list[str]:
    """Assert the run's contract; return the error lines."""
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("nbpost: error:")]
    assert len(errors) <= len(inputs), err
    names = [str(path) for path in inputs]
    for line in errors:
        assert any(name in line for name in names), line
    return errors


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(notebooks(), min_size=1, max_size=3), POSTS)
def test_random_notebooks_and_posts_through_convert_pair_and_sync(
    texts: list[str], post: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = base / "root"
        root.mkdir()
        (base / "outside.txt").write_text("sentinel")
        notebooks_in = []
        for number, text in enumerate(texts):
            path = root / f"n{number}.ipynb"
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            notebooks_in.append(path)
        good = root / "good.qmd"
        good.write_text("Fine.\n")
        status, err = run(["convert", *map(str, notebooks_in), str(good)])
        errors = check_run(status, err, [*notebooks_in, good])
        assert (root / "good.ipynb").is_file()
        for path in notebooks_in:
            if any(str(path) in line for line in errors):
                assert not path.with_suffix(".qmd").exists()

        text_post = root / "p.qmd"
        text_post.write_bytes(post.encode("utf-8"))
        status, err = run(["pair", str(text_post), str(notebooks_in[0])])
        check_run(status, err, [text_post, notebooks_in[0]])
        status, err = run(["sync", str(root)])
        check_run(status, err, sorted(root.glob("*.ipynb")) + sorted(root.glob("*.qmd")))
        status, err = run(["convert", "--check", str(root)])
        check_run(status, err, sorted(root.glob("*.ipynb")) + sorted(root.glob("*.qmd")))

        assert sorted(p.name for p in base.iterdir()) == ["outside.txt", "root"]
        assert (base / "outside.txt").read_text() == "sentinel"
        assert not Path("/tmp/pwn").exists() and not Path("/tmp/x").exists()


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(notebooks(), min_size=2, max_size=2))
def test_random_notebooks_through_a_real_nbpost_process(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = []
        for number, text in enumerate(texts):
            path = root / f"n{number}.ipynb"
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            paths.append(path)
        completed = subprocess.run(
            [sys.executable, "-m", "nbpost", "convert", *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        check_run(completed.returncode, completed.stderr, paths)
