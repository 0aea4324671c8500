"""The transport fixture: every contract test runs on embedded-SQLite, embedded-PostgreSQL and Kafka."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from socialcare.bus.base import Transport
from socialcare.bus.embedded import EmbeddedTransport
from socialcare.settings import Settings
from socialcare.store import migrate
from socialcare.store.db import make_engine
from tests.conftest import kafka_test_settings


@pytest.fixture(
    params=[
        "embedded-sqlite",
        pytest.param("embedded-postgresql", marks=pytest.mark.postgres),
        pytest.param("kafka", marks=pytest.mark.kafka),
    ]
)
def runtime_settings(request: pytest.FixtureRequest, tmp_path: object) -> Settings:
    """Settings for one transport: its database (SQLite file or fresh PostgreSQL schema) and broker."""
    kind: str = request.param
    if kind == "embedded-postgresql":
        return Settings.model_validate({"database_url": request.getfixturevalue("database_url_pg")})
    sqlite = f"sqlite:///{request.getfixturevalue('tmp_path') / 'socialcare.db'}"
    if kind == "kafka":
        return kafka_test_settings(request.getfixturevalue("kafka_bootstrap"), database_url=sqlite)
    return Settings.model_validate({"database_url": sqlite})


@pytest.fixture
def database_url_pg(postgres_server: str) -> str:
    from tests.conftest import _reset_postgres

    _reset_postgres(postgres_server)
    return postgres_server


@pytest.fixture
def runtime_engine(runtime_settings: Settings) -> Iterator[Engine]:
    engine = make_engine(runtime_settings.effective_database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def transport(runtime_settings: Settings, runtime_engine: Engine) -> Iterator[Transport]:
    if runtime_settings.uses_kafka:
        from socialcare.bus.kafka import KafkaTransport

        kafka = KafkaTransport(runtime_settings)
        yield kafka
        kafka.close()
    else:
        yield EmbeddedTransport(runtime_engine)
