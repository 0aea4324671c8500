"""Engine creation and the dialect-neutral upsert that every idempotent consumer uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from socialcare.errors import ConfigError, MissingExtraError

SQLITE_BUSY_TIMEOUT_S = 30
"""How long a SQLite writer waits for another process's write lock before failing."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode and a busy timeout so several processes can share it."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(f"database URL {url!r} is not a SQLAlchemy URL: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except NoSuchModuleError as exc:
        raise ConfigError(f"unsupported database URL {url!r}: {exc}") from exc
    except ModuleNotFoundError as exc:
        raise MissingExtraError(exc.name or "psycopg", "postgres") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_DIALECT_INSERT: dict[str, Callable[[Table], Any]] = {
    "sqlite": sqlite.insert,
    "postgresql": postgresql.insert,
}
"""The INSERT constructs that know ON CONFLICT DO UPDATE, by dialect."""


def upsert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], key: Sequence[str]) -> None:
    """Insert ``rows`` or, where ``key`` already exists, overwrite the columns the rows give (idempotent
    writes); a column the rows leave out keeps its value. Every row must give the same columns."""
    if not rows:
        return
    rows = _last_row_per_key(rows, key)
    statement = _dialect_insert(connection, table)
    excluded = statement.excluded
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=list(key),
            set_={name: excluded[name] for name in rows[0] if name not in key},
        ),
        list(rows),
    )


def insert_ignore(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], key: Sequence[str]) -> None:
    """Insert ``rows`` except where ``key`` already exists: the first write of a key wins."""
    if not rows:
        return
    statement = _dialect_insert(connection, table)
    connection.execute(statement.on_conflict_do_nothing(index_elements=list(key)), list(rows))


def _dialect_insert(connection: Connection, table: Table) -> Any:
    dialect_insert = _DIALECT_INSERT.get(connection.dialect.name)
    if dialect_insert is None:
        raise ConfigError(f"database dialect {connection.dialect.name!r} is not supported: use SQLite or PostgreSQL")
    return dialect_insert(table)


def _last_row_per_key(rows: Sequence[dict[str, Any]], key: Sequence[str]) -> list[dict[str, Any]]:
    """PostgreSQL refuses to update one row twice in a statement: keep the last row per key."""
    by_key = {tuple(row[k] for k in key): row for row in rows}
    return list(by_key.values())
