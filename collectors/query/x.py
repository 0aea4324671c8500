"""Compile a query to X API v2: one search query string, or filtered-stream rules within X's length limit.

X reads ``a b`` as AND and binds it before ``OR``, has no ``AND``/``NOT`` keywords (``-`` negates), and
advises parentheses whenever AND and OR mix; so every group inside a group is parenthesised and X reads
the same tree as the local matcher. Double negations are dropped and nested groups of the same kind
flattened. A term that is not one plain token for X (``wi-fi``, ``$lumo``, ``12:30``) is sent as an exact
phrase, which the local matcher reads the same way (a lone emoji is a token, and X matches it as one).
Terms are sent NFKC-folded (fullwidth ``ＬＵＭＯＲＡ`` as ``LUMORA``), since the local matcher folds width
too. Phrases cannot hold ``"`` or control characters (:mod:`~collectors.query.ast` refuses them), as X
has no escape for them.

A query too long for one rule is split on an ``OR``: ``(a OR b OR c OR d) -is:retweet`` becomes
``(a OR b) -is:retweet`` and ``(c OR d) -is:retweet``; the union of the rules matches exactly what the
query does. An OR under a negation cannot be split (``-(a OR b)`` must stay whole), nor can one term.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

from collectors.query.ast import (
    And,
    Hashtag,
    IsReply,
    IsRetweet,
    Lang,
    Mention,
    Node,
    Not,
    Or,
    Phrase,
    Term,
)
from collectors.query.errors import QuerySyntaxError
from collectors.query.text import fold, tokens

RULE_MAX_LENGTH: Final = 512
"""Longest filtered-stream rule (and recent-search query) for X's self-serve Essential/Basic access."""
RULE_MAX_LENGTH_PRO: Final = 1024
"""Longest rule for X's Pro access."""


@dataclass(frozen=True)
class XRule:
    """One filtered-stream rule: ``value`` is the query, ``tag`` names it (X echoes it on each match)."""

    value: str
    tag: str


def to_x_query(node: Node) -> str:
    """The X search query (or stream rule value) for a syntax tree from :func:`parse`."""
    return _render(_simplify(node))


def to_x_rules(node: Node, tag: str, max_length: int = RULE_MAX_LENGTH) -> list[XRule]:
    """Stream rules tagged ``tag``, ``tag#2``, ...; several only when one would exceed ``max_length``.

    Raises :class:`QuerySyntaxError` when the query cannot be split into rules within the limit.
    """
    root = _simplify(node)
    whole = _render(root)
    try:
        parts = _split(root, (), max_length)
    except _TooLongError as exc:
        raise QuerySyntaxError(
            f"the query is too long for one X rule ({len(whole)} characters, limit {max_length}) "
            f"and cannot be split: {exc}",
            whole,
        ) from None
    return [XRule(_render(part), tag if n == 1 else f"{tag}#{n}") for n, part in enumerate(parts, 1)]


# rendering ---------------------------------------------------------------------------------------------
def _simplify(node: Node) -> Node:
    """Drop double negations and flatten ``AND`` in ``AND`` and ``OR`` in ``OR``."""
    if isinstance(node, Not):
        return _simplify(node.child.child) if isinstance(node.child, Not) else Not(_simplify(node.child))
    if isinstance(node, And | Or):
        return _join(type(node), [_simplify(child) for child in node.children])
    return node


def _join(kind: type[And] | type[Or], nodes: list[Node]) -> Node:
    """``kind`` of ``nodes``, with operands of the same kind spliced in; one node stays itself."""
    flat: list[Node] = []
    for node in nodes:
        flat.extend(node.children if isinstance(node, kind) else [node])
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _render(node: Node) -> str:
    if isinstance(node, Term):
        plain = unicodedata.normalize("NFKC", node.text)
        return plain if tokens(fold(plain)) == [fold(plain)] else f'"{plain}"'
    if isinstance(node, Phrase):
        return f'"{unicodedata.normalize("NFKC", node.text)}"'
    if isinstance(node, Hashtag):
        return f"#{unicodedata.normalize('NFKC', node.tag)}"
    if isinstance(node, Not):
        return f"-{_operand(node.child)}"
    if isinstance(node, And):
        return " ".join(_operand(child) for child in node.children)
    if isinstance(node, Or):
        return " OR ".join(_operand(child) for child in node.children)
    assert isinstance(node, Mention | Lang | IsRetweet | IsReply)
    return str(node)


def _operand(node: Node) -> str:
    return f"({_render(node)})" if isinstance(node, And | Or) else _render(node)


# splitting ---------------------------------------------------------------------------------------------
class _TooLongError(Exception):
    """Why a part cannot fit in one rule."""


def _length(context: tuple[Node, ...], node: Node) -> int:
    return len(_render(_join(And, [*context, node])))


def _split(node: Node, context: tuple[Node, ...], limit: int) -> list[Node]:
    """Nodes whose OR is ``node``, each fitting in one rule once ANDed with ``context``."""
    if _length(context, node) <= limit:
        return [node]
    if isinstance(node, Or):
        pieces = [piece for child in node.children for piece in _split(child, context, limit)]
        return _pack(pieces, context, limit)
    if isinstance(node, And):
        problem = _TooLongError("it has no OR outside a negation to split on")
        widest_first = sorted(
            (i for i, child in enumerate(node.children) if isinstance(child, Or)),
            key=lambda i: -len(_render(node.children[i])),
        )
        for i in widest_first:
            before, after = node.children[:i], node.children[i + 1 :]
            try:
                parts = _split(node.children[i], (*context, *before, *after), limit)
            except _TooLongError as exc:
                problem = exc
                continue
            return [_join(And, [*before, part, *after]) for part in parts]
        raise problem
    smallest = _render(_join(And, [node, *context]))
    raise _TooLongError(f"even its smallest rule, {_clip(smallest)}, is {len(smallest)} characters")


def _pack(pieces: list[Node], context: tuple[Node, ...], limit: int) -> list[Node]:
    """Group consecutive pieces (each within the limit) into as few ORs as fit, greedily."""
    packed: list[Node] = []
    group: list[Node] = []
    for piece in pieces:
        if group and _length(context, _join(Or, [*group, piece])) > limit:
            packed.append(_join(Or, group))
            group = []
        group.append(piece)
    packed.append(_join(Or, group))
    return packed


def _clip(query: str, width: int = 60) -> str:
    return repr(query if len(query) <= width else query[: width - 3] + "...")
