"""SLA clocks on SQLite and PostgreSQL, and the Prefect ``sla_sweep`` flow under ``prefect_test_harness``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from socialcare.store.schema import cases
from tests.integration.test_triage_cases import POLICY, file, post
from triage.calendars import ALWAYS
from triage.cases import CaseStore
from triage.policy_file import CalendarSpec
from triage.sla import clock_state, sweep

START = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # the created_at of post(..., minutes=0)


def test_clock_state() -> None:
    due = START + timedelta(hours=4)
    assert clock_state(START, due, timedelta(hours=4), ALWAYS) == "ok"
    assert clock_state(due - timedelta(minutes=48), due, timedelta(hours=4), ALWAYS) == "near"  # 20 % left
    assert clock_state(due, due, timedelta(hours=4), ALWAYS) == "breached"
    office = CalendarSpec(hours={"mon-fri": "09:00-17:00"}).calendar()
    friday = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    monday_due = office.add(friday, timedelta(hours=4))
    assert clock_state(friday + timedelta(hours=20), monday_due, timedelta(hours=4), office) == "ok"  # night


def test_sweep_alerts_once_per_case_and_clock(engine: Engine) -> None:
    store = CaseStore(engine)
    [decision] = file(store, post(1, "a", 0))  # P3: first response 4 h, resolution 24 h
    assert sweep(engine, POLICY, START + timedelta(hours=1)) == []
    near = sweep(engine, POLICY, START + timedelta(hours=3, minutes=30))
    assert [(a.case_id, a.clock, a.state) for a in near] == [(decision.case_id, "first_response", "near")]
    assert sweep(engine, POLICY, START + timedelta(hours=3, minutes=40)) == []  # no repeat
    breached = sweep(engine, POLICY, START + timedelta(hours=4, minutes=1))
    assert [(a.clock, a.state) for a in breached] == [("first_response", "breached")]
    assert "P3 customer_service case" in breached[0].summary and "breached" in breached[0].summary
    assert sweep(engine, POLICY, START + timedelta(hours=5)) == []


def test_an_answered_or_closed_case_stops_its_clocks(engine: Engine) -> None:
    store = CaseStore(engine)
    [answered] = file(store, post(1, "a", 0))
    [closed] = file(store, post(2, "b", 0))
    with engine.begin() as connection:
        connection.execute(
            update(cases).where(cases.c.id == answered.case_id).values(first_responded_at=START + timedelta(minutes=5))
        )
    store.close(closed.case_id, START + timedelta(hours=1))
    alerts = sweep(engine, POLICY, START + timedelta(hours=23))
    assert [(a.case_id, a.clock, a.state) for a in alerts] == [(answered.case_id, "resolution", "near")]


@pytest.mark.slow
def test_the_sla_sweep_flow_runs_under_prefect(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.sla_sweep import sla_sweep
    from socialcare.runtime import open_engine
    from socialcare.settings import Settings
    from tests.integration.test_notify import Webhook

    url = f"sqlite:///{tmp_path / 'sla.db'}"
    monkeypatch.setenv("SOCIALCARE_DATABASE_URL", url)
    hook = Webhook([503])  # fails once, then recovers
    monkeypatch.setenv("SOCIALCARE_SLACK_WEBHOOK_URL", hook.url)
    engine = open_engine(Settings())
    file(CaseStore(engine), post(1, "a", 0, risk="high", risk_score=0.97))  # P1: first response in 15 min
    engine.dispose()
    try:
        alerts = sla_sweep(now=START + timedelta(minutes=16))
        assert [(a.priority, a.clock, a.state) for a in alerts] == [("P1", "first_response", "breached")]
        assert sla_sweep(now=START + timedelta(minutes=17)) == []
    finally:
        hook.close()
    assert len(hook.bodies) == 2 and "breached its first response target" in hook.bodies[-1]["text"]
