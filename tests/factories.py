"""Small builders of valid events for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socialcare.models import Author, Mention, Metrics
from socialcare.settings import Settings

BASE_TIME = datetime(2026, 11, 9, 8, 0, tzinfo=UTC)


def make_mention(i: int, *, source: str = "x", text: str | None = None) -> Mention:
    source_id = str(1_850_000_000_000_000_000 + i)
    return Mention(
        id=f"{source}:{source_id}",
        source=source,
        source_id=source_id,
        url=f"https://x.com/user{i % 50}/status/{source_id}",
        text=f"@LumoraHelp my thermostat #{i} lost its schedule again" if text is None else text,
        created_at=BASE_TIME + timedelta(seconds=i),
        collected_at=BASE_TIME + timedelta(seconds=i + 3),
        author=Author(id=str(1000 + i % 50), handle=f"user{i % 50}", followers=i % 5000),
        metrics=Metrics(likes=i % 7),
        brand="Lumora",
    )


def settings_env(settings: Settings) -> dict[str, str]:
    """Environment variables that recreate ``settings`` in a child process."""
    env = {"SOCIALCARE_DATABASE_URL": settings.effective_database_url, "SOCIALCARE_LOG_LEVEL": "WARNING"}
    if settings.kafka_bootstrap:
        env.update(
            SOCIALCARE_KAFKA_BOOTSTRAP=settings.kafka_bootstrap,
            SOCIALCARE_TOPIC_PREFIX=settings.topic_prefix,
            SOCIALCARE_KAFKA_SESSION_TIMEOUT_MS=str(settings.kafka_session_timeout_ms),
            SOCIALCARE_KAFKA_MAX_POLL_INTERVAL_MS=str(settings.kafka_max_poll_interval_ms),
            SOCIALCARE_TOPIC_PARTITIONS=str(settings.topic_partitions),
        )
    return env
