"""Which files are posts: Quarto's input rules (project/inputs.py), on the fixture blog.

Items 6, 7 and 8 of docs/quarto-compat.md: files Quarto never renders, pages Quarto renders
twice, project.render and the notebook folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nbpost.blog.build import build_blog
from nbpost.blog.read.collect import collect_blog
from nbpost.project.inputs import ignored_name, render_list, rendered_documents

POSTS = [
    "posts/2024-06-01-spaces/index.qmd",
    "posts/2024-04-01-bold-notebook/index.ipynb",
    "posts/2024-03-05-md-pair/index.md",
    "posts/2024-02-20-metadata-image/index.qmd",
    "https://other.example/guest",
    "posts/2024-01-10-relative-image/index.qmd",
]


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        ("README.md", True),
        ("README.Rmd", True),
        ("README.rmd", True),
        ("README.qmd", True),
        ("readme.md", False),  # the glob **/README.?([Rrq])md is case sensitive
        ("README.markdown", False),
        ("README.Qmd", False),
        ("CLAUDE.md", True),
        ("CLAUDE.local.md", True),
        ("AGENTS.md", True),
        ("AGENTS.local.md", True),
        ("notes.llms.md", True),
        ("_partial.qmd", True),
        (".hidden.qmd", True),
        ("index.qmd", False),
    ],
)
def test_quarto_ignore_globs(name: str, ignored: bool) -> None:
    """projectHiddenIgnoreGlob in quarto-cli's src/project/project-context.ts."""
    assert ignored_name(name) is ignored


def test_files_quarto_never_renders_are_never_posts(fixture_blog: Path) -> None:
    """posts/README.md, AGENTS.md and guide.llms.md sit where the listing looks: not posts."""
    blog = collect_blog(fixture_blog)
    assert [post.source for post in blog.posts] == POSTS
    result = build_blog(fixture_blog, quiet=True)
    feed = (fixture_blog / "feeds/index.xml").read_text(encoding="utf-8")
    assert "README" not in feed and "AGENTS" not in feed and "llms" not in feed
    assert result.errors == []


def test_a_page_quarto_renders_twice_is_one_post_with_a_warning(fixture_blog: Path) -> None:
    """index.md beside index.ipynb: both Quarto inputs (a notebook is hidden only by a .qmd,
    jupyter.ts intermediateFiles); nbpost lists the page once and says why."""
    blog = collect_blog(fixture_blog)
    hrefs = [post.href for post in blog.posts]
    assert hrefs.count("/posts/2024-03-05-md-pair/") == 1
    (warning,) = [w for w in blog.warnings if "md-pair" in w]
    assert "Quarto renders index.md and index.ipynb to the same page index.html" in warning
    assert "index.qmd" in warning and "notebook-dir" in warning


def test_a_qmd_or_script_hides_its_notebook_silently() -> None:
    """X.qmd, X.py, X.jl, X.r or X.q beside X.ipynb: Quarto drops the notebook, no warning."""
    docs = ["a/x.qmd", "a/x.ipynb", "b/y.ipynb", "c/z.ipynb", "d/w.Rmd", "d/w.ipynb"]
    found = rendered_documents(docs, ["b/y.py", "c/z.R"])
    assert found.documents == ["a/x.qmd", "c/z.ipynb", "d/w.Rmd"]
    assert len(found.warnings) == 1 and "d/w.Rmd" in found.warnings[0]


def test_keep_md_files_are_dropped_only_beside_their_input() -> None:
    """X.html.md and X-html.md beside X.qmd are Quarto's intermediates; alone they render."""
    found = rendered_documents(["a/x.qmd", "a/x.html.md", "a/x-gfm.md", "b/y.html.md"])
    assert found.documents == ["a/x.qmd", "b/y.html.md"]


def test_rmarkdown_and_markdown_posts_are_read(fixture_blog: Path) -> None:
    """.Rmd, .rmarkdown and .markdown are Quarto documents (rmd.ts, markdown.ts), rendered
    here once project.render names them too."""
    config = fixture_blog / "_quarto.yml"
    extra = '    - "*.Rmd"\n    - "*.markdown"\n    - "*.rmarkdown"\n'
    config.write_text(
        config.read_text("utf-8").replace('    - "!notebooks/"\n', extra + '    - "!notebooks/"\n')
    )
    for name, ext in (("r-post", "Rmd"), ("long-md", "markdown"), ("rm", "rmarkdown")):
        folder = fixture_blog / "posts" / f"2023-01-0{len(name) % 9}-{name}"
        folder.mkdir()
        (folder / f"index.{ext}").write_text(
            f"---\ntitle: {name}\ndate: 2023-01-01\ncategories: [R]\n---\n\nText.\n", "utf-8"
        )
    titles = {post.title for post in collect_blog(fixture_blog).posts}
    assert {"r-post", "long-md", "rm"} <= titles


