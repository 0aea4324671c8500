"""The Kafka transport over kafka-python: keyed ``acks=all`` produce, group consume, manual commit.

Logical topic names (``mentions.raw``) map to physical ones with ``SOCIALCARE_TOPIC_PREFIX`` so several
deployments or test runs can share one cluster; records handed back carry the logical name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from socialcare.bus.base import Consumer, Producer, Record, Transport, last_record_per_partition
from socialcare.errors import MissingExtraError, TransportError
from socialcare.settings import Settings

try:
    from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
    from kafka.admin import NewTopic
    from kafka.errors import CommitFailedError, KafkaError, TopicAlreadyExistsError
    from kafka.structs import OffsetAndMetadata, TopicPartition
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("kafka-python", "kafka") from exc

log = logging.getLogger(__name__)

PRODUCER_RETRIES = 10
PRODUCER_LINGER_MS = 5
PRODUCER_FLUSH_TIMEOUT_S = 60.0
"""Reconnect and delivery policy of the producer, in one place."""

READ_IDLE_POLLS = 3
"""Empty polls after which :meth:`KafkaTransport.read` decides it reached the end of a topic."""


class KafkaTransport(Transport):
    name = "kafka"

    def __init__(self, settings: Settings) -> None:
        if not settings.kafka_bootstrap:
            raise TransportError("SOCIALCARE_KAFKA_BOOTSTRAP is not set; the Kafka transport needs it")
        self.settings = settings
        self.prefix = settings.topic_prefix
        self._admin: Any = None

    # names ---------------------------------------------------------------------------------------
    def physical(self, topic: str) -> str:
        return self.prefix + topic

    def logical(self, topic: str) -> str:
        return topic[len(self.prefix) :] if self.prefix and topic.startswith(self.prefix) else topic

    def client_config(self) -> dict[str, Any]:
        s = self.settings
        config: dict[str, Any] = {
            "bootstrap_servers": s.kafka_bootstrap,
            "client_id": s.kafka_client_id,
            "security_protocol": s.kafka_security_protocol,
            "bootstrap_timeout_ms": s.kafka_bootstrap_timeout_ms,
        }
        if s.kafka_sasl_mechanism:
            config["sasl_mechanism"] = s.kafka_sasl_mechanism
            config["sasl_plain_username"] = s.kafka_sasl_username
            if s.kafka_sasl_password is not None:
                config["sasl_plain_password"] = s.kafka_sasl_password.get_secret_value()
        return config

    def _admin_client(self) -> Any:
        if self._admin is None:
            try:
                self._admin = KafkaAdminClient(**self.client_config())
            except KafkaError as exc:
                raise _unreachable(self.settings, exc) from exc
        return self._admin

    # port ----------------------------------------------------------------------------------------
    def ensure_topics(self, topics: Iterable[str]) -> None:
        admin = self._admin_client()
        existing = set(admin.list_topics())
        wanted = [self.physical(t) for t in dict.fromkeys(topics)]
        missing = [
            NewTopic(name, self.settings.topic_partitions, self.settings.topic_replication)
            for name in wanted
            if name not in existing
        ]
        if not missing:
            return
        try:
            admin.create_topics(missing)
        except TopicAlreadyExistsError:
            log.debug("topics created concurrently by another process")
        except KafkaError as exc:
            raise TransportError(f"cannot create topics {[t.name for t in missing]}: {exc}") from exc

    def producer(self) -> KafkaTransportProducer:
        return KafkaTransportProducer(self)

    def consumer(self, group_id: str, topics: Sequence[str]) -> KafkaTransportConsumer:
        self.ensure_topics(topics)
        return KafkaTransportConsumer(self, group_id, topics)

    def _plain_consumer(self) -> Any:
        return KafkaConsumer(**self.client_config(), group_id=None, enable_auto_commit=False)

    def read(self, topic: str, limit: int) -> list[Record]:
        consumer = self._plain_consumer()
        try:
            partitions = self._partitions(consumer, topic)
            if not partitions:
                return []
            consumer.assign(partitions)
            consumer.seek_to_beginning()
            records: list[Record] = []
            idle = 0
            while len(records) < limit and idle < READ_IDLE_POLLS:
                batch = consumer.poll(timeout_ms=1000, max_records=limit - len(records))
                idle = 0 if batch else idle + 1
                for messages in batch.values():
                    records.extend(self.to_record(m) for m in messages)
                if _caught_up(consumer, partitions):
                    break
            return records[:limit]
        finally:
            consumer.close()

    def _partitions(self, consumer: Any, topic: str) -> list[Any]:
        physical = self.physical(topic)
        return [TopicPartition(physical, p) for p in sorted(consumer.partitions_for_topic(physical) or ())]

    def committed(self, group_id: str, topic: str) -> int:
        offsets = self._admin_client().list_group_offsets({group_id: None}).get(group_id, {})
        physical = self.physical(topic)
        return sum(meta.offset for tp, meta in offsets.items() if tp.topic == physical and meta.offset > 0)

    def end_offsets(self, topic: str) -> int:
        """The high watermarks, read from a fetch of each partition's last batch.

        A fetch response's high watermark is authoritative; some Kafka-protocol brokers (Tansu) answer
        ListOffsets with the last *batch's* base offset instead, so that answer only says where to fetch.
        """
        consumer = self._plain_consumer()
        try:
            partitions = self._partitions(consumer, topic)
            if not partitions:
                return 0
            listed = consumer.end_offsets(partitions)
            nonempty = [tp for tp in partitions if listed[tp] > 0]
            if not nonempty:
                return 0
            consumer.assign(nonempty)
            for tp in nonempty:
                consumer.seek(tp, listed[tp] - 1)
            for _ in range(READ_IDLE_POLLS * 3):
                consumer.poll(timeout_ms=500)
                if all(consumer.highwater(tp) is not None for tp in nonempty):
                    break
            return sum(consumer.highwater(tp) or listed[tp] for tp in nonempty)
        finally:
            consumer.close()

    def to_record(self, message: Any) -> Record:
        return Record(
            topic=self.logical(message.topic),
            partition=message.partition,
            offset=message.offset,
            key=message.key.decode("utf-8") if message.key is not None else None,
            value=message.value if message.value is not None else b"",
            headers=tuple((name, value or b"") for name, value in (message.headers or ())),
            timestamp_ms=message.timestamp,
        )

    def close(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None


class KafkaTransportProducer(Producer):
    def __init__(self, transport: KafkaTransport) -> None:
        self.transport = transport
        try:
            self._producer = KafkaProducer(
                **transport.client_config(),
                acks="all",
                retries=PRODUCER_RETRIES,
                linger_ms=PRODUCER_LINGER_MS,
            )
        except KafkaError as exc:
            raise _unreachable(transport.settings, exc) from exc
        self._pending: list[Any] = []

    def send(
        self, topic: str, value: bytes, key: str | None = None, headers: Mapping[str, bytes] | None = None
    ) -> None:
        future = self._producer.send(
            self.transport.physical(topic),
            value=value,
            key=key.encode("utf-8") if key is not None else None,
            headers=list((headers or {}).items()) or None,
        )
        self._pending.append(future)

    def flush(self) -> None:
        try:
            self._producer.flush(timeout=PRODUCER_FLUSH_TIMEOUT_S)
        except KafkaError as exc:
            raise TransportError(f"Kafka did not confirm the records in time: {exc}") from exc
        failed = [f.exception for f in self._pending if f.failed()]
        self._pending.clear()
        if failed:
            raise TransportError(f"Kafka refused {len(failed)} record(s); first error: {failed[0]}")

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._producer.close()


class KafkaTransportConsumer(Consumer):
    def __init__(self, transport: KafkaTransport, group_id: str, topics: Sequence[str]) -> None:
        self.transport = transport
        s = transport.settings
        try:
            self._consumer = KafkaConsumer(
                *[transport.physical(t) for t in topics],
                **transport.client_config(),
                group_id=group_id,
                enable_auto_commit=False,
                auto_offset_reset="earliest",
                session_timeout_ms=s.kafka_session_timeout_ms,
                heartbeat_interval_ms=max(100, s.kafka_session_timeout_ms // 3),
                max_poll_interval_ms=s.kafka_max_poll_interval_ms,
            )
        except KafkaError as exc:
            raise _unreachable(s, exc) from exc

    def poll(self, max_records: int, timeout_ms: int) -> list[Record]:
        batch = self._consumer.poll(timeout_ms=timeout_ms, max_records=max_records)
        return [self.transport.to_record(m) for messages in batch.values() for m in messages]

    def commit(self, records: Sequence[Record]) -> None:
        offsets = {
            TopicPartition(self.transport.physical(topic), partition): OffsetAndMetadata(record.offset + 1, "", -1)
            for (topic, partition), record in last_record_per_partition(records).items()
        }
        if not offsets:
            return
        try:
            self._consumer.commit(offsets)
        except CommitFailedError as exc:
            # The group rebalanced: the new owner re-reads these records; consumers are idempotent.
            log.warning("commit_failed=true reason=%r records_will_be_redelivered=%d", str(exc), len(records))

    def caught_up(self) -> bool:
        assigned = self._consumer.assignment()
        return bool(assigned) and _caught_up(self._consumer, list(assigned))

    def close(self) -> None:
        self._consumer.close()


def _unreachable(settings: Settings, exc: Exception) -> TransportError:
    return TransportError(
        f"cannot reach Kafka at {settings.kafka_bootstrap}: {exc}; check SOCIALCARE_KAFKA_BOOTSTRAP, or "
        "start a local broker with  socialcare broker"
    )


def _caught_up(consumer: Any, partitions: Sequence[Any]) -> bool:
    """Every partition's position reached the high watermark its last fetch reported."""
    for tp in partitions:
        highwater = consumer.highwater(tp)
        if highwater is None or consumer.position(tp) < highwater:
            return False
    return True
