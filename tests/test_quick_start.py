"""The README's quick start, in order, on a fresh clone: both commands pass, twice (issue 10,
item 11).

The first command (``nbpost build examples/blog``) writes the example's category pages,
archive, feeds and registry into ``examples/blog``; its ``.gitignore`` keeps them out of
commits. The second (the test suite) must still pass with them there: these are the tests that
read ``examples/blog`` in place (the others copy it without its generated files), run in the
clone after the build, then again after a second build. The clone is made of exactly the
files git tracks, as a ``git clone`` of this state would be.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README_BUILD = "nbpost build examples/blog"
TESTS_READING_THE_EXAMPLE = [
    "tests/test_examples_blog.py",
    "tests/blog/test_parallel.py::test_build_with_workers_writes_the_same_bytes",
    "tests/structure/test_behaviour_unchanged.py",  # builds a copy of examples/blog
]
# The clone has no ../shared beside it: it reads this checkout's corpus.
CORPUS = Path(
    os.environ.get(
        "NBPOST_CORPUS", Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
    )
).resolve()


def fresh_clone(repo_root: Path, target: Path) -> Path:
    """The files git tracks, copied as they are in the work tree."""
    git = shutil.which("git")
    if git is None or not (repo_root / ".git").exists():
        pytest.skip("needs git and a git checkout (CI clones the repository)")
    listed = subprocess.run(
        [git, "ls-files", "-z"], cwd=repo_root, capture_output=True, check=True
    ).stdout
    for name in listed.decode("utf-8").split("\0"):
        source = repo_root / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NBPOST_CORPUS": str(CORPUS)}
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env=environment, timeout=600, check=False
    )


def test_readme_names_the_commands_this_test_runs(repo_root: Path) -> None:
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    assert f"pip install . && {README_BUILD}" in readme
    assert "pip install -e '.[test]' && python -m pytest" in readme
    assert not re.search(r"pip install nbpost\b", readme)


def test_quick_start_in_order_on_a_fresh_clone_twice(repo_root: Path, tmp_path: Path) -> None:
    clone = fresh_clone(repo_root, tmp_path / "clone")
    assert not (clone / "examples/blog/categories.json").exists()
    for attempt in (1, 2):
        build = run([sys.executable, "-m", "nbpost", *README_BUILD.split()[1:]], clone)
        assert build.returncode == 0, build.stderr
        assert build.stderr == ""
        if attempt == 2:
            assert " 0 files written" in build.stdout, build.stdout
        assert (clone / "examples/blog/categories.json").is_file()
        tests = run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-x",
                *TESTS_READING_THE_EXAMPLE,
            ],
            clone,
        )
        assert tests.returncode == 0, tests.stdout[-3000:]
