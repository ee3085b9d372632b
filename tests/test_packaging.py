"""The wheel holds the whole package, its console script and (when present) the Jupyter config."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import nbpost

# Where the server extension's config lives in the source tree, and where the wheel installs it.
JUPYTER_CONFIG_SOURCE = Path("jupyter-config/jupyter_server_config.d")
JUPYTER_CONFIG_DIR = Path("etc/jupyter/jupyter_server_config.d")


@pytest.fixture(scope="module")
def wheel(repo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once into a temporary folder and return its path."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(out)]
    if importlib.util.find_spec("hatchling") is not None:
        # The build backend is already here: build offline and quickly.
        command.insert(command.index("--no-deps"), "--no-build-isolation")
    completed = subprocess.run(
        command, cwd=repo_root, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stderr
    wheels = list(out.glob("nbpost-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def names_in(wheel: Path) -> set[str]:
    """Every file name inside the wheel."""
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def read_member(wheel: Path, suffix: str) -> str:
    """The text of the single member whose name ends with ``suffix``."""
    with zipfile.ZipFile(wheel) as archive:
        matches = [name for name in archive.namelist() if name.endswith(suffix)]
        assert len(matches) == 1, (suffix, matches)
        return archive.read(matches[0]).decode("utf-8")


def test_wheel_name_carries_the_version(wheel: Path) -> None:
    assert wheel.name.startswith(f"nbpost-{nbpost.__version__}-")
    assert wheel.name.endswith("-py3-none-any.whl")


def test_wheel_holds_every_module(wheel: Path, repo_root: Path) -> None:
    source = repo_root / "src"
    expected = {
        path.relative_to(source).as_posix()
        for path in (source / "nbpost").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    assert "nbpost/__init__.py" in expected
    missing = expected - names_in(wheel)
    assert not missing, f"files missing from the wheel: {sorted(missing)}"


def test_wheel_leaves_out_tests_and_examples(wheel: Path) -> None:
    stray = [
        name
        for name in names_in(wheel)
        if name.startswith(("tests/", "examples/", "benchmarks/", "src/"))
    ]
    assert not stray


def test_console_script_entry_point(wheel: Path) -> None:
    entry_points = read_member(wheel, ".dist-info/entry_points.txt")
    lines = [line.strip() for line in entry_points.splitlines()]
    section = lines.index("[console_scripts]")
    scripts = {}
    for line in lines[section + 1 :]:
        if line.startswith("["):
            break
        if "=" in line:
            name, target = (part.strip() for part in line.split("=", 1))
            scripts[name] = target
    assert scripts.get("nbpost") == "nbpost.cli:run"  # main, then the end of the process


def test_metadata(wheel: Path) -> None:
    metadata = Parser().parsestr(read_member(wheel, ".dist-info/METADATA"))
    assert metadata["Name"] == "nbpost"
    assert metadata["Version"] == nbpost.__version__
    assert metadata["Requires-Python"] == ">=3.10"
    requirements = [req.split(";")[0] for req in metadata.get_all("Requires-Dist") or []]
    for needed in ("pyyaml", "nbformat"):
        assert any(req.lower().replace("_", "-").startswith(needed) for req in requirements)


def test_jupyter_server_config_is_shipped(wheel: Path, repo_root: Path) -> None:
    configs = sorted((repo_root / JUPYTER_CONFIG_SOURCE).glob("*.json"))
    assert configs, f"no {JUPYTER_CONFIG_SOURCE}/*.json in the source tree"
    names = names_in(wheel)
    for config in configs:
        target = f"nbpost-{nbpost.__version__}.data/data/{JUPYTER_CONFIG_DIR.as_posix()}"
        member = f"{target}/{config.name}"
        assert member in names, f"{member} not in the wheel"
        assert read_member(wheel, member) == config.read_text(encoding="utf-8")
