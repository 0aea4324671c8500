"""Reconnect and backoff policy of the Reddit sources, in one place (as tweepy's ``streaming.py`` does).

Errors from Reddit fall in two groups:

- transient (``prawcore.RequestException`` network errors, ``ServerError`` and other 5xx answers,
  ``BadJSON`` outage pages, ``TooManyRequests``): the source logs one ``key=value`` line, waits, and
  recreates the stream or repeats the listing, resuming after the last item it saw;
- fatal (``OAuthException``, ``InvalidToken``, ``Forbidden``, ``NotFound``, ``Redirect``,
  ``InsufficientScope``, other 4xx answers): retrying cannot help, so the source stops with a
  :class:`~socialcare.errors.ConfigError` whose message says what to fix.

Waits double from a start value up to a cap, per kind of error, and reset after the next good response.
Waits between empty polls of a stream use praw's own ``ExponentialCounter`` (1 s doubling to 16 s, with
jitter), as praw's ``stream_generator`` does.
"""

from __future__ import annotations

from typing import Final

from socialcare.errors import MissingExtraError

try:
    import prawcore
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("praw", "reddit") from exc

NETWORK_BACKOFF_START_S: Final = 1.0
"""First wait after a network error (connection reset, timeout, DNS)."""
NETWORK_BACKOFF_MAX_S: Final = 16.0
SERVER_BACKOFF_START_S: Final = 5.0
"""First wait after a 5xx answer or an HTML outage page instead of JSON."""
SERVER_BACKOFF_MAX_S: Final = 320.0
RATE_LIMIT_BACKOFF_START_S: Final = 60.0
"""First wait after HTTP 429 when Reddit sends no ``Retry-After``; a ``Retry-After`` is obeyed as given."""
RATE_LIMIT_BACKOFF_MAX_S: Final = 960.0
IDLE_BACKOFF_MAX_S: Final = 16
"""Cap of praw's ``ExponentialCounter`` between polls that brought nothing new."""
IDLE_POLLS_TO_STOP: Final = 2
"""Polls in a row that brought nothing new after which a stream with ``stop_when_idle`` ends."""

TRANSIENT_ERRORS: Final = (
    prawcore.RequestException,
    prawcore.ServerError,
    prawcore.BadJSON,
    prawcore.TooManyRequests,
)
"""Errors worth retrying; a generic ``ResponseException`` is transient only with a 5xx status."""


def _status(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def is_transient(error: BaseException) -> bool:
    """Whether waiting and trying again can help."""
    if isinstance(error, TRANSIENT_ERRORS):
        return True
    status = _status(error)
    return isinstance(error, prawcore.ResponseException) and status is not None and status >= 500


def retry_delay(error: BaseException, attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1`` after ``attempt`` consecutive failures (1-based)."""
    doubling = 2.0 ** max(attempt - 1, 0)
    if isinstance(error, prawcore.TooManyRequests):
        if error.retry_after:
            try:
                return max(float(error.retry_after), 1.0)
            except ValueError:
                pass
        return min(RATE_LIMIT_BACKOFF_START_S * doubling, RATE_LIMIT_BACKOFF_MAX_S)
    if isinstance(error, prawcore.RequestException):
        return min(NETWORK_BACKOFF_START_S * doubling, NETWORK_BACKOFF_MAX_S)
    return min(SERVER_BACKOFF_START_S * doubling, SERVER_BACKOFF_MAX_S)


def describe(error: BaseException) -> str:
    """``key=value`` fields naming an error without any personal data: class and HTTP status."""
    status = _status(error)
    return f"error={type(error).__name__}" + (f" status={status}" if status is not None else "")


def fatal_message(error: BaseException, target: str) -> str | None:
    """What to fix when ``error`` cannot be retried, or ``None`` when it is transient or not Reddit's.

    ``target`` names what was read, for the message: ``r/python+learnpython comments``,
    ``the inbox of u/LumoraSupport``, ...
    """
    if not isinstance(error, prawcore.PrawcoreException) or is_transient(error):
        return None
    credentials = (
        "check SOCIALCARE_REDDIT_CLIENT_ID and SOCIALCARE_REDDIT_CLIENT_SECRET (and, for a script app, "
        "SOCIALCARE_REDDIT_USERNAME and SOCIALCARE_REDDIT_PASSWORD)"
    )
    if isinstance(error, prawcore.OAuthException):
        return f"Reddit refused the app's credentials ({error.error}) while reading {target}: {credentials}"
    if isinstance(error, prawcore.InvalidToken):
        return f"Reddit rejected the access token (401) while reading {target}: {credentials}"
    if isinstance(error, prawcore.InsufficientScope):
        return (
            f"the Reddit token lacks the scope to read {target} (403 insufficient_scope): authorise the "
            "app with the 'read' scope, and 'privatemessages' for the inbox"
        )
    if isinstance(error, prawcore.Forbidden):
        return (
            f"Reddit answered 403 Forbidden for {target}: the subreddit is private, quarantined or banned, "
            "or the account may not read it (the inbox needs a user login: set SOCIALCARE_REDDIT_USERNAME "
            "and SOCIALCARE_REDDIT_PASSWORD); remove it from the configuration or grant access"
        )
    if isinstance(error, prawcore.NotFound | prawcore.Redirect):
        return (
            f"Reddit has no {target} ({describe(error).replace('error=', '')}): "
            "check the subreddit name (without r/) in the configuration"
        )
    if isinstance(error, prawcore.UnavailableForLegalReasons):
        return f"{target} is unavailable for legal reasons (451): remove it from the configuration"
    return f"Reddit refused the request for {target} ({describe(error)}): check the source's configuration"
