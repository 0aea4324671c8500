"""Every limit, retry and reconnect policy of the X collector, as named constants in one place.

Three mechanisms live here:

- **REST retries** (search, mentions, user lookup, stream rules): a 5xx answer or a network failure is
  retried with exponential backoff (``SERVER_ERROR_*``); a 429 is never waited out here but raised at once
  as :class:`~socialcare.errors.RateLimitError` with ``retry_after`` taken from ``x-rate-limit-reset``,
  so the caller decides how to wait.
- **Stream reconnects** (:class:`ReconnectBackoff`), the policy of tweepy's ``streaming.py`` and X's
  "handling disconnections" guide: network errors back off linearly, HTTP errors exponentially, a 429
  starts at one minute (or waits for the announced reset), and no reconnect ever happens without a wait.
- **The monthly post budget** (:class:`PostBudget`): X plans cap the posts an app may read per month;
  every post read is counted in a store, with warnings at 80 % and 95 % and a
  :class:`~socialcare.errors.RateLimitError` until the next reset once the cap is reached.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final, Protocol

from socialcare.errors import RateLimitError
from socialcare.models import utcnow

log = logging.getLogger(__name__)

# REST calls ---------------------------------------------------------------------------------------
REST_CONNECT_TIMEOUT: Final = 10.0
REST_READ_TIMEOUT: Final = 30.0
"""Seconds; tweepy's ``Client`` sets no timeout of its own, so :func:`~collectors.x.client.make_client`
installs these."""
SERVER_ERROR_ATTEMPTS: Final = 4
"""Calls in all (the first and three retries) when X answers 5xx or the network fails."""
SERVER_ERROR_WAIT_START: Final = 1.0
SERVER_ERROR_WAIT_MAX: Final = 30.0
"""Exponential backoff between those attempts: 1 s, 2 s, 4 s, ... capped at 30 s."""
RATE_LIMIT_WINDOW: Final = 15 * 60.0
"""X's rate-limit window; the wait announced when a 429 carries no ``x-rate-limit-reset`` header."""
RATE_LIMIT_MIN_WAIT: Final = 1.0
"""Shortest ``retry_after`` ever announced (clock skew can put the reset in the past)."""

# recent search and mentions ----------------------------------------------------------------------
PAGE_SIZE: Final = 100
"""``max_results`` per request: the largest page the search and mentions endpoints return."""
MAX_PAGES_PER_POLL: Final = 10
"""Pages read per poll (1,000 posts); a busier window is cut and the cut is logged as a WARNING."""

# filtered stream ----------------------------------------------------------------------------------
NETWORK_ERROR_WAIT_STEP: Final = 0.25
NETWORK_ERROR_WAIT_MAX: Final = 16.0
"""Network errors and dropped connections: wait 0.25 s, 0.5 s, 0.75 s, ... up to 16 s."""
HTTP_ERROR_WAIT_START: Final = 5.0
HTTP_ERROR_WAIT_MAX: Final = 320.0
"""HTTP errors: wait 5 s, 10 s, 20 s, ... up to 320 s."""
HTTP_429_WAIT_START: Final = 60.0
"""A 429 waits at least one minute, and until ``x-rate-limit-reset`` if that is later."""
RATE_LIMIT_RESET_WAIT_MAX: Final = RATE_LIMIT_WINDOW + 60.0
"""Longest wait taken from a reset header (one window and a margin), in case the header is wrong."""
STREAM_CONNECT_TIMEOUT: Final = 10.0
STREAM_READ_TIMEOUT: Final = 30.0
"""X sends a keep-alive line every 20 s, so 30 s of silence means the connection is dead."""
STREAM_CHUNK_SIZE: Final = 512
STREAM_MAX_LINE_BYTES: Final = 4 * 1024 * 1024
"""A line longer than this is not a post (the longest post with expansions is far below)."""
STREAM_SEEN_IDS: Final = 100_000
"""Post ids the stream remembers to drop repeats across reconnects and backfills."""
STREAM_FATAL_STATUSES: Final = frozenset({400, 401, 403, 404})
"""Answers that reconnecting cannot fix (bad request, token, access level): raised at once."""

# monthly post budget ------------------------------------------------------------------------------
BUDGET_WARN_FRACTIONS: Final = (0.80, 0.95)
"""A WARNING is logged once as the posts read this month cross each of these fractions of the cap."""


class ReconnectBackoff:
    """The waits between stream connection attempts; ``sleep`` and ``clock`` are injectable for tests.

    Each ``*_error`` method computes the next wait, sleeps it and returns it. :meth:`reset` is called once
    a connection has delivered data, so a stream that connects but dies at once keeps backing off.
    """

    def __init__(self, sleep: Callable[[float], object] = time.sleep, clock: Callable[[], float] = time.time) -> None:
        self._sleep = sleep
        self._clock = clock
        self.network_wait = 0.0
        self.http_wait = HTTP_ERROR_WAIT_START

    def reset(self) -> None:
        self.network_wait = 0.0
        self.http_wait = HTTP_ERROR_WAIT_START

    def network_error(self) -> float:
        self.network_wait = min(self.network_wait + NETWORK_ERROR_WAIT_STEP, NETWORK_ERROR_WAIT_MAX)
        return self._wait(self.network_wait)

    def http_error(self, status: int, reset_at: float | None = None) -> float:
        wait = self.http_wait
        if status in (420, 429):
            wait = max(wait, HTTP_429_WAIT_START)
            if reset_at is not None:
                announced = min(reset_at - self._clock(), RATE_LIMIT_RESET_WAIT_MAX)
                wait = max(wait, announced)
            self.http_wait = min(max(self.http_wait, HTTP_429_WAIT_START) * 2, HTTP_ERROR_WAIT_MAX)
        else:
            self.http_wait = min(self.http_wait * 2, HTTP_ERROR_WAIT_MAX)
        return self._wait(wait)

    def _wait(self, seconds: float) -> float:
        self._sleep(seconds)
        return seconds


