"""Raw cell MIME types <-> pandoc raw block formats (```{=html}```)."""

from __future__ import annotations

# What JupyterLab's "Raw NBConvert Format" menu offers, and what Quarto maps them to.
MIMETYPE_FORMATS = {
    "text/html": "html",
    "text/latex": "latex",
    "text/restructuredtext": "rst",
    "text/markdown": "markdown",
    "application/rtf": "rtf",
    "text/asciidoc": "asciidoc",
    "text/x-typst": "typst",
}
FORMAT_ALIASES = {"tex": "text/latex", "html5": "text/html", "html4": "text/html"}


def mimetype_to_format(mimetype: object) -> str | None:
    """The pandoc format for a raw cell's ``raw_mimetype``, or None when there is none."""
    if not isinstance(mimetype, str):
        return None
    known = MIMETYPE_FORMATS.get(mimetype)
    if known is None and mimetype.startswith("text/x-") and mimetype[7:].isalnum():
        return mimetype[7:]
    return known


def format_to_mimetype(fmt: str) -> str:
    """The ``raw_mimetype`` for a pandoc raw format name (``text/x-<fmt>`` when unknown)."""
    lowered = fmt.lower()
    for mimetype, name in MIMETYPE_FORMATS.items():
        if name == lowered:
            return mimetype
    return FORMAT_ALIASES.get(lowered, f"text/x-{lowered}")
