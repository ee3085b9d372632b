"""``nbpost new`` on fixture blogs: refusals, dry runs, categories, empty blogs, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbpost.frontmatter import split

from .blogs import categorised_blog, post, simple_blog, write

DATE = "2026-03-04"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (to prove nothing changed)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def new(run_cli, root: Path, *args: str):
    return run_cli("new", *args[:1], str(root), "--date", DATE, *args[1:])


def test_empty_blog_gets_quartos_template_layout(tmp_path: Path, run_cli) -> None:
    root = write(tmp_path / "blog", {"_quarto.yml": "project:\n  type: website\n"})
    result = new(run_cli, root, "Hello World")
    assert result.status == 0, result.err
    assert result.out == f"{root / 'posts/hello-world/index.qmd'}\n"
    text = (root / "posts/hello-world/index.qmd").read_text("utf-8")
    assert text == (
        "---\ntitle: Hello World\ndescription: ''\ndate: 2026-03-04\ndraft: true\n---\n\n"
    )


def test_empty_blog_uses_the_folder_its_listing_contents_name(tmp_path: Path, run_cli) -> None:
    root = simple_blog(tmp_path / "blog", contents='"articles/*.qmd"')
    result = new(run_cli, root, "First")
    assert result.status == 0, result.err
    assert (root / "articles/first/index.qmd").is_file()
    assert "does not show" in result.err  # articles/*.qmd lists no folder post: said so


def test_listing_contents_beat_a_folder_of_other_documents(tmp_path: Path, run_cli) -> None:
    root = simple_blog(
        tmp_path / "blog",
        contents="writing",
        posts={
            "writing/2024-05-01-one/index.qmd": post("One", "2024-05-01"),
            "writing/2024-06-01-two/index.qmd": post("Two", "2024-06-01"),
            "notes/x/index.qmd": post("X", "2025-01-01"),
            "notes/y/index.qmd": post("Y", "2025-01-02"),
            "notes/z/index.qmd": post("Z", "2025-01-03"),
        },
    )
    result = new(run_cli, root, "Three")
    assert result.status == 0, result.err
    assert result.out.strip() == str(root / "writing/2026-03-04-three/index.qmd")
    assert "does not show" not in result.err


def test_existing_folder_is_refused_with_one_line_and_nothing_changes(tmp_path, run_cli):
    root = categorised_blog(tmp_path / "blog")
    write(root, {"posts/hello/notes.txt": "mine"})
    before = tree(root)
    result = new(run_cli, root, "Hello")
    assert result.status == 2
    assert result.out == ""
    assert result.err.count("\n") == 1 and "posts/hello already exists" in result.err
    assert tree(root) == before


def test_folder_differing_only_in_case_is_refused(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    write(root, {"posts/Hello/index.qmd": post("Hello", "2024-01-04")})
    result = new(run_cli, root, "hello")
    assert result.status == 2 and "posts/Hello already exists" in result.err


def test_flat_post_refuses_a_sibling_with_another_suffix(tmp_path: Path, run_cli) -> None:
    root = simple_blog(
        tmp_path / "blog",
        posts={
            "posts/2024-01-01-a.qmd": post("A", "2024-01-01"),
            "posts/2024-01-02-b.qmd": post("B", "2024-01-02"),
            "posts/2026-03-04-c.ipynb": "{}",
        },
    )
    before = tree(root)
    result = new(run_cli, root, "C")
    assert result.status == 2 and "posts/2026-03-04-c.ipynb already exists" in result.err
    assert tree(root) == before


def test_dry_run_writes_nothing_and_prints_the_path_last(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    before = tree(root)
    result = new(run_cli, root, "Plan", "--dry-run", "-c", "python")
    assert result.status == 0, result.err
    assert tree(root) == before
    assert result.out == f"{root / 'posts/plan/index.qmd'}\n"
    assert "would create" in result.err and "title: Plan" in result.err


@pytest.mark.parametrize(
    ("asked", "existing"),
    [
        ("machine-learning", "Machine Learning"),  # hyphen for space
        ("MachineLearning", "Machine Learning"),  # spacing
        ("Pythons", "Python"),  # plural
        ("regresion", "regression"),  # one letter missing
        ("regressoin", "regression"),  # two letters swapped
        ("machine_learning", "Machine Learning"),  # underscore
    ],
)
def test_near_miss_category_is_refused_naming_the_existing_one(
    tmp_path: Path, run_cli, asked: str, existing: str
) -> None:
    root = categorised_blog(tmp_path / "blog")
    before = tree(root)
    result = new(run_cli, root, "Near", "-c", asked)
    assert result.status == 2
    assert f"'{asked}' looks like the blog's '{existing}'" in result.err
    assert tree(root) == before
    accepted = new(run_cli, root, "Near", "-c", asked, "--new-category")
    assert accepted.status == 0, accepted.err
    _, meta, _ = split((root / "posts/near/index.qmd").read_text("utf-8"))
    assert meta["categories"] == [asked]


def test_category_in_another_case_is_written_as_the_blog_spells_it(tmp_path, run_cli):
    root = categorised_blog(tmp_path / "blog")
    result = new(run_cli, root, "Case", "-c", "python,  machine   learning", "-c", "Rust")
    assert result.status == 0, result.err
    _, meta, _ = split((root / "posts/case/index.qmd").read_text("utf-8"))
    assert meta["categories"] == ["Python", "Machine Learning", "Rust"]
    assert "new category 'Rust'" in result.err


def test_short_labels_one_edit_apart_are_different_categories(tmp_path, run_cli):
    root = categorised_blog(tmp_path / "blog")
    result = new(run_cli, root, "Lang", "-c", "R")  # the blog has "C"
    assert result.status == 0, result.err


def test_publish_leaves_out_draft_and_options_override_the_layout(tmp_path, run_cli):
    root = categorised_blog(tmp_path / "blog")
    result = new(
        run_cli,
        root,
        "Flat",
        "--publish",
        "--layout",
        "flat",
        "--prefix",
        "date",
        "--folder",
        "notes",
        "--format",
        "md",
        "--slug",
        "my-flat",
        "--description",
        "About: this",
        "--author",
        "Ann",
    )
    assert result.status == 0, result.err
    created = root / "notes/2026-03-04-my-flat.md"
    assert result.out.strip() == str(created)
    _, meta, _ = split(created.read_text("utf-8"))
    assert "draft" not in meta
    assert meta["description"] == "About: this" and meta["author"] == "Ann"


def test_title_is_required_to_have_text(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    result = new(run_cli, root, " \t ")
    assert result.status == 2 and "title is empty" in result.err


def test_bad_date_is_one_line(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    result = run_cli("new", "T", str(root), "--date", "next tuesday")
    assert result.status == 4 and "--date 'next tuesday'" in result.err


def test_folder_outside_the_blog_is_refused(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    result = new(run_cli, root, "Out", "--folder", "../elsewhere")
    assert result.status == 2
    assert not (tmp_path / "elsewhere").exists()


def test_year_folders_and_numbered_series(tmp_path: Path, run_cli) -> None:
    years = simple_blog(
        tmp_path / "years",
        posts={
            "posts/2023/old/index.qmd": post("Old", "2023-02-01"),
            "posts/2024/newer/index.qmd": post("Newer", "2024-02-01"),
            "posts/2024/newest/index.qmd": post("Newest", "2024-03-01"),
        },
    )
    result = new(run_cli, years, "Next")
    assert result.out.strip() == str(years / "posts/2026/next/index.qmd")
    series = simple_blog(
        tmp_path / "series",
        posts={
            f"posts/{n:02d}-tip/index.qmd": post(f"Tip {n}", f"2024-01-{n:02d}") for n in (1, 2, 9)
        },
    )
    result = new(run_cli, series, "Tip ten")
    assert result.out.strip() == str(series / "posts/10-tip-ten/index.qmd")


def test_slug_keeps_non_ascii_and_is_url_safe(tmp_path: Path, run_cli) -> None:
    root = categorised_blog(tmp_path / "blog")
    result = new(run_cli, root, "Café & 東京 / ../etc?")
    assert result.out.strip() == str(root / "posts/café-and-東京-etc/index.qmd")


def test_a_posts_folder_symlinked_out_of_the_blog_is_refused(tmp_path: Path, run_cli) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = write(tmp_path / "blog", {"_quarto.yml": "project:\n  type: website\n"})
    (root / "posts").symlink_to(outside, target_is_directory=True)
    result = new(run_cli, root, "Escape")
    assert result.status == 2 and result.err.count("\n") == 1
    assert list(outside.iterdir()) == []


def test_posts_named_by_their_date_alone(tmp_path: Path, run_cli) -> None:
    root = simple_blog(
        tmp_path / "blog",
        posts={f"posts/2024010{n}/index.qmd": post(f"P{n}", f"2024-01-0{n}") for n in (1, 2)},
    )
    assert new(run_cli, root, "Today").out.strip() == str(root / "posts/20260304/index.qmd")
    again = new(run_cli, root, "Second today")
    assert again.status == 2 and "posts/20260304 already exists" in again.err
    named = new(run_cli, root, "Second today", "--slug", "second")
    assert named.out.strip() == str(root / "posts/20260304-second/index.qmd")


def test_a_folder_that_is_not_a_quarto_project_is_refused(tmp_path: Path, run_cli) -> None:
    result = new(run_cli, tmp_path, "Lost")
    assert result.status == 2 and "no _quarto.yml here or above" in result.err
    assert list(tmp_path.iterdir()) == []


def test_a_blog_inside_a_larger_site_uses_its_own_listing(tmp_path: Path, run_cli) -> None:
    site = write(
        tmp_path / "site",
        {
            "_quarto.yml": "project:\n  type: website\n",
            "index.qmd": "---\ntitle: Home\n---\n",
            "talks/index.qmd": "---\ntitle: Talks\nlisting:\n  contents: items\n---\n",
            "talks/items/one/index.qmd": post("One", "2024-01-01"),
            "talks/items/two/index.qmd": post("Two", "2024-01-02"),
            "blog/index.qmd": "---\ntitle: Blog\nlisting:\n  contents: posts\n---\n",
            "blog/posts/2024-01-01-a.qmd": post("A", "2024-01-01"),
            "blog/posts/2024-02-01-b.qmd": post("B", "2024-02-01"),
        },
    )
    result = new(run_cli, site / "blog", "C")
    assert result.status == 0, result.err
    assert result.out.strip() == str(site / "blog/posts/2026-03-04-c.qmd")
