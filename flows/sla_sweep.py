"""The ``sla_sweep`` flow: every minute, alert on cases near or past their SLA targets.

Serve it with ``socialcare sla sweep --serve`` (a Prefect deployment on a one-minute cron), or run it
once with ``socialcare sla sweep``. Each alert is raised once per case and clock (see
:mod:`triage.sla`); the flow sends it to Slack and e-mail when they are configured (:mod:`triage.notify`),
logs one line each, and returns the alerts.
"""

from __future__ import annotations

from datetime import datetime

from prefect import flow, get_run_logger

from socialcare.models import utcnow
from socialcare.runtime import open_engine
from socialcare.settings import Settings
from triage.agents import load_agents
from triage.cases import CaseStore
from triage.engine import CompiledPolicy
from triage.notify import Alert, notifier_from_settings
from triage.sla import SlaAlert, sweep

EVERY_MINUTE = "* * * * *"


@flow(name="sla_sweep", retries=1, retry_delay_seconds=10)
def sla_sweep(now: datetime | None = None) -> list[SlaAlert]:
    """Sweep the open cases of the configured database with the configured routing policy."""
    settings = Settings()
    engine = open_engine(settings)
    try:
        if settings.agents_file:  # offers not accepted in time go to someone else; the queue is handed out
            CaseStore(engine).assign_waiting(load_agents(settings.agents_file), now or utcnow())
        alerts = sweep(engine, CompiledPolicy.load(settings.triage_policy), now or utcnow())
        notifier = notifier_from_settings(engine, settings)
        if notifier is not None:
            for alert in alerts:
                notifier.notify(
                    Alert(f"sla:{alert.case_id}:{alert.clock}:{alert.state}", alert.summary, alert.summary),
                    now,
                )
    finally:
        engine.dispose()
    logger = get_run_logger()
    for alert in alerts:
        logger.warning(
            "sla_alert case=%s clock=%s state=%s | %s", alert.case_id, alert.clock, alert.state, alert.summary
        )
    logger.info("sla_sweep alerts=%d", len(alerts))
    return alerts
