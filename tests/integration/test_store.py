"""The SQL store on SQLite and PostgreSQL: migrations match the models, upserts are idempotent."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from socialcare.errors import StoreError
from socialcare.store import migrate
from socialcare.store.checkpoints import CheckpointStore
from socialcare.store.db import make_engine
from socialcare.store.mentions import MentionStore
from socialcare.store.schema import metadata
from tests.factories import make_mention


def test_migrations_create_exactly_the_schema_of_the_code(engine: Engine) -> None:
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _outside_metadata_on_purpose}
        )
        assert compare_metadata(context, metadata) == []


def _outside_metadata_on_purpose(obj: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
    """Full-text search is dialect-specific SQL in migration 0011 (an FTS5 table, GIN indexes), not metadata."""
    return not (name or "").startswith(("search_fts", "ix_search_docs_text_"))


def test_downgrade_to_base_and_upgrade_again(engine: Engine) -> None:
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    assert migrate.upgrade(engine) == migrate.head_revision()
    assert {"mentions", "log_records", "log_offsets", "collector_checkpoints"} <= set(inspect(engine).get_table_names())


def test_an_unmigrated_database_is_refused_with_the_command_to_run(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(StoreError, match="run  socialcare db upgrade"):
        migrate.require_head(engine)
    engine.dispose()


def test_an_unreachable_database_says_what_to_check() -> None:
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/nowhere")
    with pytest.raises(StoreError, match="SOCIALCARE_DATABASE_URL"):
        migrate.current_revision(engine)


def test_mention_upserts_are_idempotent_and_keep_the_latest_version(engine: Engine) -> None:
    store = MentionStore(engine)
    first = make_mention(1)
    edited = first.model_copy(update={"text": "edited text"})
    store.upsert_many([first, make_mention(2)])
    store.upsert_many([first, edited])  # one batch holding the same id twice
    assert store.count() == 2
    assert store.get(first.id) == edited
    assert [m.id for m in store.iter_all()] == [first.id, make_mention(2).id]


def test_checkpoints_save_load_reset(engine: Engine) -> None:
    checkpoints = CheckpointStore(engine)
    assert checkpoints.load("replay:x") is None
    checkpoints.save("replay:x", "10")
    checkpoints.save("replay:x", "20")
    assert checkpoints.load("replay:x") == "20"
    checkpoints.reset("replay:x")
    assert checkpoints.load("replay:x") is None


def test_usage_counters_persist_per_name_and_period(engine: Engine) -> None:
    from socialcare.store.counters import UsageCounterStore

    x = UsageCounterStore(engine, "x.posts_read")
    other = UsageCounterStore(engine, "other")
    assert x.load("2026-11") == 0
    x.save("2026-11", 120)
    x.save("2026-11", 150)
    other.save("2026-11", 7)
    assert x.load("2026-11") == 150 and x.load("2026-12") == 0 and other.load("2026-11") == 7
