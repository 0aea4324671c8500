"""The X poster through tweepy against a local stand-in for X: how each answer becomes a next step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

pytest.importorskip("tweepy")

from responders.posters.x import XPoster, x_user_client
from responders.posting import (
    DuplicatePostError,
    PermanentPostError,
    PostTarget,
    TransientPostError,
    UnconfirmedPostError,
)
from socialcare.errors import PlatformUnavailableError
from socialcare.settings import Settings
from tests.x_standin import XStandIn

KEY = "reply:test:0123456789abcdef"
TARGET = PostTarget("x", "1578000000000000000")


@pytest.fixture
def standin() -> Iterator[XStandIn]:
    with XStandIn() as server:
        yield server


@pytest.fixture
def poster(standin: XStandIn) -> XPoster:
    settings = Settings.model_validate(
        {
            "x_consumer_key": "key",
            "x_consumer_secret": "s3cr3t-consumer",
            "x_access_token": "1-token",
            "x_access_token_secret": "s3cr3t-token",
            "x_api_base_url": standin.base_url,
        }
    )
    return XPoster(x_user_client(settings), wall_clock=lambda: 1_000.0)


def error(
    status: int, detail: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, object], dict[str, str]]:
    return status, {"title": "Error", "detail": detail, "status": status}, headers or {}


def test_a_reply_posted_is_found_again_by_reconciling(standin: XStandIn, poster: XPoster) -> None:
    since = datetime.now(UTC) - timedelta(seconds=5)
    posted = poster.post(TARGET, "Hi Jo, here is how we can fix this: https://lumora.example/help", KEY)
    assert standin.replies_to(TARGET.in_reply_to_id)[0]["id"] == posted.platform_id
    assert abs(posted.posted_at - datetime.now(UTC)) < timedelta(seconds=5)  # read back from the snowflake
    # X shortens links to t.co and prefixes the thread's handles: still the same reply
    standin.posts[0]["text"] = "@jo_customer Hi Jo, here is how we can fix this: https://t.co/abc123"
    found = poster.find_posted(TARGET, "Hi Jo, here is how we can fix this: https://lumora.example/help", since)
    assert found is not None and found.platform_id == posted.platform_id
    assert poster.find_posted(PostTarget("x", "1"), "Hi Jo", since) is None  # not under another post
    assert poster.find_posted(TARGET, "A different reply", since) is None


@pytest.mark.parametrize(
    ("answer", "raised", "message"),
    [
        (error(429, "Too Many Requests", {"x-rate-limit-reset": "1042"}), TransientPostError, "rate limit"),
        (error(503, "Service Unavailable"), UnconfirmedPostError, "may exist"),
        (
            error(403, "You are not allowed to create a Tweet with duplicate content."),
            DuplicatePostError,
            "already posted",
        ),
        (error(403, "You are not permitted to reply to this conversation."), PermanentPostError, "403"),
        (error(404, "Could not find tweet with in_reply_to_tweet_id"), PermanentPostError, "404"),
        (error(401, "Unauthorized"), PlatformUnavailableError, "SOCIALCARE_X_CONSUMER_KEY"),
    ],
)
def test_each_answer_of_x_maps_to_a_next_step(
    standin: XStandIn,
    poster: XPoster,
    answer: tuple[int, dict[str, object], dict[str, str]],
    raised: type[Exception],
    message: str,
) -> None:
    standin.answers.append(answer)
    with pytest.raises(raised, match=message) as caught:
        poster.post(TARGET, "Hi Jo", KEY)
    if raised is TransientPostError:
        assert caught.value.retry_after == 42.0  # type: ignore[attr-defined]  # reset 1042 - clock 1000
    assert standin.posts == []
    assert "s3cr3t" not in str(caught.value)
