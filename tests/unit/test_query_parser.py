"""The query parser: trees for real brand queries, precedence, Unicode terms, and every error with its column."""

from __future__ import annotations

import pytest

from collectors.query import QuerySyntaxError, parse
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
from socialcare.errors import ConfigError


def T(text: str) -> Term:
    return Term(text)


def P(text: str) -> Phrase:
    return Phrase(text)


def AND(*children: Node) -> And:
    return And(children)


def OR(*children: Node) -> Or:
    return Or(children)


TREES: list[tuple[str, Node]] = [
    (
        '(lumora OR "lumora home" OR @LumoraHelp OR #lumora) -is:retweet -giveaway lang:en',
        AND(
            OR(T("lumora"), P("lumora home"), Mention("LumoraHelp"), Hashtag("lumora")),
            Not(IsRetweet()),
            Not(T("giveaway")),
            Lang("en"),
        ),
    ),
    ("ルモラ OR lumora", OR(T("ルモラ"), T("lumora"))),
    (
        'lumora AND (thermostat OR doorbell) NOT "press release"',
        AND(T("lumora"), OR(T("thermostat"), T("doorbell")), Not(P("press release"))),
    ),
    ("lumora", T("lumora")),
    ("((lumora))", T("lumora")),
    ("(" * 49 + "lumora" + ")" * 49, T("lumora")),
    ("a b c", AND(T("a"), T("b"), T("c"))),
    ("a AND b c", AND(T("a"), T("b"), T("c"))),
    ("a (b c)", AND(T("a"), AND(T("b"), T("c")))),
    ("a OR (b OR c)", OR(T("a"), OR(T("b"), T("c")))),
    # lowercase keywords are plain terms, as on X
    ("a or b", AND(T("a"), T("or"), T("b"))),
    ("not and", AND(T("not"), T("and"))),
    # negation: '-' glued, NOT spaced, both nest
    ("lumora -(giveaway OR contest)", AND(T("lumora"), Not(OR(T("giveaway"), T("contest"))))),
    ('lumora -"press release" -@spam', AND(T("lumora"), Not(P("press release")), Not(Mention("spam")))),
    ("--lumora", Not(Not(T("lumora")))),
    ("x NOT -y", AND(T("x"), Not(Not(T("y"))))),
    # operators are case-insensitive and lowercased
    ("LANG:JA ルモラ", AND(Lang("ja"), T("ルモラ"))),
    ("lumora IS:REPLY -Is:Retweet", AND(T("lumora"), IsReply(), Not(IsRetweet()))),
    # Unicode terms: Japanese, emoji, accents, fullwidth (kept as typed; matching folds it)
    ('#ルモラ OR "ルモラ ホーム" OR ルモラの新製品', OR(Hashtag("ルモラ"), P("ルモラ ホーム"), T("ルモラの新製品"))),
    ("🔥 lumora", AND(T("🔥"), T("lumora"))),
    ('café "crème brûlée" #niño', AND(T("café"), P("crème brûlée"), Hashtag("niño"))),
    ("ＬＵＭＯＲＡ OR ﾙﾓﾗ", OR(T("ＬＵＭＯＲＡ"), T("ﾙﾓﾗ"))),
    # punctuation inside a word stays in the term; a quote or parenthesis ends it
    ("wi-fi 12:30 lumora's", AND(T("wi-fi"), T("12:30"), T("lumora's"))),
    ('lumora"home"', AND(T("lumora"), P("home"))),
    ("(a)b", AND(T("a"), T("b"))),
    ("a\tb\n OR  c", OR(AND(T("a"), T("b")), T("c"))),
    ('"NOT" OR "OR"', OR(P("NOT"), P("OR"))),
]


@pytest.mark.parametrize(("query", "tree"), TREES, ids=[q for q, _ in TREES])
def test_parse_tree(query: str, tree: Node) -> None:
    assert parse(query) == tree


