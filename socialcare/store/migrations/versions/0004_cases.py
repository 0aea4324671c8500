"""Cases and the mentions filed in them, with each mention's triage decision; sent notifications; stage
state and spike alerts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialcare.store.schema import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("brand", sa.String(200)),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("author_key", sa.String(260), nullable=False),
        sa.Column("author_handle", sa.String(200)),
        sa.Column("department", sa.String(32), nullable=False),
        sa.Column("cc", sa.JSON(), nullable=False),
        sa.Column("priority", sa.String(2), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("closed_at", UtcDateTime()),
        sa.Column("first_response_due", UtcDateTime()),
        sa.Column("resolution_due", UtcDateTime()),
        sa.Column("language", sa.String(16)),
        sa.Column("assignee", sa.String(200)),
        sa.Column("assigned_at", UtcDateTime()),
        sa.Column("accepted_at", UtcDateTime()),
        sa.Column("mention_count", sa.Integer(), nullable=False),
        sa.Column("first_responded_at", UtcDateTime()),
        sa.Column("first_response_sla", sa.String(16), nullable=False),
        sa.Column("resolution_sla", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_author_key_updated_at", "cases", ["author_key", "updated_at"])
    op.create_index("ix_cases_author_handle", "cases", ["author_handle"])
    op.create_index("ix_cases_status_priority", "cases", ["status", "priority"])
    op.create_table(
        "case_mentions",
        sa.Column("mention_id", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(200), nullable=False),
        sa.Column("conversation_key", sa.String(260)),
        sa.Column("author_key", sa.String(260), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("mention_id", name="pk_case_mentions"),
    )
    op.create_index("ix_case_mentions_conversation_key", "case_mentions", ["conversation_key"])
    op.create_index("ix_case_mentions_case_id", "case_mentions", ["case_id"])
    op.create_table(
        "notifications",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("first_sent_at", UtcDateTime(), nullable=False),
        sa.Column("last_sent_at", UtcDateTime(), nullable=False),
        sa.Column("suppressed", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(300), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_notifications"),
    )
    op.create_table(
        "stage_state",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_stage_state"),
    )
    op.create_table(
        "spike_alerts",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("series", sa.String(16), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("window_min", sa.Integer(), nullable=False),
        sa.Column("observed", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("z", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", "series", "at", name="pk_spike_alerts"),
    )


def downgrade() -> None:
    op.drop_table("spike_alerts")
    op.drop_table("stage_state")
    op.drop_table("notifications")
    op.drop_table("case_mentions")
    op.drop_table("cases")
