"""Dead letters: a record a stage could not handle goes to ``<topic>.dlq`` byte for byte, with the reason.

The reason and the record's origin travel as headers, so the original bytes stay untouched and the
record can be fixed and replayed to its topic.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialcare.bus.base import Producer, Record
from socialcare.models import utcnow
from socialcare.topics import dlq_topic

REASON = "socialcare.dlq.reason"
STAGE = "socialcare.dlq.stage"
ORIGIN = "socialcare.dlq.origin"
FAILED_AT = "socialcare.dlq.failed_at"
MAX_REASON_CHARS = 2_000


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A dead-lettered record, as read back from a DLQ topic."""

    reason: str
    stage: str
    origin: str
    failed_at: str
    key: str | None
    value: bytes

    @classmethod
    def from_record(cls, record: Record) -> DeadLetter:
        def text(name: str) -> str:
            return (record.header(name) or b"").decode("utf-8", errors="replace")

        return cls(text(REASON), text(STAGE), text(ORIGIN), text(FAILED_AT), record.key, record.value)


def send_to_dlq(
    producer: Producer, *, topic: str, value: bytes, key: str | None, reason: str, stage: str, origin: str
) -> None:
    """Queue ``value`` on the DLQ of ``topic``; durable after the producer's next flush."""
    producer.send(
        dlq_topic(topic),
        value,
        key=key,
        headers={
            REASON: reason[:MAX_REASON_CHARS].encode("utf-8"),
            STAGE: stage.encode("utf-8"),
            ORIGIN: origin.encode("utf-8"),
            FAILED_AT: utcnow().isoformat().encode("ascii"),
        },
    )


def dead_letter_record(producer: Producer, record: Record, reason: str, stage: str) -> None:
    send_to_dlq(
        producer,
        topic=record.topic,
        value=record.value,
        key=record.key,
        reason=reason,
        stage=stage,
        origin=f"{record.topic}[{record.partition}]@{record.offset}",
    )
