"""The pieces of ``nbpost new``: date formats, near-miss categories, exclusive writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nbpost.blog.newpost.dateformat import date_template, format_date, usual_template
from nbpost.blog.newpost.layout import infer_layout
from nbpost.blog.newpost.similar import closest, loose_key, one_edit_apart
from nbpost.blog.read.dates import parse_date
from nbpost.textio import write_new

WHEN = dt.datetime(2026, 3, 4, 9, 5, 7, tzinfo=dt.timezone(dt.timedelta(hours=2)))


@pytest.mark.parametrize(
    ("written", "template", "new"),
    [
        ("2024-10-17", "%Y-%m-%d", "2026-03-04"),
        ("2024-8-15", "%Y-%-m-%-d", "2026-3-4"),
        ("2024/10/17", "%Y/%m/%d", "2026/03/04"),
        ("9/9/2025", "%-m/%-d/%Y", "3/4/2026"),
        ("01/23/2026", "%m/%d/%Y", "03/04/2026"),
        ("23/01/2026", "%d/%m/%Y", "04/03/2026"),
        ("10-10-2019", "%m-%d-%Y", "03-04-2026"),
        ("October 17, 2024", "%B %-d, %Y", "March 4, 2026"),
        ("Oct 17, 2024", "%b %-d, %Y", "Mar 4, 2026"),
        ("17 October 2024", "%-d %B %Y", "4 March 2026"),
        ("2024-10-17T10:30", "%Y-%m-%dT%H:%M", "2026-03-04T09:05"),
        ("2024-10-17 10:30:00", "%Y-%m-%d %H:%M:%S", "2026-03-04 09:05:07"),
        ("2024-10-17T10:30:00+02:00", "%Y-%m-%dT%H:%M:%S%z", "2026-03-04T09:05:07+02:00"),
    ],
)
def test_date_format_is_learnt_and_reads_back_as_the_same_day(
    written: str, template: str, new: str
) -> None:
    assert date_template(written) == template
    assert format_date(template, WHEN) == new
    order = "dmy" if written.startswith("23/") else None
    parsed = parse_date(new, order=order)
    assert parsed is not None and (parsed.year, parsed.month, parsed.day) == (2026, 3, 4)


def test_usual_date_format_is_the_most_common_one() -> None:
    assert usual_template(["2024-1-5", "2024-01-06", "2024-2-7", "today"]) == "%Y-%-m-%-d"
    assert usual_template(["today", "last-modified"]) == "%Y-%m-%d"


def test_near_miss_rules() -> None:
    assert loose_key("Machine-Learning") == loose_key("machine learning") == "machinelearning"
    assert loose_key("Libraries") == loose_key("library")
    assert loose_key("boxes") == loose_key("box")
    assert one_edit_apart("regression", "regresion")
    assert one_edit_apart("regression", "regressoin")
    assert not one_edit_apart("regression", "progression!")
    assert closest("visualisation", ["visualization", "python"]) == "visualization"
    assert closest("C", ["R"]) is None
    assert closest("java", ["javascript"]) is None


def test_write_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.qmd"
    write_new(target, "first")
    with pytest.raises(FileExistsError):
        write_new(target, "second")
    assert target.read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.qmd"]  # no temporary left behind


def test_layout_of_flat_posts_and_a_blog_that_changed_its_ways() -> None:
    flat = infer_layout(["blog/2024-01-02-b.qmd", "blog/2024-01-01-a.qmd"], None)
    assert flat.relative_path("new", WHEN) == "blog/2026-03-04-new.qmd"
    # eight new-style posts outweigh twelve older ones: the newest habit wins
    sources = [f"posts/new{n}/index.qmd" for n in range(8)]
    sources += [f"posts/old{n}/index.md" for n in range(12)]
    assert infer_layout(sources, None).suffix == ".qmd"
    # one odd newest post does not
    sources = ["posts/odd/index.md"] + [f"posts/p{n}/index.qmd" for n in range(5)]
    assert infer_layout(sources, None).suffix == ".qmd"


def test_a_long_series_counts_every_post_for_the_next_number() -> None:
    sources = [f"posts/{n:03d}-tip/index.qmd" for n in range(5, 400)]  # oldest first
    sources.append("posts/004-old/index.qmd")
    layout = infer_layout(list(reversed(sources)), None)
    assert layout.next_number == 400 and layout.number_width == 3
    assert infer_layout(sources, None).next_number == 400  # the highest, wherever it is
