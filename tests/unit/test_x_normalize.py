"""X post normalisation: the documented v2 payload shapes and their edge cases."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.base import Collected, Rejected
from collectors.x.normalize import snowflake_time, tweet_to_item, tweet_to_mention, users_by_id
from socialcare.errors import EventError
from socialcare.models import Author, Mention, Metrics

NOW = datetime(2024, 6, 10, 9, 0, tzinfo=UTC)

POST: dict[str, Any] = {
    "id": "1800113045006262273",
    "text": "@LumoraHelp my thermostat lost its schedule again after the update",
    "author_id": "2244994945",
    "created_at": "2024-06-10T08:15:30.000Z",
    "conversation_id": "1800100000000000000",
    "referenced_tweets": [
        {"type": "quoted", "id": "1799000000000000000"},
        {"type": "replied_to", "id": "1800100000000000000"},
    ],
    "public_metrics": {
        "retweet_count": 2,
        "reply_count": 1,
        "like_count": 5,
        "quote_count": 3,
        "bookmark_count": 0,
        "impression_count": 120,
    },
    "lang": "en",
    "entities": {"mentions": [{"start": 0, "end": 11, "username": "LumoraHelp", "id": "99"}]},
    "edit_history_tweet_ids": ["1800113045006262273"],
}
USER: dict[str, Any] = {
    "id": "2244994945",
    "username": "dana_k",
    "name": "Dana K",
    "verified": True,
    "public_metrics": {"followers_count": 312, "following_count": 80, "tweet_count": 5000, "listed_count": 2},
}


def normalise(post: dict[str, Any], users: list[dict[str, Any]] | None = None) -> Mention:
    return tweet_to_mention(post, users_by_id(users), brand="Lumora", matched_rules=("lumora-core",), collected_at=NOW)


def with_(**changes: Any) -> dict[str, Any]:
    post = dict(POST)
    for key, value in changes.items():
        if value is None:
            post.pop(key, None)
        else:
            post[key] = value
    return post


def test_a_full_post_with_its_author_expansion() -> None:
    assert normalise(POST, [USER]) == Mention(
        id="x:1800113045006262273",
        source="x",
        source_id="1800113045006262273",
        url="https://x.com/dana_k/status/1800113045006262273",
        text="@LumoraHelp my thermostat lost its schedule again after the update",
        created_at=datetime(2024, 6, 10, 8, 15, 30, tzinfo=UTC),
        collected_at=NOW,
        author=Author(id="2244994945", handle="dana_k", name="Dana K", followers=312, verified=True),
        metrics=Metrics(likes=5, reposts=2, replies=1, quotes=3),
        conversation_id="x:1800100000000000000",
        in_reply_to="x:1800100000000000000",
        brand="Lumora",
        matched_rules=("lumora-core",),
        lang="en",
    )


def test_tweepy_models_read_like_their_json() -> None:
    tweepy = pytest.importorskip("tweepy")
    from_models = tweet_to_mention(
        tweepy.Tweet(POST),
        users_by_id([tweepy.User(USER)]),
        brand="Lumora",
        matched_rules=("lumora-core",),
        collected_at=NOW,
    )
    assert from_models == normalise(POST, [USER])


def test_an_author_missing_from_includes_keeps_the_id_without_a_handle() -> None:
    """Deleted or suspended accounts: the post is there, the user expansion is not."""
    mention = normalise(POST, [])
    assert mention.author == Author(id="2244994945")
    assert mention.url == "https://x.com/i/web/status/1800113045006262273"


def test_a_post_without_author_id_gets_the_unknown_author() -> None:
    mention = normalise(with_(author_id=None), [USER])
    assert mention.author == Author(id="unknown")
    assert mention.url == "https://x.com/i/web/status/1800113045006262273"


def test_a_partial_user_object_is_tolerated() -> None:
    mention = normalise(POST, [{"id": "2244994945", "username": "dana_k", "public_metrics": {}}])
    assert mention.author == Author(id="2244994945", handle="dana_k", verified=False)


def test_a_long_post_uses_the_note_tweet_text() -> None:
    long_text = "The full story: " + "it keeps failing. " * 40
    post = with_(text=long_text[:277] + "…", note_tweet={"text": long_text, "entities": {}})
    assert normalise(post).text == long_text
    assert normalise(with_(note_tweet={"text": ""})).text == POST["text"]  # empty note: keep text


def test_an_edited_post_keeps_the_id_and_text_of_the_version_received() -> None:
    edited = with_(
        id="1800113099999999999",
        text="@LumoraHelp fixed typo: my thermostat lost its schedule",
        edit_history_tweet_ids=["1800113045006262273", "1800113099999999999"],
    )
    mention = normalise(edited, [USER])
    assert mention.id == "x:1800113099999999999"
    assert mention.text == "@LumoraHelp fixed typo: my thermostat lost its schedule"
    original = normalise(POST, [USER])  # the first version, if it was seen, stays a mention of its own
    assert original.id == "x:1800113045006262273"


def test_missing_and_partial_metrics_are_zero() -> None:
    assert normalise(with_(public_metrics=None)).metrics == Metrics()
    assert normalise(with_(public_metrics={"like_count": 4})).metrics == Metrics(likes=4)


def test_missing_optional_fields_leave_the_mention_fields_empty() -> None:
    bare = {"id": "1800113045006262273", "text": "hi", "edit_history_tweet_ids": ["1800113045006262273"]}
    mention = normalise(bare)
    assert (mention.conversation_id, mention.in_reply_to, mention.lang) == (None, None, None)
    assert mention.created_at == snowflake_time("1800113045006262273")
    # (id >> 22) + 1288834974657 = 1718015369069 ms since 1970
    assert mention.created_at == datetime(2024, 6, 10, 10, 29, 29, 69000, tzinfo=UTC)


def test_only_replied_to_sets_in_reply_to() -> None:
    quote = with_(referenced_tweets=[{"type": "quoted", "id": "1799000000000000000"}])
    assert normalise(quote).in_reply_to is None
    assert normalise(with_(referenced_tweets=None)).in_reply_to is None


@pytest.mark.parametrize(("lang", "expected"), [("en", "en"), ("ja", "ja"), ("und", None), ("zxx", None)])
def test_language_codes_that_name_no_language_are_dropped(lang: str, expected: str | None) -> None:
    assert normalise(with_(lang=lang)).lang == expected


def test_a_naive_created_at_is_read_as_utc() -> None:
    mention = normalise(with_(created_at="2024-06-10T08:15:30"))
    assert mention.created_at == datetime(2024, 6, 10, 8, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("post", "reason"),
    [
        (with_(id=None), "post id None is not an X post id"),
        (with_(id="12ab"), "post id '12ab' is not an X post id"),
        (with_(text=None), "no text"),
        (with_(created_at="yesterday"), "created_at 'yesterday' is not an ISO 8601 time"),
        (with_(public_metrics={"like_count": -1}), "public_metrics.like_count is -1, not a count"),
        (with_(public_metrics={"like_count": "5"}), "public_metrics.like_count is '5', not a count"),
        (with_(conversation_id="abc"), "conversation_id 'abc' is not an X post id"),
        ({"id": "12345", "text": "from 2007"}, "no created_at, and the id is too old"),
        (with_(text="x" * 40_001), "text: String should have at most 40000 characters"),
    ],
)
def test_a_post_that_cannot_be_a_mention_is_rejected_with_its_json(post: dict[str, Any], reason: str) -> None:
    with pytest.raises(EventError, match=reason.replace("(", r"\(")):
        normalise(post)
    item = tweet_to_item(
        post,
        {},
        brand="Lumora",
        matched_rules=(),
        collected_at=NOW,
        checkpoint="1800113045006262273",
        location="recent search post 1",
    )
    assert isinstance(item, Rejected)
    assert reason in item.reason
    assert json.loads(item.raw) == post
    assert (item.location, item.checkpoint) == ("recent search post 1", "1800113045006262273")


def test_a_good_post_is_collected_with_its_checkpoint() -> None:
    item = tweet_to_item(
        POST, {}, brand=None, matched_rules=(), collected_at=NOW, checkpoint="7", location="stream line 1"
    )
    assert isinstance(item, Collected)
    assert item.checkpoint == "7"


def test_users_by_id_skips_users_without_an_id() -> None:
    assert users_by_id([USER, {"username": "ghost"}, "not a user"]) == {"2244994945": USER}


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    [
        "id",
        "text",
        "author_id",
        "created_at",
        "conversation_id",
        "referenced_tweets",
        "public_metrics",
        "lang",
        "note_tweet",
        "edit_history_tweet_ids",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    post=st.dictionaries(FIELDS, JSON_VALUES, max_size=10),
    base=st.booleans(),
    user=st.dictionaries(st.sampled_from(["id", "username", "name", "verified", "public_metrics"]), JSON_VALUES),
)
def test_any_json_object_becomes_an_item_never_an_exception(
    post: dict[str, Any], base: bool, user: dict[str, Any]
) -> None:
    if base:
        post = {**POST, **post}
    item = tweet_to_item(
        post,
        users_by_id([user, USER]),
        brand=None,
        matched_rules=(),
        collected_at=NOW,
        checkpoint="1",
        location="fuzz",
    )
    assert isinstance(item, Collected | Rejected)
    if isinstance(item, Rejected):
        assert item.reason
        json.loads(item.raw)
