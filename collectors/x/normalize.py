"""X API v2 posts to :class:`~socialcare.models.Mention` events: pure functions, no I/O, no tweepy import.

A post arrives as the JSON object X sends (a ``dict``) or as a tweepy ``Tweet``/``User`` (whose ``.data`` is
that object), with its author in the ``includes.users`` expansion. Everything but ``id`` and ``text`` is
optional: a missing field leaves the mention's field empty (``created_at`` falls back to the time encoded in
the post id), and an author missing from ``includes`` (deleted or suspended account) becomes
``Author(id=author_id or "unknown")`` without a handle. A post that still cannot become a mention is a
:class:`~collectors.base.Rejected` carrying its JSON and the reason.

Threading follows the project convention: ``conversation_id`` and ``in_reply_to`` hold mention ids
(``x:<id>``), not bare platform ids.

Edited posts: every version has its own id, listed oldest first in ``edit_history_tweet_ids``. The mention id
is the id of the version received and the text is that version's, which is the latest X had when it sent it;
an older version seen earlier stays its own mention under its own id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final, TypeGuard

from pydantic import ValidationError

from collectors.base import Collected, Rejected, SourceItem
from socialcare.errors import EventError
from socialcare.models import Author, Mention, Metrics, describe_validation_error, mention_id

SOURCE: Final = "x"
WEB_URL: Final = "https://x.com"
UNKNOWN_AUTHOR: Final = "unknown"
"""Author id used when a post carries no ``author_id`` at all."""

SNOWFLAKE_EPOCH_MS: Final = 1_288_834_974_657
"""X post ids since November 2010 encode their creation time: ``(id >> 22) + epoch`` in milliseconds."""
SNOWFLAKE_MIN_ID: Final = 2**45
"""Smaller ids may predate snowflake ids, so their time cannot be derived from the id."""

NO_LANGUAGE: Final = frozenset({"und", "zxx", "qam", "qct", "qht", "qme", "qst"})
"""X's ``lang`` codes that name no language (undetermined, media, hashtags, mentions, cashtags only...)."""

JsonObject = Mapping[str, Any]


def as_json_object(value: object, what: str = "post") -> JsonObject:
    """The JSON object behind ``value``: the ``.data`` of a tweepy model, or a mapping as it is.

    tweepy's models are mappings too, but their items are parsed (``int`` ids, ``datetime`` times, model
    objects), so their raw ``.data`` is read instead.
    """
    if not isinstance(value, dict):
        data = getattr(value, "data", None)
        if isinstance(data, Mapping):
            return data
    if isinstance(value, Mapping):
        return value
    raise EventError(f"{what} is a {type(value).__name__}, not an X JSON object")


def users_by_id(users: Iterable[object] | None) -> dict[str, JsonObject]:
    """Index the ``includes.users`` expansion (dicts or tweepy ``User`` objects) by user id."""
    index: dict[str, JsonObject] = {}
    for user in users or ():
        try:
            data = as_json_object(user, "user")
        except EventError:
            continue
        user_id = data.get("id")
        if user_id is not None:
            index[str(user_id)] = data
    return index


