"""The embedded transport: a durable log in the SQL database, so one process needs no broker.

Each topic is one partition. A producer's :meth:`flush` appends its queued records in one transaction
that also advances ``log_topics.next_offset``; that row is locked by the update, so concurrent producers
of a topic commit in offset order and a consumer can never skip a record that commits later. Consumer
groups keep their position in ``log_offsets``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import OperationalError

from socialcare.bus.base import Consumer, Producer, Record, Transport, last_record_per_partition
from socialcare.errors import TransportError
from socialcare.models import utcnow
from socialcare.store.db import upsert
from socialcare.store.schema import log_offsets, log_records, log_topics

IDLE_SLEEP_S = 0.05
"""Pause between polls of an empty log while a poll's timeout has not run out."""

AUTO_FLUSH_RECORDS = 5_000
"""A producer writes its queue once it holds this many records, bounding memory."""


class EmbeddedTransport(Transport):
    name = "embedded"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ensure_topics(self, topics: Iterable[str]) -> None:
        with self.engine.begin() as connection:
            existing = set(connection.execute(select(log_topics.c.name)).scalars())
            missing = [{"name": t, "next_offset": 0} for t in dict.fromkeys(topics) if t not in existing]
            if missing:
                connection.execute(log_topics.insert(), missing)

    def producer(self) -> EmbeddedProducer:
        return EmbeddedProducer(self.engine)

    def consumer(self, group_id: str, topics: Sequence[str]) -> EmbeddedConsumer:
        self.ensure_topics(topics)
        return EmbeddedConsumer(self.engine, group_id, topics)

    def read(self, topic: str, limit: int) -> list[Record]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(log_records).where(log_records.c.topic == topic).order_by(log_records.c.offset).limit(limit)
            ).all()
        return [_record(row._mapping) for row in rows]

    def committed(self, group_id: str, topic: str) -> int:
        with self.engine.connect() as connection:
            value = connection.execute(
                select(log_offsets.c.next_offset).where(
                    log_offsets.c.group_id == group_id, log_offsets.c.topic == topic
                )
            ).scalar_one_or_none()
        return int(value or 0)

    def end_offsets(self, topic: str) -> int:
        with self.engine.connect() as connection:
            value = connection.execute(
                select(log_topics.c.next_offset).where(log_topics.c.name == topic)
            ).scalar_one_or_none()
        return int(value or 0)

    def close(self) -> None:
        """The engine belongs to the caller; nothing to release here."""


class EmbeddedProducer(Producer):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: list[tuple[str, str | None, bytes, list[list[str]]]] = []

    def send(
        self, topic: str, value: bytes, key: str | None = None, headers: Mapping[str, bytes] | None = None
    ) -> None:
        encoded = [[name, raw.decode("latin-1")] for name, raw in (headers or {}).items()]
        self._queue.append((topic, key, bytes(value), encoded))
        if len(self._queue) >= AUTO_FLUSH_RECORDS:
            self.flush()

    def flush(self) -> None:
        if not self._queue:
            return
        by_topic: dict[str, list[tuple[str | None, bytes, list[list[str]]]]] = {}
        for topic, key, value, headers in self._queue:
            by_topic.setdefault(topic, []).append((key, value, headers))
        now = utcnow()
        try:
            with self.engine.begin() as connection:
                for topic in sorted(by_topic):  # one lock order for every producer: no deadlocks
                    batch = by_topic[topic]
                    end = _reserve(connection, topic, len(batch))
                    first = end - len(batch)
                    connection.execute(
                        log_records.insert(),
                        [
                            {
                                "topic": topic,
                                "offset": first + i,
                                "key": key,
                                "value": value,
                                "headers": headers,
                                "created_at": now,
                            }
                            for i, (key, value, headers) in enumerate(batch)
                        ],
                    )
        except OperationalError as exc:
            raise TransportError(f"cannot append to the embedded log: {exc.orig}") from exc
        self._queue.clear()

    def close(self) -> None:
        self.flush()


def _reserve(connection: Any, topic: str, count: int) -> int:
    """Advance the topic's next offset by ``count`` (creating the topic if needed); return the new end."""
    end = connection.execute(
        update(log_topics)
        .where(log_topics.c.name == topic)
        .values(next_offset=log_topics.c.next_offset + count)
        .returning(log_topics.c.next_offset)
    ).scalar_one_or_none()
    if end is None:
        connection.execute(log_topics.insert().values(name=topic, next_offset=count))
        end = count
    return int(end)


class EmbeddedConsumer(Consumer):
    def __init__(self, engine: Engine, group_id: str, topics: Sequence[str]) -> None:
        self.engine = engine
        self.group_id = group_id
        self.topics = list(dict.fromkeys(topics))
        self._position = {topic: self._committed(topic) for topic in self.topics}

    def _committed(self, topic: str) -> int:
        with self.engine.connect() as connection:
            value = connection.execute(
                select(log_offsets.c.next_offset).where(
                    log_offsets.c.group_id == self.group_id, log_offsets.c.topic == topic
                )
            ).scalar_one_or_none()
        return int(value or 0)

    def poll(self, max_records: int, timeout_ms: int) -> list[Record]:
        deadline = time.monotonic() + timeout_ms / 1000
        while True:
            records = self._fetch(max_records)
            if records or time.monotonic() >= deadline:
                return records
            time.sleep(min(IDLE_SLEEP_S, max(0.0, deadline - time.monotonic())))

    def _fetch(self, max_records: int) -> list[Record]:
        records: list[Record] = []
        with self.engine.connect() as connection:
            for topic in self.topics:
                room = max_records - len(records)
                if room <= 0:
                    break
                rows = connection.execute(
                    select(log_records)
                    .where(log_records.c.topic == topic, log_records.c.offset >= self._position[topic])
                    .order_by(log_records.c.offset)
                    .limit(room)
                ).all()
                records.extend(_record(row._mapping) for row in rows)
        for record in records:
            self._position[record.topic] = record.offset + 1
        return records

    def commit(self, records: Sequence[Record]) -> None:
        rows = [
            {
                "group_id": self.group_id,
                "topic": topic,
                "next_offset": record.offset + 1,
                "updated_at": utcnow(),
            }
            for (topic, _partition), record in last_record_per_partition(records).items()
        ]
        try:
            with self.engine.begin() as connection:
                upsert(connection, log_offsets, rows, key=["group_id", "topic"])
        except OperationalError as exc:
            raise TransportError(f"cannot commit offsets to the embedded log: {exc.orig}") from exc

    def caught_up(self) -> bool:
        return self.lag() == 0

    def lag(self) -> int:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(log_topics.c.name, log_topics.c.next_offset).where(log_topics.c.name.in_(self.topics))
            ).all()
        ends = {name: int(end) for name, end in rows}
        return sum(max(0, ends.get(t, 0) - self._position[t]) for t in self.topics)

    def close(self) -> None:
        """Positions not committed are simply re-read by the next consumer of the group."""


def _record(row: Any) -> Record:
    return Record(
        topic=row["topic"],
        partition=0,
        offset=int(row["offset"]),
        key=row["key"],
        value=bytes(row["value"]),
        headers=tuple((name, value.encode("latin-1")) for name, value in row["headers"]),
        timestamp_ms=int(row["created_at"].timestamp() * 1000),
    )
