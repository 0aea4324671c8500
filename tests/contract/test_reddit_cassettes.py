"""The Reddit sources against real Reddit traffic recorded by the praw project (replayed, never live).

See :mod:`tests.contract.praw_cassettes` for how the JSON cassettes are replayed with vcrpy. Expected
values below were read from the recorded response bodies.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("praw")
pytest.importorskip("vcr")

import praw.models.util
import prawcore.rate_limit

from collectors.base import Collected, SourceItem
from collectors.reddit import (
    USERNAME_MENTION_RULE,
    RedditInboxMentionsSource,
    RedditSearchSource,
    SubredditStreamSource,
    Watermark,
)
from collectors.reddit.backoff import IDLE_BACKOFF_MAX_S
from socialcare.models import Author, Mention, Metrics
from tests.contract.praw_cassettes import PLACEHOLDERS, placeholder_reddit, praw_vcr

COLLECTED_AT = datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
BRAND = "Acme"
COMMENTS = "TestSubredditStreams.test_comments.json"
SUBMISSIONS = "TestSubredditStreams.test_submissions.json"
SEARCH = "TestSubreddit.test_search.json"
MENTIONS = "TestInbox.test_mentions.json"


# fixtures and helpers ----------------------------------------------------------------------------
@pytest.fixture
def cassettes(shared_data: Path) -> Path:
    folder = shared_data / "cassettes" / "praw"
    if not (folder / COMMENTS).is_file():
        pytest.fail(f"the praw cassettes are missing from {folder}")
    return folder


@pytest.fixture(autouse=True)
def _no_real_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """prawcore paces requests from the recorded rate-limit headers; replay needs no pacing. praw's
    stream must not sleep on its own either (the sources wait through their injected ``sleep``)."""
    monkeypatch.setattr(prawcore.rate_limit.RateLimiter, "delay", lambda self: None)

    class _NoSleep:
        @staticmethod
        def sleep(seconds: float) -> None:
            raise AssertionError(f"praw's stream slept {seconds} s instead of pausing")

    monkeypatch.setattr(praw.models.util, "time", _NoSleep)


def keywords(*words: str) -> Callable[[Mention], list[str]]:
    """A stand-in for the query package's matcher: one rule per whole word, case-insensitive."""
    patterns = {word: re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE) for word in words}

    def matches(mention: Mention) -> list[str]:
        return [word for word, pattern in patterns.items() if pattern.search(mention.text)]

    return matches


def match_all(_mention: Mention) -> list[str]:
    return ["all"]


def collected(items: Iterator[SourceItem] | list[SourceItem]) -> list[Mention]:
    out = []
    for item in items:
        assert isinstance(item, Collected), item
        out.append(item.mention)
    return out


