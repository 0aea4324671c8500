"""What only the Kafka adapter does: topic creation with partitions, key -> partition, prefixes, errors."""

from __future__ import annotations

import pytest
from kafka import KafkaConsumer

from socialcare.bus.kafka import KafkaTransport
from socialcare.errors import TransportError
from socialcare.runtime import Runtime
from socialcare.topics import all_topics_with_dlq
from tests.conftest import kafka_test_settings

pytestmark = pytest.mark.kafka


def test_runtime_creates_every_topic_and_its_dlq_with_the_configured_partitions(
    kafka_bootstrap: str, tmp_path: object
) -> None:
    settings = kafka_test_settings(kafka_bootstrap, topic_partitions=2, database_url=f"sqlite:///{tmp_path}/k.db")
    with Runtime.open(settings) as runtime:
        runtime.transport.ensure_topics(all_topics_with_dlq())  # a second call changes nothing
    consumer = KafkaConsumer(bootstrap_servers=kafka_bootstrap)
    try:
        for topic in all_topics_with_dlq():
            assert consumer.partitions_for_topic(settings.topic_prefix + topic) == {0, 1}, topic
    finally:
        consumer.close()


def test_the_same_key_always_lands_in_the_same_partition(kafka_bootstrap: str) -> None:
    transport = KafkaTransport(kafka_test_settings(kafka_bootstrap))
    transport.ensure_topics(["keys"])
    with transport.producer() as producer:
        for i in range(60):
            producer.send("keys", str(i).encode(), key=f"x:{i % 5}")
        producer.flush()
    records = transport.read("keys", 100)
    transport.close()
    assert len(records) == 60
    partitions: dict[str | None, set[int]] = {}
    for record in records:
        partitions.setdefault(record.key, set()).add(record.partition)
        assert record.topic == "keys"  # the prefix is stripped again
    assert all(len(p) == 1 for p in partitions.values())


def test_an_unreachable_broker_is_a_clear_error() -> None:
    settings = kafka_test_settings("127.0.0.1:1", kafka_bootstrap_timeout_ms=1000)
    with pytest.raises(TransportError, match="socialcare broker"):
        KafkaTransport(settings).ensure_topics(["x"])
