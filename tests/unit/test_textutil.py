"""TermSet: the fast candidate path must find exactly what the whole regex finds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from enrich import cues, risk
from enrich.textutil import Hit, TermSet

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

ALL_SETS = [value for value in vars(risk).values() if isinstance(value, TermSet)] + list(cues._COMPILED.values())


def _whole_regex(terms: TermSet, text: str) -> list[tuple[str, str, int]]:
    """The reference: one pass of the whole alternation, then the hashtag openings."""
    found = [
        Hit(terms._terms_by_group[(m.lastindex or 1) - 1], m.group(0), m.start(), False)
        for m in terms.regex.finditer(text)
    ]
    return [(hit.term, hit.matched, hit.start) for hit in found + terms.hashtag_hits(text, found)]


def _fast(terms: TermSet, text: str) -> list[tuple[str, str, int]]:
    return [(hit.term, hit.matched, hit.start) for hit in terms.hits(text)]


def test_overlapping_terms_keep_the_whole_regexs_choice() -> None:
    terms = TermSet(["not working", "working", "work*", "data breach", "breach", "データ漏洩", "漏洩"])
    for text in (
        "my app is not working at work, workers say it's a data breach",
        "breach breach databreach data  breach",
        "データ漏洩です、漏洩",
        "workworking working",
    ):
        assert _fast(terms, text) == _whole_regex(terms, text), text


def test_negation_is_reported_on_the_candidate_path() -> None:
    terms = TermSet(["sue*", "lawyer"])
    hits = terms.hits("I will not sue, but my lawyer will")
    assert [(h.term, h.negated) for h in hits] == [("sue*", True), ("lawyer", False)]


@pytest.mark.parametrize("path", ["airline_tweets/tweets_dev.csv", "twcs/twcs_sample.csv"])
def test_every_cue_set_matches_like_its_whole_regex_on_real_tweets(path: str) -> None:
    source = DATA / path
    if not source.exists():
        pytest.skip(f"{source} is not available")
    with source.open(newline="", encoding="utf-8") as handle:
        texts = [row["text"] for row, _ in zip(csv.DictReader(handle), range(3000), strict=False)]
    compared = 0
    for terms in ALL_SETS:
        for text in texts:
            expected = _whole_regex(terms, text)
            assert _fast(terms, text) == expected, (terms.terms[:3], text)
            compared += bool(expected)
    assert compared > 500  # the comparison saw plenty of real hits


def test_a_cue_never_matches_inside_an_at_handle() -> None:
    terms = TermSet(["poison*", "fire"])
    assert _fast(terms, "@poisonpill76 same boat, fire alarm at the gate") == [("fire", "fire", 25)]
    assert _whole_regex(terms, "@poisonpill76 same boat") == []
