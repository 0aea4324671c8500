"""Column mappings, ``--map`` options and the record → mention conversion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from collectors.mappings import (
    AIRLINE,
    BUILTIN_MAPPINGS,
    FIELDS,
    TWCS,
    ColumnMapping,
    parse_count,
    parse_flag,
    parse_mapping_overrides,
    parse_time,
    row_to_mention,
)
from socialcare.errors import ConfigError, EventError

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_overrides_parse_to_field_column_pairs() -> None:
    assert parse_mapping_overrides(["text=body", " created_at = ts ", "likes=favs"]) == {
        "text": "body",
        "created_at": "ts",
        "likes": "favs",
    }
    assert parse_mapping_overrides([]) == {}


def test_overrides_name_every_unknown_field_and_list_the_valid_ones() -> None:
    with pytest.raises(ConfigError) as error:
        parse_mapping_overrides(["txt=body", "text=body", "when=ts"])
    message = str(error.value)
    assert "unknown field 'txt'" in message
    assert "unknown field 'when'" in message
    assert ", ".join(FIELDS) in message


@pytest.mark.parametrize(
    ("option", "problem"),
    [("text", "'text' is not FIELD=COLUMN"), ("text=", "'text=' is not FIELD=COLUMN"), ("=body", "'=body'")],
)
def test_overrides_reject_malformed_options(option: str, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem):
        parse_mapping_overrides([option])


def test_overrides_reject_a_field_mapped_twice() -> None:
    with pytest.raises(ConfigError, match="text is mapped twice"):
        parse_mapping_overrides(["text=a", "text=b"])


def test_with_overrides_and_columns() -> None:
    mapping = ColumnMapping().with_overrides({"text": "body", "likes": "favs"})
    assert mapping.columns() == {
        "source_id": "id",
        "text": "body",
        "created_at": "created_at",
        "likes": "favs",
    }


def test_completed_fills_only_unmapped_optional_fields_from_same_named_columns() -> None:
    mapping = ColumnMapping(likes="favs").completed(["id", "text", "created_at", "likes", "lang", "other"])
    assert mapping.likes == "favs"
    assert mapping.lang == "lang"
    assert mapping.columns() == {
        "source_id": "id",
        "text": "text",
        "created_at": "created_at",
        "lang": "lang",
        "likes": "favs",
    }


def test_invalid_source_name_and_time_zone_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="source 'My Source'"):
        ColumnMapping(source="My Source")
    with pytest.raises(ConfigError, match="unknown time zone 'Mars/Olympus'"):
        ColumnMapping(default_tz="Mars/Olympus")


def test_builtin_mappings() -> None:
    assert BUILTIN_MAPPINGS == {"airline": AIRLINE, "twcs": TWCS}
    assert AIRLINE.columns() == {
        "source_id": "tweet_id",
        "text": "text",
        "created_at": "tweet_created",
        "author_id": "name",
        "author_handle": "name",
        "brand": "airline",
        "reposts": "retweet_count",
    }
    assert AIRLINE.default_tz == "America/Los_Angeles"
    assert TWCS.threads
    assert TWCS.inbound == "inbound"


def test_parse_time_with_format_and_default_zone() -> None:
    pacific, fmt = ZoneInfo("America/Los_Angeles"), "%m/%d/%Y %H:%M"
    assert parse_time("2/24/2015 11:35", fmt, pacific) == datetime(2015, 2, 24, 19, 35, tzinfo=UTC)
    # summer time: UTC-7
    assert parse_time("7/1/2015 11:35", fmt, pacific) == datetime(2015, 7, 1, 18, 35, tzinfo=UTC)
    twcs = parse_time("Tue Oct 31 22:10:47 +0000 2017", TWCS.time_format, UTC)
    assert twcs == datetime(2017, 10, 31, 22, 10, 47, tzinfo=UTC)
    assert twcs.tzinfo is UTC


def test_parse_time_iso_and_epoch() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_time("2024-05-01T14:00:00+02:00", None, UTC) == NOW
    assert parse_time("2024-05-01T12:00:00Z", None, berlin) == NOW
    assert parse_time("2024-05-01 14:00:00", None, berlin) == NOW
    assert parse_time("1714564800", None, berlin) == NOW
    assert parse_time("1714564800.5", None, UTC) == NOW + timedelta(seconds=0.5)


def test_parse_time_says_what_was_expected() -> None:
    with pytest.raises(EventError) as error:
        parse_time("yesterday", "%m/%d/%Y %H:%M", UTC)
    assert str(error.value) == "created_at 'yesterday' does not match format '%m/%d/%Y %H:%M'"
    with pytest.raises(EventError) as error:
        parse_time("31/31/2024", None, UTC)
    assert str(error.value) == "created_at '31/31/2024' does not match ISO 8601 or epoch seconds"


def test_parse_count_and_flag() -> None:
    assert parse_count("likes", "12") == 12
    assert parse_count("likes", "12.0") == 12
    assert parse_count("likes", None) is None
    for bad in ("1.5k", "-1", "2.5", "nan"):
        with pytest.raises(EventError, match=f"likes '{bad}' is not a whole number"):
            parse_count("likes", bad)
    assert [parse_flag("v", v) for v in ("True", "yes", "1", "FALSE", "n", "0")] == [True] * 3 + [False] * 3
    assert parse_flag("v", None) is None
    with pytest.raises(EventError, match="verified 'maybe' is not true or false"):
        parse_flag("verified", "maybe")


FULL = ColumnMapping(
    source="shop",
    source_id="post",
    text="body",
    created_at="ts",
    author_id="uid",
    author_handle="user",
    author_name="display",
    author_followers="followers",
    author_verified="verified",
    brand="brand",
    in_reply_to="parent",
    conversation_id="thread",
    lang="lang",
    url="link",
    likes="likes",
    reposts="shares",
    replies="comments",
)


def test_row_to_mention_maps_every_field() -> None:
    row = {
        "post": " 42 ",
        "body": "  @Acme my order is late  ",
        "ts": "2024-05-01T12:00:00Z",
        "uid": "u1",
        "user": "jane",
        "display": "Jane Doe",
        "followers": "1200",
        "verified": "true",
        "brand": "Acme",
        "parent": "41",
        "thread": "40",
        "lang": "en",
        "link": "https://example.com/42",
        "likes": "3",
        "shares": "2.0",
        "comments": "",
    }
    mention = row_to_mention(row, FULL, collected_at=NOW, matched_rules=("import:csv",))
    assert mention.model_dump() == {
        "schema_version": 1,
        "id": "shop:42",
        "source": "shop",
        "source_id": "42",
        "url": "https://example.com/42",
        "text": "  @Acme my order is late  ",
        "created_at": NOW,
        "collected_at": NOW,
        "author": {"id": "u1", "handle": "jane", "name": "Jane Doe", "followers": 1200, "verified": True},
        "metrics": {"likes": 3, "reposts": 2, "replies": 0, "quotes": 0},
        "conversation_id": "shop:40",
        "in_reply_to": "shop:41",
        "brand": "Acme",
        "matched_rules": ("import:csv",),
        "lang": "en",
    }


def test_row_to_mention_fallbacks() -> None:
    minimal = ColumnMapping(author_handle="user", brand="brand", brand_default="Default")
    row: dict[str, object] = {"id": 7, "text": "hi", "created_at": 1714564800, "user": "jane", "brand": ""}
    mention = row_to_mention(row, minimal, collected_at=NOW, brand="FromThread", conversation_id="import:1")
    assert (mention.id, mention.author.id, mention.author.handle) == ("import:7", "jane", "jane")
    assert (mention.brand, mention.conversation_id) == ("FromThread", "import:1")
    anonymous = row_to_mention({"id": "8", "text": "hi", "created_at": "1714564800"}, minimal, collected_at=NOW)
    assert (anonymous.author.id, anonymous.brand, anonymous.conversation_id) == ("unknown", "Default", None)


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"post": "", "body": "x", "ts": "1"}, "post (source_id) is empty"),
        ({"post": "1", "body": "  ", "ts": "1"}, "body (text) is empty"),
        ({"post": "1", "body": "x"}, "ts (created_at) is empty"),
        (
            {"post": "1", "body": "x", "ts": "soon"},
            "created_at 'soon' does not match ISO 8601 or epoch seconds",
        ),
        ({"post": "1", "body": "x", "ts": "1", "likes": "many"}, "likes 'many' is not a whole number ≥ 0"),
        ({"post": "1", "body": ["x"], "ts": "1"}, "body is a list, expected text or a number"),
        ({"post": "1", "body": "x" * 40_001, "ts": "1"}, "text: String should have at most 40000 characters"),
    ],
)
def test_row_to_mention_reasons(row: dict[str, object], reason: str) -> None:
    with pytest.raises(EventError) as error:
        row_to_mention(row, FULL, collected_at=NOW)
    assert str(error.value) == reason


def test_row_to_mention_keeps_aware_times_and_converts_to_utc() -> None:
    row = {"id": "1", "text": "x", "created_at": "2024-05-01T08:00:00-04:00"}
    mention = row_to_mention(row, ColumnMapping(default_tz="Asia/Tokyo"), collected_at=NOW)
    assert mention.created_at == NOW
    assert mention.created_at.utcoffset() == timedelta(0)
