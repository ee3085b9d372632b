"""The per-file metadata cache: a rebuild without changes parses nothing, and incremental
collection always equals a clean one."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

from nbpost.blog.incremental.cache import MetadataCache, default_path
from nbpost.blog.read.collect import collect_blog


def settle(cache_path: Path) -> None:
    """Pretend the cache was written long after every file's mtime (no racy entries)."""
    data = json.loads(cache_path.read_text())
    data["saved-at-ns"] = time.time_ns() + 10**12
    cache_path.write_text(json.dumps(data))


def collect_saved(root):
    """Collect with the blog's own metadata cache, then save it, as a build does."""
    cache = MetadataCache.load(root)
    blog = collect_blog(root, cache=cache)
    cache.save()
    return blog


def snapshot(blog):
    """Everything collection produces, in a comparable form."""
    return (blog.posts, blog.categories, blog.warnings, blog.errors, blog.config)


def test_second_run_parses_nothing_and_reads_nothing(make_blog, kit, monkeypatch) -> None:
    files = {f"posts/p{i}.qmd": kit.post(f"P{i}", f"2024-01-{i + 1:02d}", ["a"]) for i in range(5)}
    files["posts/nb/index.ipynb"] = kit.notebook("title: NB\ndate: 2024-02-01")
    root = make_blog(files)
    cold = collect_saved(root)
    assert default_path(root).is_file()
    settle(default_path(root))
    cache = MetadataCache.load(root)
    opened: list[str] = []
    real_open = open

    def spy_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    real_os_open = os.open

    def spy_os_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_os_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy_open)
    monkeypatch.setattr("os.open", spy_os_open)
    warm = collect_blog(root, cache=cache)
    monkeypatch.undo()
    assert cache.parsed == 0 and cache.verified == 0 and cache.hits == 7
    assert [name for name in opened if name.endswith((".qmd", ".ipynb"))] == []
    assert snapshot(warm) == snapshot(cold)


def test_touched_file_is_verified_by_digest_not_parsed(make_blog, kit) -> None:
    root = make_blog({"posts/a.qmd": kit.post("A", "2024-01-01")})
    collect_saved(root)
    settle(default_path(root))
    # A cold build hashes nothing; the first touch parses the file and records its digest.
    os.utime(root / "posts/a.qmd", ns=(time.time_ns(), time.time_ns() + 5 * 10**9))
    cache = MetadataCache.load(root)
    assert cache.entries["posts/a.qmd"]["digest"] == ""
    collect_blog(root, cache=cache)
    assert (cache.parsed, cache.verified) == (1, 0)
    cache.save()
    settle(default_path(root))
    # Every later touch is verified by that digest, without parsing.
    os.utime(root / "posts/a.qmd", ns=(time.time_ns(), time.time_ns() + 9 * 10**9))
    cache = MetadataCache.load(root)
    assert cache.entries["posts/a.qmd"]["digest"] != ""
    collect_blog(root, cache=cache)
    assert (cache.parsed, cache.verified) == (0, 1)


def test_same_size_edit_with_unchanged_mtime_is_caught_when_racy(make_blog, kit) -> None:
    root = make_blog({"posts/a.qmd": kit.post("Aaaa", "2024-01-01")})
    path = root / "posts/a.qmd"
    collect_saved(root)
    stat = path.stat()
    path.write_text(path.read_text().replace("Aaaa", "Bbbb"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    # The cache was written within the racy window of that mtime, so it checks the digest.
    assert collect_saved(root).posts[0].title == "Bbbb"


def test_corrupt_or_outdated_cache_is_ignored(make_blog, kit) -> None:
    root = make_blog({"posts/a.qmd": kit.post("A")})
    default_path(root).parent.mkdir()
    default_path(root).write_text("{not json")
    assert collect_saved(root).posts[0].title == "A"
    data = json.loads(default_path(root).read_text())
    data["version"] = -1
    default_path(root).write_text(json.dumps(data))
    cache = MetadataCache.load(root)
    assert cache.entries == {}


def test_records_json_cannot_hold_are_not_cached(make_blog) -> None:
    root = make_blog({"posts/a.qmd": "---\ntitle: A\n1: numeric key\nx: .nan\n---\n"})
    cache = MetadataCache(None)
    blog = collect_blog(root, cache=cache)
    assert blog.posts[0].meta[1] == "numeric key"
    assert "posts/a.qmd" not in cache.entries and "index.qmd" in cache.entries


def _random_post(rng: random.Random, number: int) -> str:
    labels = ["Python", "python", "R", "data science", "Data Science", "ml", "dbt", "a-b", "a b"]
    categories = rng.sample(labels, rng.randint(0, 3))
    date = rng.choice([f"2024-{rng.randint(1, 12)}-{rng.randint(1, 28)}", "03/04/2023", "bad"])
    draft = "draft: true\n" if rng.random() < 0.1 else ""
    if rng.random() < 0.05:
        return "---\ntitle: [broken\n---\n"
    return (
        f"---\ntitle: Post {number} {rng.random():.6f}\ndate: {date}\n"
        f"categories: {json.dumps(categories)}\n{draft}---\n\nBody {number}.\n"
    )


def test_incremental_equals_clean_after_adds_edits_renames_and_deletions(make_blog, kit) -> None:
    rng = random.Random(20241017)
    root = make_blog({f"posts/p{i}.qmd": _random_post(rng, i) for i in range(30)})
    collect_saved(root)
    names = [f"posts/p{i}.qmd" for i in range(30)]
    counter = 30
    for _round in range(8):
        for _change in range(rng.randint(1, 6)):
            action = rng.choice(["add", "edit", "rename", "delete", "touch", "meta"])
            if action == "add" or not names:
                counter += 1
                name = f"posts/sub{counter % 3}/p{counter}.qmd"
                (root / name).parent.mkdir(parents=True, exist_ok=True)
                (root / name).write_text(_random_post(rng, counter))
                names.append(name)
            elif action == "edit":
                name = rng.choice(names)
                (root / name).write_text(_random_post(rng, counter))
            elif action == "rename":
                old = names.pop(rng.randrange(len(names)))
                counter += 1
                new = f"posts/renamed{counter}.qmd"
                (root / old).rename(root / new)
                names.append(new)
            elif action == "delete":
                (root / names.pop(rng.randrange(len(names)))).unlink()
            elif action == "touch":
                os.utime(root / rng.choice(names))
            else:
                (root / "posts/_metadata.yml").write_text(
                    rng.choice(["categories: [site]\n", "draft: false\n", "author: Me\n"])
                )
        if rng.random() < 0.5:
            settle(default_path(root))
        incremental = collect_saved(root)
        clean = collect_blog(root)
        assert snapshot(incremental) == snapshot(clean)
        cached = set(json.loads(default_path(root).read_text())["entries"])
        assert cached == {*names, "index.qmd"} - {n for n in names if "broken" in n}
