"""Cases on SQLite and PostgreSQL, and the triage worker on the embedded log and on Kafka (Tansu)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from socialcare.bus.worker import Worker
from socialcare.models import Author, EnrichedMention, TriageDecision, decode_event, encode_event
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.topics import MENTIONS_ENRICHED, TRIAGE_DECISIONS
from tests.conftest import kafka_test_settings
from tests.unit.test_triage_policy import enriched
from triage.cases import CaseStore
from triage.engine import CompiledPolicy
from triage.facts import facts_of
from triage.stage import TriageStage

POLICY = CompiledPolicy.load()
START_OF_POSTS = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # a Monday; post(..., minutes=0) is created then


def post(
    number: int,
    author: str,
    minutes: float,
    *,
    conversation: str | None = None,
    reply_to: str | None = None,
    **fields: object,
) -> EnrichedMention:
    base = enriched(**fields)  # type: ignore[arg-type]
    source_id = str(1_900_000 + number)
    created = base.created_at + timedelta(minutes=minutes)
    return base.model_copy(
        update={
            "id": f"x:{source_id}",
            "source_id": source_id,
            "author": Author(id=author, handle=f"user{author}", followers=base.author.followers),
            "conversation_id": conversation or source_id,
            "in_reply_to": reply_to,
            "created_at": created,
            "collected_at": created + timedelta(seconds=5),
        }
    )


def file(store: CaseStore, *mentions: EnrichedMention) -> list[TriageDecision]:
    return store.file_batch([(m, POLICY.decide(facts_of(m, POLICY.zone))) for m in mentions])


def test_threads_by_conversation_reply_and_author_window(engine: Engine) -> None:
    store = CaseStore(engine)
    root = post(1, "a", 0)
    in_thread = post(2, "b", 5, conversation=root.source_id)  # someone else in the same conversation
    reply = post(3, "c", 6, conversation="other", reply_to=in_thread.source_id)  # replies to b's post
    later = post(4, "a", 120)  # same author two hours later, a new post
    much_later = post(5, "a", 60 * 30)  # 30 hours after: a new matter
    decisions = file(store, root, in_thread, reply, later, much_later)
    case_ids = [d.case_id for d in decisions]
    assert case_ids[:4] == [f"case:{root.id}"] * 4
    assert case_ids[4] == f"case:{much_later.id}"
    assert decisions[1].explanation[-1].detail == f"joined case:{root.id}: same conversation"
    assert decisions[3].explanation[-1].detail == f"joined case:{root.id}: same author within 1d"
    case = store.get(f"case:{root.id}")
    assert case is not None and case["mention_count"] == 4 and case["status"] == "open"
    history = store.history("x:a")
    assert [c["id"] for c in history] == [f"case:{much_later.id}", f"case:{root.id}"]
    assert history[1]["mentions"] == [root.id, in_thread.id, reply.id, later.id]


def test_an_urgent_mention_escalates_the_case_and_a_closed_case_reopens(engine: Engine) -> None:
    store = CaseStore(engine)
    first = post(1, "a", 0)
    [opened] = file(store, first)
    assert opened.priority == "P3"
    urgent = post(2, "a", 30, conversation=first.source_id, risk="high", risk_score=0.97, department="engineering")
    [escalated] = file(store, urgent)
    case = store.get(opened.case_id)
    assert case is not None
    assert (case["priority"], case["department"], case["cc"]) == ("P1", "engineering", ["pr"])
    assert case["first_response_due"] == urgent.created_at + timedelta(minutes=15)
    assert escalated.priority == "P1" and escalated.sla_due_at == urgent.created_at + timedelta(minutes=15)
    store.close(opened.case_id, urgent.created_at + timedelta(hours=1))
    again = post(3, "a", 60 * 48, conversation=first.source_id)  # back in the thread two days later
    [reopened] = file(store, again)
    case = store.get(opened.case_id)
    assert reopened.case_id == opened.case_id and reopened.explanation[-1].detail.startswith("reopened")
    assert case is not None and case["status"] == "open" and case["closed_at"] is None
    assert case["first_response_due"] == again.created_at + timedelta(hours=4)


def test_filing_is_idempotent(engine: Engine) -> None:
    store = CaseStore(engine)
    mention = post(1, "a", 0, risk="high", risk_score=0.95)
    first = file(store, mention)
    second = file(store, mention)
    assert first == second
    case = store.get(first[0].case_id)
    assert case is not None and case["mention_count"] == 1


def _conversations() -> list[EnrichedMention]:
    """Ten customers, each with a post, a follow-up in its thread, and a new post two hours later."""
    mentions = []
    for customer in range(10):
        root = post(customer * 10, f"u{customer}", customer, risk="high" if customer == 3 else "low")
        mentions += [
            root,
            post(customer * 10 + 1, f"u{customer}", customer + 20, conversation=root.source_id),
            post(customer * 10 + 2, f"u{customer}", customer + 120, department="sales", sentiment="neutral"),
        ]
    return mentions


def _run_triage(settings: Settings, mentions: list[EnrichedMention]) -> dict[str, TriageDecision]:
    with Runtime.open(settings) as runtime:
        with runtime.transport.producer() as producer:
            for mention in mentions:
                producer.send(MENTIONS_ENRICHED, encode_event(mention), key=f"{mention.source}:{mention.author.id}")
            producer.flush()
        stage = TriageStage(POLICY, CaseStore(runtime.engine))
        stats = Worker(stage, runtime.transport, poll_timeout_ms=300).run(stop_when_idle=True, idle_polls=4)
        assert stats.dead_lettered == 0
        decisions = [decode_event(TriageDecision, r.value) for r in runtime.transport.read(TRIAGE_DECISIONS, 1000)]
    return {d.mention_id: d for d in decisions}


@pytest.mark.kafka
def test_the_worker_decides_the_same_on_kafka_and_on_the_embedded_log(tmp_path: Path, kafka_bootstrap: str) -> None:
    mentions = _conversations()
    embedded = _run_triage(Settings.model_validate({"database_url": f"sqlite:///{tmp_path / 'e.db'}"}), mentions)
    kafka = _run_triage(kafka_test_settings(kafka_bootstrap, database_url=f"sqlite:///{tmp_path / 'k.db'}"), mentions)
    assert set(embedded) == {m.id for m in mentions}
    assert kafka == embedded
    cases = {d.case_id for d in embedded.values()}
    assert len(cases) == 10  # one per customer: thread and author window
    assert embedded[mentions[9].id].priority == "P1" and "pr" in embedded[mentions[9].id].cc


def test_a_customer_history_spans_sources_by_handle(engine: Engine, tmp_path: Path) -> None:
    store = CaseStore(engine)
    on_x = post(1, "42", 0)
    on_x = on_x.model_copy(update={"author": Author(id="42", handle="JoBloggs")})
    on_reddit = post(2, "t2_99", 90).model_copy(
        update={
            "id": "reddit:t3_abc",
            "source": "reddit",
            "source_id": "t3_abc",
            "author": Author(id="t2_99", handle="jobloggs"),
        }
    )
    someone_else = post(3, "7", 0)
    file(store, on_x, on_reddit, someone_else)
    history = store.history("@jobloggs")
    assert [(c["source"], c["mentions"]) for c in history] == [("reddit", [on_reddit.id]), ("x", [on_x.id])]
    assert [c["id"] for c in store.history("x:42")] == [f"case:{on_x.id}"]


def test_cases_history_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from socialcare.cli import app

    url = f"sqlite:///{tmp_path / 'h.db'}"
    with Runtime.open(Settings.model_validate({"database_url": url})) as runtime:
        file(CaseStore(runtime.engine), post(1, "42", 0).model_copy(update={"author": Author(id="42", handle="jo")}))
    result = CliRunner().invoke(app, ["cases", "history", "@Jo"], env={"SOCIALCARE_DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    assert "case:x:1900001 source=x status=open priority=P3" in result.output and "cases=1" in result.output
