"""Classification metrics without dependencies: accuracy, macro-F1, macro-recall, per class, confusion.

Pure functions; the conventions follow scikit-learn's ``classification_report`` with ``zero_division=0``:
a class that is never predicted has precision 0, a class absent from the gold labels has recall 0 and is
still counted in the macro averages (it is one of the ``labels`` asked for). Gold or predicted values that
are not in ``labels`` count as errors for accuracy and are left out of the per-class table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ClassScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    labels: tuple[str, ...]
    n: int
    accuracy: float
    macro_f1: float
    macro_recall: float
    macro_precision: float
    per_class: dict[str, ClassScores]
    confusion: tuple[tuple[int, ...], ...]
    """``confusion[i][j]``: gold ``labels[i]`` predicted as ``labels[j]``."""


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def evaluate(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Report:
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    names = tuple(labels)
    index = {label: i for i, label in enumerate(names)}
    k = len(names)
    matrix = [[0] * k for _ in range(k)]
    correct = 0
    for g, p in zip(gold, predicted, strict=True):
        correct += g == p
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    per_class: dict[str, ClassScores] = {}
    for i, label in enumerate(names):
        tp = matrix[i][i]
        support = sum(1 for g in gold if g == label)
        predicted_count = sum(1 for p in predicted if p == label)
        precision = _ratio(tp, predicted_count)
        recall = _ratio(tp, support)
        f1 = _ratio(2 * precision * recall, precision + recall)
        per_class[label] = ClassScores(precision, recall, f1, support)
    return Report(
        labels=names,
        n=len(gold),
        accuracy=_ratio(correct, len(gold)),
        macro_f1=_ratio(sum(c.f1 for c in per_class.values()), k),
        macro_recall=_ratio(sum(c.recall for c in per_class.values()), k),
        macro_precision=_ratio(sum(c.precision for c in per_class.values()), k),
        per_class=per_class,
        confusion=tuple(tuple(row) for row in matrix),
    )


def format_report(name: str, report: Report) -> str:
    """A plain-text table: the headline numbers, per-class scores and the confusion matrix."""
    width = max([len(label) for label in report.labels] + [len("macro avg"), 9])
    lines = [
        f"{name}: n={report.n} accuracy={report.accuracy:.4f} macro_f1={report.macro_f1:.4f} "
        f"macro_recall={report.macro_recall:.4f}",
        "",
        f"{'':<{width}}  precision  recall      f1  support",
    ]
    for label, c in report.per_class.items():
        lines.append(f"{label:<{width}}  {c.precision:9.4f}  {c.recall:6.4f}  {c.f1:6.4f}  {c.support:7d}")
    lines.append(
        f"{'macro avg':<{width}}  {report.macro_precision:9.4f}  {report.macro_recall:6.4f}  "
        f"{report.macro_f1:6.4f}  {sum(c.support for c in report.per_class.values()):7d}"
    )
    lines += ["", "confusion (rows gold, columns predicted)"]
    cell = max([len(label) for label in report.labels] + [len(str(v)) for row in report.confusion for v in row])
    lines.append(f"{'':<{width}}  " + " ".join(f"{label:>{cell}}" for label in report.labels))
    for label, row in zip(report.labels, report.confusion, strict=True):
        lines.append(f"{label:<{width}}  " + " ".join(f"{v:>{cell}}" for v in row))
    return "\n".join(lines)
