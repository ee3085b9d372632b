"""Start-up stays cheap: importing nbpost and building the CLI parser loads no heavy module.

A ``pre-render`` step and a pre-commit hook pay the start-up time on every run, so heavy
libraries are imported only inside the functions that use them (see the team standards).
"""

from __future__ import annotations

import json
import subprocess
import sys

import nbpost

# Modules that must not be imported by `import nbpost`, `import nbpost.cli` or building the
# parser (each costs tens to hundreds of milliseconds).
HEAVY_MODULES = (
    "nbformat",
    "nbconvert",
    "jupytext",
    "jinja2",
    "rich",
    "feedgen",
    "lxml",
    "watchfiles",
    "tqdm",
    "jsonschema",
)

PROBE = """
import contextlib, io, json, sys
import nbpost, nbpost.cli
parser = nbpost.cli.build_parser()
with contextlib.redirect_stdout(io.StringIO()) as help_text:
    try:
        parser.parse_args(["--help"])
    except SystemExit:
        pass
heavy = json.loads(sys.argv[1])
loaded = sorted(
    {name.split(".")[0] for name in sys.modules} & set(heavy)
)
print(json.dumps({"loaded": loaded, "help": help_text.getvalue()}))
"""


def run_probe() -> dict:
    """Run the import probe in a fresh interpreter and return what it reported."""
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY_MODULES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_import_and_parser_load_no_heavy_module() -> None:
    report = run_probe()
    assert report["loaded"] == [], f"start-up imported heavy modules: {report['loaded']}"
    assert report["help"].startswith("usage: nbpost")


def test_probe_detects_a_heavy_import() -> None:
    # Guard the guard: the same sys.modules check sees a heavy module once it is imported.
    completed = subprocess.run(
        [sys.executable, "-c", "import sys, nbformat; print('nbformat' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.stdout.strip() == "True"


def test_module_help(run_cli_process) -> None:
    result = run_cli_process("--help")
    assert result.status == 0, result.err
    assert result.out.startswith("usage: nbpost")
    assert "--version" in result.out


def test_module_version(run_cli_process) -> None:
    result = run_cli_process("--version")
    assert result.status == 0, result.err
    assert result.out.strip() == f"nbpost {nbpost.__version__}"


def test_no_command_prints_usage_and_exits_4(run_cli_process) -> None:
    result = run_cli_process()
    assert result.status == 4
    assert "usage: nbpost" in result.err
    assert result.out == ""


def test_unknown_command_is_a_usage_error(run_cli) -> None:
    result = run_cli("no-such-command")
    assert result.status == 4
    assert "no-such-command" in result.err
