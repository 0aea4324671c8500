"""Small text helpers shared by the rule-based enrichment modules (cues, risk, spam, PII, language).

* :func:`clean` makes any ``str`` safe to process: lone surrogates become U+FFFD and the text is cut to
  :data:`MAX_RULE_CHARS` (rules look at the start of a long post; nothing downstream needs more).
* :class:`TermSet` compiles a readable list of cue words once: Latin-script terms match on word
  boundaries and never inside an @handle ("@poisonpill76" is no poison), case-insensitive; a trailing
  ``*`` means "any word ending". Terms in Japanese (or any non-Latin script) match as substrings, since
  Japanese has no spaces between words.
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
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_WORD_CHARS = re.compile(r"\w+")
_BOUNDARY = r"(?<![\w@])"
"""Where a bounded term may start: not inside a word, nor inside an @handle."""


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
class TextView:
    """A text lowered and split into words once, for the prefilters of several term sets."""

    lowered: str
    words: frozenset[str]

    @classmethod
    def of(cls, text: str) -> TextView:
        lowered = text.lower()
        return cls(lowered, frozenset(_WORD_CHARS.findall(lowered)))  # the regexes' own word boundaries


def _first_word(term: str) -> str:
    return term.rstrip("*").split(" ")[0].lower() or term.lower()


def _alternation(patterns: list[tuple[str, bool, str]]) -> tuple[re.Pattern[str], list[str]]:
    """One regex of (term, starts on a word boundary, pattern) in the order given, and the term of each
    group: the bounded terms share one word-boundary check (several times faster than one each)."""
    bounded = [(t, p) for t, lead, p in patterns if lead]
    free = [(t, p) for t, lead, p in patterns if not lead]
    alternatives = []
    if bounded:
        alternatives.append(_BOUNDARY + "(?:" + "|".join(f"({p})" for _, p in bounded) + ")")
    alternatives.extend(f"({p})" for _, p in free)
    return re.compile("|".join(alternatives), re.IGNORECASE), [t for t, _ in bounded] + [t for t, _ in free]


def _word_key(term: str) -> str | None:
    """The first word of a term that starts on a word boundary and is written in word characters only
    (so ``TextView.words`` can find it), else ``None``."""
    core = term.rstrip("*")
    lead, _ = _term_pattern(term)
    first = core.split(" ")[0].lower()
    if not lead or not first or not _PLAIN_WORD.fullmatch(first):
        return None
    return first


@dataclass(frozen=True)
class Hit:
    term: str
    matched: str
    start: int
    negated: bool


class TermSet:
    """A readable list of cue terms compiled once into one regex.

    Most texts hold few of the terms' first words, so :meth:`hits` first finds the candidate terms by
    words (:class:`TextView`) and searches with those terms' own regexes (compiled once), then keeps the
    matches the whole regex (:attr:`regex`) would find: leftmost first, at one position the alternative
    that comes first, none overlapping. A term that is not a candidate cannot match, so both agree.
    (Compiling one regex per set of candidates instead cost 0.6 ms a set, and most sets are new.)
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: tuple[str, ...] = tuple(dict.fromkeys(terms))
        ordered = sorted(self.terms, key=len, reverse=True)  # longest alternative first
        self._patterns = [(term, *_term_pattern(term)) for term in ordered]
        # the whole list as one regex: the definition of what matches (the tests hold :meth:`hits` to it)
        self.regex, self._terms_by_group = _alternation(self._patterns)
        # candidates by word: a bounded Latin term needs its first word as a word of the text, or as the
        # start of one for "glitch*"; every other term needs its first word (or itself) as a substring
        self._by_word: dict[str, list[int]] = {}
        self._by_prefix: list[tuple[str, int]] = []
        self._by_substring: list[tuple[str, int]] = []
        for index, term in enumerate(ordered):
            key = _word_key(term)
            if key is None:
                self._by_substring.append((_first_word(term), index))
            elif term.endswith("*"):
                self._by_prefix.append((key, index))
            else:
                self._by_word.setdefault(key, []).append(index)
        # each term alone, with its word boundary; its rank is its place in the whole regex (bounded first)
        bounded_first = sorted(range(len(ordered)), key=lambda i: (not self._patterns[i][1], i))
        rank = {index: place for place, index in enumerate(bounded_first)}
        self._single: list[tuple[int, re.Pattern[str]]] = [
            (rank[i], re.compile((_BOUNDARY if lead else "") + f"(?:{p})", re.IGNORECASE))
            for i, (_, lead, p) in enumerate(self._patterns)
        ]
        latin = [t.rstrip("*") for t in ordered if _LATIN.match(t[:1]) and " " not in t and len(t) >= HASHTAG_MIN]
        self._latin = latin
        self._hashtag = re.compile("|".join(f"({re.escape(t)})" for t in latin), re.IGNORECASE) if latin else None

    def _candidates(self, view: TextView) -> tuple[int, ...]:
        found = [index for word in view.words for index in self._by_word.get(word, ())]
        found += [
            index
            for key, index in self._by_prefix
            if key in view.lowered and any(word.startswith(key) for word in view.words)
        ]
        found += [index for key, index in self._by_substring if key in view.lowered]
        return tuple(sorted(set(found)))

    def _matches(self, text: str, candidates: tuple[int, ...]) -> list[tuple[str, re.Match[str]]]:
        """What ``self.regex.finditer`` would yield, found with the candidates' own regexes."""
        found: list[tuple[int, int, re.Match[str], str]] = []
        for index in candidates:
            rank, regex = self._single[index]
            match = regex.search(text)
            while match is not None:  # every start, overlapping: another term may take the earlier one
                found.append((match.start(), rank, match, self._patterns[index][0]))
                match = regex.search(text, match.start() + 1)
        kept: list[tuple[str, re.Match[str]]] = []
        free_from = 0
        for start, _, match, term in sorted(found, key=lambda f: (f[0], f[1])):
            if start >= free_from:
                kept.append((term, match))
                free_from = max(match.end(), start + 1)
        return kept

    def hits(self, text: str, view: TextView | None = None) -> list[Hit]:
        """Every match in ``text``; ``view`` is the text's :class:`TextView`, when the caller has it."""
        view = view or TextView.of(text)
        found: list[Hit] = []
        candidates = self._candidates(view)
        for term, match in self._matches(text, candidates) if candidates else ():
            found.append(Hit(term, match.group(0), match.start(), is_negated(text, match.start(), match.end())))
        return found + self.hashtag_hits(text, found)

    def hashtag_hits(self, text: str, found: list[Hit]) -> list[Hit]:
        """Cues opening a hashtag ("#pregnantwithtwins") that ``found`` does not already hold."""
        extra: list[Hit] = []
        if self._hashtag is not None and "#" in text:
            taken = {hit.start for hit in found}
            for tag in _HASHTAG.finditer(text):
                inner = self._hashtag.match(tag.group(1))
                if inner is not None and tag.start(1) not in taken:
                    term = self._latin[(inner.lastindex or 1) - 1]
                    extra.append(Hit(term, inner.group(0), tag.start(1), False))
                    taken.add(tag.start(1))
        return extra

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
