"""``nbpost check`` as a user runs it: output lines, --json, --select/--ignore, exit status,
and the stored result that makes a run with nothing changed read no post."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from checkhelpers import make_blog, post

from nbpost.check import gather as gather_module
from nbpost.check import state
from nbpost.cli import main
from nbpost.cli.messages import EXIT_BAD_INPUT


def _settle(root: Path) -> None:
    """Pretend the last check was saved long after every stat in it (nothing is racy), as
    when the next run comes seconds later; a real wait would slow the suite down."""
    path = root / ".nbpost" / state.STATE_FILE
    stored = json.loads(path.read_text())
    stored["saved-at-ns"] = time.time_ns() + 10**10
    path.write_text(json.dumps(stored))


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    return make_blog(
        tmp_path,
        {
            "posts/a.qmd": post("A", date="03/04/2024", categories=["Python"]),
            "posts/b.qmd": post("B", date="2024-13-45", categories=["Python"]),
            "posts/c.qmd": post("C", categories=["python"]),
        },
    )


def test_lines_and_exit_status(blog: Path, run_cli) -> None:
    result = run_cli("check", blog)
    assert result.status == 1  # NB201 is an error
    assert result.out.splitlines() == [
        f"{blog}/posts/a.qmd:3: NB202 date '03/04/2024' is ambiguous; nbpost reads it as "
        "March 4, 2024 (Quarto reads month first); write 2024-03-04 to be sure",
        f"{blog}/posts/b.qmd:3: NB201 cannot read date '2024-13-45'",
        f"{blog}/posts/c.qmd:4: NB101 category 'python' is spelled 'Python' in 2 other posts; "
        "Quarto's own listings show them apart (--fix writes 'Python')",
    ]
    assert result.err == "3 findings (1 error)\n"


def test_select_and_ignore_by_prefix(blog: Path, run_cli) -> None:
    assert run_cli("check", blog, "--ignore", "NB201").status == 0  # warnings only
    selected = run_cli("check", blog, "--select", "NB1,NB20", "--ignore", "NB201")
    assert [line.split(" ")[1] for line in selected.out.splitlines()] == ["NB202", "NB101"]
    assert run_cli("check", blog, "--select", "nb3").out == ""


def test_json(blog: Path, run_cli) -> None:
    result = run_cli("check", blog, "--json", "--select", "NB201")
    assert result.status == 1
    assert json.loads(result.out) == [
        {
            "code": "NB201",
            "path": f"{blog}/posts/b.qmd",
            "line": 3,
            "message": "cannot read date '2024-13-45'",
            "severity": "error",
        }
    ]


def test_default_folder_is_the_current_one(blog: Path, run_cli, monkeypatch) -> None:
    monkeypatch.chdir(blog)
    result = run_cli("check", "--select", "NB201")
    assert result.out == "posts/b.qmd:3: NB201 cannot read date '2024-13-45'\n"


def test_not_a_folder(tmp_path: Path, run_cli) -> None:
    result = run_cli("check", tmp_path / "nope")
    assert result.status == EXIT_BAD_INPUT and "not a folder" in result.err


def test_no_change_run_reads_no_post(blog: Path, run_cli, monkeypatch) -> None:
    first = run_cli("check", blog)
    _settle(blog)
    assert state.replay(blog, str(blog)) is not None

    def no_reading(*args, **kwargs):
        raise AssertionError("a run with nothing changed must not collect the blog")

    monkeypatch.setattr(gather_module, "collect_blog", no_reading)
    second = run_cli("check", blog)
    assert (second.status, second.out, second.err) == (first.status, first.out, first.err)


@pytest.mark.parametrize(
    "change",
    ["edit a post", "add a post", "create the missing image", "edit _quarto.yml", "clock"],
)
def test_stored_result_stops_holding_when_an_input_changes(tmp_path: Path, change: str) -> None:
    root = make_blog(
        tmp_path,
        {
            "posts/a/index.qmd": post("A", image="thumb.png"),
            "posts/b/index.qmd": post("B", date="2999-01-01"),
        },
    )
    assert main(["check", str(root)]) == 0
    _settle(root)
    assert state.replay(root, str(root)) is not None
    if change == "edit a post":
        (root / "posts/a/index.qmd").write_text(post("A", image="thumb.png", draft=False))
    elif change == "add a post":
        (root / "posts/c.qmd").write_text(post("C"))
    elif change == "create the missing image":
        (root / "posts/a/thumb.png").write_bytes(b"\x89PNG")
    elif change == "edit _quarto.yml":
        (root / "_quarto.yml").write_text((root / "_quarto.yml").read_text() + "\n")
    else:
        stored = json.loads((root / ".nbpost" / state.STATE_FILE).read_text())
        stored["valid-until-ns"] = time.time_ns() - 1  # the future date has come
        (root / ".nbpost" / state.STATE_FILE).write_text(json.dumps(stored))
    assert state.replay(root, str(root)) is None


def test_a_read_only_blog_is_checked_without_a_stored_result(blog: Path, run_cli) -> None:
    if os.geteuid() == 0:
        (blog / ".nbpost").mkdir()
        (blog / ".nbpost" / state.STATE_FILE).mkdir()  # root ignores modes: block the name
    else:
        blog.chmod(0o555)
    try:
        assert run_cli("check", blog).status == 1
        assert run_cli("check", blog).status == 1
    finally:
        blog.chmod(0o755)


def test_a_finding_is_one_line_whatever_the_file_holds(tmp_path: Path, run_cli) -> None:
    root = make_blog(tmp_path, {"posts/a.qmd": post("A", date="2024\nthe 5th")})
    result = run_cli("check", root, "--select", "NB201")
    assert result.out == f"{root}/posts/a.qmd:3: NB201 cannot read date '2024\\nthe 5th'\n"
