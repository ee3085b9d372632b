"""Notebook JSON text, byte-identical to ``json.dumps(data, sort_keys=True, indent=1,
ensure_ascii=False)`` (what ``nbformat.writes`` produces), about three times faster.

Why hand-written: with ``indent`` set, the standard library falls back to its pure-Python
encoder, which spends most of its time in generator plumbing; notebook JSON is nested dicts,
lists and strings, so a direct recursive writer that uses the C string escaper is enough.
Anything unusual (non-string keys, other types) goes to ``json.dumps`` for that value, so the
output always equals the standard library's. ``nbpost.blog.render.escape.json_text`` is the
other JSON writer, on purpose: it writes nbpost's own files (indent 2, final newline,
pre-encoded members spliced in), this one nbformat's exact notebook layout.
"""

from __future__ import annotations

import json
from typing import Any

try:  # the C escaper; the pure-Python one gives the same text, only slower
    from _json import encode_basestring as _escape
except ImportError:  # pragma: no cover
    from json.encoder import py_encode_basestring as _escape

_float_repr = float.__repr__

# Control characters other than tab and newline: ``str.splitlines`` breaks lines at some,
# the escaper writes the others as ``\uXXXX``. Deleting them from the UTF-8 bytes and
# comparing lengths finds them about twice as fast as a regular expression.
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(11, 32))


class Lines:
    """Text written as the JSON list of its lines (``text.splitlines(True)``), as nbformat
    stores multi-line strings; the list is never built for ordinary text."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def _lines_json(text: str, newline: str) -> str:
    """The JSON list of ``text.splitlines(True)`` at this depth, escaping the text at once.

    The work is done on the UTF-8 bytes: the search for control characters needs them, and
    replacing ASCII bytes is quicker than replacing characters in text that is not ASCII.
    """
    inner = newline + " "
    data = text.encode("utf-8", "surrogatepass")  # JSON strings may hold lone surrogates
    if len(data.translate(None, _CONTROL_BYTES)) != len(data) or (
        not text.isascii() and ("\x85" in text or "\u2028" in text or "\u2029" in text)
    ):
        # other line breaks or characters to escape as \uXXXX: line by line
        escaped = map(_escape, text.splitlines(True))
        return "[" + inner + ("," + inner).join(escaped) + newline + "]"
    # Only "\\", '"', tab and "\n" need escaping here, and "\n" ends every line but the last.
    if b"\\" in data:
        data = data.replace(b"\\", b"\\\\")
    if b'"' in data:
        data = data.replace(b'"', b'\\"')
    if b"\t" in data:
        data = data.replace(b"\t", b"\\t")
    end = '"' + newline + "]"
    if data.endswith(b"\n"):
        data = data[:-1]
        end = "\\n" + end
    separator = ('\\n",' + inner + '"').encode()
    body = data.replace(b"\n", separator).decode("utf-8", "surrogatepass")
    return "[" + inner + '"' + body + end


def dumps_indent1(value: Any) -> str:
    """Serialise ``value`` like ``json.dumps(value, sort_keys=True, indent=1,
    ensure_ascii=False)``."""
    parts: list[str] = []
    _write(value, "\n", parts)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """Append the JSON text of ``value``; ``newline`` is "\\n" plus the current indent."""
    kind = type(value)
    if kind is str:
        parts.append(_escape(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + " "
        try:
            keys = sorted(value)
        except TypeError:
            parts.append(_fallback(value, newline))
            return
        separator = "{" + inner
        for key in keys:
            if type(key) is not str:
                parts.append(_fallback(value, newline))  # json.dumps stringifies such keys
                return
        for key in keys:
            parts.append(separator)
            parts.append(_escape(key))
            item = value[key]
            if type(item) is str:  # most values: no call
                parts.append(": ")
                parts.append(_escape(item))
            else:
                parts.append(": ")
                _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + " "
        if all(type(item) is str for item in value):  # source lines, text outputs: one join
            parts.append("[" + inner + ("," + inner).join(map(_escape, value)) + newline + "]")
            return
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            if type(item) is str:
                parts.append(_escape(item))
            else:
                _write(item, inner, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif kind is Lines:
        text = value.text
        parts.append(_lines_json(text, newline) if text else "[]")
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float and value == value and value not in (float("inf"), float("-inf")):
        parts.append(_float_repr(value))
    else:
        parts.append(_fallback(value, newline))


def _fallback(value: Any, newline: str) -> str:
    """The standard library's text for an unusual value, re-indented to this depth."""
    text = json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False, default=_lines_list)
    return text.replace("\n", newline)


def _lines_list(value: Any) -> list[str]:
    if type(value) is Lines:
        return value.text.splitlines(True)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
