"""The build after an edit: re-read posts patched into the last full build's collection.

``nbpost.blog.read.patch`` and ``nbpost.blog.render.memo`` make a build after a few posts
changed read only those posts and reuse every other post's pieces. These tests check that such
a build is taken when it should be, that it writes byte for byte what a clean build writes and
reports the same problems, and that anything it cannot vouch for is collected afresh. The
random sequences of edits are in ``test_incremental_equivalence.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import marshal
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from nbpost.blog import build
from nbpost.blog.build import build_blog
from nbpost.blog.model import Post

PAUSE = 0.08  # longer than the shrunk racy window and the kernel's timestamp tick
QUARTO_YML = (
    'project:\n  type: website\nwebsite:\n  title: "Patch"\n  site-url: https://example.org/\n'
)
LISTING = '---\ntitle: "Posts"\nlisting:\n  contents: posts\n---\n'
SOURCES = ("posts", "_quarto.yml", "index.qmd", "_categories.yml")


def _post(title: str, day: int, categories: list[str], extra: str = "") -> str:
    return (
        f"---\ntitle: {json.dumps(title)}\ndate: 2024-03-{day:02d}\n"
        f"categories: {json.dumps(categories)}\n{extra}---\n\nFirst paragraph of {title}.\n"
    )


@pytest.fixture
def blog(tmp_path: Path, short_racy_window: int) -> Path:
    """A built blog of 12 posts whose files are out of the (shrunk) racy window."""
    root = tmp_path / "blog"
    (root / "posts").mkdir(parents=True)
    (root / "_quarto.yml").write_text(QUARTO_YML, encoding="utf-8")
    (root / "index.qmd").write_text(LISTING, encoding="utf-8")
    labels = ["python", "data", "R", "notes"]
    for n in range(1, 13):
        folder = root / "posts" / f"p{n:02d}"
        folder.mkdir()
        categories = [labels[n % 4], labels[(n + 1) % 4]]
        (folder / "index.qmd").write_text(_post(f"Post {n}", n, categories), encoding="utf-8")
    time.sleep(PAUSE)
    assert build_blog(root, quiet=True).ok
    time.sleep(PAUSE)
    return root


def _outputs(root: Path) -> dict[str, bytes]:
    skip = (".nbpost/", *SOURCES)
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith(skip)
    }


def _clean_build(root: Path, tmp_path: Path) -> tuple[dict[str, bytes], build.BuildResult]:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    clean.mkdir()
    for name in SOURCES:
        if (root / name).is_dir():
            shutil.copytree(root / name, clean / name)
        elif (root / name).is_file():
            shutil.copy2(root / name, clean / name)
    result = build_blog(clean, quiet=True)
    return _outputs(clean), result


def _messages(result: build.BuildResult, root: Path) -> list[str]:
    return sorted(m.replace(str(root), "ROOT") for m in [*result.errors, *result.warnings])


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    time.sleep(PAUSE)


def _assert_as_clean(root: Path, tmp_path: Path, result: build.BuildResult) -> None:
    expected, clean = _clean_build(root, tmp_path)
    assert _outputs(root) == expected
    assert _messages(result, root) == _messages(clean, tmp_path / "clean")
    assert (result.posts, result.categories) == (clean.posts, clean.categories)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('title: "Post 5"', 'title: "Post five & <more>"'),  # title
        ("date: 2024-03-05", "date: 2024-03-28"),  # date: the post moves to the top
        ('categories: ["data", "R"]', 'categories: ["Data", "new label"]'),  # categories
        ('categories: ["data", "R"]', 'categories: ["R"]'),  # a category left
        ("First paragraph", "Another first paragraph"),  # the description only
        ("date: 2024-03-05\n", "date: 2024-03-05\ndraft: true\n"),  # a draft now
        ("date: 2024-03-05", "date: not a date"),  # a warning instead of a date
    ],
)
def test_an_edited_post_is_patched_in_and_matches_a_clean_build(
    blog: Path, tmp_path: Path, patch_attempts: list[bool], old: str, new: str
) -> None:
    _edit(blog / "posts/p05/index.qmd", old, new)
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True]
    _assert_as_clean(blog, tmp_path, result)
    # The next edit, of another post, patches both in (the first is still newer than the store).
    _edit(blog / "posts/p09/index.qmd", 'title: "Post 9"', 'title: "Post nine"')
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True, True]
    _assert_as_clean(blog, tmp_path, result)
    # Nothing new since: the last result stands, without reading or patching.
    assert build_blog(blog, quiet=True).written == []
    assert patch_attempts == [True, True]


def _state(root: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / ".nbpost" / name).read_text(encoding="utf-8"))
    return data


def test_an_edit_keeps_the_base_and_notes_the_files_read_again(
    blog: Path, tmp_path: Path, patch_attempts: list[bool]
) -> None:
    """A build after an edit writes no file columns: the full build's base stays as it was,
    ``state.json`` names it and lists the stats of the files read again since."""
    base_file = blog / ".nbpost/state-base.json"
    base_before = base_file.stat()
    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post five"')
    build_blog(blog, quiet=True)
    _edit(blog / "posts/p09/index.qmd", 'title: "Post 9"', 'title: "Post nine"')
    build_blog(blog, quiet=True)
    assert patch_attempts == [True, True]
    after = base_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (base_before.st_ino, base_before.st_mtime_ns)
    state = _state(blog, "state.json")
    assert state["base"] == _state(blog, "state-base.json")["token"] and "files" not in state
    edited = ["posts/p05/index.qmd", "posts/p09/index.qmd"]
    assert sorted(state["files-delta"]) == edited == state["patched"]
    stat = (blog / edited[1]).stat()
    assert state["files-delta"][edited[1]][:2] == [stat.st_size, stat.st_mtime_ns]
    assert build_blog(blog, quiet=True).written == []  # the delta vouches for both files
    _assert_as_clean(blog, tmp_path, build_blog(blog, quiet=True))


@pytest.mark.parametrize(
    "damage",
    [
        lambda state, base: state.update(base="another token"),  # a base written meanwhile
        lambda state, base: state["files-delta"].update({"posts/gone.qmd": [1, 2, 3, 4]}),
        lambda state, base: state["files-delta"].update({"posts/p01/index.qmd": [1, 2]}),
        lambda state, base: state.pop("files-delta"),
        lambda state, base: base.pop("folders"),
    ],
)
def test_a_base_and_delta_that_do_not_fit_send_the_build_the_full_way(
    blog: Path, tmp_path: Path, patch_attempts: list[bool], damage: Any
) -> None:
    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post five"')
    build_blog(blog, quiet=True)
    state, base = _state(blog, "state.json"), _state(blog, "state-base.json")
    damage(state, base)
    (blog / ".nbpost/state.json").write_text(json.dumps(state), encoding="utf-8")
    (blog / ".nbpost/state-base.json").write_text(json.dumps(base), encoding="utf-8")
    _edit(blog / "posts/p09/index.qmd", 'title: "Post 9"', 'title: "Post nine"')
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True]  # the second build could not patch: it went the full way
    _assert_as_clean(blog, tmp_path, result)


def test_a_build_hands_what_it_made_to_keep_for_a_process_that_ends(
    blog: Path, tmp_path: Path, patch_attempts: list[bool]
) -> None:
    """``nbpost build`` ends with ``os._exit``: the store and blog a build made are kept
    rather than freed one by one (``keep``); a build without ``keep`` frees them."""
    from nbpost.blog.incremental.store import BuildStore
    from nbpost.blog.model import Blog

    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post five"')
    kept: list[object] = []
    build_blog(blog, quiet=True, keep=kept)
    assert patch_attempts == [True]
    assert {BuildStore, Blog} <= {type(thing) for thing in kept}
    fresh: list[object] = []
    shutil.rmtree(blog / ".nbpost")
    build_blog(blog, quiet=True, keep=fresh)
    assert Blog in {type(thing) for thing in fresh} and patch_attempts == [True]


def test_the_newest_date_is_worked_out_once_a_build(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprints and the feeds both need the blog's newest date (``Blog.newest``)."""
    from nbpost.blog import model

    asked: list[int] = []
    real = model.Blog.newest.func  # type: ignore[attr-defined]

    def counted(self: model.Blog) -> Any:
        asked.append(1)
        return real(self)

    monkeypatch.setattr(model.Blog, "newest", functools.cached_property(counted))
    monkeypatch.setattr(model.Blog.newest, "attrname", "newest", raising=False)
    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post five"')
    result = build_blog(blog, quiet=True)
    assert asked == [1]
    _assert_as_clean(blog, tmp_path, result)


