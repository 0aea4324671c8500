"""SLA clocks: which open cases are near or past their first-response and resolution targets.

A clock is *near* when no more than :data:`NEAR_SHARE` of its target is left (in the department's open
hours), and *breached* once its due time has passed. Each case remembers the last state it was alerted
for, so a sweep every minute raises one alert per case and clock when it turns near and one when it
breaches, never the same alert twice. The first-response clock stops when the brand answers
(``first_responded_at``, set by the responders); the resolution clock when the case closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, select, update

from socialcare.store.schema import cases
from triage.calendars import ALWAYS, BusinessCalendar
from triage.engine import CompiledPolicy

NEAR_SHARE = 0.2
SlaState = Literal["ok", "near", "breached"]
_ORDER = {"ok": 0, "near": 1, "breached": 2}


def clock_state(now: datetime, due: datetime, target: timedelta, calendar: BusinessCalendar) -> SlaState:
    """ok, near (at most NEAR_SHARE of the target left, counted in open hours) or breached."""
    if now >= due:
        return "breached"
    left = calendar.open_time(now, due)
    return "near" if left <= target * NEAR_SHARE else "ok"


@dataclass(frozen=True)
class SlaAlert:
    case_id: str
    clock: Literal["first_response", "resolution"]
    state: SlaState
    due: datetime
    priority: str
    department: str
    assignee: str | None

    @property
    def summary(self) -> str:
        verb = "breached" if self.state == "breached" else "is close to breaching"
        owner = f" (assigned to {self.assignee})" if self.assignee else " (unassigned)"
        return (
            f"{self.priority} {self.department} case {self.case_id}{owner} {verb} its "
            f"{self.clock.replace('_', ' ')} target, due {self.due:%Y-%m-%d %H:%M %Z}"
        )


def sweep(engine: Engine, policy: CompiledPolicy, now: datetime) -> list[SlaAlert]:
    """Alerts for every open case whose clock got worse since the last sweep; records the new states."""
    alerts: list[SlaAlert] = []
    with engine.begin() as connection:
        rows = connection.execute(select(cases).where(cases.c.status == "open")).mappings().all()
        for row in rows:
            targets = policy.policy.sla[row["priority"]]
            calendar = policy.calendars.get(row["department"], ALWAYS)
            changes: dict[str, str] = {}
            clocks = (
                ("first_response", row["first_response_due"], targets.first_response, row["first_responded_at"]),
                ("resolution", row["resolution_due"], targets.resolution, None),
            )
            for clock, due, target, stopped in clocks:
                if due is None or target is None or stopped is not None:
                    continue
                state = clock_state(now, due, target, calendar)
                if _ORDER[state] > _ORDER[row[f"{clock}_sla"]]:
                    changes[f"{clock}_sla"] = state
                    alerts.append(
                        SlaAlert(row["id"], clock, state, due, row["priority"], row["department"], row["assignee"])  # type: ignore[arg-type]
                    )
            if changes:
                connection.execute(update(cases).where(cases.c.id == row["id"]).values(**changes))
    return alerts
