"""Posting a reply exactly once: the platform's answer, the attempt counter, the outbox mark, dry-run posts.

``attempts`` counts calls made to the platform for a reply; a reply in ``posting`` with ``attempts > 0``
may already be on the platform, so the responder reconciles before it calls again. ``published_at`` is
the outbox mark: when the ``replies.approved`` event of the current approval went out.
``dry_run_posts`` is what the dry-run poster "posted", one row per idempotency key.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialcare.store.schema import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("replies") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("posting_started_at", UtcDateTime()))
        batch.add_column(sa.Column("published_at", UtcDateTime()))
        batch.add_column(sa.Column("platform_post_id", sa.String(200)))
        batch.add_column(sa.Column("platform_url", sa.Text()))
        batch.add_column(sa.Column("posted_at", UtcDateTime()))
    op.create_table(
        "dry_run_posts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("in_reply_to_id", sa.String(200), nullable=False),
        sa.Column("account", sa.String(200)),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("posted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dry_run_posts"),
        sa.UniqueConstraint("idempotency_key", name="uq_dry_run_posts_idempotency_key"),
    )


def downgrade() -> None:
    op.drop_table("dry_run_posts")
    with op.batch_alter_table("replies") as batch:
        for column in ("posted_at", "platform_url", "platform_post_id", "published_at", "posting_started_at", "attempts"):
            batch.drop_column(column)
