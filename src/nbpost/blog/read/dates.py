"""Read post dates the way Quarto does, as timezone-aware datetimes (pure functions, no I/O).

Quarto (``src/core/date.ts``) resolves ``today``/``now``/``last-modified`` first, then tries
``MM/dd/yyyy``, ``MM-dd-yyyy``, ``MM/dd/yy``, ``MM-dd-yy``, ``yyyy-MM-dd``, ``dd MM yyyy`` and
``MM dd, yyyy``, then guesses the format, then falls back to JavaScript's ``new Date(text)``.
So an ambiguous ``03/04/2024`` is March 4 (US order); a blog may ask for day-first reading with
``nbpost: date-order: dmy``. Where Quarto guesses, we accept the forms the guess recognises
(month names, ISO date-times with a zone, RFC 2822, day-first numbers whose first part is
above 12) and nothing else: a date we cannot read is reported, never invented.

Every result is timezone-aware. A date without a time is midnight UTC and a time without a
zone is read as UTC, so that a build gives the same result on every machine (Quarto uses the
local zone of whoever renders, which makes feeds differ between a laptop and CI).
"""

from __future__ import annotations

import datetime as dt
import re

UTC = dt.timezone.utc

DATE_ORDERS = ("mdy", "dmy")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_MONTH = r"(?P<month_name>[A-Za-z]{3,9})\.?"
_WEEKDAY = r"(?:[A-Za-z]{3,9}\.?,?\s+)?"

# 10/17/2024, 10-17-2024, 10/17/24, 2/8/2022 (and day-first when the blog says so).
NUMERIC_RE = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})")
# 17.10.2024: only ever day-first (the German/European convention; Quarto's guesser agrees).
DOTTED_RE = re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})")
# 2024-10-17, 2024-3-5, 2024/10/17, 2024-10-17T10:30, 2024-10-17 10:30:00.123+02:00
ISO_RE = re.compile(
    r"(?P<year>\d{4})(?P<sep>[-/])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"(?:[Tt ]\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<frac>\d+))?)?"
    r"\s*(?P<zone>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
# ISO 8601's basic form, 20241017 or 20241017T1030Z: moment-guess, which Quarto's date.ts asks
# to guess a format, reads it (ISO8601BasicDateTimeFormatParser); Python's fromisoformat reads
# it only from 3.11 on, so nbpost reads it itself, the same on every Python.
BASIC_ISO_RE = re.compile(
    r"(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2})(?P<minute>\d{2})(?:(?P<second>\d{2})(?:[.,](?P<frac>\d{1,9}))?)?"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
# An ISO week date, 2024-W42-4 or 2024W424 (moment-guess reads these too).
WEEK_RE = re.compile(r"(?P<year>\d{4})(?P<sep>-?)W(?P<week>\d{2})(?:(?P=sep)(?P<weekday>[1-7]))?")
DAY_MONTH_YEAR_RE = re.compile(r"(?P<day>\d{1,2}) (?P<month>\d{1,2}) (?P<year>\d{4})")
MONTH_DAY_COMMA_YEAR_RE = re.compile(r"(?P<month>\d{1,2}) (?P<day>\d{1,2}), (?P<year>\d{4})")
# October 17, 2024 / Oct 17 2024 / Thursday, Oct. 17th, 2024
NAMED_MDY_RE = re.compile(
    _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
)
# 17 October 2024 / 17 Oct, 2024 / 17-Oct-2024 / Thu, 17th October 2024
NAMED_DMY_RE = re.compile(
    _WEEKDAY + r"(?P<day>\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MONTH + r",?[\s-]+(?P<year>\d{4})"
)


def _year(text: str) -> int:
    """A four-digit year as is; two digits pivot at 69 (00-68: 20xx, 69-99: 19xx, as strptime)."""
    value = int(text)
    if len(text) == 2:
        return value + (2000 if value < 69 else 1900)
    return value


def _zone(text: str | None) -> dt.tzinfo:
    if not text or text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) > 2 else 0
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def _midnight(year: int, month: int, day: int) -> dt.datetime | None:
    try:
        return dt.datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def _numeric(match: re.Match[str], order: str | None) -> dt.datetime | None:
    first, second = int(match["a"]), int(match["b"])
    year = _year(match["year"])
    if order == "dmy":
        day, month = first, second
    else:
        month, day = first, second
    if month > 12 and day <= 12:
        # Not a valid US date: Quarto's guesser reads 17/10/2024 day-first, and so do we.
        month, day = day, month
    return _midnight(year, month, day)


