"""Reading front matter dates as Quarto does (nbpost.blog.read.dates)."""

from __future__ import annotations

import datetime as dt
import types

import pytest

from nbpost.blog.read import dates
from nbpost.blog.read.dates import has_time, iso_format, parse_date, today

UTC = dt.timezone.utc


def d(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Quarto's explicit formats, in its order.
        ("10/17/2024", d(2024, 10, 17)),
        ("10-17-2024", d(2024, 10, 17)),
        ("10/17/24", d(2024, 10, 17)),
        ("10-17-24", d(2024, 10, 17)),
        ("2024-10-17", d(2024, 10, 17)),
        ("17 10 2024", d(2024, 10, 17)),
        ("10 17, 2024", d(2024, 10, 17)),
        # Unpadded forms (the Quarto blog template writes "2/8/2022"; the corpus has 2023-5-1).
        ("2/8/2022", d(2022, 2, 8)),
        ("2024-3-5", d(2024, 3, 5)),
        ("2023-5-1", d(2023, 5, 1)),
        ("2024/10/17", d(2024, 10, 17)),
        # Month names.
        ("October 17, 2024", d(2024, 10, 17)),
        ("Oct 17, 2024", d(2024, 10, 17)),
        ("Oct. 17 2024", d(2024, 10, 17)),
        ("17 Oct 2024", d(2024, 10, 17)),
        ("17 October, 2024", d(2024, 10, 17)),
        ("17-Oct-2024", d(2024, 10, 17)),
        ("Thursday, October 17th, 2024", d(2024, 10, 17)),
        ("sept 3 2021", d(2021, 9, 3)),
        # Day-first only when the month-first reading is impossible.
        ("17/10/2024", d(2024, 10, 17)),
        ("17.10.2024", d(2024, 10, 17)),
        # Two-digit years pivot at 69.
        ("01/02/68", d(2068, 1, 2)),
        ("01/02/69", d(1969, 1, 2)),
        # Surrounding spaces do not matter.
        ("  2024-10-17 ", d(2024, 10, 17)),
    ],
)
def test_parse_date_formats(text: str, expected: dt.datetime) -> None:
    assert parse_date(text) == expected


def test_ambiguous_dates_are_month_first_unless_the_blog_says_dmy() -> None:
    assert parse_date("03/04/2024") == d(2024, 3, 4)
    assert parse_date("03/04/2024", order="mdy") == d(2024, 3, 4)
    assert parse_date("03/04/2024", order="dmy") == d(2024, 4, 3)
    assert parse_date("03-04-24", order="dmy") == d(2024, 4, 3)
    # Unambiguous dates read the same whatever the order.
    assert parse_date("17/10/2024", order="dmy") == d(2024, 10, 17)
    assert parse_date("10/17/2024", order="dmy") == d(2024, 10, 17)
    assert parse_date("2024-03-04", order="dmy") == d(2024, 3, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-17T10:30:00Z", dt.datetime(2024, 10, 17, 10, 30, tzinfo=UTC)),
        ("2024-10-17T10:30", dt.datetime(2024, 10, 17, 10, 30, tzinfo=UTC)),
        ("2024-10-17 10:30:05", dt.datetime(2024, 10, 17, 10, 30, 5, tzinfo=UTC)),
        (
            "2024-10-17T10:30:00+02:00",
            dt.datetime(2024, 10, 17, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        (
            "2024-10-17T10:30:00-0530",
            dt.datetime(2024, 10, 17, 10, 30, tzinfo=dt.timezone(-dt.timedelta(hours=5.5))),
        ),
        ("2024-10-17T10:30:00.250Z", dt.datetime(2024, 10, 17, 10, 30, 0, 250000, tzinfo=UTC)),
        ("Thu, 17 Oct 2024 10:30:00 +0000", dt.datetime(2024, 10, 17, 10, 30, tzinfo=UTC)),
        ("20241017", d(2024, 10, 17)),
    ],
)
def test_parse_date_times_with_zones(text: str, expected: dt.datetime) -> None:
    value = parse_date(text)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "2024-13-45",  # PyYAML would raise ValueError; we report it instead
        "02/30/2024",
        "13/13/2024",
        "2024-02-30",
        "Octember 17, 2024",
        "17 Foo 2024",
        "2024-10-17T25:00",
        "last modified",
        "10/17",
        "yesterday",
    ],
)
def test_unreadable_dates_give_none(text: str) -> None:
    assert parse_date(text) is None


