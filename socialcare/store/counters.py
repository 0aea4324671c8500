"""Usage counters kept across restarts, e.g. X posts read this month against the plan's cap."""

from __future__ import annotations

from sqlalchemy import Engine, select

from socialcare.models import utcnow
from socialcare.store.db import upsert
from socialcare.store.schema import usage_counters


class UsageCounterStore:
    """One named counter per period; satisfies the X collector's ``BudgetStore`` (load/save by month)."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name

    def load(self, month: str) -> int:
        with self.engine.connect() as connection:
            value = connection.execute(
                select(usage_counters.c.count).where(
                    usage_counters.c.name == self.name, usage_counters.c.period == month
                )
            ).scalar_one_or_none()
        return int(value or 0)

    def save(self, month: str, count: int) -> None:
        with self.engine.begin() as connection:
            upsert(
                connection,
                usage_counters,
                [{"name": self.name, "period": month, "count": count, "updated_at": utcnow()}],
                key=["name", "period"],
            )