def _iso(match: re.Match[str]) -> dt.datetime | None:
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    if match["hour"] is None:
        return _midnight(year, month, day)
    frac = (match["frac"] or "0")[:6].ljust(6, "0")
    try:
        return dt.datetime(
            year,
            month,
            day,
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"] or 0),
            int(frac),
            tzinfo=_zone(match["zone"]),
        )
    except ValueError:
        return None


def _named(match: re.Match[str]) -> dt.datetime | None:
    month = MONTHS.get(match["month_name"].lower())
    if month is None:
        return None
    return _midnight(int(match["year"]), month, int(match["day"]))


def _rfc2822(text: str) -> dt.datetime | None:
    if not re.search(r"\d{1,2}:\d{2}", text):
        return None
    # Imported here: email.utils and what it imports cost a build's start-up ~7 ms, and only
    # dates written as in e-mail headers need it.
    from email.utils import parsedate_to_datetime

    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def today(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight UTC of the current (or given) day."""
    current = now or dt.datetime.now(UTC)
    current = current.astimezone(UTC)
    return dt.datetime(current.year, current.month, current.day, tzinfo=UTC)


def from_timestamp(seconds: float) -> dt.datetime:
    """A POSIX timestamp (such as a file's mtime) as an aware UTC datetime."""
    return dt.datetime.fromtimestamp(seconds, UTC)


def parse_date(
    value: object,
    *,
    order: str | None = None,
    mtime: float | None = None,
    now: dt.datetime | None = None,
) -> dt.datetime | None:
    """Read a front matter date as Quarto does; None when it cannot be read.

    ``order`` is ``"dmy"`` to read an ambiguous ``03/04/2024`` day-first (default: Quarto's
    month-first). ``mtime`` is the file's modification time for ``last-modified``; ``now``
    pins the clock for ``today``/``now`` (tests).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):  # a caller that parsed YAML with timestamps on
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, dt.date):
        return _midnight(value.year, value.month, value.day)
    text = str(value).strip()
    if not text:
        return None
    keyword = text.lower()
    if keyword == "today":
        return today(now)
    if keyword == "now":
        return (now or dt.datetime.now(UTC)).astimezone(UTC)
    if keyword == "last-modified":
        return from_timestamp(mtime) if mtime is not None else None
    match = NUMERIC_RE.fullmatch(text)
    if match:
        return _numeric(match, order)
    for pattern in (ISO_RE, DOTTED_RE, DAY_MONTH_YEAR_RE, MONTH_DAY_COMMA_YEAR_RE):
        match = pattern.fullmatch(text)
        if match:
            if pattern is ISO_RE:
                return _iso(match)
            return _midnight(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in (NAMED_MDY_RE, NAMED_DMY_RE):
        match = pattern.fullmatch(text)
        if match:
            return _named(match)
    return _iso_basic(text) or _rfc2822(text)


def _iso_basic(text: str) -> dt.datetime | None:
    """ISO 8601's basic and week forms (``BASIC_ISO_RE``, ``WEEK_RE``); None for other text."""
    match = BASIC_ISO_RE.fullmatch(text)
    if match:
        return _iso(match)
    match = WEEK_RE.fullmatch(text)
    if match is None:
        return None
    try:
        day = dt.date.fromisocalendar(
            int(match["year"]), int(match["week"]), int(match["weekday"] or 1)
        )
    except ValueError:
        return None
    return _midnight(day.year, day.month, day.day)


def has_time(value: dt.datetime, text: str | None) -> bool:
    """Whether a parsed date carries a time of day worth printing (not a bare date)."""
    if text is not None and text.strip().lower() in ("today",):
        return False
    if text is not None and text.strip().lower() in ("now", "last-modified"):
        return True
    return (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0) or (
        value.utcoffset() not in (None, dt.timedelta(0))
    )


def iso_format(value: dt.datetime, text: str | None = None) -> str:
    """ISO 8601 text: ``2024-10-17`` for a bare date, a full date-time otherwise."""
    if has_time(value, text):
        return value.isoformat()
    return value.date().isoformat()
