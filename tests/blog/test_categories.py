"""Canonical categories: merged spellings, slug collisions and the _categories.yml registry."""

from __future__ import annotations

import pytest

from nbpost.blog.read.categories import labels_index, parse_category_definitions
from nbpost.blog.read.collect import collect_blog
from nbpost.project.paths import name_problem


def by_label(blog):
    return {c.label: c for c in blog.categories}


def test_spellings_merge_into_the_most_used_one(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a.qmd": kit.post("A", "2024-01-03", ["Python", "dbt"]),
            "posts/b.qmd": kit.post("B", "2024-01-02", ["python"]),
            "posts/c.qmd": kit.post("C", "2024-01-01", ["  Python ", "PYTHON", "Data  Science"]),
            "posts/d.qmd": kit.post("D", "2023-01-01", ["data science"]),
        }
    )
    blog = collect_blog(root)
    cats = by_label(blog)
    # Runs of inner spaces collapse before anything else: "Data  Science" is "Data Science".
    assert sorted(cats) == ["Data Science", "Python", "dbt"]
    python = cats["Python"]
    assert python.slug == "python" and python.key == "python"
    assert python.count == 3
    assert [p.source for p in python.posts] == ["posts/a.qmd", "posts/b.qmd", "posts/c.qmd"]
    assert python.spellings == {"PYTHON": 1, "Python": 2, "python": 1}
    # A tie (1 each) goes to the spelling that sorts first.
    assert cats["Data Science"].slug == "data-science"
    # Posts carry canonical labels, de-duplicated, in their own order.
    c = next(p for p in blog.posts if p.source == "posts/c.qmd")
    assert c.categories == ["Python", "Data Science"]
    assert c.raw_categories == ["Python", "PYTHON", "Data Science"]
    assert f"{root}/posts/b.qmd:4: category 'python' is shown as 'Python'" in "\n".join(
        blog.warnings
    )
    assert len(blog.warnings) == 3  # python, PYTHON, data science


def test_the_label_choice_does_not_depend_on_file_order(make_blog, kit) -> None:
    first = make_blog(
        {
            "posts/a.qmd": kit.post("A", "2024-01-01", ["ML"]),
            "posts/b.qmd": kit.post("B", "2024-01-02", ["ml"]),
        }
    )
    assert [c.label for c in collect_blog(first).categories] == ["ML"]


def test_two_labels_with_one_slug_stay_apart_deterministically(make_blog, kit) -> None:
    root = make_blog(
        {
            "posts/a.qmd": kit.post("A", "2024-01-02", ["machine learning"]),
            "posts/b.qmd": kit.post("B", "2024-01-01", ["machine-learning", "C++", "C#", "C"]),
        }
    )
    blog = collect_blog(root)
    slugs = {c.label: c.slug for c in blog.categories}
    # Sorted keys: "machine learning" < "machine-learning", so the first keeps the slug.
    assert slugs == {
        "machine learning": "machine-learning",
        "machine-learning": "machine-learning-2",
        "C++": "c-plus-plus",
        "C#": "c-sharp",
        "C": "c",
    }
    assert blog.warnings == [
        f"{root}/posts/b.qmd:4: categories 'machine learning' and 'machine-learning' share the "
        "slug 'machine-learning'; 'machine-learning' gets 'machine-learning-2'"
    ]
    assert len({c.slug for c in blog.categories}) == len(blog.categories)


def test_numbered_suffix_skips_slugs_already_taken(make_blog, kit) -> None:
    root = make_blog(
        {"posts/a.qmd": kit.post("A", "2024-01-01", ["a b", "a-b", "a_b", "a-b-2"])},
    )
    slugs = sorted((c.key, c.slug) for c in collect_blog(root).categories)
    assert slugs == [("a b", "a-b"), ("a-b", "a-b-3"), ("a-b-2", "a-b-2"), ("a_b", "a-b-4")]


