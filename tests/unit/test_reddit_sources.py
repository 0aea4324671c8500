"""Reddit sources offline: praw's real stream over a fake listing, restarts, errors and backoff."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

pytest.importorskip("praw")

import prawcore

from collectors.base import Collected, Rejected, SourceItem
from collectors.reddit import (
    USERNAME_MENTION_RULE,
    RedditInboxMentionsSource,
    RedditSearchSource,
    SubredditStreamSource,
    Watermark,
)
from collectors.reddit.backoff import (
    NETWORK_BACKOFF_START_S,
    RATE_LIMIT_BACKOFF_START_S,
    SERVER_BACKOFF_MAX_S,
    SERVER_BACKOFF_START_S,
    retry_delay,
)
from collectors.reddit.sources import POLL_MAX_RETRIES
from socialcare.errors import ConfigError
from socialcare.models import Mention
from tests.unit.reddit_fakes import (
    T0,
    FakeReddit,
    Listing,
    comment,
    network_error,
    response,
    server_error,
    submission,
    too_many_requests,
)

NOW = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)


def lumora(mention: Mention) -> list[str]:
    return ["lumora"] if "lumora" in mention.text.lower() else []


def comments(n: int, *, start: int = 0) -> list[Any]:
    """``n`` comments, four per second (so restarts must tell equal timestamps apart)."""
    return [comment(i, created=T0 + i // 4) for i in range(start, start + n)]


def ids(items: Iterable[SourceItem]) -> list[str]:
    out = []
    for item in items:
        assert isinstance(item, Collected), item
        out.append(item.mention.source_id)
    return out


def names(items: list[Any]) -> list[str]:
    return [item.fullname for item in items]


class Waits(list[float]):
    """The injected sleep: records each wait; optionally stops the test after ``stop_after`` waits."""

    def __init__(self, stop_after: int | None = None) -> None:
        super().__init__()
        self.stop_after = stop_after

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        if self.stop_after is not None and len(self) >= self.stop_after:
            raise StopTestError


class StopTestError(Exception):
    pass


def stream(reddit: FakeReddit, waits: Waits | None = None, **options: Any) -> SubredditStreamSource:
    settings: dict[str, Any] = {
        "kind": "comments",
        "matches": lumora,
        "brand": "Lumora",
        "stop_when_idle": True,
        "sleep": waits if waits is not None else Waits(),
        "clock": lambda: NOW,
    }
    settings.update(options)
    return SubredditStreamSource(reddit, ["lumora"], **settings)


# the stream: what comes out, and restarts ---------------------------------------------------------
def test_a_first_start_yields_the_existing_items_oldest_first_then_ends_when_idle() -> None:
    listing = Listing(comments(30))
    reddit = FakeReddit(listing)
    assert ids(stream(reddit).items(None)) == names(listing.items)
    assert reddit.opened == [{"pause_after": 0, "skip_existing": False, "continue_after_id": None}]
    assert reddit.subreddits == ["lumora"]


def test_praw_only_shows_the_newest_100_on_a_first_start() -> None:
    listing = Listing(comments(250))
    assert ids(stream(FakeReddit(listing)).items(None)) == names(listing.items[150:])


def test_skip_existing_starts_from_now() -> None:
    reddit = FakeReddit(Listing(comments(30)))
    assert list(stream(reddit, skip_existing=True).items(None)) == []
    assert reddit.opened[0]["skip_existing"] is True


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 17, 29])
def test_a_restart_after_k_items_yields_exactly_the_rest(k: int) -> None:
    listing = Listing(comments(30))
    first = list(itertools.islice(stream(FakeReddit(listing), stop_when_idle=False).items(None), k))
    reddit = FakeReddit(listing)
    rest = list(stream(reddit).items(first[-1].checkpoint))
    assert ids(first) + ids(rest) == names(listing.items)
    assert reddit.opened[0]["continue_after_id"] == listing.items[k - 1].fullname


def test_a_restart_at_the_end_yields_nothing_and_keeps_the_position() -> None:
    listing = Listing(comments(30))
    everything = list(stream(FakeReddit(listing)).items(None))
    assert list(stream(FakeReddit(listing)).items(everything[-1].checkpoint)) == []


def test_a_restart_catches_up_on_what_was_posted_while_down() -> None:
    """250 comments while the collector was down: more than one page, and more than praw's initial 100."""
    listing = Listing(comments(30))
    before = list(stream(FakeReddit(listing)).items(None))
    listing.post(*comments(250, start=30))
    after = list(stream(FakeReddit(listing)).items(before[-1].checkpoint))
    assert ids(after) == names(listing.items[30:])


