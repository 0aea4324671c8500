"""The X collector against real X API v2 traffic recorded by the tweepy project (vcrpy, replay only).

The recordings asked for X's default fields only (``GET /2/tweets/search/recent?query=Tweepy``, ``GET
/2/users/783214/mentions``, ``GET /2/users/by/username/Twitter``: no expansions, no fields, no
``max_results``). The exact-match tests therefore run the sources with :meth:`TweetRequest.bare` and match
on method, scheme, host, port, path and the full query, so the request the source builds must equal the
recorded one. One more test sends the production request (expansions and fields) and matches with a
matcher that requires the recorded parameters to be present with the same values, and asserts the extra
parameters it sent.

The recorded answers hold ``id``, ``text`` and ``edit_history_tweet_ids`` only: no author, no time, no
metrics, no threading. So these tests pin the mention ids, texts, urls (the handle-less form),
``created_at`` (derived from the snowflake id; the tweepy test posts carry their own creation time in the
text, which cross-checks it), empty author/metrics/threading, oldest-first order with id checkpoints, and
the page request that follows ``meta.next_token``. Authors, metrics and threading are covered by the unit
tests, built from X's documented payloads.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from collectors.base import Collected, SourceItem
from collectors.x import TweetRequest, XMentionsSource, XRecentSearchSource, make_client, resolve_user_id
from socialcare.models import Author, Mention, Metrics
from socialcare.settings import Settings

vcr = pytest.importorskip("vcr")
from vcr.errors import CannotOverwriteExistingCassetteException  # noqa: E402

NOW = datetime(2022, 10, 8, 0, 0, tzinfo=UTC)
EXACT = ["method", "scheme", "host", "port", "path", "query"]

SEARCH_TWEEPY = [  # test_client_search_recent_tweets.yaml, oldest first
    ("1578511538419212288", "2022-10-07T22:24:12.742Z", "2022-10-07 22:24:12.640234 tweepy"),
    ("1578512041748627456", "2022-10-07T22:26:12.745Z", "2022-10-07 22:26:12.636589 tweepy"),
    ("1578512545039585281", "2022-10-07T22:28:12.739Z", "2022-10-07 22:28:12.636547 tweepy"),
    ("1578513048372797440", "2022-10-07T22:30:12.743Z", "2022-10-07 22:30:12.636684 tweepy"),
    ("1578513551664173057", "2022-10-07T22:32:12.737Z", "2022-10-07 22:32:12.637974 tweepy"),
    ("1578514055010324480", "2022-10-07T22:34:12.744Z", "2022-10-07 22:34:12.636539 tweepy"),
    ("1578514558372618243", "2022-10-07T22:36:12.755Z", "2022-10-07 22:36:12.640460 tweepy"),
    ("1578515061600964608", "2022-10-07T22:38:12.734Z", "2022-10-07 22:38:12.636554 tweepy"),
    ("1578515564971970560", "2022-10-07T22:40:12.747Z", "2022-10-07 22:40:12.640354 tweepy"),
    ("1578516068309794817", "2022-10-07T22:42:12.752Z", "2022-10-07 22:42:12.637103 tweepy"),
]
SEARCH_NEXT_TOKEN = "b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul"

RT = (
    "RT @t6dr1ve: #TwitterBots go away! We don't need your help! #Tweepy #OpenAI #MEME #Python "
    "#Programming #DataScience #Blockchain #Cardano #A…"
)
SEARCH_TWEEPY_ASYNC = [  # test_asyncclient_search_recent_tweets.yaml: timestamps and retweets
    ("1578519088158371840", "2022-10-07T22:54:12.740Z", "2022-10-07 22:54:12.636526 tweepy"),
    ("1578519591474511872", "2022-10-07T22:56:12.740Z", "2022-10-07 22:56:12.636619 tweepy"),
    ("1578519902427619328", "2022-10-07T22:57:26.877Z", RT),
    ("1578520094778740736", "2022-10-07T22:58:12.737Z", "2022-10-07 22:58:12.637170 tweepy"),
    ("1578520573914718208", "2022-10-07T23:00:06.972Z", RT),
    ("1578520598170386433", "2022-10-07T23:00:12.755Z", "2022-10-07 23:00:12.636983 tweepy"),
    ("1578521101444841473", "2022-10-07T23:02:12.745Z", "2022-10-07 23:02:12.636630 tweepy"),
    ("1578521604837212160", "2022-10-07T23:04:12.763Z", "2022-10-07 23:04:12.641218 tweepy"),
    ("1578522108187283456", "2022-10-07T23:06:12.771Z", "2022-10-07 23:06:12.640564 tweepy"),
    ("1578522194770296832", "2022-10-07T23:06:33.414Z", RT),
]

MENTIONS_TWITTER = [  # test_client_get_users_mentions.yaml (user 783214 = @Twitter), oldest first
    (
        "1578516107798884353",
        "2022-10-07T22:42:22.167Z",
        "So, I am down on @elonmusk because of @Twitter purchase, but this is post is BS. https://t.co/g9y9ogoiSO",
    ),
    ("1578516142770909184", "2022-10-07T22:42:30.505Z", "@twitter bring back minimized playback for video"),
    (
        "1578516149339574274",
        "2022-10-07T22:42:32.071Z",
        "Hate to say it, but that's a point in Zuck's corner @Twitter",
    ),
    (
        "1578516190862794753",
        "2022-10-07T22:42:41.971Z",
        "@itsJeffTiedrich @twitter where is the false information banner.",
    ),
    (
        "1578516220231397376",
        "2022-10-07T22:42:48.973Z",
        "@Twitter make \U0001f928 an available reaction emoji in dms",
    ),
    (
        "1578516230448631808",
        "2022-10-07T22:42:51.409Z",
        "@KateTalksTruth @elonmusk Can't @twitter be liable for vaccine injuries if they censor "
        "information from a medical doctor like this? Hmmmmm",
    ),
    ("1578516242867945475", "2022-10-07T22:42:54.370Z", "@MercyKnifed @Twitter what the fuck???"),
    (
        "1578516249856077825",
        "2022-10-07T22:42:56.036Z",
        "@KeepusAllFree @AmoonRawh @FatefulHaven @jakeshieldsajj @Twitter Also explains why they’re "
        "not even doing trials on their boosters. They are laughing at how easily they’ve convinced "
        "ppl of bs https://t.co/gUCbF0ppL7",
    ),
    (
        "1578516273537118209",
        "2022-10-07T22:43:01.682Z",
        "Good @WilliamCohan financial dissection of @elonmusk’s @Twitter  deal—saying his choice was to "
        "pay “$12 billion-or-so for nothing, or pay another $10 billion or so and own 78.8% of a private "
        "Twitter and control everything.” Also: nice headline, @PuckNews. https://t.co/jBgJzKrpZd",
    ),
    (
        "1578516295611748353",
        "2022-10-07T22:43:06.945Z",
        "@Twitter @TwitterSupport this is my ENTIRE feed, why do you think i want this. respond to my "
        "ticket. https://t.co/W5GxALkkZd",
    ),
]
MENTIONS_NEXT_TOKEN = "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j"

MENTIONS_TWITTER_ASYNC = [  # test_asyncclient_get_users_mentions.yaml
    (
        "1578522395434192896",
        "2022-10-07T23:07:21.256Z",
        ".@Twitter #PBS says we aren’t getting enough #immigrants to fill #jobs, blaming poor #economy on "
        "this! @TuckerCarlson @FoxNews @NewsHour",
    ),
    ("1578522401263919106", "2022-10-07T23:07:22.646Z", "@GerardDalbon @Twitter @dsa_intl_comm What why?"),
]


@pytest.fixture(scope="module")
def cassettes(shared_data: Path) -> Path:
    folder = shared_data / "cassettes" / "tweepy"
    if not folder.is_dir():
        pytest.fail(f"{folder} is missing from the shared data")
    return folder


@pytest.fixture
def client() -> Any:
    return make_client(Settings.model_validate({"x_bearer_token": "recorded-traffic-needs-no-token"}))


class Replay:
    """A vcr replayer; ``sent`` keeps each request the client sent, as (method, path, sorted query)."""

    def __init__(self, folder: Path, match_on: list[str], client: Any) -> None:
        self.sent: list[tuple[str, str, list[tuple[str, str]]]] = []
        self.vcr = vcr.VCR(
            cassette_library_dir=str(folder),
            record_mode="none",
            filter_headers=["Authorization"],
            decode_compressed_response=True,
            match_on=match_on,
        )
        self.vcr.register_matcher("recorded_query_subset", _recorded_query_subset)
        send = client.session.send

        def keep(request: Any, **options: Any) -> Any:
            url = urlsplit(request.url)
            self.sent.append((request.method, url.path, sorted(parse_qsl(url.query))))
            return send(request, **options)

        client.session.send = keep

    def use(self, name: str) -> Any:
        return self.vcr.use_cassette(name)


def _recorded_query_subset(live: Any, recorded: Any) -> None:
    """Every recorded query parameter is in the live request with the same value (extras allowed)."""
    sent = dict(live.query)
    missing = {key: value for key, value in recorded.query if sent.get(key) != value}
    assert not missing, f"recorded query parameters not sent: {missing}"


def expected(rows: list[tuple[str, str, str]], *, brand: str, rule: str) -> list[Mention]:
    return [
        Mention(
            id=f"x:{post_id}",
            source="x",
            source_id=post_id,
            url=f"https://x.com/i/web/status/{post_id}",
            text=text,
            created_at=datetime.fromisoformat(created),
            collected_at=NOW,
            author=Author(id="unknown"),
            metrics=Metrics(),
            conversation_id=None,
            in_reply_to=None,
            brand=brand,
            matched_rules=(rule,),
            lang=None,
        )
        for post_id, created, text in rows
    ]


def run(items: Iterator[SourceItem]) -> tuple[list[Mention], list[str]]:
    collected = list(items)
    assert all(isinstance(item, Collected) for item in collected)
    return [item.mention for item in collected if isinstance(item, Collected)], [i.checkpoint for i in collected]


def assert_times_match_texts(mentions: list[Mention]) -> None:
    """tweepy's test posts say when they were made; the id-derived time is just after (posting latency)."""
    checked = 0
    for mention in mentions:
        if mention.text.endswith(" tweepy"):
            written = datetime.strptime(mention.text[:-7], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=UTC)
            assert timedelta(0) <= mention.created_at - written < timedelta(seconds=1), mention.id
            checked += 1
    assert checked >= 7


