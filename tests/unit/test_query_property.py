"""Properties over random queries and texts from one small vocabulary.

(a) the X compilation means what the tree means: ``parse(to_x_query(tree))`` matches the same texts as the
tree (the local matcher and X's query agree on their common subset); (b) the canonical form parses back to
the same tree; (c) splitting into rules within a length limit keeps exactly the same matches.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from collectors.query import QuerySyntaxError, compile_matcher, parse, to_x_query, to_x_rules
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

TERMS = ["lumora", "home", "ルモラ", "café", "wi-fi", "🔥", "or", "ＬＵＭＯＲＡ"]
PHRASES = ["lumora home", "ルモラ ホーム", "press release", "home lumora"]
HANDLES = ["LumoraHelp", "united"]
TAGS = ["lumora", "ルモラ"]
TEXT_PIECES = [
    *("lumora", "Lumora", "LUMORA", "ＬＵＭＯＲＡ", "home", "ルモラ", "ホーム", "press", "release"),
    *("café", "cafe", "wi", "fi", "wi-fi", "wifi", "🔥", "or", "#lumora", "#Lumora", "#lumorahome"),
    *("@LumoraHelp", "@united", "@unitedhelp", "#ルモラ", "RT", ",", "!", "-", "の"),
]

positive_atoms = st.one_of(
    st.sampled_from(TERMS).map(Term),
    st.sampled_from(PHRASES).map(Phrase),
    st.sampled_from(HANDLES).map(Mention),
    st.sampled_from(TAGS).map(Hashtag),
)
narrowing = st.one_of(st.just(IsRetweet()), st.just(IsReply()), st.sampled_from(["en", "ja"]).map(Lang))


def _grow(positive: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    """Bigger positive trees: every OR alternative positive, every AND with at least one positive operand."""
    anything = st.one_of(positive, positive.map(Not), narrowing, narrowing.map(Not))
    conjunction = st.tuples(positive, st.lists(anything, min_size=1, max_size=2)).flatmap(
        lambda parts: st.permutations([parts[0], *parts[1]])
    )
    return st.one_of(
        st.lists(positive, min_size=2, max_size=4).map(lambda nodes: Or(tuple(nodes))),
        conjunction.map(lambda nodes: And(tuple(nodes))),
        positive.map(lambda node: Not(Not(node))),
    )


queries = st.recursive(positive_atoms, _grow, max_leaves=10)
posts = st.tuples(
    st.lists(st.sampled_from(TEXT_PIECES), min_size=1, max_size=7),
    st.sampled_from([" ", "", ", "]),
    st.sampled_from([None, "en", "ja"]),
    st.booleans(),
    st.booleans(),
).map(lambda p: (p[1].join(p[0]), {"lang": p[2], "is_retweet": p[3], "is_reply": p[4]}))

Post = tuple[str, dict[str, Any]]
FAST = settings(max_examples=200, deadline=None)


@FAST
@given(queries, st.lists(posts, min_size=8, max_size=8))
def test_x_compilation_means_what_the_tree_means(tree: Node, sample: list[Post]) -> None:
    original, through_x = compile_matcher(tree), compile_matcher(parse(to_x_query(tree)))
    answers = [original.matches(text, **flags) for text, flags in sample]
    event(f"{sum(answers)} of 8 texts match")
    assert [through_x.matches(text, **flags) for text, flags in sample] == answers


@FAST
@given(queries)
def test_canonical_form_round_trips(tree: Node) -> None:
    assert parse(str(tree)) == tree


@FAST
@given(queries, st.floats(min_value=0.35, max_value=1.0), st.lists(posts, min_size=8, max_size=8))
def test_rule_splitting_keeps_the_matches(tree: Node, share: float, sample: list[Post]) -> None:
    limit = max(12, int(len(to_x_query(tree)) * share))
    try:
        rules = to_x_rules(tree, "t", max_length=limit)
    except QuerySyntaxError:
        event("cannot be split")
        assert len(to_x_query(tree)) > limit
        return
    event("split" if len(rules) > 1 else "one rule")
    assert all(len(rule.value) <= limit for rule in rules)
    original = compile_matcher(tree)
    parts = [compile_matcher(parse(rule.value)) for rule in rules]
    for text, flags in sample:
        assert any(part.matches(text, **flags) for part in parts) == original.matches(text, **flags), text
