"""One typed record carries a post from the reader through the cache to collect."""

from __future__ import annotations

import json

from nbpost.blog.model import PostRecord
from nbpost.blog.read.reader import read_post


def test_reader_gives_a_post_record_that_survives_the_cache_json() -> None:
    text = b"---\ntitle: A\ndate: 2024-01-05\n---\n\nFirst paragraph.\n"
    record = read_post(text, "posts/a/index.qmd")
    assert isinstance(record, PostRecord)
    assert record.meta == {"title": "A", "date": "2024-01-05"}
    assert record.lines == {"title": 2, "date": 3}
    assert (record.heading, record.paragraph) == (None, "First paragraph.")
    stored = json.loads(json.dumps(record.as_json()))  # as the metadata cache keeps it
    assert PostRecord.from_json(stored) == record


def test_an_unreadable_post_is_a_record_with_only_its_error() -> None:
    record = read_post(b"---\ntitle: [oops\n---\n", "posts/b/index.qmd")
    assert record.error is not None and record.error_line == 2
    assert record.meta == {} and record.heading is None
    assert record.as_json() == {"error": record.error, "line": 2}
    assert PostRecord.from_json(record.as_json()) == record
