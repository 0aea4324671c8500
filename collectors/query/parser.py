"""Parse the boolean listening query language that Brandwatch, Talkwalker and X users already write.

Grammar (precedence NOT > AND > OR, the same as X, where adjacent terms bind before ``OR``)::

    query   := or EOF
    or      := and ("OR" and)*
    and     := unary (["AND"] unary)*          adjacent operands are ANDed
    unary   := ("NOT" | "-") unary | primary    "-" is glued to what it negates: -giveaway, -(a OR b)
    primary := "(" or ")" | '"' phrase '"' | @handle | #hashtag | lang:xx | is:retweet | is:reply | term

so ``a OR b c`` is ``a OR (b AND c)``. Only uppercase ``AND``, ``OR`` and ``NOT`` are keywords; ``or`` is a
term, as on X. A term runs up to whitespace, a parenthesis or a double quote (``wi-fi``, ``ルモラ``, ``🔥``).
A query must require at least one term, phrase, handle or hashtag in every match: X refuses a rule made
only of negations or of ``lang:``/``is:``, and a listening query that matches everything is a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from collectors.query.ast import (
    KEYWORDS,
    OPERATOR_PREFIX,
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
    is_positive,
)
from collectors.query.errors import QuerySyntaxError

KNOWN_OPERATORS = "lang:, is:retweet, is:reply"
MAX_NESTING = 50
"""Deepest nesting of parentheses and negations; deeper is a mistake, and would exhaust the stack."""
_WORD_END = frozenset('()"')

Kind = Literal["(", ")", "phrase", "word", "keyword", "-"]


@dataclass(frozen=True)
class _Token:
    kind: Kind
    value: str
    column: int


def _lex(query: str) -> list[_Token]:
    found: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char, column = query[i], i + 1
        if char.isspace():
            i += 1
        elif char in "()":
            found.append(_Token("(" if char == "(" else ")", char, column))
            i += 1
        elif char == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError("unclosed quote", query, column)
            found.append(_Token("phrase", query[i + 1 : end], column))
            i = end + 1
        elif char == "-":
            if i + 1 == n or query[i + 1].isspace() or query[i + 1] == ")":
                raise QuerySyntaxError("'-' must be glued to what it excludes", query, column, hint="as in -giveaway")
            found.append(_Token("-", char, column))
            i += 1
        else:
            end = i
            while end < n and not query[end].isspace() and query[end] not in _WORD_END:
                end += 1
            word = query[i:end]
            found.append(_Token("keyword" if word in KEYWORDS else "word", word, column))
            i = end
    return found


class _Parser:
    def __init__(self, query: str) -> None:
        self.query = query
        self.tokens = _lex(query)
        self.at = 0
        self.depth = 0
        self.columns: dict[int, int] = {}
        """Column of each node, by ``id``, for errors found after parsing."""

    def error(self, reason: str, column: int, hint: str = "") -> QuerySyntaxError:
        return QuerySyntaxError(reason, self.query, column, hint)

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def starts_operand(self, token: _Token | None) -> bool:
        return token is not None and (
            token.kind in {"(", "phrase", "word", "-"} or (token.kind == "keyword" and token.value == "NOT")
        )

    def placed(self, node: Node, column: int) -> Node:
        self.columns[id(node)] = column
        return node

    def parse(self) -> Node:
        if not self.tokens:
            raise QuerySyntaxError("empty query", self.query)
        node = self.parse_or()
        extra = self.peek()
        if extra is not None:  # parse_or stops only before ')' or the end
            raise self.error("')' without '('", extra.column)
        return node

    def parse_or(self) -> Node:
        first = self.parse_and()
        children = [first]
        while (token := self.peek()) is not None and token.kind == "keyword" and token.value == "OR":
            self.take()
            if not self.starts_operand(self.peek()):
                raise self.error("'OR' needs a term after it", token.column)
            children.append(self.parse_and())
        if len(children) == 1:
            return first
        return self.placed(Or(tuple(children)), self.columns[id(first)])

    def parse_and(self) -> Node:
        first = self.parse_unary()
        children = [first]
        while True:
            token = self.peek()
            if token is not None and token.kind == "keyword" and token.value == "AND":
                self.take()
                if not self.starts_operand(self.peek()):
                    raise self.error("'AND' needs a term after it", token.column)
            elif not self.starts_operand(token):
                break
            children.append(self.parse_unary())
        if len(children) == 1:
            return first
        return self.placed(And(tuple(children)), self.columns[id(first)])

    def parse_unary(self) -> Node:
        token = self.peek()
        if token is not None and self.depth >= MAX_NESTING:
            raise self.error(f"groups and negations are nested more than {MAX_NESTING} deep", token.column)
        self.depth += 1  # an error ends the parse, so only a success needs to undo this
        if token is not None and (token.kind == "-" or (token.kind == "keyword" and token.value == "NOT")):
            self.take()
            if not self.starts_operand(self.peek()):
                raise self.error(f"'{token.value}' needs a term after it", token.column)
            node = self.placed(Not(self.parse_unary()), token.column)
        else:
            node = self.parse_primary()
        self.depth -= 1
        return node

    def parse_primary(self) -> Node:
        token = self.take()  # callers checked there is an operand
        if token.kind == "keyword":
            raise self.error(f"'{token.value}' needs a term before it", token.column)
        if token.kind == ")":
            raise self.error("')' without '('", token.column)
        if token.kind == "(":
            closing = self.peek()
            if closing is not None and closing.kind == ")":
                raise self.error("empty parentheses", token.column)
            if closing is None:
                raise self.error("'(' is never closed", token.column)
            node = self.parse_or()
            if self.peek() is None:
                raise self.error("'(' is never closed", token.column)
            self.take()
            return self.placed(node, token.column)
        return self.placed(self.atom(token), token.column)

    def atom(self, token: _Token) -> Node:
        value = token.value
        try:
            if token.kind == "phrase":
                return Phrase(value)
            if value.startswith("@"):
                return Mention(value[1:])
            if value.startswith("#"):
                return Hashtag(value[1:])
            if prefix := OPERATOR_PREFIX.match(value):
                return self.operator(prefix.group().lower(), value[prefix.end() :].lower(), token)
            return Term(value)
        except ValueError as exc:
            raise self.error(str(exc), token.column) from None

    def operator(self, name: str, argument: str, token: _Token) -> Node:
        if name == "lang:":
            return Lang(argument)
        if name == "is:" and argument == "retweet":
            return IsRetweet()
        if name == "is:" and argument == "reply":
            return IsReply()
        shown = f"is:{argument}" if name == "is:" else name
        raise self.error(f"unknown operator {shown!r}", token.column, hint=f"known: {KNOWN_OPERATORS}")

    def check_positive(self, root: Node) -> None:
        if is_positive(root):
            return
        alternative = _negative_alternative(root)
        if alternative is not None:
            raise self.error(
                f"'{alternative}' cannot be an alternative on its own: each side of OR needs a term, "
                "phrase, @handle or #hashtag",
                self.columns[id(alternative)],
            )
        if _has_negation(root):
            raise QuerySyntaxError(
                "a query cannot be only negative (X requires at least one positive term)", self.query
            )
        raise QuerySyntaxError(
            "lang: and is: only narrow a query: add a term, phrase, @handle or #hashtag (X requires one)",
            self.query,
        )


def _negative_alternative(node: Node) -> Node | None:
    """The first OR operand, outside any negation, that does not require a positive term."""
    if isinstance(node, Or):
        for child in node.children:
            if not is_positive(child):
                return _negative_alternative(child) or child
    if isinstance(node, And | Or):
        for child in node.children:
            if (found := _negative_alternative(child)) is not None:
                return found
    return None


def _has_negation(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    return isinstance(node, And | Or) and any(_has_negation(child) for child in node.children)


def parse(query: str) -> Node:
    """The syntax tree of ``query``; raises :class:`QuerySyntaxError` with the column of the problem."""
    parser = _Parser(query)
    root = parser.parse()
    parser.check_positive(root)
    return root
