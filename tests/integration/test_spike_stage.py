"""The spike stage: alerts stored and sent, and baselines that survive a restart."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import Engine, create_engine, select

from socialcare.models import EnrichedMention
from socialcare.store import migrate
from socialcare.store.schema import spike_alerts
from tests.unit.test_spikes import MONDAY, calm_stream, hourly_rate
from tests.unit.test_triage_policy import enriched
from triage.notify import Delivery, Notifier
from triage.spike_stage import SpikeStage, spike_keys


class Recorder:
    name = "recorder"

    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    def deliver(self, delivery: Delivery) -> None:
        self.sent.append(delivery)


def stream(days: int) -> list[EnrichedMention]:
    """A calm stream, then 20 minutes at ten times the usual rate on the last day's afternoon."""
    base = enriched("my order is late", department="customer_service")
    events = calm_stream(days, seed=11)
    start = MONDAY + timedelta(days=days - 1, hours=14)
    rng = np.random.default_rng(5)
    surge = [
        (start + timedelta(minutes=m, seconds=int(s)), True)
        for m in range(20)
        for s in rng.integers(0, 60, rng.poisson(10 * hourly_rate(start)))
    ]
    out = []
    for number, (at, negative) in enumerate(sorted(events + surge)):
        out.append(
            base.model_copy(
                update={
                    "id": f"x:{number}",
                    "source_id": str(number),
                    "created_at": at,
                    "sentiment": base.sentiment.model_copy(update={"label": "negative" if negative else "neutral"}),
                }
            )
        )
    return out


def run(engine: Engine, mentions: list[EnrichedMention], notifier: Notifier | None = None) -> None:
    stage = SpikeStage(engine, notifier)
    for start in range(0, len(mentions), 500):
        stage.process(mentions[start : start + 500])


def stored(engine: Engine) -> list[tuple[str, str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(select(spike_alerts.c.key, spike_alerts.c.series, spike_alerts.c.at)).all()
    return sorted((r.key, r.series, r.at) for r in rows)


def test_keys_are_the_brand_its_department_and_hashtags() -> None:
    mention = enriched("the app crashes #fail", department="engineering").model_copy(update={"hashtags": ("#fail",)})
    assert spike_keys(mention) == ["Lumora", "Lumora/engineering", "Lumora/#fail"]


def test_a_surge_is_stored_and_sent_once_per_incident(engine: Engine) -> None:
    recorder = Recorder()
    run(engine, stream(4), Notifier(engine, [recorder], sleep=lambda _: None))
    alerts = stored(engine)
    keys = {(key, series) for key, series, _ in alerts}
    assert ("Lumora", "volume") in keys and ("Lumora/customer_service", "negative") in keys
    surge = MONDAY + timedelta(days=3, hours=14)
    assert all(surge < at <= surge + timedelta(minutes=3) for _, _, at in alerts)  # type: ignore[operator]
    assert len(recorder.sent) == len(alerts) == len(keys)


def test_baselines_survive_a_restart(tmp_path: object) -> None:
    mentions = stream(4)
    engines = []
    for name in ("once", "restarted"):
        engine = create_engine(f"sqlite:///{tmp_path}/{name}.db")  # type: ignore[str-bytes-safe]
        migrate.upgrade(engine)
        engines.append(engine)
    run(engines[0], mentions)
    half = len(mentions) // 2
    run(engines[1], mentions[:half])  # the worker stops here ...
    run(engines[1], mentions[half:])  # ... and a new one resumes from the saved state
    assert stored(engines[1]) == stored(engines[0]) != []
