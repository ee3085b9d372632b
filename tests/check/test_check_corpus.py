"""``nbpost check`` over every blog of the shared corpus: no crash, and no error for anything
Quarto renders as the author meant (the kinds it reports there were judged one by one: see
docs/check.md, "On real blogs")."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from nbpost.check.findings import CODES
from nbpost.check.runner import check_blog

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("NBPOST_CORPUS", REPO / "../shared/corpus"))

pytestmark = pytest.mark.corpus


def blog_roots() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(path.parent for path in CORPUS.rglob("_quarto.yml"))


@pytest.fixture(scope="module")
def corpus_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list]:
    """Every corpus blog checked from a copy (check keeps its state in the blog's .nbpost/)."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    results = {}
    for root in blog_roots():
        name = root.relative_to(CORPUS).as_posix()
        copy = tmp_path_factory.mktemp("corpus") / "blog"
        shutil.copytree(root, copy)
        results[name] = check_blog(copy, "blog", reuse=False)
        assert check_blog(copy, "blog") == results[name]  # the stored result agrees
    return results


def test_every_corpus_blog_is_checked_without_errors(corpus_findings) -> None:
    assert len(corpus_findings) >= 12
    errors = [
        f.text() for found in corpus_findings.values() for f in found if f.severity == "error"
    ]
    assert errors == []
    for found in corpus_findings.values():
        assert all(f.code in CODES and f.path.startswith("blog/") for f in found)


def test_real_problems_of_the_corpus_are_found(corpus_findings) -> None:
    """Problems the blogs really have (checked by reading the posts), one per rule family."""
    codes = Counter(f.code for found in corpus_findings.values() for f in found)
    assert {"NB101", "NB102", "NB202", "NB204", "NB402", "NB503", "NB601"} <= set(codes)
    strickvl = [f.message for f in corpus_findings["strickvl__mlops-dot-systems"]]
    assert any("'llm' (14 posts) and 'llms' (32)" in m for m in strickvl)
    julia = corpus_findings["JuliaHealth__juliahealth.github.io"]
    assert any(f.code == "NB202" and "'11/03/2024'" in f.message for f in julia)
