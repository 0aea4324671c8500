"""Replies on X through tweepy's v2 ``Client``: ``create_tweet(in_reply_to_tweet_id=...)`` as the brand.

Posting needs the brand account's user context (OAuth 1.0a: the app's key and secret and the account's
access token and secret). Reconciling reads the account's own recent posts (``GET /2/users/:id/tweets``
with ``referenced_tweets``) and looks for a reply to the same post with the same text.

How X's answers map onto the poster's errors: 429 -> transient (until ``x-rate-limit-reset``), 5xx and
network trouble -> unconfirmed (the post may exist), 403 "duplicate content" -> unconfirmed duplicate,
any other 400/403/404 -> permanent with X's own message, 401 -> the credentials are wrong, which is no
reply's fault: the responder stops and says which settings to check.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from collectors.x.client import with_default_timeouts
from collectors.x.normalize import post_url, snowflake_time
from responders.posting import (
    DuplicatePostError,
    PermanentPostError,
    Posted,
    PostTarget,
    TransientPostError,
    UnconfirmedPostError,
    missing_posting_settings,
    same_reply_text,
)
from socialcare.errors import ConfigError, MissingExtraError, PlatformUnavailableError
from socialcare.models import utcnow
from socialcare.settings import Settings

try:
    import requests
    import tweepy
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("tweepy", "x") from exc

X_API = "https://api.twitter.com"
RECONCILE_PAGES = 5
"""Pages of 100 recent posts searched for an earlier attempt; a brand posting more between an attempt and
the restart would need more."""


class _BaseUrlSession(requests.Session):
    """Sends tweepy's requests to another base URL (a local stand-in for X in tests)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if url.startswith(X_API):
            url = self.base_url + url[len(X_API) :]
        return super().request(method, url, *args, **kwargs)


def x_user_client(settings: Settings) -> Any:
    """tweepy ``Client`` acting as the brand account, or ``ConfigError`` naming the missing settings."""
    missing = missing_posting_settings(settings, "x")
    if missing:
        raise ConfigError(f"posting on X needs the brand account's user context: set {', '.join(missing)}")
    assert settings.x_consumer_secret is not None and settings.x_access_token_secret is not None
    assert settings.x_access_token is not None
    client = tweepy.Client(
        consumer_key=settings.x_consumer_key,
        consumer_secret=settings.x_consumer_secret.get_secret_value(),
        access_token=settings.x_access_token.get_secret_value(),
        access_token_secret=settings.x_access_token_secret.get_secret_value(),
        wait_on_rate_limit=False,
    )
    client.session = with_default_timeouts(_BaseUrlSession(settings.x_api_base_url))
    return client


class XPoster:
    platform = "x"

    def __init__(self, client: Any, *, wall_clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self._wall_clock = wall_clock
        self._account_id: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> XPoster:
        return cls(x_user_client(settings))

    def post(self, target: PostTarget, text: str, idempotency_key: str) -> Posted:
        response = self._call(
            self.client.create_tweet, text=text, in_reply_to_tweet_id=target.in_reply_to_id, user_auth=True
        )
        data = response.data if isinstance(response.data, dict) else {}
        post_id = str(data.get("id", ""))
        if not post_id.isdigit():
            raise UnconfirmedPostError(f"X answered the reply to {target.in_reply_to_id} without a post id")
        return Posted(post_id, post_url(post_id, None), snowflake_time(post_id) or utcnow())

    def find_posted(self, target: PostTarget, text: str, since: datetime) -> Posted | None:
        for tweet in self._own_posts_since(since):
            replied_to = {str(ref.id) for ref in tweet.referenced_tweets or () if ref.type == "replied_to"}
            if target.in_reply_to_id in replied_to and same_reply_text(text, tweet.text):
                post_id = str(tweet.id)
                return Posted(post_id, post_url(post_id, None), tweet.created_at or snowflake_time(post_id) or utcnow())
        return None

    def _own_posts_since(self, since: datetime) -> Iterator[Any]:
        account = self._account()
        start = since - timedelta(minutes=1)
        token: str | None = None
        for _ in range(RECONCILE_PAGES):
            response = self._call(
                self.client.get_users_tweets,
                account,
                start_time=start,
                max_results=100,
                tweet_fields=["created_at", "referenced_tweets"],
                pagination_token=token,
                user_auth=True,
            )
            page = list(response.data or ())
            yield from page
            token = (response.meta or {}).get("next_token")
            times = [tweet.created_at or snowflake_time(str(tweet.id)) for tweet in page]
            reached_start = any(when is not None and when < start for when in times)
            if not token or reached_start:  # newest first: the next page is older still
                return

    def _account(self) -> str:
        if self._account_id is None:
            me = self._call(self.client.get_me, user_auth=True)
            self._account_id = str(me.data.id)
        return self._account_id

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except tweepy.TooManyRequests as exc:
            reset = exc.response.headers.get("x-rate-limit-reset", "")
            wait = max(0.0, float(reset) - self._wall_clock()) if reset.isdigit() else None
            raise TransientPostError("X rate limit (429)", retry_after=wait) from exc
        except tweepy.Unauthorized as exc:
            raise PlatformUnavailableError(
                "X refused the brand account's credentials (401): check SOCIALCARE_X_CONSUMER_KEY, "
                "SOCIALCARE_X_ACCESS_TOKEN and their secrets; the replies wait until the responder restarts"
            ) from exc
        except (tweepy.TwitterServerError, requests.ConnectionError, requests.Timeout) as exc:
            raise UnconfirmedPostError(f"X did not answer cleanly ({_describe(exc)}); the post may exist") from exc
        except tweepy.HTTPException as exc:
            message = _describe(exc)
            if "duplicate" in message.lower():
                raise DuplicatePostError(f"X says the account already posted this text: {message}") from exc
            raise PermanentPostError(f"X refused the reply ({exc.response.status_code}): {message}") from exc


def _describe(exc: Exception) -> str:
    if isinstance(exc, tweepy.HTTPException):
        messages = [*exc.api_messages, *(str(e) for e in exc.api_errors if not exc.api_messages)]
        return "; ".join(messages) or f"HTTP {exc.response.status_code}"
    return type(exc).__name__
