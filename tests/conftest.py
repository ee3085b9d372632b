"""Shared fixtures for the nbpost test suite.

Fixtures (names are stable; other test modules rely on them):

``repo_root`` (session)
    The repository root (the folder holding ``pyproject.toml``), as an absolute ``Path``.
``corpus_dir`` (session)
    The shared corpus of real Quarto posts: ``$NBPOST_CORPUS`` when set, else
    ``<repo_root>/../shared/corpus``. Skips the test, saying where it looked, when the folder
    is missing (CI always has it). Read-only: never write into it.
``examples_blog`` (session)
    ``<repo_root>/examples/blog``, the example blog. Read-only: tests that write (``nbpost
    build``, ``convert`` beside the input) must use ``examples_blog_copy``.
``examples_blog_copy`` (function)
    A fresh copy of the example blog in ``tmp_path``, free to modify.
``pandoc_path`` (session)
    The pandoc executable shipped by the ``pypandoc-binary`` wheel, as a ``str``. Skips with
    the install hint when pypandoc or its binary is missing.
``chromium_path`` (session)
    The Debian Chromium executable (``/usr/bin/chromium``, or ``$NBPOST_CHROMIUM``), as a
    ``str``. Skips with the install hint when missing. Launch it with ``CHROMIUM_ARGS``.
``quarto_src`` (session)
    quarto-cli's own page and listing scripts and templates (``quarto.js``,
    ``title-block.html``...), read-only: ``$NBPOST_QUARTO_SRC`` when set, else
    ``<repo_root>/../shared/reference/quarto-src``. Skips, saying where it looked, when missing.
    Tests copy what they need into ``tmp_path``; nothing of it is committed here.
``run_cli`` (function)
    ``run_cli("convert", "post.qmd", "-o", "-")`` runs ``nbpost.cli.main(argv)`` in this
    process, capturing output with ``capsys``, and returns a ``CliResult(status, out, err)``.
    ``SystemExit`` from argparse (``--help``, usage errors) becomes the status.
``run_cli_process`` (function)
    ``run_cli_process("convert", "-", "--to", "ipynb", input="...", cwd=tmp_path)`` runs
    ``[sys.executable, "-m", "nbpost", ...]`` in a subprocess and returns the same
    ``CliResult``. Use it for start-up behaviour, stdin/stdout and exit codes as a user sees
    them; prefer ``run_cli`` elsewhere (it is much faster).

``patch_attempts`` (function)
    A list that gets, for each build that tries to patch re-read posts into the last full
    build, whether it did (``nbpost.blog.read.patch``).
``private_cache_home`` (session, autouse)
    ``XDG_CACHE_HOME`` pointed at a private temporary folder for the whole run, so that no
    test writes into the user's ``~/.cache``.

Constants: ``CHROMIUM_ARGS``, the Chromium flags every browser test should pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A subprocess of the CLI should never take this long; a hang fails instead of blocking CI.
SUBPROCESS_TIMEOUT = 120


@dataclass(frozen=True)
class CliResult:
    """What one run of the command line returned: exit status, stdout and stderr text."""

    status: int
    out: str
    err: str


SHORT_RACY_WINDOW_NS = 50_000_000  # see the short_racy_window fixture


@pytest.fixture(scope="session", autouse=True)
def private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``XDG_CACHE_HOME`` for the whole run (subprocesses inherit it): the build store's key
    (``nbpost.blog.incremental.store``) is made there, never in the user's ``~/.cache``."""
    folder = tmp_path_factory.mktemp("cache-home")
    folder.chmod(0o700)
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def patch_attempts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per build that tried to patch re-read posts into the last full build
    (``nbpost.blog.read.patch``): whether it did."""
    from nbpost.blog import build

    attempts: list[bool] = []
    real = build._patch_build

    def spy(*args: object, **kwargs: object) -> object:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        attempts.append(result is not None)
        return result

    monkeypatch.setattr(build, "_patch_build", spy)
    return attempts


@pytest.fixture
def short_racy_window(monkeypatch: pytest.MonkeyPatch) -> int:
    """The racy window of every stat-trusting check (2 s: a file changed within it of the
    snapshot's save is read again) shrunk to 50 ms, so that tests need not sleep for
    seconds; the window in nanoseconds."""
    from nbpost.blog.incremental import cache, manifest, statcheck, walkmemo

    for module in (cache, manifest, statcheck, walkmemo):
        monkeypatch.setattr(module, "RACY_MARGIN_NS", SHORT_RACY_WINDOW_NS)
    return SHORT_RACY_WINDOW_NS


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir(repo_root: Path) -> Path:
    """The shared corpus folder (``$NBPOST_CORPUS`` or ``../shared/corpus``)."""
    configured = os.environ.get("NBPOST_CORPUS")
    path = Path(configured) if configured else repo_root.parent / "shared" / "corpus"
    path = path.resolve()
    if not path.is_dir():
        pytest.skip(
            f"corpus not found at {path}: set NBPOST_CORPUS or put the shared corpus at "
            "../shared/corpus beside the repository"
        )
    return path


@pytest.fixture(scope="session")
def examples_blog(repo_root: Path) -> Path:
    """The example blog (read-only)."""
    path = repo_root / "examples" / "blog"
    assert path.is_dir(), f"example blog missing at {path}"
    return path


@pytest.fixture
def examples_blog_copy(examples_blog: Path, tmp_path: Path) -> Path:
    """A writable copy of the example blog, without anything a previous build generated."""
    target = tmp_path / "blog"
    generated = shutil.ignore_patterns(
        "_site", "_freeze", ".quarto", ".nbpost", "categories", "archive", "feeds"
    )
    shutil.copytree(examples_blog, target, ignore=generated)
    for name in ("categories.json", "POSTS.md"):
        (target / name).unlink(missing_ok=True)
    return target


@pytest.fixture(scope="session")
def pandoc_path() -> str:
    """The pandoc binary from the pypandoc-binary wheel."""
    try:
        import pypandoc
    except ImportError:
        pytest.skip("pandoc not installed: pip install pypandoc-binary")
    try:
        path = pypandoc.get_pandoc_path()
    except OSError as exc:
        pytest.skip(f"pandoc not found ({exc}): pip install pypandoc-binary")
    if not path or (not Path(path).exists() and shutil.which(path) is None):
        pytest.skip("pandoc not found: pip install pypandoc-binary")
    return str(path)


@pytest.fixture(scope="session")
def quarto_src(repo_root: Path) -> Path:
    """quarto-cli's reference files (quarto.js, listing and title-block templates)."""
    configured = os.environ.get("NBPOST_QUARTO_SRC")
    path = Path(configured) if configured else repo_root.parent / "shared/reference/quarto-src"
    if not (path / "src/resources/formats/html/quarto.js").is_file():
        pytest.skip(
            f"quarto-cli reference files not found at {path}: set NBPOST_QUARTO_SRC or put "
            "them at ../shared/reference/quarto-src beside the repository"
        )
    return path.resolve()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Debian Chromium executable."""
    path = os.environ.get("NBPOST_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).is_file():
        pytest.skip(f"chromium not found at {path}: apt-get install chromium")
    return path


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``nbpost.cli.main(argv)`` in-process and capture what it printed."""
    from nbpost.cli import main

    def run(*argv: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()  # drop anything printed before this call
        try:
            status = main([os.fspath(arg) for arg in argv])
        except SystemExit as exc:  # argparse exits on --help, --version and usage errors
            code = exc.code
            # a message instead of a number: Python prints it and exits 1
            status = code if isinstance(code, int) else (0 if code is None else 1)
        captured = capsys.readouterr()
        return CliResult(int(status), captured.out, captured.err)

    return run


@pytest.fixture
def run_cli_process() -> Callable[..., CliResult]:
    """Run ``python -m nbpost ARGS`` in a subprocess."""

    def run(
        *argv: str | os.PathLike[str],
        input: str | None = None,
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> CliResult:
        completed = subprocess.run(
            [sys.executable, "-m", "nbpost", *(os.fspath(arg) for arg in argv)],
            input=input,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=SUBPROCESS_TIMEOUT,
            check=False,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)

    return run


# In CI every optional tool is installed, so a skipped test means something is broken: with
# NBPOST_NO_SKIP=1 (set by .ci/run) a skip is reported as a failure, reason included.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Turn skips into failures when ``NBPOST_NO_SKIP`` is set."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if (
        os.environ.get("NBPOST_NO_SKIP") == "1"
        and report.skipped
        and not hasattr(report, "wasxfail")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in a run that forbids skips (NBPOST_NO_SKIP=1): {reason}"
    return None
