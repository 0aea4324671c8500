"""The stage worker: the same loop on every transport.

poll a batch -> decode each record into the stage's input event (bad bytes -> DLQ with the reason) ->
``stage.process`` (pure logic plus the stage's own idempotent side effect) -> publish the outputs and
dead letters -> flush -> commit. Offsets are committed only after the side effect and the outputs are
durable, so a crash anywhere re-delivers the batch and nothing is lost.

A batch that raises is retried one record at a time, so one poison record goes to the DLQ instead of
stopping the stage. Errors that say the infrastructure is down (database, broker) are not the record's
fault: they stop the worker, which resumes from the committed offset when restarted.
"""

from __future__ import annotations

import logging
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.exc import DBAPIError

from socialcare.bus.base import Consumer, Producer, Record, Transport
from socialcare.bus.dlq import dead_letter_record
from socialcare.errors import EventError, PlatformUnavailableError, StoreError, TransportError
from socialcare.models import EventModel, decode_event, encode_event

log = logging.getLogger(__name__)

E = TypeVar("E", bound=EventModel)

MAX_IDLE_S = 60.0
"""A worker told to stop when idle gives up after this long without any record, caught up or not."""

INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    TransportError,
    StoreError,
    DBAPIError,
    OSError,
    PlatformUnavailableError,
)
"""Errors that stop the worker (retry later from the committed offset) instead of dead-lettering."""


@dataclass(frozen=True, slots=True)
class Emit:
    topic: str
    key: str | None
    event: EventModel


@dataclass(frozen=True, slots=True)
class Reject:
    """The stage refuses the input at ``index`` of its batch, for ``reason`` (it goes to the DLQ)."""

    index: int
    reason: str


@dataclass
class StageOutput:
    emits: list[Emit] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


class Stage(ABC, Generic[E]):
    """One step of the pipeline: consumes ``input_topic`` as ``input_model`` events."""

    name: str
    input_topic: str
    input_model: type[E]

    @abstractmethod
    def process(self, events: Sequence[E]) -> StageOutput:
        """Handle a batch; must be idempotent, since a batch can be delivered again after a crash."""


@dataclass
class WorkerStats:
    consumed: int = 0
    processed: int = 0
    emitted: int = 0
    dead_lettered: int = 0
    batches: int = 0

    def as_line(self) -> str:
        return " ".join(f"{k}={v}" for k, v in vars(self).items())


@dataclass
class Worker(Generic[E]):
    stage: Stage[E]
    transport: Transport
    batch_size: int = 500
    poll_timeout_ms: int = 500
    group_id: str | None = None
    stats: WorkerStats = field(default_factory=WorkerStats)
    on_batch: Callable[[WorkerStats], None] | None = None

    def run(
        self,
        *,
        stop_when_idle: bool = False,
        idle_polls: int = 2,
        max_idle_s: float = MAX_IDLE_S,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> WorkerStats:
        """Run until ``should_stop()``; with ``stop_when_idle``, also once the input is drained.

        Drained means ``idle_polls`` empty polls in a row while the consumer is caught up (a Kafka
        consumer still joining its group is not), or no record at all for ``max_idle_s``.
        """
        group = self.group_id or f"socialcare.{self.stage.name}"
        with (
            self.transport.consumer(group, [self.stage.input_topic]) as consumer,
            self.transport.producer() as producer,
        ):
            idle, idle_since = 0, time.monotonic()
            while not should_stop():
                records = consumer.poll(self.batch_size, self.poll_timeout_ms)
                if records:
                    idle, idle_since = 0, time.monotonic()
                    self.handle_batch(records, consumer, producer)
                    continue
                idle = idle + 1 if consumer.caught_up() else 0
                if stop_when_idle and (idle >= idle_polls or time.monotonic() - idle_since > max_idle_s):
                    break
        return self.stats

    def handle_batch(self, records: Sequence[Record], consumer: Consumer, producer: Producer) -> None:
        started = time.perf_counter()
        decoded: list[tuple[Record, E]] = []
        dead = 0
        for record in records:
            try:
                decoded.append((record, decode_event(self.stage.input_model, record.value)))
            except EventError as exc:
                dead_letter_record(producer, record, str(exc), self.stage.name)
                dead += 1
        output = self._process_isolating_poison(decoded, producer)
        for emit in output.emits:
            producer.send(emit.topic, encode_event(emit.event), key=emit.key)
        for reject in output.rejects:
            dead_letter_record(producer, decoded[reject.index][0], reject.reason, self.stage.name)
        producer.flush()
        consumer.commit(records)
        dead += len(output.rejects)
        self.stats.consumed += len(records)
        self.stats.processed += len(decoded) - len(output.rejects)
        self.stats.emitted += len(output.emits)
        self.stats.dead_lettered += dead
        self.stats.batches += 1
        log.info(
            "stage=%s batch=%d records=%d emitted=%d dead_lettered=%d ms=%.1f",
            self.stage.name,
            self.stats.batches,
            len(records),
            len(output.emits),
            dead,
            (time.perf_counter() - started) * 1000,
        )
        if self.on_batch is not None:
            self.on_batch(self.stats)

    def _process_isolating_poison(self, decoded: list[tuple[Record, E]], producer: Producer) -> StageOutput:
        events = [event for _, event in decoded]
        if not events:
            return StageOutput()
        try:
            return self.stage.process(events)
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception:
            if len(events) == 1:
                return StageOutput(rejects=[Reject(0, _describe_crash())])
            log.warning("stage=%s batch_failed=true retrying_one_by_one=%d", self.stage.name, len(events))
        combined = StageOutput()
        for index, event in enumerate(events):
            try:
                single = self.stage.process([event])
            except INFRASTRUCTURE_ERRORS:
                raise
            except Exception:
                combined.rejects.append(Reject(index, _describe_crash()))
                continue
            combined.emits.extend(single.emits)
            combined.rejects.extend(Reject(index, r.reason) for r in single.rejects)
        return combined


def _describe_crash() -> str:
    exc = sys.exc_info()[1]
    return f"stage raised {type(exc).__name__}: {exc}"
