"""PR board: who acknowledged a high-risk case or a spike, and when.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from socialcare.store.schema import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("cases", "spike_alerts"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("acknowledged_by", sa.String(200)))
            batch.add_column(sa.Column("acknowledged_at", UtcDateTime()))


def downgrade() -> None:
    for table in ("cases", "spike_alerts"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("acknowledged_at")
            batch.drop_column("acknowledged_by")