PRECEDENCE: list[tuple[str, Node]] = [
    # NOT > AND > OR, as X reads implicit AND before OR
    ("a OR b c", OR(T("a"), AND(T("b"), T("c")))),
    ("a b OR c", OR(AND(T("a"), T("b")), T("c"))),
    ("a AND b OR c AND d", OR(AND(T("a"), T("b")), AND(T("c"), T("d")))),
    ("a OR b AND c OR d", OR(T("a"), AND(T("b"), T("c")), T("d"))),
    ("NOT a b", AND(Not(T("a")), T("b"))),
    ("x -a OR b", OR(AND(T("x"), Not(T("a"))), T("b"))),
    ("(a OR b) c", AND(OR(T("a"), T("b")), T("c"))),
    ("-(a OR b) c", AND(Not(OR(T("a"), T("b"))), T("c"))),
]


@pytest.mark.parametrize(("query", "tree"), PRECEDENCE, ids=[q for q, _ in PRECEDENCE])
def test_precedence_not_and_or(query: str, tree: Node) -> None:
    assert parse(query) == tree


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        (
            '(lumora OR "lumora home" OR @LumoraHelp OR #lumora) -is:retweet -giveaway lang:en',
            '(lumora OR "lumora home" OR @LumoraHelp OR #lumora) AND -is:retweet AND -giveaway AND lang:en',
        ),
        ("a OR b c", "a OR (b AND c)"),
        ("x NOT (a b)", "x AND -(a AND b)"),
        ("--lumora", "--lumora"),
        ("a (b c)", "a AND (b AND c)"),
    ],
)
def test_canonical_form_parses_back_to_the_same_tree(query: str, canonical: str) -> None:
    tree = parse(query)
    assert str(tree) == canonical
    assert parse(canonical) == tree


ERRORS: list[tuple[str, str, int | None]] = [
    ('(lumora OR "lumora home', "unclosed quote at column 12", 12),
    ("lumora )", "')' without '(' at column 8", 8),
    ("a) b", "')' without '(' at column 2", 2),
    ("", "empty query", None),
    ("  \n\t ", "empty query", None),
    ("a foo:bar", "unknown operator 'foo:' at column 3 (known: lang:, is:retweet, is:reply)", 3),
    ("is:quote lumora", "unknown operator 'is:quote' at column 1 (known: lang:, is:retweet, is:reply)", 1),
    ("lumora http://x.com", "unknown operator 'http:' at column 8 (known: lang:, is:retweet, is:reply)", 8),
    ("-giveaway -is:retweet", "a query cannot be only negative (X requires at least one positive term)", None),
    ("NOT lumora", "a query cannot be only negative (X requires at least one positive term)", None),
    (
        "lang:en is:reply",
        "lang: and is: only narrow a query: add a term, phrase, @handle or #hashtag (X requires one)",
        None,
    ),
    (
        "a OR -b",
        "'-b' cannot be an alternative on its own: each side of OR needs a term, phrase, @handle or "
        "#hashtag at column 6",
        6,
    ),
    (
        "lumora OR lang:ja",
        "'lang:ja' cannot be an alternative on its own: each side of OR needs a term, phrase, @handle or "
        "#hashtag at column 11",
        11,
    ),
    (
        "(a OR -(b c)) -d",
        "'-(b AND c)' cannot be an alternative on its own: each side of OR needs a term, phrase, @handle or "
        "#hashtag at column 7",
        7,
    ),
    ("a - b", "'-' must be glued to what it excludes at column 3 (as in -giveaway)", 3),
    ("a -", "'-' must be glued to what it excludes at column 3 (as in -giveaway)", 3),
    ("(a -)", "'-' must be glued to what it excludes at column 4 (as in -giveaway)", 4),
    ("()", "empty parentheses at column 1", 1),
    ("a ( ) b", "empty parentheses at column 3", 3),
    ("(a OR b", "'(' is never closed at column 1", 1),
    ("a (", "'(' is never closed at column 3", 3),
    ("NOT", "'NOT' needs a term after it at column 1", 1),
    ("a NOT", "'NOT' needs a term after it at column 3", 3),
    ("a -NOT", "'NOT' needs a term after it at column 4", 4),
    ("a -OR b", "'-' needs a term after it at column 3", 3),
    ("a OR", "'OR' needs a term after it at column 3", 3),
    ("a OR OR b", "'OR' needs a term after it at column 3", 3),
    ("a AND OR b", "'AND' needs a term after it at column 3", 3),
    ("a OR )", "'OR' needs a term after it at column 3", 3),
    ("OR a", "'OR' needs a term before it at column 1", 1),
    ("(AND a)", "'AND' needs a term before it at column 2", 2),
    ("lumora @", "'@' is not an X username (letters, digits, _; at most 15) at column 8", 8),
    (
        "@a_handle_far_too_long",
        "'@a_handle_far_too_long' is not an X username (letters, digits, _; at most 15) at column 1",
        1,
    ),
    ("@lumora-help", "'@lumora-help' is not an X username (letters, digits, _; at most 15) at column 1", 1),
    ("#", "'#' is not a hashtag (letters, digits, _) at column 1", 1),
    ("lumora #a-b", "'#a-b' is not a hashtag (letters, digits, _) at column 8", 8),
    ("x lang:english", "'lang:english' is not a language code (two or three letters, as in lang:en) at column 3", 3),
    ("x lang:", "'lang:' is not a language code (two or three letters, as in lang:en) at column 3", 3),
    ('"" lumora', "empty phrase at column 1", 1),
    ("!!! lumora", "'!!!' has no letter, digit or emoji to match at column 1", 1),
    ('lumora "..."', "'...' has no letter, digit or emoji to match at column 8", 8),
    ('"lumora\nhome"', "'lumora\\nhome' holds a line break or control character at column 1", 1),
    ("ＯＲ lumora", "'ＯＲ' cannot be a term: quote it as a phrase at column 1", 1),
    ('"a＂b" c', "'a＂b' cannot be a phrase: it holds a double quote at column 1", 1),
    ("(" * 60 + "a" + ")" * 60, "groups and negations are nested more than 50 deep at column 51", 51),
    ("x " + "-" * 2000 + "a", "groups and negations are nested more than 50 deep at column 53", 53),
]


