"""Reply length: X's weighted length after the twitter-text v3 rules, and Reddit's markdown and limit.

The X cases follow twitter-text's published v3 conformance rules (validate.yml, "WeightedTweetsCounter"):
weights per range, 23 per URL, one emoji sequence weighs 2, NFC before counting.
"""

from __future__ import annotations

import pytest

from responders.length import X_MAX_WEIGHT, fit_reddit, fit_x, reddit_markdown, x_weighted_length


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("Hello, how can we help?", 23),
        ("a" * 280, 280),
        ("あ" * 140, 280),  # CJK weighs 2
        ("한국어", 6),  # Hangul weighs 2
        ("Привет мир", 10),  # Cyrillic weighs 1
        ("café", 4),
        ("cafe\u0301", 4),  # decomposed é is counted after NFC
        ("\u201csmart quotes\u201d \u2014 dash", 21),  # general punctuation weighs 1
        ("😀", 2),
        ("👍🏽", 2),  # an emoji with a skin tone is one sequence
        ("👨‍👩‍👧‍👦", 2),  # a ZWJ family is one sequence
        ("🇯🇵", 2),  # a flag
        ("https://example.com", 23),
        ("https://example.com/" + "a" * 200, 23),  # any URL weighs 23
        ("See https://lumora.example.com/help/123.", 4 + 23 + 1),  # the full stop is not part of the URL
        ("visit lumora.com now", 6 + 23 + 4),  # a bare domain is a URL too
        ("@LumoraHelp 配送が遅い 😡 https://t.co/abc", 12 + 10 + 1 + 2 + 1 + 23),
    ],
)
def test_x_weighted_length(text: str, weight: int) -> None:
    assert x_weighted_length(text) == weight


def test_x_limit_and_reasons() -> None:
    assert fit_x("a" * 280).fits
    too_long = fit_x("あ" * 141)
    assert not too_long.fits and too_long.length == 282
    assert too_long.reason == (
        "the reply is 2 over X's limit (282 of 280); shorten it or move details to a direct message"
    )
    assert not fit_x("   ").fits and "empty" in fit_x("").reason
    assert fit_x("😀" * 140).fits and not fit_x("😀" * 141).fits
    assert X_MAX_WEIGHT == 280


def test_reddit_markdown_keeps_lines_and_escapes_accidental_markup() -> None:
    text = "Hi Jo,\nthanks for flagging this.\n\n# not a heading\n> not a quote\n1. not a list"
    assert reddit_markdown(text) == (
        "Hi Jo,  \nthanks for flagging this.\n\n\\# not a heading  \n\\> not a quote  \n\\1. not a list"
    )
    assert fit_reddit("x" * 10_000).fits and not fit_reddit("x" * 10_001).fits


def test_leading_mentions_of_a_reply_are_free_and_inner_ones_count() -> None:
    body = "a" * 280
    assert fit_x(f"@jo_customer @LumoraHelp {body}").fits  # X fills the thread's handles in: not counted
    assert fit_x(f"@jo_customer {body}").length == 280
    inner = fit_x(f"{'a' * 270} @jo_customer")  # inside the text, a handle is text
    assert inner.length == 270 + 1 + 12 and not inner.fits
    assert not fit_x("@jo_customer").fits  # only handles: nothing to say


def test_a_reply_naming_too_many_accounts_is_refused() -> None:
    many = " ".join(f"@user{i}" for i in range(11)) + " sorry for the trouble"
    fit = fit_x(many)
    assert not fit.fits and "mentions 11 accounts" in fit.reason
    assert fit_x(" ".join(f"@user{i}" for i in range(10)) + " sorry").fits
    assert fit_x("mail help@lumora.example for a refund").mentions == 0  # an e-mail address is no mention