def test_every_result_is_timezone_aware() -> None:
    for text in ("2024-10-17", "10/17/2024", "2024-10-17T10:00", "17 Oct 2024", "20241017"):
        value = parse_date(text)
        assert value is not None and value.tzinfo is not None, text


def test_keywords_use_the_given_clock_and_mtime() -> None:
    now = dt.datetime(2024, 10, 17, 15, 45, tzinfo=UTC)
    assert parse_date("today", now=now) == d(2024, 10, 17)
    assert parse_date("now", now=now) == now
    assert parse_date("Today", now=now) == d(2024, 10, 17)
    mtime = dt.datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC).timestamp()
    assert parse_date("last-modified", mtime=mtime) == dt.datetime(2023, 1, 2, 3, 4, 5, tzinfo=UTC)
    # Without a file there is no modification time: undated, never the build time.
    assert parse_date("last-modified") is None


def test_today_without_a_clock_is_midnight_utc() -> None:
    value = today()
    assert (value.hour, value.minute, value.tzinfo) == (0, 0, UTC)
    assert abs((dt.datetime.now(UTC) - value).total_seconds()) < 2 * 86400


def test_non_string_values() -> None:
    assert parse_date(None) is None
    assert parse_date(True) is None
    assert parse_date(2024) is None
    assert parse_date(dt.date(2024, 10, 17)) == d(2024, 10, 17)
    assert parse_date(dt.datetime(2024, 10, 17, 8)) == dt.datetime(2024, 10, 17, 8, tzinfo=UTC)


def test_iso_format_keeps_bare_dates_bare() -> None:
    assert iso_format(d(2024, 10, 17), "2024-10-17") == "2024-10-17"
    stamp = dt.datetime(2024, 10, 17, 10, 30, tzinfo=UTC)
    assert iso_format(stamp, "2024-10-17T10:30Z") == "2024-10-17T10:30:00+00:00"
    assert has_time(d(2024, 10, 17), "now")
    assert not has_time(d(2024, 10, 17), "today")
    zoned = parse_date("2024-10-17T00:00+02:00")
    assert zoned is not None and has_time(zoned, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20241017", dt.datetime(2024, 10, 17, tzinfo=dt.timezone.utc)),
        ("20241017T1030Z", dt.datetime(2024, 10, 17, 10, 30, tzinfo=dt.timezone.utc)),
        ("2024-W42-4", dt.datetime(2024, 10, 17, tzinfo=dt.timezone.utc)),
        ("2024W424", dt.datetime(2024, 10, 17, tzinfo=dt.timezone.utc)),
        ("20241317", None),  # month 13
        ("2024-W54-1", None),
    ],
)
def test_iso_basic_and_week_dates_read_the_same_on_every_python(
    text: str, expected: dt.datetime | None
) -> None:
    # moment-guess (Quarto's date.ts guesser) reads ISO 8601's basic and week forms; Python's
    # fromisoformat reads them only from 3.11 on, so nbpost must not depend on it
    assert parse_date(text) == expected


def test_basic_iso_date_does_not_depend_on_fromisoformat(monkeypatch: pytest.MonkeyPatch) -> None:
    # Python 3.10's fromisoformat refuses "20241017" (3.11's reads it): with a datetime whose
    # fromisoformat refuses everything, the date must still read
    class NoIso(dt.datetime):
        @classmethod
        def fromisoformat(cls, text: str) -> NoIso:  # type: ignore[override]
            raise ValueError(text)

    shim = types.SimpleNamespace(**{name: getattr(dt, name) for name in dir(dt)})
    shim.datetime = NoIso
    monkeypatch.setattr(dates, "dt", shim)
    assert parse_date("20241017") == dt.datetime(2024, 10, 17, tzinfo=dt.timezone.utc)
