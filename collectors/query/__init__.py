"""The boolean listening query language: parse once, then match locally and compile to X rules.

compiled = compile_query('(lumora OR "lumora home" OR @LumoraHelp OR #lumora) -is:retweet')
compiled.matcher.matches_mention(mention)      # the local predicate (Reddit, replays, re-checks)
compiled.x_query                               # the X API v2 search query
to_x_rules(compiled.ast, "lumora-brand")       # filtered-stream rules, split to fit X's limit
"""

from __future__ import annotations

from dataclasses import dataclass

from collectors.query.ast import Node
from collectors.query.errors import QuerySyntaxError
from collectors.query.matcher import Matcher, compile_matcher
from collectors.query.parser import parse
from collectors.query.x import RULE_MAX_LENGTH, RULE_MAX_LENGTH_PRO, XRule, to_x_query, to_x_rules

__all__ = [
    "RULE_MAX_LENGTH",
    "RULE_MAX_LENGTH_PRO",
    "CompiledQuery",
    "Matcher",
    "Node",
    "QuerySyntaxError",
    "XRule",
    "compile_matcher",
    "compile_query",
    "parse",
    "to_x_query",
    "to_x_rules",
]


@dataclass(frozen=True)
class CompiledQuery:
    """A query in every form a collector needs, all made from one parse."""

    text: str
    ast: Node
    matcher: Matcher
    x_query: str


def compile_query(text: str) -> CompiledQuery:
    """Parse ``text`` (raising :class:`QuerySyntaxError`) and compile its matcher and its X query."""
    ast = parse(text)
    return CompiledQuery(text=text, ast=ast, matcher=compile_matcher(ast), x_query=to_x_query(ast))
