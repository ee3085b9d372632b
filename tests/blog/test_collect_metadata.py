"""Quarto's metadata merge rules and listing field readers (nbpost.blog.read.metadata)."""

from __future__ import annotations

from nbpost.blog.read.metadata import (
    author_names,
    category_labels,
    merge_configs,
    metadata_chain,
    truthy,
)


def test_quarto_merge_cases() -> None:
    # quarto-behaviour.md section 5, test cases 1-4.
    assert merge_configs({"toc": True}, {"toc": False}, {})["toc"] is False
    assert merge_configs({"bibliography": ["refs.bib"]}, {"bibliography": ["proj.bib"]}) == {
        "bibliography": ["refs.bib", "proj.bib"]
    }
    assert merge_configs({"categories": ["news"]}, {"categories": ["r", "news"]}) == {
        "categories": ["news", "r"]
    }
    assert merge_configs({"categories": "a"}, {"categories": ["b"]}) == {"categories": ["a", "b"]}
    assert merge_configs({"categories": "a"}, {"categories": "b"}) == {"categories": "b"}


def test_objects_deep_merge_and_nulls_give_the_other_side() -> None:
    parent = {"format": {"html": {"toc": True, "css": ["a.css"]}}, "x": 1, "y": None}
    child = {"format": {"html": {"css": "b.css", "code-fold": True}}, "x": None, "y": 2}
    assert merge_configs(parent, child) == {
        "format": {"html": {"toc": True, "css": ["a.css", "b.css"], "code-fold": True}},
        "x": 1,
        "y": 2,
    }
    assert parent["format"]["html"]["css"] == ["a.css"]  # inputs untouched


def test_always_list_keys_and_replaced_keys() -> None:
    assert merge_configs({"css": "a.css"}, {"css": "b.css"}) == {"css": ["a.css", "b.css"]}
    assert merge_configs({"tbl-colwidths": [1, 2]}, {"tbl-colwidths": [3]}) == {
        "tbl-colwidths": [3]
    }


def test_list_dedup_is_by_value_including_objects() -> None:
    merged = merge_configs({"a": [{"k": 1}, 2]}, {"a": [{"k": 1}, 3, 2]})
    assert merged == {"a": [{"k": 1}, 2, 3]}


def test_metadata_chain_follows_quartos_root_quirk() -> None:
    levels = {"": {"n": "root"}, "posts": {"n": "posts"}, "posts/a": {"n": "a"}}
    assert metadata_chain("", levels) == [{"n": "root"}]
    assert metadata_chain("posts", levels) == [{"n": "posts"}]
    assert metadata_chain("posts/a/b", levels) == [{"n": "posts"}, {"n": "a"}]
    assert metadata_chain("other", levels) == []


def test_author_names() -> None:
    assert author_names("Ann") == ["Ann"]
    assert author_names(["Ann", "Bob", "Ann"]) == ["Ann", "Bob"]
    assert author_names({"name": "Ann", "affiliation": "X"}) == ["Ann"]
    assert author_names([{"name": {"given": "Ada", "family": "Lovelace"}}]) == ["Ada Lovelace"]
    assert author_names([{"name": {"literal": "The Team", "given": "x"}}]) == ["The Team"]
    assert author_names([{"affiliation": "no name"}, None, "", 42]) == ["42"]
    assert author_names(None) == []


def test_category_labels() -> None:
    assert category_labels(["a", " b ", "a", None, "", 2024, True, ["nested"]]) == [
        "a",
        "b",
        "2024",
        "true",
    ]
    assert category_labels("solo") == ["solo"]
    assert category_labels(None) == []


def test_truthy() -> None:
    assert truthy(True) and truthy("true") and truthy(" True ")
    assert not truthy(False) and not truthy("yes") and not truthy(1) and not truthy(None)


def test_recursive_yaml_aliases_are_found_and_shared_ones_are_fine() -> None:
    import yaml

    from nbpost.frontmatter import QuartoYamlLoader
    from nbpost.yamlguard import YamlLimitError, check_nodes

    def recursive(text: str) -> bool:
        try:
            check_nodes(yaml.compose(text, Loader=QuartoYamlLoader))
        except YamlLimitError as exc:
            assert "refers to the value that contains it" in exc.message
            return True
        return False

    assert recursive("a: &x [1, *x]")
    assert recursive("a: &x {b: {c: *x}}")
    assert recursive("&top {a: *top}")
    assert not recursive("a: &x [1, 2]\nb: *x\nc: [*x, *x]")
    assert not recursive("a: 1\nb: [x, {c: d}]")
