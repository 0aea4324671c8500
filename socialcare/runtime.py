"""Wires settings to a migrated database and a transport: the I/O edge every command starts from."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import Self

from sqlalchemy import Engine

from socialcare.bus.base import Transport
from socialcare.bus.factory import open_transport
from socialcare.settings import Settings
from socialcare.store import migrate
from socialcare.store.db import make_engine
from socialcare.topics import all_topics_with_dlq


def open_engine(settings: Settings) -> Engine:
    """The database, ready: SQLite is migrated on the spot, any other must be at the head revision."""
    engine = make_engine(settings.effective_database_url)
    if engine.dialect.name == "sqlite":
        migrate.upgrade(engine)
    else:
        migrate.require_head(engine)
    return engine


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    transport: Transport

    @classmethod
    def open(cls, settings: Settings) -> Runtime:
        """Connect; a SQLite database is migrated on the spot, any other must be at the head revision."""
        engine = open_engine(settings)
        transport = open_transport(settings, engine)
        transport.ensure_topics(all_topics_with_dlq())
        return cls(settings, engine, transport)

    def close(self) -> None:
        self.transport.close()
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
