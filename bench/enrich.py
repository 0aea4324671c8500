"""Enrichment throughput: the naive transformers loop against our batched fast path, in one run.

    python bench/enrich.py [--texts 2000] [--baseline-texts 300]

Texts: real tweets from ../shared/data (``text`` of airline_tweets/tweets_dev.csv and twcs/twcs_sample.csv,
half each). Measured, each on the same texts:

- naive baseline: the same MiniLM weights (adapter merged) through transformers ``AutoModel`` ONCE PER MENTION,
  padded to ``max_length=256``, no batching, no cache, then the three shipped heads. At about 13 texts/s it is timed on
  the first ``--baseline-texts`` texts only (default 300; pass ``--baseline-texts 2000`` to time all).
- fast path: ``build_encoder`` (all-int8 ONNX behind ``CachedEncoder`` on a CPU with int8 dot products, fp32
  ONNX elsewhere; ``SOCIALCARE_ENCODER`` picks one), length-bucketed batches of 64, the three heads,
  and the fp32 refinement of undecided rows (``enrich.pipeline.score_heads``), on all ``--texts`` texts,
  in a fresh subprocess so that its peak RSS (ru_maxrss) is its own and the ONNX files are already cached
  (a first run exports them once, untimed).
- worker path: ``enrich.pipeline.Enricher.from_settings(...).enrich(mentions)`` end to end (language,
  PII, spam, cues, risk as well), in its own subprocess.

Label agreement of the fast path with the plain PyTorch encoder (batched, same heads) is measured on all
texts, for sentiment and department.
Prints ``key=value`` lines and a table, writes bench/results/enrich.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

DATA = ROOT.parent / "shared" / "data"
AIRLINE = DATA / "airline_tweets" / "tweets_dev.csv"
TWCS = DATA / "twcs" / "twcs_sample.csv"
RESULTS = ROOT / "bench" / "results" / "enrich.json"
MICRO_BATCH = 512
"""Texts handed to the fast encoder per call, as the worker's micro-batches would be."""


WARM_UP = [f"warm-up text {i}: where is my order? 配送が遅い" for i in range(32)]
"""Not in the timed set; each path loads its models before the clock starts, as the baseline does."""


def read_texts(path: Path, limit: int, start: int = 0) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row["text"] for row in csv.DictReader(handle)]
    return rows[start : start + limit]


def bench_texts(n: int) -> list[str]:
    half = n // 2
    return read_texts(AIRLINE, n - half) + read_texts(TWCS, half)


def naive_baseline(texts: list[str], heads: Any) -> float:
    """Once per mention, padded to 256 tokens, no cache, no batching: texts per second."""
    import torch
    from transformers import AutoTokenizer

    from enrich.adapter import default_adapter, load_encoder_model
    from enrich.encoder import default_model_path

    path = default_model_path()
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = load_encoder_model(path, default_adapter())  # the same weights the worker runs
    torch.set_num_threads(2)
    started = time.perf_counter()
    for text in texts:
        tokens = tokenizer(text, padding="max_length", max_length=256, truncation=True, return_tensors="pt")
        with torch.inference_mode():
            hidden = model(**tokens).last_hidden_state
        mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9), dim=1)
        embedding = pooled.numpy()
        heads.sentiment.proba(embedding)
        heads.department.proba(embedding)
        heads.high_risk(embedding)
    return len(texts) / (time.perf_counter() - started)


def child_fast(n: int, out: Path) -> None:
    from enrich.encoder import build_encoder, build_refiner
    from enrich.heads import load_heads
    from enrich.pipeline import score_heads

    texts = bench_texts(n)
    heads = load_heads()
    from socialcare.settings import Settings

    settings = Settings(var_dir=ROOT / "var")  # SOCIALCARE_ENCODER=fast, as the worker runs it
    encoder = build_encoder(settings)
    exact = build_refiner(settings)
    score_heads(WARM_UP, encoder, heads, refiner=exact)  # sessions and thread pools start outside the clock
    started = time.perf_counter()
    sentiment: list[int] = []
    department: list[int] = []
    refined = 0
    for i in range(0, len(texts), MICRO_BATCH):
        scores = score_heads(texts[i : i + MICRO_BATCH], encoder, heads, refiner=exact)
        sentiment += scores.sentiment.argmax(axis=1).tolist()
        department += scores.department.argmax(axis=1).tolist()
        refined += scores.refined
    elapsed = time.perf_counter() - started
    result = {
        "mps": len(texts) / elapsed,
        "seconds": elapsed,
        "cache_hits": getattr(encoder, "hits", 0),
        "refined": refined,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "sentiment": sentiment,
        "department": department,
        "encoder": encoder.name,
    }
    out.write_text(json.dumps(result))


