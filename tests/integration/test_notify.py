"""Alerts delivered for real: a Slack-style webhook on a local HTTP server and e-mail through aiosmtpd.

Both endpoints fail first and recover; the notifier retries, deduplicates by incident, and threads e-mail.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.smtp import Mailbox, smtp_server
from triage.notify import (
    ATTEMPTS,
    Alert,
    Notifier,
    SlackWebhook,
    SmtpMailer,
    TokenBucket,
    channels_from_settings,
)

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SPIKE = Alert("spike:Lumora:volume", "Volume spike for Lumora", "41 mentions in 10 min against 6.2 expected")


class Webhook:
    """A local HTTP endpoint that answers the first ``failures`` posts with the given statuses, then 200."""

    def __init__(self, failures: list[int]) -> None:
        self.failures = list(failures)
        self.bodies: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.bodies.append(body)
                status = owner.failures.pop(0) if owner.failures else 200
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", "0")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"busy")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook(request: pytest.FixtureRequest) -> Iterator[Webhook]:
    hook = Webhook(getattr(request, "param", []))
    yield hook
    hook.close()


def no_wait(_: float) -> None:
    pass


def slack(hook: Webhook) -> SlackWebhook:
    return SlackWebhook(hook.url, bucket=TokenBucket(1000, 1000))


@pytest.mark.parametrize("webhook", [[503, 429, 500]], indirect=True)
def test_a_failing_webhook_is_retried_until_it_recovers(engine: Engine, webhook: Webhook) -> None:
    sent = Notifier(engine, [slack(webhook)], sleep=no_wait).notify(SPIKE, NOW)
    assert sent is not None and not sent.follow_up
    assert len(webhook.bodies) == 4  # three failures, then delivered
    assert "*Volume spike for Lumora*" in webhook.bodies[-1]["text"]


@pytest.mark.parametrize("webhook", [[503] * 20], indirect=True)
def test_an_endpoint_that_never_recovers_is_given_up_with_a_clear_log(
    engine: Engine, webhook: Webhook, caplog: pytest.LogCaptureFixture
) -> None:
    Notifier(engine, [slack(webhook)], sleep=no_wait).notify(SPIKE, NOW)  # does not raise
    assert len(webhook.bodies) == ATTEMPTS
    assert "alert_undelivered channel=slack" in caplog.text and "check the slack settings" in caplog.text


def test_one_incident_is_one_alert_until_the_repeat_period(engine: Engine, webhook: Webhook) -> None:
    notifier = Notifier(engine, [slack(webhook)], repeat_after=timedelta(hours=1), sleep=no_wait)
    assert notifier.notify(SPIKE, NOW) is not None
    for minute in range(1, 6):
        assert notifier.notify(SPIKE, NOW + timedelta(minutes=minute)) is None
    assert notifier.notify(Alert("spike:Brightnest:volume", "Other brand", "..."), NOW) is not None
    follow_up = notifier.notify(SPIKE, NOW + timedelta(minutes=61))
    assert follow_up is not None and follow_up.follow_up and follow_up.suppressed == 5
    assert len(webhook.bodies) == 3
    assert webhook.bodies[-1]["text"].startswith("Update: ") and "5 more alerts" in webhook.bodies[-1]["text"]


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server(busy=2) as server:
        yield server


def test_email_is_retried_and_one_incident_is_one_thread(engine: Engine, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    mailer = SmtpMailer("127.0.0.1", port, "alerts@lumora.test", ["pr@lumora.test"], starttls=False)
    notifier = Notifier(engine, [mailer], repeat_after=timedelta(minutes=30), sleep=no_wait)
    notifier.notify(SPIKE, NOW)  # refused twice with 451, delivered on the third attempt
    notifier.notify(SPIKE, NOW + timedelta(minutes=5))  # held back
    notifier.notify(SPIKE, NOW + timedelta(minutes=31))  # follow-up in the same thread
    assert len(box.messages) == 2
    first, second = box.messages
    assert first["Subject"] == "[socialcare] Volume spike for Lumora" and first["To"] == "pr@lumora.test"
    assert second["Subject"] == "Re: [socialcare] Volume spike for Lumora"
    assert second["In-Reply-To"] == first["Message-ID"] == second["References"]
    assert "1 more alerts of this incident were held back" in second.get_payload()


def test_token_bucket_spaces_a_burst() -> None:
    clock = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock[0] += seconds

    bucket = TokenBucket(rate=1.0, burst=2, clock=lambda: clock[0], sleep=sleep)
    assert [bucket.take() for _ in range(4)] == [0.0, 0.0, 1.0, 1.0]
    assert waits == [1.0, 1.0]


def test_channels_come_from_the_settings() -> None:
    from socialcare.settings import Settings

    assert channels_from_settings(Settings()) == []
    both = Settings.model_validate(
        {"slack_webhook_url": "https://hooks.slack.test/T/B/x", "smtp_host": "mail", "alert_email_to": "a@x, b@x"}
    )
    assert [c.name for c in channels_from_settings(both)] == ["slack", "email"]


def test_a_p1_decision_alerts_at_once_and_only_once_per_case(engine: Engine, webhook: Webhook) -> None:
    from tests.integration.test_triage_cases import POLICY, post
    from triage.cases import CaseStore
    from triage.stage import TriageStage

    stage = TriageStage(POLICY, CaseStore(engine), Notifier(engine, [slack(webhook)], sleep=no_wait))
    fire = post(1, "a", 0, text="my thermostat caught fire", risk="high", risk_score=0.97)
    follow_up = post(2, "a", 3, conversation=fire.source_id, risk="high", risk_score=0.95)
    calm = post(3, "b", 0)
    stage.process([fire, calm])
    stage.process([fire, follow_up])  # a redelivery and a second P1 post in the same case
    assert len(webhook.bodies) == 1
    assert webhook.bodies[0]["text"].startswith("*P1 customer_service case for Lumora*")
    assert "my thermostat caught fire" in webhook.bodies[0]["text"]
