"""``nbpost categories``: the table, ``--json``, ``--drafts``, warnings and exit statuses."""

from __future__ import annotations

import json

from nbpost.cli import main


def test_table_lists_counts_and_slugs_and_warns(make_blog, kit, capsys) -> None:
    root = make_blog(
        {
            "posts/a.qmd": kit.post("A", "2024-01-02", ["Python", "C++"]),
            "posts/b.qmd": kit.post("B", "2024-01-01", ["python"]),
        }
    )
    assert main(["categories", str(root)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "COUNT  CATEGORY  SLUG",
        "    2  Python    python",
        "    1  C++       c-plus-plus",
        "2 categories in 2 posts",
    ]
    assert err == (
        f"nbpost: warning: {root}/posts/b.qmd:4: category 'python' is shown as 'Python' "
        "(labels that differ only in case or spacing are one category)\n"
    )
    assert not (root / ".nbpost").exists()  # a read-only command writes nothing


def test_json_output_and_drafts(make_blog, kit, capsys) -> None:
    root = make_blog(
        {
            "posts/a.qmd": kit.post("A", "2024-01-02", ["x"]),
            "posts/b.qmd": kit.post("B", "2024-01-01", ["x", "y"], draft=True),
        }
    )
    assert main(["categories", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["posts"] == 1
    assert [(c["label"], c["slug"], c["count"]) for c in data["categories"]] == [("x", "x", 1)]
    assert main(["categories", str(root), "--json", "--drafts"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(c["label"], c["count"]) for c in data["categories"]] == [("x", 2), ("y", 1)]
    assert data["warnings"] == [] and data["errors"] == []


def test_broken_post_and_bad_config_exit_2(make_blog, kit, capsys) -> None:
    root = make_blog(
        {"posts/a.qmd": kit.post("A", "2024-01-01", ["x"]), "posts/b.qmd": "---\nx: [\n---\n"}
    )
    assert main(["categories", str(root)]) == 2
    out, err = capsys.readouterr()
    assert "    1  x" in out
    assert err.startswith(f"nbpost: error: {root}/posts/b.qmd:")
    (root / "_quarto.yml").write_text("website: [\n")
    assert main(["categories", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nbpost: error: {root}/_quarto.yml:2: invalid YAML")
    assert main(["categories", str(root / "missing")]) == 2


def test_table_columns_line_up_with_wide_characters() -> None:
    from nbpost.cli.categories import display_width

    assert display_width("データ") == 6
    assert display_width("Café") == 4
    assert display_width("") == 0
