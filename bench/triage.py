"""Routing throughput: the compiled policy against a naive engine that re-reads the YAML for each mention.

    python bench/triage.py [--texts 2000] [--naive-texts 300] [--rounds 3]

Mentions: real tweets from ../shared/data (airline and customer-support, half each), enriched once with the
real enricher (untimed). Timed, in alternating rounds, medians reported:

- naive: for every mention, read and validate the policy file, compile it, route the mention;
- compiled: the policy loaded once; per mention, the facts and the decision.

Prints ``key=value`` lines and a table, writes bench/results/triage.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.enrich import bench_texts  # noqa: E402
from triage.engine import DEFAULT_POLICY, CompiledPolicy  # noqa: E402
from triage.facts import facts_of  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "triage.json"


def enriched_mentions(n: int) -> list[Any]:
    from enrich.classify import as_mention
    from enrich.pipeline import Enricher
    from socialcare.settings import Settings

    enricher = Enricher.from_settings(Settings(var_dir=ROOT / "var"))
    mentions = [as_mention(i, text) for i, text in enumerate(bench_texts(n))]
    out: list[Any] = []
    for start in range(0, len(mentions), 500):
        out += enricher.enrich(mentions[start : start + 500])
        print(f"step=enrich done={len(out)} of={len(mentions)}", flush=True)
    return out


def naive(mentions: list[Any], policy: Path) -> float:
    started = time.perf_counter()
    for mention in mentions:
        compiled = CompiledPolicy.load(policy)  # what a rules engine without compilation does
        compiled.decide(facts_of(mention, compiled.zone))
    return len(mentions) / (time.perf_counter() - started)


def compiled(mentions: list[Any], policy: Path) -> float:
    engine = CompiledPolicy.load(policy)
    started = time.perf_counter()
    for mention in mentions:
        engine.decide(facts_of(mention, engine.zone))
    return len(mentions) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--naive-texts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--policy", type=Path, default=DEFAULT_POLICY)
    args = parser.parse_args()
    mentions = enriched_mentions(args.texts)
    sample = mentions[: args.naive_texts]
    naive_rates, compiled_rates = [], []
    for round_number in range(1, args.rounds + 1):
        naive_rates.append(naive(sample, args.policy))
        compiled_rates.append(compiled(mentions, args.policy))
        print(f"round={round_number} naive={naive_rates[-1]:.0f}/s compiled={compiled_rates[-1]:.0f}/s", flush=True)
    engine = CompiledPolicy.load(args.policy)
    decisions = [engine.decide(facts_of(m, engine.zone)) for m in mentions]
    summary = {
        "mentions": len(mentions),
        "naive_mentions": len(sample),
        "rules": len(engine.rules),
        "naive_decisions_per_s": statistics.median(naive_rates),
        "compiled_decisions_per_s": statistics.median(compiled_rates),
        "ratio": statistics.median(compiled_rates) / statistics.median(naive_rates),
        "priorities": {p: sum(d.priority == p for d in decisions) for p in ("P1", "P2", "P3", "P4")},
    }
    for key, value in summary.items():
        print(f"{key}={value:.1f}" if isinstance(value, float) else f"{key}={value}")
    print(f"\n{'engine':<42}{'mentions':>9}{'decisions/s':>13}{'ratio':>8}")
    naive_rate = summary["naive_decisions_per_s"]
    print(f"{'naive (read + compile YAML per mention)':<42}{len(sample):>9}{naive_rate:>13.0f}{1:>8.1f}")
    print(
        f"{'compiled once':<42}{len(mentions):>9}{summary['compiled_decisions_per_s']:>13.0f}{summary['ratio']:>8.1f}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
