"""The Reddit checkpoint: ties on the same second, late arrivals, bounded size, unreadable positions."""

from __future__ import annotations

import pytest

from collectors.reddit.checkpoint import LATE_ARRIVAL_GRACE_S, Watermark
from socialcare.errors import ConfigError

T = 1_790_000_000.0


def test_a_new_position_takes_everything() -> None:
    state = Watermark.loads(None)
    assert state.is_new("t1_a", 0.0)
    assert state.dumps() == '{"v":1,"last":null,"ts":null,"seen":{}}'


def test_items_of_the_same_second_are_told_apart_by_fullname() -> None:
    state = Watermark()
    state.add("t1_a", T)
    assert not state.is_new("t1_a", T)
    assert state.is_new("t1_b", T)


def test_late_items_within_the_grace_are_new_older_ones_are_not() -> None:
    state = Watermark()
    state.add("t1_a", T)
    assert state.is_new("t1_late", T - LATE_ARRIVAL_GRACE_S)
    assert not state.is_new("t1_old", T - LATE_ARRIVAL_GRACE_S - 1)
    assert state.is_new("t1_newer", T + 1)


def test_the_position_survives_a_round_trip() -> None:
    state = Watermark()
    for i, name in enumerate(["t1_a", "t1_b", "t1_c"]):
        state.add(name, T + i // 2)
    again = Watermark.loads(state.dumps())
    assert (again.last, again.ts, again.seen) == ("t1_c", T + 1, {"t1_a": T, "t1_b": T, "t1_c": T + 1})
    assert not again.is_new("t1_b", T)


def test_seen_keeps_the_grace_window_only_and_at_most_the_limit() -> None:
    state = Watermark(grace=10.0, limit=3)
    for i in range(6):
        state.add(f"t1_{i}", T + i)
    assert list(state.seen) == ["t1_3", "t1_4", "t1_5"]  # the limit drops the oldest
    state.add("t1_far", T + 100)
    assert list(state.seen) == ["t1_far"]  # the others fell out of the grace window
    assert state.ts == T + 100
    assert state.last == "t1_far"


def test_the_newest_time_never_goes_back() -> None:
    state = Watermark()
    state.add("t1_new", T + 10)
    state.add("t1_late", T + 5)
    assert state.ts == T + 10
    assert state.last == "t1_late"


@pytest.mark.parametrize(
    "text",
    [
        "17",  # a row number from a file import
        "not json",
        '{"v":2,"last":null,"ts":null,"seen":{}}',
        '{"v":1,"last":3,"ts":null,"seen":{}}',
        '{"v":1,"last":null,"ts":null,"seen":[]}',
        '{"v":1,"ts":null,"seen":{}}',
    ],
)
def test_an_unreadable_checkpoint_says_how_to_recover(text: str) -> None:
    with pytest.raises(ConfigError, match="reset this source's checkpoint"):
        Watermark.loads(text)
