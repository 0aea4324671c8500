"""The default policy on every row of labelled/dev_routing.csv, through the real enricher and triage.

Department agreement is partly in-sample (the department head saw these rows in training; the honest
cross-validated figure is in enrich/MODEL_CARD.md); P1 for every high-risk row is the rubric's promise.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from enrich.classify import as_mention
from enrich.pipeline import Enricher
from socialcare.settings import Settings
from triage.engine import CompiledPolicy
from triage.facts import facts_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def routed(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict[str, str], object]]:
    with (shared_data / "labelled" / "dev_routing.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    enricher = Enricher.from_settings(Settings.model_validate({"var_dir": tmp_path_factory.mktemp("var")}))
    enriched = enricher.enrich([as_mention(i, row["text"]) for i, row in enumerate(rows)])
    policy = CompiledPolicy.load()
    return [(row, policy.decide(facts_of(e, policy.zone))) for row, e in zip(rows, enriched, strict=True)]


def test_default_policy_agrees_with_the_labelled_departments(routed: list[tuple[dict[str, str], object]]) -> None:
    agreement = sum(row["department"] == routing.department for row, routing in routed) / len(routed)  # type: ignore[attr-defined]
    print(f"dev_routing rows={len(routed)} department_agreement={agreement:.3f}")
    assert len(routed) == 200
    assert agreement >= 0.80


def test_every_high_risk_row_is_p1_and_copies_pr(routed: list[tuple[dict[str, str], object]]) -> None:
    high = [routing for row, routing in routed if row["risk"] == "high"]
    assert high, "the labelled file has high-risk rows"
    assert all(r.priority == "P1" for r in high)  # type: ignore[attr-defined]
    assert all(r.department == "pr" or "pr" in r.cc for r in high)  # type: ignore[attr-defined]
    print(f"dev_routing high_risk_rows={len(high)} p1={sum(r.priority == 'P1' for r in high)}")  # type: ignore[attr-defined]
