"""Pick the transport from the settings: Kafka when ``SOCIALCARE_KAFKA_BOOTSTRAP`` is set, else embedded."""

from __future__ import annotations

from sqlalchemy import Engine

from socialcare.bus.base import Transport
from socialcare.settings import Settings


def open_transport(settings: Settings, engine: Engine) -> Transport:
    if settings.uses_kafka:
        from socialcare.bus.kafka import KafkaTransport

        return KafkaTransport(settings)
    from socialcare.bus.embedded import EmbeddedTransport

    return EmbeddedTransport(engine)
