"""The local matcher: truth tables for each rule of its semantics, then real tweets against a plain regex."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from collectors.query import compile_matcher, compile_query, parse
from socialcare.models import Author, Mention


def matches(query: str, text: str, **flags: Any) -> bool:
    return compile_matcher(parse(query)).matches(text, **flags)


TRUTH: list[tuple[str, str, bool]] = [
    # whole tokens, case-insensitive
    ("lumora", "I love my Lumora!", True),
    ("lumora", "LUMORA.", True),
    ("lumora", "lumoras are great", False),
    ("lumora", "mylumora", False),
    ("lumora", "lumora's app", True),
    ("lumora", "lumora_home", True),
    # width and case folding (NFKC + casefold), both in the query and in the text
    ("lumora", "ＬＵＭＯＲＡ rocks", True),
    ("ＬＵＭＯＲＡ", "lumora rocks", True),
    ("strasse", "Straße", True),
    ("ルモラ", "ﾙﾓﾗ最高", True),
    # accents are kept; a decomposed accent is composed by NFKC
    ("café", "CAFÉ au lait", True),
    ("café", "cafe\u0301 au lait", True),
    ("café", "cafe au lait", False),
    # Japanese, Chinese, Thai and Korean: substring; Latin glued to Japanese is its own token
    ("ルモラ", "ルモラのサーモスタットが壊れた", True),
    ("サーモスタット", "ルモラのサーモスタットが壊れた", True),
    ("lumora", "lumoraのサーモスタット最高", True),
    ("lumoraの", "lumoraのサーモスタット", True),
    ("ルモラ", "ルモ ラ", False),
    ("露莫拉", "我的露莫拉坏了", True),
    ("ลูโมรา", "ชอบลูโมราครับ", True),
    ("루모라", "루모라는 좋아요", True),
    # @handle: a mention of exactly that account
    ("@LumoraHelp", "@lumorahelp my heating is off", True),
    ("@LumoraHelp", "lumorahelp is useless", False),
    ("@LumoraHelp", "@LumoraHelpDesk hi", False),
    ("@LumoraHelp", "write to mail@lumorahelp.com", False),
    ("@LumoraHelp", "(@LumoraHelp) thanks", True),
    # #hashtag: exactly that hashtag; a keyword also matches the hashtag's and the mention's text
    ("#lumora", "#Lumora rocks", True),
    ("#lumora", "lumora rocks", False),
    ("#lumora", "#lumorahome", False),
    ("#ルモラ", "＃ルモラ", True),
    ("#ルモラ", "#ルモラ最高", False),
    ("lumora", "#lumora", True),
    ("lumora", "@lumora hi", True),
    ("lumora", "#lumorahome", False),
    # phrases: contiguous tokens, punctuation between them ignored
    ('"lumora home"', "my Lumora-Home works", True),
    ('"lumora home"', "lumora   home", True),
    ('"lumora home"', "#lumora home", True),
    ('"lumora home"', "home lumora", False),
    ('"lumora home"', "lumora homes", False),
    ('"lumora home"', "lumora the home", False),
    ('"ルモラ ホーム"', "新しいルモラ ホームです", True),
    # a term of several tokens is a phrase
    ("wi-fi", "Wi-Fi down", True),
    ("wi-fi", "wi fi down", True),
    ("wi-fi", "wifi down", False),
    # emoji are tokens; variation selectors do not count
    ("🔥", "so 🔥🔥", True),
    ("🔥", "fire", False),
    ("❤️", "I ❤ lumora", True),
    ("👍🏽", "👍 ok", False),
    # boolean structure
    ("lumora -giveaway", "lumora is great", True),
    ("lumora -giveaway", "lumora giveaway now", False),
    ('lumora AND (thermostat OR doorbell) NOT "press release"', "lumora doorbell rang", True),
    ('lumora AND (thermostat OR doorbell) NOT "press release"', "lumora doorbell press release", False),
    ('lumora AND (thermostat OR doorbell) NOT "press release"', "lumora release press doorbell", True),
    ('lumora AND (thermostat OR doorbell) NOT "press release"', "lumora speaker", False),
    ("a OR b c", "a", True),
    ("a OR b c", "b", False),
    ("a OR b c", "c b", True),
    ("x --y", "x y", True),
    ("x --y", "x", False),
    ("lumora or", "lumora", False),
    ("lumora or", "lumora or brightnest", True),
]


@pytest.mark.parametrize(("query", "text", "expected"), TRUTH, ids=[f"{q} ~ {t}" for q, t, _ in TRUTH])
def test_truth_table(query: str, text: str, expected: bool) -> None:
    assert matches(query, text) is expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ja", True), ("JA", True), ("ja-JP", True), ("jav", False), ("en", False), (None, False)],
)
def test_lang_matches_the_language_and_its_regional_variants(lang: str | None, expected: bool) -> None:
    assert matches("ルモラ lang:ja", "ルモラ最高", lang=lang) is expected


def test_a_post_of_unknown_language_is_not_excluded_by_a_negated_lang() -> None:
    assert matches("lumora -lang:en", "lumora", lang=None) is True
    assert matches("lumora -lang:en", "lumora", lang="en") is False


@pytest.mark.parametrize(
    ("query", "is_retweet", "is_reply", "expected"),
    [
        ("lumora -is:retweet", False, False, True),
        ("lumora -is:retweet", True, False, False),
        ("lumora is:retweet", True, False, True),
        ("lumora is:reply", False, True, True),
        ("lumora is:reply", False, False, False),
        ("lumora -is:reply -is:retweet", False, True, False),
    ],
)
def test_retweet_and_reply_flags(query: str, is_retweet: bool, is_reply: bool, expected: bool) -> None:
    assert matches(query, "lumora", is_retweet=is_retweet, is_reply=is_reply) is expected


def _mention(text: str, in_reply_to: str | None = None, lang: str | None = None) -> Mention:
    now = datetime(2024, 5, 1, tzinfo=UTC)
    return Mention(
        id="x:1",
        source="x",
        source_id="1",
        text=text,
        created_at=now,
        collected_at=now,
        author=Author(id="a"),
        in_reply_to=in_reply_to,
        lang=lang,
    )


def test_matches_mention_reads_retweet_reply_and_language_from_the_mention() -> None:
    original = compile_query("lumora -is:retweet lang:en").matcher
    assert original.matches_mention(_mention("my lumora", lang="en")) is True
    assert original.matches_mention(_mention("RT @someone: my lumora", lang="en")) is False
    assert original.matches_mention(_mention("my lumora", lang="fr")) is False
    replies = compile_query("lumora is:reply").matcher
    assert replies.matches_mention(_mention("@LumoraHelp my lumora", in_reply_to="x:0")) is True
    assert replies.matches_mention(_mention("@LumoraHelp my lumora")) is False


# real tweets against an independent regex ------------------------------------------------------------
WORD = r"[^\W_]"  # a letter or digit: the matcher's word tokens split on everything else


def _airline_texts(shared_data: Path) -> list[str]:
    with (shared_data / "airline_tweets" / "tweets_dev.csv").open(encoding="utf-8", newline="") as file:
        return [row["text"] for row in csv.DictReader(file)]


def _handle(*names: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w)@(?:{'|'.join(names)})(?![A-Za-z0-9_])", re.IGNORECASE)


def _words(*words: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!{WORD})(?:{'|'.join(words)})(?!{WORD})", re.IGNORECASE)


@pytest.mark.parametrize(
    ("query", "reference", "count"),
    [
        (
            "@united AND (lost OR luggage OR bag)",
            lambda t: bool(_handle("united").search(t) and _words("lost", "luggage", "bag").search(t)),
            211,
        ),
        (
            '"customer service"',
            lambda t: bool(re.search(rf"(?<!{WORD})customer[\W_]+service(?!{WORD})", t, re.IGNORECASE)),
            396,
        ),
        (
            "(@AmericanAir OR @SouthwestAir) (delayed OR cancelled) -refund",
            lambda t: bool(
                _handle("americanair", "southwestair").search(t)
                and _words("delayed", "cancelled").search(t)
                and not _words("refund").search(t)
            ),
            460,
        ),
    ],
)
def test_real_tweets_agree_with_a_plain_regex(shared_data: Path, query: str, reference: Any, count: int) -> None:
    texts = _airline_texts(shared_data)
    matcher = compile_query(query).matcher
    ours = [matcher.matches(text) for text in texts]
    disagree = [text for text, mine in zip(texts, ours, strict=True) if mine != reference(text)]
    assert disagree == []
    assert sum(ours) == count


def test_real_retweets_are_excluded_by_is_retweet(shared_data: Path) -> None:
    mentions = [_mention(text) for text in _airline_texts(shared_data)]
    airlines = "@VirginAmerica OR @united OR @SouthwestAir OR @JetBlue OR @USAirways OR @AmericanAir"
    everything = compile_query(airlines).matcher
    originals = compile_query(f"({airlines}) -is:retweet").matcher
    assert sum(everything.matches_mention(m) for m in mentions) == 10241
    retweets = [m.text for m in mentions if everything.matches_mention(m) and not originals.matches_mention(m)]
    assert len(retweets) == 3
    assert all(text.startswith("RT @JetBlue: Our fleet's on fleek.") for text in retweets)
