"""Spike detection on a synthetic calm fortnight, a sharp surge, and the real airline-tweet timestamps.

The figures the tests print (``-s``) are the ones quoted in the closing note: false alerts on calm data,
detection delay of a sharp surge and of the February 2015 airline surge.
"""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from triage.spikes import SpikeAlert, SpikeDetector, anscombe_z

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)


def hourly_rate(at: datetime) -> float:
    """Mentions per minute of an ordinary week: quiet nights, busy office hours, calmer weekends, and a
    Monday morning half again as busy as other mornings."""
    hour, weekday = at.hour, at.weekday()
    rate = 0.15 if hour < 7 else 1.2 if hour < 18 else 0.6
    if weekday >= 5:
        rate *= 0.6
    if weekday == 0 and 8 <= hour < 12:
        rate *= 1.5
    return rate


def calm_stream(days: int, seed: int = 7) -> list[tuple[datetime, bool]]:
    rng = np.random.default_rng(seed)
    events: list[tuple[datetime, bool]] = []
    for minute in range(days * 24 * 60):
        at = MONDAY + timedelta(minutes=minute)
        for second in sorted(rng.integers(0, 60, rng.poisson(hourly_rate(at)))):
            events.append((at + timedelta(seconds=int(second)), bool(rng.random() < 0.4)))
    return events


def run(events: list[tuple[datetime, bool]], keys: tuple[str, ...] = ("Lumora",)) -> list[SpikeAlert]:
    detector = SpikeDetector()
    alerts: list[SpikeAlert] = []
    for at, negative in events:
        alerts += detector.observe(at, keys, negative=negative)
    alerts += detector.advance(events[-1][0] + timedelta(minutes=2))
    return alerts


def test_anscombe_z_is_zero_at_expectation_and_grows_with_excess() -> None:
    assert anscombe_z(10, 10) == pytest.approx(0.0)
    assert anscombe_z(40, 4) > 5 > anscombe_z(15, 8) > 0 > anscombe_z(2, 8)
    assert math.isfinite(anscombe_z(0, 0))


def test_a_calm_fortnight_raises_no_alert_not_even_on_monday_mornings() -> None:
    events = calm_stream(14)
    alerts = run(events)
    print(f"calm fortnight mentions={len(events)} false_alerts={len(alerts)}")
    assert alerts == []


def test_a_sharp_surge_alerts_within_two_minutes_once() -> None:
    events = calm_stream(10)
    start = MONDAY + timedelta(days=9, hours=14)  # a Wednesday afternoon
    rng = np.random.default_rng(3)
    surge = [
        (start + timedelta(minutes=m, seconds=int(s)), True)
        for m in range(20)
        for s in rng.integers(0, 60, rng.poisson(10 * hourly_rate(start)))
    ]
    alerts = run(sorted(events + surge))
    delay = (alerts[0].at - start) if alerts else None
    print(f"sharp surge (10x for 20 min): alerts={[a.summary for a in alerts]} delay={delay}")
    assert {a.series for a in alerts} == {"volume", "negative"}  # one incident per series, not one a minute
    assert len(alerts) == 2
    assert all(timedelta(0) < a.at - start <= timedelta(minutes=2) for a in alerts)


def _airline_events(shared_data: Path) -> list[tuple[datetime, tuple[str, ...], bool]]:
    zone = ZoneInfo("America/Los_Angeles")  # the file's times are the dataset's local (Pacific) times
    events = []
    with (shared_data / "airline_tweets" / "tweets_dev.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            at = datetime.strptime(row["tweet_created"].strip(), "%m/%d/%Y %H:%M").replace(tzinfo=zone)
            keys = ("airlines", "airlines/cancellation") if "cancel" in row["text"].lower() else ("airlines",)
            events.append((at, keys, row["airline_sentiment"] == "negative"))
    return sorted(events, key=lambda e: e[0])


def test_the_february_2015_airline_surge_is_caught_and_calm_days_are_quiet(shared_data: Path) -> None:
    events = _airline_events(shared_data)
    detector = SpikeDetector()
    alerts: list[SpikeAlert] = []
    for at, keys, negative in events:
        alerts += detector.observe(at, keys, negative=negative)
    zone = events[0][0].tzinfo
    local = [(a.at.astimezone(zone), a) for a in alerts]
    surge_start = datetime(2015, 2, 22, tzinfo=zone)
    calm = [a for at, a in local if at.day in (19, 20)]  # the 17th and 18th are the two days of warm-up
    first = {}
    for at, alert in local:
        first.setdefault((alert.key, alert.series), at)
    for (key, series), at in sorted(first.items()):
        print(f"airline {key} {series}: first alert {at:%d %b %H:%M} (from 22 Feb 00:00: {at - surge_start})")
    print(f"airline calm days 19-20 Feb false_alerts={len(calm)} all_alerts={len(alerts)}")
    assert calm == []
    assert surge_start - timedelta(hours=3) <= first[("airlines", "negative")] < surge_start + timedelta(hours=14)
    assert surge_start <= first[("airlines", "volume")] < surge_start + timedelta(hours=14)
    assert first[("airlines/cancellation", "volume")] < surge_start + timedelta(hours=16)
