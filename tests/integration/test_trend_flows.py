"""The dashboards' Prefect flows under ``prefect_test_harness``: rollups rebuilt from the documents, and
the daily digest written as HTML with its charts and mailed through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from dashboards.search.docs import IndexDoc
from dashboards.search.port import TrendFilter
from dashboards.search.sql_index import SqlSearchIndex
from socialcare.models import utcnow
from socialcare.runtime import open_engine
from socialcare.settings import Settings
from socialcare.store.schema import trend_hours
from tests.smtp import Mailbox, smtp_server

DAY = date(2026, 11, 30)


def doc(n: int, when: datetime, brand: str = "Lumora", sentiment: str = "negative") -> IndexDoc:
    return IndexDoc(
        id=f"x:{n}", brand=brand, source="x", lang="en", created_at=when, sentiment=sentiment, risk_level="low",
        department="customer_service", author_handle=None, text="t", hashtags=("#heater",), terms=("heater", "broke"),
    )  # fmt: skip


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.mark.slow
def test_the_rollups_flow_repairs_the_last_hours(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.trends import trend_rollups

    monkeypatch.setenv("SOCIALCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'trends.db'}")
    engine = open_engine(Settings())
    index = SqlSearchIndex(engine)
    now = utcnow()
    index.index([doc(1, now), doc(2, now - timedelta(hours=2))])  # two different hours, both in the last 3
    with engine.begin() as connection:
        connection.execute(delete(trend_hours))  # rollups lost, say by a bulk load around the indexer
    window = TrendFilter(now - timedelta(hours=3), now + timedelta(hours=1))
    assert index.volume(window, "hour") == []
    assert trend_rollups(hours=3) == 2
    assert sum(point.mentions for point in index.volume(window, "hour")) == 2
    engine.dispose()


@pytest.mark.slow
def test_the_daily_digest_is_written_with_charts_and_mailed(
    prefect_harness: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mailbox: tuple[Mailbox, int]
) -> None:
    from flows.trends import daily_digest

    box, port = mailbox
    for name, value in {
        "SOCIALCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'trends.db'}",
        "SOCIALCARE_DIGEST_DIR": str(tmp_path / "digests"),
        "SOCIALCARE_DIGEST_EMAIL_TO": "marketing@lumora.test",
        "SOCIALCARE_SMTP_HOST": "127.0.0.1",
        "SOCIALCARE_SMTP_PORT": str(port),
        "SOCIALCARE_SMTP_STARTTLS": "false",
    }.items():
        monkeypatch.setenv(name, value)
    engine = open_engine(Settings())
    midnight = datetime(2026, 11, 30, tzinfo=UTC)
    week = [doc(100 + n, midnight - timedelta(days=1 + n % 7, hours=-10)) for n in range(14)]  # 2 a day before
    today = [doc(n, midnight + timedelta(hours=9, minutes=n)) for n in range(6)]
    SqlSearchIndex(engine).index(
        [*week, *today, doc(50, midnight + timedelta(hours=12), brand="Brightnest", sentiment="positive")]
    )
    engine.dispose()

    path = daily_digest(DAY)
    assert path == tmp_path / "digests" / "digest-2026-11-30.html"
    html = path.read_text()
    assert "Daily digest · Monday 30 November 2026" in html
    assert html.count("<svg") == 4 and "<rect" in html  # volume and sentiment charts for two brands
    assert "+200 %" in html  # 6 mentions against a daily average of 2
    assert "#heater" in html and "Brightnest" in html
    [message] = box.messages
    assert message["Subject"] == "[socialcare] Daily digest 2026-11-30" and message["To"] == "marketing@lumora.test"
    body, attachment = message.get_payload()
    assert "Lumora: 6 mentions (+200 % vs the week), 6 negative" in body.get_payload()
    assert attachment.get_filename() == "digest-2026-11-30.html"
