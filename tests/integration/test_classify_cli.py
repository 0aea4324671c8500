"""``socialcare classify`` and ``socialcare eval`` through the command line, with the real models."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from enrich.classify import OUTPUT_KEYS
from socialcare.cli import app

pytestmark = pytest.mark.slow
TEXTS = [
    "I love my new Lumora speaker, best purchase this year!",
    "The app crashes every time I open the thermostat schedule since the update",
    "Can't log in, password reset email never arrives",
    "",
    "配送が遅すぎます。注文から2週間たっても届かない",
]


def first_rows(source: Path, count: int, target: Path) -> Path:
    """The header and the first ``count`` rows of a CSV, as a new file."""
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:count]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_classify_writes_one_object_per_line_in_input_order_with_exactly_the_keys(tmp_path: Path) -> None:
    source = tmp_path / "texts.txt"
    source.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    env = {"SOCIALCARE_VAR_DIR": str(tmp_path / "var")}
    result = CliRunner().invoke(app, ["classify", str(source), "--output", str(output)], env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(TEXTS)
    assert all(tuple(row) == OUTPUT_KEYS for row in rows)
    assert rows[0]["sentiment"] == "positive"
    assert rows[1]["department"] == "engineering" and rows[1]["sentiment"] == "negative"
    assert rows[2]["department"] == "it"
    assert rows[4]["language"] == "ja" and rows[4]["sentiment"] == "negative"
    assert all(row["risk_level"] in {"low", "medium", "high"} for row in rows)


def test_eval_prints_metrics_for_every_label_column(tmp_path: Path, shared_data: Path) -> None:
    sample = first_rows(shared_data / "labelled" / "dev_routing.csv", 40, tmp_path / "sample.csv")
    result = CliRunner().invoke(app, ["eval", str(sample)], env={"SOCIALCARE_VAR_DIR": str(tmp_path / "var")})
    assert result.exit_code == 0, result.output
    for column in ("sentiment", "department", "risk"):
        assert f"{column} (40 rows" in result.output
    assert result.output.count("accuracy") >= 3 and "macro" in result.output.lower()


def test_eval_reads_the_airline_csv_as_published(tmp_path: Path, shared_data: Path) -> None:
    """``airline_sentiment`` is read as the sentiment label, so the public file needs no renaming."""
    sample = first_rows(shared_data / "airline_tweets" / "tweets_dev.csv", 30, tmp_path / "airline.csv")
    result = CliRunner().invoke(app, ["eval", str(sample)], env={"SOCIALCARE_VAR_DIR": str(tmp_path / "var")})
    assert result.exit_code == 0, result.output
    assert "sentiment (30 rows" in result.output
    assert "department (" not in result.output