@pytest.mark.parametrize(("query", "first_line", "column"), ERRORS, ids=[repr(q)[:40] for q, _, _ in ERRORS])
def test_every_syntax_error_says_where(query: str, first_line: str, column: int | None) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert str(caught.value).splitlines()[0] == first_line
    assert caught.value.column == column
    assert isinstance(caught.value, ConfigError)


def test_error_shows_the_query_with_a_caret_under_the_column() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse('(lumora OR "lumora home')
    assert str(caught.value) == ('unclosed quote at column 12\n  (lumora OR "lumora home\n             ^')


def test_caret_counts_wide_characters_as_two_cells() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse('ルモラ "新製品')
    assert caught.value.column == 5
    assert str(caught.value).splitlines()[1:] == ['  ルモラ "新製品', "         ^"]


def test_error_without_a_column_has_no_caret() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse("-giveaway")
    assert str(caught.value) == "a query cannot be only negative (X requires at least one positive term)"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Term("OR"), "'OR' cannot be a term: quote it as a phrase"),
        (lambda: Term("two words"), "'two words' cannot be a term: quote it as a phrase"),
        (lambda: Term("-x"), "'-x' cannot be a term: quote it as a phrase"),
        (lambda: Term("from:me"), "'from:me' cannot be a term: it reads as an operator"),
        (lambda: Term(""), "'' has no letter, digit or emoji to match"),
        (lambda: Phrase('say "hi"'), "'say \"hi\"' cannot be a phrase: it holds a double quote"),
        (lambda: Mention("@x"), "'@@x' is not an X username (letters, digits, _; at most 15)"),
        (lambda: Lang("EN"), "'lang:EN' is not a language code (two or three letters, as in lang:en)"),
        (lambda: And((Term("a"),)), "AND needs at least two operands"),
        (lambda: Or(()), "OR needs at least two operands"),
    ],
)
def test_nodes_refuse_what_would_not_parse_back(build: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        build()  # type: ignore[operator]
    assert str(caught.value) == message
