"""``socialcare rules check`` and ``socialcare rules test`` through the command line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from socialcare.cli import app
from socialcare.models import encode_event
from tests.unit.test_triage_policy import enriched

DEFAULT = Path(__file__).resolve().parents[2] / "triage" / "default_policy.yaml"


def test_check_prints_the_rules_or_every_problem(tmp_path: Path) -> None:
    ok = CliRunner().invoke(app, ["rules", "check", str(DEFAULT)])
    assert ok.exit_code == 0, ok.output
    assert "1. likely spam:" in ok.output and "ok (" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("sla: {}\nrules:\n  - name: x\n    when: {risk_level: severe}\n    then: {cc: [pr]}\n")
    refused = CliRunner().invoke(app, ["rules", "check", str(bad)])
    assert refused.exit_code != 0
    assert f"{bad}:4: rules[0].when.risk_level[0]:" in refused.output


def test_what_if_counts_changed_decisions_by_department_and_priority(tmp_path: Path) -> None:
    past = tmp_path / "past.jsonl"
    mentions = [
        enriched("my order is late").model_copy(update={"id": "x:1", "source_id": "1"}),
        enriched("how much is pro?", department="sales", sentiment="neutral").model_copy(
            update={"id": "x:2", "source_id": "2"}
        ),
        enriched("the app crashes", department="engineering").model_copy(update={"id": "x:3", "source_id": "3"}),
    ]
    past.write_bytes(b"\n".join(encode_event(m) for m in mentions) + b"\n")
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        DEFAULT.read_text(encoding="utf-8")
        + "\n  - name: all sales to customer service\n    when: {department: sales}\n"
        "    then: {department: customer_service, priority: P2}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["rules", "test", str(changed), "--against", str(past)])
    assert result.exit_code == 0, result.output
    assert "mentions=3 changed=1 (33.3%)" in result.output
    assert "sales -> customer_service: 1" in result.output
    assert "P3 -> P2: 1" in result.output
    assert "example x:2: how much is pro?" in result.output
    after = next(line for line in result.output.splitlines() if line.strip().startswith("after:"))
    assert after.split()[1:3] == ["customer_service", "P2"] and after.endswith("all sales to customer service")


def test_what_if_reports_a_bad_line_with_its_number(tmp_path: Path) -> None:
    past = tmp_path / "past.jsonl"
    past.write_text('{"not": "an event"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "test", str(DEFAULT), "--against", str(past)])
    assert result.exit_code != 0
    assert f"{past}:1: not an enriched mention" in result.output
