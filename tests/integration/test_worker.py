"""The stage worker on every transport: store, dead letters, poison isolation, commit after side effect."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import Engine

from socialcare.bus.base import Transport
from socialcare.bus.dlq import DeadLetter
from socialcare.bus.worker import Emit, Stage, StageOutput, Worker
from socialcare.errors import StoreError
from socialcare.models import Mention, encode_event
from socialcare.store.mentions import MentionStore
from socialcare.store.stage import StoreMentionsStage
from socialcare.topics import MENTIONS_RAW, dlq_topic
from tests.factories import make_mention

ECHO_TOPIC = "echo.out"


def publish(transport: Transport, payloads: Sequence[bytes]) -> None:
    transport.ensure_topics([MENTIONS_RAW, dlq_topic(MENTIONS_RAW), ECHO_TOPIC])
    with transport.producer() as producer:
        for i, payload in enumerate(payloads):
            producer.send(MENTIONS_RAW, payload, key=f"key-{i}")
        producer.flush()


def test_store_worker_stores_every_mention_once_even_when_redelivered(
    transport: Transport, runtime_engine: Engine
) -> None:
    mentions = [make_mention(i) for i in range(120)]
    publish(transport, [encode_event(m) for m in mentions] + [encode_event(mentions[0])])
    store = MentionStore(runtime_engine)
    stats = Worker(StoreMentionsStage(store), transport, batch_size=50, poll_timeout_ms=500).run(
        stop_when_idle=True, idle_polls=4
    )
    assert stats.consumed == 121
    assert stats.dead_lettered == 0
    assert store.ids() == {m.id for m in mentions}
    assert store.get(mentions[7].id) == mentions[7]


def test_malformed_events_reach_the_dlq_with_reason_and_original_bytes(
    transport: Transport, runtime_engine: Engine
) -> None:
    good = make_mention(1)
    bad = [b"\xff\xfe not utf-8", b"{not json", b'{"schema_version": 1, "id": "x:1"}']
    publish(transport, [encode_event(good), *bad])
    store = MentionStore(runtime_engine)
    stats = Worker(StoreMentionsStage(store), transport, poll_timeout_ms=500).run(stop_when_idle=True, idle_polls=4)
    assert stats.dead_lettered == 3
    assert store.ids() == {good.id}
    letters = [DeadLetter.from_record(r) for r in transport.read(dlq_topic(MENTIONS_RAW), 10)]
    by_value = {letter.value: letter for letter in letters}
    assert set(by_value) == set(bad)
    assert by_value[bad[0]].reason.startswith("not UTF-8")
    assert by_value[bad[1]].reason.startswith("not JSON")
    assert "source: Field required" in by_value[bad[2]].reason
    assert all(letter.stage == "store" and letter.origin.startswith("mentions.raw[") for letter in letters)


class FlakyEcho(Stage[Mention]):
    """Echoes mentions to ECHO_TOPIC; raises on any batch holding the mention whose text is 'boom'."""

    name = "echo"
    input_topic = MENTIONS_RAW
    input_model = Mention

    def process(self, events: Sequence[Mention]) -> StageOutput:
        if any(e.text == "boom" for e in events):
            raise ValueError("cannot echo boom")
        return StageOutput(emits=[Emit(ECHO_TOPIC, e.id, e) for e in events])


def test_one_poison_event_is_isolated_and_the_rest_of_the_batch_goes_on(transport: Transport) -> None:
    events = [make_mention(i) for i in range(5)] + [make_mention(99, text="boom")]
    publish(transport, [encode_event(e) for e in events])
    stats = Worker(FlakyEcho(), transport, poll_timeout_ms=500).run(stop_when_idle=True, idle_polls=4)
    assert stats.emitted == 5
    assert stats.dead_lettered == 1
    [letter] = [DeadLetter.from_record(r) for r in transport.read(dlq_topic(MENTIONS_RAW), 10)]
    assert letter.reason == "stage raised ValueError: cannot echo boom"
    assert sorted(r.key or "" for r in transport.read(ECHO_TOPIC, 10)) == sorted(e.id for e in events[:5])


class DatabaseDown(Stage[Mention]):
    name = "down"
    input_topic = MENTIONS_RAW
    input_model = Mention

    def process(self, events: Sequence[Mention]) -> StageOutput:
        raise StoreError("database unreachable")


def test_infrastructure_errors_stop_the_worker_without_commit_or_dead_letters(
    transport: Transport, runtime_engine: Engine
) -> None:
    publish(transport, [encode_event(make_mention(i)) for i in range(3)])
    with pytest.raises(StoreError):
        Worker(DatabaseDown(), transport, poll_timeout_ms=500, group_id="g").run(stop_when_idle=True, idle_polls=4)
    assert transport.read(dlq_topic(MENTIONS_RAW), 10) == []
    assert transport.committed("g", MENTIONS_RAW) == 0
    store = MentionStore(runtime_engine)
    Worker(StoreMentionsStage(store), transport, poll_timeout_ms=500, group_id="g").run(
        stop_when_idle=True, idle_polls=4
    )
    assert len(store.ids()) == 3  # the restarted stage picked up what the crashed one left