def test_registry_labels_aliases_descriptions_and_custom_slugs(make_blog, kit) -> None:
    registry = """\
    - label: Machine Learning
      description: Posts about ML
      colour: "#3366cc"
      aliases: [ML, machine-learning]
      slug: ml
    - label: R
      color: blue
      slug: r-lang
    - label: Unused
    """
    root = make_blog(
        {
            "_categories.yml": registry,
            "posts/a.qmd": kit.post("A", "2024-01-02", ["ml", "r"]),
            "posts/b.qmd": kit.post("B", "2024-01-01", ["machine-learning", "Python"]),
        }
    )
    blog = collect_blog(root)
    cats = by_label(blog)
    ml = cats["Machine Learning"]
    assert (ml.slug, ml.count, ml.description, ml.colour) == ("ml", 2, "Posts about ML", "#3366cc")
    assert ml.aliases == ["ML", "machine-learning"]
    assert ml.spellings == {"machine-learning": 1, "ml": 1}
    assert (cats["R"].slug, cats["R"].colour) == ("r-lang", "blue")
    assert blog.posts[0].categories == ["Machine Learning", "R"]
    assert blog.warnings == [f"{root}/_categories.yml:9: category 'Unused' has no posts"]
    index = labels_index(blog.categories)
    assert index["ml"] == "ml" and index["machine learning"] == "ml" and index["r"] == "r-lang"


def test_registry_as_a_mapping(make_blog, kit) -> None:
    root = make_blog(
        {
            "_categories.yml": "dbt:\n  description: Data build tool\nNews: ~\n",
            "posts/a.qmd": kit.post("A", "2024-01-01", ["DBT", "news"]),
        }
    )
    cats = by_label(collect_blog(root))
    assert cats["dbt"].description == "Data build tool"
    assert "News" in cats


@pytest.mark.parametrize(
    ("slug", "problem"),
    [
        ("", "is empty"),
        ("a/b", "contains '/'"),
        ("..", "contains '..'"),
        ("a..b", "contains '..'"),
        (".hidden", "starts with '.'"),
        ("a b", "contains '/'"),
        ("a\\b", "contains '/'"),
        (" a", "has leading or trailing spaces"),
        ("CON", "is a reserved device name on Windows"),
        ("nul.txt", "is a reserved device name on Windows"),
        ("a" * 300, "is longer than 200 bytes"),
        ("a#b", "contains '/'"),
        ("100%", "contains '/'"),
        ("x\u0085y", "contains '/'"),
        ("trailing.", "ends with '.'"),
    ],
)
def test_unsafe_custom_slugs_are_rejected(slug: str, problem: str) -> None:
    message = name_problem(slug)
    assert message is not None and message.startswith(problem)


def test_safe_slugs_pass() -> None:
    for slug in ("ml", "machine-learning", "日本語", "c-plus-plus", "v1.2", "Upper"):
        assert name_problem(slug) is None


def test_registry_errors_name_file_and_line(make_blog, kit) -> None:
    registry = """\
    - label: Good
    - label: Bad slug
      slug: ../../etc
    - label: Other
      sulg: typo
    - description: no label
    - label: Clash
      aliases: [good]
    - label: Good2
      slug: good-2
    - label: Good3
      slug: good-2
    """
    root = make_blog(
        {
            "_categories.yml": registry,
            "posts/a.qmd": kit.post("A", "2024-01-01", ["Good", "Bad slug", "Good2", "Good3"]),
        }
    )
    blog = collect_blog(root)
    where = f"{root}/_categories.yml"
    assert blog.errors == [
        f"{where}:3: slug '../../etc' for 'Bad slug' contains '..'",
        f"{where}:5: unknown category field 'sulg'",
        f"{where}:6: category without a label",
        f"{where}:7: 'good' already belongs to category 'Good' (line 1)",
        f"{where}:11: slug 'good-2' is already used by 'Good2'",
    ]
    slugs = {c.label: c.slug for c in blog.categories}
    assert slugs["Bad slug"] == "bad-slug"  # falls back to the generated slug
    assert slugs["Good3"] == "good3"
    assert all("/" not in s and ".." not in s for s in slugs.values())


def test_registry_with_invalid_yaml() -> None:
    registry = parse_category_definitions("- label: [oops\n", "_categories.yml")
    assert registry.entries == []
    assert str(registry.errors[0]).startswith("_categories.yml:1: invalid YAML")  # where "[" opened


def test_hostile_labels_give_safe_slugs(make_blog, kit) -> None:
    labels = ["<script>alert(1)</script>", "../../etc", "a & b", '"quoted"', ": colon", "🎉", "."]
    root = make_blog({"posts/a.qmd": kit.post("A", "2024-01-01", labels)})
    blog = collect_blog(root)
    assert sorted(c.label for c in blog.categories) == sorted(labels)
    for category in blog.categories:
        assert category.slug and name_problem(category.slug) is None, category.slug
