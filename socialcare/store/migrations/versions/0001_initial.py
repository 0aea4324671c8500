"""Initial schema: mentions, collector checkpoints, and the embedded transport's log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialcare.store.schema import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentions",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(160), nullable=False),
        sa.Column("brand", sa.String(200)),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("collected_at", UtcDateTime(), nullable=False),
        sa.Column("author_id", sa.String(200), nullable=False),
        sa.Column("author_handle", sa.String(200)),
        sa.Column("lang", sa.String(16)),
        sa.Column("conversation_id", sa.String(200)),
        sa.Column("in_reply_to", sa.String(200)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("stored_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mentions"),
    )
    op.create_index("ix_mentions_brand_created_at", "mentions", ["brand", "created_at"])
    op.create_index("ix_mentions_conversation_id", "mentions", ["conversation_id"])
    op.create_index("ix_mentions_author_id", "mentions", ["author_id"])
    op.create_table(
        "collector_checkpoints",
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("position", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_collector_checkpoints"),
    )
    op.create_table(
        "log_topics",
        sa.Column("name", sa.String(249), nullable=False),
        sa.Column("next_offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_log_topics"),
    )
    op.create_table(
        "log_records",
        sa.Column("topic", sa.String(249), nullable=False),
        sa.Column("offset", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(500)),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("topic", "offset", name="pk_log_records"),
    )
    op.create_table(
        "log_offsets",
        sa.Column("group_id", sa.String(249), nullable=False),
        sa.Column("topic", sa.String(249), nullable=False),
        sa.Column("next_offset", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "topic", name="pk_log_offsets"),
    )


def downgrade() -> None:
    op.drop_table("log_offsets")
    op.drop_table("log_records")
    op.drop_table("log_topics")
    op.drop_table("collector_checkpoints")
    op.drop_index("ix_mentions_author_id", "mentions")
    op.drop_index("ix_mentions_conversation_id", "mentions")
    op.drop_index("ix_mentions_brand_created_at", "mentions")
    op.drop_table("mentions")
