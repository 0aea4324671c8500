"""Spike detection: volume and negative mentions per brand and per topic against a rolling baseline.

The statistic, per key (``brand``, or ``brand/topic``) and per series (all mentions, negative mentions):

- mentions are counted per minute;
- the *expected* count of a minute is the highest rate its hour of the day had on the last
  :data:`PROFILE_DAYS` days and, once known, on the same weekday of the last :data:`PROFILE_WEEKS` weeks
  (so an ordinary Monday morning is compared with other Monday mornings, not with the weekend). The highest,
  not the mean: day-to-day swings of a normal week stay inside it, while a real surge goes past it. No
  hour is expected below :data:`FLOOR_SHARE` of the day's mean rate (an EWMA with a 24-hour half-life), and
  an hour of the day is only tested once it has been seen on :data:`MIN_DAYS` days (a new brand or topic
  needs two days of history before it can alert);
- every minute, the last *W* minutes are tested for each window in :data:`WINDOWS_MIN` (2 minutes catches a
  sharp surge at once, 4 hours a slow doubling): with ``N`` observed and ``E`` expected mentions, the
  Anscombe z-score ``z = 2 (sqrt(N + 3/8) - sqrt(E + 3/8))`` is a variance-stabilised Poisson deviation that
  behaves at small counts; an alert needs ``z >= Z_ALERT`` **and** ``N >= MIN_COUNT`` **and**
  ``N >= MIN_RATIO * E``;
- one incident is one alert: a key that alerted stays open until every window is below ``Z_CLEAR`` for
  :data:`CLEAR_AFTER_MIN` minutes, and while it is open the baseline is not updated (a spike must not become
  the new normal).

Pure and deterministic: ``observe`` mentions in time order, ``advance`` the clock; alerts come back as values.
:meth:`SpikeDetector.state` and :meth:`SpikeDetector.from_state` carry what was learned across restarts.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

WINDOWS_MIN = (2, 10, 60, 240)
Z_ALERT = 5.0
Z_CLEAR = 2.0
MIN_COUNT = 8
MIN_RATIO = 1.8
PROFILE_DAYS = 3
PROFILE_WEEKS = 2
MIN_DAYS = 2
FALLBACK_HALF_LIFE_MIN = 360.0
DAILY_HALF_LIFE_MIN = 24 * 60.0
FLOOR_SHARE = 0.5
"""A quiet hour's expected rate is at least this share of the day's mean rate: night hours learned from a
handful of posts would otherwise make any early riser look like a surge (counts are overdispersed)."""
CLEAR_AFTER_MIN = 60
HISTORY_MIN = max(WINDOWS_MIN)
SERIES = ("volume", "negative")
STATE_VERSION = 1


def anscombe_z(observed: float, expected: float) -> float:
    """Variance-stabilised Poisson deviation of ``observed`` from ``expected``."""
    return 2.0 * (math.sqrt(observed + 0.375) - math.sqrt(max(expected, 0.0) + 0.375))


@dataclass(frozen=True)
class SpikeAlert:
    key: str
    series: str
    at: datetime
    window_min: int
    observed: int
    expected: float
    z: float

    @property
    def summary(self) -> str:
        return (
            f"{self.series} spike for {self.key}: {self.observed} mentions in {self.window_min} min "
            f"against {self.expected:.1f} expected (z={self.z:.1f})"
        )


@dataclass
class _Series:
    counts: deque[int] = field(default_factory=lambda: deque(maxlen=HISTORY_MIN))
    expected: deque[float] = field(default_factory=lambda: deque(maxlen=HISTORY_MIN))
    hour_rates: dict[int, deque[float]] = field(default_factory=dict)
    week_rates: dict[tuple[int, int], deque[float]] = field(default_factory=dict)
    hour_total: int = 0
    hour_minutes: int = 0
    ewma: float | None = None
    daily: float | None = None
    open_since: datetime | None = None
    quiet_minutes: int = 0

    def knows(self, hour: int) -> bool:
        """Whether this hour of the day has been seen on enough days to be compared with."""
        return len(self.hour_rates.get(hour, ())) >= MIN_DAYS

    def expected_rate(self, hour: int, weekday: int) -> float:
        floor = FLOOR_SHARE * (self.daily or 0.0)
        seen = self.hour_rates.get(hour)
        if seen is not None and len(seen) >= MIN_DAYS:
            last_week = self.week_rates.get((weekday, hour), ())
            return max(*seen, *last_week, floor)
        return max(self.ewma or 0.0, floor)

    def learn(self, count: int, weekday: int, closing_hour: int | None) -> None:
        if self.open_since is not None:
            return
        self.ewma = _ewma(self.ewma, count, FALLBACK_HALF_LIFE_MIN)
        self.daily = _ewma(self.daily, count, DAILY_HALF_LIFE_MIN)
        self.hour_total += count
        self.hour_minutes += 1
        if closing_hour is not None and self.hour_minutes >= 30:  # a (mostly) whole hour was seen
            rate = self.hour_total / self.hour_minutes
            self.hour_rates.setdefault(closing_hour, deque(maxlen=PROFILE_DAYS)).append(rate)
            self.week_rates.setdefault((weekday, closing_hour), deque(maxlen=PROFILE_WEEKS)).append(rate)
        if closing_hour is not None:
            self.hour_total, self.hour_minutes = 0, 0

    def dump(self) -> dict[str, Any]:
        return {
            "counts": list(self.counts),
            "expected": list(self.expected),
            "hour_rates": {str(h): list(r) for h, r in self.hour_rates.items()},
            "week_rates": {f"{d}:{h}": list(r) for (d, h), r in self.week_rates.items()},
            "hour_total": self.hour_total,
            "hour_minutes": self.hour_minutes,
            "ewma": self.ewma,
            "daily": self.daily,
            "open_since": self.open_since.isoformat() if self.open_since else None,
            "quiet_minutes": self.quiet_minutes,
        }

    @classmethod
    def load(cls, data: dict[str, Any]) -> _Series:
        week: dict[tuple[int, int], deque[float]] = {}
        for key, rates in data["week_rates"].items():
            day, hour = key.split(":")
            week[(int(day), int(hour))] = deque(rates, maxlen=PROFILE_WEEKS)
        return cls(
            counts=deque(data["counts"], maxlen=HISTORY_MIN),
            expected=deque(data["expected"], maxlen=HISTORY_MIN),
            hour_rates={int(h): deque(r, maxlen=PROFILE_DAYS) for h, r in data["hour_rates"].items()},
            week_rates=week,
            hour_total=data["hour_total"],
            hour_minutes=data["hour_minutes"],
            ewma=data["ewma"],
            daily=data["daily"],
            open_since=datetime.fromisoformat(data["open_since"]) if data["open_since"] else None,
            quiet_minutes=data["quiet_minutes"],
        )


def _ewma(previous: float | None, value: float, half_life: float) -> float:
    decay = 0.5 ** (1.0 / half_life)
    return value if previous is None else decay * previous + (1 - decay) * value


@dataclass
class _Key:
    series: dict[str, _Series] = field(default_factory=lambda: {name: _Series() for name in SERIES})
    pending: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERIES, 0))


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


class SpikeDetector:
    """Feed mentions in time order with :meth:`observe`; each completed minute is tested once."""

    def __init__(self) -> None:
        self._keys: dict[str, _Key] = {}
        self._clock: datetime | None = None

    def state(self) -> dict[str, Any]:
        """Everything the detector learned, as JSON-ready data (a restarted worker resumes from it)."""
        return {
            "version": STATE_VERSION,
            "clock": self._clock.isoformat() if self._clock else None,
            "keys": {
                key: {"pending": dict(k.pending), "series": {n: s.dump() for n, s in k.series.items()}}
                for key, k in self._keys.items()
            },
        }

    @classmethod
    def from_state(cls, data: dict[str, Any] | None) -> SpikeDetector:
        detector = cls()
        if not data or data.get("version") != STATE_VERSION:
            return detector  # nothing saved, or saved by another version: learn afresh
        detector._clock = datetime.fromisoformat(data["clock"]) if data["clock"] else None
        for key, saved in data["keys"].items():
            detector._keys[key] = _Key(
                series={name: _Series.load(series) for name, series in saved["series"].items()},
                pending=dict(saved["pending"]),
            )
        return detector

    def observe(self, at: datetime, keys: Iterable[str], *, negative: bool) -> list[SpikeAlert]:
        """Count one mention under each of ``keys``; returns alerts for any minutes that completed before it."""
        alerts = self.advance(at)
        for key in keys:
            state = self._keys.setdefault(key, _Key())
            state.pending["volume"] += 1
            if negative:
                state.pending["negative"] += 1
        return alerts

    def advance(self, now: datetime) -> list[SpikeAlert]:
        """Close every minute before ``now``'s minute (quiet minutes count as zero)."""
        minute = _minute(now)
        if self._clock is None:
            self._clock = minute
            return []
        alerts: list[SpikeAlert] = []
        while self._clock < minute:
            alerts += self._close(self._clock)
            self._clock += timedelta(minutes=1)
        return alerts

    def _close(self, minute: datetime) -> list[SpikeAlert]:
        alerts: list[SpikeAlert] = []
        following = minute + timedelta(minutes=1)
        closing_hour = minute.hour if following.hour != minute.hour else None
        for key, state in self._keys.items():
            for name, series in state.series.items():
                count = state.pending[name]
                state.pending[name] = 0
                series.counts.append(count)
                series.expected.append(series.expected_rate(minute.hour, minute.weekday()))
                alert = self._test(key, name, series, minute) if series.knows(minute.hour) else None
                if alert is not None:
                    alerts.append(alert)
                series.learn(count, minute.weekday(), closing_hour)
        return alerts

    def _test(self, key: str, name: str, series: _Series, minute: datetime) -> SpikeAlert | None:
        best: SpikeAlert | None = None
        highest = -math.inf
        counts, expected = list(series.counts), list(series.expected)
        for window in WINDOWS_MIN:
            if window > len(counts):
                break
            observed = sum(counts[-window:])
            mean = sum(expected[-window:])
            z = anscombe_z(observed, mean)
            highest = max(highest, z)
            alarming = z >= Z_ALERT and observed >= MIN_COUNT and observed >= MIN_RATIO * mean
            if alarming and (best is None or z > best.z):
                best = SpikeAlert(key, name, minute + timedelta(minutes=1), window, observed, mean, z)
        if series.open_since is not None:
            series.quiet_minutes = series.quiet_minutes + 1 if highest < Z_CLEAR else 0
            if series.quiet_minutes >= CLEAR_AFTER_MIN:
                series.open_since, series.quiet_minutes = None, 0
            return None
        if best is not None:
            series.open_since, series.quiet_minutes = best.at, 0
        return best
