"""Recent search and mentions polls over a fake tweepy client: order, pages, checkpoints, limits."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from collectors.base import Collected, Rejected, SourceItem
from collectors.runner import run_source
from collectors.x import (
    MemoryBudgetStore,
    PostBudget,
    XMentionsSource,
    XRecentSearchSource,
    resolve_user_id,
    search_backfill,
)
from collectors.x.client import XApiError
from collectors.x.normalize import as_json_object
from collectors.x.search import parse_page
from socialcare.errors import ConfigError, RateLimitError

tweepy = pytest.importorskip("tweepy")
requests = pytest.importorskip("requests")

NOW = datetime(2024, 6, 10, 9, 0, tzinfo=UTC)
BASE_ID = 1_800_000_000_000_000_000


def post(n: int, **fields: Any) -> dict[str, Any]:
    post_id = str(BASE_ID + n)
    return {
        "id": post_id,
        "text": f"@LumoraHelp post {n}",
        "author_id": str(100 + n % 3),
        "created_at": "2024-06-10T08:00:00.000Z",
        "edit_history_tweet_ids": [post_id],
        **fields,
    }


def user(n: int) -> dict[str, Any]:
    return {
        "id": str(100 + n),
        "username": f"user{n}",
        "name": f"User {n}",
        "public_metrics": {"followers_count": n},
    }


def page(numbers: list[int], next_token: str | None = None, extra: list[Any] | None = None) -> dict[str, Any]:
    """A page as X sends it: newest first, users in includes."""
    data: list[Any] = [post(n) for n in sorted(numbers, reverse=True)] + list(extra or [])
    meta: dict[str, Any] = {"result_count": len(data)}
    if next_token:
        meta["next_token"] = next_token
    return {"data": data, "includes": {"users": [user(0), user(1), user(2)]}, "meta": meta}


def http_error(status: int, body: bytes = b"{}", headers: dict[str, str] | None = None) -> Exception:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers.update(headers or {})
    reset = (headers or {}).get("x-rate-limit-reset")
    if status == 429:
        error: Exception = tweepy.TooManyRequests(response, reset_time=int(reset) if reset else None)
    elif status >= 500:
        error = tweepy.TwitterServerError(response)
    elif status == 400:
        error = tweepy.BadRequest(response)
    else:
        error = tweepy.HTTPException(response)
    return error


class FakeClient:
    """Answers search and mentions calls from a script; an Exception in the script is raised."""

    def __init__(self, *answers: object) -> None:
        self.answers = list(answers)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def _answer(self, name: str, params: dict[str, Any]) -> object:
        self.calls.append((name, params))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def search_recent_tweets(self, query: str, **params: Any) -> object:
        return self._answer(f"search {query}", params)

    def get_users_mentions(self, id: str, **params: Any) -> object:
        return self._answer(f"mentions {id}", params)

    def get_user(self, *, username: str, **params: Any) -> object:
        return self._answer(f"user {username}", params)


def search(client: FakeClient, **options: Any) -> XRecentSearchSource:
    options.setdefault("sleep", lambda _: None)
    options.setdefault("rule_name", "core")
    return XRecentSearchSource(client, "lumora -is:retweet", brand="Lumora", clock=lambda: NOW, **options)


def ids(items: list[SourceItem]) -> list[int]:
    return [int(item.mention.source_id) - BASE_ID for item in items if isinstance(item, Collected)]


def test_a_poll_reads_every_page_then_yields_oldest_first_with_id_checkpoints() -> None:
    client = FakeClient(page([9, 8, 7], next_token="p2"), page([6, 5], next_token="p3"), page([4]))
    items = list(search(client).items(str(BASE_ID + 3)))
    assert ids(items) == [4, 5, 6, 7, 8, 9]
    assert [item.checkpoint for item in items] == [str(BASE_ID + n) for n in [4, 5, 6, 7, 8, 9]]
    first = items[0]
    assert isinstance(first, Collected)
    assert first.mention.author.handle == "user1"
    assert first.mention.url == f"https://x.com/user1/status/{BASE_ID + 4}"
    assert first.mention.matched_rules == ("core",)
    assert first.mention.brand == "Lumora"
    base = {
        "expansions": ["author_id"],
        "tweet_fields": [
            "created_at",
            "public_metrics",
            "conversation_id",
            "referenced_tweets",
            "lang",
            "entities",
            "note_tweet",
            "edit_history_tweet_ids",
            "author_id",
        ],
        "user_fields": ["username", "name", "public_metrics", "verified"],
        "max_results": 100,
        "since_id": str(BASE_ID + 3),
    }
    assert client.calls == [
        ("search lumora -is:retweet", base),
        ("search lumora -is:retweet", {**base, "next_token": "p2"}),
        ("search lumora -is:retweet", {**base, "next_token": "p3"}),
    ]


def test_no_checkpoint_means_no_since_id_and_an_empty_window_yields_nothing() -> None:
    client = FakeClient({"meta": {"result_count": 0}})
    assert list(search(client).items(None)) == []
    assert "since_id" not in client.calls[0][1]


def test_the_page_cap_cuts_the_poll_and_says_so(caplog: pytest.LogCaptureFixture) -> None:
    client = FakeClient(page([9, 8], next_token="p2"), page([7, 6], next_token="p3"))
    items = list(search(client, max_pages=2).items(None))
    assert ids(items) == [6, 7, 8, 9]
    assert len(client.calls) == 2
    assert any("cut short by the page cap of 2 pages" in r.getMessage() for r in caplog.records)


def test_a_rate_limit_mid_poll_yields_nothing_so_the_checkpoint_stays() -> None:
    client = FakeClient(page([9, 8], next_token="p2"), http_error(429, headers={"x-rate-limit-reset": "1000900"}))
    source = search(client, wall_clock=lambda: 1_000_000.0)
    yielded: list[SourceItem] = []
    with pytest.raises(RateLimitError) as caught:
        yielded.extend(source.items(str(BASE_ID)))
    assert caught.value.retry_after == 900.0
    assert yielded == []


def test_server_errors_are_retried_within_the_poll() -> None:
    sleeps: list[float] = []
    client = FakeClient(http_error(503), http_error(502), page([2, 1]))
    assert ids(list(search(client, sleep=sleeps.append).items(None))) == [1, 2]
    assert sleeps == [1.0, 2.0]


def test_a_since_id_too_old_for_recent_search_falls_back_to_the_whole_window(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = http_error(
        400,
        b"{\"errors\": [{\"message\": \"Invalid 'since_id':'1'. 'since_id' must be a tweet id created "
        b'after 2024-06-03T09:00Z"}], "title": "Invalid Request"}',
    )
    client = FakeClient(refused, page([2, 1]))
    assert ids(list(search(client).items(str(BASE_ID - 5)))) == [1, 2]
    assert "since_id" in client.calls[0][1]
    assert "since_id" not in client.calls[1][1]
    assert any("refused by X" in r.getMessage() for r in caplog.records)


def test_other_bad_requests_are_raised() -> None:
    client = FakeClient(http_error(400, b'{"errors": [{"message": "There were errors processing your request"}]}'))
    with pytest.raises(XApiError) as caught:
        list(search(client).items(str(BASE_ID)))
    assert caught.value.status == 400


def test_bad_posts_are_rejected_in_place_and_posts_without_ids_come_last() -> None:
    bad = post(5, public_metrics={"like_count": -3})
    client = FakeClient(page([6, 4], extra=[bad, {"text": "no id at all"}, "not even an object"]))
    items = list(search(client).items(None))
    assert [type(item).__name__ for item in items] == [
        "Collected",
        "Rejected",
        "Collected",
        "Rejected",
        "Rejected",
    ]
    rejected = [item for item in items if isinstance(item, Rejected)]
    assert rejected[0].checkpoint == str(BASE_ID + 5)
    assert "like_count is -3" in rejected[0].reason
    assert "without a usable id" in rejected[1].reason
    assert rejected[1].checkpoint == rejected[2].checkpoint == str(BASE_ID + 6)  # never moves back
    assert "not an X JSON object" in rejected[2].reason


def test_duplicate_posts_across_pages_are_yielded_once() -> None:
    client = FakeClient(page([5, 4], next_token="p2"), page([4, 3]))
    assert ids(list(search(client).items(None))) == [3, 4, 5]


def test_tweepy_response_objects_are_read_like_json() -> None:
    answer = page([2, 1], next_token="nt")
    response = tweepy.Response(
        data=[tweepy.Tweet(p) for p in answer["data"]],
        includes={"users": [tweepy.User(u) for u in answer["includes"]["users"]]},
        errors=[],
        meta=answer["meta"],
    )
    parsed, plain = parse_page(response), parse_page(answer)
    assert [as_json_object(tweet) for tweet in parsed.tweets] == plain.tweets == answer["data"]
    assert parsed.users == plain.users
    assert parsed.next_token == plain.next_token == "nt"
    assert sorted(parsed.users) == ["100", "101", "102"]


def test_the_post_budget_is_charged_per_page_and_cuts_the_poll(caplog: pytest.LogCaptureFixture) -> None:
    store = MemoryBudgetStore()
    budget = PostBudget(store, 5, clock=lambda: NOW)
    client = FakeClient(page([9, 8, 7], next_token="p2"), page([6, 5, 4], next_token="p3"))
    items = list(search(client, budget=budget).items(None))
    assert ids(items) == [4, 5, 6, 7, 8, 9]  # already paid for: published
    assert len(client.calls) == 2
    assert store.counts == {"2024-06": 6}
    assert any("cut short by the post budget" in r.getMessage() for r in caplog.records)
    with pytest.raises(RateLimitError, match="monthly post cap"):
        list(search(FakeClient(), budget=budget).items(None))


def test_the_runner_saves_the_newest_id_after_publishing(tmp_path: Any) -> None:
    from socialcare.bus.embedded import EmbeddedTransport
    from socialcare.store import migrate
    from socialcare.store.checkpoints import CheckpointStore
    from socialcare.store.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    migrate.upgrade(engine)
    checkpoints = CheckpointStore(engine)
    checkpoints.save("x:search:core", str(BASE_ID))
    transport = EmbeddedTransport(engine)
    client = FakeClient(page([3, 2, 1]))
    report = run_source(search(client), transport.producer(), checkpoints, batch_size=2)
    assert report.published == 3
    assert checkpoints.load("x:search:core") == str(BASE_ID + 3)
    assert client.calls[0][1]["since_id"] == str(BASE_ID)
    engine.dispose()


def test_a_corrupt_checkpoint_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="not an X post id"):
        list(search(FakeClient()).items("yesterday"))


def test_mentions_poll_with_pagination_token() -> None:
    client = FakeClient(page([3, 2], next_token="m2"), page([1]))
    source = XMentionsSource(client, "783214", brand="Lumora", clock=lambda: NOW, sleep=lambda _: None)
    items = list(source.items(None))
    assert ids(items) == [1, 2, 3]
    assert items[0].mention.matched_rules == ("mentions:783214",)  # type: ignore[union-attr]
    assert [name for name, _ in client.calls] == ["mentions 783214", "mentions 783214"]
    assert client.calls[1][1]["pagination_token"] == "m2"
    assert "next_token" not in client.calls[1][1]


def test_mentions_need_a_numeric_user_id() -> None:
    with pytest.raises(ConfigError, match="resolve_user_id"):
        XMentionsSource(FakeClient(), "@LumoraHelp", brand="Lumora")


def test_resolve_user_id_reports_an_unknown_account() -> None:
    answer = {"errors": [{"detail": "Could not find user with username: [nobody_here].", "title": "Not Found Error"}]}
    with pytest.raises(ConfigError, match="Could not find user with username"):
        resolve_user_id(FakeClient(answer), "@nobody_here")
    client = FakeClient({"data": {"id": "783214", "username": "Twitter", "name": "Twitter"}})
    assert resolve_user_id(client, " @Twitter ") == "783214"
    assert client.calls == [("user Twitter", {})]


def test_search_backfill_merges_several_rules_oldest_first() -> None:
    a = search(FakeClient(page([5, 1])), rule_name="a")
    b = search(FakeClient(page([4, 2])), rule_name="b")
    assert ids(search_backfill(a, b)(str(BASE_ID))) == [1, 2, 4, 5]


def test_an_empty_query_is_refused() -> None:
    with pytest.raises(ConfigError, match="empty"):
        XRecentSearchSource(FakeClient(), "  ", brand=None, rule_name="core")


def test_poll_summary_is_one_info_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="collectors.x.search")
    list(search(FakeClient(page([2, 1]))).items(None))
    lines = [r.getMessage() for r in caplog.records if r.name == "collectors.x.search"]
    assert lines == [f"source=x:search:core pages=1 posts=2 rejected=0 since_id=start newest_id={BASE_ID + 2} cut=no"]
