"""The X compilation: exact query strings, and stream rules split to fit X's length limit without changing
what matches (checked with the local matcher on generated texts)."""

from __future__ import annotations

import random

import pytest

from collectors.query import (
    RULE_MAX_LENGTH,
    RULE_MAX_LENGTH_PRO,
    QuerySyntaxError,
    XRule,
    compile_matcher,
    compile_query,
    parse,
    to_x_query,
    to_x_rules,
)


@pytest.mark.parametrize(
    ("query", "x"),
    [
        (
            '(lumora OR "lumora home" OR @LumoraHelp OR #lumora) -is:retweet -giveaway lang:en',
            '(lumora OR "lumora home" OR @LumoraHelp OR #lumora) -is:retweet -giveaway lang:en',
        ),
        (
            'lumora AND (thermostat OR doorbell) NOT "press release"',
            'lumora (thermostat OR doorbell) -"press release"',
        ),
        ("ルモラ OR lumora", "ルモラ OR lumora"),
        # X binds implicit AND before OR too, but mixed groups are always parenthesised
        ("a OR b c", "a OR (b c)"),
        ("a b OR c AND d", "(a b) OR (c d)"),
        # groups of the same kind are flattened, double negations dropped
        ("a (b c)", "a b c"),
        ("a OR (b OR (c OR d))", "a OR b OR c OR d"),
        ("x --y", "x y"),
        ("x NOT -(a OR b)", "x (a OR b)"),
        ("lumora -(giveaway OR contest)", "lumora -(giveaway OR contest)"),
        ("lumora NOT (free stuff)", "lumora -(free stuff)"),
        ('lumora -"press release" -@spam -#ad', 'lumora -"press release" -@spam -#ad'),
        ("lumora is:reply -is:retweet LANG:JA", "lumora is:reply -is:retweet lang:ja"),
        # a term that is not one plain token for X goes as an exact phrase
        ("wi-fi lumora", '"wi-fi" lumora'),
        ("$lumo OR 12:30 OR lumora's", '"$lumo" OR "12:30" OR "lumora\'s"'),
        ("lumoraの新製品", '"lumoraの新製品"'),
        # width folded as the local matcher does; emoji and non-Latin scripts go as they are
        ("ＬＵＭＯＲＡ OR ﾙﾓﾗ OR #ｌｕｍｏｒａ", "LUMORA OR ルモラ OR #lumora"),
        ("🔥 lumora", "🔥 lumora"),
        ('café "crème brûlée"', 'café "crème brûlée"'),
        # lowercase or/and are plain terms on X as here
        ("lumora or brightnest", "lumora or brightnest"),
    ],
)
def test_x_query(query: str, x: str) -> None:
    assert to_x_query(parse(query)) == x
    assert compile_query(query).x_query == x


def test_rule_length_limits_are_named() -> None:
    assert (RULE_MAX_LENGTH, RULE_MAX_LENGTH_PRO) == (512, 1024)


def test_a_query_that_fits_is_one_rule_with_the_plain_tag() -> None:
    assert to_x_rules(parse("lumora -is:retweet"), "lumora-brand") == [XRule("lumora -is:retweet", "lumora-brand")]


def test_a_top_level_or_splits_and_each_rule_keeps_the_shared_and_context() -> None:
    rules = to_x_rules(parse("(aaaa OR bbbb OR cccc OR dddd OR eeee) -is:retweet"), "t", max_length=40)
    assert rules == [
        XRule("(aaaa OR bbbb OR cccc) -is:retweet", "t"),
        XRule("(dddd OR eeee) -is:retweet", "t#2"),
    ]


def test_a_bare_or_splits_into_plain_alternatives() -> None:
    rules = to_x_rules(parse("aaaa OR bbbb OR cccc OR dddd OR eeee"), "t", max_length=12)
    assert [rule.value for rule in rules] == ["aaaa OR bbbb", "cccc OR dddd", "eeee"]
    assert [rule.tag for rule in rules] == ["t", "t#2", "t#3"]


def test_the_widest_or_is_split_and_the_other_stays_whole() -> None:
    rules = to_x_rules(parse("(ab OR cd) (thermostat OR doorbell OR speaker) -is:retweet"), "t", max_length=48)
    assert [rule.value for rule in rules] == [
        "(ab OR cd) (thermostat OR doorbell) -is:retweet",
        "(ab OR cd) speaker -is:retweet",
    ]


