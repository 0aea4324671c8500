"""The PR board: high-risk cases and spikes as they happen, with acknowledge and assign.

A case is on the board when it is open and PR must see it: priority P1, routed to PR, or PR copied.
Spikes are the detector's alerts of the last :data:`SPIKE_DAYS` days. Acknowledging records who took
note and when (once: the first person keeps it); every acknowledgement and assignment is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, String, and_, cast, or_, select, update

from dashboards.queries import InboxRow, open_cases
from socialcare.errors import NotAllowedError
from socialcare.models import utcnow
from socialcare.store.audit import append_audit
from socialcare.store.schema import cases, spike_alerts, users

SPIKE_DAYS = 7
BOARD_LIMIT = 500


@dataclass(frozen=True)
class BoardCase:
    row: InboxRow
    cc: tuple[str, ...]
    opened_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None


def board_cases(engine: Engine) -> list[BoardCase]:
    pr_copied = cast(cases.c.cc, String).like('%"pr"%')  # cc is a JSON list of departments
    on_board = or_(cases.c.priority == "P1", cases.c.department == "pr", pr_copied)
    board = [
        BoardCase(
            row, tuple(stored["cc"] or ()), stored["opened_at"], stored["acknowledged_by"], stored["acknowledged_at"]
        )
        for stored, row in open_cases(engine, on_board, limit=BOARD_LIMIT)
        if row.priority == "P1" or row.department == "pr" or "pr" in (stored["cc"] or ())  # exact, past the LIKE
    ]
    return sorted(
        board, key=lambda item: (item.acknowledged_at is not None, item.row.priority, -item.opened_at.timestamp())
    )


def recent_spikes(engine: Engine, now: datetime | None = None) -> list[dict[str, Any]]:
    since = (now or utcnow()) - timedelta(days=SPIKE_DAYS)
    with engine.connect() as connection:
        rows = connection.execute(
            select(spike_alerts).where(spike_alerts.c.at >= since).order_by(spike_alerts.c.at.desc()).limit(BOARD_LIMIT)
        ).mappings()
        return [dict(row) for row in rows]


def acknowledge_case(engine: Engine, case_id: str, user: str) -> None:
    now = utcnow()
    with engine.begin() as connection:
        changed = connection.execute(
            update(cases)
            .where(cases.c.id == case_id, cases.c.acknowledged_at.is_(None))
            .values(acknowledged_by=user, acknowledged_at=now)
        ).rowcount
        append_audit(connection, user, "acknowledge_case", {"case": case_id, "first": bool(changed)})


def acknowledge_spike(engine: Engine, key: str, series: str, at: datetime, user: str) -> None:
    with engine.begin() as connection:
        changed = connection.execute(
            update(spike_alerts)
            .where(
                and_(spike_alerts.c.key == key, spike_alerts.c.series == series, spike_alerts.c.at == at),
                spike_alerts.c.acknowledged_at.is_(None),
            )
            .values(acknowledged_by=user, acknowledged_at=utcnow())
        ).rowcount
        append_audit(connection, user, "acknowledge_spike", {"spike": key, "series": series, "first": bool(changed)})


def assign_case(engine: Engine, case_id: str, assignee: str, by: str, by_role: str) -> None:
    """An approver or admin assigns anyone; an agent may take a case for themselves only."""
    if by_role not in {"approver", "admin"} and assignee != by:
        raise NotAllowedError(f"{by} is an agent: an agent can take a case, an approver assigns it to others")
    with engine.begin() as connection:
        if connection.execute(select(users.c.id).where(users.c.id == assignee)).first() is None:
            raise NotAllowedError(f"{assignee} is not a socialcare user")
        changed = connection.execute(
            update(cases)
            .where(cases.c.id == case_id, or_(cases.c.assignee.is_(None), cases.c.assignee != assignee))
            .values(assignee=assignee, assigned_at=utcnow(), accepted_at=utcnow())
        ).rowcount
        append_audit(connection, by, "assign_case", {"case": case_id, "assignee": assignee, "changed": bool(changed)})
