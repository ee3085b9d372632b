"""The server extension is enabled by installing nbpost, and can be disabled as documented."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jupyterserver import isolated_env

pytestmark = pytest.mark.jupyter

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def extension_command(home: Path, *args: str) -> str:
    """Run ``jupyter server extension ARGS`` with private Jupyter folders; return its output."""
    completed = subprocess.run(
        [sys.executable, "-m", "jupyter", "server", "extension", *args],
        env=isolated_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return ANSI.sub("", completed.stdout + completed.stderr)


def test_installing_nbpost_enables_the_extension(tmp_path: Path) -> None:
    listing = extension_command(tmp_path, "list")
    assert re.search(r"^\s*nbpost\.jupyter enabled$", listing, re.M), listing
    assert re.search(r"^\s*nbpost\.jupyter\s+OK$", listing, re.M), listing


def test_a_user_setting_disables_the_extension(tmp_path: Path) -> None:
    # `jupyter server extension disable nbpost.jupyter` writes into the environment (where pip
    # enabled it), which a test must not touch; a user-level setting wins over it the same way.
    config = tmp_path / "config" / "jupyter_server_config.d"
    config.mkdir(parents=True)
    (config / "nbpost-off.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": {"nbpost.jupyter": False}}}),
        encoding="utf-8",
    )
    listing = extension_command(tmp_path, "list")
    assert re.search(r"^\s*nbpost\.jupyter disabled$", listing, re.M), listing


def test_installing_nbpost_installs_the_jupyterlab_extension(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "src/nbpost/jupyter/labextension"
    installed = Path(sys.prefix) / "share/jupyter/labextensions/nbpost"
    for name in ("package.json", "static/remoteEntry.js"):
        assert (installed / name).read_bytes() == (source / name).read_bytes(), name
    package = json.loads((source / "package.json").read_text(encoding="utf-8"))
    assert package["name"] == "nbpost"
    assert package["jupyterlab"]["_build"]["load"] == "static/remoteEntry.js"
    completed = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"],
        env=isolated_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    listing = ANSI.sub("", completed.stdout + completed.stderr)
    assert re.search(r"^\s*nbpost v\S+ enabled OK", listing, re.M), listing
