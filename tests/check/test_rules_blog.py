"""Each finding code about the blog as a whole, on fixture blogs: pairs and listings."""

from __future__ import annotations

from pathlib import Path

from checkhelpers import QUARTO_YML, findings, lines, make_blog, post

from nbpost.cli import main

CODE_POST = post("Code") + "```{python}\nx = 1\n```\n"


def test_nb501_a_pair_out_of_sync(tmp_path: Path) -> None:
    root = make_blog(tmp_path, {"posts/a/index.qmd": CODE_POST})
    assert main(["pair", str(root / "posts/a/index.qmd"), "-q"]) == 0
    assert findings(root, "NB501", "NB502", "NB503") == []
    text = root / "posts/a/index.qmd"
    text.write_text(text.read_text() + "\nMore.\n")
    [found] = findings(root, "NB501")
    assert found.severity == "error"
    assert found.text() == (
        f"{root}/posts/a/index.qmd: NB501 out of sync with {root}/posts/a/index.ipynb "
        "(one side changed since the last sync); run 'nbpost sync'"
    )
    assert main(["sync", str(text), "-q"]) == 0
    assert findings(root, "NB501") == []


def test_nb502_an_orphaned_notebook(tmp_path: Path) -> None:
    config = QUARTO_YML + "nbpost:\n  notebook-dir: _notebooks\n"
    root = make_blog(tmp_path, {"_quarto.yml": config, "posts/a/index.qmd": CODE_POST})
    assert main(["pair", str(root / "posts/a/index.qmd"), "-q"]) == 0
    assert (root / "_notebooks/posts/a/index.ipynb").is_file()
    assert findings(root, "NB502") == []
    (root / "posts/a/index.qmd").rename(root / "elsewhere.qmd")  # moved away by hand
    assert lines(root, "NB502") == [
        f"{root}/_notebooks/posts/a/index.ipynb: NB502 notebook has no text side (its .qmd "
        "was moved or deleted); 'nbpost pair' (or --fix) writes one"
    ]


def test_nb503_a_post_and_notebook_that_differ_and_were_never_synced(tmp_path: Path) -> None:
    root = make_blog(tmp_path, {"posts/a/index.qmd": CODE_POST})
    assert main(["pair", str(root / "posts/a/index.qmd"), "-q"]) == 0
    (root / ".nbpost/sync.json").unlink()  # a fresh clone: no record
    assert findings(root, "NB503") == []  # they agree: nothing to say
    text = root / "posts/a/index.qmd"
    text.write_text(text.read_text().replace("x = 1", "x = 2"))
    [found] = findings(root, "NB503")
    assert found.severity == "warning" and "never synced" in found.message


def test_nb701_a_listing_without_contents_lists_other_pages(tmp_path: Path) -> None:
    page = "---\ntitle: Home\nlisting: default\n---\n"
    root = make_blog(
        tmp_path,
        {"index.qmd": page, "about.qmd": "---\ntitle: About\n---\n", "posts/a.qmd": post()},
    )
    assert lines(root, "NB701") == [
        f"{root}/index.qmd:3: NB701 listing has no contents, so it lists every page of its "
        "folder, about.qmd included; give it contents (e.g. contents: posts)"
    ]
    (root / "about.qmd").unlink()
    assert findings(root, "NB701") == []


def test_nb702_a_dated_page_no_listing_shows(tmp_path: Path) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A"),
            "notes/b.qmd": post("B"),
            "notes/c.qmd": post("C", draft=True),
            "about.qmd": "---\ntitle: About\n---\n",
        },
    )
    assert lines(root, "NB702") == [
        f"{root}/notes/b.qmd: NB702 no listing page shows this dated page"
    ]


def test_nb703_feeds_wanted_without_site_url(tmp_path: Path) -> None:
    page = "---\ntitle: Posts\nlisting:\n  contents: posts\n  feed: true\n---\n"
    config = "project:\n  type: website\nwebsite:\n  title: T\n"
    root = make_blog(tmp_path, {"_quarto.yml": config, "index.qmd": page, "posts/a.qmd": post()})
    [found] = findings(root, "NB703")
    assert found.line == 3 and "website.site-url" in found.message
    (root / "_quarto.yml").write_text(QUARTO_YML)
    assert findings(root, "NB703") == []


def test_nb704_a_generated_file_edited_by_hand(tmp_path: Path) -> None:
    root = make_blog(tmp_path, {"posts/a.qmd": post(categories=["x"])})
    assert main(["build", str(root), "-q"]) == 0
    assert findings(root, "NB704") == []
    page = root / "categories/x/index.qmd"
    assert page.is_file()
    page.write_text(page.read_text() + "\nMy own note.\n")
    [found] = findings(root, "NB704")
    assert found.path == f"{root}/categories/x/index.qmd" and found.severity == "error"
    assert "overwrites the edit" in found.message
