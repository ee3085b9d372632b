"""What a collection saw besides the posts, for tools that look at the whole blog (check)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import PostRecord
from .discover import ListingContents, ProjectFiles


@dataclass
class CollectFacts:
    """Every document's record, the files walked, and what each listing page lists."""

    records: dict[str, PostRecord] = field(default_factory=dict)
    files: ProjectFiles = field(default_factory=ProjectFiles)
    listings: list[ListingContents] = field(default_factory=list)
    settings: Any = None  # the project's ProjectSettings

    def keep(
        self,
        records: dict[str, PostRecord],
        files: ProjectFiles,
        listings: list[ListingContents],
        settings: Any,
    ) -> None:
        """Remember what one collection saw."""
        self.records, self.files, self.listings, self.settings = records, files, listings, settings
