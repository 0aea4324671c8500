"""The local matcher: a query compiled once into a predicate over texts, with X's semantics.

Reddit has no server-side query language and X's results must be re-checked (which rule matched, a
replayed file), so every source runs posts through the same predicate. Its meaning follows X:

- a term or phrase matches its tokens contiguously and whole (tokens: see :mod:`collectors.query.text`,
  case and width folded); a term that cuts into several tokens (``wi-fi``, ``lumora's``) matches as a
  phrase, so locally ``wi-fi`` = ``"wi-fi"`` = ``"wi fi"``;
- a term also matches the text of hashtags and mentions, as X's tokeniser splits ``#`` and ``@`` off like
  any symbol: ``lumora`` matches ``#lumora`` and ``@lumora``, not ``#lumorahome``; ``#lumora`` matches only
  that exact hashtag and ``@LumoraHelp`` only a mention of that account;
- in scripts written without spaces (CJK, Thai, ...) and in Korean a term matches as a substring;
- ``lang:en`` matches a post whose language is ``en`` or ``en-*``; a post of unknown language never matches;
- ``is:retweet`` and ``is:reply`` read the flags given by the caller (see :meth:`Matcher.matches_mention`).

Speed: terms are folded once at compile time; a text is folded and tokenised once per call, and only into
what the query needs (a token set, the joined token string for phrases, the entity set). The terms of one
``AND``/``OR`` become one set operation (``issubset``/``isdisjoint``) instead of a test per term.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from collectors.query.ast import And, Hashtag, IsReply, IsRetweet, Lang, Mention, Node, Not, Or, Phrase, Term
from collectors.query.text import entities, fold, is_spaceless, sequence_needle, tokens
from socialcare import models

_NOTHING: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Post:
    words: frozenset[str] | set[str]
    joined: str
    entities: frozenset[str] | set[str]
    lang: str | None
    is_retweet: bool
    is_reply: bool


_Check = Callable[[_Post], bool]
_LeafKind = Literal["word", "sequence", "entity"]


def _leaf(node: Term | Phrase | Mention | Hashtag) -> tuple[_LeafKind, str]:
    """How a term, phrase, handle or hashtag is looked up."""
    if isinstance(node, Term | Phrase):
        parts = tokens(fold(node.text))
        if len(parts) == 1 and not is_spaceless(parts[0]):
            return "word", parts[0]
        return "sequence", sequence_needle(parts)
    if isinstance(node, Mention):
        return "entity", "@" + fold(node.handle)
    return "entity", "#" + fold(node.tag)


class Matcher:
    """A query compiled into a predicate; build it with :func:`compile_matcher`."""

    def __init__(self, node: Node) -> None:
        self.node = node
        self._uses: set[_LeafKind] = set()
        self._check = self._compile(node)

    def matches(self, text: str, *, lang: str | None = None, is_retweet: bool = False, is_reply: bool = False) -> bool:
        """Whether a post with this text (and language and flags) matches the query."""
        folded = fold(text)
        parts = tokens(folded) if self._uses & {"word", "sequence"} else []
        post = _Post(
            words=set(parts) if "word" in self._uses else _NOTHING,
            joined=f" {' '.join(parts)} " if "sequence" in self._uses else "",
            entities=entities(folded) if "entity" in self._uses else _NOTHING,
            lang=lang.casefold() if lang else None,
            is_retweet=is_retweet,
            is_reply=is_reply,
        )
        return self._check(post)

    def matches_mention(self, mention: models.Mention) -> bool:
        """:meth:`matches` for a collected mention: a reply has ``in_reply_to``, a retweet starts ``RT @``."""
        return self.matches(
            mention.text,
            lang=mention.lang,
            is_retweet=mention.text.startswith("RT @"),
            is_reply=mention.in_reply_to is not None,
        )

    def _compile(self, node: Node) -> _Check:
        if isinstance(node, Term | Phrase | Mention | Hashtag):
            kind, value = _leaf(node)
            return self._group(kind, [value], every=True)
        if isinstance(node, Not):
            inner = self._compile(node.child)
            return lambda post: not inner(post)
        if isinstance(node, Lang):
            code, prefix = node.code, node.code + "-"
            return lambda post: post.lang is not None and (post.lang == code or post.lang.startswith(prefix))
        if isinstance(node, IsRetweet):
            return lambda post: post.is_retweet
        if isinstance(node, IsReply):
            return lambda post: post.is_reply
        return self._combine(node)

    def _combine(self, node: And | Or) -> _Check:
        every = isinstance(node, And)
        leaves: dict[_LeafKind, list[str]] = {"word": [], "entity": [], "sequence": []}
        others: list[_Check] = []
        for child in node.children:
            if isinstance(child, Term | Phrase | Mention | Hashtag):
                kind, value = _leaf(child)
                leaves[kind].append(value)
            else:
                others.append(self._compile(child))
        # cheapest first: set operations, then substring searches, then nested groups
        checks = [self._group(kind, values, every) for kind, values in leaves.items() if values] + others
        if len(checks) == 1:
            return checks[0]
        if every:
            return lambda post: all(check(post) for check in checks)
        return lambda post: any(check(post) for check in checks)

    def _group(self, kind: _LeafKind, values: list[str], every: bool) -> _Check:
        """One check for several leaves of one kind that must all (``every``) or any match."""
        self._uses.add(kind)
        if kind == "sequence":
            needles = tuple(values)
            if every:
                return lambda post: all(needle in post.joined for needle in needles)
            return lambda post: any(needle in post.joined for needle in needles)
        wanted = frozenset(values)
        if kind == "word":
            if every:
                return lambda post: wanted <= post.words
            return lambda post: not wanted.isdisjoint(post.words)
        if every:
            return lambda post: wanted <= post.entities
        return lambda post: not wanted.isdisjoint(post.entities)


def compile_matcher(node: Node) -> Matcher:
    """Compile a syntax tree (from :func:`~collectors.query.parser.parse`) into a :class:`Matcher`."""
    return Matcher(node)
