"""Shared fixtures: the real data folder, SQLite and PostgreSQL databases, and a running Tansu broker.

Locally, tests that need PostgreSQL or the shared data skip with the reason; under CI (``CI=true``) a
missing service is an error, so a green CI run always exercised them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from socialcare.settings import Settings
from socialcare.store import migrate
from socialcare.store.db import make_engine

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Every test that builds the encoder shares one ONNX export instead of exporting into its own var dir.
os.environ.setdefault("SOCIALCARE_MODEL_CACHE_DIR", str(REPO / "var" / "models"))
POSTGRES_ADMIN_URL = os.environ.get("SOCIALCARE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def unavailable(reason: str) -> None:
    """Skip locally; fail under CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (required under CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        unavailable(f"the shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA


# databases ---------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session; yields its URL and drops it afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"socialcare_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        unavailable(f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc.__class__.__name__}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on a SQLite file and on an empty PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'socialcare.db'}"
    url: str = request.getfixturevalue("postgres_server")
    _reset_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'socialcare.db'}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


# Kafka -------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running Kafka-protocol broker: SOCIALCARE_TEST_KAFKA_BOOTSTRAP, or a Tansu this session starts."""
    given = os.environ.get("SOCIALCARE_TEST_KAFKA_BOOTSTRAP")
    if given:
        yield given
        return
    from socialcare.broker import LocalBroker
    from socialcare.errors import SocialcareError

    broker = LocalBroker(log_path=tmp_path_factory.mktemp("tansu") / "tansu.log")
    try:
        broker.start()
    except SocialcareError as exc:
        unavailable(f"cannot start the local Tansu broker: {exc}")
    yield broker.bootstrap
    broker.stop()


def kafka_test_settings(bootstrap: str, **overrides: object) -> Settings:
    """Settings for a test on the shared broker: a unique topic prefix and Tansu-friendly group timeouts."""
    values: dict[str, object] = {
        "kafka_bootstrap": bootstrap,
        "topic_prefix": f"t{uuid.uuid4().hex[:8]}.",
        "kafka_session_timeout_ms": 6000,
        "kafka_max_poll_interval_ms": 5000,
        "topic_partitions": 3,
        "poll_timeout_ms": 300,
    }
    values.update(overrides)
    return Settings.model_validate(values)


# Prefect -----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every flow test (it takes 10-30 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