def test_the_re_yielded_100_are_skipped_when_praw_falls_back_to_the_newest() -> None:
    """The checkpoint's last comment was deleted, so Reddit lists nothing after it; praw then re-reads
    the newest 100, of which only the 5 posted since are new."""
    listing = Listing(comments(60))
    before = list(stream(FakeReddit(listing)).items(None))
    listing.remove(listing.items[-1].fullname)
    listing.post(*comments(5, start=60))
    reddit = FakeReddit(listing)
    after = list(stream(reddit).items(before[-1].checkpoint))
    assert ids(after) == names(listing.items[-5:])
    assert listing.calls[-4:] == [
        {"limit": 100, "before": "t1_c001n"},  # the deleted anchor: nothing
        {"limit": 100, "before": None},  # praw's fallback: the newest 100 again
        {"limit": 100, "before": "t1_c001s"},
        {"limit": 99, "before": None},
    ]


def test_off_brand_items_are_skipped_and_deleted_brand_items_are_rejected() -> None:
    listing = Listing(
        [
            comment(1, body="nothing to see"),
            comment(2, body="Lumora rocks"),
            comment(3, body="[deleted]", author=None),  # text gone: cannot be a known brand mention
            comment(4, body="[removed]", author=None),
            comment(5, body="lumora again"),
        ]
    )
    items = list(stream(FakeReddit(listing)).items(None))
    assert ids(items) == ["t1_c0002", "t1_c0005"]


def test_a_removed_submission_that_matches_becomes_rejected_with_the_reason() -> None:
    listing = Listing(
        [
            submission(1, title="Lumora is unsafe", selftext="[removed]", removed_by_category="moderator"),
            submission(2, title="Lumora works"),
        ]
    )
    first, second = list(stream(FakeReddit(listing), kind="submissions").items(None))
    assert isinstance(first, Rejected)
    assert (first.reason, first.location) == ("removed (moderator)", "reddit:t3_s0001")
    assert b'"title": "Lumora is unsafe"' in first.raw
    assert Watermark.loads(first.checkpoint).last == "t3_s0001"  # a rejected item is past, too
    assert isinstance(second, Collected)
    assert second.mention.matched_rules == ("lumora",)
    assert second.mention.brand == "Lumora"


def test_the_checkpoint_key_names_kind_subreddits_and_brand() -> None:
    source = SubredditStreamSource(FakeReddit(), ["r/Lumora", "smarthome"], matches=lumora, brand="Lumora")
    assert source.checkpoint_key == "reddit:stream:comments:lumora+smarthome:Lumora"
    assert source.subreddit == "Lumora+smarthome"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"subreddits": []}, "at least one subreddit"),
        ({"subreddits": ["r/"]}, "not a subreddit name"),
        ({"kind": "messages"}, "kind must be"),
        ({"stop_when_idle": True, "pause_after": None}, "stop_when_idle needs pause_after"),
    ],
)
def test_bad_stream_options_are_config_errors(options: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"subreddits": ["lumora"], "matches": lumora, **options}
    with pytest.raises(ConfigError, match=message):
        SubredditStreamSource(FakeReddit(), **arguments)


# the stream: waiting -------------------------------------------------------------------------------
def test_idle_waits_follow_praws_exponential_counter() -> None:
    waits = Waits(stop_after=7)
    with pytest.raises(StopTestError):
        list(stream(FakeReddit(Listing(comments(3))), waits, stop_when_idle=False).items(None))
    for wait, base in zip(waits, [1, 2, 4, 8, 16, 16, 16], strict=True):
        assert base * (1 - 1 / 32) <= wait <= base * (1 + 1 / 32)


def test_new_items_reset_the_idle_wait() -> None:
    listing = Listing(comments(3))
    waits = Waits()

    def sleep(seconds: float) -> None:
        waits(seconds)
        if len(waits) == 3:
            listing.post(*comments(2, start=3))
        if len(waits) == 5:
            raise StopTestError

    source = stream(FakeReddit(listing), stop_when_idle=False, sleep=sleep)
    yielded: list[SourceItem] = []
    with pytest.raises(StopTestError):
        yielded.extend(source.items(None))
    assert ids(yielded) == names(listing.items)
    assert [round(wait) for wait in waits] == [1, 2, 4, 1, 2]


