from __future__ import annotations

import pytest

from enrich.cues import CUES, NO_CUE_NONE, cue_hits, department_cues
from socialcare.models import DEPARTMENTS


@pytest.mark.parametrize(
    ("text", "department", "cue"),
    [
        ("the app keeps crashing since the update", "engineering", "crashing"),
        ("found a bug in the firmware, screen freezes", "engineering", "bug"),
        ("アプリが落ちる、何とかして", "engineering", "アプリが落ちる"),
        ("アップデート後に不具合が出ました", "engineering", "不具合"),
        ("can't log in, password reset never arrives", "it", "log in"),
        ("my account was hacked and 2FA is off", "it", "hacked"),
        ("checkout error on your website again", "it", "checkout"),
        ("ログインできないんですが", "it", "ログインできない"),
        ("パスワードを忘れました", "it", "パスワード"),
        ("how much is the Pulse Max, is it in stock?", "sales", "how much"),
        ("any promo code before I buy?", "sales", "promo code"),
        ("値段はいくらですか？購入したい", "sales", "値段"),
        ("my lawyer will be in touch", "pr", "lawyer"),
        ("a journalist asked me about this", "pr", "journalist"),
        ("the charger caught fire", "pr", "caught fire"),
        ("弁護士に相談します", "pr", "弁護士"),
        ("完全に炎上してる", "pr", "炎上"),
        ("where is my refund? delivery delayed twice", "customer_service", "refund"),
        ("flight cancelled and lost luggage", "customer_service", "cancelled"),
        ("the staff were so rude", "customer_service", "rude"),
        ("返金はまだですか", "customer_service", "返金"),
        ("配送が遅延しています", "customer_service", "配送"),
        ("lol good morning everyone", "none", "lol"),
        ("free crypto giveaway, link in bio", "none", "giveaway"),
    ],
)
def test_each_department_fires_in_english_and_japanese(text: str, department: str, cue: str) -> None:
    hits = cue_hits(text)
    assert cue in hits[department]
    scores = department_cues(text)
    assert scores[department] >= 0.5
    assert max(scores, key=lambda d: scores[d]) == department


def test_scores_grow_with_more_cues_and_cover_all_departments() -> None:
    one = department_cues("refund please")
    three = department_cues("refund for the delayed delivery please")
    assert set(one) == set(DEPARTMENTS)
    assert one["customer_service"] == 0.5
    assert three["customer_service"] == 0.875
    assert all(0.0 <= v <= 1.0 for v in three.values())


@pytest.mark.parametrize(
    "text",
    ["this is not a bug, works fine, no problem", "never crashed once", "no lawyer needed", "バグではないです"],
)
def test_negated_cues_do_not_fire(text: str) -> None:
    hits = cue_hits(text)
    assert "engineering" not in hits
    assert "pr" not in hits


def test_negation_does_not_cancel_the_complaint_itself() -> None:
    assert cue_hits("cannot log in, password reset link broken")["it"] == ["log in", "password", "reset link"]
    assert "refund" in cue_hits("no refund yet")["customer_service"]


def test_word_boundaries_for_latin() -> None:
    assert "engineering" not in cue_hits("debugger conference was fun")  # "bug" inside a word
    assert "sales" not in cue_hits("the buyer's remorse")  # "buy" inside a word
    assert cue_hits("bugs everywhere")["engineering"] == ["bugs"]


def test_no_cue_gives_a_weak_none() -> None:
    scores = department_cues("the weather is nice")
    assert scores["none"] == NO_CUE_NONE
    assert all(scores[d] == 0.0 for d in DEPARTMENTS if d != "none")


def test_every_department_has_english_and_japanese_cues() -> None:
    for department in DEPARTMENTS:
        terms = CUES[department]
        assert any(t.isascii() for t in terms), department
        assert any(not t.isascii() for t in terms), department


@pytest.mark.parametrize(
    "text", ["", "😀😀😀", "crash " * 2_000, "bad \ud800 surrogate bug", "混合 mixed テキスト バグ"]
)
def test_bad_input_never_crashes(text: str) -> None:
    scores = department_cues(text)
    assert set(scores) == set(DEPARTMENTS)
