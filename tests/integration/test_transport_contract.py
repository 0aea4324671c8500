"""The transport port's promises, checked on the embedded log (SQLite, PostgreSQL) and on Kafka (Tansu)."""

from __future__ import annotations

import threading

from socialcare.bus.base import Record, Transport

TOPIC = "contract.events"


def drain(transport: Transport, group: str, expected: int, batch: int = 100, rounds: int = 60) -> list[Record]:
    """Consume until ``expected`` records arrived (or ``rounds`` polls passed), committing each batch."""
    got: list[Record] = []
    with transport.consumer(group, [TOPIC]) as consumer:
        for _ in range(rounds):
            records = consumer.poll(batch, 500)
            got.extend(records)
            consumer.commit(records)
            if len(got) >= expected:
                break
    return got


def produce(transport: Transport, values: list[bytes]) -> None:
    with transport.producer() as producer:
        for i, value in enumerate(values):
            producer.send(TOPIC, value, key=f"k{i % 7}", headers={"n": str(i).encode()})
        producer.flush()


def test_produce_consume_commit_and_resume_from_committed_offset(transport: Transport) -> None:
    transport.ensure_topics([TOPIC])
    produce(transport, [f"v{i}".encode() for i in range(50)])

    first = drain(transport, "g1", 50)
    assert sorted(r.value for r in first) == sorted(f"v{i}".encode() for i in range(50))
    assert transport.committed("g1", TOPIC) == 50

    produce(transport, [b"late-1", b"late-2"])
    resumed = drain(transport, "g1", 2)  # a new consumer of the same group starts after the commit
    assert sorted(r.value for r in resumed) == [b"late-1", b"late-2"]
    assert transport.end_offsets(TOPIC) == 52


def test_uncommitted_records_are_delivered_again(transport: Transport) -> None:
    transport.ensure_topics([TOPIC])
    produce(transport, [f"v{i}".encode() for i in range(10)])
    with transport.consumer("g2", [TOPIC]) as consumer:
        seen: list[Record] = []
        for _ in range(40):
            seen.extend(consumer.poll(100, 500))
            if len(seen) >= 10:
                break
        assert len(seen) == 10  # read, never committed: a crash here loses nothing
    again = drain(transport, "g2", 10)
    assert sorted(r.value for r in again) == sorted(r.value for r in seen)


def test_key_headers_and_per_key_order_survive(transport: Transport) -> None:
    transport.ensure_topics([TOPIC])
    produce(transport, [f"v{i}".encode() for i in range(30)])
    records = drain(transport, "g3", 30)
    for record in records:
        i = int(record.value[1:])
        assert record.key == f"k{i % 7}"
        assert record.header("n") == str(i).encode()
    by_key: dict[str | None, list[int]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_key.setdefault(record.key, []).append(int(record.value[1:]))
    assert all(values == sorted(values) for values in by_key.values())


def test_groups_are_independent(transport: Transport) -> None:
    transport.ensure_topics([TOPIC])
    produce(transport, [b"a", b"b", b"c"])
    assert len(drain(transport, "ga", 3)) == 3
    assert len(drain(transport, "gb", 3)) == 3
    assert transport.committed("ga", TOPIC) == 3


def test_concurrent_producers_lose_nothing(transport: Transport) -> None:
    transport.ensure_topics([TOPIC])

    def write(prefix: str) -> None:
        with transport.producer() as producer:
            for i in range(100):
                producer.send(TOPIC, f"{prefix}{i}".encode(), key=prefix)
                if i % 10 == 9:
                    producer.flush()

    threads = [threading.Thread(target=write, args=(p,)) for p in ("x", "y", "z")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = drain(transport, "gc", 300, batch=300)
    assert len(records) == 300
    assert len({r.value for r in records}) == 300


def test_read_returns_the_topic_from_the_start(transport: Transport) -> None:
    transport.ensure_topics([TOPIC])
    produce(transport, [b"one", b"two"])
    assert sorted(r.value for r in transport.read(TOPIC, 10)) == [b"one", b"two"]
    assert transport.read("contract.empty", 10) == []
