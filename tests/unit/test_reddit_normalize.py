"""Normalisation of praw comments and submissions: threading, urls, deleted and removed items, edits."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

pytest.importorskip("praw")

from praw.models import Comment, Submission

from collectors.reddit.normalize import (
    DELETED_AUTHOR,
    fullname_of,
    raw_bytes,
    removal_reason,
    to_mention,
)
from socialcare.errors import EventError
from socialcare.models import MAX_TEXT_CHARS, Author, Mention, Metrics
from tests.unit.reddit_fakes import OFFLINE, T0, comment, submission

NOW = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _praw_must_not_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a missing attribute of a praw object would make praw fetch it: one request per item."""

    def refuse(self: object) -> None:
        raise AssertionError(f"normalisation made praw fetch {self!r}")

    monkeypatch.setattr(Comment, "_fetch", refuse)
    monkeypatch.setattr(Submission, "_fetch", refuse)


def test_a_reply_comment_becomes_a_threaded_mention() -> None:
    item = comment(7, parent="t1_c0003", link="t3_post1", score=12, body="My Lumora app crashes")
    assert to_mention(item, collected_at=NOW, brand="Lumora", matched_rules=["lumora"]) == Mention(
        id="reddit:t1_c0007",
        source="reddit",
        source_id="t1_c0007",
        url="https://www.reddit.com/r/lumora/comments/post1/title/c0007/",
        text="My Lumora app crashes",
        created_at=datetime.fromtimestamp(T0 + 7, UTC),
        collected_at=NOW,
        author=Author(id="alice", handle="alice"),
        metrics=Metrics(likes=12),
        conversation_id="reddit:t3_post1",
        in_reply_to="reddit:t1_c0003",
        brand="Lumora",
        matched_rules=("lumora",),
        lang=None,
    )


def test_a_top_level_comment_replies_to_the_submission() -> None:
    mention = to_mention(comment(1, link="t3_abc"), collected_at=NOW)
    assert mention.conversation_id == mention.in_reply_to == "reddit:t3_abc"


def test_created_at_is_utc_and_a_negative_score_counts_as_no_likes() -> None:
    mention = to_mention(comment(1, created=1482373037.0, score=-4), collected_at=NOW)
    assert mention.created_at == datetime(2016, 12, 22, 2, 17, 17, tzinfo=UTC)
    assert mention.metrics.likes == 0


def test_a_comment_without_permalink_gets_a_constructed_url() -> None:
    """Older listings (and the recorded 2016 stream) have no permalink on comments."""
    data = {"id": "dbhn0yy", "name": "t1_dbhn0yy", "body": "x", "author": "a", "created_utc": T0}
    item = Comment(OFFLINE, _data={**data, "link_id": "t3_5ivif8", "parent_id": "t3_5ivif8", "subreddit": "rl"})
    assert to_mention(item, collected_at=NOW).url == "https://www.reddit.com/r/rl/comments/5ivif8/_/dbhn0yy/"


def test_an_inbox_comment_is_threaded_through_its_context() -> None:
    """Inbox mentions carry ``context`` instead of ``link_id`` and ``permalink``."""
    item = Comment(
        OFFLINE,
        _data={
            "id": "ekftbox",
            "name": "t1_ekftbox",
            "body": "hi u/LumoraSupport",
            "author": "carol",
            "created_utc": T0,
            "parent_id": "t1_parent",
            "subreddit": "lumora",
            "context": "/r/lumora/comments/bb24k7/some_title/ekftbox/?context=3",
            "was_comment": True,
        },
    )
    mention = to_mention(item, collected_at=NOW)
    assert mention.url == "https://www.reddit.com/r/lumora/comments/bb24k7/some_title/ekftbox/"
    assert mention.conversation_id == "reddit:t3_bb24k7"
    assert mention.in_reply_to == "reddit:t1_parent"


def test_a_deleted_author_becomes_the_deleted_placeholder() -> None:
    item = comment(1, author=None)  # Reddit sends "[deleted]"; praw turns it into None
    assert vars(item)["author"] is None
    mention = to_mention(item, collected_at=NOW)
    assert mention.author == DELETED_AUTHOR == Author(id="[deleted]")
    assert mention.author.followers is None


