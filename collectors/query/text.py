"""How a text is cut into tokens, shared by the query validator, the local matcher and the X compiler.

One tokeniser for both sides (the query's terms and the posts' texts) is what makes matching exact:
a term that cuts into several tokens simply matches as that sequence. The rules follow X's search
tokeniser, which splits on punctuation, symbols and separators:

- a text is folded first: Unicode NFKC (fullwidth ``ＬＵＭＯＲＡ`` and halfwidth ``ﾙﾓﾗ`` become ``lumora``
  and ``ルモラ``), ``casefold`` (``Straße`` = ``strasse``), and emoji variation selectors dropped (``❤️`` =
  ``❤``); accents are kept (``café`` is not ``cafe``);
- a word token is a run of letters, combining marks and digits; ``_``, ``'``, ``-``, ``#`` and ``@``
  split words, so ``#lumora`` and ``@lumora`` both hold the word ``lumora``;
- scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar) and
  Hangul (Korean particles attach to the noun: 루모라는) form their own runs, split from Latin
  (``lumoraのサーモ`` is ``lumora`` + ``のサーモ``), and are matched as substrings of those runs;
- an emoji is a token of its own, with its skin tone, keycap and ZWJ-joined parts (``👍🏽``, ``👨‍👩‍👧``); a flag
  is two tokens, one per regional indicator;
- entities are found separately: ``#tag`` (letters, digits, ``_``) and ``@handle`` (ASCII letters,
  digits, ``_``) not preceded by a word character, so ``mail@example.com`` mentions nobody.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

_SPACELESS_BLOCKS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x3000, 0x30FF),  # CJK symbols (々 〆 〇), Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
)
# Outside the BMP, whole planes by rough range: a class of many exact ranges beyond U+FFFF makes ``re``
# test them one by one (a tenfold slowdown), while the BMP part compiles to a bitmap.
_WORD_ASTRAL = "\U00010000-\U0001cfff\U0001e000-\U0001efff\U000e0100-\U000e01ef"  # historic scripts
_SPACELESS_ASTRAL = "\U00020000-\U0003ffff"  # CJK extensions B and later
_SYMBOL_ASTRAL = "\U0001f000-\U0001faff"  # emoji, flags, mahjong and playing cards
_EMOJI_MODIFIERS = "\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"


def _char_class(code_points: Iterable[int]) -> str:
    """A regex character class body (``a-z...``) for the given code points."""
    ranges: list[tuple[int, int]] = []
    for point in sorted(code_points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return "".join(
        re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges
    )


def _build_classes() -> tuple[str, str, str]:
    spaceless = {c for lo, hi in _SPACELESS_BLOCKS for c in range(lo, hi + 1)}
    word: list[int] = []
    cjk: list[int] = []
    symbol: list[int] = []
    for point in range(0x10000):
        category = unicodedata.category(chr(point))
        if category[0] in "LMN":
            (cjk if point in spaceless else word).append(point)
        elif category == "So":
            symbol.append(point)
    return (
        _char_class(word) + _WORD_ASTRAL,
        _char_class(cjk) + _SPACELESS_ASTRAL,
        _char_class(symbol) + _SYMBOL_ASTRAL,
    )


_WORD, _SPACELESS, _SYMBOL = _build_classes()
_TOKEN = re.compile(f"[{_WORD}]+|[{_SPACELESS}]+|[{_SYMBOL}](?:[{_EMOJI_MODIFIERS}]|\u200d[{_SYMBOL}])*")
_SPACELESS_START = re.compile(f"[{_SPACELESS}]")
# the sign first, then a look back past it: ``re`` then scans for the sign instead of testing every position
_TAG = f"{_WORD}{_SPACELESS}_"
_ENTITY = re.compile(f"@(?<![{_TAG}]@)[a-z0-9_]+|#(?<![{_TAG}]#)[{_TAG}]+")
HASHTAG_BODY = re.compile(f"[{_TAG}]+")
"""What may follow ``#`` in a hashtag (match against :func:`fold` of it)."""
HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
"""An X username: what may follow ``@``."""


def fold(text: str) -> str:
    """The form every comparison uses: NFKC, casefold, without emoji variation selectors."""
    return unicodedata.normalize("NFKC", text).casefold().replace("\ufe0f", "").replace("\ufe0e", "")


def tokens(folded: str) -> list[str]:
    """The word, spaceless-script and emoji tokens of a folded text, in order."""
    return _TOKEN.findall(folded)


def entities(folded: str) -> set[str]:
    """The ``#tag`` and ``@handle`` entities of a folded text, with their sign."""
    return set(_ENTITY.findall(folded))


def is_spaceless(token: str) -> bool:
    """True for a token of a script written without spaces (matched as a substring)."""
    return _SPACELESS_START.match(token) is not None


def sequence_needle(parts: Sequence[str]) -> str:
    """What to look for in ``" " + " ".join(tokens) + " "`` to find ``parts`` as contiguous tokens.

    A word token must be whole, so it is fenced by spaces; a spaceless-script token at either end may sit
    inside a longer run, so it is left open on its outer side.
    """
    head = "" if is_spaceless(parts[0]) else " "
    tail = "" if is_spaceless(parts[-1]) else " "
    return head + " ".join(parts) + tail
