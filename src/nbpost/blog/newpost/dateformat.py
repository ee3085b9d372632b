"""The date format a blog's posts use, learnt from their ``date:`` values, and writing a date
in it (pure functions, no I/O).

A format is a template of ``strftime``-like tokens that this module formats itself (``%-d``
is not portable to Windows' ``strftime``): ``%Y`` ``%y`` year, ``%m``/``%-m`` month,
``%d``/``%-d`` day, ``%B``/``%b`` month name, ``%H`` ``%M`` ``%S`` time, ``%z`` offset as
``+02:00``. Each form recognised here is one that ``nbpost.blog.read.dates.parse_date`` (and
Quarto, ``src/core/date.ts``) reads back to the same day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

from ..read.dates import ISO_RE, NAMED_DMY_RE, NAMED_MDY_RE, NUMERIC_RE

ISO_DATE = "%Y-%m-%d"  # Quarto's blog template writes dates this way
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_TOKEN = re.compile(r"%-?[YymdBbHMSz]")


def _padded(*parts: str) -> bool:
    return not any(len(part) == 1 for part in parts)


def _iso_template(match: re.Match[str]) -> str:
    sep = match["sep"]
    day = "%d" if _padded(match["month"], match["day"]) else "%-d"
    month = "%m" if day == "%d" else "%-m"
    template = f"%Y{sep}{month}{sep}{day}"
    if match["hour"] is None:
        return template
    between = match.string[match.end("day")]
    template += ("T" if between in "Tt" else " ") + "%H:%M"
    if match["second"] is not None:
        template += ":%S"
    zone = match["zone"]
    if zone is not None:
        template += "Z" if zone in ("Z", "z") else "%z"
    return template


def _numeric_template(match: re.Match[str], order: str | None) -> str:
    first, second = int(match["a"]), int(match["b"])
    day_first = order == "dmy" or (first > 12 >= second)
    pad = _padded(match["a"], match["b"])
    day, month = ("%d", "%m") if pad else ("%-d", "%-m")
    year = "%Y" if len(match["year"]) == 4 else "%y"
    parts = (day, month) if day_first else (month, day)
    sep = match["sep"]
    return f"{parts[0]}{sep}{parts[1]}{sep}{year}"


def _named_template(match: re.Match[str], day_first: bool) -> str:
    written = match["month_name"]
    month = "%B" if len(written) > 3 or written.lower() == "may" else "%b"
    text = match.group(0)
    day = "%-d"
    if day_first:
        return f"{day} {month}{',' if ',' in text else ''} %Y"
    return f"{month} {day}{',' if ',' in text else ''} %Y"


def date_template(text: str, order: str | None = None) -> str | None:
    """The template a date is written in (``2024-10-17`` gives ``%Y-%m-%d``), or None for a
    form not learnt from (``today``, week dates, RFC 2822)."""
    text = text.strip()
    if (match := ISO_RE.fullmatch(text)) is not None:
        return _iso_template(match)
    if (match := NUMERIC_RE.fullmatch(text)) is not None:
        return _numeric_template(match, order)
    if (match := NAMED_MDY_RE.fullmatch(text)) is not None and not text[0].isdigit():
        return _named_template(match, day_first=False)
    if (match := NAMED_DMY_RE.fullmatch(text)) is not None and text[0].isdigit():
        return _named_template(match, day_first=True)
    return None


def usual_template(texts: Iterable[str], order: str | None = None) -> str:
    """The template most dates use (ties: the first seen, so pass newest posts first);
    ``%Y-%m-%d`` when no date can be read."""
    counts = Counter(t for text in texts if (t := date_template(text, order)) is not None)
    return counts.most_common(1)[0][0] if counts else ISO_DATE


def _offset(when: dt.datetime) -> str:
    offset = when.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def format_date(template: str, when: dt.datetime) -> str:
    """Write ``when`` in a template from ``date_template``."""
    values = {
        "%Y": f"{when.year:04d}",
        "%y": f"{when.year % 100:02d}",
        "%m": f"{when.month:02d}",
        "%-m": str(when.month),
        "%d": f"{when.day:02d}",
        "%-d": str(when.day),
        "%B": MONTH_NAMES[when.month - 1],
        "%b": MONTH_NAMES[when.month - 1][:3],
        "%H": f"{when.hour:02d}",
        "%M": f"{when.minute:02d}",
        "%S": f"{when.second:02d}",
        "%z": _offset(when),
    }
    return _TOKEN.sub(lambda match: values[match.group(0)], template)
