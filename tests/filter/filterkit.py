"""Helpers for the Quarto extension tests: run the real pandoc with the nbpost filter.

``render(pandoc_path, source, to=..., cwd=...)`` runs pandoc on a file with
``_extensions/nbpost/nbpost.lua`` and returns a ``Rendered`` (stdout, stderr, warnings).
``meta_value`` turns pandoc's JSON metadata into plain Python values, and ``HeadParser`` pulls
the tags the filter writes out of an HTML head.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
FILTER = REPO_ROOT / "_extensions" / "nbpost" / "nbpost.lua"
HERE = Path(__file__).resolve().parent
QUARTO_STUB = HERE / "quarto_stub.lua"

PANDOC_TIMEOUT = 60


@dataclass(frozen=True)
class Rendered:
    """What one pandoc run printed."""

    out: str
    err: str

    @property
    def warnings(self) -> list[str]:
        """The filter's warning lines."""
        return [line for line in self.err.splitlines() if "nbpost:" in line]


def pandoc_args(source: Path | str, to: str, *, reader: str | None = None) -> list[str]:
    """Arguments for a standalone render of one file through the filter."""
    args = [str(source), "-s", "-t", to, "--lua-filter", str(FILTER)]
    if reader:
        args[1:1] = ["-f", reader]
    return args


def run_pandoc(
    pandoc: str,
    args: list[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run pandoc and return the completed process (raising on failure when ``check``)."""
    environment = {k: v for k, v in os.environ.items() if k != "QUARTO_PROJECT_DIR"}
    environment.update(env or {})
    completed = subprocess.run(
        [pandoc, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=PANDOC_TIMEOUT,
        check=False,
    )
    if check and completed.returncode != 0:
        pytest.fail(f"pandoc {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr}")
    return completed


def render(
    pandoc: str,
    source: Path | str,
    *,
    to: str,
    cwd: Path,
    reader: str | None = None,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> Rendered:
    """Render ``source`` (relative to ``cwd``) through the filter."""
    completed = run_pandoc(
        pandoc, [*pandoc_args(source, to, reader=reader), *(extra or [])], cwd=cwd, env=env
    )
    return Rendered(completed.stdout, completed.stderr)


def _inline_text(inlines: list[dict[str, Any]]) -> str:
    parts = []
    for inline in inlines:
        kind = inline["t"]
        if kind in ("Str", "Code", "RawInline"):
            parts.append(inline["c"] if kind == "Str" else inline["c"][1])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind == "Quoted":
            mark = '"' if inline["c"][0]["t"] == "DoubleQuote" else "'"
            parts.append(mark + _inline_text(inline["c"][1]) + mark)
        elif kind in ("Link", "Image"):  # [attr, inlines, [url, title]]
            parts.append(_inline_text(inline["c"][1]))
        elif isinstance(inline.get("c"), list):
            parts.append(_inline_text(inline["c"][-1]))
    return "".join(parts)


def meta_value(value: dict[str, Any]) -> Any:
    """A pandoc JSON metadata value as str / bool / list / dict."""
    kind, content = value["t"], value.get("c")
    if kind == "MetaMap":
        return {key: meta_value(item) for key, item in content.items()}
    if kind == "MetaList":
        return [meta_value(item) for item in content]
    if kind == "MetaBool":
        return content
    if kind == "MetaString":
        return content
    if kind == "MetaInlines":
        return _inline_text(content)
    if kind == "MetaBlocks":
        return "\n".join(_inline_text(block.get("c", [])) for block in content)
    raise AssertionError(f"unexpected metadata value {value!r}")


def json_meta(rendered: Rendered) -> dict[str, Any]:
    """The metadata of a ``-t json`` render as plain Python values."""
    document = json.loads(rendered.out)
    return {key: meta_value(value) for key, value in document["meta"].items()}


class HeadParser(HTMLParser):
    """Collects the tags nbpost writes into an HTML head."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record meta, link and script tags."""
        attributes = dict(attrs)
        if tag == "meta":
            self.meta.append(attributes)
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "script":
            self._script, self._script_text = attributes, []

    def handle_data(self, data: str) -> None:
        """Collect script text."""
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        """Close a script."""
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def named(self, name: str) -> list[str | None]:
        """Contents of ``<meta name=NAME>`` tags."""
        return [m.get("content") for m in self.meta if m.get("name") == name]

    def properties(self, prop: str) -> list[str | None]:
        """Contents of ``<meta property=PROP>`` tags."""
        return [m.get("content") for m in self.meta if m.get("property") == prop]

    def alternates(self) -> list[tuple[str | None, str | None, str | None]]:
        """(type, title, href) of every ``<link rel="alternate">``."""
        return [
            (link.get("type"), link.get("title"), link.get("href"))
            for link in self.links
            if link.get("rel") == "alternate"
        ]

    def json_ld(self) -> list[Any]:
        """Every JSON-LD block, parsed."""
        return [
            json.loads(text)
            for attrs, text in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]


def parse_head(html: str) -> HeadParser:
    """Parse an HTML document's tags."""
    parser = HeadParser()
    parser.feed(html)
    parser.close()
    return parser


def root_conftest(config: pytest.Config) -> Any:
    """tests/conftest.py as loaded by pytest (its module name is not unique across folders)."""
    wanted = REPO_ROOT / "tests" / "conftest.py"
    for plugin in config.pluginmanager.get_plugins():
        if Path(getattr(plugin, "__file__", "") or ".").resolve() == wanted:
            return plugin
    raise LookupError(wanted)
