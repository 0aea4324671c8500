"""The transport port: produce keyed records, consume them in groups, commit after the side effect.

Both adapters (:mod:`.kafka` over kafka-python, :mod:`.embedded` over the SQL database) give the same
guarantees to the worker: records of one partition arrive in order, ``flush`` returns only when every
record sent before it is durable (or raises), and ``commit`` moves a group past records it has handled,
so a restarted consumer resumes at the first uncommitted record (at-least-once delivery).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Self

Headers = tuple[tuple[str, bytes], ...]


@dataclass(frozen=True, slots=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: str | None
    value: bytes
    headers: Headers = ()
    timestamp_ms: int | None = None

    def header(self, name: str) -> bytes | None:
        return next((value for key, value in self.headers if key == name), None)


class _Closable(ABC):
    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class Producer(_Closable):
    @abstractmethod
    def send(
        self, topic: str, value: bytes, key: str | None = None, headers: Mapping[str, bytes] | None = None
    ) -> None:
        """Queue one record; it is durable only after :meth:`flush` returns."""

    @abstractmethod
    def flush(self) -> None:
        """Block until every queued record is durably written; raise ``TransportError`` otherwise."""


class Consumer(_Closable):
    @abstractmethod
    def poll(self, max_records: int, timeout_ms: int) -> list[Record]:
        """Up to ``max_records`` records after the group's position, waiting up to ``timeout_ms``."""

    @abstractmethod
    def commit(self, records: Sequence[Record]) -> None:
        """Mark ``records`` (and everything before them in their partitions) as handled by the group."""

    @abstractmethod
    def caught_up(self) -> bool:
        """True once this consumer owns its partitions and has read everything they held at last look."""


class Transport(_Closable):
    name: str

    @abstractmethod
    def ensure_topics(self, topics: Iterable[str]) -> None:
        """Create the topics that do not exist yet; existing ones are left alone."""

    @abstractmethod
    def producer(self) -> Producer: ...

    @abstractmethod
    def consumer(self, group_id: str, topics: Sequence[str]) -> Consumer: ...

    @abstractmethod
    def read(self, topic: str, limit: int) -> list[Record]:
        """The first ``limit`` records of ``topic`` without joining a group (for inspection and tests)."""

    @abstractmethod
    def committed(self, group_id: str, topic: str) -> int:
        """How many records of ``topic`` the group has committed, over all partitions."""

    @abstractmethod
    def end_offsets(self, topic: str) -> int:
        """How many records ``topic`` holds, over all partitions."""


def last_record_per_partition(records: Sequence[Record]) -> dict[tuple[str, int], Record]:
    """The highest-offset record of each (topic, partition): what a commit needs."""
    last: dict[tuple[str, int], Record] = {}
    for record in records:
        current = last.get((record.topic, record.partition))
        if current is None or record.offset > current.offset:
            last[(record.topic, record.partition)] = record
    return last
