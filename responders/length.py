"""Does a reply fit the platform? X's weighted length (twitter-text v3) and Reddit's comment limit.

X counts characters by weight, as twitter-text's v3 configuration does: a code point in the ranges of
:data:`LIGHT_RANGES` (Latin, Greek, Cyrillic, Hebrew, Arabic, general punctuation, ...) weighs 1; any
other (CJK, Hangul, most symbols) weighs 2; an emoji sequence (a grapheme cluster with an emoji in it,
skin tones and ZWJ families included) weighs 2 as a whole; every URL weighs 23 whatever its length. The
text is NFC-normalised first. A post may weigh at most 280.

Mentions: a reply's leading @handles (the thread's people, which X fills in itself for a reply made with
``in_reply_to_tweet_id``) do not count towards the 280, as on X since 2017; an @handle inside the text
counts like any other text. A reply naming more than :data:`X_MAX_MENTIONS` accounts is refused: X
treats mass mentions as spam.

Reddit comments may hold 10,000 characters of markdown; :func:`reddit_markdown` keeps the author's line
breaks (markdown would join single lines) and escapes characters that would start a heading, a quote or
a list by accident.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

X_MAX_WEIGHT = 280
X_MAX_MENTIONS = 10
X_URL_WEIGHT = 23
REDDIT_MAX_CHARS = 10_000
LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))

_URL = re.compile(
    r"(?i)\bhttps?://[^\s<>\"']+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|org|net|io|co|jp|uk|de|fr|app|dev|info|biz|me|ly)\b"
    r"(?:/[^\s<>\"']*)?"
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_GRAPHEME = regex.compile(r"\X")
_MENTION = re.compile(r"(?<![\w@])@\w{1,15}\b")
_LEADING_MENTIONS = re.compile(r"^(?:@\w{1,15}(?:\s+|$))+")
_EMOJI = regex.compile(r"\p{Extended_Pictographic}|\p{Regional_Indicator}")


@dataclass(frozen=True)
class Fit:
    platform: str
    length: int
    limit: int
    mentions: int = 0

    @property
    def fits(self) -> bool:
        return 0 < self.length <= self.limit and self.mentions <= X_MAX_MENTIONS

    @property
    def reason(self) -> str:
        if self.length == 0:
            return f"the reply is empty; write something for {self.platform}"
        if self.mentions > X_MAX_MENTIONS:
            return (
                f"the reply mentions {self.mentions} accounts; {self.platform} treats more than {X_MAX_MENTIONS} "
                "as spam, so address fewer people"
            )
        if self.length > self.limit:
            return (
                f"the reply is {self.length - self.limit} over {self.platform}'s limit "
                f"({self.length} of {self.limit}); shorten it or move details to a direct message"
            )
        return "fits"


def _char_weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in LIGHT_RANGES) else 2


def _plain_weight(text: str) -> int:
    total = 0
    for cluster in _GRAPHEME.findall(text):
        if _EMOJI.search(cluster):
            total += 2
        else:
            total += sum(_char_weight(char) for char in cluster)
    return total


def x_weighted_length(text: str) -> int:
    """twitter-text v3 weighted length: 1 or 2 per character, 2 per emoji sequence, 23 per URL."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        total += _plain_weight(text[position : match.start()]) + X_URL_WEIGHT
        position = match.start() + len(url)
    return total + _plain_weight(text[position:])


def urls_replaced(text: str, placeholder: str) -> str:
    """``text`` with every URL X would link (and count as 23) replaced by ``placeholder``."""

    def replace(match: re.Match[str]) -> str:
        url = match.group(0)
        kept = url.rstrip(_TRAILING_PUNCTUATION)
        return placeholder + url[len(kept) :]

    return _URL.sub(replace, text)


def without_leading_mentions(text: str) -> str:
    """``text`` without the @handles it opens with: the thread's people, which X fills in for a reply."""
    return _LEADING_MENTIONS.sub("", text)


def fit_x(text: str) -> Fit:
    """The weight of an X reply: leading @handles are free, the rest counts (see the module docstring)."""
    text = text.strip()
    body = without_leading_mentions(text)
    mentions = len(_MENTION.findall(text))
    return Fit("X", x_weighted_length(body) if body else 0, X_MAX_WEIGHT, mentions=mentions)


def reddit_markdown(text: str) -> str:
    """Plain reply text as Reddit markdown: single line breaks kept, accidental markup escaped."""
    lines = []
    for line in text.strip().splitlines():
        stripped = line.rstrip()
        if re.match(r"^(#|>|[-*+] |\d+\. )", stripped):
            stripped = "\\" + stripped
        lines.append(stripped)
    out: list[str] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        hard_break = line and following  # two lines of one paragraph: keep the break
        out.append(line + ("  " if hard_break else ""))
    return "\n".join(out)


def fit_reddit(text: str) -> Fit:
    return Fit("Reddit", len(reddit_markdown(text)), REDDIT_MAX_CHARS)


def fit_for(platform: str, text: str) -> Fit:
    """The length rule of ``platform`` ("x" or "reddit") applied to a reply's text."""
    return fit_reddit(text) if platform == "reddit" else fit_x(text)