# the stream: errors ---------------------------------------------------------------------------------
def test_transient_errors_recreate_the_stream_without_losing_or_repeating_items() -> None:
    listing = Listing(comments(30))
    before = list(stream(FakeReddit(listing)).items(None))
    listing.post(*comments(250, start=30))
    first_call = len(listing.calls) + 1
    listing.fail = {
        first_call + 1: server_error(),  # mid catch-up, after the first page
        first_call + 2: server_error(),  # again, on the recreated stream
        first_call + 4: network_error(),
    }
    waits = Waits()
    reddit = FakeReddit(listing)
    after = list(stream(reddit, waits).items(before[-1].checkpoint))
    assert ids(after) == names(listing.items[30:])
    assert waits == [SERVER_BACKOFF_START_S, SERVER_BACKOFF_START_S * 2, NETWORK_BACKOFF_START_S]
    # every recreated stream continued after the newest comment it had received: comment 29 (the
    # checkpoint), 129 (after the first page of 100), again 129, then 229
    assert [options["continue_after_id"] for options in reddit.opened] == [
        listing.items[29].fullname,
        listing.items[129].fullname,
        listing.items[129].fullname,
        listing.items[229].fullname,
    ]


def test_a_rate_limit_waits_as_reddit_says_or_by_the_constants() -> None:
    listing = Listing(comments(3))
    listing.fail = {1: too_many_requests("7"), 2: too_many_requests(), 3: too_many_requests()}
    waits = Waits()
    assert len(list(stream(FakeReddit(listing), waits).items(None))) == 3
    assert waits == [7.0, RATE_LIMIT_BACKOFF_START_S * 2, RATE_LIMIT_BACKOFF_START_S * 4]


def test_server_waits_double_up_to_the_cap() -> None:
    assert [retry_delay(server_error(), attempt) for attempt in range(1, 9)] == [
        5.0,
        10.0,
        20.0,
        40.0,
        80.0,
        160.0,
        SERVER_BACKOFF_MAX_S,
        SERVER_BACKOFF_MAX_S,
    ]
    assert retry_delay(prawcore.ResponseException(response(502)), 1) == SERVER_BACKOFF_START_S


def test_giving_up_after_max_retries_raises_the_last_error() -> None:
    listing = Listing(comments(3))
    listing.fail = {call: server_error() for call in range(1, 10)}
    waits = Waits()
    with pytest.raises(prawcore.ServerError):
        list(stream(FakeReddit(listing), waits, max_retries=2).items(None))
    assert waits == [5.0, 10.0]


def redirect() -> prawcore.Redirect:
    return prawcore.Redirect(response(302, {"location": "https://www.reddit.com/subreddits/search.json"}))


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (prawcore.OAuthException(response(401), "invalid_grant", None), "refused the app's credentials"),
        (prawcore.InvalidToken(response(401)), "rejected the access token"),
        (prawcore.Forbidden(response(403)), "403 Forbidden for r/lumora comments"),
        (prawcore.InsufficientScope(response(403)), "lacks the scope"),
        (prawcore.NotFound(response(404)), "check the subreddit name"),
        (redirect(), "Reddit has no r/lumora comments"),
        (prawcore.BadRequest(response(400)), "Reddit refused the request"),
    ],
)
def test_auth_and_configuration_errors_stop_with_what_to_fix(error: Exception, message: str) -> None:
    listing = Listing(comments(3))
    listing.fail = {1: error}
    waits = Waits()
    with pytest.raises(ConfigError, match=message) as raised:
        list(stream(FakeReddit(listing), waits).items(None))
    assert raised.value.__cause__ is error
    assert waits == []


def test_credential_errors_name_the_settings_but_never_their_values() -> None:
    listing = Listing(comments(1))
    listing.fail = {1: prawcore.OAuthException(response(401), "invalid_grant", None)}
    with pytest.raises(ConfigError) as raised:
        list(stream(FakeReddit(listing)).items(None))
    text = str(raised.value)
    assert "SOCIALCARE_REDDIT_CLIENT_ID" in text
    assert "SOCIALCARE_REDDIT_PASSWORD" in text


def test_errors_that_are_not_reddits_propagate() -> None:
    listing = Listing(comments(3))
    listing.fail = {1: ValueError("a bug")}
    waits = Waits()
    with pytest.raises(ValueError, match="a bug"):
        list(stream(FakeReddit(listing), waits).items(None))
    assert waits == []


def test_retries_are_logged_as_key_value_without_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    listing = Listing([comment(1, body="Lumora secret text", author="private_person")])
    listing.fail = {1: server_error()}
    with caplog.at_level(logging.INFO, logger="collectors.reddit"):
        list(stream(FakeReddit(listing)).items(None))
    lines = [record.getMessage() for record in caplog.records]
    assert (
        "source=reddit:stream:comments:lumora:Lumora event=retry error=ServerError status=503 attempt=1 wait_s=5.0"
    ) in lines
    assert any("event=end received=1 yielded=1 rejected=0" in line for line in lines)
    assert not any("private_person" in line or "secret" in line for line in lines)


