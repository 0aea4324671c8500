"""Assignment persisted with cases (SQLite and PostgreSQL): through the triage stage, timeouts, accept."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from socialcare.cli import app
from socialcare.errors import ConfigError
from tests.integration.test_triage_cases import POLICY, START_OF_POSTS, post
from triage.agents import load_agents
from triage.assignment import ACCEPT_TIMEOUT
from triage.cases import CaseStore
from triage.stage import TriageStage

AGENTS = """agents:
  - {id: ann, departments: [customer_service], languages: [en], capacity: 2}
  - {id: bob, departments: [customer_service, it], capacity: 2}
  - {id: kenji, departments: [customer_service], languages: [ja], timezone: Asia/Tokyo, hours: "09:00-18:00",
     weekdays: mon-fri}
"""


@pytest.fixture
def agents_file(tmp_path: Path) -> Path:
    path = tmp_path / "agents.yaml"
    path.write_text(AGENTS, encoding="utf-8")
    return path


def test_new_cases_go_to_the_least_loaded_agent_and_the_rest_wait(engine: Engine, agents_file: Path) -> None:
    store = CaseStore(engine)
    stage = TriageStage(POLICY, store, agents=load_agents(agents_file), clock=lambda: START_OF_POSTS)
    out = stage.process([post(i, f"u{i}", i) for i in range(5)])
    owners = [emit.event.assignee for emit in out.emits]  # type: ignore[attr-defined]
    assert owners == ["ann", "bob", "ann", "bob", None]  # capacity 2 each; the fifth waits
    assert store.get(f"case:{post(4, 'u4', 4).id}")["assignee"] is None  # type: ignore[index]
    store.close(out.emits[0].event.case_id, START_OF_POSTS)  # type: ignore[attr-defined]
    assert store.assign_waiting(load_agents(agents_file), START_OF_POSTS) == {f"case:{post(4, 'u4', 4).id}": "ann"}
    again = stage.process([post(4, "u4", 4)])  # a redelivery reports the case's owner now
    assert again.emits[0].event.assignee == "ann"  # type: ignore[attr-defined]


def test_unaccepted_offers_time_out_and_accepted_ones_stay(engine: Engine, agents_file: Path) -> None:
    store = CaseStore(engine)
    agents = load_agents(agents_file)
    stage = TriageStage(POLICY, store, agents=agents, clock=lambda: START_OF_POSTS)
    first, second = (e.event for e in stage.process([post(1, "a", 0), post(2, "b", 0)]).emits)  # type: ignore[attr-defined]
    assert (first.assignee, second.assignee) == ("ann", "bob")
    assert store.accept(first.case_id, "ann", START_OF_POSTS + timedelta(minutes=1))
    assert not store.accept(second.case_id, "ann", START_OF_POSTS)  # not hers
    moved = store.assign_waiting(agents, START_OF_POSTS + ACCEPT_TIMEOUT)
    assert moved == {second.case_id: "ann"}  # bob let it lapse; ann has room
    assert store.get(first.case_id)["assignee"] == "ann"  # type: ignore[index]


def test_agents_file_errors_have_lines(tmp_path: Path) -> None:
    path = tmp_path / "agents.yaml"
    path.write_text(
        "agents:\n  - {id: ann, departments: [support]}\n  - {id: bob, departments: [it], hours: '9-5'}\n"
        "  - {id: Ann, departments: [it], timezone: Mars/Base}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_agents(path)
    message = str(caught.value)
    assert f"{path}:2: agents[0].departments[0]:" in message
    assert f"{path}:3: agents[1].hours:" in message
    assert f"{path}:4: agents[2].timezone: unknown time zone" in message
    result = CliRunner().invoke(app, ["agents", "check", str(path)])
    assert result.exit_code != 0 and "agents[0].departments[0]" in result.output


def test_agents_check_prints_each_agent(agents_file: Path) -> None:
    result = CliRunner().invoke(app, ["agents", "check", str(agents_file)])
    assert result.exit_code == 0, result.output
    assert "agent=kenji departments=customer_service languages=ja capacity=5 hours=09:00-18:00 Asia/Tokyo" in (
        result.output
    )