def at(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


def recorded_stream_order(path: Path) -> list[str]:
    """Fullnames in the order praw's stream yields them: each response oldest first, new ones only."""
    seen: set[str] = set()
    order: list[str] = []
    for interaction in json.loads(path.read_text())["interactions"][1:]:
        children = json.loads(interaction["response"]["body"]["string"])["data"]["children"]
        for child in reversed(children):
            if child["data"]["name"] not in seen:
                seen.add(child["data"]["name"])
                order.append(child["data"]["name"])
    return order


def played_uris(cassette: Any) -> list[str]:
    return [request.uri for index, request in enumerate(cassette.requests) if cassette.play_counts[index]]


def comment(
    fullname: str,
    author: str,
    created: float,
    link: str,
    parent: str,
    subreddit: str,
    text: str,
    rules: tuple[str, ...],
) -> Mention:
    return Mention(
        id=f"reddit:{fullname}",
        source="reddit",
        source_id=fullname,
        url=f"https://www.reddit.com/r/{subreddit}/comments/{link[3:]}/_/{fullname[3:]}/",
        text=text,
        created_at=at(created),
        collected_at=COLLECTED_AT,
        author=Author(id=author, handle=author),
        metrics=Metrics(likes=1),
        conversation_id=f"reddit:{link}",
        in_reply_to=f"reddit:{parent}",
        brand=BRAND,
        matched_rules=rules,
    )


# subreddit streams -------------------------------------------------------------------------------
def test_comment_stream_yields_the_brand_comments_with_threading(cassettes: Path) -> None:
    waits: list[float] = []
    with praw_vcr(cassettes).use_cassette(COMMENTS) as cassette:
        source = SubredditStreamSource(
            placeholder_reddit(),
            "all",
            kind="comments",
            matches=keywords("xbox", "youtube"),
            brand=BRAND,
            sleep=waits.append,
            clock=lambda: COLLECTED_AT,
        )
        items = list(itertools.islice(source.items(None), 6))
        assert cassette.all_played  # the sixth match is in the last recorded response
    assert collected(items) == [
        comment(
            "t1_dbhn0yy",
            "SmokyProggg",
            1482373037.0,
            "t3_5ivif8",
            "t3_5ivif8",
            "RocketLeagueExchange",
            "[Xbox] \n\n[H]\n\n___\n\nAcrobat Heatwave - SOLD\n\nSweeper Parallax - SOLD\n\n"
            "Playmaker Parallax -$25 \n\n___\n\nI also have\n\nCrimson Loopers - Offer\n\n"
            "Purple Lightning - 75$\n\nOrange Lightning - 25$\n\nCobalt Tactican FSL - $40 \n\n___\n \n"
            "Comment or PM Me. [W]",
            ("xbox",),
        ),
        comment(
            "t1_dbhn0zu",
            "smashbruhthers",
            1482373038.0,
            "t3_5jadwu",
            "t3_5jadwu",
            "smashbros",
            "Nominating **Mango vs Armada Grand Finals at The Big House 6**\n\n\n"
            "Vod: https://www.youtube.com/watch?v=8B0AY3EA4Xc",
            ("youtube",),
        ),
        comment(
            "t1_dbhn12f",
            "Gaelfling",
            1482373041.0,
            "t3_5jm6k4",
            "t1_dbhjxhc",
            "videos",
            "[Here](https://www.youtube.com/channel/UCkxctb0jr8vwa4Do6c6su0Q), "
            "[here](https://www.youtube.com/channel/UCsB0LwkHPWyjfZ-JwvtwEXw), and "
            "[here](https://www.youtube.com/channel/UCzH3iADRIq1IJlIXjfNgTpA). His name is Gavin Free.",
            ("youtube",),
        ),
        comment(
            "t1_dbhn13f",
            "DagdaEIR",
            1482373042.0,
            "t3_5jizuw",
            "t1_dbgn6ba",
            "BattleRite",
            "This isn't Xbox Live thankfully.",
            ("xbox",),
        ),
        comment(
            "t1_dbhn14x",
            "Forgototherpassword",
            1482373044.0,
            "t3_5jnhm2",
            "t1_dbhj62c",
            "The_Donald",
            "[Here's a video](https://www.youtube.com/watch?v=tqazyJpEAHM&feature=youtu.be&t=14m56s) "
            "version of one of their favorite feels b4 reals (bullshit) arguments. (not the first part. "
            "That's for you /wink)\n\n",
            ("youtube",),
        ),
        comment(
            "t1_dbhn19p",
            "TTwoTerror",
            1482373049.0,
            "t3_5jlyva",
            "t1_dbhmtta",
            "hardwareswap",
            "There were a lot of threads regarding a speaker issue in the new Mummy Trailer on YouTube and "
            "an app called perfect piano so I RMAd mine. Since then, it has come to light that it is more "
            "of a software issue. I should have realized because I listen to music just fine though the "
            "speaker sometimes. ",
            ("youtube",),
        ),
    ]
    # The checkpoint after the last item names it, for the next start.
    assert Watermark.loads(items[-1].checkpoint).last == "t1_dbhn19p"
    # Eleven polls brought nothing new (two after each of five bursts, one after the sixth); the source
    # waited with praw's ExponentialCounter each time: 1 s, then 2 s, reset by the next burst (jitter:
    # 1/32 either way).
    for wait, base in zip(waits, [1, 2] * 5 + [1], strict=True):
        assert base * (1 - 1 / 32) <= wait <= base * (1 + 1 / 32) <= IDLE_BACKOFF_MAX_S


def test_comment_stream_yields_every_recorded_comment_once_in_stream_order(cassettes: Path) -> None:
    expected = recorded_stream_order(cassettes / COMMENTS)
    assert len(expected) == 417
    with praw_vcr(cassettes).use_cassette(COMMENTS) as cassette:
        source = SubredditStreamSource(placeholder_reddit(), ["all"], matches=match_all, sleep=lambda _: None)
        mentions = collected(itertools.islice(source.items(None), len(expected)))
        assert cassette.all_played  # 21 listing requests plus the token, each exactly as recorded
    assert [m.source_id for m in mentions] == expected
    assert all(m.conversation_id and m.conversation_id.startswith("reddit:t3_") for m in mentions)
    assert all(m.in_reply_to and re.match(r"^reddit:t[13]_", m.in_reply_to) for m in mentions)


def test_restart_from_a_checkpoint_continues_after_it_without_repeats(cassettes: Path) -> None:
    """Stop after 151 comments; a new process resumes after the checkpoint's fullname (praw's
    ``continue_after_id``), gets the 31 recorded comments that followed, skips the 100 re-yielded ones,
    and ends when the stream is idle."""
    order = recorded_stream_order(cassettes / COMMENTS)
    recorder = praw_vcr(cassettes)
    with recorder.use_cassette(COMMENTS):
        first = SubredditStreamSource(placeholder_reddit(), "all", matches=match_all, sleep=lambda _: None)
        first_run = list(itertools.islice(first.items(None), 151))
    checkpoint = first_run[-1].checkpoint
    assert Watermark.loads(checkpoint).last == "t1_dbhn12t"

    with recorder.use_cassette(COMMENTS) as cassette:
        second = SubredditStreamSource(
            placeholder_reddit(), "all", matches=match_all, stop_when_idle=True, sleep=lambda _: None
        )
        second_run = list(second.items(checkpoint))
        uris = played_uris(cassette)
    assert [m.source_id for m in collected(first_run)] == order[:151]
    assert [m.source_id for m in collected(second_run)] == order[151:182]
    assert any("before=t1_dbhn12t" in uri for uri in uris)  # resumed after the checkpoint
    assert any(uri.endswith("/r/all/comments/?limit=100&raw_json=1") for uri in uris)  # re-yielded 100


def test_submission_stream_self_posts_and_link_posts(cassettes: Path) -> None:
    with praw_vcr(cassettes).use_cassette(SUBMISSIONS):
        source = SubredditStreamSource(
            placeholder_reddit(),
            "all",
            kind="submissions",
            matches=keywords("xbox", "paypal", "uber", "twitch"),
            brand=BRAND,
            sleep=lambda _: None,
            clock=lambda: COLLECTED_AT,
        )
        mentions = collected(itertools.islice(source.items(None), 6))

    def post(fullname: str, author: str, created: float, path: str, text: str, rule: str) -> Mention:
        return Mention(
            id=f"reddit:{fullname}",
            source="reddit",
            source_id=fullname,
            url=f"https://www.reddit.com{path}",
            text=text,
            created_at=at(created),
            collected_at=COLLECTED_AT,
            author=Author(id=author, handle=author),
            metrics=Metrics(likes=1, replies=0),
            conversation_id=f"reddit:{fullname}",
            in_reply_to=None,
            brand=BRAND,
            matched_rules=(rule,),
        )

    assert mentions == [
        post(
            "t3_5jo10j",
            "Wangatang7272",
            1482373023.0,
            "/r/RocketLeagueExchange/comments/5jo10j/xbox_h_parallax_10c1_18c3_and_2c4_w_heatwave/",
            "[Xbox] [H] parallax 10c1 18c3 and 2c4 [W] heatwave",  # self post without text: the title
            "xbox",
        ),
        post(
            "t3_5jo11e",
            "simmenswe1",
            1482373029.0,
            "/r/paypal/comments/5jo11e/looking_for_a_exchanger_skrill_to_paypal/",
            "Looking for a exchanger (Skrill to PayPal)\n\n"
            "Hey im looking for a exchanger Skrill to PayPal Im paying 60 € for 50 € on PayPal ",
            "paypal",
        ),
        post(
            "t3_5jo11w",
            "JoshAgar",
            1482373032.0,
            "/r/RocketLeagueExchange/comments/5jo11w/xbox_h_white_bowler_w_crates/",
            "[Xbox] [H] white bowler [W] crates",
            "xbox",
        ),
        post(
            "t3_5jo12k",
            "Imared",
            1482373038.0,
            "/r/TheColorIsRed/comments/5jo12k/uber_suspends_selfdriving_cars_service_in/",
            "Uber suspends self-driving cars service in California\n\n"
            "http://www.bbc.co.uk/news/technology-38400224",  # link post: title and link
            "uber",
        ),
        post(
            "t3_5jo13x",
            "AngryRobot03",
            1482373050.0,
            "/r/RocketLeagueExchange/comments/5jo13x/xbox_h_heatwave_x2_forest_green_loopers_crimson/",
            "[Xbox] [H] Heatwave x2, forest green loopers, Crimson discos, cert pink loopers, slipstream "
            "[W] Hexed, Painted Ara's, offers\n\nDon't lowball me or you will be ignored, please state your "
            "adds don't just say adds, will respond with more than a Nty, thanks",
            "xbox",
        ),
        post(  # from the second recorded response (the poll after the first 100)
            "t3_5jo140",
            "BazookaBill123",
            1482373051.0,
            "/r/Overwatch/comments/5jo140/when_you_kill_yourself_on_a_smurf/",
            "When you kill yourself on a smurf\n\nhttps://clips.twitch.tv/pokelawls/UnusualOtterTheTarFu",
            "twitch",
        ),
    ]


# search ------------------------------------------------------------------------------------------
def search_source(**overrides: Any) -> RedditSearchSource:
    # The recording searched r/all for "praw oauth search" by relevance with the cloudsearch syntax and
    # no limit (praw sends limit=1024); the request must be the same to match.
    options: dict[str, Any] = {
        "sort": "relevance",
        "syntax": "cloudsearch",
        "time_filter": "all",
        "limit": None,
        "matches": keywords("praw", "oauth"),
        "brand": BRAND,
        "clock": lambda: COLLECTED_AT,
        "sleep": lambda _: None,
    }
    options.update(overrides)
    return RedditSearchSource(placeholder_reddit(), "all", "praw oauth search", **options)


def test_search_yields_results_oldest_first_with_clean_urls(cassettes: Path) -> None:
    with praw_vcr(cassettes).use_cassette(SEARCH) as cassette:
        items = list(search_source().items(None))
        assert cassette.all_played
    mentions = collected(items)
    # (fullname, author, created_utc, subreddit/path, score, num_comments, rules); the recorded
    # permalinks end in "?ref=search_posts", which the URLs leave out.
    expected = [
        ("t3_1qvzkd", "DAsSNipez", 1384770349.0, "redditdev/comments/1qvzkd/praw_opening_a_user_page/", 2, 3),
        (
            "t3_3b4erh",
            "Ouiski",
            1435268798.0,
            "learnpython/comments/3b4erh/collecting_submission_data_from_reddit/",
            2,
            13,
        ),
        (
            "t3_3gpbiu",
            "dClauzel",
            1439370514.0,
            "redditdev/comments/3gpbiu/prawoauth2util_problem_using_get_banned_raise/",
            0,
            21,
        ),
        (
            "t3_3qc02b",
            "Doomhammer458",
            1445894438.0,
            "bugs/comments/3qc02b/pagination_of_subreddit_contributor_list_does_not/",
            2,
            2,
        ),
        (
            "t3_3x4kt2",
            "GrinningMouth38",
            1450299786.0,
            "redditdev/comments/3x4kt2/praw_is_there_an_easy_way_of_getting_a_list_of/",
            2,
            5,
        ),
        (
            "t3_4at068",
            "nmtake",
            1458221634.0,
            "p18s/comments/4at068/たびたび話題になるサイドバーの閲覧中ユーザ数についてまた調べた/",
            15,
            0,
        ),
    ]
    assert [(m.source_id, m.author.id, m.created_at, m.url, m.metrics.likes, m.metrics.replies) for m in mentions] == [
        (fullname, author, at(created), f"https://www.reddit.com/r/{path}", likes, replies)
        for fullname, author, created, path, likes, replies in expected
    ]
    assert all(m.conversation_id == m.id and m.in_reply_to is None for m in mentions)
    # Reddit's search found them all; the local matcher decides which rules each satisfies.
    assert [m.matched_rules for m in mentions] == [
        ("praw",),  # no whole word "oauth" anywhere
        ("praw", "oauth"),  # "https://oauth.reddit.com" in the text
        ("praw", "oauth"),
        ("praw", "oauth"),
        ("praw", "oauth"),
        ("praw",),  # only "OAuth2ResourceController" in the Japanese text
    ]
    assert mentions[4].text == (
        "[PRAW] Is there an easy way of getting a list of the subreddits I am subscribed to, without using "
        "OAuth?\n\nAs the title says.  I have done a bit of looking around and I can't seem to find an easy "
        "way of doing this.  I am simply looking to return a list of my own subscribed subs and then do a "
        "quick search through each of them.\n\nThanks"
    )
    # t3_3gpbiu was edited a day after posting (edited=1439447718): the current text is what counts.
    assert mentions[2].text.startswith("[PRAW][OAuth2Util] Problem using get_banned() : raise Forbidden(")


def test_search_resumes_after_its_checkpoint(cassettes: Path) -> None:
    recorder = praw_vcr(cassettes)
    with recorder.use_cassette(SEARCH):
        everything = list(search_source().items(None))
    with recorder.use_cassette(SEARCH):
        rest = list(search_source().items(everything[2].checkpoint))
    with recorder.use_cassette(SEARCH):
        nothing = list(search_source().items(everything[-1].checkpoint))
    assert [m.id for m in collected(rest)] == [m.id for m in collected(everything[3:])]
    assert nothing == []


# inbox mentions ----------------------------------------------------------------------------------
def test_inbox_mentions_of_the_brand_account(cassettes: Path) -> None:
    with praw_vcr(cassettes).use_cassette(MENTIONS) as cassette:
        source = RedditInboxMentionsSource(
            placeholder_reddit(logged_in=True), brand=BRAND, limit=16, clock=lambda: COLLECTED_AT
        )
        items = list(source.items(None))
        assert cassette.all_played
    mentions = collected(items)
    assert len(mentions) == 16
    # Oldest first; inbox comments carry "context" instead of "link_id" and "permalink".
    assert [m.source_id for m in mentions[:3]] == ["t1_ekfncs9", "t1_ekfndtj", "t1_ekfney9"]
    assert [m.source_id for m in mentions[-2:]] == ["t1_ekftage", "t1_ekftbox"]
    assert [m.created_at for m in mentions] == sorted(m.created_at for m in mentions)
    first = mentions[0]
    assert first == Mention(
        id="reddit:t1_ekfncs9",
        source="reddit",
        source_id="t1_ekfncs9",
        url="https://www.reddit.com/r/RemovedByBotter/comments/bb1gd5/cthulus_favorite_pet/ekfncs9/",
        text=first.text,
        created_at=at(1554770248.0),
        collected_at=COLLECTED_AT,
        author=Author(id="2Botter2Loop", handle="2Botter2Loop"),
        metrics=Metrics(likes=1),
        conversation_id="reddit:t3_bb1gd5",
        in_reply_to="reddit:t3_bb1gd5",
        brand=BRAND,
        matched_rules=(USERNAME_MENTION_RULE,),
    )
    assert first.text.startswith(
        f"Hello /u/{PLACEHOLDERS['username']},\n\nYour [submission](https://redd.it/bb13ba) was removed "
        "from /r/BetterEverLoop for the following reason:"
    )
    assert all(m.author.id == "2Botter2Loop" for m in mentions)
    assert all(m.conversation_id == m.in_reply_to for m in mentions)  # all top-level replies


def test_inbox_mentions_resume_after_the_checkpoint(cassettes: Path) -> None:
    recorder = praw_vcr(cassettes)
    reddit = placeholder_reddit(logged_in=True)
    with recorder.use_cassette(MENTIONS):
        everything = list(RedditInboxMentionsSource(reddit, limit=16).items(None))
    with recorder.use_cassette(MENTIONS):
        rest = list(
            RedditInboxMentionsSource(placeholder_reddit(logged_in=True), limit=16).items(everything[9].checkpoint)
        )
    assert [m.id for m in collected(rest)] == [m.id for m in collected(everything[10:])]
    assert RedditInboxMentionsSource(reddit).checkpoint_key == "reddit:inbox:mentions:placeholder_username"
