"""The containment helper every content-derived path goes through (nbpost.project.paths)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nbpost.project.paths import UnsafePathError, contained, is_inside, safe_component


@pytest.mark.parametrize(
    "name",
    [
        "/tmp/pwn/evil",
        "../../x",
        "..",
        ".",
        "a/b",
        "a\\b",
        "C:evil",
        "x\0y",
        "\n",
        "",
        "CON",
        "nul.txt",
        ".hidden",
        "-rf",
        "é" * 300,
        "e\u0301",
    ],
)
def test_safe_component_gives_one_plain_name(name: str) -> None:
    safe = safe_component(name)
    assert safe and "/" not in safe and "\\" not in safe and "\0" not in safe
    assert safe not in (".", "..") and not safe.startswith((".", "-"))
    assert len(safe.encode("utf-8")) <= 200
    assert safe.split(".")[0].lower() not in {"con", "nul"}
    assert all(ord(char) >= 32 for char in safe)


def test_safe_component_normalises_to_nfc() -> None:
    assert safe_component("Cafe\u0301") == safe_component("Café") == "Café"


@pytest.mark.parametrize(
    "relative", ["/etc/x", "../x", "a/../../x", "C:/x", "a\\..\\x", "a\0b", "", "  "]
)
def test_contained_refuses_paths_that_leave(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafePathError):
        contained(tmp_path, relative, what="output-dir")


def test_contained_refuses_a_symlink_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    base = tmp_path / "base"
    base.mkdir()
    os.symlink(outside, base / "link")
    with pytest.raises(UnsafePathError, match="symlink"):
        contained(base, "link/file.txt")
    assert contained(base, "sub/file.txt") == base / "sub" / "file.txt"
    assert is_inside(base / "sub", base) and not is_inside(outside, base)
