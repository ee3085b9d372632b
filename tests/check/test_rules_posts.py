"""Each finding code about posts, on fixture blogs: categories, dates, metadata, links, chunks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from checkhelpers import findings, lines, make_blog, post


def test_nb001_a_post_nbpost_cannot_read(tmp_path: Path) -> None:
    root = make_blog(tmp_path, {"posts/a.qmd": "---\ntitle: [unclosed\n---\n"})
    [found] = findings(root, "NB001")
    assert found.path == f"{root}/posts/a.qmd" and found.severity == "error"


def test_nb101_one_category_spelled_two_ways(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["Python"]),
            "posts/b.qmd": post("B", categories=["Python", "x"]),
            "posts/c.qmd": post("C", categories=["python"]),
        },
    )
    assert lines(root, "NB101") == [
        f"{root}/posts/c.qmd:4: NB101 category 'python' is spelled 'Python' in 2 other posts; "
        "Quarto's own listings show them apart (--fix writes 'Python')"
    ]


def test_nb102_probably_the_same_categories(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["data science", "notebooks", "visualisation"]),
            "posts/b.qmd": post("B", categories=["data science", "notebooks", "visualisation"]),
            "posts/c.qmd": post("C", categories=["data-science", "notebook", "visualization"]),
            # different things, however close: digits, and a letter at either end
            "posts/d.qmd": post("D", categories=["python2", "python3", "llama", "ollama", "R"]),
            "posts/e.qmd": post("E", categories=["C"]),
        },
    )
    messages = [f.message for f in findings(root, "NB102")]
    assert len(messages) == 3, messages
    assert any(
        "'data-science' (1 post) and 'data science' (2)" in m and "(hyphen or spacing)" in m
        for m in messages
    )
    assert any("'notebook' (1 post) and 'notebooks' (2)" in m and "plural" in m for m in messages)
    assert any(
        "'visualization' (1 post) and 'visualisation' (2)" in m
        and "aliases: ['visualization']" in m
        for m in messages
    )


def test_nb102_not_reported_for_labels_made_only_of_punctuation(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["...", "."]),
            "posts/b.qmd": post("B", categories=["-"]),
        },
    )
    assert findings(root, "NB102") == []


def test_nb103_category_items_that_name_no_category(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["Python", None, "  ", {"a": 1}, ["b"], 3, "\a"]),
            "posts/b.qmd": "---\ntitle: B\ncategories:\n  - R\n  -\n---\n",
            "posts/c.qmd": post("C", categories=""),
            "posts/d.qmd": "---\ntitle: D\ncategories:\n---\n",  # none at all: fine
        },
    )
    assert lines(root, "NB103") == [
        f"{root}/posts/a.qmd:4: NB103 category 2 is null: no category is made of it (remove it)",
        f"{root}/posts/a.qmd:4: NB103 category 3 is empty: no category is made of it (remove it)",
        f"{root}/posts/a.qmd:4: NB103 category 4 is a mapping: no category is made of it "
        "(remove it)",
        f"{root}/posts/a.qmd:4: NB103 category 5 is a list: no category is made of it (remove it)",
        f"{root}/posts/a.qmd:4: NB103 category 7 is made of control characters only: no category "
        "is made of it (remove it)",
        f"{root}/posts/b.qmd:3: NB103 category 2 is null: no category is made of it (remove it)",
        f"{root}/posts/c.qmd:4: NB103 category 1 is empty: no category is made of it (remove it)",
    ]


def test_nb102_not_reported_once_an_alias_merges_them(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", categories=["notebooks"]),
            "posts/b.qmd": post("B", categories=["notebook"]),
            "_categories.yml": "notebooks:\n  aliases: [notebook]\n",
        },
    )
    assert findings(root, "NB102", "NB101") == []


def test_nb201_a_date_that_cannot_be_read(tmp_path: Path) -> None:
    root = make_blog(tmp_path, {"posts/a.qmd": post(date="2024-13-45")})
    assert lines(root, "NB201") == [f"{root}/posts/a.qmd:3: NB201 cannot read date '2024-13-45'"]


def test_nb202_an_ambiguous_date(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", date="03/04/2024"),
            "posts/b.qmd": post("B", date="03/24/2024"),  # only March 24
            "posts/c.qmd": post("C", date="2024-03-04"),
        },
    )
    [found] = findings(root, "NB202")
    assert found.path.endswith("posts/a.qmd") and "March 4, 2024" in found.message
    assert "write 2024-03-04" in found.message


def test_nb203_a_date_in_the_future_unless_a_draft(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", date="2999-01-01"),
            "posts/b.qmd": post("B", date="2999-01-01", draft=True),
            "posts/c.qmd": post("C", date=dt.date.today().isoformat()),
        },
    )
    assert lines(root, "NB203") == [f"{root}/posts/a.qmd:3: NB203 date 2999-01-01 is in the future"]


def test_nb204_a_date_that_disagrees_with_the_folder_name(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/2024-01-02-a/index.qmd": post("A", date="2024-01-03"),
            "posts/2024-01-05-b/index.qmd": post("B", date="01/05/2024"),
            "posts/2024-02-01-c.qmd": post("C", date="2024-02-02"),
        },
    )
    assert sorted(lines(root, "NB204")) == [
        f"{root}/posts/2024-01-02-a/index.qmd:3: NB204 date 2024-01-03 disagrees with the "
        "folder name's 2024-01-02",
        f"{root}/posts/2024-02-01-c.qmd:3: NB204 date 2024-02-02 disagrees with the folder "
        "name's 2024-02-01",
    ]


def test_nb301_nb302_nb303_missing_title_date_description(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post(None),
            "posts/b.qmd": post("B", None),
            "posts/c.qmd": post("C", description=None),
            "posts/d.qmd": post(None, None, description=None, draft=True),  # work in progress
        },
    )
    assert [(f.code, Path(f.path).name) for f in findings(root, "NB301", "NB302", "NB303")] == [
        ("NB301", "a.qmd"),
        ("NB302", "b.qmd"),
        ("NB303", "c.qmd"),
    ]


def test_nb304_an_image_that_does_not_exist(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a/index.qmd": post("A", image="missing.png"),
            "posts/b/index.qmd": post("B", image="thumb.png"),
            "posts/b/thumb.png": b"\x89PNG",
            "posts/c/index.qmd": post("C", image="/shared/banner.png"),
            "shared/banner.png": b"\x89PNG",
            "posts/d/index.qmd": post("D", image="https://example.com/x.png"),
        },
    )
    assert lines(root, "NB304") == [
        f"{root}/posts/a/index.qmd:4: NB304 image 'missing.png' does not exist "
        "(looked for posts/a/missing.png)"
    ]


def test_nb305_nb306_duplicate_titles_and_slugs(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/2023-05-01-hello/index.qmd": post("Hello", date="2023-05-01"),
            "posts/2024-06-01-hello/index.qmd": post("Hello again", date="2024-06-01"),
            "posts/x.qmd": post("Same title"),
            "posts/y.qmd": post("Same  title"),
        },
    )
    assert [(f.code, f.path.split("/posts/")[1]) for f in findings(root, "NB305", "NB306")] == [
        ("NB306", "2024-06-01-hello/index.qmd"),
        ("NB305", "y.qmd"),
    ]


def test_nb401_a_published_post_links_to_a_draft(tmp_path: Path) -> None:
    files = {
        "posts/a/index.qmd": post("A") + "See [the next one](../b/index.qmd).\n",
        "posts/b/index.qmd": post("B", draft=True),
    }
    root = make_blog(tmp_path / "gone", files)
    [found] = findings(root, "NB401")
    assert found.line == 8 and found.severity == "error" and "a draft" in found.message
    # with draft-mode: visible Quarto renders drafts, so the link works
    visible = make_blog(tmp_path / "visible", files)
    config = visible / "_quarto.yml"
    config.write_text(config.read_text() + "  draft-mode: visible\n")
    assert findings(visible, "NB401") == []


def test_nb402_a_link_to_a_post_that_does_not_resolve(tmp_path: Path) -> None:
    body = (
        "[ok](../b/index.qmd) [ok too](/posts/b/) [html](../b/index.html#part)\n"
        "[gone](../missing/) [typo](../b/indx.qmd) [old](/posts/c.html)\n"
        "[site](https://example.com/x) [mail](mailto:a@b.c) [anchor](#top) [pdf](paper.pdf)\n"
        "```\n[in code](../nowhere/)\n```\n`[inline](../nowhere/)`\n"
    )
    root = make_blog(
        tmp_path, {"posts/a/index.qmd": post("A") + body, "posts/b/index.qmd": post("B")}
    )
    assert [(f.line, f.message) for f in findings(root, "NB402")] == [
        (9, "link '../b/indx.qmd' does not resolve to a page"),
        (9, "link '../missing/' does not resolve to a page"),
        (9, "link '/posts/c.html' does not resolve to a page"),
    ]


def test_nb402_links_in_a_notebook_post(tmp_path: Path) -> None:
    notebook = (
        '{"cells": [{"cell_type": "raw", "metadata": {}, "source": ["---\\n", '
        '"title: N\\n", "date: 2024-01-01\\n", "description: d\\n", "---"]}, '
        '{"cell_type": "markdown", "metadata": {}, "source": ["Read [this](../gone/)."]}], '
        '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    root = make_blog(tmp_path, {"posts/n/index.ipynb": notebook})
    assert [f.message for f in findings(root, "NB402")] == [
        "link '../gone/' does not resolve to a page"
    ]


def test_nb601_chunk_syntax_quarto_would_run(tmp_path: Path) -> None:
    shown = "````markdown\n```{python}\n1 + 1\n```\n````\n"
    commented = "<!--\n```{python}\n2 + 2\n```\n-->\n"
    escaped = "````markdown\n```{{python}}\n1 + 1\n```\n````\n"
    real = "```{python}\n3 + 3\n```\n"
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A") + shown + real + commented,
            "posts/b.qmd": post("B") + escaped + real,
            "posts/c.md": post("C") + shown,  # .md: the markdown engine runs nothing
        },
    )
    assert [(Path(f.path).name, f.line) for f in findings(root, "NB601")] == [
        ("a.qmd", 9),
        ("a.qmd", 17),
    ]


def test_nb602_a_chunk_option_given_twice(tmp_path: Path) -> None:
    twice = "```{python}\n#| tags: [a]\n#| echo: false\n#| tags: [b]\n1 + 1\n```\n"
    nested = "```{python}\n#| fig-cap: |\n#|   tags: [x]\n#| tags: [y]\n2 + 2\n```\n"
    other = "```{bash}\n#| echo: false\n#| echo: true\nls\n```\n"  # not run by the kernel
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A") + "\n" + twice + "\n" + nested + "\n" + other,
            "posts/b.md": post("B") + twice,  # .md: the markdown engine runs nothing
        },
    )
    found = findings(root, "NB602")
    assert [(Path(f.path).name, f.line, f.severity) for f in found] == [("a.qmd", 12, "error")]
    assert found[0].message.startswith("option 'tags' is given twice in this chunk")


def test_nb603_a_jupyter_entry_quarto_refuses(tmp_path: Path) -> None:
    complete = {"name": "python3", "language": "python", "display_name": "Python 3"}
    no_language = {"name": "python3", "display_name": "Python 3"}
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", jupyter={"kernelspec": no_language}),
            "posts/b.qmd": post("B", jupyter=True),
            "posts/c.qmd": post("C", jupyter={}),  # an object to JavaScript: no kernelspec
            "posts/d.qmd": post("D", jupyter={"kernelspec": ["python3"]}),
            # what Quarto reads: a kernel name, a whole kernelspec, a kernel to fall back on
            "posts/e.qmd": post("E", jupyter="python3"),
            "posts/f.qmd": post("F", jupyter={"kernelspec": complete}),
            "posts/g.qmd": post("G", jupyter={"kernelspec": no_language, "kernel": "python3"}),
            "posts/h.qmd": post("H", jupyter=False),  # false: Quarto picks a kernel itself
            "posts/i.qmd": post("I", jupyter={"kernelspec": no_language}, engine="knitr"),
            "posts/j.md": post("J", jupyter=True),  # .md: the markdown engine runs nothing
        },
    )
    found = findings(root, "NB603")
    assert [(Path(f.path).name, f.line, f.severity) for f in found] == [
        ("a.qmd", 4, "error"),
        ("b.qmd", 4, "error"),
        ("c.qmd", 4, "error"),
        ("d.qmd", 4, "error"),
    ]
    reasons = [f.message.split("(", 1)[1].split(")")[0] for f in found]
    assert reasons == [
        "its kernelspec has no language",
        "'jupyter: true' is neither a kernel name nor an object",
        "it has neither a kernelspec nor a kernel name",
        "it has neither a kernelspec nor a kernel name",
    ]
