"""X limits: the monthly post budget, the stream reconnect backoff, REST retries and rate limits."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from collectors.x import limits
from collectors.x.client import XApiError, call_x, make_client
from collectors.x.limits import MemoryBudgetStore, PostBudget, ReconnectBackoff
from socialcare.errors import ConfigError, RateLimitError
from socialcare.settings import Settings

tweepy = pytest.importorskip("tweepy")
requests = pytest.importorskip("requests")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# post budget -------------------------------------------------------------------------------------
def test_budget_warns_at_80_and_95_percent_once_and_stops_at_the_cap(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = MemoryBudgetStore()
    clock = Clock(datetime(2026, 5, 20, 12, 0, tzinfo=UTC))
    budget = PostBudget(store, 1000, clock=clock)
    caplog.set_level(logging.WARNING, logger="collectors.x.limits")
    budget.charge(799)
    assert caplog.records == []
    budget.charge(1)  # 800: 80 %
    budget.charge(100)  # 900: nothing new
    budget.charge(60)  # 960: 95 %
    budget.check()  # still below the cap
    assert [r.getMessage() for r in caplog.records] == [
        "x post budget: used=800 cap=1000 pct=80 month=2026-05",
        "x post budget: used=960 cap=1000 pct=96 month=2026-05",
    ]
    budget.charge(45)  # 1005: the last page went over; reading stops from now on
    assert "cap reached" in caplog.records[-1].getMessage()
    with pytest.raises(RateLimitError, match="1005 of 1000 posts") as caught:
        budget.check()
    assert caught.value.retry_after == (datetime(2026, 6, 1, tzinfo=UTC) - clock.now).total_seconds()
    assert store.counts == {"2026-05": 1005}
    assert budget.remaining == 0


def test_budget_is_persisted_per_month_and_a_new_month_starts_at_zero() -> None:
    store = MemoryBudgetStore({"2026-05": 990})
    clock = Clock(datetime(2026, 5, 31, 23, 59, tzinfo=UTC))
    budget = PostBudget(store, 1000, clock=clock)
    assert budget.used == 990  # loaded from the store: a restart does not forget
    budget.charge(10)
    with pytest.raises(RateLimitError) as caught:
        budget.check()
    assert caught.value.retry_after == 60.0
    clock.now = datetime(2026, 6, 1, 0, 0, 1, tzinfo=UTC)
    budget.check()
    budget.charge(3)
    assert store.counts == {"2026-05": 1000, "2026-06": 3}


def test_budget_month_follows_the_reset_day() -> None:
    budget = PostBudget(MemoryBudgetStore(), 10, reset_day=15)
    jan_10 = datetime(2027, 1, 10, tzinfo=UTC)
    assert budget.month(jan_10) == "2026-12"
    assert budget.next_reset(jan_10) == datetime(2027, 1, 15, tzinfo=UTC)
    assert budget.month(datetime(2027, 1, 15, tzinfo=UTC)) == "2027-01"
    assert budget.next_reset(datetime(2026, 12, 20, tzinfo=UTC)) == datetime(2027, 1, 15, tzinfo=UTC)


def test_budget_saves_in_batches_and_on_flush() -> None:
    store = MemoryBudgetStore()
    budget = PostBudget(store, 10_000, save_every=50, clock=Clock(datetime(2026, 5, 2, tzinfo=UTC)))
    for _ in range(49):
        budget.charge(1)
    assert store.counts == {}
    budget.charge(1)
    assert store.counts == {"2026-05": 50}
    budget.charge(7)
    budget.flush()
    assert store.counts == {"2026-05": 57}


def test_budget_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="monthly_cap"):
        PostBudget(MemoryBudgetStore(), 0)
    with pytest.raises(ValueError, match="reset_day"):
        PostBudget(MemoryBudgetStore(), 10, reset_day=31)


# stream reconnect backoff ------------------------------------------------------------------------
def _backoff(now: float = 1_000.0) -> tuple[ReconnectBackoff, list[float]]:
    waits: list[float] = []
    return ReconnectBackoff(waits.append, lambda: now), waits


def test_network_errors_back_off_linearly_up_to_16_s() -> None:
    backoff, waits = _backoff()
    for _ in range(70):
        backoff.network_error()
    assert waits[:4] == [0.25, 0.5, 0.75, 1.0]
    assert max(waits) == waits[-1] == limits.NETWORK_ERROR_WAIT_MAX == 16.0
    assert min(waits) == limits.NETWORK_ERROR_WAIT_STEP


def test_http_errors_back_off_exponentially_from_5_s_up_to_320_s() -> None:
    backoff, waits = _backoff()
    for _ in range(9):
        backoff.http_error(503)
    assert waits == [5, 10, 20, 40, 80, 160, 320, 320, 320]


def test_429_starts_at_60_s_and_honours_a_later_reset() -> None:
    backoff, waits = _backoff(now=1_000.0)
    backoff.http_error(429)
    backoff.http_error(429, reset_at=1_000.0 + 500)  # the window resets later than the backoff
    backoff.http_error(429, reset_at=1_000.0 + 5)  # an early reset never shortens the backoff
    backoff.http_error(429, reset_at=1_000.0 + 86_400)  # a wild header is capped
    assert waits == [60, 500, 240, limits.RATE_LIMIT_RESET_WAIT_MAX]


def test_reset_starts_both_backoffs_over() -> None:
    backoff, waits = _backoff()
    backoff.network_error()
    backoff.http_error(500)
    backoff.reset()
    backoff.network_error()
    backoff.http_error(500)
    assert waits == [0.25, 5, 0.25, 5]


# REST calls --------------------------------------------------------------------------------------
def http_error(status: int, headers: dict[str, str] | None = None) -> Exception:
    response = requests.Response()
    response.status_code = status
    response.reason = {429: "Too Many Requests", 503: "Service Unavailable", 401: "Unauthorized"}.get(status)
    response._content = b'{"title": "X says no", "detail": "details", "status": %d}' % status
    response.headers.update(headers or {})
    reset = (headers or {}).get("x-rate-limit-reset")
    if status == 429:
        error: Exception = tweepy.TooManyRequests(response, reset_time=int(reset) if reset else None)
    elif status >= 500:
        error = tweepy.TwitterServerError(response)
    else:
        error = tweepy.HTTPException(response)
    return error


def flaky(*outcomes: object) -> tuple[Callable[..., object], list[dict[str, Any]]]:
    calls: list[dict[str, Any]] = []
    queue = list(outcomes)

    def method(**params: Any) -> object:
        calls.append(params)
        outcome = queue.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return method, calls


def test_server_errors_are_retried_with_exponential_backoff() -> None:
    sleeps: list[float] = []
    method, calls = flaky(http_error(503), requests.ConnectionError("reset"), {"data": []})
    assert call_x(method, what="search", sleep=sleeps.append, page=1) == {"data": []}
    assert len(calls) == 3
    assert sleeps == [1.0, 2.0]


def test_server_errors_give_up_after_the_attempts() -> None:
    sleeps: list[float] = []
    method, calls = flaky(*(http_error(503) for _ in range(limits.SERVER_ERROR_ATTEMPTS)))
    with pytest.raises(XApiError, match="X kept failing after 4 attempts") as caught:
        call_x(method, what="search", sleep=sleeps.append)
    assert caught.value.status == 503
    assert len(calls) == limits.SERVER_ERROR_ATTEMPTS
    assert sleeps == [1.0, 2.0, 4.0]


def test_429_is_raised_at_once_with_the_reset_time() -> None:
    sleeps: list[float] = []
    method, calls = flaky(http_error(429, {"x-rate-limit-reset": "1700000420"}))
    with pytest.raises(RateLimitError) as caught:
        call_x(method, what="search", sleep=sleeps.append, clock=lambda: 1_700_000_000.0)
    assert caught.value.retry_after == 420.0
    assert (len(calls), sleeps) == (1, [])  # never waited here: the caller decides


def test_429_without_reset_header_waits_one_window() -> None:
    method, _ = flaky(http_error(429))
    with pytest.raises(RateLimitError) as caught:
        call_x(method, what="search", sleep=lambda _: None)
    assert caught.value.retry_after == limits.RATE_LIMIT_WINDOW


def test_other_http_errors_are_not_retried() -> None:
    sleeps: list[float] = []
    method, calls = flaky(http_error(401))
    with pytest.raises(XApiError, match="check SOCIALCARE_X_BEARER_TOKEN") as caught:
        call_x(method, what="search", sleep=sleeps.append)
    assert (caught.value.status, len(calls), sleeps) == (401, 1, [])


def test_make_client_needs_the_token_and_never_waits_on_rate_limits() -> None:
    with pytest.raises(ConfigError, match="SOCIALCARE_X_BEARER_TOKEN"):
        make_client(Settings.model_validate({}))
    client = make_client(Settings.model_validate({"x_bearer_token": " tok "}))
    assert client.bearer_token == "tok"
    assert client.wait_on_rate_limit is False
    adapter = client.session.get_adapter("https://api.twitter.com/2/tweets/search/recent")
    assert adapter.timeout == (limits.REST_CONNECT_TIMEOUT, limits.REST_READ_TIMEOUT)


def test_reset_header_parsing() -> None:
    assert limits.parse_reset_header(" 1700000000 ") == 1_700_000_000.0
    assert limits.parse_reset_header("soon") is None
    assert limits.parse_reset_header(None) is None
    assert limits.retry_after_from_reset(90.0, 100.0) == limits.RATE_LIMIT_MIN_WAIT  # clock skew
    assert limits.retry_after_from_reset(None, 100.0) == limits.RATE_LIMIT_WINDOW
    assert timedelta(seconds=limits.RATE_LIMIT_WINDOW) == timedelta(minutes=15)