def test_the_notebook_folder_is_never_collected(fixture_blog: Path) -> None:
    """A listing without contents at the root lists the whole project (Quarto's default):
    the paired notebooks in `nbpost: notebook-dir` are still not posts, and no post is counted
    twice (the reported case: 29 posts, 14 of them twice, feeds linking /notebooks/...)."""
    (fixture_blog / "blog.qmd").write_text("---\ntitle: Posts\nlisting: true\n---\n", "utf-8")
    config = fixture_blog / "_quarto.yml"  # and Quarto renders the notebooks too
    config.write_text(config.read_text(encoding="utf-8").replace('    - "!notebooks/"\n', ""))
    result = build_blog(fixture_blog, quiet=True)
    registry = json.loads((fixture_blog / "categories.json").read_text(encoding="utf-8"))
    assert not [source for source in registry["posts"] if source.startswith("notebooks/")]
    hrefs = [entry["href"] for entry in registry["posts"].values()]
    assert len(hrefs) == len(set(hrefs))
    for feed in (fixture_blog / "feeds").iterdir():
        assert "/notebooks/" not in feed.read_text(encoding="utf-8")
    assert any("blog.qmd: listing has no contents" in w for w in result.warnings)


def test_a_notebook_folder_quarto_renders_is_reported(fixture_blog: Path) -> None:
    """Without the `!notebooks/` entry Quarto renders the notebooks as pages of their own."""
    config = fixture_blog / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8").replace('    - "!notebooks/"\n', ""))
    warnings = collect_blog(fixture_blog).warnings
    (warning,) = [w for w in warnings if "renders the notebooks in" in w]
    assert "name the folder _notebooks" in warning and '"!notebooks/"' in warning
    config.write_text(config.read_text(encoding="utf-8").replace("notebooks", "_notebooks"))
    again = collect_blog(fixture_blog).warnings
    assert not [w for w in again if "renders the notebooks in" in w]


def test_project_render_exclusions_are_honoured(fixture_blog: Path) -> None:
    """A post left out of project.render is not rendered, so it is not listed."""
    config = fixture_blog / "_quarto.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            '    - "!notebooks/"\n',
            '    - "!notebooks/"\n    - "!posts/2024-02-20-metadata-image/"\n',
        )
    )
    sources = [post.source for post in collect_blog(fixture_blog).posts]
    assert "posts/2024-02-20-metadata-image/index.qmd" not in sources
    assert len(sources) == len(POSTS) - 1


@pytest.mark.parametrize(
    ("patterns", "rendered"),
    [
        (["**/*.qmd"], ["posts/a.qmd", "notebooks/n.qmd"]),
        (["**/*.qmd", "!notebooks/"], ["posts/a.qmd"]),
        (["*.qmd", "*.ipynb", "!notebooks/"], ["posts/a.qmd", "posts/b.ipynb"]),
        (["posts/a.qmd"], ["posts/a.qmd"]),
        (["/posts/"], ["posts/a.qmd", "posts/b.ipynb"]),
        # A folder entry keeps everything below it even when a `!` entry names a file in it:
        # Quarto subtracts the expanded paths, and the folder itself is not excluded.
        (["posts", "!posts/b.ipynb"], ["posts/a.qmd", "posts/b.ipynb"]),
        (["**/*.md"], []),
    ],
)
def test_render_list_resolves_like_resolve_globs(patterns: list[str], rendered: list[str]) -> None:
    """resolvePathGlobs/resolveGlobs (src/core/path.ts) in mode "auto", then
    projectInputFiles (project-context.ts): files kept, folders walked."""
    documents = ["notebooks/n.qmd", "posts/a.qmd", "posts/b.ipynb"]
    found, _ = render_list(patterns, documents, {"", "posts", "notebooks"})
    assert sorted(found) == sorted(rendered)


def test_a_listing_page_is_never_a_post(built_fixture: Path) -> None:
    """posts/index.qmd has `listing: true` and sits in the listed folder: it is a page, not an
    undated post in the feeds."""
    registry = json.loads((built_fixture / "categories.json").read_text(encoding="utf-8"))
    assert "posts/index.qmd" not in registry["posts"]
    assert registry["listing-pages"] == ["blog.qmd", "posts/index.qmd"]
    feed = (built_fixture / "feeds/index.xml").read_text(encoding="utf-8")
    assert "Everything in posts/" not in feed


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        ("node_modules", True),  # engine.ts engineIgnoreDirs
        ("venv", True),  # jupyter.ts ignoreDirs
        ("env", True),
        ("renv", True),  # rmd.ts ignoreDirs
        ("packrat", True),
        ("rsconnect", True),
        ("_freeze", True),
        (".ipynb_checkpoints", True),
        ("index_files", False),  # Quarto does not skip *_files folders
        ("posts", False),
    ],
)
def test_quarto_ignored_folders(name: str, ignored: bool) -> None:
    from nbpost.project.inputs import ignored_folder

    assert ignored_folder(name) is ignored
