"""Digests of everything nbpost produces from the corpus and the example blog.

``tests/structure/test_behaviour_unchanged.py`` compares a fresh run against
``tests/data/behaviour_digests.json``; ``python tests/structure/snapshot.py`` rewrites that file
(do it only for a deliberate change of output, and say which in the commit).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DIGESTS = REPO / "tests" / "data" / "behaviour_digests.json"
FIXED_MTIME = 1_700_000_000  # 2023-11-14, for every copied input
SKIP = shutil.ignore_patterns("_site", "_freeze", ".quarto", ".nbpost")


def corpus_dir() -> Path:
    """The shared corpus (``$NBPOST_CORPUS`` or ``../shared/corpus``)."""
    return Path(os.environ.get("NBPOST_CORPUS", REPO.parent / "shared" / "corpus"))


def short(data: bytes) -> str:
    """A short content digest: enough to tell outputs apart, small enough to commit."""
    return hashlib.sha256(data).hexdigest()[:16]


def generated_names(source: Path) -> list[str]:
    """The top-level outputs a blog's ``.gitignore`` lists (``/categories/``, ``/POSTS.md``)."""
    ignore = source / ".gitignore"
    if not ignore.is_file():
        return []
    lines = ignore.read_text(encoding="utf-8").splitlines()
    return [line.strip("/") for line in lines if line.startswith("/") and line.strip("/")]


def build_digests(source: Path, work: Path) -> dict[str, str]:
    """Build a copy of one blog; return every file the build wrote, by path, as digests."""
    from nbpost.blog.build import build_blog

    root = work / "blog"
    shutil.copytree(source, root, ignore=SKIP)
    for name in generated_names(source):  # a blog built before (the quick start) starts clean
        target = root / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():  # the shared corpus may be read-only: its copy must not be
            path.chmod(path.stat().st_mode | 0o700 if path.is_dir() else 0o644)
        # `date: last-modified` reads the mtime: make it fixed
        os.utime(path, (FIXED_MTIME, FIXED_MTIME), follow_symlinks=False)
    before = {p for p in root.rglob("*") if p.is_file()}
    build_blog(root, quiet=True)
    made = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p not in before and ".nbpost" not in p.relative_to(root).parts
    )
    return {p.relative_to(root).as_posix(): short(p.read_bytes()) for p in made}


def convert_digests(corpus: Path) -> dict[str, str]:
    """Every corpus post converted to the other format (text API), as digests."""
    from nbpost.api import notebook_to_qmd, qmd_to_notebook
    from nbpost.errors import NbpostError

    results: dict[str, str] = {}
    for path in sorted(corpus.rglob("*")):
        if "_site" in path.parts or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in (".qmd", ".md", ".ipynb") or path.name in ("MANIFEST.md", "README.md"):
            continue
        key = path.relative_to(corpus).as_posix()
        try:
            text = path.read_bytes().decode("utf-8")
            if suffix == ".ipynb":
                out = notebook_to_qmd(text).encode("utf-8")
            else:
                import nbformat

                out = nbformat.writes(qmd_to_notebook(text)).encode("utf-8")
        except (NbpostError, UnicodeDecodeError) as exc:
            out = f"error: {type(exc).__name__}".encode()
        results[key] = short(out)
    return results


def collect() -> dict[str, dict[str, str]]:
    """Digests of: every corpus blog built, the example blog built, every corpus post converted."""
    corpus = corpus_dir().resolve()  # `../shared/corpus` must not look like a path in REPO
    out: dict[str, dict[str, str]] = {}
    blogs = {
        str(p.parent.relative_to(corpus)): p.parent
        for p in sorted(corpus.rglob("_quarto.yml"))
        if "_site" not in p.parts
    }
    blogs["examples/blog"] = REPO / "examples" / "blog"
    for name, source in blogs.items():
        with tempfile.TemporaryDirectory() as work:
            out[f"build:{name}"] = build_digests(source, Path(work))
    out["convert"] = convert_digests(corpus)
    return out


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    DIGESTS.write_text(json.dumps(collect(), indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {DIGESTS}")
