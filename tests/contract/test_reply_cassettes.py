"""The posters against real recorded traffic: tweepy's ``create_tweet`` and user reads, praw's replies.

Every request our posters send must match a recorded one (``record_mode="none"``). The recorded tweet
carried no ``reply`` object (tweepy's test posted a plain "Test Tweet"), so the X match requires the
recorded body's fields with their values and the test pins the one field a reply adds. praw's recorded
``/api/comment/`` bodies are matched field for field: the reply goes to the recorded parent with the
recorded text, or the test fails.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

vcr = pytest.importorskip("vcr")
pytest.importorskip("tweepy")
pytest.importorskip("praw")

import prawcore.rate_limit  # noqa: E402

from responders.posters.reddit import RedditPoster  # noqa: E402
from responders.posters.x import XPoster, x_user_client  # noqa: E402
from responders.posting import Posted, PostTarget, UnconfirmedPostError  # noqa: E402
from socialcare.settings import Settings  # noqa: E402
from tests.contract.praw_cassettes import placeholder_reddit, praw_vcr  # noqa: E402

X_USER_CONTEXT = {
    "x_consumer_key": "recorded-consumer-key",
    "x_consumer_secret": "recorded-consumer-secret",
    "x_access_token": "1-recorded-access-token",
    "x_access_token_secret": "recorded-access-token-secret",
}
KEY = "reply:contract:0123456789abcdef"


@pytest.fixture
def tweepy_cassettes(shared_data: Path) -> Path:
    return shared_data / "cassettes" / "tweepy"


@pytest.fixture
def praw_cassettes(shared_data: Path) -> Path:
    return shared_data / "cassettes" / "praw"


class SentRequests:
    """Keeps what the client sent: method, path, query, JSON or form body, Authorization scheme."""

    def __init__(self, session: Any) -> None:
        self.sent: list[dict[str, Any]] = []
        send = session.send

        def keep(request: Any, **options: Any) -> Any:
            url = urlsplit(request.url)
            body = request.body.decode() if isinstance(request.body, bytes) else request.body
            self.sent.append(
                {
                    "method": request.method,
                    "path": url.path,
                    "query": dict(parse_qsl(url.query)),
                    "body": body,
                    "auth": str(request.headers.get("Authorization", "")).split(" ")[0],
                }
            )
            return send(request, **options)

        session.send = keep


def _recorded_json_subset(live: Any, recorded: Any) -> None:
    """Every field of the recorded JSON body is in the live body with the same value (extras allowed)."""
    if recorded.body is None:
        assert not live.body
        return
    sent, wanted = json.loads(live.body), json.loads(recorded.body)
    assert {key: sent.get(key) for key in wanted} == wanted, f"recorded body {wanted} not sent: {sent}"


def _recorded_query_subset(live: Any, recorded: Any) -> None:
    sent = dict(live.query)
    missing = {key: value for key, value in recorded.query if sent.get(key) != value}
    assert not missing, f"recorded query parameters not sent: {missing}"


def x_vcr(folder: Path) -> Any:
    recorder = vcr.VCR(
        cassette_library_dir=str(folder),
        record_mode="none",
        decode_compressed_response=True,
        match_on=["method", "scheme", "host", "path", "recorded_query_subset", "recorded_json_subset"],
    )
    recorder.register_matcher("recorded_json_subset", _recorded_json_subset)
    recorder.register_matcher("recorded_query_subset", _recorded_query_subset)
    return recorder


def x_poster() -> tuple[XPoster, SentRequests]:
    client = x_user_client(Settings.model_validate(X_USER_CONTEXT))
    return XPoster(client), SentRequests(client.session)


# X -----------------------------------------------------------------------------------------------
def test_x_reply_is_create_tweet_in_reply_to_with_user_context(tweepy_cassettes: Path) -> None:
    poster, requests = x_poster()
    with x_vcr(tweepy_cassettes).use_cassette("test_client_create_and_delete_tweet.yaml") as cassette:
        posted = poster.post(PostTarget("x", "1455953449008181252"), "Test Tweet", KEY)
    assert cassette.play_count == 1
    assert requests.sent == [
        {
            "method": "POST",
            "path": "/2/tweets",
            "query": {},
            "body": json.dumps({"reply": {"in_reply_to_tweet_id": "1455953449008181252"}, "text": "Test Tweet"}),
            "auth": "OAuth",  # OAuth 1.0a as the brand account, never the app's bearer token
        }
    ]
    assert posted == Posted(
        "1456012973835788293",
        "https://x.com/i/web/status/1456012973835788293",
        datetime(2021, 11, 3, 21, 38, 39, 32000, tzinfo=UTC),  # from the snowflake; the answer is dated 21:38:39
    )


def test_x_reconcile_reads_the_accounts_own_posts_with_references(tweepy_cassettes: Path) -> None:
    poster, requests = x_poster()
    recorder = x_vcr(tweepy_cassettes)
    with recorder.use_cassette("test_client_get_me.yaml"):
        account = poster._account()
    since = datetime(2022, 10, 1, tzinfo=UTC)
    poster._account_id = "783214"  # the recorded timeline is @Twitter's
    with recorder.use_cassette("test_client_get_users_tweets.yaml"):
        found = poster.find_posted(PostTarget("x", "1578000000000000000"), "Test Tweet", since)
    assert account.isdigit()
    assert found is None  # none of @Twitter's recorded posts is a reply to that post
    assert requests.sent[0]["path"] == "/2/users/me" and requests.sent[0]["auth"] == "OAuth"
    timeline = requests.sent[1]
    assert timeline["path"] == "/2/users/783214/tweets"
    assert timeline["query"] == {
        "max_results": "100",
        "start_time": "2022-09-30T23:59:00Z",
        "tweet.fields": "created_at,referenced_tweets",
    }


# Reddit ------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _no_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prawcore.rate_limit.RateLimiter, "delay", lambda self: None)


def _same_form(live: Any, recorded: Any) -> None:
    """The reply's form body equals the recorded one, field for field (the token request is praw's own)."""
    if live.path != "/api/comment/":
        return
    sent, wanted = (sorted(parse_qsl(_text(body))) for body in (live.body, recorded.body))
    assert sent == wanted, f"sent {sent}, recorded {wanted}"


def _text(body: Any) -> str:
    return body.decode() if isinstance(body, bytes) else str(body or "")


def reddit_vcr(folder: Path) -> Any:
    recorder = praw_vcr(folder)
    recorder.register_matcher("same_form", _same_form)
    recorder.match_on = (*recorder.match_on, "same_form")
    return recorder


@pytest.mark.parametrize(
    ("cassette", "target", "text", "expected"),
    [
        (
            "TestComment.test_reply.json",
            "t1_d1616q2",
            "Comment reply",
            Posted(
                "t1_d1680wu",
                "https://www.reddit.com/r/{sub}/comments/4b1tfm/comment/d1680wu/",
                datetime.fromtimestamp(1458434031, UTC),
            ),
        ),
        (
            "TestSubmission.test_reply.json",
            "t3_4b1tfm",
            "Test reply",
            Posted("t1_d162ara", "https://www.reddit.com/r/{sub}/comments/4b1tfm/comment/d162ara/", None),  # type: ignore[arg-type]
        ),
    ],
)
def test_reddit_reply_to_a_comment_or_a_submission(
    praw_cassettes: Path, cassette: str, target: str, text: str, expected: Posted
) -> None:
    with reddit_vcr(praw_cassettes).use_cassette(cassette) as played:
        posted = RedditPoster(placeholder_reddit(logged_in=True)).post(PostTarget("reddit", target), text, KEY)
    assert played.play_count == 2  # the token, then the one reply
    recorded = json.loads(played.responses[1]["body"]["string"])["json"]["data"]["things"][0]["data"]
    assert posted.platform_id == expected.platform_id == f"t1_{recorded['id']}"
    assert posted.url == expected.url.format(sub=recorded["subreddit"])  # type: ignore[union-attr]
    assert posted.posted_at == datetime.fromtimestamp(recorded["created_utc"], UTC)
    if expected.posted_at is not None:
        assert posted.posted_at == expected.posted_at


def test_reddit_reply_that_reddit_does_not_return_is_unconfirmed(praw_cassettes: Path) -> None:
    with reddit_vcr(praw_cassettes).use_cassette("TestComment.test_reply__none.json") as played:
        poster = RedditPoster(placeholder_reddit(logged_in=True))
        with pytest.raises(UnconfirmedPostError, match="did not return it"):
            poster.post(PostTarget("reddit", "t1_eear2ml"), "TEST", KEY)
    assert played.play_count == 2
