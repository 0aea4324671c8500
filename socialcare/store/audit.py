"""The audit log's one writer: who did what, when, and what changed or why it was refused.

The table is append-only in the database itself (migration 0005); every part of the app that records an
act (reply transitions, PR-board acknowledgements and assignments) appends through :func:`append_audit`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert

from socialcare.models import utcnow
from socialcare.store.schema import audit_log


def append_audit(
    connection: Connection,
    actor: str,
    action: str,
    detail: dict[str, Any],
    *,
    reply_id: str | None = None,
    outcome: str = "done",
) -> None:
    connection.execute(
        insert(audit_log).values(
            at=utcnow(), actor=actor, action=action, reply_id=reply_id, outcome=outcome, detail=detail
        )
    )
