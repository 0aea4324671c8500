from __future__ import annotations

import pytest

from enrich.pii import DEFAULT_ORDER_PATTERN, luhn_ok, redact
from socialcare.errors import ConfigError
from socialcare.settings import Settings


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("4111111111111111", True),  # Visa test number
        ("5555555555554444", True),  # Mastercard test number
        ("378282246310005", True),  # Amex, 15 digits
        ("4111111111111112", False),
        ("1234567890123456", False),
        ("0000000000000000", False),  # a single repeated digit is never a card
        ("411111111111", False),  # 12 digits: too short
        ("4111-1111", False),
    ],
)
def test_luhn(number: str, ok: bool) -> None:
    assert luhn_ok(number) is ok


def test_cards_are_luhn_checked_with_spaces_or_dashes() -> None:
    assert redact("card 4111 1111 1111 1111 please").text == "card [card] please"
    assert redact("card 5555-5555-5555-4444").text == "card [card]"
    assert redact("amex 378282246310005.").found == ("card",)
    not_a_card = redact("ref 4111 1111 1111 1112 here")
    assert "4111 1111 1111 1112" in not_a_card.text
    assert "card" not in not_a_card.found


def test_emails_but_not_handles() -> None:
    result = redact("mail john.doe+care@example.co.uk or ping @johndoe and @Lumora")
    assert result.text == "mail [email] or ping @johndoe and @Lumora"
    assert result.found == ("email",)


@pytest.mark.parametrize(
    "text",
    [
        "call me on +1 (555) 123-4567 today",
        "call me on 555-123-4567 today",
        "call me on (555) 123-4567 today",
        "call me on 555.123.4567 today",
        "call me on 555 123 4567 today",
        "call me on +44 20 7946 0018 today",
        "call me on 07700 900123 today",
        "call me on 1-800-555-0199 today",
    ],
)
def test_phone_formats(text: str) -> None:
    result = redact(text)
    assert result.text == "call me on [phone] today"
    assert result.found == ("phone",)


@pytest.mark.parametrize(
    "text",
    [
        "flight on 2024-01-15 at 10:30",
        "flight on 15/01/2024",
        "flight UA1724 delayed 4 hrs",
        "tweet 1234567890123456789 is gone",
        "tweet 1944117715162046610 is gone",  # passes Luhn, but ids start with 1: not a card
        "paid $1,249.99 for 2 units",
        "https://x.com/user/status/1234567890123456789",
        "see https://example.com/orders/555-123-4567/track",
        "#US2218 and @user_5551234567",
    ],
)
def test_not_phones_dates_ids_urls(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.found == ()


def test_order_numbers_keep_context() -> None:
    assert redact("Order# 3632693-6196346. still nothing").text == "Order# [order]. still nothing"
    assert redact("my order number is AB123456").text == "my order number is AB123456"  # "is" breaks it
    assert redact("order number AB123456 never came").text == "order number [order] never came"
    assert redact("booking ref: XK9P2L").text == "booking ref: [order]"
    assert redact("account 12345678 locked").text == "account [order] locked"
    # words without digits are not order numbers
    assert redact("my account is locked, order status pending").found == ()


def test_custom_order_pattern() -> None:
    pattern = r"\bLM-(\d{6})\b"
    assert redact("ticket LM-123456 open", order_pattern=pattern).text == "ticket LM-[order] open"
    with pytest.raises(ConfigError, match="SOCIALCARE_PII_ORDER_PATTERN"):
        redact("x", order_pattern="(unclosed")


def test_settings_default_pattern_and_retention() -> None:
    settings = Settings()
    assert settings.pii_order_pattern == DEFAULT_ORDER_PATTERN
    assert settings.retain_original_text_days == 30
    assert "redact" in (Settings.model_fields["pii_order_pattern"].description or "")


def test_japanese_text() -> None:
    result = redact("090-1234-5678に電話して、メールはtaro@example.jpです。注文番号：ABC123456")
    assert result.text == "[phone]に電話して、メールは[email]です。注文番号：[order]"
    assert sorted(result.found) == ["email", "order", "phone"]
    assert redact("03-1234-5678までご連絡ください").text == "[phone]までご連絡ください"


def test_handles_urls_hashtags_untouched() -> None:
    text = "@LumoraHelp see https://t.co/AbC123 #LumoraFail RT @someone: 4111 1111 1111 1111"
    assert redact(text).text == "@LumoraHelp see https://t.co/AbC123 #LumoraFail RT @someone: [card]"


@pytest.mark.parametrize(
    "text", ["", "😀😀😀", "a" * 10_000, "bad \ud800 surrogate 555-123-4567", "混合 text テキスト"]
)
def test_bad_input_never_crashes(text: str) -> None:
    result = redact(text)
    assert isinstance(result.text, str)
    assert "\ud800" not in result.text
