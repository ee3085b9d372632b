"""A small site rendered the way Quarto would render it, as far as it can be without Quarto.

Posts are rendered by the real pandoc through ``tests/filter/quarto_stub.lua`` (the ``quarto``
Lua API: ``is_format("html:js")``, ``include_text``...) and a page template that includes
quarto-cli's own ``title-block.html`` and ``title-metadata.html`` partials; every page loads
quarto-cli's own ``quarto.js`` (with a stand-in for the ``tabsets`` module it imports). All of
quarto-cli's files are copied into the temporary site from the reference folder at test time.
nbpost's generated category pages are rendered by pandoc as the Markdown pages they are.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FILTER = REPO / "_extensions" / "nbpost" / "nbpost.lua"
STUB = REPO / "tests" / "filter" / "quarto_stub.lua"
TEMPLATES = "src/resources/formats/html/templates"

PAGE_TEMPLATE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="quarto:offset" content="$offset$">
<title>$pagetitle$</title>
$if(keywords)$
<meta name="keywords" content="$for(keywords)$$keywords$$sep$, $endfor$" />
$endif$
$for(header-includes)$
$header-includes$
$endfor$
<script src="$offset$site_libs/quarto-html/quarto.js" type="module"></script>
</head><body>
<main class="content" id="quarto-document-content">
$title-block.html()$
$body$
</main>
$for(include-after)$
$include-after$
$endfor$
</body></html>
"""
# The keywords line is Quarto's (src/resources/formats/html/pandoc/metadata.html).
PARAMS = "quarto-template-params:\n  title-block-categories: true\n"
AUTHOR_PARTIAL = "$it.name.literal$"


def prepare_templates(quarto_src: Path, folder: Path) -> Path:
    """The page template beside copies of Quarto's title-block partials; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("title-block.html", "title-metadata.html"):
        shutil.copyfile(quarto_src / TEMPLATES / name, folder / name)
    (folder / "_title-meta-author.html").write_text(AUTHOR_PARTIAL, encoding="utf-8")
    (folder / "params.yml").write_text(PARAMS, encoding="utf-8")
    template = folder / "page.html"
    template.write_text(PAGE_TEMPLATE, encoding="utf-8")
    return template


def install_quarto_js(quarto_src: Path, site: Path) -> None:
    """``site_libs/quarto-html/quarto.js`` from quarto-cli, and a ``tabsets`` stand-in."""
    libs = site / "site_libs" / "quarto-html"
    (libs / "tabsets").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(quarto_src / "src/resources/formats/html/quarto.js", libs / "quarto.js")
    (libs / "tabsets" / "tabsets.js").write_text("export function init() {}\n", "utf-8")


def render_page(
    pandoc: str,
    blog: Path,
    source: str,
    target: Path,
    template: Path,
    *,
    with_nbpost: bool,
) -> None:
    """Render one page of ``blog`` to ``target`` (a file under the site)."""
    depth = len(Path(source).parts) - 1
    args = [
        pandoc,
        source,
        "-s",
        "-t",
        "html",
        "--template",
        str(template),
        "--metadata-file",
        str(template.parent / "params.yml"),
        "-M",
        f"offset={'../' * depth or './'}",
        "-o",
        str(target),
    ]
    if source.endswith(".ipynb"):
        args[2:2] = ["-f", "ipynb"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUARTO_", "STUB_"))}
    if with_nbpost:
        args += ["--lua-filter", str(STUB)]
        env.update(
            NBPOST_FILTER=str(FILTER),
            STUB_FORMAT="html",
            STUB_INPUT=str(blog / source),
            STUB_PROJECT=str(blog),
            STUB_EMIT="1",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(args, cwd=blog, env=env, check=True, capture_output=True, timeout=60)


def page_path(source: str) -> str:
    """Where Quarto puts the page of a source (``posts/a/index.qmd`` -> ``posts/a/index.html``)."""
    stem = source.rsplit(".", 1)[0]
    return stem + ".html"


def write_listings(site: Path, listings: dict[str, list[str]]) -> None:
    """``listings.json`` as Quarto writes it (``website-listing-index.ts``)."""
    data = [{"listing": page, "items": items} for page, items in listings.items()]
    (site / "listings.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1; yields the base URL (no trailing slash)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
