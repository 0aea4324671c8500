"""Full-text search over the indexed mentions: SQLite FTS5 (trigram: words and Japanese alike, any part
of a word of three characters or more), kept in step by triggers; PostgreSQL a GIN index on the text's
``simple`` tsvector, with a trigram index for Japanese and other scripts without spaces.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(text, content='search_docs', content_rowid='rowid', "
    "tokenize='trigram')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO search_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE OF text ON search_docs BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, text) VALUES ('delete', old.rowid, old.text); "
    "INSERT INTO search_fts(rowid, text) VALUES (new.rowid, new.text); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
_POSTGRES_WORDS = "CREATE INDEX ix_search_docs_text_fts ON search_docs USING gin (to_tsvector('simple', text))"
_POSTGRES_TRIGRAMS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_search_docs_text_trgm ON search_docs USING gin (text gin_trgm_ops)",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for statement in _SQLITE:
            op.execute(statement)
        return
    op.execute(_POSTGRES_WORDS)
    try:
        with bind.begin_nested():  # a database user that may not create extensions still migrates
            for statement in _POSTGRES_TRIGRAMS:
                bind.exec_driver_sql(statement)
    except DBAPIError:
        logging.getLogger("alembic").warning(
            "pg_trgm is not available: Japanese full-text search scans instead of using an index"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_docs_text_trgm")
        op.execute("DROP INDEX IF EXISTS ix_search_docs_text_fts")
        return
    for trigger in ("search_fts_insert", "search_fts_delete", "search_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS search_fts")
