from __future__ import annotations

import pytest

from enrich.metrics import evaluate, format_report

LABELS = ("negative", "neutral", "positive")
GOLD = ["negative", "negative", "negative", "neutral", "neutral", "positive", "positive", "positive"]
PRED = ["negative", "negative", "neutral", "neutral", "positive", "positive", "positive", "negative"]


def test_hand_case_exact_values() -> None:
    report = evaluate(GOLD, PRED, LABELS)
    assert report.n == 8
    assert report.accuracy == pytest.approx(5 / 8)
    neg = report.per_class["negative"]
    assert (neg.precision, neg.recall, neg.support) == pytest.approx((2 / 3, 2 / 3, 3))
    assert neg.f1 == pytest.approx(2 / 3)
    neu = report.per_class["neutral"]
    assert (neu.precision, neu.recall, neu.f1, neu.support) == pytest.approx((0.5, 0.5, 0.5, 2))
    pos = report.per_class["positive"]
    assert (pos.precision, pos.recall, pos.f1, pos.support) == pytest.approx((2 / 3, 2 / 3, 2 / 3, 3))
    assert report.macro_recall == pytest.approx((2 / 3 + 0.5 + 2 / 3) / 3)
    assert report.macro_f1 == pytest.approx((2 / 3 + 0.5 + 2 / 3) / 3)
    assert report.confusion == ((2, 1, 0), (0, 1, 1), (1, 0, 2))


def test_never_predicted_and_absent_classes_score_zero() -> None:
    report = evaluate(["a", "a", "b"], ["a", "a", "a"], ["a", "b", "c"])
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.per_class["b"].precision == 0.0
    assert report.per_class["b"].recall == 0.0
    assert report.per_class["c"].support == 0
    assert report.per_class["c"].f1 == 0.0
    assert report.per_class["a"].precision == pytest.approx(2 / 3)
    assert report.per_class["a"].f1 == pytest.approx(0.8)
    assert report.macro_f1 == pytest.approx(0.8 / 3)
    assert report.macro_recall == pytest.approx(1 / 3)


def test_agrees_with_sklearn() -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    gold = ["a", "b", "c", "a", "b", "c", "a", "a", "c", "b", "b", "a"]
    pred = ["a", "c", "c", "a", "b", "a", "b", "a", "c", "b", "a", "a"]
    labels = ["a", "b", "c"]
    report = evaluate(gold, pred, labels)
    assert report.accuracy == pytest.approx(sklearn_metrics.accuracy_score(gold, pred))
    assert report.macro_f1 == pytest.approx(
        sklearn_metrics.f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    )
    assert report.macro_recall == pytest.approx(
        sklearn_metrics.recall_score(gold, pred, labels=labels, average="macro", zero_division=0)
    )
    precision, recall, f1, support = sklearn_metrics.precision_recall_fscore_support(
        gold, pred, labels=labels, zero_division=0
    )
    for i, label in enumerate(labels):
        c = report.per_class[label]
        assert (c.precision, c.recall, c.f1, c.support) == pytest.approx((precision[i], recall[i], f1[i], support[i]))
    assert [list(row) for row in report.confusion] == sklearn_metrics.confusion_matrix(
        gold, pred, labels=labels
    ).tolist()


def test_length_mismatch_and_empty() -> None:
    with pytest.raises(ValueError):
        evaluate(["a"], [], ["a"])
    empty = evaluate([], [], ["a", "b"])
    assert empty.accuracy == 0.0
    assert empty.confusion == ((0, 0), (0, 0))


def test_format_report_is_readable() -> None:
    text = format_report("airline", evaluate(GOLD, PRED, LABELS))
    assert text.startswith("airline: n=8 accuracy=0.6250")
    assert "macro avg" in text
    assert "confusion (rows gold, columns predicted)" in text
    assert "negative      0.6667  0.6667  0.6667        3" in text
    assert "negative          2        1        0" in text
