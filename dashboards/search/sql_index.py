"""The SQL adapter of the search index (SQLite or PostgreSQL): documents and tokens, and hourly rollups.

Indexing a batch upserts its documents, replaces their tokens, then recomputes the rollup rows of the
hours the batch touched from the documents themselves, so re-indexing is idempotent and the rollups
never drift. The trend queries read only the rollups: thousands of rows for a quarter, however many
mentions it had. :class:`NaiveSqlQueries` answers the same questions from the documents, as a baseline.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import regex
from sqlalchemy import Engine, and_, case, delete, func, insert, literal, literal_column, select, union_all
from sqlalchemy import text as text_clause
from sqlalchemy.sql.elements import ColumnElement

from dashboards.search.docs import IndexDoc
from dashboards.search.port import Facets, Hit, Interval, TokenKind, TrendFilter, VolumePoint
from socialcare.store.db import upsert
from socialcare.store.schema import UtcDateTime, search_docs, search_tokens, token_days, token_hours, trend_hours

FTS_MIN_CHARS = 3
"""Trigram full-text search needs three characters; a shorter needle is a substring match."""
_UNSPACED = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\p{Thai}]")


class SqlSearchIndex:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # writing ------------------------------------------------------------------------------------------
    def index(self, docs: Sequence[IndexDoc]) -> None:
        if not docs:
            return
        ids = [doc.id for doc in docs]
        with self.engine.begin() as connection:
            old_hours = set(connection.execute(select(search_docs.c.hour).where(search_docs.c.id.in_(ids))).scalars())
            upsert(connection, search_docs, [_doc_row(doc) for doc in docs], key=["id"])
            connection.execute(delete(search_tokens).where(search_tokens.c.mention_id.in_(ids)))
            tokens = {
                (doc.id, kind, token): doc.hour
                for doc in docs
                for kind, values in (("hashtag", doc.hashtags), ("term", doc.terms))
                for token in values
            }
            if tokens:
                connection.execute(
                    insert(search_tokens),
                    [{"mention_id": m, "kind": k, "token": t, "hour": hour} for (m, k, t), hour in tokens.items()],
                )
            hours = old_hours | {doc.hour for doc in docs}
            connection.execute(delete(trend_hours).where(trend_hours.c.hour.in_(hours)))
            connection.execute(delete(token_hours).where(token_hours.c.hour.in_(hours)))
            self._roll_up_hours(connection, hours)
            self._roll_up_days(connection, {hour.replace(hour=0) for hour in hours})

    def rebuild_rollups(self, start: datetime, end: datetime) -> int:
        """Recompute the rollups of every hour in [start, end) from the documents; returns the hours."""
        with self.engine.begin() as connection:
            hours = set(
                connection.execute(
                    select(search_docs.c.hour).where(search_docs.c.hour >= start, search_docs.c.hour < end).distinct()
                ).scalars()
            )
            connection.execute(delete(trend_hours).where(trend_hours.c.hour >= start, trend_hours.c.hour < end))
            connection.execute(delete(token_hours).where(token_hours.c.hour >= start, token_hours.c.hour < end))
            self._roll_up_hours(connection, hours)
            days, day = [], start.replace(hour=0, minute=0, second=0, microsecond=0)
            while day < end:  # every day the range touches, one left without any document too
                days.append(day)
                day += timedelta(days=1)
            self._roll_up_days(connection, days)
        return len(hours)

    @staticmethod
    def _roll_up_hours(connection: Any, hours: Iterable[datetime]) -> None:
        """Insert the hourly rollups of ``hours`` from the documents (the caller cleared their old rows)."""
        hours = sorted(set(hours))
        if not hours:
            return
        d = search_docs.c
        dims = (d.hour, d.brand, d.source, d.lang)
        counts = (
            select(
                *dims,
                func.count().label("mentions"),
                *(
                    func.sum(case((d.sentiment == label, 1), else_=0)).label(label)
                    for label in ("positive", "neutral", "negative")
                ),
            )
            .where(d.hour.in_(hours))
            .group_by(*dims)
        )
        connection.execute(
            insert(trend_hours).from_select(
                ["hour", "brand", "source", "lang", "mentions", "positive", "neutral", "negative"], counts
            )
        )
        t = search_tokens.c
        tokens = (
            select(*dims, t.kind, t.token, func.count().label("mentions"))
            .join_from(search_tokens, search_docs, d.id == t.mention_id)
            .where(t.hour.in_(hours))
            .group_by(*dims, t.kind, t.token)
        )
        connection.execute(
            insert(token_hours).from_select(["hour", "brand", "source", "lang", "kind", "token", "mentions"], tokens)
        )

    @staticmethod
    def _roll_up_days(connection: Any, days: Iterable[datetime]) -> None:
        """Recompute the daily token rollups of ``days``: each day is the sum of its hours."""
        for day in sorted(days):
            SqlSearchIndex._roll_up_day(connection, day)

    @staticmethod
    def _roll_up_day(connection: Any, day: datetime) -> None:
        connection.execute(delete(token_days).where(token_days.c.day == day))
        h = token_hours.c
        dims = (h.brand, h.source, h.lang, h.kind, h.token)
        summed = (
            select(literal(day, UtcDateTime()).label("day"), *dims, func.sum(h.mentions))
            .where(h.hour >= day, h.hour < day + timedelta(days=1))
            .group_by(*dims)
        )
        connection.execute(
            insert(token_days).from_select(["day", "brand", "source", "lang", "kind", "token", "mentions"], summed)
        )

    # reading ------------------------------------------------------------------------------------------
    def volume(self, trend: TrendFilter, interval: Interval) -> list[VolumePoint]:
        r = trend_hours.c
        query = (
            select(r.hour, func.sum(r.mentions), func.sum(r.positive), func.sum(r.neutral), func.sum(r.negative))
            .where(_where(r, trend))
            .group_by(r.hour)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return bucketed(((hour, mentions, pos, neu, neg) for hour, mentions, pos, neu, neg in rows), interval)

    def share_of_voice(self, trend: TrendFilter) -> dict[str, int]:
        r = trend_hours.c
        total = func.sum(r.mentions)
        query = select(r.brand, total).where(_where(r, trend)).group_by(r.brand).order_by(total.desc(), r.brand)
        with self.engine.connect() as connection:
            return {brand: int(count) for brand, count in connection.execute(query)}

    def top_tokens(self, trend: TrendFilter, kind: TokenKind, limit: int = 20) -> list[tuple[str, int]]:
        """Whole days from the daily rollup, the partial days at the edges from the hourly one."""
        parts = []
        for table, column, start, end in _day_and_hour_spans(trend.start, trend.end):
            r = table.c
            span = TrendFilter(start, end, trend.brands, trend.source, trend.lang)
            parts.append(select(r.token, r.mentions).where(_where(r, span, column=column), r.kind == kind))
        if not parts:
            return []
        counted = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
        total = func.sum(counted.c.mentions)
        query = (
            select(counted.c.token, total)
            .group_by(counted.c.token)
            .order_by(total.desc(), counted.c.token)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [(token, int(count)) for token, count in connection.execute(query)]

    def facets(self) -> Facets:
        r = trend_hours.c
        with self.engine.connect() as connection:
            values = [
                tuple(str(v) for v in connection.execute(select(column).distinct().order_by(column)).scalars())
                for column in (r.brand, r.source, r.lang)
            ]
            newest = connection.execute(select(func.max(search_docs.c.created_at))).scalar_one_or_none()
        return Facets(values[0], values[1], values[2], newest)

    def search(self, text: str, trend: TrendFilter, limit: int = 50) -> list[Hit]:
        needle = " ".join(text.split())
        if not needle:
            return []
        d = search_docs.c
        query = select(d.id, d.created_at, d.brand, d.source, d.lang, d.sentiment, d.text).where(
            _where(d, trend, column="created_at")
        )
        dialect = self.engine.dialect.name
        if dialect == "sqlite" and len(needle) >= FTS_MIN_CHARS:
            phrase = '"' + needle.replace('"', '""') + '"'  # one phrase: no FTS5 syntax from the user
            matching = text_clause("SELECT rowid FROM search_fts WHERE search_fts MATCH :phrase").bindparams(
                phrase=phrase
            )
            query = query.where(literal_column("search_docs.rowid").in_(matching))
        elif dialect == "postgresql" and len(needle) >= FTS_MIN_CHARS and not _UNSPACED.search(needle):
            vector = func.to_tsvector(literal_column("'simple'"), d.text)
            query = query.where(vector.op("@@")(func.plainto_tsquery(literal_column("'simple'"), needle)))
        else:  # short, or a script written without spaces on PostgreSQL: a (trigram-indexed) substring match
            escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(d.text.ilike(f"%{escaped}%", escape="\\"))
        query = query.order_by(d.created_at.desc(), d.id).limit(limit)
        with self.engine.connect() as connection:
            return [Hit(*row) for row in connection.execute(query)]


class NaiveSqlQueries:
    """The same trend answers computed from the documents at query time: the benchmark's baseline."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def volume(self, trend: TrendFilter, interval: Interval) -> list[VolumePoint]:
        d = search_docs.c
        query = select(d.hour, d.sentiment).where(_where(d, trend, column="created_at"))
        per_hour: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        with self.engine.connect() as connection:
            for hour, sentiment in connection.execute(query):
                counts = per_hour[hour]
                counts[0] += 1
                counts[1 + ("positive", "neutral", "negative").index(sentiment)] += 1
        return bucketed(((hour, c[0], c[1], c[2], c[3]) for hour, c in per_hour.items()), interval)

    def share_of_voice(self, trend: TrendFilter) -> dict[str, int]:
        d = search_docs.c
        total = func.count()
        query = (
            select(d.brand, total)
            .where(_where(d, trend, column="created_at"))
            .group_by(d.brand)
            .order_by(total.desc(), d.brand)
        )
        with self.engine.connect() as connection:
            return {brand: int(count) for brand, count in connection.execute(query)}

    def top_tokens(self, trend: TrendFilter, kind: TokenKind, limit: int = 20) -> list[tuple[str, int]]:
        d, t = search_docs.c, search_tokens.c
        total = func.count()
        query = (
            select(t.token, total)
            .join_from(search_tokens, search_docs, d.id == t.mention_id)
            .where(_where(d, trend, column="created_at"), t.kind == kind)
            .group_by(t.token)
            .order_by(total.desc(), t.token)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [(token, int(count)) for token, count in connection.execute(query)]


def bucketed(rows: Iterable[tuple[datetime, Any, Any, Any, Any]], interval: Interval) -> list[VolumePoint]:
    """Hourly counts summed into ``interval`` buckets, oldest first."""
    buckets: dict[datetime, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for hour, *counts in rows:
        key = hour if interval == "hour" else hour.replace(hour=0)
        for i, count in enumerate(counts):
            buckets[key][i] += int(count or 0)
    return [VolumePoint(key, *counts) for key, counts in sorted(buckets.items())]


def _day_and_hour_spans(start: datetime, end: datetime) -> list[tuple[Any, str, datetime, datetime]]:
    """[start, end) in whole hours, split into (table, time column, from, to): hourly rollups for the
    partial days at either edge, daily rollups for the whole days between."""
    start = start.replace(minute=0, second=0, microsecond=0)
    end = _ceil_hour(end)
    first_midnight = _ceil_day(start)
    last_midnight = end.replace(hour=0)
    if first_midnight >= last_midnight:
        return [(token_hours, "hour", start, end)] if start < end else []
    spans = [(token_days, "day", first_midnight, last_midnight)]
    if start < first_midnight:
        spans.append((token_hours, "hour", start, first_midnight))
    if last_midnight < end:
        spans.append((token_hours, "hour", last_midnight, end))
    return spans


def _ceil_hour(moment: datetime) -> datetime:
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(hours=1)


def _ceil_day(moment: datetime) -> datetime:
    floor = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(days=1)


def _where(columns: Any, trend: TrendFilter, column: str = "hour") -> ColumnElement[bool]:
    """The filter on a table with brand, source, lang and a time column (rollups: the hour bucket).

    Hourly rollups answer for whole hours: ``start`` is rounded down and ``end`` up."""
    time = getattr(columns, column)
    start, end = trend.start, trend.end
    if column == "hour":
        start, end = start.replace(minute=0, second=0, microsecond=0), _ceil_hour(end)
    conditions: list[ColumnElement[bool]] = [time >= start, time < end]
    if trend.brands:
        conditions.append(columns.brand.in_(trend.brands))
    if trend.source:
        conditions.append(columns.source == trend.source)
    if trend.lang:
        conditions.append(columns.lang == trend.lang)
    return and_(*conditions)


def _doc_row(doc: IndexDoc) -> dict[str, Any]:
    row = asdict(doc)
    del row["hashtags"], row["terms"]  # those go to search_tokens
    return {**row, "hour": doc.hour}
