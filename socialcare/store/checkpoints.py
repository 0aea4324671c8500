"""Collector checkpoints: the position after the last durably published item of each source."""

from __future__ import annotations

from sqlalchemy import Engine, delete, select

from socialcare.models import utcnow
from socialcare.store.db import upsert
from socialcare.store.schema import collector_checkpoints


class CheckpointStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def load(self, key: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(collector_checkpoints.c.position).where(collector_checkpoints.c.key == key)
            ).scalar_one_or_none()

    def save(self, key: str, position: str) -> None:
        with self.engine.begin() as connection:
            upsert(
                connection,
                collector_checkpoints,
                [{"key": key, "position": position, "updated_at": utcnow()}],
                key=["key"],
            )

    def reset(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(collector_checkpoints).where(collector_checkpoints.c.key == key))
