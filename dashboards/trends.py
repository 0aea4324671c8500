"""Marketing trends: the filters, the views (volume, sentiment, share of voice, hashtags, terms, spikes)
and their CSV export, over whichever search index is configured."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Engine, select

from dashboards.search.port import Facets, Hit, Interval, SearchIndex, TrendFilter, VolumePoint
from socialcare.store.schema import spike_alerts

View = Literal["volume", "sentiment", "share", "hashtags", "terms", "spikes"]
VIEWS: tuple[View, ...] = ("volume", "sentiment", "share", "hashtags", "terms", "spikes")
DEFAULT_DAYS = 7
HOURLY_UP_TO_DAYS = 3
TOP = 15
SEARCH_HITS = 50


@dataclass(frozen=True)
class TrendQuery:
    trend: TrendFilter
    interval: Interval
    first_day: date
    last_day: date


@dataclass
class Trends:
    query: TrendQuery
    facets: Facets
    volume: list[VolumePoint] = field(default_factory=list)
    share: list[tuple[str, int, float]] = field(default_factory=list)
    hashtags: list[tuple[str, int]] = field(default_factory=list)
    terms: list[tuple[str, int]] = field(default_factory=list)
    spikes: list[dict[str, Any]] = field(default_factory=list)
    search: str = ""
    hits: list[Hit] = field(default_factory=list)


def parse_query(params: Mapping[str, str], facets: Facets) -> TrendQuery:
    """Filters from the page's form; the default range is the week up to the newest mention indexed."""
    newest = (facets.newest or datetime.now(UTC)).date()
    last = _day(params.get("end")) or newest
    first = _day(params.get("start")) or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    brand = params.get("brand") or ""
    trend = TrendFilter(
        start=datetime.combine(first, time(), UTC),
        end=datetime.combine(last + timedelta(days=1), time(), UTC),
        brands=(brand,) if brand else (),
        source=params.get("source") or None,
        lang=params.get("lang") or None,
    )
    wanted = params.get("interval")
    interval: Interval = (
        wanted if wanted in ("hour", "day") else ("hour" if (last - first).days < HOURLY_UP_TO_DAYS else "day")  # type: ignore[assignment]
    )
    return TrendQuery(trend, interval, first, last)


def compute(index: SearchIndex, engine: Engine, params: Mapping[str, str], views: Collection[View] = VIEWS) -> Trends:
    """The ``views`` asked for (the page: all of them and the search hits; an export: its one view)."""
    facets = index.facets()
    query = parse_query(params, facets)
    trend = query.trend
    found = Trends(query=query, facets=facets, search=(params.get("q") or "").strip()[:200])
    if "volume" in views or "sentiment" in views:
        found.volume = index.volume(trend, query.interval)
    if "share" in views:
        everyone = TrendFilter(trend.start, trend.end, (), trend.source, trend.lang)  # share of voice: all brands
        share = index.share_of_voice(everyone)
        total = sum(share.values()) or 1
        found.share = [(brand, count, 100.0 * count / total) for brand, count in share.items()]
    if "hashtags" in views:
        found.hashtags = index.top_tokens(trend, "hashtag", TOP)
    if "terms" in views:
        found.terms = index.top_tokens(trend, "term", TOP)
    if "spikes" in views:
        found.spikes = spikes_in(engine, trend)
    if found.search and set(views) == set(VIEWS):
        found.hits = index.search(found.search, trend, SEARCH_HITS)
    return found


def spikes_in(engine: Engine, trend: TrendFilter) -> list[dict[str, Any]]:
    query = (
        select(spike_alerts)
        .where(spike_alerts.c.at >= trend.start, spike_alerts.c.at < trend.end)
        .order_by(spike_alerts.c.at.desc())
    )
    with engine.connect() as connection:
        rows = [dict(row) for row in connection.execute(query).mappings()]
    if trend.brands:
        rows = [row for row in rows if row["key"].split("/")[0] in trend.brands]
    return rows


def bucket_label(point: VolumePoint, interval: Interval) -> str:
    return point.bucket.strftime("%d %b %H:00" if interval == "hour" else "%d %b")


def csv_of(trends: Trends, view: View) -> str:
    """One view as CSV; a cell that a spreadsheet would run as a formula is quoted with a leading '."""
    rows: list[list[Any]]
    if view in ("volume", "sentiment"):
        rows = [["bucket", "mentions", "positive", "neutral", "negative"]]
        rows += [[p.bucket.isoformat(), p.mentions, p.positive, p.neutral, p.negative] for p in trends.volume]
    elif view == "share":
        rows = [["brand", "mentions", "share_percent"]] + [[b, c, f"{pct:.1f}"] for b, c, pct in trends.share]
    elif view in ("hashtags", "terms"):
        rows = [[view[:-1], "mentions"]] + [[token, count] for token, count in getattr(trends, view)]
    else:
        rows = [["at", "key", "series", "window_min", "observed", "expected", "z", "acknowledged_by"]]
        rows += [
            [
                s["at"].isoformat(),
                s["key"],
                s["series"],
                s["window_min"],
                s["observed"],
                f"{s['expected']:.2f}",
                f"{s['z']:.2f}",
                s["acknowledged_by"] or "",
            ]
            for s in trends.spikes
        ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
