"""Dates shown as Quarto's listings show them (formatDate in quarto-cli's src/core/date.ts)."""

from __future__ import annotations

import datetime as dt

import pytest

from nbpost.blog.render.datefmt import format_date

DAY = dt.datetime(2024, 10, 17, 9, 5, 7, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        (None, "Oct 17, 2024"),  # a listing's default: medium
        ("medium", "Oct 17, 2024"),
        ("full", "Thursday, October 17, 2024"),  # Intl dateStyle in English
        ("long", "October 17, 2024"),
        ("short", "10/17/24"),
        ("iso", "2024-10-17"),
        ("YYYY-MM-DD", "2024-10-17"),
        ("MMM D, YYYY", "Oct 17, 2024"),
        ("DD/MM/YY", "17/10/24"),
        ("dddd D MMMM", "Thursday 17 October"),
        ("ddd, Do [of] MMM", "Thu, 17th of Oct"),
        ("[Week] W, Q[Q]", "Week 42, 4Q"),
        ("HH:mm:ss A", "09:05:07 AM"),
        ("h:m a Z", "9:5 am +00:00"),
    ],
)
def test_format_date(style: str | None, shown: str) -> None:
    assert format_date(DAY, style) == shown


def test_non_english_blogs_get_iso_instead_of_english_names() -> None:
    assert format_date(DAY, "medium", "fr") == "2024-10-17"
    assert format_date(DAY, "D MMMM YYYY", "de-DE") == "2024-10-17"
    assert format_date(DAY, "DD.MM.YYYY", "de") == "17.10.2024"  # no names: as written
    assert format_date(DAY, "long", "en-GB") == "October 17, 2024"
