"""Measure the rule-based escalation risk on the labelled data: per-file recall/precision of ``high``.

Run: ``python scripts/calibrate_risk.py [--shared ../shared/data] [--show-errors]``.

The gold ``sentiment`` label is the sentiment input (negative -> -0.8, neutral -> 0.0, positive -> +0.6; see
``enrich.risk.SENTIMENT_FOR_LABEL``), so this measures the risk rules, not the sentiment model. For our own
sample (``socialcare/sample``) the author's followers and the post's engagement come from mentions.jsonl.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from enrich.risk import SENTIMENT_FOR_LABEL, RiskInputs, assess_risk

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))  # care_labels
LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class Row:
    item_id: str
    gold: str
    inputs: RiskInputs


def gold_row(record: dict[str, str]) -> Row:
    """A labelled record (``item_id``, ``text``, ``risk``, ``sentiment``) with its gold sentiment as the input."""
    label = record["sentiment"]
    inputs = RiskInputs(text=record["text"], sentiment_label=label, sentiment_score=SENTIMENT_FOR_LABEL[label])
    return Row(record["item_id"], record["risk"], inputs)


def labelled_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [gold_row(record) for record in csv.DictReader(handle)]


def sample_rows(folder: Path) -> list[Row]:
    labels: dict[str, dict[str, str]] = {}
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as handle:
        for entry in csv.DictReader(handle):
            labels[entry["item_id"]] = entry
    rows = []
    for line in (folder / "mentions.jsonl").read_text(encoding="utf-8").splitlines():
        mention = json.loads(line)
        record = labels.get(mention["id"])
        if record is None:
            continue
        label = record["sentiment"]
        metrics = mention.get("metrics") or {}
        rows.append(
            Row(
                mention["id"],
                record["risk"],
                RiskInputs(
                    text=mention["text"],
                    sentiment_label=label,
                    sentiment_score=SENTIMENT_FOR_LABEL[label],
                    author_followers=mention["author"].get("followers") or 0,
                    author_verified=bool(mention["author"].get("verified")),
                    likes=metrics.get("likes", 0),
                    reposts=metrics.get("reposts", 0),
                    replies=metrics.get("replies", 0),
                    age_hours=24.0,
                    language=mention.get("lang"),
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class Report:
    name: str
    n: int
    recall: float
    precision: float
    confusion: dict[tuple[str, str], int]
    errors: list[tuple[str, str, str, str]]


def evaluate(name: str, rows: list[Row]) -> Report:
    confusion: Counter[tuple[str, str]] = Counter()
    errors: list[tuple[str, str, str, str]] = []
    for row in rows:
        risk = assess_risk(row.inputs)
        confusion[(row.gold, risk.level)] += 1
        if (row.gold == "high") != (risk.level == "high"):
            errors.append((row.gold, risk.level, row.inputs.text[:140].replace("\n", " "), "; ".join(risk.reasons)))
    tp = confusion[("high", "high")]
    gold_high = sum(v for (g, _), v in confusion.items() if g == "high")
    pred_high = sum(v for (_, p), v in confusion.items() if p == "high")
    return Report(
        name,
        len(rows),
        tp / gold_high if gold_high else 1.0,
        tp / pred_high if pred_high else 1.0,
        dict(confusion),
        errors,
    )


def care_rows(shared: Path, pool: str) -> list[Row]:
    """The project's own labels (scripts/labels/care_tweets.csv) of one pool, texts from ../shared/data."""
    from care_labels import load_care_labels

    return [gold_row(r) for r in load_care_labels(shared) if r["pool"] == pool]


def all_reports(shared: Path | None) -> list[Report]:
    reports = []
    if shared is not None and (shared / "labelled").is_dir():
        for file in ("dev_risk_targeted.csv", "dev_routing.csv"):
            reports.append(evaluate(file, labelled_rows(shared / "labelled" / file)))
        for pool in ("random", "keyword", "negative", "targeted", "rest"):
            reports.append(evaluate(f"care_tweets ({pool})", care_rows(shared, pool)))
    reports.append(evaluate("sample", sample_rows(REPO / "socialcare" / "sample")))
    return reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    for report in all_reports(args.shared):
        print(f"{report.name}: n={report.n} high recall={report.recall:.3f} precision={report.precision:.3f}")
        print("  gold\\pred " + " ".join(f"{p:>6}" for p in LEVELS))
        for gold in LEVELS:
            print(f"  {gold:>9} " + " ".join(f"{report.confusion.get((gold, p), 0):>6}" for p in LEVELS))
        if args.show_errors:
            for gold, pred, text, reasons in report.errors:
                print(f"    gold={gold} pred={pred}: {text} [{reasons}]")


if __name__ == "__main__":
    main()
