"""Collecting a blog like Quarto's listings: discovery, metadata merge, drafts, bad input."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from nbpost.blog.read.collect import collect_blog
from nbpost.errors import ConfigError

UTC = dt.timezone.utc


def sources(blog) -> list[str]:
    return [p.source for p in blog.posts]


def test_default_listing_finds_posts_and_skips_what_quarto_skips(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a/index.qmd": kit.post("A", "2024-01-02"),
            "posts/b.md": kit.post("B", "2024-01-03"),
            "posts/c/index.ipynb": kit.notebook("title: C\ndate: 2024-01-04"),
            "posts/_draft-partial.qmd": kit.post("partial"),
            "posts/_hidden/x.qmd": kit.post("X"),
            "posts/.secret/y.qmd": kit.post("Y"),
            # Quarto does not skip *_files folders (project-context.ts): a document there
            # is rendered, so it is listed.
            "posts/a/index_files/z.qmd": kit.post("Z"),
            "posts/c/.ipynb_checkpoints/index-checkpoint.ipynb": kit.notebook("title: C copy"),
            "posts/_freeze/w.qmd": kit.post("W"),
            "posts/a/index.html.md": kit.post("keep-md artefact"),
            "posts/README.md": kit.post("Readme"),
            "posts/notes.txt": "not a post",
            "about.qmd": kit.post("About"),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == [
        "posts/c/index.ipynb",
        "posts/b.md",
        "posts/a/index.qmd",
        "posts/a/index_files/z.qmd",
    ]
    assert [p.title for p in blog.posts] == ["C", "B", "A", "Z"]
    assert blog.errors == [] and blog.warnings == []


def test_paired_notebook_counts_once_and_the_text_file_wins(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a/index.qmd": kit.post("From qmd", "2024-01-02"),
            "posts/a/index.ipynb": kit.notebook("title: From ipynb\ndate: 2024-01-02"),
            "posts/b/post.md": kit.post("From md", "2024-01-01"),
            "posts/b/post.ipynb": kit.notebook("title: From ipynb b"),
            "posts/c/other.ipynb": kit.notebook("title: Lonely notebook\ndate: 2023-01-01"),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == ["posts/a/index.qmd", "posts/b/post.md", "posts/c/other.ipynb"]
    assert [p.href for p in blog.posts] == [
        "/posts/a/",
        "/posts/b/post.html",
        "/posts/c/other.html",
    ]
    # Quarto renders post.md and post.ipynb both (a .md does not hide a notebook): one warning.
    assert len(blog.warnings) == 1 and "posts/b/post.md: Quarto renders" in blog.warnings[0]


def test_without_a_listing_page_posts_folder_is_used(make_blog, kit) -> None:
    root = make_blog(
        {"index.qmd": kit.post("Home"), "posts/a.qmd": kit.post("A"), "notes/n.qmd": kit.post("N")}
    )
    assert sources(collect_blog(root)) == ["posts/a.qmd"]


def test_listing_contents_globs_negations_and_several_pages(make_blog, kit) -> None:
    listing = """\
    ---
    title: Blog
    listing:
      contents:
        - blog/*.qmd
        - hacks/*.qmd
        - "!hacks/index.qmd"
    ---
    """
    nested = """\
    ---
    title: Dailies
    listing:
      contents: "2024-*.qmd"
    ---
    """
    gallery = """\
    ---
    title: Talks
    listing:
      contents: talk
      template: gallery.ejs
    ---
    """
    root = make_blog(
        {
            "index.qmd": None,
            "blog.qmd": listing,
            "talks.qmd": gallery,
            "blog/2024-01-01.qmd": kit.post("one", "2024-01-01"),
            "blog/deeper/2023-01-01.qmd": kit.post("not matched by blog/*.qmd", "2023-01-01"),
            "blog/dailies/index.qmd": nested,
            "blog/dailies/2024-02-02.qmd": kit.post("daily", "2024-02-02"),
            "blog/dailies/old/2024-03-03.qmd": kit.post("deep daily", "2024-03-03"),
            "blog/dailies/2023-12-12.qmd": kit.post("not 2024", "2023-12-12"),
            "hacks/index.qmd": kit.post("Hacks index"),
            "hacks/h.qmd": kit.post("hack", "2022-01-01"),
            "talk/t/index.qmd": kit.post("a talk, listed by a gallery page", "2024-05-05"),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == [
        "blog/dailies/old/2024-03-03.qmd",
        "blog/dailies/2024-02-02.qmd",
        "blog/2024-01-01.qmd",
        "hacks/h.qmd",
    ]
    # The dailies listing page is matched by neither glob (blog/*.qmd is one level).
    assert "blog/dailies/index.qmd" not in sources(blog)


def test_explicit_listing_pages_option(make_blog, kit) -> None:
    root = make_blog(
        {
            "_quarto.yml": "nbpost:\n  listings: [til.qmd]\n",
            "til.qmd": "---\nlisting:\n  contents: til\n---\n",
            "posts/a.qmd": kit.post("A"),
            "til/t.qmd": kit.post("T"),
        }
    )
    assert sources(collect_blog(root)) == ["til/t.qmd"]


def test_listing_root_relative_and_folder_entries(make_blog, kit) -> None:
    root = make_blog(
        {
            "index.qmd": None,
            "section/index.qmd": "---\nlisting:\n  contents: [/posts, extra]\n---\n",
            "section/extra/e.qmd": kit.post("E", "2024-01-01"),
            "posts/p.qmd": kit.post("P", "2024-02-01"),
        }
    )
    assert sources(collect_blog(root)) == ["posts/p.qmd", "section/extra/e.qmd"]


def test_default_contents_is_the_page_folder_tree(make_blog, kit) -> None:
    root = make_blog(
        {
            "index.qmd": None,
            "blog/index.qmd": "---\ntitle: Blog\nlisting: true\n---\n",
            "blog/a.qmd": kit.post("A", "2024-01-01"),
            "blog/sub/b.qmd": kit.post("B", "2024-01-02"),
            "other/c.qmd": kit.post("C"),
        }
    )
    assert sources(collect_blog(root)) == ["blog/sub/b.qmd", "blog/a.qmd"]


def test_inline_and_yaml_items_become_posts(make_blog, kit) -> None:
    page = """\
    ---
    title: Home
    listing:
      contents:
        - posts
        - title: "Elsewhere"
          path: https://example.org/elsewhere.html
          date: 2024-05-01
          categories: [Guest]
          author: Someone
          description: "An external post"
    ---
    """
    yml_page = """\
    ---
    listing:
      contents: [links.yml, posts/a.qmd]
    ---
    """
    items = """\
    - title: From YAML
      path: https://example.net/x
      date: 03/04/2024
    - title: Overridden
      path: posts/a.qmd
    """
    root = make_blog(
        {
            "index.qmd": page,
            "links/index.qmd": yml_page,
            "links/links.yml": items,
            "links/posts/a.qmd": kit.post("Original title", "2024-01-01", ["x"]),
            "posts/p.qmd": kit.post("P", "2024-02-01", ["Guest"]),
        }
    )
    blog = collect_blog(root)
    by_source = {p.source: p for p in blog.posts}
    external = by_source["https://example.org/elsewhere.html"]
    assert external.external and external.href == "https://example.org/elsewhere.html"
    assert external.title == "Elsewhere" and external.authors == ["Someone"]
    assert external.date == dt.datetime(2024, 5, 1, tzinfo=UTC)
    assert external.categories == ["Guest"]
    assert by_source["https://example.net/x"].date == dt.datetime(2024, 3, 4, tzinfo=UTC)
    overridden = by_source["links/posts/a.qmd"]
    assert overridden.title == "Overridden" and not overridden.external
    assert overridden.categories == ["x"] and overridden.href == "/links/posts/a.html"
    guest = next(c for c in blog.categories if c.label == "Guest")
    assert guest.count == 2


def test_metadata_merge_levels_and_root_metadata_quirk(make_blog, kit) -> None:
    root = make_blog(
        {
            "_quarto.yml": "website:\n  title: T\nauthor: Project Author\ncategories: [site]\n",
            "_metadata.yml": "author: Root Metadata\n",
            "posts/_metadata.yml": "categories: [news]\ndraft: false\ntoc: true\n",
            "posts/deep/_metadata.yml": "categories: news\ntoc: false\n",
            "posts/deep/a.qmd": kit.post("A", "2024-01-01", ["r", "news"]),
            "posts/b.qmd": kit.post("B", "2024-01-02", "solo"),
        }
    )
    blog = collect_blog(root)
    a = next(p for p in blog.posts if p.source == "posts/deep/a.qmd")
    b = next(p for p in blog.posts if p.source == "posts/b.qmd")
    # Arrays concatenate parent first and de-duplicate; strings join lists.
    assert a.raw_categories == ["site", "news", "r"]
    assert b.raw_categories == ["site", "news", "solo"]
    assert a.meta["toc"] is False and b.meta["toc"] is True
    # The root _metadata.yml applies only to documents in the root folder (Quarto's walk).
    assert a.authors == ["Project Author"]


def test_title_description_and_author_fallbacks(make_blog, kit) -> None:
    body = (
        """\
    ---
    date: 2024-01-01
    author:
      - name:
          given: Ada
          family: Lovelace
      - name: {literal: "The Team"}
      - Grace Hopper
      - Grace Hopper
    ---

    ```{python}
    print("code is not a description")
    ```

    # A *heading* {#sec-x}

    ![an image](img.png)

    """
        + ("First [paragraph](https://x.y) with `code` and **bold** words. " * 6)
        + "\n"
    )
    root = make_blog(
        {
            "posts/a.qmd": body,
            "posts/b.qmd": "---\ntitle: B\ndescription: 'Given *here*'\nauthor: Solo\n---\n",
            "posts/c.qmd": "---\ntitle: C\nabstract: The abstract\n---\n\nText.\n",
        }
    )
    blog = collect_blog(root)
    a, b, c = (next(p for p in blog.posts if p.source == f"posts/{n}.qmd") for n in "abc")
    assert a.title == "A heading"
    assert a.authors == ["Ada Lovelace", "The Team", "Grace Hopper"]
    assert a.description.startswith("First paragraph with code and bold words. First")
    assert a.description.endswith("…") and len(a.description) <= 176
    assert " " not in a.description[-2:]
    assert b.description == "Given here" and b.authors == ["Solo"]
    assert c.description == "The abstract"


def test_dates_order_undated_last_and_warnings_with_lines(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a.qmd": kit.post("A", "10/17/2024"),
            "posts/b.qmd": kit.post("B", "2024-3-5"),
            "posts/c.qmd": kit.post("C", "soon", ["x"]),
            "posts/d.qmd": kit.post("D"),
            "posts/e.qmd": kit.post("E", "17 Oct 2023"),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == [
        "posts/a.qmd",
        "posts/b.qmd",
        "posts/e.qmd",
        "posts/c.qmd",
        "posts/d.qmd",
    ]
    c = blog.posts[3]
    assert c.date is None and c.date_text == "soon"
    assert blog.warnings == [f"{root}/posts/c.qmd:3: cannot read date 'soon'"]


def test_date_order_option_reads_day_first(make_blog, kit) -> None:
    root = make_blog(
        {"_quarto.yml": "nbpost:\n  date-order: dmy\n", "posts/a.qmd": kit.post("A", "03/04/2024")}
    )
    assert collect_blog(root).posts[0].date == dt.datetime(2024, 4, 3, tzinfo=UTC)
    bad = make_blog({"_quarto.yml": "nbpost:\n  date-order: ymd\n"})
    with pytest.raises(ConfigError) as info:
        collect_blog(bad)
    assert str(info.value).endswith(
        "_quarto.yml:2: nbpost date-order must be one of mdy, dmy, not 'ymd'"
    )


def test_last_modified_uses_the_file_mtime(make_blog, kit) -> None:
    root = make_blog({"posts/a.qmd": kit.post("A", "last-modified")})
    import os

    os.utime(root / "posts/a.qmd", (1_700_000_000, 1_700_000_000))
    assert collect_blog(root).posts[0].date == dt.datetime.fromtimestamp(1_700_000_000, UTC)


def test_drafts_from_front_matter_metadata_and_website_drafts(make_blog, kit) -> None:
    root = make_blog(
        {
            "_quarto.yml": "website:\n  drafts: [posts/c.qmd]\n",
            "posts/a.qmd": kit.post("A", "2024-01-01", ["x"], draft=True),
            "posts/b.qmd": kit.post("B", "2024-01-02", ["x"]),
            "posts/c.qmd": kit.post("C", "2024-01-03", ["y"]),
            "posts/hidden/_metadata.yml": "draft: true\n",
            "posts/hidden/d.qmd": kit.post("D", "2024-01-04", ["z"]),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == ["posts/b.qmd"]
    assert [(c.label, c.count) for c in blog.categories] == [("x", 1)]
    with_drafts = collect_blog(root, drafts=True)
    assert sources(with_drafts) == [
        "posts/hidden/d.qmd",
        "posts/c.qmd",
        "posts/b.qmd",
        "posts/a.qmd",
    ]
    assert [p.draft for p in with_drafts.posts] == [True, True, False, True]
    assert [(c.label, c.count) for c in with_drafts.categories] == [("x", 2), ("y", 1), ("z", 1)]


def test_notebook_front_matter_in_a_markdown_cell_and_key_lines(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a/index.ipynb": kit.notebook(
                "title: NB\ndate: not a date\ncategories: [a]", cell_type="markdown"
            ),
            "posts/b/index.ipynb": json.dumps(
                {"cells": [{"cell_type": "markdown", "source": "# Heading only\n\nBody text."}]}
            ),
        }
    )
    blog = collect_blog(root)
    a = next(p for p in blog.posts if p.source == "posts/a/index.ipynb")
    b = next(p for p in blog.posts if p.source == "posts/b/index.ipynb")
    assert a.title == "NB" and a.categories == ["a"] and a.description == "Text."
    text = (root / "posts/a/index.ipynb").read_text().split("\n")
    date_line = next(i for i, line in enumerate(text, 1) if '"date: not a date' in line)
    assert blog.warnings == [
        f"{root}/posts/a/index.ipynb:{date_line}: cannot read date 'not a date'"
    ]
    assert b.title == "Heading only" and b.description == "Body text."


def test_bad_posts_are_reported_and_skipped(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/good.qmd": kit.post("Good", "2024-01-01"),
            "posts/yaml.qmd": "---\ntitle: ok\ncategories: [a, b\n---\n",
            "posts/unclosed.qmd": "---\ntitle: never closed\n\nbody\n",
            "posts/latin1.qmd": "---\ntitle: café\n---\n".encode("latin-1"),
            "posts/broken.ipynb": '{"cells": [\n  {"cell_type": "raw",\n',
            "posts/list.qmd": "---\n- a\n- b\n---\n",
            "posts/badnb.ipynb": kit.notebook("title: [unclosed"),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == ["posts/good.qmd"]
    errors = sorted(blog.errors)
    assert len(errors) == 6
    prefix = f"{root}/posts/"
    nb_lines = (root / "posts/badnb.ipynb").read_text().split("\n")
    fence = next(i for i, line in enumerate(nb_lines, 1) if '"---' in line)
    # The unclosed list is reported on the line where it opened, just below the opening fence.
    assert errors[0].startswith(prefix + f"badnb.ipynb:{fence + 1}: invalid YAML")
    assert errors[1].startswith(prefix + "broken.ipynb:3: invalid notebook JSON")
    assert errors[2].startswith(prefix + "latin1.qmd:2: not valid UTF-8")
    assert errors[3].startswith(prefix + "list.qmd:2: front matter must be a YAML mapping")
    assert errors[4].startswith(prefix + "unclosed.qmd:1: front matter opened here is never closed")
    assert errors[5].startswith(prefix + "yaml.qmd:")


def test_broken_metadata_file_skips_its_posts_only(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/ok/a.qmd": kit.post("A"),
            "posts/bad/_metadata.yml": "draft: [\n",
            "posts/bad/b.qmd": kit.post("B"),
        }
    )
    blog = collect_blog(root)
    assert sources(blog) == ["posts/ok/a.qmd"]
    assert blog.errors[0].startswith(f"{root}/posts/bad/_metadata.yml:2: invalid YAML")
    assert blog.errors[1].startswith(f"{root}/posts/bad/b.qmd: skipped because")


def test_hrefs_are_site_absolute_and_percent_encoded(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/Dr. Who/My Post.ipynb": kit.notebook("title: X"),
            "posts/日本/index.qmd": kit.post("J"),
            "posts/index.qmd": kit.post("P"),
        }
    )
    hrefs = sorted(p.href for p in collect_blog(root).posts)
    assert hrefs == ["/posts/", "/posts/%E6%97%A5%E6%9C%AC/", "/posts/Dr.%20Who/My%20Post.html"]


def test_output_folders_are_never_posts(make_blog, kit) -> None:
    root = make_blog(
        {
            "_quarto.yml": "project:\n  output-dir: docs\nnbpost:\n  output-dir: gen\n",
            "index.qmd": "---\nlisting: true\n---\n",
            "docs/posts/a.qmd": kit.post("rendered copy"),
            "gen/categories/x/index.qmd": "---\ntitle: X\nlisting:\n  contents: posts.yml\n---\n",
            "gen/archive/index.qmd": kit.post("archive"),
            "posts/a.qmd": kit.post("A"),
        }
    )
    assert sources(collect_blog(root)) == ["posts/a.qmd"]


def test_input_files_force_a_reread_but_keep_every_post(make_blog, kit) -> None:
    from nbpost.blog.incremental.cache import MetadataCache

    root = make_blog({"posts/a.qmd": kit.post("A"), "posts/b.qmd": kit.post("B")})
    cache = MetadataCache(None)
    collect_blog(root, cache=cache)
    cache.saved_at_ns = 2**62  # nothing is racy
    cache.parsed = 0
    forced = [str(root / "posts/a.qmd")]
    blog = collect_blog(root, cache=cache, input_files=forced)
    assert sorted(sources(blog)) == ["posts/a.qmd", "posts/b.qmd"]
    # a.qmd is read again (a cold build keeps no digest, so parsed once and hashed);
    # b.qmd and index.qmd come from the cache.
    assert (cache.parsed, cache.verified, cache.hits) == (1, 0, 2)
    cache.parsed = cache.hits = 0
    blog = collect_blog(root, cache=cache, input_files=forced)
    assert sorted(sources(blog)) == ["posts/a.qmd", "posts/b.qmd"]
    # Read again: its bytes match the digest now kept, so it is not parsed.
    assert (cache.parsed, cache.verified, cache.hits) == (0, 1, 2)


def test_pages_marked_generated_are_not_listing_pages(make_blog, kit) -> None:
    root = make_blog(
        {
            "index.qmd": "---\nlisting:\n  contents: posts\n---\n",
            "extra/index.qmd": "---\nnbpost-generated: true\nlisting:\n  contents: '*.qmd'\n---\n",
            "extra/e.qmd": kit.post("E"),
            "posts/a.qmd": kit.post("A"),
        }
    )
    assert sources(collect_blog(root)) == ["posts/a.qmd"]


def test_a_file_that_grew_since_its_stat_is_read_to_the_end() -> None:
    from nbpost.blog.read.records import _read_all

    read_end, write_end = os.pipe()
    os.write(write_end, b"0123456789")
    os.close(write_end)
    try:
        assert _read_all(read_end, 4) == b"0123456789"  # the stat said 4 bytes
    finally:
        os.close(read_end)
