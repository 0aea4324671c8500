"""Department scores: the trained head's probabilities mixed with the readable keyword cues.

``combine`` is a convex mix, per department::

    score[d] = (1 - CUE_WEIGHT) * head[d] + CUE_WEIGHT * cues[d] / max(1, sum(cues))

The cue strengths (0..1 each, from :func:`enrich.cues.department_cues`) are scaled to sum to at most 1 so
both parts live on the same probability-like scale; the mix is then divided by its sum so the six scores
always sum to 1 (this never changes which department is first, so the tuned weight still holds).
The primary department is the arg-max of the result. :data:`CUE_WEIGHT` was tuned by 5-fold
cross-validation on ``labelled/dev_routing.csv`` in ``scripts/train_heads.py`` (see enrich/MODEL_CARD.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from socialcare.models import DEPARTMENTS, Department

CUE_WEIGHT: Final = 0.15
"""Weight of the keyword cues against the head (0 = head only, 1 = cues only)."""


def combine(head_proba: dict[str, float], cues: dict[str, float], *, weight: float = CUE_WEIGHT) -> dict[str, float]:
    """Mixed 0..1 score for each of the six departments (all keys present)."""
    total = sum(max(0.0, cues.get(d, 0.0)) for d in DEPARTMENTS)
    scale = max(1.0, total)
    mixed = {
        d: (1.0 - weight) * float(head_proba.get(d, 0.0)) + weight * max(0.0, cues.get(d, 0.0)) / scale
        for d in DEPARTMENTS
    }
    norm = sum(mixed.values())
    if norm <= 0:
        return {d: 1.0 if d == "none" else 0.0 for d in DEPARTMENTS}
    return {d: value / norm for d, value in mixed.items()}


def primary_department(scores: Mapping[Department, float]) -> Department:
    """The department with the highest score (ties go to the first in rubric order)."""
    return max(DEPARTMENTS, key=lambda d: scores.get(d, 0.0))
