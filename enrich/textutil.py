"""Small text helpers shared by the rule-based enrichment modules (cues, risk, spam, PII, language).

* :func:`clean` makes any ``str`` safe to process: lone surrogates become U+FFFD and the text is cut to
  :data:`MAX_RULE_CHARS` (rules look at the start of a long post; nothing downstream needs more).
* :class:`TermSet` compiles a readable list of cue words once: Latin-script terms match on word
  boundaries (case-insensitive; a trailing ``*`` means "any word ending"), terms in Japanese (or any
  non-Latin script) match as substrings, since Japanese has no spaces between words.
* Light negation: a Latin match preceded within :data:`NEGATION_WINDOW` words by ``not``, ``no``,
  ``never``, ``n't``, ``without`` ... is reported as negated; Japanese ``ない``/``ません`` right after the
  cue likewise. Callers decide what a negated hit is worth (usually nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_RULE_CHARS = 5_000
NEGATION_WINDOW = 3
"""How many words before a Latin cue a negation may stand ("not really a bug")."""

HASHTAG_MIN = 6
"""Cue words this long or longer also match at the start of a hashtag (#pregnantwithtwins); shorter ones
would fire inside unrelated tags (#hurt... fine, #PressureCooker not)."""

_NEGATORS = re.compile(
    r"\b(?:not|no|never|without|nothing|isn't|wasn't|aren't|don't|doesn't|didn't|won't|can't|cannot|"
    r"isnt|wasnt|dont|doesnt|didnt|wont|cant|nor|zero)\b|n't\b",
    re.IGNORECASE,
)
_JA_NEGATION_AFTER = re.compile(r"^.{0,3}?(?:ない|なし|無し|ません|じゃない|ではない)")
_LATIN = re.compile(r"[A-Za-z0-9]")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_WORD = re.compile(r"[\w']+")


def clean(text: object, limit: int = MAX_RULE_CHARS) -> str:
    """A safe ``str``: ``None`` -> ``""``, lone surrogates -> U+FFFD, cut to ``limit`` characters."""
    if not isinstance(text, str):
        return ""
    cut = text[:limit]
    try:
        cut.encode("utf-8")
    except UnicodeEncodeError:
        cut = cut.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return cut


def _term_pattern(term: str) -> tuple[bool, str]:
    """(starts on a word boundary?, pattern without that boundary)."""
    wildcard = term.endswith("*")
    core = term[:-1] if wildcard else term
    escaped = re.escape(core).replace(r"\ ", r"\s+")
    if not _LATIN.search(core):
        return False, escaped  # Japanese and other scripts without spaces: substring
    lead = bool(_LATIN.match(core[0]) or core[0] in "#@")
    tail = r"\w*" if wildcard else r"(?![\w])" if _LATIN.match(core[-1]) else ""
    return lead, f"{escaped}{tail}"


@dataclass(frozen=True)
class Hit:
    term: str
    matched: str
    start: int
    negated: bool


class TermSet:
    """A readable list of cue terms compiled once into one regex."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(terms))
        ordered = sorted(self.terms, key=len, reverse=True)  # longest alternative first
        patterns = [(term, *_term_pattern(term)) for term in ordered]
        bounded = [(t, p) for t, lead, p in patterns if lead]
        free = [(t, p) for t, lead, p in patterns if not lead]
        self._terms_by_group = [t for t, _ in bounded] + [t for t, _ in free]
        self._keys: tuple[str, ...] = tuple(
            sorted({t.rstrip("*").split(" ")[0].lower() or t.lower() for t in ordered}, key=len)
        )
        alternatives = []
        if bounded:  # one shared word-boundary check instead of one per alternative: several times faster
            alternatives.append(r"(?<![\w])(?:" + "|".join(f"({p})" for _, p in bounded) + ")")
        alternatives.extend(f"({p})" for _, p in free)
        self.regex = re.compile("|".join(alternatives), re.IGNORECASE)
        latin = [t.rstrip("*") for t in ordered if _LATIN.match(t[:1]) and " " not in t and len(t) >= HASHTAG_MIN]
        self._latin = latin
        self._hashtag = re.compile("|".join(f"({re.escape(t)})" for t in latin), re.IGNORECASE) if latin else None

    def _maybe(self, text: str) -> bool:
        """Cheap prefilter: does any term's first word (or a Japanese term) occur as a substring at all?"""
        lowered = text.lower()
        return any(key in lowered for key in self._keys)

    def hits(self, text: str) -> list[Hit]:
        found: list[Hit] = []
        if not self._maybe(text):
            return found
        for match in self.regex.finditer(text):
            index = match.lastindex or 1
            term = self._terms_by_group[index - 1]
            found.append(Hit(term, match.group(0), match.start(), is_negated(text, match.start(), match.end())))
        if self._hashtag is not None and "#" in text:  # "#pregnantwithtwins": a cue opening a hashtag counts
            for tag in _HASHTAG.finditer(text):
                inner = self._hashtag.match(tag.group(1))
                if inner is not None and not any(h.start == tag.start(1) for h in found):
                    term = self._latin[(inner.lastindex or 1) - 1]
                    found.append(Hit(term, inner.group(0), tag.start(1), False))
        return found

    def first(self, text: str, *, allow_negated: bool = False) -> Hit | None:
        for hit in self.hits(text):
            if allow_negated or not hit.negated:
                return hit
        return None


def is_negated(text: str, start: int, end: int) -> bool:
    """True when a negation word stands shortly before ``text[start:end]`` (or ない right after, in Japanese)."""
    if _LATIN.search(text[start:end]):
        before = _WORD.findall(text[max(0, start - 60) : start])[-NEGATION_WINDOW:]
        return any(_NEGATORS.fullmatch(word) or word.lower().endswith("n't") for word in before)
    return bool(_JA_NEGATION_AFTER.match(text[end : end + 8]))