# recent search -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cassette", "rows"),
    [
        ("test_client_search_recent_tweets.yaml", SEARCH_TWEEPY),
        ("test_asyncclient_search_recent_tweets.yaml", SEARCH_TWEEPY_ASYNC),
    ],
)
def test_recent_search_replays_the_recorded_request_and_yields_oldest_first(
    cassettes: Path, client: Any, cassette: str, rows: list[tuple[str, str, str]]
) -> None:
    replay = Replay(cassettes, EXACT, client)
    source = XRecentSearchSource(
        client,
        "Tweepy",
        brand="Tweepy",
        rule_name="tweepy-core",
        request=TweetRequest.bare(),
        max_pages=1,
        clock=lambda: NOW,
    )
    with replay.use(cassette) as recorded:
        mentions, checkpoints = run(source.items(None))
        assert recorded.all_played
    assert replay.sent == [("GET", "/2/tweets/search/recent", [("query", "Tweepy")])]
    assert mentions == expected(rows, brand="Tweepy", rule="tweepy-core")
    assert checkpoints == [row[0] for row in rows]  # ascending ids: the checkpoint only moves forward
    assert_times_match_texts(mentions)


def test_recent_search_sends_the_production_fields(cassettes: Path, client: Any) -> None:
    """The production request adds expansions and fields to the recorded one; the answer reads the same."""
    replay = Replay(cassettes, ["method", "scheme", "host", "port", "path", "recorded_query_subset"], client)
    source = XRecentSearchSource(
        client, "Tweepy", brand="Tweepy", rule_name="tweepy-core", max_pages=1, clock=lambda: NOW
    )
    with replay.use("test_client_search_recent_tweets.yaml"):
        mentions, _ = run(source.items(None))
    assert dict(replay.sent[0][2]) == {
        "query": "Tweepy",
        "expansions": "author_id",
        "tweet.fields": "created_at,public_metrics,conversation_id,referenced_tweets,lang,entities,"
        "note_tweet,edit_history_tweet_ids,author_id",
        "user.fields": "username,name,public_metrics,verified",
        "max_results": "100",
    }
    assert mentions == expected(SEARCH_TWEEPY, brand="Tweepy", rule="tweepy-core")


