"""``socialcare classify`` and ``socialcare eval``: score a file of texts, and measure against labels.

Input is CSV (``--text-column``), JSONL (the same key) or plain text (one text a line). Each output line
is one JSON object, in input order, with exactly the keys of :data:`OUTPUT_KEYS`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from enrich.department import primary_department
from enrich.pipeline import Enricher
from socialcare.errors import ImportFileError
from socialcare.models import Author, EnrichedMention, Mention

OUTPUT_KEYS = (
    "language",
    "sentiment",
    "sentiment_score",
    "department",
    "department_scores",
    "risk_score",
    "risk_level",
    "risk_reasons",
    "spam_score",
    "redacted_text",
)
CLASSIFY_TIME = datetime(2000, 1, 1, tzinfo=UTC)
"""Texts without a post around them get a fixed time, so results do not depend on when they ran."""


@dataclass(frozen=True)
class InputRow:
    text: str
    labels: dict[str, str]


LABEL_ALIASES = {"airline_sentiment": "sentiment", "risk_level": "risk"}
"""Label columns of the public formats, read as ours (the airline tweets CSV calls sentiment so)."""


def canonical_labels(row: InputRow) -> InputRow:
    """The row with aliased label columns renamed and label values trimmed and lower-cased."""
    labels = {LABEL_ALIASES.get(k, k): v.strip().lower() for k, v in row.labels.items()}
    return InputRow(row.text, labels)


def read_rows(path: Path, text_column: str) -> Iterator[InputRow]:
    """Rows of a CSV, JSONL or plain-text file; a CSV/JSONL row without the text column is an error."""
    suffix = path.suffix.lower()
    try:
        handle = path.open(encoding="utf-8", errors="replace", newline="")
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror}") from exc
    with handle:
        if suffix == ".csv":
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or text_column not in reader.fieldnames:
                raise ImportFileError(
                    f"{path}: no column {text_column!r} (columns: {', '.join(reader.fieldnames or [])}); "
                    "pass --text-column"
                )
            for row in reader:
                yield InputRow(row.get(text_column) or "", {k: v for k, v in row.items() if k and v})
        elif suffix in {".jsonl", ".ndjson"}:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise ImportFileError(f"{path}: line {number} is not JSON ({exc})") from exc
                yield InputRow(str(obj.get(text_column) or ""), {k: str(v) for k, v in obj.items()})
        else:
            for line in handle:
                yield InputRow(line.rstrip("\r\n"), {})


def as_mention(index: int, text: str) -> Mention:
    return Mention(
        id=f"classify:{index}",
        source="classify",
        source_id=str(index),
        text=text[:40_000],
        created_at=CLASSIFY_TIME,
        collected_at=CLASSIFY_TIME,
        author=Author(id="unknown"),
    )


def output_row(enriched: EnrichedMention) -> dict[str, Any]:
    scores = dict(enriched.department_scores)
    return {
        "language": enriched.language,
        "sentiment": enriched.sentiment.label,
        "sentiment_score": enriched.sentiment.score,
        "department": primary_department(scores),
        "department_scores": scores,
        "risk_score": enriched.risk.score,
        "risk_level": enriched.risk.level,
        "risk_reasons": list(enriched.risk.reasons),
        "spam_score": enriched.spam.score,
        "redacted_text": enriched.redacted_text,
    }


def classify_rows(
    enricher: Enricher,
    rows: Sequence[InputRow],
    *,
    batch_size: int = 64,
    on_batch: Callable[[int], object] | None = None,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        mentions = [as_mention(start + i, row.text) for i, row in enumerate(batch)]
        results.extend(output_row(e) for e in enricher.enrich(mentions))
        if on_batch is not None:
            on_batch(len(batch))
    return results
