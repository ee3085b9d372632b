"""build_blog end to end (collector + writers): incremental equals clean, stability, no rewrites."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from blogfactory import LISTING_PAGE, QUARTO_YML, notebook, post, write_files

from nbpost.blog.build import MANIFEST, build_blog

GENERATED_TOP = ("categories", "archive", "feeds", "POSTS.md", "categories.json", ".nbpost")


def sources() -> dict[str, str | bytes]:
    return {
        "_quarto.yml": QUARTO_YML,
        "index.qmd": LISTING_PAGE,
        "posts/2024-01-05-alpha/index.qmd": post("Alpha", "2024-01-05", ["Python", "Data Viz"]),
        "posts/2023-12-24-beta/index.qmd": post("Beta & co", "12/24/2023", ["python", "R"]),
        "posts/2022-06-01-gamma/index.ipynb": notebook(
            'title: "Gamma"\ndate: 2022-06-01\ncategories: [R, Notebooks]'
        ),
        "posts/undated/index.qmd": post("No date yet", None, ["Drafting"]),
        "posts/hidden/index.qmd": post("Secret", "2024-02-01", ["Secret"], draft=True),
    }


def generated_tree(root: Path) -> dict[str, bytes]:
    """Every file the last build generated (from its manifest), with its bytes."""
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))["files"]
    return {key: (root / key).read_bytes() for key in sorted(manifest)}


def clean_build(root: Path, target: Path) -> dict[str, bytes]:
    """Copy only the sources of ``root`` to ``target``, build from scratch, return the outputs."""
    shutil.copytree(root, target, ignore=lambda d, names: [n for n in names if n in GENERATED_TOP])
    result = build_blog(target, quiet=True)
    assert result.errors == []
    return generated_tree(target)


def test_build_writes_the_layout(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", sources())
    result = build_blog(root, quiet=True)
    assert result.errors == []
    assert result.posts == 4  # the draft is left out
    expected = {
        "categories/index.qmd",
        "archive/index.qmd",
        "POSTS.md",
        "categories.json",
        "feeds/index.xml",
        "feeds/atom.xml",
        "feeds/feed.json",
    }
    assert expected <= set(result.written)
    registry = json.loads((root / "categories.json").read_text(encoding="utf-8"))
    slugs = [c["slug"] for c in registry["categories"]]
    assert slugs == sorted(slugs)
    assert "secret" not in slugs
    for slug in slugs:
        for name in ("index.qmd", "index.xml", "atom.xml", "feed.json"):
            assert (root / "categories" / slug / name).is_file()
    python = next(c for c in registry["categories"] if c["slug"] == "python")
    assert python["count"] == 2
    assert python["href"] == "/categories/python/"
    assert registry["labels"]["python"] == "python"
    assert set(registry["posts"]) == {
        "posts/2024-01-05-alpha/index.qmd",
        "posts/2023-12-24-beta/index.qmd",
        "posts/2022-06-01-gamma/index.ipynb",
        "posts/undated/index.qmd",
    }
    assert registry["posts"]["posts/2023-12-24-beta/index.qmd"]["date"] == "2023-12-24"
    assert registry["posts"]["posts/undated/index.qmd"]["date"] is None
    # The draft comes back with --drafts.
    with_drafts = build_blog(root, drafts=True, quiet=True)
    assert with_drafts.posts == 5
    assert (root / "categories/secret/index.qmd").is_file()
    assert "categories/secret/index.qmd" in with_drafts.written
    # ... and its generated files go again when built without drafts.
    again = build_blog(root, quiet=True)
    assert "categories/secret/index.qmd" in again.removed
    assert not (root / "categories/secret").exists()


def test_rebuild_without_changes_rewrites_nothing(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", sources())
    first = build_blog(root, quiet=True)
    stats = {key: (root / key).stat() for key in first.written}
    manifest_stat = (root / MANIFEST).stat()
    second = build_blog(root, quiet=True)
    assert second.written == []
    assert sorted(second.unchanged) == sorted(first.written)
    for key, before in stats.items():
        after = (root / key).stat()
        assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino), key
    assert (root / MANIFEST).stat().st_mtime_ns == manifest_stat.st_mtime_ns


def test_same_input_gives_byte_identical_outputs(tmp_path: Path) -> None:
    one = write_files(tmp_path / "one", sources())
    two = write_files(tmp_path / "two", sources())
    build_blog(one, quiet=True)
    build_blog(two, quiet=True)
    assert generated_tree(one) == generated_tree(two)


def test_incremental_build_equals_clean_build(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    steps = [
        # add a post with a new category
        lambda: write_files(
            root, {"posts/2024-03-01-delta/index.qmd": post("Delta", "2024-03-01", ["New"])}
        ),
        # edit: title, date and categories change
        lambda: write_files(
            root,
            {"posts/2024-01-05-alpha/index.qmd": post("Alpha v2", "2024-01-06", ["Data Viz"])},
        ),
        # rename a post folder
        lambda: (root / "posts/2023-12-24-beta").rename(root / "posts/2023-12-24-beta-renamed"),
        # delete the only post of a category
        lambda: shutil.rmtree(root / "posts/undated"),
        # delete a notebook post
        lambda: shutil.rmtree(root / "posts/2022-06-01-gamma"),
    ]
    for number, step in enumerate(steps):
        step()
        result = build_blog(root, quiet=True)
        assert result.errors == []
        incremental = generated_tree(root)
        clean = clean_build(root, tmp_path / f"clean-{number}")
        assert incremental.keys() == clean.keys(), number
        for key in incremental:
            assert incremental[key] == clean[key], (number, key)
    assert not (root / "categories/drafting").exists()  # its only post was deleted
    assert not (root / "categories/notebooks").exists()


def test_stale_file_edited_by_hand_is_kept(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    page = root / "categories/drafting/index.qmd"
    page.write_text(page.read_text(encoding="utf-8") + "\nMy own note.\n", encoding="utf-8")
    shutil.rmtree(root / "posts/undated")
    result = build_blog(root, quiet=True)
    assert page.is_file()
    assert "My own note." in page.read_text(encoding="utf-8")
    assert any("edited since" in w and "drafting/index.qmd" in w for w in result.warnings)
    assert "categories/drafting/index.xml" in result.removed


def test_user_file_in_the_way_is_never_overwritten(tmp_path: Path) -> None:
    files = sources()
    files["categories/python/index.qmd"] = "---\ntitle: My hand-made Python page\n---\n"
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert (root / "categories/python/index.qmd").read_text(encoding="utf-8") == (
        "---\ntitle: My hand-made Python page\n---\n"
    )
    assert any("not generated by nbpost" in e for e in result.errors)
    assert (root / "categories/r/index.qmd").is_file()  # the rest is still built


def test_output_dir_option(tmp_path: Path) -> None:
    files = sources()
    files["_quarto.yml"] = QUARTO_YML + "nbpost:\n  output-dir: generated\n"
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert result.errors == []
    assert all(key.startswith("generated/") for key in result.written)
    registry = json.loads((root / "generated/categories.json").read_text(encoding="utf-8"))
    assert registry["categories"][0]["href"].startswith("/generated/categories/")
    assert registry["feeds"]["rss"] == "/generated/feeds/index.xml"
    page = (root / "generated/categories/python/index.qmd").read_text(encoding="utf-8")
    # Project-rooted links: Quarto makes them relative to the page (website-resources.ts).
    assert 'href="/posts/2024-01-05-alpha/index.html"' in page
    assert "[All categories](../index.qmd)" in page
    feed = feedparser.parse((root / "generated/feeds/atom.xml").read_bytes())
    assert not feed.bozo
    assert feed.entries[0].link == "https://example.com/posts/2024-01-05-alpha/"


def test_broken_post_is_skipped_and_reported(tmp_path: Path) -> None:
    files = sources()
    files["posts/broken/index.qmd"] = "---\ntitle: [unclosed\n---\n\nText.\n"
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert result.posts == 4
    assert len(result.errors) == 1 and "posts/broken/index.qmd" in result.errors[0]
    assert (root / "categories.json").is_file()


@pytest.mark.parametrize("post_count", [60])
def test_categories_json_shape_matches_the_contract(tmp_path: Path, post_count: int) -> None:
    files = sources()
    for i in range(post_count):
        files[f"posts/extra-{i:03d}/index.qmd"] = post(
            f"Extra {i}", f"2021-01-{i % 28 + 1:02d}", [f"Topic {i % 7}"]
        )
    root = write_files(tmp_path / "blog", files)
    build_blog(root, quiet=True)
    text = (root / "categories.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "categories": [')
    data = json.loads(text)
    assert json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
    for key in ("version", "generator", "site-url", "feeds", "categories", "labels", "posts"):
        assert key in data
    entry_keys = {"label", "slug", "key", "count", "href", "feeds", "description", "colour"}
    for entry in data["categories"]:
        assert entry_keys | {"aliases"} <= set(entry)
        assert entry["href"].endswith("/")
        assert set(entry["feeds"]) == {"rss", "atom", "json"}
    topic = next(c for c in data["categories"] if c["slug"] == "topic-0")
    assert topic["count"] == len(range(0, post_count, 7))
    for entry in data["posts"].values():
        assert {"title", "categories", "slugs", "date", "href"} <= set(entry)
        assert len(entry["slugs"]) == len(entry["categories"])


def test_deleted_or_edited_output_is_restored_on_the_next_build(tmp_path: Path) -> None:
    root = write_files(tmp_path / "blog", sources())
    build_blog(root, quiet=True)
    expected = generated_tree(root)
    (root / "categories/python/index.qmd").unlink()
    (root / "feeds/atom.xml").write_text("garbage", encoding="utf-8")
    result = build_blog(root, quiet=True)
    assert sorted(result.written) == ["categories/python/index.qmd", "feeds/atom.xml"]
    assert generated_tree(root) == expected


def test_output_messages_are_repeated_when_nothing_changed(tmp_path: Path) -> None:
    files = sources()
    files["categories/python/index.qmd"] = "---\ntitle: Mine\n---\n"
    root = write_files(tmp_path / "blog", files)
    first = build_blog(root, quiet=True)
    second = build_blog(root, quiet=True)
    assert second.written == []
    assert [e for e in first.errors if "not generated" in e] == [
        e for e in second.errors if "not generated" in e
    ]
    assert len(second.errors) == 1


def test_a_recursive_yaml_alias_is_bad_input_not_a_crash(tmp_path: Path) -> None:
    files = sources()
    files["posts/loop/index.qmd"] = "---\ntitle: Loop\ncategories: &x [a, *x]\n---\n\nText.\n"
    files["posts/nbloop/index.ipynb"] = notebook('title: "NB"\nauthor: &y {name: *y}')
    files["posts/_metadata.yml"] = "author: Ann\n"
    root = write_files(tmp_path / "blog", files)
    result = build_blog(root, quiet=True)
    assert "posts/loop/index.qmd:3: invalid front matter: a YAML alias refers" in "".join(
        result.errors
    )
    assert any("posts/nbloop/index.ipynb" in e and "alias" in e for e in result.errors)
    assert result.posts == 4  # the others are built
    (root / "_categories.yml").write_text("- label: &z [*z]\n", encoding="utf-8")
    (root / "posts/_metadata.yml").write_text("tags: &w [*w]\n", encoding="utf-8")
    result = build_blog(root, quiet=True)
    assert any("_metadata.yml:1" in e and "alias" in e for e in result.errors)