def snowflake_time(post_id: str) -> datetime | None:
    """The creation time encoded in a snowflake post id; ``None`` for ids that may predate snowflakes."""
    number = int(post_id)
    if number < SNOWFLAKE_MIN_ID:
        return None
    return datetime.fromtimestamp(((number >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)


def post_url(post_id: str, username: str | None) -> str:
    """``https://x.com/<username>/status/<id>``, or the handle-less form when the author is unknown."""
    if username:
        return f"{WEB_URL}/{username}/status/{post_id}"
    return f"{WEB_URL}/i/web/status/{post_id}"


def tweet_to_mention(
    tweet: object,
    users_by_id: Mapping[str, object],
    *,
    brand: str | None,
    matched_rules: Sequence[str],
    collected_at: datetime,
) -> Mention:
    """One X post as a mention; raise :class:`EventError` with a one-line reason if it cannot be one."""
    data = as_json_object(tweet)
    post_id = _post_id(data)
    author = _author(data, users_by_id)
    try:
        return Mention(
            id=mention_id(SOURCE, post_id),
            source=SOURCE,
            source_id=post_id,
            url=post_url(post_id, author.handle),
            text=_text(data),
            created_at=_created_at(data, post_id),
            collected_at=collected_at,
            author=author,
            metrics=_metrics(data.get("public_metrics")),
            conversation_id=_reference(data.get("conversation_id"), "conversation_id"),
            in_reply_to=_replied_to(data.get("referenced_tweets")),
            brand=brand,
            matched_rules=tuple(matched_rules),
            lang=_lang(data.get("lang")),
        )
    except ValidationError as exc:
        raise EventError(f"post {post_id}: {describe_validation_error(exc)}") from exc


def tweet_to_item(
    tweet: object,
    users_by_id: Mapping[str, object],
    *,
    brand: str | None,
    matched_rules: Sequence[str],
    collected_at: datetime,
    checkpoint: str,
    location: str,
) -> SourceItem:
    """:func:`tweet_to_mention` as a source item: :class:`Collected`, or :class:`Rejected` with the JSON."""
    try:
        mention = tweet_to_mention(
            tweet, users_by_id, brand=brand, matched_rules=matched_rules, collected_at=collected_at
        )
    except EventError as exc:
        return Rejected(raw=raw_json(tweet), reason=str(exc), location=location, checkpoint=checkpoint)
    return Collected(mention=mention, checkpoint=checkpoint)


def post_id_of(tweet: object) -> str | None:
    """The post's id if it has a usable one (a string of digits), else ``None``."""
    try:
        return _post_id(as_json_object(tweet))
    except EventError:
        return None


def raw_json(value: object) -> bytes:
    """The bytes kept for the dead-letter topic: compact UTF-8 JSON, or the repr if it is not JSON."""
    try:
        data: object = as_json_object(value)
    except EventError:
        data = value
    try:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")
    except (TypeError, ValueError):
        return repr(value).encode("utf-8", "backslashreplace")


# fields ------------------------------------------------------------------------------------------
def _post_id(data: JsonObject) -> str:
    value = data.get("id")
    post_id = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not post_id.isascii() or not post_id.isdigit():
        raise EventError(f"post id {value!r} is not an X post id")
    return post_id


def _text(data: JsonObject) -> str:
    note = data.get("note_tweet")
    if isinstance(note, Mapping) and isinstance(note.get("text"), str) and note["text"]:
        return str(note["text"])  # a long post: ``text`` holds only its first 280 characters
    text = data.get("text")
    if not isinstance(text, str):
        raise EventError(f"post {data.get('id')}: no text")
    return text


def _created_at(data: JsonObject, post_id: str) -> datetime:
    value = data.get("created_at")
    if value is None:
        derived = snowflake_time(post_id)
        if derived is None:
            raise EventError(f"post {post_id}: no created_at, and the id is too old to encode a time")
        return derived
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise EventError(f"post {post_id}: created_at {value!r} is not an ISO 8601 time") from None
    else:
        raise EventError(f"post {post_id}: created_at {value!r} is not a time")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _author(data: JsonObject, users: Mapping[str, object]) -> Author:
    raw_id = data.get("author_id")
    author_id = str(raw_id) if raw_id not in (None, "") else None
    user_obj = users.get(author_id) if author_id is not None else None
    if user_obj is None:
        return Author(id=author_id or UNKNOWN_AUTHOR)
    try:
        user = as_json_object(user_obj, "user")
    except EventError:
        return Author(id=author_id or UNKNOWN_AUTHOR)
    metrics = user.get("public_metrics")
    followers = metrics.get("followers_count") if isinstance(metrics, Mapping) else None
    username = user.get("username")
    name = user.get("name")
    return Author(
        id=author_id or UNKNOWN_AUTHOR,
        handle=username if isinstance(username, str) and username else None,
        name=name if isinstance(name, str) and name else None,
        followers=followers if _is_count(followers) else None,
        verified=user.get("verified") is True,
    )


_METRICS: Final = {
    "likes": "like_count",
    "reposts": "retweet_count",
    "replies": "reply_count",
    "quotes": "quote_count",
}


def _metrics(value: object) -> Metrics:
    if not isinstance(value, Mapping):
        return Metrics()
    counts: dict[str, int] = {}
    for field, key in _METRICS.items():
        count = value.get(key)
        if count is None:
            continue
        if not _is_count(count):
            raise EventError(f"public_metrics.{key} is {count!r}, not a count")
        counts[field] = count
    return Metrics(**counts)


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _reference(value: object, what: str) -> str | None:
    if value is None or value == "":
        return None
    text = str(value)
    if not text.isascii() or not text.isdigit():
        raise EventError(f"{what} {value!r} is not an X post id")
    return mention_id(SOURCE, text)


def _replied_to(value: object) -> str | None:
    if not isinstance(value, list):
        return None
    for reference in value:
        if isinstance(reference, Mapping) and reference.get("type") == "replied_to":
            return _reference(reference.get("id"), "referenced_tweets.replied_to")
    return None


def _lang(value: object) -> str | None:
    if not isinstance(value, str) or not value or value in NO_LANGUAGE:
        return None
    return value
