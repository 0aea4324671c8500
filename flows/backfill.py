"""The ``backfill`` flow: search a time window for every brand query and publish what was missed.

Recent search reaches back seven days, so a backfill after an outage (or for a newly added query) fills
the gap the live collectors left. Each query is one task with retries; a window keeps its own checkpoint,
so a retried or re-run backfill resumes instead of starting over, and ids are stable, so anything
published twice is absorbed by the idempotent consumers.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from prefect import flow, get_run_logger, task

from collectors.brands import load_brands
from collectors.listening import ListeningRule, compile_brands
from collectors.runner import run_source
from socialcare.models import utcnow
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.store.checkpoints import CheckpointStore

RECENT_SEARCH_REACH = timedelta(days=7)
REACH_MARGIN = timedelta(minutes=5)
"""X's recent search covers the last seven days; a window is clamped a little inside that."""

TASK_RETRIES = 3
TASK_RETRY_DELAYS_S: list[float] = [30.0, 120.0, 600.0]


def x_rules(brands_file: str | Path) -> list[ListeningRule]:
    return [rule for brand in compile_brands(load_brands(brands_file)) for rule in brand.rules_for("x")]


def clamp_window(start: datetime, end: datetime, now: datetime) -> tuple[datetime, datetime]:
    """The part of ``[start, end)`` that recent search can still reach (an empty window raises)."""
    earliest = now - RECENT_SEARCH_REACH + REACH_MARGIN
    start, end = max(start, earliest), min(end, now - timedelta(seconds=10))
    if start >= end:
        raise ValueError(f"the window ends before {earliest:%Y-%m-%d %H:%M} UTC, beyond recent search's 7 days")
    return start, end


@task(retries=TASK_RETRIES, retry_delay_seconds=TASK_RETRY_DELAYS_S, task_run_name="backfill-{rule_name}")
def backfill_rule(brands_file: str, rule_name: str, start: datetime, end: datetime, max_pages: int = 10) -> int:
    """Publish the posts of one query in ``[start, end)``; returns how many were published."""
    from collectors.x import XRecentSearchSource, make_client

    rule = next(r for r in x_rules(brands_file) if r.name == rule_name)
    settings = Settings()
    source = XRecentSearchSource(
        make_client(settings),
        rule.compiled.x_query,
        brand=rule.brand,
        rule_name=rule.name,
        start_time=start,
        end_time=end,
        max_pages=max_pages,
    )
    with Runtime.open(settings) as runtime, runtime.transport.producer() as producer:
        report = run_source(source, producer, CheckpointStore(runtime.engine))
    logging.getLogger(__name__).info("backfill rule=%s %s", rule.name, report.as_line())
    return report.published


@flow(name="backfill", log_prints=False)
def backfill(brands_file: str, hours: float = 24.0, end: datetime | None = None, max_pages: int = 10) -> dict[str, int]:
    """Search the last ``hours`` (up to ``end``, default now) for every X query of the brand file."""
    now = utcnow()
    start, stop = clamp_window((end or now) - timedelta(hours=hours), end or now, now)
    futures = {
        rule.name: backfill_rule.submit(brands_file, rule.name, start, stop, max_pages) for rule in x_rules(brands_file)
    }
    published = {name: future.result() for name, future in futures.items()}
    get_run_logger().info(
        "backfill window=%s/%s published=%d rules=%d",
        start.isoformat(),
        stop.isoformat(),
        sum(published.values()),
        len(published),
    )
    return published
