"""tweepy's v2 ``Client`` for the X collector: construction from settings, and calls with our limit policy.

:func:`call_x` is the one way the collector calls a ``Client`` method: 5xx answers and network failures are
retried (policy in :mod:`collectors.x.limits`), a 429 becomes :class:`~socialcare.errors.RateLimitError`
with ``retry_after`` from ``x-rate-limit-reset`` (never slept here: the caller waits), and any other HTTP
error becomes :class:`XApiError` with the status. The bearer token never appears in a message or a log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import tenacity

from collectors.x.limits import (
    REST_CONNECT_TIMEOUT,
    REST_READ_TIMEOUT,
    SERVER_ERROR_ATTEMPTS,
    SERVER_ERROR_WAIT_MAX,
    SERVER_ERROR_WAIT_START,
    parse_reset_header,
    retry_after_from_reset,
)
from socialcare.errors import ConfigError, MissingExtraError, RateLimitError, SocialcareError
from socialcare.settings import Settings

try:
    import requests
    import tweepy
    from requests.adapters import HTTPAdapter
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("tweepy", "x") from exc


log = logging.getLogger(__name__)

T = TypeVar("T")

RETRYABLE = (tweepy.TwitterServerError, requests.ConnectionError, requests.Timeout)
"""Failures worth another attempt: X's 5xx answers and network trouble."""


class XApiError(SocialcareError):
    """The X API refused a request (other than a rate limit) or kept failing; ``status`` is the HTTP status
    when there was an answer."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _DefaultTimeoutAdapter(HTTPAdapter):
    """Gives every request a timeout: tweepy's ``Client`` sends its requests without one."""

    def __init__(self, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.timeout = timeout

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, **kwargs: Any
    ) -> requests.Response:
        return super().send(request, stream=stream, timeout=timeout or self.timeout, **kwargs)


def make_client(settings: Settings) -> Any:
    """A tweepy v2 ``Client`` on the app's bearer token, ``wait_on_rate_limit=False``, with timeouts."""
    token = settings.x_bearer_token
    if token is None or not token.get_secret_value().strip():
        raise ConfigError("SOCIALCARE_X_BEARER_TOKEN is not set: the X collector needs the app's bearer token")
    client = tweepy.Client(bearer_token=token.get_secret_value().strip(), wait_on_rate_limit=False)
    with_default_timeouts(client.session)
    return client


def with_default_timeouts(session: requests.Session) -> requests.Session:
    """Gives every request of ``session`` the REST timeouts, as tweepy's ``Client`` sets none."""
    adapter = _DefaultTimeoutAdapter((REST_CONNECT_TIMEOUT, REST_READ_TIMEOUT))
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def call_x(
    method: Callable[..., T],
    *args: Any,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
    **kwargs: Any,
) -> T:
    """``method(*args, **kwargs)`` with the REST policy; ``what`` names the call in errors and logs."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(SERVER_ERROR_ATTEMPTS),
        wait=tenacity.wait_exponential(multiplier=SERVER_ERROR_WAIT_START, max=SERVER_ERROR_WAIT_MAX),
        retry=tenacity.retry_if_exception_type(RETRYABLE),
        sleep=sleep,
        reraise=True,
        before_sleep=lambda state: log.warning(
            "x call=%s attempt=%d failed=%s retry_in=%.1fs",
            what,
            state.attempt_number,
            describe_error(state.outcome.exception() if state.outcome else None),
            state.next_action.sleep if state.next_action else 0.0,
        ),
    )
    try:
        return retrying(method, *args, **kwargs)
    except tweepy.TooManyRequests as exc:
        raise rate_limit_error(what, exc, clock()) from exc
    except tweepy.TwitterServerError as exc:
        raise XApiError(
            f"{what}: X kept failing after {SERVER_ERROR_ATTEMPTS} attempts: {describe_error(exc)}",
            status=_status(exc),
        ) from exc
    except tweepy.HTTPException as exc:
        hint = " (check SOCIALCARE_X_BEARER_TOKEN)" if _status(exc) == 401 else ""
        raise XApiError(f"{what}: {describe_error(exc)}{hint}", status=_status(exc)) from exc
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise XApiError(
            f"{what}: network failure after {SERVER_ERROR_ATTEMPTS} attempts: {describe_error(exc)}"
        ) from exc


def rate_limit_error(what: str, exc: BaseException, now: float) -> RateLimitError:
    """Our :class:`RateLimitError` for tweepy's ``TooManyRequests``, waiting for ``x-rate-limit-reset``."""
    reset_at: float | None = None
    reset_time = getattr(exc, "reset_time", None)
    if isinstance(reset_time, int | float):
        reset_at = float(reset_time)
    else:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
        if headers is not None:
            reset_at = parse_reset_header(headers.get("x-rate-limit-reset"))
    return RateLimitError(f"X rate limit on {what}", retry_after=retry_after_from_reset(reset_at, now))


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def describe_error(exc: BaseException | None) -> str:
    """``Type: message`` on one line (at most 300 characters of message)."""
    if exc is None:
        return "unknown error"
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
