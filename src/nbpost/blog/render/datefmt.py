"""Show a date the way Quarto's listings do: ``formatDate`` in quarto-cli's ``src/core/date.ts``.

``date-format`` is one of Intl's styles (``full``, ``long``, ``medium``, ``short``), ``iso``
(``YYYY-MM-DD``), or a dayjs format string (``MMM D, YYYY``, ``[Week] w``...). Without one a
listing uses ``medium`` (``website-listing-template.ts``). Quarto names months and days in the
page's language (dayjs/Intl locales); nbpost knows English names only, so a blog whose ``lang``
is not English gets ISO dates where a named style would spell out a month.
"""

from __future__ import annotations

import datetime as dt
import re

DEFAULT_STYLE = "medium"  # website-listing-template.ts: formatDate(date, "medium")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
# dayjs: d=0 is Sunday
DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
STYLES = ("full", "long", "medium", "short")
# dayjs's REGEX_FORMAT plus the advancedFormat plugin's tokens Quarto loads (date.ts).
_TOKENS = re.compile(
    r"\[([^\]]*)]|Do|Q|X|x|k{1,2}|Y{4}|Y{2}|M{1,4}|D{1,2}|d{1,4}|H{1,2}|h{1,2}|a|A|m{1,2}"
    r"|s{1,2}|Z{1,2}|SSS|w{1,2}|W{1,2}"
)


_ESCAPED = re.compile(r"\[[^\]]*]")
_NAMED = re.compile(r"MMM|dd|Do|a|A")


def _weekday(value: dt.datetime) -> int:
    return (value.weekday() + 1) % 7  # Python: Monday=0; dayjs: Sunday=0


def _ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _zone(value: dt.datetime, colon: bool) -> str:
    offset = value.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{rest:02d}"


def _token(value: dt.datetime, token: str) -> str:
    hour12 = value.hour % 12 or 12
    day_name = DAYS[_weekday(value)]
    table = {
        "YYYY": f"{value.year:04d}",
        "YY": f"{value.year % 100:02d}",
        "M": str(value.month),
        "MM": f"{value.month:02d}",
        "MMM": MONTHS[value.month - 1][:3],
        "MMMM": MONTHS[value.month - 1],
        "D": str(value.day),
        "DD": f"{value.day:02d}",
        "Do": _ordinal(value.day),
        "d": str(_weekday(value)),
        "dd": day_name[:2],
        "ddd": day_name[:3],
        "dddd": day_name,
        "H": str(value.hour),
        "HH": f"{value.hour:02d}",
        "h": str(hour12),
        "hh": f"{hour12:02d}",
        "k": str(value.hour or 24),
        "kk": f"{value.hour or 24:02d}",
        "a": "am" if value.hour < 12 else "pm",
        "A": "AM" if value.hour < 12 else "PM",
        "m": str(value.minute),
        "mm": f"{value.minute:02d}",
        "s": str(value.second),
        "ss": f"{value.second:02d}",
        "SSS": f"{value.microsecond // 1000:03d}",
        "Z": _zone(value, True),
        "ZZ": _zone(value, False),
        "Q": str((value.month - 1) // 3 + 1),
        "X": str(int(value.timestamp())),
        "x": str(int(value.timestamp() * 1000)),
        "w": str(value.isocalendar()[1]),
        "ww": f"{value.isocalendar()[1]:02d}",
        "W": str(value.isocalendar()[1]),
        "WW": f"{value.isocalendar()[1]:02d}",
    }
    return table.get(token, token)


def _style(value: dt.datetime, style: str) -> str:
    """Intl.DateTimeFormat's ``dateStyle`` in English (``en``, as dayjs's default locale)."""
    month = MONTHS[value.month - 1]
    if style == "full":
        return f"{DAYS[_weekday(value)]}, {month} {value.day}, {value.year}"
    if style == "long":
        return f"{month} {value.day}, {value.year}"
    if style == "short":
        return f"{value.month}/{value.day}/{value.year % 100:02d}"
    return f"{month[:3]} {value.day}, {value.year}"


def english(language: str | None) -> bool:
    """Whether a ``lang`` is English (or unset, Quarto's default ``en``)."""
    return not language or language.lower().split("-")[0].split("_")[0] == "en"


def format_date(value: dt.datetime, date_format: str | None, language: str | None = None) -> str:
    """``value`` shown by ``date-format`` (``medium`` when None), as Quarto's listings show it."""
    style = (date_format or DEFAULT_STYLE).strip() or DEFAULT_STYLE
    if style in STYLES:
        return _style(value, style) if english(language) else value.strftime("%Y-%m-%d")
    if style == "iso":
        style = "YYYY-MM-DD"
    if not english(language) and _NAMED.search(_ESCAPED.sub("", style)):
        return value.strftime("%Y-%m-%d")  # month or day names: English only (module docstring)
    return _TOKENS.sub(lambda m: _replace(value, m), style)


def _replace(value: dt.datetime, match: re.Match[str]) -> str:
    escaped = match.group(1)
    return escaped if escaped is not None else _token(value, match.group(0))
