"""The filtered-stream reader and the rule sync against a local HTTP server that plays X's part.

There is no recording of the v2 filtered stream, so the server plays the documented shapes: chunked
newline-delimited JSON with ``\\r\\n`` keep-alives and ``matching_rules``, error messages in the stream, 429
with ``x-rate-limit-reset``, 5xx, and the rules endpoints' add/delete answers. Each stream connection plays
the next step of a script; the server stops itself after a deadline so a hung test cannot hang the run.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from collectors.base import Collected, Rejected, SourceItem
from collectors.x import (
    MemoryBudgetStore,
    PostBudget,
    XFilteredStreamSource,
    XRecentSearchSource,
    XStreamRules,
    limits,
    search_backfill,
)
from collectors.x.client import XApiError
from socialcare.errors import ConfigError, RateLimitError
from socialcare.settings import Settings

pytest.importorskip("requests")

NOW = datetime(2024, 6, 10, 9, 0, tzinfo=UTC)
WALL = 1_718_010_000.0
BASE_ID = 1_800_000_000_000_000_000
TAG = "socialcare:lumora"
SERVER_DEADLINE_S = 30.0


def pid(n: int) -> str:
    return str(BASE_ID + n)


def post_json(n: int) -> dict[str, Any]:
    return {
        "id": pid(n),
        "text": f"@LumoraHelp post {n}",
        "author_id": "2244994945",
        "created_at": "2024-06-10T08:00:00.000Z",
        "conversation_id": pid(n),
        "public_metrics": {"like_count": n, "retweet_count": 0, "reply_count": 0, "quote_count": 0},
        "lang": "en",
        "edit_history_tweet_ids": [pid(n)],
    }


USER = {"id": "2244994945", "username": "dana_k", "name": "Dana", "public_metrics": {"followers_count": 312}}


def message(n: int) -> bytes:
    payload = {
        "data": post_json(n),
        "includes": {"users": [USER]},
        "matching_rules": [{"id": "1790000000000000001", "tag": TAG}],
    }
    return json.dumps(payload).encode() + b"\r\n"


KEEP_ALIVE = b"\r\n"
MALFORMED = b'{"data": {"id": "' + pid(99).encode() + b'", "text": "cut off\r\n'
OPERATIONAL_DISCONNECT = (
    json.dumps(
        {
            "errors": [
                {
                    "title": "operational-disconnect",
                    "disconnect_type": "UpstreamOperationalDisconnect",
                    "detail": "This stream has been disconnected upstream for operational reasons.",
                    "type": "https://api.twitter.com/2/problems/operational-disconnect",
                }
            ]
        }
    ).encode()
    + b"\r\n"
)


# the server --------------------------------------------------------------------------------------
@dataclass
class Stream:
    """A 200 answer: chunks, then ``end``: "abort" (drop mid-chunk), "close" (clean end) or "hold"
    (keep-alives until the client leaves)."""

    chunks: list[bytes]
    end: str = "close"


@dataclass
class Status:
    code: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    body: Any = None


class FakeX:
    def __init__(self, steps: list[Stream | Status], rules: list[dict[str, str]] | None = None) -> None:
        self.steps = list(steps)
        self.rules = list(rules or [])
        self.requests: list[Seen] = []
        self.next_rule_id = 1_800_000_000_000_000_100
        self.lock = threading.Lock()
        self.rules_status: Status | None = None

    def stream_requests(self) -> list[Seen]:
        return [r for r in self.requests if r.path == "/2/tweets/search/stream"]

    def rule_posts(self) -> list[Seen]:
        return [r for r in self.requests if r.method == "POST"]


def make_handler(fake: FakeX) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _seen(self, body: Any = None) -> Seen:
            url = urlsplit(self.path)
            seen = Seen(self.command, url.path, dict(parse_qsl(url.query)), self.headers.get("Authorization"), body)
            with fake.lock:
                fake.requests.append(seen)
            return seen

        def do_GET(self) -> None:
            seen = self._seen()
            if seen.path == "/2/tweets/search/stream":
                with fake.lock:
                    step = fake.steps.pop(0) if fake.steps else Status(503, {"title": "script over"})
                if isinstance(step, Status):
                    self._json(step)
                else:
                    self._stream(step)
            elif seen.path == "/2/tweets/search/stream/rules":
                self._json(fake.rules_status or Status(200, {"data": fake.rules, "meta": {"result_count": 1}}))
            else:
                self._json(Status(404, {"title": "Not Found"}))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"null")
            seen = self._seen(body)
            if fake.rules_status is not None:
                self._json(fake.rules_status)
                return
            dry_run = seen.query.get("dry_run") == "true"
            if "delete" in body:
                ids = set(body["delete"]["ids"])
                if not dry_run:
                    fake.rules = [rule for rule in fake.rules if rule["id"] not in ids]
                self._json(Status(200, {"meta": {"summary": {"deleted": len(ids), "not_deleted": 0}}}))
                return
            created, errors = [], []
            for rule in body["add"]:
                if "INVALID" in rule["value"]:
                    errors.append(
                        {
                            "value": rule["value"],
                            "details": ["Reference to invalid operator 'INVALID'."],
                            "title": "UnprocessableEntity",
                            "type": "https://api.twitter.com/2/problems/invalid-rules",
                        }
                    )
                    continue
                fake.next_rule_id += 1
                created.append({"value": rule["value"], "tag": rule["tag"], "id": str(fake.next_rule_id)})
            if not dry_run:
                fake.rules.extend(created)
            answer: dict[str, Any] = {
                "data": created,
                "meta": {"summary": {"created": len(created), "not_created": len(errors)}},
            }
            if errors:
                answer["errors"] = errors
            self._json(Status(200, answer))

        def _json(self, status: Status) -> None:
            payload = json.dumps(status.body).encode()
            self.send_response(status.code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in status.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def _stream(self, step: Stream) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for chunk in step.chunks:
                    self._chunk(chunk)
                if step.end == "abort":  # promise 64 bytes, send 10, hang up: a dropped connection
                    self.wfile.write(b"40\r\n" + message(4)[:10])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if step.end == "hold":
                    deadline = time.monotonic() + 10
                    while time.monotonic() < deadline:
                        self._chunk(KEEP_ALIVE)
                        time.sleep(0.02)
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                self.close_connection = True  # the client went away

    return Handler


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[ThreadingHTTPServer] = []

    def start(fake: FakeX) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(fake))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        watchdog = threading.Timer(SERVER_DEADLINE_S, server.shutdown)
        watchdog.daemon = True
        watchdog.start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# fakes for the backfill --------------------------------------------------------------------------
class FakeSearchClient:
    def __init__(self, *pages: dict[str, Any]) -> None:
        self.pages = list(pages)
        self.calls: list[dict[str, Any]] = []

    def search_recent_tweets(self, query: str, **params: Any) -> object:
        self.calls.append({"query": query, **params})
        return self.pages.pop(0)


def stream_source(base_url: str, sleeps: list[float], **options: Any) -> XFilteredStreamSource:
    return XFilteredStreamSource(
        "test-token",
        base_url=base_url,
        brands_by_tag={TAG: "Lumora"},
        sleep=sleeps.append,
        wall_clock=lambda: WALL,
        clock=lambda: NOW,
        read_timeout=5.0,
        **options,
    )


def take_until(items: Iterator[SourceItem], last_id: str, limit: int = 50) -> list[SourceItem]:
    taken: list[SourceItem] = []
    for item in items:
        taken.append(item)
        if isinstance(item, Collected) and item.mention.source_id == last_id:
            break
        assert len(taken) < limit, "the stream never delivered the last post"
    items.close()  # type: ignore[attr-defined]
    return taken


def describe(items: list[SourceItem]) -> list[tuple[str, str]]:
    return [
        ("post", item.mention.source_id) if isinstance(item, Collected) else ("rejected", item.checkpoint)
        for item in items
    ]


# the stream --------------------------------------------------------------------------------------
def test_reconnects_with_backoff_dedupes_and_backfills_the_gap(serve: Any) -> None:
    fake = FakeX(
        [
            Stream(
                [
                    KEEP_ALIVE,
                    message(1),
                    KEEP_ALIVE,
                    message(2),
                    MALFORMED,
                    message(3),
                    OPERATIONAL_DISCONNECT,
                ],
                end="abort",  # post 4 was on its way
            ),
            Status(
                429,
                {"title": "ConnectionException", "detail": "Too many connections"},
                {"x-rate-limit-reset": str(int(WALL) + 90)},
            ),
            Status(503, {"title": "Service Unavailable"}),
            Stream([message(5), message(2), KEEP_ALIVE, message(6)], end="hold"),  # 5 and 2 again
        ]
    )
    base_url = serve(fake)
    backfill_client = FakeSearchClient(
        {
            "data": [post_json(5), post_json(4)],  # newest first, as X sends it
            "includes": {"users": [USER]},
            "meta": {"result_count": 2},
        }
    )
    backfill = search_backfill(
        XRecentSearchSource(backfill_client, '"lumora"', brand="Lumora", rule_name=TAG, clock=lambda: NOW)
    )
    sleeps: list[float] = []
    source = stream_source(base_url, sleeps, backfill=backfill, max_retries=5)

    items = take_until(source.items(None), pid(6))

    assert describe(items) == [
        ("post", pid(1)),
        ("post", pid(2)),
        ("rejected", pid(2)),  # the malformed line keeps the last checkpoint
        ("post", pid(3)),
        ("post", pid(4)),  # backfilled: cut off by the dropped connection
        ("post", pid(5)),  # backfilled: published during the outage; the stream's copy is dropped
        ("post", pid(6)),
    ]
    assert [item.checkpoint for item in items if isinstance(item, Collected)] == [pid(n) for n in range(1, 7)]
    rejected = items[2]
    assert isinstance(rejected, Rejected)
    assert rejected.raw == MALFORMED.rstrip(b"\r\n")
    assert rejected.reason.startswith("not JSON: ")
    assert rejected.location == "stream connection 1 line 5"  # keep-alives count as lines

    first = items[0]
    assert isinstance(first, Collected)
    assert first.mention.brand == "Lumora"
    assert first.mention.matched_rules == (TAG,)
    assert first.mention.author.handle == "dana_k"
    assert first.mention.conversation_id == f"x:{pid(1)}"
    assert first.mention.url == f"https://x.com/dana_k/status/{pid(1)}"

    # the waits: dropped connection (linear), 429 (honours the reset 90 s ahead), 503 (exponential,
    # continuing from the 429's doubled wait), never shorter than the policy minimum
    assert sleeps == [limits.NETWORK_ERROR_WAIT_STEP, 90.0, 2 * limits.HTTP_429_WAIT_START]
    assert min(sleeps) >= limits.NETWORK_ERROR_WAIT_STEP
    streams = fake.stream_requests()
    assert len(streams) == 4
    assert all(r.authorization == "Bearer test-token" for r in streams)
    assert streams[0].query == {
        "expansions": "author_id",
        "tweet.fields": "created_at,public_metrics,conversation_id,referenced_tweets,lang,entities,"
        "note_tweet,edit_history_tweet_ids,author_id",
        "user.fields": "username,name,public_metrics,verified",
    }
    # one backfill, after the reconnect that worked, from the last post before the drop
    assert [call["since_id"] for call in backfill_client.calls] == [pid(3)]
    stats = source.stats
    assert (stats.connections, stats.connected, stats.backfills, stats.duplicates) == (4, 2, 1, 2)
    assert stats.keep_alives >= 3


def test_a_restart_from_a_checkpoint_backfills_first(serve: Any) -> None:
    fake = FakeX([Stream([message(8)], end="hold")])
    backfill_client = FakeSearchClient({"data": [post_json(7)], "includes": {"users": [USER]}, "meta": {}})
    backfill = search_backfill(
        XRecentSearchSource(backfill_client, "lumora", brand="Lumora", rule_name=TAG, clock=lambda: NOW)
    )
    source = stream_source(serve(fake), [], backfill=backfill)
    items = take_until(source.items(pid(6)), pid(8))
    assert describe(items) == [("post", pid(7)), ("post", pid(8))]
    assert backfill_client.calls[0]["since_id"] == pid(6)


def test_a_failed_backfill_is_retried_after_the_next_reconnect(serve: Any) -> None:
    fake = FakeX([Stream([message(1)], end="abort"), Stream([], end="abort"), Stream([message(3)], end="hold")])
    calls: list[str] = []

    def backfill(since_id: str) -> list[SourceItem]:
        calls.append(since_id)
        if len(calls) == 1:
            raise RateLimitError("X rate limit on recent search", retry_after=60)
        return []

    sleeps: list[float] = []
    source = stream_source(serve(fake), sleeps, backfill=backfill)
    items = take_until(source.items(None), pid(3))
    assert describe(items) == [("post", pid(1)), ("post", pid(3))]
    assert calls == [pid(1), pid(1)]
    assert source.stats.failed_backfills == 1
    assert sleeps == [0.25, 0.5]  # the second connection delivered nothing: the backoff kept growing


def test_http_errors_back_off_exponentially_and_give_up_after_max_retries(serve: Any) -> None:
    fake = FakeX([Status(503, {"title": "Service Unavailable"}) for _ in range(5)])
    sleeps: list[float] = []
    with pytest.raises(XApiError, match="gave up after 4 failed connections in a row") as caught:
        list(stream_source(serve(fake), sleeps, max_retries=3).items(None))
    assert caught.value.status == 503
    assert sleeps == [5.0, 10.0, 20.0]
    assert len(fake.stream_requests()) == 4


def test_connections_that_deliver_nothing_never_reconnect_in_a_tight_loop(serve: Any) -> None:
    fake = FakeX([Stream([], end="close") for _ in range(4)])
    sleeps: list[float] = []
    with pytest.raises(XApiError, match="delivered nothing"):
        list(stream_source(serve(fake), sleeps, max_retries=3).items(None))
    assert sleeps == [0.25, 0.5, 0.75]


def test_network_errors_back_off_linearly() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    source = stream_source(f"http://127.0.0.1:{port}", sleeps, max_retries=4)
    with pytest.raises(XApiError, match="cannot connect"):
        list(source.items(None))
    assert sleeps == [0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize(("status", "hint"), [(401, "check SOCIALCARE_X_BEARER_TOKEN"), (403, "Forbidden")])
def test_auth_errors_are_raised_at_once(serve: Any, status: int, hint: str) -> None:
    fake = FakeX([Status(status, {"title": "Unauthorized" if status == 401 else "Forbidden"})])
    sleeps: list[float] = []
    with pytest.raises(XApiError, match=hint):
        list(stream_source(serve(fake), sleeps).items(None))
    assert sleeps == []


def test_stop_ends_the_stream_and_the_budget_is_charged_per_post(serve: Any) -> None:
    fake = FakeX([Stream([message(1), message(2), message(3)], end="hold")])
    store = MemoryBudgetStore()
    budget = PostBudget(store, 100, save_every=10, clock=lambda: NOW)
    source = stream_source(serve(fake), [], budget=budget)
    received = []
    for item in source.items(None):
        received.append(item)
        if len(received) == 2:
            source.stop()
    assert describe(received) == [("post", pid(1)), ("post", pid(2))]
    assert store.counts == {"2024-06": 2}  # flushed when the stream ended


def test_a_used_up_budget_stops_the_stream_before_connecting(serve: Any) -> None:
    fake = FakeX([])
    budget = PostBudget(MemoryBudgetStore({"2024-06": 100}), 100, clock=lambda: NOW)
    with pytest.raises(RateLimitError, match="monthly post cap"):
        list(stream_source(serve(fake), [], budget=budget).items(None))
    assert fake.requests == []


def test_from_settings_uses_the_token_and_base_url(serve: Any) -> None:
    fake = FakeX([Stream([message(1)], end="hold")])
    settings = Settings.model_validate({"x_bearer_token": "settings-token", "x_api_base_url": serve(fake)})
    source = XFilteredStreamSource.from_settings(settings, sleep=lambda _: None)
    assert describe(take_until(source.items(None), pid(1))) == [("post", pid(1))]
    assert fake.stream_requests()[0].authorization == "Bearer settings-token"


# rules -------------------------------------------------------------------------------------------
RULES = [
    {"id": "1", "value": "lumora lang:en", "tag": "socialcare:lumora"},
    {"id": "2", "value": "lumorahelp", "tag": "socialcare:old"},
    {"id": "3", "value": "cats", "tag": "marketing:cats"},
    {"id": "4", "value": "dogs"},
    {"id": "6", "value": "lumora has:media", "tag": "socialcare:lumora-media-v1"},
]
DESIRED = [
    ("lumora lang:en", "socialcare:lumora"),
    ("lumora has:media", "socialcare:lumora-media"),
    ("#lumorafail", "socialcare:lumora-fail"),
]


def test_sync_rules_adds_missing_deletes_stale_and_leaves_others_alone(serve: Any) -> None:
    fake = FakeX([], rules=RULES)
    source = stream_source(serve(fake), [])
    changes = source.sync_rules(DESIRED)

    posts = fake.rule_posts()
    assert [post.body for post in posts] == [
        {"delete": {"ids": ["2", "6"]}},
        {
            "add": [
                {"value": "lumora has:media", "tag": "socialcare:lumora-media"},
                {"value": "#lumorafail", "tag": "socialcare:lumora-fail"},
            ]
        },
    ]
    assert all(post.query == {} and post.authorization == "Bearer test-token" for post in posts)
    assert [(r.id, r.value, r.tag) for r in changes.deleted] == [
        ("2", "lumorahelp", "socialcare:old"),
        ("6", "lumora has:media", "socialcare:lumora-media-v1"),
    ]
    assert [(r.value, r.tag) for r in changes.added] == [
        ("lumora has:media", "socialcare:lumora-media"),
        ("#lumorafail", "socialcare:lumora-fail"),
    ]
    assert all(r.id for r in changes.added)  # the ids X assigned
    assert [r.id for r in changes.kept] == ["1"]
    assert {rule["id"] for rule in fake.rules} >= {"1", "3", "4"}  # someone else's rules untouched

    again = source.sync_rules(DESIRED)
    assert not again.changed
    assert len(fake.rule_posts()) == 2  # in sync: nothing posted


def test_sync_rules_dry_run_posts_with_dry_run_and_changes_nothing(serve: Any) -> None:
    fake = FakeX([], rules=RULES)
    rules = XStreamRules("test-token", base_url=serve(fake))
    changes = rules.sync(DESIRED, dry_run=True)
    assert changes.dry_run and changes.changed
    assert [post.query for post in fake.rule_posts()] == [{"dry_run": "true"}, {"dry_run": "true"}]
    assert fake.rules == RULES


def test_sync_rules_reports_rules_x_refuses(serve: Any) -> None:
    fake = FakeX([], rules=[])
    rules = XStreamRules("test-token", base_url=serve(fake))
    with pytest.raises(XApiError, match=r"refused 1 of 2 stream rules: 'lumora INVALID:x': UnprocessableEntity"):
        rules.sync([("lumora", "socialcare:a"), ("lumora INVALID:x", "socialcare:b")])


def test_sync_rules_checks_the_desired_rules_before_any_request(serve: Any) -> None:
    fake = FakeX([], rules=RULES)
    settings = Settings.model_validate({"x_bearer_token": "t", "x_api_base_url": serve(fake), "x_rule_max_length": 20})
    rules = XStreamRules.from_settings(settings)
    with pytest.raises(ConfigError, match="23 characters long; X accepts at most 20"):
        rules.sync([("lumora OR lumorahelp OR", "socialcare:long")])
    with pytest.raises(ConfigError, match="must start with 'socialcare:'"):
        rules.sync([("lumora", "marketing:lumora")])
    with pytest.raises(ConfigError, match="desired twice"):
        rules.sync([("lumora", "socialcare:a"), ("lumora", "socialcare:b")])
    assert fake.requests == []


def test_sync_rules_rate_limit_is_raised_with_the_reset(serve: Any) -> None:
    fake = FakeX([], rules=RULES)
    fake.rules_status = Status(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(int(WALL) + 300)})
    rules = XStreamRules("test-token", base_url=serve(fake), wall_clock=lambda: WALL)
    with pytest.raises(RateLimitError) as caught:
        rules.sync(DESIRED)
    assert caught.value.retry_after == 300.0
    assert len(fake.requests) == 1  # never retried here
