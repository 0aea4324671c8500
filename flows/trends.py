"""Prefect flows for the dashboards: ``trend_rollups`` every hour and ``daily_digest`` every morning.

``trend_rollups`` recomputes the hourly rollups of the SQL search index over the last hours from the
documents (indexing keeps them current; this repairs anything written around it, such as a bulk load).
``daily_digest`` writes yesterday's marketing digest (HTML with charts) to ``SOCIALCARE_DIGEST_DIR`` and
mails it to ``SOCIALCARE_DIGEST_EMAIL_TO`` when set. Serve them with ``socialcare trends rollups --serve``
and ``socialcare trends digest --serve``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from prefect import flow, get_run_logger

from dashboards.digest import build_digest, digest_folder, digest_message, mail_digest, render_digest, write_digest
from dashboards.search.factory import search_index_from_settings
from dashboards.search.sql_index import SqlSearchIndex
from socialcare.models import utcnow
from socialcare.runtime import open_engine
from socialcare.settings import Settings

HOURLY = "5 * * * *"
DAILY = "0 6 * * *"


@flow(name="trend_rollups", retries=1, retry_delay_seconds=30)
def trend_rollups(hours: int = 3) -> int:
    """Rebuild the rollups of the last ``hours`` hours (the current one included); returns the hours rebuilt."""
    settings = Settings()
    engine = open_engine(settings)
    try:
        end = utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        rebuilt = SqlSearchIndex(engine).rebuild_rollups(end - timedelta(hours=hours), end)
    finally:
        engine.dispose()
    get_run_logger().info("trend_rollups hours=%d rebuilt=%d", hours, rebuilt)
    return rebuilt


@flow(name="daily_digest", retries=1, retry_delay_seconds=60)
def daily_digest(day: date | None = None) -> Path:
    """Write (and mail, when recipients are set) the digest of ``day``, by default yesterday (UTC)."""
    settings = Settings()
    engine = open_engine(settings)
    logger = get_run_logger()
    try:
        the_day = day or (utcnow() - timedelta(days=1)).date()
        digest = build_digest(search_index_from_settings(settings, engine), engine, the_day)
        html = render_digest(digest)
        path = write_digest(html, digest_folder(settings), the_day)
        if settings.digest_email_to:
            mail_digest(settings, digest_message(digest, html, settings.alert_email_from, settings.digest_email_to))
            logger.info("daily_digest mailed_to=%d", len(settings.digest_email_to))
    finally:
        engine.dispose()
    logger.info("daily_digest day=%s brands=%d path=%s", the_day, len(digest.brands), path)
    return path
