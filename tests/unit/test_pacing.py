"""Pacing on a fake clock: rate, speed-up of the original timing, and the cap on one wait."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from collectors.base import Collected, Rejected, SourceItem
from collectors.pacing import MAX_WAIT_SECONDS, paced
from socialcare.models import Author, Mention

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _mention(n: int, offset_seconds: float) -> Collected:
    mention = Mention(
        id=f"test:{n}",
        source="test",
        source_id=str(n),
        text="hi",
        created_at=T0 + timedelta(seconds=offset_seconds),
        collected_at=T0,
        author=Author(id="a"),
    )
    return Collected(mention=mention, checkpoint=str(n))


def _rejected(n: int) -> Rejected:
    return Rejected(raw=b"x", reason="bad", location=f"row {n}", checkpoint=str(n))


def _run(items: Iterable[SourceItem], clock: FakeClock, work: float = 0.0, **options: float) -> list[float]:
    """Pass times of each item; ``work`` seconds of consumer time per item."""
    times = []
    for _ in paced(items, clock=clock, sleep=clock.sleep, **options):
        times.append(clock.now)
        clock.now += work
    return times


def test_rate_spaces_items_evenly() -> None:
    clock = FakeClock()
    items: list[SourceItem] = [_mention(1, 0), _rejected(2), _mention(3, 0), _mention(4, 0), _mention(5, 0)]
    assert _run(items, clock, rate=2) == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert clock.sleeps == [0.5] * 4


def test_rate_does_not_wait_for_a_slow_consumer() -> None:
    clock = FakeClock()
    assert _run([_mention(n, 0) for n in range(3)], clock, work=1.0, rate=2) == [0.0, 1.0, 2.0]
    assert clock.sleeps == []
    clock = FakeClock()
    assert _run([_mention(n, 0) for n in range(3)], clock, work=0.25, rate=2) == [0.0, 0.5, 1.0]
    assert clock.sleeps == [0.25, 0.25]


def test_speedup_divides_the_original_gaps_and_lets_rejects_through() -> None:
    clock = FakeClock()
    items: list[SourceItem] = [
        _mention(1, 0),
        _rejected(2),
        _mention(3, 30),
        _mention(4, 30),  # same second: no wait
        _mention(5, 10),  # earlier than the previous one (file not in time order): no wait
        _rejected(6),
        _mention(7, 70),  # 60 s after the previous mention
    ]
    times = _run(items, clock, speedup=10)
    assert times == [0.0, 0.0, 3.0, 3.0, 3.0, 3.0, 9.0]
    assert clock.sleeps == [3.0, 6.0]


def test_speedup_counts_consumer_time_against_the_gap() -> None:
    clock = FakeClock()
    assert _run([_mention(1, 0), _mention(2, 10)], clock, work=4.0, speedup=2) == [0.0, 5.0]
    assert clock.sleeps == [1.0]


def test_one_wait_is_capped() -> None:
    three_days = 3 * 24 * 3600
    clock = FakeClock()
    assert _run([_mention(1, 0), _mention(2, three_days)], clock, speedup=1) == [0.0, MAX_WAIT_SECONDS]
    assert clock.sleeps == [60.0]
    clock = FakeClock()
    _run([_mention(1, 0), _mention(2, three_days)], clock, speedup=1, max_wait=5)
    assert clock.sleeps == [5.0]
    clock = FakeClock()
    _run([_mention(1, 0), _mention(2, 0)], clock, rate=0.001, max_wait=2)
    assert clock.sleeps == [2.0]


def test_without_pace_items_pass_unchanged() -> None:
    clock = FakeClock()
    items: list[SourceItem] = [_mention(1, 0), _rejected(2), _mention(3, 999)]
    assert list(paced(items, clock=clock, sleep=clock.sleep)) == items
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "options",
    [{"rate": 1.0, "speedup": 2.0}, {"rate": 0.0}, {"speedup": -1.0}, {"rate": 1.0, "max_wait": -1.0}],
)
def test_invalid_options(options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="rate"):
        list(paced([_mention(1, 0)], **options))
