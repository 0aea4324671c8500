"""Speed of the compiled query matcher, against a naive matcher in the same run.

    python bench/query.py [--rounds 5]

The naive baseline is what one writes first: for every mention, ``parse`` the query text again, then walk
the tree with one ``re.search`` per term (patterns built from the term each time; only ``re``'s own cache
saves their compilation). Ours compiles once (``compile_query``) and tokenises each text once per match.
Both read every real tweet of the airline and Customer Support on Twitter samples, with three brand
queries; per round the two run in alternating order, and the median of the rounds is kept. Prints
mentions per second and the ratio, writes bench/results/query.json. Read the ratio, not the absolute
numbers: machines are shared and noisy. The naive matcher has no Unicode folding, so its match counts
are printed too, to show both do the same work on this (English) data.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from collectors.query import compile_query, parse
from collectors.query.ast import And, Hashtag, IsReply, IsRetweet, Lang, Mention, Node, Not, Or, Phrase, Term

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = [DATA / "airline_tweets" / "tweets_dev.csv", DATA / "twcs" / "twcs_sample.csv"]
QUERIES = {
    "airline-baggage": '(@united OR united OR "united airlines" OR @AmericanAir OR @Delta) '
    '(lost OR luggage OR bag OR baggage OR "baggage claim" OR delayed OR cancelled) -is:retweet -refund',
    "care-complaints": "(@SouthwestAir OR @JetBlue OR @VirginAmerica OR @USAirways OR @Tesco OR #fail) "
    'AND ("customer service" OR hold OR rude OR agent OR staff) NOT (thanks OR thank OR love)',
    "device-support": "(@AppleSupport OR @AmazonHelp OR @XboxSupport OR #iphone OR iphone OR ios OR アイフォン) "
    '(battery OR crash OR crashes OR update OR "not working" OR broken) -is:retweet',
}
Match = Callable[[str], bool]


def read_texts() -> list[str]:
    texts: list[str] = []
    for path in FILES:
        with path.open(encoding="utf-8", newline="") as file:
            texts.extend(row["text"] for row in csv.DictReader(file))
    return texts


def naive_evaluate(node: Node, text: str) -> bool:
    if isinstance(node, Term | Phrase):
        words = r"[\W_]+".join(re.escape(word) for word in node.text.split())
        return re.search(rf"(?<![^\W_]){words}(?![^\W_])", text, re.IGNORECASE) is not None
    if isinstance(node, Mention | Hashtag):
        return re.search(rf"(?<!\w){re.escape(str(node))}(?!\w)", text, re.IGNORECASE) is not None
    if isinstance(node, Not):
        return not naive_evaluate(node.child, text)
    if isinstance(node, And):
        return all(naive_evaluate(child, text) for child in node.children)
    if isinstance(node, Or):
        return any(naive_evaluate(child, text) for child in node.children)
    if isinstance(node, IsRetweet):
        return text.startswith("RT @")
    assert isinstance(node, Lang | IsReply)
    return False  # the sample files carry neither a language nor reply flags


def naive_matcher(query: str) -> Match:
    return lambda text: naive_evaluate(parse(query), text)


def compiled_matcher(query: str) -> Match:
    matcher = compile_query(query).matcher
    return lambda text: matcher.matches(text, is_retweet=text.startswith("RT @"))


def timed(make: Callable[[str], Match], query: str, texts: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    match = make(query)
    found = sum(1 for text in texts if match(text))
    return len(texts) / (time.perf_counter() - started), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = read_texts()
    makers = {"compiled": compiled_matcher, "naive": naive_matcher}
    rates: dict[tuple[str, str], list[float]] = {(q, m): [] for q in QUERIES for m in makers}
    found: dict[tuple[str, str], int] = {}
    for round_no in range(args.rounds):
        order = list(makers) if round_no % 2 == 0 else list(reversed(makers))
        for name, query in QUERIES.items():
            for matcher in order:
                rate, found[name, matcher] = timed(makers[matcher], query, texts)
                rates[name, matcher].append(rate)
                print(f"round={round_no + 1} query={name} matcher={matcher} mps={rate:.0f}", flush=True)
    results = {
        name: {
            "compiled_mps": statistics.median(rates[name, "compiled"]),
            "naive_mps": statistics.median(rates[name, "naive"]),
            "compiled_matches": found[name, "compiled"],
            "naive_matches": found[name, "naive"],
        }
        for name in QUERIES
    }
    for result in results.values():
        result["ratio"] = result["compiled_mps"] / result["naive_mps"]
    overall = {
        matcher: len(QUERIES) / sum(1 / results[name][f"{matcher}_mps"] for name in QUERIES) for matcher in makers
    }
    ratio = overall["compiled"] / overall["naive"]
    print(f"\ntexts={len(texts)} queries={len(QUERIES)} rounds={args.rounds} (medians, mentions per second)")
    print(f"{'query':<16} {'compiled':>10} {'naive':>10} {'ratio':>7} {'matches':>15}")
    for name, result in results.items():
        print(
            f"{name:<16} {result['compiled_mps']:>10.0f} {result['naive_mps']:>10.0f} {result['ratio']:>7.1f} "
            f"{result['compiled_matches']:>7}/{result['naive_matches']:<7}"
        )
    print(f"compiled_mps={overall['compiled']:.0f} naive_mps={overall['naive']:.0f} ratio={ratio:.1f}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "query.json").write_text(
        json.dumps(
            {
                "texts": len(texts),
                "rounds": args.rounds,
                "queries": {name: {"query": QUERIES[name], **results[name]} for name in QUERIES},
                "compiled_mps": overall["compiled"],
                "naive_mps": overall["naive"],
                "ratio_compiled_to_naive": ratio,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
