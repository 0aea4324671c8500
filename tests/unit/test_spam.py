from __future__ import annotations

from datetime import UTC, datetime

from enrich.spam import (
    CAMPAIGN_MIN,
    NEAR_DUPLICATE_JACCARD,
    DuplicateIndex,
    normalise,
    spam_score,
)
from socialcare.models import Author, Mention

BASE = "Lumora refunds are taking forever and support keeps ignoring my emails about it"


def mention(text: str, *, followers: int | None = 100, name: str | None = "Ann", source_id: str = "1") -> Mention:
    now = datetime(2026, 11, 9, tzinfo=UTC)
    return Mention(
        id=f"x:{source_id}",
        source="x",
        source_id=source_id,
        text=text,
        created_at=now,
        collected_at=now,
        author=Author(id="a1", name=name, followers=followers),
    )


def test_normalise_strips_rt_urls_handles_case() -> None:
    assert normalise("RT @bob: Hello   WORLD https://t.co/x @Lumora!!") == "hello world"


def test_exact_duplicates_after_normalisation() -> None:
    index = DuplicateIndex()
    assert index.check("x:1", BASE) == (None, 1)
    assert index.check("x:2", f"RT @someone: {BASE.upper()} https://t.co/abc") == ("x:1", 2)
    assert index.check("x:3", f"@LumoraHelp   {BASE}!!!") == ("x:1", 3)
    assert index.check("x:4", "something entirely different about thermostats and the weather") == (None, 1)


def test_near_duplicates_share_the_first_copy() -> None:
    index = DuplicateIndex()
    index.check("x:1", BASE)
    assert index.check("x:2", BASE + " honestly") == ("x:1", 2)
    # too different: a few words in common is not a copy
    assert index.check("x:3", "Lumora refunds are quick and support answered my emails in an hour, great")[0] is None
    assert NEAR_DUPLICATE_JACCARD == 0.7


def test_japanese_near_duplicates_use_character_shingles() -> None:
    index = DuplicateIndex()
    index.check("x:1", "Lumoraの返金対応ひどすぎる。三週間待っても連絡がない。拡散希望")
    assert index.check("x:2", "Lumoraの返金対応ひどすぎる。三週間待っても連絡がない。拡散希望！！")[0] == "x:1"


def test_short_texts_only_match_exactly() -> None:
    index = DuplicateIndex()
    index.check("x:1", "thanks!")
    assert index.check("x:2", "thanks") == ("x:1", 2)
    assert index.check("x:3", "thanks a lot")[0] is None


def test_replayed_mention_is_not_a_new_copy() -> None:
    index = DuplicateIndex()
    index.check("x:1", BASE)
    index.check("x:2", BASE)
    assert index.check("x:2", BASE) == ("x:1", 2)
    assert index.check("x:1", BASE) == (None, 2)


def test_campaign_cluster_size_and_score() -> None:
    index = DuplicateIndex()
    results = [index.check(f"x:{i}", f"RT @org{i}: {BASE} #BoycottLumora") for i in range(CAMPAIGN_MIN)]
    assert results[-1] == ("x:0", CAMPAIGN_MIN)
    spam = spam_score(mention(BASE), duplicate_of="x:0", cluster_size=CAMPAIGN_MIN)
    assert any("copy-paste campaign: 5 copies" in r for r in spam.reasons)
    assert spam.score >= 0.3


def test_bounded_memory() -> None:
    index = DuplicateIndex(window=100)
    for i in range(1_000):
        index.check(f"x:{i}", f"post number {i} talks about topic {i * 7} with words {i * 13} and more {i}")
    assert len(index) == 100
    assert len(index._exact) <= 100
    assert sum(len(bucket) for bucket in index._buckets.values()) <= 100 * 16
    # the first copy was forgotten: a repeat of it is new again
    assert index.check("x:new", "post number 0 talks about topic 0 with words 0 and more 0") == (None, 1)


def test_spam_signals() -> None:
    clean = spam_score(mention("@LumoraHelp my Halo stopped heating, any ETA?"))
    assert clean.score == 0.0
    assert clean.reasons == ()
    farm = spam_score(mention("deals https://bit.ly/a https://bit.ly/b https://t.co/c"))
    assert farm.reasons[:2] == ("link farm: 3 links", "link shortener: bit.ly")
    empty = spam_score(mention("hello", followers=0, name=None))
    assert empty.reasons == ("new or empty account: 0 followers, no name",)
    stuffed = spam_score(mention("win #a #b #c #d #e #f"))
    assert "hashtag stuffing: 6 hashtags" in stuffed.reasons
    crypto = spam_score(mention("Claim your free BTC airdrop now, DM me to win"))
    assert any(r.startswith("crypto/giveaway bait") for r in crypto.reasons)
    everything = spam_score(
        mention("giveaway #a #b #c #d #e #f https://bit.ly/1 https://bit.ly/2 https://bit.ly/3", followers=0, name=""),
        cluster_size=9,
    )
    assert everything.score == 1.0


def test_bad_input_never_crashes() -> None:
    index = DuplicateIndex()
    for i, text in enumerate(["", "😀😀", "x" * 10_000, "bad \ud800 surrogate", "混合 mixed テキスト"]):
        duplicate_of, size = index.check(f"x:{i}", text)
        assert size >= 1
        assert spam_score(mention(text if "\ud800" not in text else "ok"), duplicate_of=duplicate_of).score >= 0
    assert index.check("x:99", "")[1] == 1  # empty texts are never each other's copies