def retry_after_from_reset(reset_at: float | None, now: float) -> float:
    """Seconds to wait for a rate-limit reset at ``reset_at`` (epoch seconds), never less than a second."""
    if reset_at is None:
        return RATE_LIMIT_WINDOW
    return max(RATE_LIMIT_MIN_WAIT, reset_at - now)


def parse_reset_header(value: str | None) -> float | None:
    """``x-rate-limit-reset`` (epoch seconds) as a number; ``None`` when absent or not a number."""
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


# monthly post budget ------------------------------------------------------------------------------
class BudgetStore(Protocol):
    """Where :class:`PostBudget` keeps the count of posts read per budget month (``"2026-05"``)."""

    def load(self, month: str) -> int:
        """Posts counted so far in ``month``; 0 if none."""
        ...

    def save(self, month: str, count: int) -> None:
        """Replace the count of ``month``."""
        ...


class MemoryBudgetStore:
    """A :class:`BudgetStore` in memory, for tests and one-off runs (the count is lost on exit)."""

    def __init__(self, counts: dict[str, int] | None = None) -> None:
        self.counts: dict[str, int] = dict(counts or {})

    def load(self, month: str) -> int:
        return self.counts.get(month, 0)

    def save(self, month: str, count: int) -> None:
        self.counts[month] = count


class PostBudget:
    """Counts posts read against the plan's monthly cap; thread-safe.

    ``reset_day`` is the day of the month the plan's cap resets (X resets on the billing day); a budget
    month is named after the month it starts in. Call :meth:`check` before a request (it raises
    :class:`RateLimitError` with ``retry_after`` = seconds to the next reset once the cap is reached) and
    :meth:`charge` with the posts each answer held. The count is saved every ``save_every`` posts (1 =
    after every charge); :meth:`flush` saves the rest.
    """

    def __init__(
        self,
        store: BudgetStore,
        monthly_cap: int,
        *,
        reset_day: int = 1,
        save_every: int = 1,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if monthly_cap < 1:
            raise ValueError("monthly_cap must be at least 1")
        if not 1 <= reset_day <= 28:
            raise ValueError("reset_day must be between 1 and 28")
        self.store = store
        self.monthly_cap = monthly_cap
        self.reset_day = reset_day
        self.save_every = max(1, save_every)
        self._clock = clock
        self._lock = threading.Lock()
        self._month: str | None = None
        self._count = 0
        self._unsaved = 0

    def month(self, at: datetime | None = None) -> str:
        """The budget month ``at`` falls in (default: now), e.g. ``"2026-05"``."""
        year, month = self._period_start(at or self._clock())
        return f"{year:04d}-{month:02d}"

    def next_reset(self, at: datetime | None = None) -> datetime:
        """When the budget month containing ``at`` ends."""
        year, month = self._period_start(at or self._clock())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return datetime(year, month, self.reset_day, tzinfo=UTC)

    @property
    def used(self) -> int:
        with self._lock:
            self._roll(self._clock())
            return self._count

    @property
    def remaining(self) -> int:
        return max(0, self.monthly_cap - self.used)

    def check(self) -> None:
        """Raise :class:`RateLimitError` if this month's cap is used up."""
        now = self._clock()
        with self._lock:
            self._roll(now)
            if self._count < self.monthly_cap:
                return
            retry_after = (self.next_reset(now) - now).total_seconds()
            count, month = self._count, self._month
        raise RateLimitError(
            f"X monthly post cap reached: {count} of {self.monthly_cap} posts read in budget month {month}",
            retry_after=max(RATE_LIMIT_MIN_WAIT, retry_after),
        )

    def charge(self, posts: int) -> None:
        """Count ``posts`` more posts read; log a WARNING as the count crosses 80 %, 95 % and 100 %."""
        if posts <= 0:
            return
        with self._lock:
            self._roll(self._clock())
            before = self._count
            self._count += posts
            self._unsaved += posts
            crossed = [f for f in (*BUDGET_WARN_FRACTIONS, 1.0) if before < f * self.monthly_cap <= self._count]
            if crossed or self._unsaved >= self.save_every:
                self._save()
            count, month = self._count, self._month
        if crossed:
            log.warning(
                "x post budget: used=%d cap=%d pct=%.0f month=%s%s",
                count,
                self.monthly_cap,
                100 * count / self.monthly_cap,
                month,
                " cap reached: reading stops until the next budget month" if 1.0 in crossed else "",
            )

    def flush(self) -> None:
        with self._lock:
            if self._unsaved:
                self._save()

    def _period_start(self, at: datetime) -> tuple[int, int]:
        at = at.astimezone(UTC)
        if at.day >= self.reset_day:
            return at.year, at.month
        return (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)

    def _roll(self, now: datetime) -> None:
        month = self.month(now)
        if month == self._month:
            return
        if self._month is not None and self._unsaved:
            self._save()
        self._month = month
        self._count = self.store.load(month)
        self._unsaved = 0

    def _save(self) -> None:
        assert self._month is not None
        self.store.save(self._month, self._count)
        self._unsaved = 0