def test_an_edit_no_output_shows_checks_the_outputs_once(
    blog: Path, patch_attempts: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paragraph after the first shows in no output: nothing to write, and each output the
    snapshot just found as the last build left it is looked up once, not again."""
    from nbpost.blog.incremental import manifest as manifest_module

    looked_up: list[str] = []
    real_lstat = os.lstat

    def spy(path: str) -> os.stat_result:
        looked_up.append(str(path))
        return real_lstat(path)

    # The last build's files trusted by their stat (else they are read, racy: see
    # ``manifest._untouched``), as a minute after that build.
    monkeypatch.setattr(manifest_module, "RACY_MARGIN_NS", -60 * 10**9)
    monkeypatch.setattr(manifest_module.os, "lstat", spy)  # every os.lstat: outputs counted
    post = blog / "posts/p05/index.qmd"
    post.write_text(post.read_text(encoding="utf-8") + "\nA later paragraph.\n", "utf-8")
    time.sleep(PAUSE)
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True] and result.written == [] and result.unchanged
    outputs = sorted(str(blog / key) for key in result.unchanged)
    assert len(outputs) > 20
    assert sorted(path for path in looked_up if path in outputs) == outputs  # the snapshot's


def test_a_category_spelling_decided_blog_wide_re_renders_every_line(
    blog: Path, tmp_path: Path, patch_attempts: list[bool]
) -> None:
    # Six posts spell it "python"; four of them spelling it "Python" make that the label shown
    # on every post that carries it, the eight posts not read again included.
    for n in (3, 4, 7, 8):
        _edit(blog / f"posts/p{n:02d}/index.qmd", '"python"', '"Python"')
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True]
    _assert_as_clean(blog, tmp_path, result)
    assert "Python" in (blog / "archive/index.qmd").read_text(encoding="utf-8")


def test_the_category_table_is_kept_only_when_the_edit_cannot_change_it(
    blog: Path, tmp_path: Path, patch_attempts: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbpost.blog.read import collect

    made: list[int] = []
    real = collect.build_categories
    monkeypatch.setattr(collect, "build_categories", lambda *a: made.append(1) or real(*a))
    post = blog / "posts/p05/index.qmd"
    # The last full build (the one patches start from) saw p05 spell a label its own way: the
    # table's warning names p05's categories line.
    _edit(post, '["data", "R"]', '["data", "Python"]')
    _edit(blog / "_quarto.yml", '"Patch"', '"Patch, again"')
    assert "'Python' is shown as 'python'" in " ".join(build_blog(blog, quiet=True).warnings)
    assert True not in patch_attempts  # a full build: its store is the one patched below
    patch_attempts.clear()
    steps = [  # each compared with the post as that full build read it
        ('title: "Post 5"', 'title: "Post five"', 0),  # the same labels, place and line: kept
        ('title: "Post five"', 'title: "Post five"\nsubtitle: "x"', 1),  # the warning's line
        ('\nsubtitle: "x"', "", 0),
        ("First paragraph", "The first paragraph", 0),
        ('["data", "Python"]', '["data", "python"]', 1),  # other labels
        ('["data", "python"]', '["data", "Python"]', 0),
        ("date: 2024-03-05", "date: 2024-03-03", 1),  # after p04 and p03, which share labels
        ("date: 2024-03-03", "date: 2024-03-05", 0),
        ("date: 2024-03-05\n", "date: 2024-03-05\ndraft: true\n", 1),  # out of the blog
    ]
    for number, (old, new, tables) in enumerate(steps, start=1):
        made.clear()
        _edit(post, old, new)
        result = build_blog(blog, quiet=True)
        assert patch_attempts == [True] * number
        assert len(made) == tables, (old, new)
        _assert_as_clean(blog, tmp_path, result)


def test_a_spelling_decided_back_re_renders_the_lines_that_show_it(
    blog: Path, tmp_path: Path, patch_attempts: list[bool]
) -> None:
    # The full build shows "Python" (four posts spell it so); the edit makes "python" the
    # label shown again, which is also the category's key: every line showing it changes.
    for n in (3, 4, 7, 8):
        _edit(blog / f"posts/p{n:02d}/index.qmd", '"python"', '"Python"')
    _edit(blog / "_quarto.yml", '"Patch"', '"Patch, again"')
    build_blog(blog, quiet=True)
    assert "Python" in (blog / "POSTS.md").read_text(encoding="utf-8")
    for n in (3, 4, 7, 8):
        _edit(blog / f"posts/p{n:02d}/index.qmd", '"Python"', '"python"')
    result = build_blog(blog, quiet=True)
    assert patch_attempts[-1] is True
    _assert_as_clean(blog, tmp_path, result)


@pytest.mark.parametrize(
    "change",
    ["new post", "listing page", "quarto", "broken", "categories file", "renamed"],
)
def test_changes_beyond_existing_posts_collect_the_blog_afresh(
    blog: Path, tmp_path: Path, patch_attempts: list[bool], change: str
) -> None:
    post = blog / "posts/p03/index.qmd"
    if change == "new post":
        (blog / "posts/p99").mkdir()
        (blog / "posts/p99/index.qmd").write_text(_post("New", 20, ["data"]), encoding="utf-8")
    elif change == "listing page":
        _edit(post, "categories:", "listing:\n  contents: notes\ncategories:")
    elif change == "quarto":
        _edit(blog / "_quarto.yml", '"Patch"', '"Patched"')
    elif change == "broken":
        _edit(post, "title:", "title: [unclosed\nx:")
    elif change == "categories file":
        (blog / "_categories.yml").write_text("- label: data\n  slug: numbers\n", "utf-8")
    else:
        (blog / "posts/p03").rename(blog / "posts/p03-renamed")
    time.sleep(PAUSE)
    result = build_blog(blog, quiet=True)
    assert True not in patch_attempts  # not tried (the snapshot saw a new file) or refused
    _assert_as_clean(blog, tmp_path, result)


def test_a_new_category_makes_again_only_the_lines_of_the_posts_that_carry_it(
    blog: Path, tmp_path: Path, patch_attempts: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbpost.blog.incremental import fingerprints
    from nbpost.blog.render import archive, mdindex

    lines: list[str] = []
    fields: list[str] = []
    real_line, real_fields = archive.post_line, fingerprints._post_fields

    def line(post: Post, *args: Any) -> str:
        lines.append(post.source)
        return real_line(post, *args)

    def post_fields(post: Post) -> bytes:
        fields.append(post.source)
        return real_fields(post)

    monkeypatch.setattr(archive, "post_line", line)
    monkeypatch.setattr(mdindex, "post_line", line)
    monkeypatch.setattr(fingerprints, "_post_fields", post_fields)
    _edit(blog / "posts/p05/index.qmd", '["data", "R"]', '["data", "R", "brand new"]')
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True]
    # Its own line (POSTS.md and the archive), and no other post's: none carries the new label.
    assert lines == ["posts/p05/index.qmd"] * 2
    assert fields == ["posts/p05/index.qmd"]
    _assert_as_clean(blog, tmp_path, result)


@pytest.mark.parametrize("another_build_between", [False, True])
def test_a_patch_build_looks_for_a_killed_builds_temporaries_only_when_it_may_find_some(
    blog: Path,
    tmp_path: Path,
    patch_attempts: list[bool],
    monkeypatch: pytest.MonkeyPatch,
    another_build_between: bool,
) -> None:
    from nbpost.blog.incremental import snapshot

    dead = 2**22 + 54321  # above Linux's default pid_max: no such process
    leftover = blog / f"categories/data/.index.qmd.{dead}.tmp"
    leftover.write_bytes(b"partial")
    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post five"')
    if another_build_between:
        # Between this build's look at the snapshot and its lock, another build began writing
        # (it discards the snapshot first) and was killed: its temporaries may be anywhere.
        real = snapshot.Drift.still_current
        monkeypatch.setattr(
            snapshot.Drift,
            "still_current",
            lambda self, root: snapshot.discard_state(root) or real(self, root),
        )
    result = build_blog(blog, quiet=True)
    assert patch_attempts == [True]
    # The last build finished and saved its snapshot: no build was killed writing since
    # (none could leave this file), so the 400 folders of a large blog are not listed.
    assert leftover.exists() != another_build_between
    leftover.unlink(missing_ok=True)
    _assert_as_clean(blog, tmp_path, result)


def test_quarto_naming_the_changed_file_still_patches(
    blog: Path, tmp_path: Path, patch_attempts: list[bool]
) -> None:
    post = blog / "posts/p07/index.qmd"
    _edit(post, 'title: "Post 7"', 'title: "Post seven"')
    result = build_blog(blog, quiet=True, input_files=[str(post)])
    assert patch_attempts == [True]
    _assert_as_clean(blog, tmp_path, result)


def test_nothing_after_collection_reads_post_meta(repo_root: Path) -> None:
    """The store keeps posts without ``meta`` (``Post.as_row``): a renderer that read it would
    render a patched build differently from a full one."""
    package = repo_root / "src/nbpost/blog"
    readers = [
        path.relative_to(package).as_posix()
        for folder in ("render", "incremental")
        for path in sorted((package / folder).glob("*.py"))
        if re.search(r"\.meta\b", path.read_text(encoding="utf-8"))
    ]
    build_text = (package / "build.py").read_text(encoding="utf-8")
    assert readers == [] and not re.search(r"\.meta\b", build_text)


@pytest.mark.parametrize("offset", [None, 0, 330, -480])
def test_a_post_row_gives_the_same_post_back(offset: int | None) -> None:
    zone = dt.timezone(dt.timedelta(minutes=offset)) if offset is not None else None
    date = dt.datetime(2024, 2, 29, 13, 5, 7, 123456, tzinfo=zone or dt.timezone.utc)
    post = Post(
        source="posts/a/index.qmd",
        href="/posts/a/",
        title="Café",
        description="d",
        authors=["Ann"],
        date=date,
        date_text="2024-02-29",
        categories=["python"],
        raw_categories=["Python"],
        draft=False,
        image="a.png",
        date_modified=date if offset else None,
        external=False,
        meta={"title": "Café"},
        line_of={"title": 2},
    )
    back = Post.from_row(post.as_row())
    assert back.meta == {}
    back.meta = post.meta
    assert back == post
    assert list(back.__dict__) == list(post.__dict__)  # as_row reads the fields in this order
    assert back.date is not None and back.date.utcoffset() == date.utcoffset()


@pytest.mark.parametrize("raw", [["python"], ["Python"], []])
def test_a_post_row_shares_recurring_strings_and_gives_lists_of_its_own(raw: list[str]) -> None:
    """Rows intern labels, authors and front matter keys (marshal writes a shared string
    once); labels as written equal to the labels are kept once, and come back as a list of
    their own."""
    made = "".join(["py", "thon"])  # a string object no literal shares
    post = Post(
        source="posts/a/index.qmd", href="/posts/a/", title="t", description="d",
        authors=["".join(["A", "nn"])], date=None, date_text=None, categories=[made],
        raw_categories=raw if raw != ["python"] else [made], line_of={"".join(["ti", "tle"]): 2},
    )  # fmt: skip
    row = post.as_row()
    assert row[7][0] is sys.intern("python") and row[4][0] is sys.intern("Ann")
    assert next(iter(row[14])) is sys.intern("title")
    assert (row[8] is None) == (raw == ["python"])
    back = Post.from_row(marshal.loads(marshal.dumps(row)))
    assert back == post
    assert back.raw_categories is not back.categories
    back.raw_categories.append("x")
    assert back.categories == ["python"]


@pytest.fixture
def forked_checks(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The stat checks forked as on a 10,000-post blog; each build's forked items recorded."""
    from nbpost.blog.incremental import statcheck

    monkeypatch.setattr(statcheck, "PARALLEL_MIN_FOLDERS", 1)
    monkeypatch.setattr(statcheck, "available_cpus", lambda: 2)
    real = statcheck.map_in_processes
    calls: list[list[str]] = []

    def spy(function: Any, items: list[str], processes: int) -> Any:
        calls.append(list(items))
        return real(function, items, processes)

    monkeypatch.setattr(statcheck, "map_in_processes", spy)
    return calls


BESIDE = ["meanwhile", "inputs"]  # the store loads here while a forked process checks


def test_on_a_large_blog_the_store_loads_while_a_forked_process_checks(
    blog: Path,
    tmp_path: Path,
    patch_attempts: list[bool],
    forked_checks: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nbpost.blog.incremental import store

    loads: list[int] = []
    real_load = store.load_store

    def load_store(root: Path) -> Any:
        loads.append(os.getpid())
        return real_load(root)

    monkeypatch.setattr(store, "load_store", load_store)
    post = blog / "posts/p05/index.qmd"
    _edit(post, 'title: "Post 5"', 'title: "Post five"')
    result = build_blog(blog, quiet=True)
    assert forked_checks == [BESIDE] and patch_attempts == [True] and loads == [os.getpid()]
    _assert_as_clean(blog, tmp_path, result)
    _edit(post, 'title: "Post five"', 'title: "Post 5 again"')
    result = build_blog(blog, quiet=True)  # saved again: the same
    assert forked_checks == [BESIDE] * 2 and patch_attempts == [True] * 2 and len(loads) == 2
    _assert_as_clean(blog, tmp_path, result)
    # Nothing new: the store loaded meanwhile is not used, and nothing is written.
    assert build_blog(blog, quiet=True).written == []
    assert forked_checks == [BESIDE] * 3 and patch_attempts == [True] * 2


def test_a_build_whose_forked_check_finds_a_new_file_collects_afresh(
    blog: Path, tmp_path: Path, patch_attempts: list[bool], forked_checks: list[list[str]]
) -> None:
    (blog / "posts/p05/extra.qmd").write_text(_post("Extra", 20, ["new"]), encoding="utf-8")
    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post five"')
    result = build_blog(blog, quiet=True)
    assert forked_checks == [BESIDE] and patch_attempts == []  # the full way, store unused
    _assert_as_clean(blog, tmp_path, result)


def test_a_check_whose_forked_process_fails_is_made_here(
    blog: Path,
    tmp_path: Path,
    patch_attempts: list[bool],
    forked_checks: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nbpost.blog.incremental import statcheck

    here, real = os.getpid(), statcheck._changed_files

    def only_here(*args: Any) -> Any:
        if os.getpid() != here:
            raise RuntimeError("the worker fails")
        return real(*args)

    monkeypatch.setattr(statcheck, "_changed_files", only_here)
    _edit(blog / "posts/p05/index.qmd", 'title: "Post 5"', 'title: "Post 5 & more"')
    _edit(blog / "posts/p06/index.qmd", 'title: "Post 6"', 'title: "Post six"')
    result = build_blog(blog, quiet=True)
    assert forked_checks == [BESIDE] and patch_attempts == [True]
    _assert_as_clean(blog, tmp_path, result)