def test_recent_search_follows_next_token_and_yields_nothing_until_the_window_is_read(
    cassettes: Path, client: Any
) -> None:
    """With room for a second page, the source asks for it with the recorded ``next_token``; the recording
    ends there, and no item of the first page has been yielded (the checkpoint cannot skip ahead)."""
    replay = Replay(cassettes, EXACT, client)
    source = XRecentSearchSource(
        client, "Tweepy", brand="Tweepy", rule_name="tweepy-core", request=TweetRequest.bare(), max_pages=2
    )
    yielded: list[SourceItem] = []
    with (
        replay.use("test_client_search_recent_tweets.yaml"),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        yielded.extend(source.items(None))
    assert yielded == []
    assert [query for _, _, query in replay.sent] == [
        [("query", "Tweepy")],
        [("next_token", SEARCH_NEXT_TOKEN), ("query", "Tweepy")],
    ]


# mentions ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cassette", "rows"),
    [
        ("test_client_get_users_mentions.yaml", MENTIONS_TWITTER),
        ("test_asyncclient_get_users_mentions.yaml", MENTIONS_TWITTER_ASYNC),
    ],
)
def test_mentions_replays_the_recorded_request_and_yields_oldest_first(
    cassettes: Path, client: Any, cassette: str, rows: list[tuple[str, str, str]]
) -> None:
    replay = Replay(cassettes, EXACT, client)
    source = XMentionsSource(
        client, "783214", brand="Twitter", request=TweetRequest.bare(), max_pages=1, clock=lambda: NOW
    )
    assert source.checkpoint_key == "x:mentions:783214"
    with replay.use(cassette) as recorded:
        mentions, checkpoints = run(source.items(None))
        assert recorded.all_played
    assert replay.sent == [("GET", "/2/users/783214/mentions", [])]
    assert mentions == expected(rows, brand="Twitter", rule="mentions:783214")
    assert checkpoints == [row[0] for row in rows]


def test_mentions_follows_pagination_token(cassettes: Path, client: Any) -> None:
    replay = Replay(cassettes, EXACT, client)
    source = XMentionsSource(client, "783214", brand="Twitter", request=TweetRequest.bare(), max_pages=3)
    with (
        replay.use("test_client_get_users_mentions.yaml"),
        pytest.raises(CannotOverwriteExistingCassetteException),
    ):
        list(source.items(None))
    assert [query for _, _, query in replay.sent] == [[], [("pagination_token", MENTIONS_NEXT_TOKEN)]]


# user lookup -------------------------------------------------------------------------------------
@pytest.mark.parametrize("cassette", ["test_client_get_user.yaml", "test_asyncclient_get_user.yaml"])
def test_resolve_user_id_looks_the_handle_up(cassettes: Path, client: Any, cassette: str) -> None:
    replay = Replay(cassettes, EXACT, client)
    with replay.use(cassette) as recorded:
        assert resolve_user_id(client, "@Twitter") == "783214"
        assert recorded.all_played
    assert replay.sent == [("GET", "/2/users/by/username/Twitter", [])]
