"""PII redaction: e-mail addresses, phone numbers, payment cards (Luhn-checked) and order/account numbers.

``redact(text)`` returns a :class:`Redaction` with the text where each finding is replaced by a tag
(``[email]``, ``[card]``, ``[phone]``, ``[order]``) and the kinds found, in order. Rules, in the order they
run (an earlier rule's tag is never re-matched by a later one):

1. e-mail: ``local@domain.tld``; an ``@handle`` alone is not an address and is kept.
2. card: 13-19 digits starting with 2-6 (the card networks' ranges; X/Twitter ids start with 1), optionally
   grouped by spaces or dashes, that pass the Luhn check. A digit run failing Luhn is not a card (it may
   be a phone or an order number).
3. order/account: the configurable pattern (setting ``SOCIALCARE_PII_ORDER_PATTERN``, default
   :data:`DEFAULT_ORDER_PATTERN`); only its first group (the number) is replaced, so "order #[order]"
   keeps the context. Runs before phones so "order number 55512345678" is an order.
4. phone: international ``+CC ...`` (8-15 digits) or national formats with separators or a trunk
   ``0``/area code in parentheses: ``(555) 123-4567``, ``555-123-4567``, ``555.123.4567``, ``07700 900123``,
   ``03-1234-5678``, ``090-1234-5678``. Not phones: dates (``2024-01-15``, ``15/01/2024``), times, plain
   digit runs without separators (tweet ids, order numbers), prices, flight numbers.

URLs are masked before matching and put back unchanged, so digits or ``@`` inside a link never become a
tag; ``@handles`` and ``#hashtags`` are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from enrich.textutil import clean
from socialcare.errors import ConfigError
from socialcare.settings import DEFAULT_PII_ORDER_PATTERN

DEFAULT_ORDER_PATTERN: Final = DEFAULT_PII_ORDER_PATTERN
"""The number after "order", "account", "booking", "confirmation", "注文番号", ... (6-20 letters/digits with
at least one digit); the default of the ``pii_order_pattern`` setting."""

MAX_PII_CHARS: Final = 100_000

_URL = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"']+")
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9_.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])"
)
_CARD = re.compile(r"(?<![\d-])[2-6](?:[ -]?\d){12,18}(?![\d-])")
"""Card numbers start with 2-6 (Mastercard 2/5, Amex 3, Visa 4, Discover 6); tweet ids start with 1."""
_PHONE_INTL = re.compile(r"(?<![A-Za-z0-9_+])\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?![\d-])")
_PHONE_NATIONAL = re.compile(
    r"(?<![A-Za-z0-9_/.-])(?:"
    r"\(\d{2,5}\)\s?\d{2,4}[\s.-]?\d{3,4}"  # (555) 123-4567, (03) 1234 5678
    r"|\d{3}[.-]\d{3}[.-]\d{4}|\d{3}\s\d{3}\s\d{4}"  # 555-123-4567, 555.123.4567, 555 123 4567
    r"|0\d{1,4}[\s-]\d{1,4}[\s-]\d{3,4}"  # 03-1234-5678, 090-1234-5678, 020 7946 0018
    r"|0\d{3,4}\s\d{6}"  # 07700 900123
    r"|1[\s-]800[\s-]\d{3}[\s-]\d{4}|1-\d{3}-\d{3}-\d{4}"  # 1-800-555-0199
    r")(?![A-Za-z0-9_/-])"
)
_DATE_LIKE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})$")
_TAG = re.compile(r"\[(?:email|card|phone|order|url\d+)\]")


@dataclass(frozen=True)
class Redaction:
    text: str
    found: tuple[str, ...] = ()


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a digit string (cards); False for anything but 13-19 digits."""
    if not digits.isdigit() or not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


@lru_cache(maxsize=16)
def compile_order_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a configured order pattern once; a broken pattern is a :class:`ConfigError`."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ConfigError(f"SOCIALCARE_PII_ORDER_PATTERN is not a valid regular expression: {exc}") from exc
    return compiled


def _sub_card(match: re.Match[str], found: list[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"[ -]", "", raw)
    separators = set(re.findall(r"[ -]", raw))
    if len(separators) > 1 or not luhn_ok(digits):
        return raw
    found.append("card")
    return "[card]"


def _sub_phone(match: re.Match[str], found: list[str]) -> str:
    raw = match.group(0)
    if _DATE_LIKE.match(raw.strip()):
        return raw
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return raw
    found.append("phone")
    return "[phone]"


def _apply_order(text: str, pattern: re.Pattern[str], found: list[str]) -> str:
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        group = 1 if pattern.groups >= 1 else 0
        start, end = match.span(group)
        if start < 0:
            continue
        value = match.group(group)
        if not any(ch.isdigit() for ch in value) or _TAG.fullmatch(value):
            continue
        pieces.append(text[last:start])
        pieces.append("[order]")
        found.append("order")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def redact(text: str, *, order_pattern: str | None = None) -> Redaction:
    """Replace e-mails, payment cards, order/account numbers and phone numbers with tags."""
    source = clean(text, MAX_PII_CHARS)
    if not source:
        return Redaction("")
    urls: list[str] = []

    def keep_url(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return f"[url{len(urls) - 1}]"

    found: list[str] = []
    work = _URL.sub(keep_url, source)

    def email(_: re.Match[str]) -> str:
        found.append("email")
        return "[email]"

    work = _EMAIL.sub(email, work)
    work = _CARD.sub(lambda m: _sub_card(m, found), work)
    work = _apply_order(work, compile_order_pattern(order_pattern or DEFAULT_ORDER_PATTERN), found)
    work = _PHONE_INTL.sub(lambda m: _sub_phone(m, found), work)
    work = _PHONE_NATIONAL.sub(lambda m: _sub_phone(m, found), work)
    if urls:
        work = re.sub(r"\[url(\d+)\]", lambda m: urls[int(m.group(1))], work)
    return Redaction(work, tuple(found))


def redactor(order_pattern: str | None = None) -> Callable[[str], str]:
    """``redact`` as a text-to-text function, for the store and the retention purge."""
    return lambda text: redact(text, order_pattern=order_pattern).text