def test_an_or_inside_an_alternative_is_split_too() -> None:
    query = "(aaaa (b1 OR b2 OR b3 OR b4) OR cccc) -is:retweet"
    rules = to_x_rules(parse(query), "t", max_length=30)
    assert rules == [
        XRule("aaaa (b1 OR b2) -is:retweet", "t"),
        XRule("aaaa (b3 OR b4) -is:retweet", "t#2"),
        XRule("cccc -is:retweet", "t#3"),
    ]


@pytest.mark.parametrize(
    ("query", "limit", "message"),
    [
        (
            "supercalifragilistic -is:retweet",
            20,
            "the query is too long for one X rule (32 characters, limit 20) and cannot be split: "
            "it has no OR outside a negation to split on",
        ),
        (
            '"a very long phrase indeed" OR lumora',
            20,
            "the query is too long for one X rule (37 characters, limit 20) and cannot be split: "
            "even its smallest rule, '\"a very long phrase indeed\"', is 27 characters",
        ),
        (
            "(lumora OR ruml) -(giveaway OR contest OR sweepstakes)",
            40,
            "the query is too long for one X rule (54 characters, limit 40) and cannot be split: "
            "even its smallest rule, 'lumora -(giveaway OR contest OR sweepstakes)', is 44 characters",
        ),
        (
            "lumora -(giveaway OR contest OR sweepstakes OR raffle)",
            40,
            "the query is too long for one X rule (54 characters, limit 40) and cannot be split: "
            "it has no OR outside a negation to split on",
        ),
    ],
)
def test_a_query_that_cannot_be_split_says_why(query: str, limit: int, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        to_x_rules(parse(query), "t", max_length=limit)
    assert str(caught.value) == message
    assert caught.value.column is None


# a realistic long query against the real limits --------------------------------------------------------
VOCABULARY = [f"brand{n}" for n in range(120)] + ["giveaway", "lumora", "home", "ルモラ"]


def _long_query() -> str:
    alternatives = " OR ".join(
        f'"{w} home"' if n % 7 == 0 else f"@{w}" if n % 5 == 0 else f"#{w}" if n % 3 == 0 else w
        for n, w in enumerate(VOCABULARY[:120])
    )
    return f"({alternatives}) -giveaway -is:retweet lang:en"


def _texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pieces = [*VOCABULARY, *(f"#{w}" for w in VOCABULARY[:40]), *(f"@{w}" for w in VOCABULARY[:40])]
    return [" ".join(rng.choices(pieces, k=rng.randint(1, 6))) for _ in range(count)]


@pytest.mark.parametrize("limit", [RULE_MAX_LENGTH, RULE_MAX_LENGTH_PRO, 200])
def test_split_rules_fit_and_match_exactly_what_the_query_matches(limit: int) -> None:
    query = parse(_long_query())
    assert len(to_x_query(query)) > limit
    rules = to_x_rules(query, "lumora", max_length=limit)
    assert len(rules) >= 2
    assert all(len(rule.value) <= limit for rule in rules)
    assert all(rule.value.endswith(") -giveaway -is:retweet lang:en") for rule in rules)
    assert [rule.tag for rule in rules] == ["lumora"] + [f"lumora#{n}" for n in range(2, len(rules) + 1)]
    whole = compile_matcher(query)
    parts = [compile_matcher(parse(rule.value)) for rule in rules]
    for text in _texts(3000, seed=limit):
        for is_retweet in (False, True):
            expected = whole.matches(text, lang="en", is_retweet=is_retweet)
            assert any(p.matches(text, lang="en", is_retweet=is_retweet) for p in parts) is expected, text


def test_greedy_packing_uses_few_rules() -> None:
    query = parse(_long_query())
    basic = to_x_rules(query, "t", RULE_MAX_LENGTH)
    pro = to_x_rules(query, "t", RULE_MAX_LENGTH_PRO)
    total = len(to_x_query(query))
    assert len(pro) < len(basic)
    assert len(basic) <= total // (RULE_MAX_LENGTH - 60) + 1