@pytest.mark.parametrize(
    ("body", "author", "reason"),
    [
        ("[deleted]", None, "deleted by author"),
        ("[removed]", "alice", "removed by moderators"),
        ("[removed]", None, "removed by moderators"),
        ("a real comment", None, None),  # the account is gone but the text is still there
    ],
)
def test_removal_reason_of_comments(body: str, author: str | None, reason: str | None) -> None:
    assert removal_reason(comment(1, body=body, author=author)) == reason


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"selftext": "[deleted]", "author": None}, "deleted by author"),
        ({"selftext": "[removed]"}, "removed by moderators"),
        ({"removed_by_category": "deleted"}, "deleted by author"),
        ({"removed_by_category": "moderator"}, "removed (moderator)"),
        ({"removed_by_category": "automod_filtered"}, "removed (automod_filtered)"),
        ({"removed_by_category": None}, None),
        ({}, None),
    ],
)
def test_removal_reason_of_submissions(fields: dict[str, object], reason: str | None) -> None:
    assert removal_reason(submission(1, **fields)) == reason  # type: ignore[arg-type]


def test_an_edited_comment_keeps_its_current_text() -> None:
    item = comment(1, body="updated: Lumora support fixed it", edited=T0 + 3600)
    assert to_mention(item, collected_at=NOW).text == "updated: Lumora support fixed it"


def test_a_self_post_is_title_blank_line_and_text() -> None:
    item = submission(3, title="Lumora hub offline", selftext="since the update", num_comments=9, score=40)
    mention = to_mention(item, collected_at=NOW)
    assert mention.text == "Lumora hub offline\n\nsince the update"
    assert mention.metrics == Metrics(likes=40, replies=9)
    assert mention.conversation_id == mention.id == "reddit:t3_s0003"
    assert mention.in_reply_to is None
    assert mention.url == "https://www.reddit.com/r/lumora/comments/s0003/lumora_thermostat/"


def test_a_self_post_without_text_is_its_title() -> None:
    assert to_mention(submission(3, selftext=""), collected_at=NOW).text == "Lumora thermostat"


def test_a_link_post_is_title_and_link() -> None:
    item = submission(3, is_self=False, url="https://news.example/lumora-recall", title="Lumora recall")
    assert to_mention(item, collected_at=NOW).text == "Lumora recall\n\nhttps://news.example/lumora-recall"


def test_crossposts_count_as_reposts() -> None:
    assert to_mention(submission(3, num_crossposts=4), collected_at=NOW).metrics.reposts == 4


def test_a_permalink_query_is_left_out_of_the_url() -> None:
    item = submission(3, permalink="/r/redditdev/comments/1qvzkd/praw_page/?ref=search_posts")
    assert to_mention(item, collected_at=NOW).url == "https://www.reddit.com/r/redditdev/comments/1qvzkd/praw_page/"


def test_a_text_longer_than_a_mention_allows_is_cut_with_an_ellipsis() -> None:
    item = submission(3, title="T" * 300, selftext="x" * 40_000)
    text = to_mention(item, collected_at=NOW).text
    assert len(text) == MAX_TEXT_CHARS
    assert text.endswith("x…")


def test_plain_objects_with_the_same_attributes_work_too() -> None:
    item = SimpleNamespace(name="t1_abc", body="hi", author="dave", created_utc=T0, link_id="t3_x", parent_id="t3_x")
    mention = to_mention(item, collected_at=NOW)
    assert (mention.id, mention.author.id, mention.url) == ("reddit:t1_abc", "dave", None)


def test_what_is_not_a_comment_or_submission_is_an_event_error() -> None:
    with pytest.raises(EventError, match="not a Reddit comment or submission: SimpleNamespace t4_message"):
        to_mention(SimpleNamespace(name="t4_message", body="x", created_utc=T0), collected_at=NOW)
    with pytest.raises(EventError, match="no created_utc"):
        to_mention(SimpleNamespace(name="t1_abc", body="x"), collected_at=NOW)


def test_fullname_comes_from_the_id_when_name_is_absent() -> None:
    assert fullname_of(Comment(OFFLINE, _data={"id": "abc", "body": "x"})) == "t1_abc"


def test_raw_bytes_are_the_item_data_as_json() -> None:
    data = json.loads(raw_bytes(comment(1, body="[removed]")))
    assert data["name"] == "t1_c0001"
    assert data["body"] == "[removed]"
    assert data["author"] == "alice"  # the Redditor object, by name
    assert not any(key.startswith("_") for key in data)
