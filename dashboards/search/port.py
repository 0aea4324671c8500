"""The search-index port: what the dashboards ask of an index, whichever adapter holds it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from dashboards.search.docs import IndexDoc

Interval = Literal["hour", "day"]
TokenKind = Literal["hashtag", "term"]


@dataclass(frozen=True)
class TrendFilter:
    """What every trend view narrows by; ``None`` means any. ``start`` inclusive, ``end`` exclusive."""

    start: datetime
    end: datetime
    brands: tuple[str, ...] = ()
    source: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class VolumePoint:
    bucket: datetime
    mentions: int
    positive: int
    neutral: int
    negative: int


class SearchIndex(Protocol):
    def index(self, docs: Sequence[IndexDoc]) -> None:
        """Add or replace ``docs`` (by mention id: a replay changes nothing)."""

    def volume(self, trend: TrendFilter, interval: Interval) -> list[VolumePoint]:
        """Mentions and their sentiment per bucket, oldest first, buckets without mentions left out."""

    def share_of_voice(self, trend: TrendFilter) -> dict[str, int]:
        """Mentions per brand (the filter's brands, or all), most first."""

    def top_tokens(self, trend: TrendFilter, kind: TokenKind, limit: int = 20) -> list[tuple[str, int]]:
        """The most frequent hashtags or terms, with the number of mentions holding each."""

    def facets(self) -> Facets:
        """The brands, sources and languages indexed, and the time of the newest mention."""

    def search(self, text: str, trend: TrendFilter, limit: int = 50) -> list[Hit]:
        """Mentions whose text holds ``text`` (words, or any part of three characters or more), newest first."""


@dataclass(frozen=True)
class Hit:
    id: str
    created_at: datetime
    brand: str
    source: str
    lang: str
    sentiment: str
    text: str


@dataclass(frozen=True)
class Facets:
    brands: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    newest: datetime | None = None
