"""The spike stage: every enriched mention feeds the spike detector; alerts are stored and sent.

It reads ``mentions.enriched`` in its own consumer group, beside triage. Keys are the brand and, as
topics, ``brand/<department>`` and ``brand/#hashtag``. What the detector learned is saved in
``stage_state`` after every batch, so a restarted worker keeps its baselines (a replayed batch counts its
mentions twice; an alert it raises again is absorbed by the notifier's per-incident dedup).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, select

from enrich.department import primary_department
from socialcare.bus.worker import Stage, StageOutput
from socialcare.models import EnrichedMention, utcnow
from socialcare.store.db import upsert
from socialcare.store.schema import spike_alerts, stage_state
from socialcare.topics import MENTIONS_ENRICHED
from triage.notify import Alert, Notifier
from triage.spikes import SpikeAlert, SpikeDetector

STATE_NAME = "spikes"
MAX_HASHTAG_TOPICS = 3


def spike_keys(mention: EnrichedMention) -> list[str]:
    brand = mention.brand or "(no brand)"
    keys = [brand, f"{brand}/{primary_department(mention.department_scores)}"]
    keys += [f"{brand}/{tag}" for tag in mention.hashtags[:MAX_HASHTAG_TOPICS]]
    return keys


class SpikeStage(Stage[EnrichedMention]):
    name = "spikes"
    input_topic = MENTIONS_ENRICHED
    input_model = EnrichedMention

    def __init__(self, engine: Engine, notifier: Notifier | None = None) -> None:
        self.engine = engine
        self.notifier = notifier
        with engine.connect() as connection:
            saved = connection.execute(
                select(stage_state.c.state).where(stage_state.c.name == STATE_NAME)
            ).scalar_one_or_none()
        self.detector = SpikeDetector.from_state(saved)

    def process(self, events: Sequence[EnrichedMention]) -> StageOutput:
        alerts: list[SpikeAlert] = []
        for event in sorted(events, key=lambda e: e.created_at):
            alerts += self.detector.observe(
                event.created_at, spike_keys(event), negative=event.sentiment.label == "negative"
            )
        self._save(alerts)
        if self.notifier is not None:
            for alert in alerts:
                self.notifier.notify(Alert(f"spike:{alert.key}:{alert.series}", alert.summary, alert.summary))
        return StageOutput()

    def flush(self, now: datetime | None = None) -> list[SpikeAlert]:
        """Close the minutes up to ``now`` even when no mention arrives (a quiet stream still alerts)."""
        alerts = self.detector.advance(now or utcnow())
        self._save(alerts)
        return alerts

    def _save(self, alerts: list[SpikeAlert]) -> None:
        rows = [
            {
                "key": a.key,
                "series": a.series,
                "at": a.at,
                "window_min": a.window_min,
                "observed": a.observed,
                "expected": a.expected,
                "z": a.z,
            }
            for a in alerts
        ]
        with self.engine.begin() as connection:
            upsert(connection, spike_alerts, rows, key=["key", "series", "at"])
            upsert(
                connection,
                stage_state,
                [{"name": STATE_NAME, "state": self.detector.state(), "updated_at": utcnow()}],
                key=["name"],
            )
