"""Department scores: head and cues mixed into six scores that sum to one, primary = first."""

from __future__ import annotations

import pytest

from enrich.department import CUE_WEIGHT, combine, primary_department
from socialcare.models import DEPARTMENTS

HEAD = {"customer_service": 0.5, "engineering": 0.3, "it": 0.1, "sales": 0.05, "pr": 0.03, "none": 0.02}


@pytest.mark.parametrize(
    "cues",
    [{}, {"it": 0.4}, {"engineering": 1.0, "pr": 1.0, "sales": 0.7}, {"none": 0.2}],
)
def test_scores_cover_every_department_and_sum_to_one(cues: dict[str, float]) -> None:
    scores = combine(HEAD, cues)
    assert tuple(scores) == DEPARTMENTS
    assert sum(scores.values()) == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in scores.values())


def test_without_cues_the_head_order_is_kept() -> None:
    scores = combine(HEAD, {})
    assert sorted(scores, key=scores.__getitem__) == sorted(HEAD, key=HEAD.__getitem__)


def test_a_strong_cue_can_overturn_a_weak_lead_but_not_a_clear_one() -> None:
    close = {"customer_service": 0.4, "engineering": 0.35, "it": 0.1, "sales": 0.05, "pr": 0.05, "none": 0.05}
    assert primary_department(combine(close, {"engineering": 1.0})) == "engineering"
    clear = {"customer_service": 0.9, "engineering": 0.02, "it": 0.02, "sales": 0.02, "pr": 0.02, "none": 0.02}
    assert primary_department(combine(clear, {"engineering": 1.0})) == "customer_service"
    assert 0 < CUE_WEIGHT < 1


def test_nothing_at_all_means_none() -> None:
    assert primary_department(combine({}, {})) == "none"
