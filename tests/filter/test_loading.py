"""How the filter loads: nbpost.lua reads its parts from lib/ beside it, under plain pandoc and
as Quarto loads an extension filter (tests/filter/quarto_stub.lua), and nothing else decides
which files run: not the working directory, not package.path, not a global."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from filterkit import FILTER, HERE, QUARTO_STUB, Rendered, json_meta, pandoc_args, run_pandoc

pytestmark = pytest.mark.pandoc

POST = """---
title: A post
date: 2024-02-03
categories: [Python, "Q&A"]
---

Body.
"""
# Every name a part could be looked up by, if anything searched the working directory.
DECOY = 'error("a file in the post folder was loaded as part of the filter")\n'
DECOY_NAMES = ["slugs", "text", "dates", "host", "registry", "categories", "jsonld", "head"]
DECOY_NAMES += ["outputs", "nbpost"]


def lib_files() -> list[str]:
    """Every file in the filter's lib/ folder, relative to the filter's folder."""
    return sorted(
        p.relative_to(FILTER.parent).as_posix() for p in (FILTER.parent / "lib").rglob("*")
    )


def json_meta_of(stdout: str) -> dict[str, object]:
    """The metadata of a `-t json` render."""
    return json_meta(Rendered(stdout, ""))


def stub_env(post: Path, project: Path, filter_path: Path = FILTER) -> dict[str, str]:
    """The environment quarto_stub.lua reads."""
    return {
        "NBPOST_FILTER": str(filter_path),
        "STUB_FORMAT": "html",
        "STUB_INPUT": str(post),
        "STUB_PROJECT": str(project),
    }


def test_every_name_is_local_in_every_file(pandoc_path: str) -> None:
    """Loading and running the filter (HTML, LaTeX, GFM; plain pandoc and Quarto) assigns no
    global and reads no undefined one, and every lib/ file is loaded into that same watched
    environment, so the check covers each of them."""
    done = subprocess.run(
        [pandoc_path, "lua", str(HERE / "check_globals.lua"), str(FILTER)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    )
    assert done.stdout.splitlines() == [
        "writes: ",
        "reads: ",
        "loaded: " + ",".join(lib_files()),
        "foreign: ",
    ]


def test_the_working_directory_never_supplies_a_part(pandoc_path: str, tmp_path: Path) -> None:
    """A post folder holding files named like the parts (lib/slugs.lua, registry.lua...) and the
    filter given by a relative path from elsewhere: the parts still come from the extension."""
    blog = tmp_path / "blog"
    extension = blog / "_extensions" / "nbpost"
    shutil.copytree(FILTER.parent, extension)
    post_dir = blog / "posts" / "p"
    (post_dir / "lib").mkdir(parents=True)
    for name in DECOY_NAMES:
        (post_dir / f"{name}.lua").write_text(DECOY, encoding="utf-8")
        (post_dir / "lib" / f"{name}.lua").write_text(DECOY, encoding="utf-8")
    (post_dir / "index.qmd").write_text(POST, encoding="utf-8")
    relative_filter = "../../_extensions/nbpost/nbpost.lua"
    args = ["index.qmd", "-f", "markdown", "-s", "-t", "json", "--lua-filter", relative_filter]
    done = run_pandoc(pandoc_path, args, cwd=post_dir)
    links = json_meta_of(done.stdout)["category-links"]
    assert [link["slug"] for link in links] == ["python", "q-and-a"]
    stub = ["index.qmd", "-f", "markdown", "-s", "-t", "json", "--lua-filter", str(QUARTO_STUB)]
    env = stub_env(post_dir / "index.qmd", blog, extension / "nbpost.lua")
    quarto = json_meta_of(run_pandoc(pandoc_path, stub, cwd=post_dir, env=env).stdout)
    assert [link["slug"] for link in quarto["category-links"]] == ["python", "q-and-a"]


def test_a_missing_part_is_one_clear_error(pandoc_path: str, tmp_path: Path) -> None:
    """An extension copied without lib/head.lua: the render stops, naming the file."""
    extension = tmp_path / "nbpost"
    shutil.copytree(FILTER.parent, extension)
    (extension / "lib" / "head.lua").unlink()
    (tmp_path / "post.qmd").write_text(POST, encoding="utf-8")
    args = pandoc_args("post.qmd", "html")
    args[args.index(str(FILTER))] = str(extension / "nbpost.lua")
    done = run_pandoc(pandoc_path, args, cwd=tmp_path, check=False)
    assert done.returncode != 0
    assert f"nbpost: cannot open {extension / 'lib' / 'head.lua'}" in done.stderr
    assert "install the whole extension folder" in done.stderr


def test_the_stub_loads_a_filter_as_quarto_does(pandoc_path: str, tmp_path: Path) -> None:
    """quarto_stub.lua mirrors wrapped-filter.lua: the filter's PANDOC_SCRIPT_FILE is its own
    path (in _G it is the stub's), `quarto` is in its environment but not in _G, and only the
    names of Quarto's sandbox reach it (`rawequal` does, `warn` does not)."""
    probe = tmp_path / "probe.lua"
    probe.write_text(
        "local seen = {\n"
        "  script = PANDOC_SCRIPT_FILE,\n"
        "  global_script = _G.PANDOC_SCRIPT_FILE,\n"
        "  quarto = type(quarto),\n"
        "  global_quarto = type(_G.quarto),\n"
        "  rawequal = type(rawequal),\n"
        "  warn = type(warn),\n"
        "}\n"
        "return {{ Meta = function(meta)\n"
        "  for key, value in pairs(seen) do meta['probe-' .. key] = value end\n"
        "  return meta\n"
        "end }}\n",
        encoding="utf-8",
    )
    (tmp_path / "post.qmd").write_text(POST, encoding="utf-8")
    args = ["post.qmd", "-f", "markdown", "-s", "-t", "json", "--lua-filter", str(QUARTO_STUB)]
    env = stub_env(tmp_path / "post.qmd", tmp_path, probe)
    meta = json_meta_of(run_pandoc(pandoc_path, args, cwd=tmp_path, env=env).stdout)
    assert meta["probe-script"] == str(probe)
    assert meta["probe-global_script"] == str(QUARTO_STUB)
    assert (meta["probe-quarto"], meta["probe-global_quarto"]) == ("table", "nil")
    assert (meta["probe-rawequal"], meta["probe-warn"]) == ("function", "nil")
