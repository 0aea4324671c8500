"""The fast path's safety net: rows a head is unsure of are re-encoded by the exact encoder, only those."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from enrich.heads import Heads, LinearHead
from enrich.pipeline import (
    DEPARTMENT_REFINE_MARGIN,
    RISK_REFINE_MARGIN,
    SENTIMENT_REFINE_MARGIN,
    margins,
    score_heads,
)
from enrich.risk import MODEL_HIGH_AT

DIM = 384


class TableEncoder:
    """Embeds each text as a fixed vector from a table, and remembers what it was asked."""

    def __init__(self, table: dict[str, np.ndarray], name: str) -> None:
        self.table, self.name, self.calls = table, name, []  # type: ignore[var-annotated]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.stack([self.table[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, DIM))


def axis(i: int, scale: float = 1.0) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[i] = scale
    return v


def heads() -> Heads:
    """Sentiment reads dimension 0 (positive) and 1 (negative); department reads 2 (it) and 3 (sales)."""
    s = np.zeros((3, DIM), dtype=np.float32)
    s[0, 1], s[2, 0] = 10, 10
    d = np.zeros((6, DIM), dtype=np.float32)
    d[2, 2], d[3, 3] = 10, 10
    return Heads(
        sentiment=LinearHead(("negative", "neutral", "positive"), s, np.zeros(3)),
        department=LinearHead(("customer_service", "engineering", "it", "sales", "pr", "none"), d, np.zeros(6)),
    )


def test_margins() -> None:
    proba = np.array([[0.5, 0.3, 0.2], [0.34, 0.33, 0.33], [1.0, 0.0, 0.0]], dtype=np.float32)
    assert margins(proba) == pytest.approx([0.2, 0.01, 1.0], abs=1e-6)
    assert margins(np.zeros((0, 3), dtype=np.float32)).shape == (0,)


def test_only_undecided_rows_are_refined_and_take_the_exact_scores() -> None:
    sure = axis(0, 2.0) + axis(2, 2.0)  # clearly positive, clearly it
    torn = axis(0, 0.01) + axis(1, 0.0) + axis(2, 2.0)  # sentiment nearly tied
    fast = TableEncoder({"sure": sure, "torn": torn}, "fast")
    exact = TableEncoder({"torn": axis(1, 2.0) + axis(3, 2.0)}, "exact")  # the exact pass disagrees
    scores = score_heads(["sure", "torn", "sure"], fast, heads(), refiner=exact)
    assert exact.calls == [["torn"]]
    assert scores.refined == 1
    assert scores.sentiment.argmax(axis=1).tolist() == [2, 0, 2]
    assert scores.department.argmax(axis=1).tolist() == [2, 3, 2]


def test_a_risk_reading_near_its_threshold_is_refined() -> None:
    """The risk head reads dimension 4: logit 10 * x. Sentiment and department are sure for both rows."""
    r = np.zeros((2, DIM), dtype=np.float32)
    r[1, 4] = 10
    with_risk = Heads(heads().sentiment, heads().department, LinearHead(("other", "high"), r, np.zeros(2)))
    at = float(np.log(MODEL_HIGH_AT / (1 - MODEL_HIGH_AT))) / 10  # x where p(high) == MODEL_HIGH_AT
    sure = axis(0, 3.0) + axis(2, 3.0)
    fast = TableEncoder({"near": sure + axis(4, at - 0.001), "far": sure + axis(4, -1.0)}, "fast")
    exact = TableEncoder({"near": sure + axis(4, 1.0)}, "exact")
    scores = score_heads(["far", "near"], fast, with_risk, refiner=exact)
    assert exact.calls == [["near"]]
    assert scores.high_risk is not None
    assert scores.high_risk[0] < 0.01
    assert scores.high_risk[1] == pytest.approx(1.0, abs=1e-4)
    assert 0 < RISK_REFINE_MARGIN < 1 - MODEL_HIGH_AT
    assert score_heads(["far"], fast, heads()).high_risk is None  # heads without a risk head


def test_no_refiner_or_nothing_unsure_means_one_pass() -> None:
    fast = TableEncoder({"a": axis(0, 3.0) + axis(2, 3.0)}, "fast")
    exact = TableEncoder({}, "exact")
    assert score_heads(["a"], fast, heads(), refiner=exact).refined == 0
    assert exact.calls == []
    tied = TableEncoder({"t": np.zeros(DIM, dtype=np.float32)}, "fast")
    assert score_heads(["t"], tied, heads()).refined == 0
    assert 0 < SENTIMENT_REFINE_MARGIN < 0.5 and 0 < DEPARTMENT_REFINE_MARGIN < 0.5