def child_worker(n: int, out: Path) -> None:
    from enrich.pipeline import Enricher
    from socialcare.settings import Settings
    from tests.factories import make_mention

    texts = bench_texts(n)
    mentions = [make_mention(i, text=t or " ") for i, t in enumerate(texts)]
    enricher = Enricher.from_settings(Settings(var_dir=ROOT / "var"))
    enricher.warm_up()  # lazy loads, untimed, as the enrich stage does before its first poll
    enricher.enrich([make_mention(100_000 + i, text=t) for i, t in enumerate(WARM_UP)])
    started = time.perf_counter()
    done = 0
    for i in range(0, len(mentions), MICRO_BATCH):
        done += len(enricher.enrich(mentions[i : i + MICRO_BATCH]))
    elapsed = time.perf_counter() - started
    result = {
        "mps": done / elapsed,
        "seconds": elapsed,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out.write_text(json.dumps(result))


def run_child(mode: str, n: int, tmp: Path) -> dict[str, Any] | str:
    out = tmp / f"{mode}.json"
    command = [sys.executable, __file__, "--child", mode, "--texts", str(n), "--out", str(out)]
    proc = subprocess.run(command, capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not out.exists():
        return f"failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}"
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--baseline-texts", type=int, default=300)
    parser.add_argument("--child", choices=["fast", "worker"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child == "fast":
        child_fast(args.texts, args.out)
        return
    if args.child == "worker":
        child_worker(args.texts, args.out)
        return

    from enrich.encoder import OnnxEncoder, TorchEncoder
    from enrich.heads import load_heads
    from enrich.pipeline import score_heads

    texts = bench_texts(args.texts)
    for variant in ("int8-all", "fp32"):
        OnnxEncoder(variant=variant, cache_dir=ROOT / "var" / "models")  # export once, untimed
    heads = load_heads()
    with tempfile.TemporaryDirectory() as tmp_name:
        fast = run_child("fast", args.texts, Path(tmp_name))
        worker = run_child("worker", args.texts, Path(tmp_name))
    baseline_n = min(args.baseline_texts, len(texts))
    baseline_mps = naive_baseline(texts[:baseline_n], heads)
    plain = score_heads(texts, TorchEncoder(), heads)
    if isinstance(fast, str):
        raise SystemExit(f"fast path {fast}")
    agreement = {
        name: float(np.mean(np.asarray(fast[name]) == getattr(plain, name).argmax(axis=1)))
        for name in ("sentiment", "department")
    }
    summary: dict[str, Any] = {
        "texts": len(texts),
        "baseline_texts": baseline_n,
        "encoder": fast["encoder"],
        "baseline_mps": baseline_mps,
        "fast_mps": fast["mps"],
        "fast_peak_rss_mib": fast["peak_rss_mib"],
        "fast_cache_hits": fast["cache_hits"],
        "fast_refined_rows": fast["refined"],
        "ratio_fast_to_baseline": fast["mps"] / baseline_mps,
        "sentiment_agreement_fast_vs_plain": agreement["sentiment"],
        "department_agreement_fast_vs_plain": agreement["department"],
        "worker": worker if isinstance(worker, dict) else {"skipped": worker},
    }
    if isinstance(worker, dict):
        summary["ratio_worker_to_baseline"] = worker["mps"] / baseline_mps
    for key, value in summary.items():
        if not isinstance(value, dict):
            print(f"{key}={value:.3f}" if isinstance(value, float) else f"{key}={value}")
        else:
            print(
                f"{key}=" + " ".join(f"{k}:{v:.3f}" if isinstance(v, float) else f"{k}:{v}" for k, v in value.items())
            )
    print(f"\n{'path':<34}{'texts':>7}{'mentions/s':>12}{'ratio':>8}{'peak RSS MiB':>14}")
    print(f"{'naive (1/mention, pad 256)':<34}{baseline_n:>7}{baseline_mps:>12.1f}{1.0:>8.1f}{'-':>14}")
    graph = "int8+refine" if "int8" in str(fast["encoder"]) else "fp32"
    print(
        f"{f'fast ({graph}+bucket+cache)':<34}{len(texts):>7}{fast['mps']:>12.1f}"
        f"{fast['mps'] / baseline_mps:>8.1f}{fast['peak_rss_mib']:>14.0f}"
    )
    if isinstance(worker, dict):
        print(
            f"{'worker (Enricher.enrich)':<34}{len(texts):>7}{worker['mps']:>12.1f}"
            f"{worker['mps'] / baseline_mps:>8.1f}{worker['peak_rss_mib']:>14.0f}"
        )
    else:
        print(f"{'worker (Enricher.enrich)':<34} skipped ({worker})")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
