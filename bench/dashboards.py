"""The dashboards' queries over one million generated mentions, in SQLite and in PostgreSQL.

    python bench/dashboards.py [--mentions 1000000] [--runs 40] [--naive-runs 8] [--skip-postgres]

Generated: mentions spread over 90 days for three brands (60/25/15 %), X and Reddit, English and
Japanese, a Zipf mix of 200 hashtags and 2,000 terms, and one case per four mentions (15 % open), all
written in bulk into the search index's documents and tokens and into cases, case_mentions and mentions.
Timed, per database, each query with random filters (a brand or all, a 7- or 30-day window, sometimes a
source or a language):

- each trend query (volume per day with sentiment, share of voice, top hashtags, top terms) from the
  rollups, against the naive baseline: the same answers computed from the documents at query time;
- the inbox (open cases of a department, most urgent first, 200 with their newest text), against a naive
  baseline that reads every open case and sorts in Python.

Reports p50 and p95 in ms and the ratios; writes bench/results/dashboards.json. PostgreSQL:
``SOCIALCARE_BENCH_POSTGRES_URL`` (default: a ``socialcare_bench`` database on 127.0.0.1, created).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, insert, select, text  # noqa: E402

from dashboards.queries import DEPARTMENTS, inbox  # noqa: E402
from dashboards.search.port import TrendFilter  # noqa: E402
from dashboards.search.sql_index import NaiveSqlQueries, SqlSearchIndex  # noqa: E402
from socialcare.store import migrate  # noqa: E402
from socialcare.store.db import make_engine  # noqa: E402
from socialcare.store.schema import case_mentions, cases, mentions, search_docs, search_tokens  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "dashboards.json"
START = datetime(2026, 9, 1, tzinfo=UTC)
DAYS = 90
BRANDS = (("Lumora", 0.60), ("Brightnest", 0.25), ("Nimbus", 0.15))
CHUNK = 20_000
ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def zipf_pool(prefix: str, size: int, rng: random.Random) -> tuple[list[str], list[float]]:
    return [f"{prefix}{i}" for i in range(size)], [1 / (rank + 1) for rank in range(size)]


def generate(engine: Engine, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    hashtags, hashtag_weights = zipf_pool("#tag", 200, rng)
    terms, term_weights = zipf_pool("term", 2000, rng)
    brand_names, brand_weights = [b for b, _ in BRANDS], [w for _, w in BRANDS]
    span_s = DAYS * 86400
    docs: list[dict[str, Any]] = []
    tokens: list[dict[str, Any]] = []
    raw: list[dict[str, Any]] = []
    filed: list[dict[str, Any]] = []
    case_rows: list[dict[str, Any]] = []
    started = time.perf_counter()
    for i in range(n):
        created = START + timedelta(seconds=rng.randrange(span_s))
        hour = created.replace(minute=0, second=0, microsecond=0)
        brand = rng.choices(brand_names, brand_weights)[0]
        source = "x" if rng.random() < 0.7 else "reddit"
        lang = "en" if rng.random() < 0.85 else "ja"
        mention_id = f"{source}:{i}"
        sentiment = rng.choices(("positive", "neutral", "negative"), (0.3, 0.4, 0.3))[0]
        text_ = f"generated mention {i} about {brand}"
        docs.append(
            {
                "id": mention_id,
                "brand": brand,
                "source": source,
                "lang": lang,
                "created_at": created,
                "hour": hour,
                "sentiment": sentiment,
                "risk_level": "low",
                "department": "customer_service",
                "author_handle": f"u{i % 50_000}",
                "text": text_,
            }
        )
        picked = set(rng.choices(terms, term_weights, k=3))
        if rng.random() < 0.5:
            tokens.append(
                {
                    "mention_id": mention_id,
                    "kind": "hashtag",
                    "token": rng.choices(hashtags, hashtag_weights)[0],
                    "hour": hour,
                }
            )
        tokens += [{"mention_id": mention_id, "kind": "term", "token": term, "hour": hour} for term in picked]
        raw.append(
            {
                "id": mention_id,
                "source": source,
                "source_id": str(i),
                "brand": brand,
                "created_at": created,
                "collected_at": created,
                "author_id": f"u{i % 50_000}",
                "author_handle": f"u{i % 50_000}",
                "lang": lang,
                "text": text_,
                "payload": "{}",
                "stored_at": created,
            }
        )
        case_id = f"case:{source}:{i - i % 4}"
        filed.append(
            {
                "mention_id": mention_id,
                "case_id": case_id,
                "author_key": f"{source}:u{i % 50_000}",
                "created_at": created,
                "decision": {},
            }
        )
        if i % 4 == 0:
            priority = rng.choices(("P1", "P2", "P3", "P4"), (0.03, 0.17, 0.6, 0.2))[0]
            case_rows.append(
                {
                    "id": case_id,
                    "brand": brand,
                    "source": source,
                    "author_key": f"{source}:u{i % 50_000}",
                    "author_handle": f"u{i % 50_000}",
                    "department": rng.choice(DEPARTMENTS),
                    "cc": [],
                    "priority": priority,
                    "status": "open" if rng.random() < 0.15 else "closed",
                    "opened_at": created,
                    "updated_at": created,
                    "first_response_due": created + timedelta(hours=4),
                    "language": lang,
                    "mention_count": 4,
                    "first_response_sla": "ok",
                    "resolution_sla": "ok",
                }
            )
        if len(docs) >= CHUNK or i == n - 1:
            with engine.begin() as connection:
                for table, rows in (
                    (search_docs, docs),
                    (search_tokens, tokens),
                    (mentions, raw),
                    (case_mentions, filed),
                    (cases, case_rows),
                ):
                    if rows:
                        connection.execute(insert(table), rows)
            docs, tokens, raw, filed, case_rows = [], [], [], [], []
            rate = (i + 1) / (time.perf_counter() - started)
            print(f"step=generate done={i + 1} of={n} per_s={rate:.0f}", flush=True)
    began = time.perf_counter()
    hours = SqlSearchIndex(engine).rebuild_rollups(START, START + timedelta(days=DAYS + 1))
    print(f"step=rollups hours={hours} s={time.perf_counter() - began:.1f}", flush=True)


def random_filter(rng: random.Random) -> TrendFilter:
    days = rng.choice((7, 30))
    start = START + timedelta(days=rng.randrange(DAYS - days))
    brands = (rng.choice([b for b, _ in BRANDS]),) if rng.random() < 0.7 else ()
    source = rng.choice(("x", "reddit")) if rng.random() < 0.3 else None
    lang = rng.choice(("en", "ja")) if rng.random() < 0.3 else None
    return TrendFilter(start, start + timedelta(days=days), brands, source, lang)


QUERIES: dict[str, Callable[[Any, TrendFilter], Any]] = {
    "volume": lambda q, t: q.volume(t, "day"),
    "share": lambda q, t: q.share_of_voice(TrendFilter(t.start, t.end, (), t.source, t.lang)),
    "hashtags": lambda q, t: q.top_tokens(t, "hashtag", 15),
    "terms": lambda q, t: q.top_tokens(t, "term", 15),
}


def naive_inbox(engine: Engine, department: str) -> list[Any]:
    with engine.connect() as connection:
        rows = list(
            connection.execute(
                select(cases).where(cases.c.status == "open", cases.c.department == department)
            ).mappings()
        )
    rows.sort(key=lambda row: (row["priority"], row["first_response_due"], row["id"]))
    return rows[:200]


def timed(action: Callable[[], Any], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(engine: Engine, runs: int, naive_runs: int) -> dict[str, Any]:
    """p50 and p95 of each trend query and of the inbox, ours and naive, over the same random filters."""
    rng = random.Random(11)
    index, naive = SqlSearchIndex(engine), NaiveSqlQueries(engine)
    filters = [random_filter(rng) for _ in range(runs)]
    departments = [rng.choice(DEPARTMENTS) for _ in range(runs)]
    result: dict[str, Any] = {}
    for name, query in QUERIES.items():
        query(index, filters[0])  # warm the caches for both
        query(naive, filters[0])
        for label, target, count in (("", index, runs), ("naive_", naive, naive_runs)):
            it = iter(filters)
            times = timed(lambda target=target, query=query, it=it: query(target, next(it)), count)
            result[f"{label}{name}_p50_ms"] = statistics.median(times)
            result[f"{label}{name}_p95_ms"] = percentile(times, 0.95)
            print(f"query={label}{name} p95_ms={result[f'{label}{name}_p95_ms']:.1f}", flush=True)
    for label, target_inbox, count in (("", inbox, runs), ("naive_", naive_inbox, naive_runs)):
        it = iter(departments)
        times = timed(lambda target_inbox=target_inbox, it=it: target_inbox(engine, next(it)), count)
        result[f"{label}inbox_p50_ms"] = statistics.median(times)
        result[f"{label}inbox_p95_ms"] = percentile(times, 0.95)
    for name in (*QUERIES, "inbox"):
        result[f"{name}_speedup_p50"] = result[f"naive_{name}_p50_ms"] / result[f"{name}_p50_ms"]
    return result


def postgres_engine() -> Engine:
    url = os.environ.get("SOCIALCARE_BENCH_POSTGRES_URL")
    if url:
        return make_engine(url)
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS socialcare_bench"))
        connection.execute(text("CREATE DATABASE socialcare_bench"))
    admin.dispose()
    return make_engine(ADMIN_URL.rsplit("/", 1)[0] + "/socialcare_bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--naive-runs", type=int, default=8)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    summary: dict[str, Any] = {"mentions": args.mentions, "runs": args.runs, "naive_runs": args.naive_runs}
    with tempfile.TemporaryDirectory() as folder:
        targets: list[tuple[str, Callable[[], Engine]]] = [
            ("sqlite", lambda: make_engine(f"sqlite:///{Path(folder) / 'bench.db'}"))
        ]
        if not args.skip_postgres:
            targets.append(("postgresql", postgres_engine))
        for name, open_engine in targets:
            engine = open_engine()
            migrate.upgrade(engine)
            print(f"database={name}", flush=True)
            generate(engine, args.mentions)
            if engine.dialect.name == "postgresql":
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
            else:
                with engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
            summary[name] = measure(engine, args.runs, args.naive_runs)
            for key, value in summary[name].items():
                print(f"{name}.{key}={value:.1f}", flush=True)
            engine.dispose()
    print(f"\n{'database':<12}{'query':<10}{'p50 ms':>9}{'p95 ms':>9}{'naive p50':>11}{'naive p95':>11}{'speedup':>9}")
    for name in ("sqlite", "postgresql"):
        if name not in summary:
            continue
        r = summary[name]
        for query in (*QUERIES, "inbox"):
            print(
                f"{name:<12}{query:<10}{r[f'{query}_p50_ms']:>9.1f}{r[f'{query}_p95_ms']:>9.1f}"
                f"{r[f'naive_{query}_p50_ms']:>11.1f}{r[f'naive_{query}_p95_ms']:>11.1f}{r[f'{query}_speedup_p50']:>8.1f}x"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
