"""What nbpost produces from the corpus and the example blog stays byte for byte the same.

The digests in ``tests/data/behaviour_digests.json`` were taken before the code was
restructured into layers; a refactoring must leave every one of them as it is. A deliberate
change of output regenerates them with ``python tests/structure/snapshot.py``.
"""

from __future__ import annotations

import json

import pytest
from snapshot import DIGESTS, collect, corpus_dir

pytestmark = pytest.mark.corpus


def test_builds_and_conversions_match_the_recorded_digests() -> None:
    if not corpus_dir().is_dir():
        pytest.skip(f"corpus not found at {corpus_dir()} (set NBPOST_CORPUS)")
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))
    actual = collect()
    assert actual.keys() == expected.keys()
    for group, files in expected.items():
        changed = sorted(
            k for k in files.keys() | actual[group].keys() if files.get(k) != actual[group].get(k)
        )
        assert not changed, f"{group}: {len(changed)} outputs differ, first: {changed[:5]}"
