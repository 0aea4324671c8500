"""The syntax tree of a listening query: immutable values, compared by structure.

Every node checks its own content when built (a ``ValueError`` saying what is wrong), so a tree made by
hand is as valid as one from :func:`~collectors.query.parser.parse`, which turns that error into a
``QuerySyntaxError`` with the column. ``str(node)`` is the canonical form, which parses back to the same
tree: explicit ``AND``/``OR``, ``-`` for negation, and parentheses around every group inside a group.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TypeAlias

from collectors.query import text

KEYWORDS = frozenset({"AND", "OR", "NOT"})
OPERATOR_PREFIX = re.compile(r"[A-Za-z_]+:")
"""A word starting like this is an operator (``lang:en``), never a term."""
_TERM_FORBIDDEN = re.compile(r'[\s()"]')
_LANG_CODE = re.compile(r"[a-z]{2,3}")


def _check_matchable(what: str) -> None:
    if any(unicodedata.category(c) in {"Cc", "Zl", "Zp"} for c in what):
        raise ValueError(f"{what!r} holds a line break or control character")
    if not text.tokens(text.fold(what)):
        raise ValueError(f"{what!r} has no letter, digit or emoji to match")


@dataclass(frozen=True)
class Term:
    """A word, matched as a whole token (a substring in scripts without spaces)."""

    text: str

    def __post_init__(self) -> None:
        for form in (self.text, unicodedata.normalize("NFKC", self.text)):  # X is sent the NFKC form
            if _TERM_FORBIDDEN.search(form) or form in KEYWORDS or form[:1] in {"-", "@", "#"}:
                raise ValueError(f"{self.text!r} cannot be a term: quote it as a phrase")
            if OPERATOR_PREFIX.match(form):
                raise ValueError(f"{self.text!r} cannot be a term: it reads as an operator")
        _check_matchable(self.text)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Phrase:
    """An exact phrase: its tokens, contiguous and in order."""

    text: str

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("empty phrase")
        if '"' in unicodedata.normalize("NFKC", self.text):  # X is sent the NFKC form
            raise ValueError(f"{self.text!r} cannot be a phrase: it holds a double quote")
        _check_matchable(self.text)

    def __str__(self) -> str:
        return f'"{self.text}"'


@dataclass(frozen=True)
class Mention:
    """``@handle``: the post mentions this X account."""

    handle: str

    def __post_init__(self) -> None:
        if not text.HANDLE.fullmatch(self.handle):
            raise ValueError(f"'@{self.handle}' is not an X username (letters, digits, _; at most 15)")

    def __str__(self) -> str:
        return f"@{self.handle}"


@dataclass(frozen=True)
class Hashtag:
    """``#tag``: the post carries exactly this hashtag."""

    tag: str

    def __post_init__(self) -> None:
        if not text.HASHTAG_BODY.fullmatch(text.fold(self.tag)):
            raise ValueError(f"'#{self.tag}' is not a hashtag (letters, digits, _)")

    def __str__(self) -> str:
        return f"#{self.tag}"


@dataclass(frozen=True)
class Lang:
    """``lang:xx``: the platform (or language detection) says the post is in this language."""

    code: str

    def __post_init__(self) -> None:
        if not _LANG_CODE.fullmatch(self.code):
            raise ValueError(f"'lang:{self.code}' is not a language code (two or three letters, as in lang:en)")

    def __str__(self) -> str:
        return f"lang:{self.code}"


@dataclass(frozen=True)
class IsRetweet:
    """``is:retweet``: the post is a repost."""

    def __str__(self) -> str:
        return "is:retweet"


@dataclass(frozen=True)
class IsReply:
    """``is:reply``: the post answers another post."""

    def __str__(self) -> str:
        return "is:reply"


@dataclass(frozen=True)
class Not:
    """Matches what its operand does not (``-x`` or ``NOT x``)."""

    child: Node

    def __str__(self) -> str:
        return f"-{_operand(self.child)}"


@dataclass(frozen=True)
class And:
    """Every operand matches (adjacent terms, or ``AND``)."""

    children: tuple[Node, ...]

    def __post_init__(self) -> None:
        if len(self.children) < 2:
            raise ValueError("AND needs at least two operands")

    def __str__(self) -> str:
        return " AND ".join(_operand(child) for child in self.children)


@dataclass(frozen=True)
class Or:
    """At least one operand matches."""

    children: tuple[Node, ...]

    def __post_init__(self) -> None:
        if len(self.children) < 2:
            raise ValueError("OR needs at least two operands")

    def __str__(self) -> str:
        return " OR ".join(_operand(child) for child in self.children)


Atom: TypeAlias = Term | Phrase | Mention | Hashtag | Lang | IsRetweet | IsReply
Node: TypeAlias = Atom | Not | And | Or
POSITIVE = (Term, Phrase, Mention, Hashtag)
"""The atoms X calls standalone: a rule needs one of them; ``lang:`` and ``is:`` only narrow."""


def _operand(node: Node) -> str:
    return f"({node})" if isinstance(node, And | Or) else str(node)


def is_positive(node: Node) -> bool:
    """True when every post the node matches must contain one of its terms, phrases, handles or tags."""
    if isinstance(node, POSITIVE):
        return True
    if isinstance(node, And):
        return any(is_positive(child) for child in node.children)
    if isinstance(node, Or):
        return all(is_positive(child) for child in node.children)
    return isinstance(node, Not) and isinstance(node.child, Not) and is_positive(node.child.child)
