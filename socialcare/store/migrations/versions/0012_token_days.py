"""Daily token rollups beside the hourly ones, and covering indexes for the trend queries.

"Top terms" over a month reads the daily rollup for whole days and the hourly one only for the partial
days at the edges; the indexes lead with (kind, brand) or (kind) and the time, and carry token and count,
so the database answers from the index alone.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialcare.store.schema import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "token_days",
        sa.Column("day", UtcDateTime(), nullable=False),
        sa.Column("brand", sa.String(200), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("token", sa.String(200), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "brand", "source", "lang", "kind", "token", name="pk_token_days"),
    )
    for table, time in (("token_days", "day"), ("token_hours", "hour")):
        op.create_index(f"ix_{table}_kind_brand_{time}", table, ["kind", "brand", time, "token", "mentions"])
        op.create_index(f"ix_{table}_kind_{time}", table, ["kind", time, "token", "mentions"])


def downgrade() -> None:
    op.drop_index("ix_token_hours_kind_hour", "token_hours")
    op.drop_index("ix_token_hours_kind_brand_hour", "token_hours")
    op.drop_table("token_days")
