"""Notifications: alerts to Slack (incoming webhook) and e-mail (SMTP), retried, rate-limited, deduplicated.

One incident is one alert thread. Every alert carries an incident ``key`` (``spike:Lumora:volume``,
``sla:case:x:1:first_response``, ``p1:case:x:1``); the ``notifications`` table remembers each key, so:

- the first alert of a key is sent at once;
- a repeat within ``SOCIALCARE_ALERT_REPEAT_MINUTES`` is suppressed and counted; after that, one follow-up
  says how many were held back;
- e-mails of one key share a thread: the first has ``Message-ID: <key@socialcare>``, follow-ups answer it
  with ``In-Reply-To`` and ``References`` (incoming webhooks cannot thread in Slack, so there the
  suppression keeps one message per incident and period).

Delivery is retried with exponential backoff on network errors, 5xx and 429 (honouring ``Retry-After``),
then given up with a logged error (an alert must never stop the pipeline). A token bucket keeps Slack
under its limit of about one message per second per webhook.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Protocol

import httpx
from sqlalchemy import Engine, insert, select, update
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential

from socialcare.models import utcnow
from socialcare.store.schema import notifications

log = logging.getLogger(__name__)

ATTEMPTS = 5
BACKOFF_MIN_S = 1.0
BACKOFF_MAX_S = 30.0
SLACK_RATE_PER_S = 1.0
SLACK_BURST = 3
HTTP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Alert:
    key: str
    title: str
    text: str
    severity: str = "warning"


@dataclass(frozen=True)
class Delivery:
    """What to send for one alert: first of its incident or a follow-up, and how many were held back."""

    alert: Alert
    follow_up: bool
    suppressed: int
    thread_id: str


class Channel(Protocol):
    name: str

    def deliver(self, delivery: Delivery) -> None: ...


class DeliveryError(Exception):
    """A channel refused the alert in a way a retry may fix (network, 5xx, 429)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved; :meth:`take` waits for one. Thread-safe."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate, self.burst, self.clock, self.sleep = rate, burst, clock, sleep
        self.tokens = float(burst)
        self.updated = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Take one token; returns how long it waited."""
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            wait = 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate
            if wait:
                self.sleep(wait)
                self.tokens, self.updated = 1.0, self.clock()
            self.tokens -= 1
            return wait


def thread_id(key: str) -> str:
    """A stable e-mail Message-ID for an incident key."""
    return f"<{hashlib.sha1(key.encode()).hexdigest()[:20]}@socialcare>"


class SlackWebhook:
    name = "slack"

    def __init__(self, url: str, client: httpx.Client | None = None, bucket: TokenBucket | None = None) -> None:
        self.url = url
        self.client = client or httpx.Client(timeout=HTTP_TIMEOUT_S)
        self.bucket = bucket or TokenBucket(SLACK_RATE_PER_S, SLACK_BURST)

    def deliver(self, delivery: Delivery) -> None:
        alert = delivery.alert
        prefix = "Update: " if delivery.follow_up else ""
        held = f"\n_{delivery.suppressed} more alerts of this incident were held back._" if delivery.suppressed else ""
        body = {"text": f"{prefix}*{alert.title}*\n{alert.text}{held}"}
        self.bucket.take()
        try:
            response = self.client.post(self.url, json=body)
        except httpx.TransportError as exc:
            raise DeliveryError(f"slack: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            retry_after = response.headers.get("Retry-After")
            raise DeliveryError(f"slack: HTTP {response.status_code}", float(retry_after) if retry_after else None)
        if response.status_code >= 400:  # a wrong URL or a revoked hook: retrying will not help
            log.error("slack_rejected status=%s body=%s", response.status_code, response.text[:200])


class SmtpMailer:
    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        recipients: Sequence[str],
        *,
        starttls: bool = True,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.host, self.port, self.sender, self.recipients = host, port, sender, list(recipients)
        self.starttls, self.username, self.password = starttls, username, password

    def message(self, delivery: Delivery) -> EmailMessage:
        alert = delivery.alert
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message["Subject"] = f"{'Re: ' if delivery.follow_up else ''}[socialcare] {alert.title}"
        if delivery.follow_up:
            message["In-Reply-To"] = delivery.thread_id
            message["References"] = delivery.thread_id
        else:
            message["Message-ID"] = delivery.thread_id
        held = f"\n\n{delivery.suppressed} more alerts of this incident were held back." if delivery.suppressed else ""
        message.set_content(f"{alert.text}{held}\n\nincident: {alert.key}\n")
        return message

    @classmethod
    def from_settings(cls, settings: object, recipients: Sequence[str]) -> SmtpMailer:
        """The SMTP server of ``SOCIALCARE_SMTP_*`` sending to ``recipients``."""
        password = getattr(settings, "smtp_password", None)
        return cls(
            getattr(settings, "smtp_host", None) or "localhost",
            getattr(settings, "smtp_port", 587),
            getattr(settings, "alert_email_from", "socialcare@localhost"),
            recipients,
            starttls=getattr(settings, "smtp_starttls", True),
            username=getattr(settings, "smtp_username", None),
            password=password.get_secret_value() if password is not None else None,
        )

    def send(self, message: EmailMessage) -> None:
        """One SMTP session for ``message``; smtplib's and the network's errors are the caller's."""
        with smtplib.SMTP(self.host, self.port, timeout=HTTP_TIMEOUT_S) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(message)

    def deliver(self, delivery: Delivery) -> None:
        try:
            self.send(self.message(delivery))
        except (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as exc:
            raise DeliveryError(f"email: {exc.__class__.__name__}: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:  # permanent: a bad address or a refused sender
                log.error("email_rejected code=%s", exc.smtp_code)
                return
            raise DeliveryError(f"email: SMTP {exc.smtp_code}") from exc


def _wait(retry_state: RetryCallState) -> float:
    error = retry_state.outcome.exception() if retry_state.outcome else None
    backoff = wait_exponential(multiplier=BACKOFF_MIN_S, max=BACKOFF_MAX_S)(retry_state)
    if isinstance(error, DeliveryError) and error.retry_after is not None:
        return max(backoff, min(error.retry_after, BACKOFF_MAX_S))
    return backoff


class Notifier:
    """Decides whether an alert goes out (dedup by incident key, in SQL) and delivers it to every channel."""

    def __init__(
        self,
        engine: Engine,
        channels: Sequence[Channel],
        repeat_after: timedelta = timedelta(hours=1),
        *,
        attempts: int = ATTEMPTS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.engine, self.channels, self.repeat_after = engine, list(channels), repeat_after
        self.attempts, self.sleep = attempts, sleep

    def notify(self, alert: Alert, now: datetime | None = None) -> Delivery | None:
        """Send ``alert`` unless its incident alerted recently; returns what was sent, or None."""
        delivery = self._claim(alert, now or utcnow())
        if delivery is None:
            return None
        for channel in self.channels:
            self._send(channel, delivery)
        return delivery

    def _claim(self, alert: Alert, now: datetime) -> Delivery | None:
        with self.engine.begin() as connection:
            row = connection.execute(select(notifications).where(notifications.c.key == alert.key)).mappings().first()
            if row is None:
                connection.execute(
                    insert(notifications).values(
                        key=alert.key,
                        first_sent_at=now,
                        last_sent_at=now,
                        suppressed=0,
                        message_id=thread_id(alert.key),
                    )
                )
                return Delivery(alert, follow_up=False, suppressed=0, thread_id=thread_id(alert.key))
            if now - row["last_sent_at"] < self.repeat_after:
                connection.execute(
                    update(notifications)
                    .where(notifications.c.key == alert.key)
                    .values(suppressed=row["suppressed"] + 1)
                )
                return None
            connection.execute(
                update(notifications).where(notifications.c.key == alert.key).values(last_sent_at=now, suppressed=0)
            )
            return Delivery(alert, follow_up=True, suppressed=row["suppressed"], thread_id=row["message_id"])

    def _send(self, channel: Channel, delivery: Delivery) -> None:
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=_wait,
            retry=retry_if_exception(lambda e: isinstance(e, DeliveryError)),
            sleep=self.sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    channel.deliver(delivery)
        except DeliveryError as exc:
            log.error(
                "alert_undelivered channel=%s key=%s attempts=%d error=%s: check the %s settings and the service",
                channel.name,
                delivery.alert.key,
                self.attempts,
                exc,
                channel.name,
            )


def channels_from_settings(settings: object) -> list[Channel]:
    """Slack when ``SOCIALCARE_SLACK_WEBHOOK_URL`` is set; e-mail when ``SOCIALCARE_SMTP_HOST`` and recipients are."""
    found: list[Channel] = []
    webhook = getattr(settings, "slack_webhook_url", None)
    if webhook is not None:
        found.append(SlackWebhook(webhook.get_secret_value()))
    host, recipients = getattr(settings, "smtp_host", None), getattr(settings, "alert_email_to", [])
    if host and recipients:
        found.append(SmtpMailer.from_settings(settings, recipients))
    return found


def notifier_from_settings(engine: Engine, settings: object) -> Notifier | None:
    """A notifier over the configured channels, or None when no channel is configured."""
    channels = channels_from_settings(settings)
    if not channels:
        return None
    return Notifier(engine, channels, timedelta(minutes=getattr(settings, "alert_repeat_minutes", 60)))