# search and inbox -----------------------------------------------------------------------------------
def search(reddit: FakeReddit, **options: Any) -> RedditSearchSource:
    settings: dict[str, Any] = {"matches": lumora, "brand": "Lumora", "sleep": Waits(), "clock": lambda: NOW}
    settings.update(options)
    return RedditSearchSource(reddit, "all", "lumora OR thermostat", **settings)


def test_search_passes_its_options_and_yields_oldest_first() -> None:
    posts = [submission(i, created=T0 + i // 2) for i in range(7)]
    reddit = FakeReddit(Listing(posts))
    items = list(search(reddit, time_filter="week").items(None))
    assert ids(items) == names(posts)
    assert reddit.searches == [
        {
            "query": "lumora OR thermostat",
            "sort": "new",
            "syntax": "lucene",
            "time_filter": "week",
            "limit": None,
        }
    ]
    assert search(reddit).checkpoint_key == "reddit:search:all:new:Lumora:lumora OR thermostat"


def test_search_resumes_after_its_checkpoint_and_takes_late_results() -> None:
    posts = [submission(i, created=T0 + i) for i in range(5)]
    listing = Listing(posts)
    first = list(search(FakeReddit(listing)).items(None))
    late = submission(10, created=T0 + 2)  # indexed late, with an older time than the checkpoint
    listing.post(late, submission(11, created=T0 + 9))
    again = list(search(FakeReddit(listing)).items(first[-1].checkpoint))
    assert ids(again) == ["t3_s000a", "t3_s000b"]
    assert list(search(FakeReddit(listing)).items(again[-1].checkpoint)) == []


def test_a_newest_first_search_stops_reading_at_the_first_old_result() -> None:
    class CountingReddit(FakeReddit):
        read = 0

        def subreddit(self, name: str) -> Any:
            parent = super().subreddit(name)
            outer = self

            class Searching:
                def search(self, query: str, **options: Any) -> Any:
                    for item in parent.search(query, **options):
                        outer.read += 1
                        yield item

            return Searching()

    posts = [submission(i, created=T0 + i * 1000) for i in range(50)]
    listing = Listing(posts)
    first = list(search(FakeReddit(listing)).items(None))
    listing.post(submission(60, created=T0 + 60_000))
    reddit = CountingReddit(listing)
    assert ids(search(reddit).items(first[-1].checkpoint)) == ["t3_s001o"]
    assert reddit.read == 3  # the new one, the checkpoint's own (seen), then the first old one
    relevance = CountingReddit(listing)
    list(search(relevance, sort="relevance").items(first[-1].checkpoint))
    assert relevance.read == 51  # a relevance order has no such shortcut


def test_a_failing_search_is_retried_then_given_up() -> None:
    listing = Listing([submission(1)])
    listing.fail = {1: server_error()}
    waits = Waits()
    assert len(list(search(FakeReddit(listing), sleep=waits).items(None))) == 1
    assert waits == [SERVER_BACKOFF_START_S]

    listing.fail = {call: network_error() for call in range(1, 20)}
    listing.calls.clear()
    waits = Waits()
    with pytest.raises(prawcore.RequestException):
        list(search(FakeReddit(listing), sleep=waits).items(None))
    assert len(waits) == POLL_MAX_RETRIES


def test_inbox_mentions_all_match_and_deleted_ones_are_rejected() -> None:
    listing = Listing(
        [
            comment(1, body="hey u/LumoraSupport my order"),
            comment(2, body="[deleted]", author=None),
            comment(3, body="u/LumoraSupport thanks"),
        ]
    )
    source = RedditInboxMentionsSource(FakeReddit(listing), brand="Lumora", clock=lambda: NOW)
    first, second, third = source.items(None)
    assert isinstance(first, Collected)
    assert first.mention.matched_rules == (USERNAME_MENTION_RULE,)
    assert isinstance(second, Rejected)
    assert (second.reason, second.location) == ("deleted by author", "reddit:t1_c0002")
    assert isinstance(third, Collected)
    assert source.checkpoint_key == "reddit:inbox:mentions:lumorasupport"


def test_an_unreadable_listing_item_is_rejected_not_dropped() -> None:
    class Message:  # a private message in a listing where only comments were expected
        def __init__(self) -> None:
            self.name = "t4_msg1"
            self.body = "hello"
            self.created_utc = T0
            self.fullname = "t4_msg1"

    listing = Listing([comment(1, body="u/LumoraSupport hi"), Message()])
    items = list(RedditInboxMentionsSource(FakeReddit(listing)).items(None))
    assert ids(items[:1]) == ["t1_c0001"]
    rejected = items[1]
    assert isinstance(rejected, Rejected)
    assert rejected.reason == "not a Reddit comment or submission: Message t4_msg1"
    assert rejected.location == "reddit Message t4_msg1"
