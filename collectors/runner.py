"""Runs a source into the transport: publish, flush, and only then save the checkpoint.

A crash between publishing and saving the checkpoint re-publishes at most one batch on restart; the
mention ids are stable and every consumer upserts by id, so the stored set stays exact. Within a run,
ids already published are dropped so a source that repeats itself does not flood the stream.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from collectors.base import Collected, Idle, Source, SourceItem
from socialcare.bus.base import Producer
from socialcare.bus.dlq import send_to_dlq
from socialcare.models import encode_event
from socialcare.store.checkpoints import CheckpointStore
from socialcare.topics import MENTIONS_RAW

log = logging.getLogger(__name__)

MAX_BATCH_SECONDS = 1.0
"""Longest time a collected mention waits in the producer before it is published (live sources)."""

SEEN_IDS_LIMIT = 200_000
"""How many recent mention ids a run remembers to drop duplicates (bounded memory)."""


@dataclass
class RunReport:
    published: int = 0
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(location, reason) of every rejected item, in order."""
    batches: int = 0
    resumed_from: str | None = None
    checkpoint: str | None = None

    def as_line(self) -> str:
        return (
            f"published={self.published} duplicates={self.duplicates} rejected={len(self.rejected)} "
            f"batches={self.batches} resumed_from={self.resumed_from or 'start'}"
        )


class _RecentIds:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._ids: dict[str, None] = {}

    def seen(self, mention_id: str) -> bool:
        if mention_id in self._ids:
            return True
        self._ids[mention_id] = None
        if len(self._ids) > self.limit:
            self._ids.pop(next(iter(self._ids)))
        return False


def run_source(
    source: Source,
    producer: Producer,
    checkpoints: CheckpointStore,
    *,
    batch_size: int = 500,
    max_batch_seconds: float = MAX_BATCH_SECONDS,
    topic: str = MENTIONS_RAW,
    pace: Callable[[Iterable[SourceItem]], Iterator[SourceItem]] | None = None,
    on_item: Callable[[SourceItem], None] | None = None,
) -> RunReport:
    """Publish every item of ``source`` after its saved checkpoint; return what happened.

    A batch is published (flushed, then checkpointed) when it holds ``batch_size`` items, when its first
    item has waited ``max_batch_seconds``, when a live source reports it is idle, and at the end.
    """
    report = RunReport(resumed_from=checkpoints.load(source.checkpoint_key))
    items: Iterable[SourceItem] = source.items(report.resumed_from, idle=True)
    if pace is not None:
        items = pace(items)
    recent = _RecentIds(SEEN_IDS_LIMIT)
    pending = 0
    first_pending_at = 0.0
    last_checkpoint: str | None = None

    def commit() -> None:
        nonlocal pending
        producer.flush()
        if last_checkpoint is not None:
            checkpoints.save(source.checkpoint_key, last_checkpoint)
        report.batches += 1
        report.checkpoint = last_checkpoint
        log.info("source=%s %s", source.checkpoint_key, report.as_line())
        pending = 0

    for item in items:
        if isinstance(item, Idle):
            if pending:
                commit()
            continue
        if pending == 0:
            first_pending_at = time.monotonic()
        if isinstance(item, Collected):
            if recent.seen(item.mention.id):
                report.duplicates += 1
            else:
                producer.send(topic, encode_event(item.mention), key=item.mention.id)
                report.published += 1
        else:
            send_to_dlq(
                producer,
                topic=topic,
                value=item.raw,
                key=None,
                reason=f"{item.location}: {item.reason}",
                stage="collect",
                origin=f"{source.checkpoint_key} {item.location}",
            )
            report.rejected.append((item.location, item.reason))
        last_checkpoint = item.checkpoint
        pending += 1
        if on_item is not None:
            on_item(item)
        if pending >= batch_size or time.monotonic() - first_pending_at >= max_batch_seconds:
            commit()
    if pending or report.batches == 0:
        commit()
    return report
