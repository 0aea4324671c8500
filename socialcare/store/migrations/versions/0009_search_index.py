"""The SQL search index behind the dashboards: one document per enriched mention, its hashtags and terms,
and hourly rollups the trend charts read (so a chart over a million mentions reads thousands of rows).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialcare.store.schema import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_docs",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("hour", UtcDateTime(), nullable=False),
        sa.Column("sentiment", sa.String(16), nullable=False),
        sa.Column("risk_level", sa.String(16), nullable=False),
        sa.Column("department", sa.String(32), nullable=False),
        sa.Column("author_handle", sa.String(200)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_search_docs"),
    )
    op.create_index("ix_search_docs_hour", "search_docs", ["hour"])
    op.create_index("ix_search_docs_brand_created_at", "search_docs", ["brand", "created_at"])
    op.create_table(
        "search_tokens",
        sa.Column("mention_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("token", sa.String(200), nullable=False),
        sa.Column("hour", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("mention_id", "kind", "token", name="pk_search_tokens"),
    )
    op.create_index("ix_search_tokens_hour", "search_tokens", ["hour"])
    op.create_table(
        "trend_hours",
        sa.Column("hour", UtcDateTime(), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("neutral", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "brand", "source", "lang", name="pk_trend_hours"),
    )
    op.create_table(
        "token_hours",
        sa.Column("hour", UtcDateTime(), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("token", sa.String(200), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "brand", "source", "lang", "kind", "token", name="pk_token_hours"),
    )


def downgrade() -> None:
    op.drop_table("token_hours")
    op.drop_table("trend_hours")
    op.drop_table("search_tokens")
    op.drop_table("search_docs")
